from django.core.exceptions import ValidationError
from django.db import router


class FieldConstraintErrors:
    """Report a violated database constraint on the field to correct, not for the whole row.

    Django files a constraint over several fields, or with a condition, under the form's
    non-field errors; a model naming it in ``constraint_fields`` (constraint name → field) gets
    the message beside that field, in the admin and in a spreadsheet import's column alike. Once
    a field has an error, later constraints skip it, as ``full_clean`` skips fields that failed:
    an end before the start would otherwise reach the overlap constraint's query, which
    PostgreSQL refuses (an invalid range) and which aborts the transaction.
    """

    constraint_fields: dict[str, str] = {}

    def validate_constraints(self, exclude=None):
        exclude = set(exclude or ())
        using = router.db_for_write(type(self), instance=self)
        errors = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = self.constraint_fields.get(constraint.name)
                    own_fields = getattr(constraint, "fields", ())
                    if field is None and error.code == "unique" and len(own_fields) == 1:
                        field = own_fields[0]  # Django's own rule for a one-field unique
                    if field is None or field in exclude:
                        errors = error.update_error_dict(errors)
                    else:
                        errors.setdefault(field, []).append(error)
                        exclude.add(field)
        if errors:
            raise ValidationError(errors)
