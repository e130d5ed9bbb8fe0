"""The spreadsheet import/export machinery every app's resources build on: the base resource
(all-or-nothing, rows numbered as the spreadsheet numbers them, errors under the column's header)
and the cells every file has (dates, numbers, choice words, names, yes/no).

Headers and choice words (女, 在册, 是…) are the file format, not user interface: they stay Chinese
whatever the language, so a file exported in English re-imports unchanged. Error messages use
Django's own wording where it fits, so they are translated wherever Django is.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export import resources, widgets
from import_export.results import Result

from portal.spreadsheets import restore_neutralised


def invalid_choice(value):
    return ValueError(
        _("Select a valid choice. %(value)s is not one of the available choices.")
        % {"value": value}
    )


class ChoiceWordWidget(widgets.Widget):
    """A choice written as its Chinese word ("女"); its value or label ("female") is read too.

    A blank cell gives None, so (with ``saves_null_values=False``) it keeps what is on file and a
    new member gets the model's default.
    """

    def __init__(self, words):
        super().__init__(coerce_to_string=False)
        self.words = words

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        for word, choice in self.words.items():
            if text.lower() in {word, choice.value, str(choice.label).lower()}:
                return choice.value
        raise invalid_choice(text)

    def render(self, value, obj=None, **kwargs):
        return next((word for word, choice in self.words.items() if choice == value), "")


class NamedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key by name, looked up only among the rows the user may use."""

    def __init__(self, model, queryset=None, field="name"):
        super().__init__(model, field=field)
        self.scoped_queryset = queryset

    def get_queryset(self, value, row, *args, **kwargs):
        if self.scoped_queryset is not None:
            return self.scoped_queryset
        return super().get_queryset(value, row, *args, **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        try:
            return super().clean(text, row, **kwargs)
        except self.model.DoesNotExist:
            # The same answer for a name that does not exist and one outside the user's scope.
            raise invalid_choice(text) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(
                _("Several records are named %(name)s: rename one in the portal first.")
                % {"name": text}
            ) from None


class DateWidget(widgets.Widget):
    """A date cell, or text as 2020-02-05, 2020/2/5 (Chinese Excel's CSV), 2020.2.5 or 2020年2月5日.

    Written as a real date: a date cell in XLSX, 2020-02-05 in CSV.
    """

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):  # an XLSX date cell is read as a datetime
            return value.date()
        if isinstance(value, datetime.date):
            return value
        for date_format in self.FORMATS:
            try:
                return datetime.datetime.strptime(str(value).strip(), date_format).date()
            except ValueError:
                continue
        raise ValueError(_("Enter a valid date."))

    def render(self, value, obj=None, **kwargs):
        return value


class YesNoWidget(widgets.Widget):
    """是 / 否 (yes, no, 同意, 不同意…); a blank cell is 否."""

    YES = {"是", "同意", "yes", "y", "true", "1"}
    NO = {"否", "不同意", "no", "n", "false", "0", ""}

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise invalid_choice(value)

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


def required():
    return ValueError(_("This field is required."))


class NumberWidget(widgets.Widget):
    """A number cell, or text such as 1,000.50. Written as a number, so XLSX keeps a number cell.

    import-export's own widgets raise a bare decimal error for text that is no number, which the
    import shows as a crash rather than as the column's error.
    """

    def __init__(self, whole=False):
        super().__init__(coerce_to_string=False)
        self.whole = whole

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip().replace(",", "") if value is not None else ""
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(_("Enter a number."))
        if not self.whole:
            return number
        if number != number.to_integral_value():
            raise ValueError(_("Enter a whole number."))
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return value


# Headers renamed to the glossary's term (docs/glossary.md): a file made before the rename still
# imports, its old header read as the new one. Exports and templates write the new ones.
RENAMED_HEADERS = {"会员编号": "社员编号", "受赠单位": "受赠方"}


class SpreadsheetResult(Result):
    def row_errors(self):
        # Rows as the spreadsheet numbers them: the headers are row 1, the first record row 2.
        return [(i + 2, row.errors) for i, row in enumerate(self.rows) if row.errors]


class SpreadsheetResource(resources.ModelResource):
    """Base of every import/export resource: scoped to what the user may see, all-or-nothing.

    ``scope_queryset`` is given by the admin (its change list queryset), so an import can only
    update records the user may change and an export holds only rows they may see.
    """

    # Excel stores a text cell typed as digits (a phone, a member number) as a number.
    TEXT_COLUMNS_TYPED_AS_NUMBERS = ()

    def __init__(self, scope_queryset=None, **kwargs):
        super().__init__(**kwargs)
        self.scope_queryset = scope_queryset

    # The column of a record's number (its id), when a file may update records by it: blank adds
    # a record; a number must be one of the user's records, any other is "not found" alike.
    record_number_column = None

    def get_instance(self, instance_loader, row):
        if self.record_number_column is None:
            return super().get_instance(instance_loader, row)
        number = row.get(self.record_number_column)
        if number in (None, ""):
            return None
        try:
            pk = int(str(number).strip().removesuffix(".0"))
        except ValueError:
            raise ValidationError(
                {self.record_number_column: [_("Enter a whole number.")]}
            ) from None
        instance = self.get_queryset().filter(pk=pk).first()
        if instance is None:
            raise ValidationError(
                {
                    self.record_number_column: [
                        _("No record %(number)s in your branches.") % {"number": pk}
                    ]
                }
            )
        return instance

    def get_queryset(self):
        if self.scope_queryset is not None:
            return self.scope_queryset
        return super().get_queryset()

    def get_result_class(self):
        return SpreadsheetResult

    def import_data(self, dataset, *args, **kwargs):
        if dataset.headers:
            dataset.headers = [RENAMED_HEADERS.get(header, header) for header in dataset.headers]
        kwargs["rollback_on_validation_errors"] = True
        result = super().import_data(dataset, *args, **kwargs)
        # Name rows as the spreadsheet does, where the headers are row 1.
        for row in result.invalid_rows:
            row.number += 1
        return result

    def before_import_row(self, row, **kwargs):
        for key, value in row.items():
            # An empty XLSX cell is None; the model's text fields want "".
            value = "" if value is None else value
            # Strip before restoring, so that a neutralised cell comes back exactly as exported.
            row[key] = restore_neutralised(value.strip() if isinstance(value, str) else value)
        # PostgreSQL stores no NUL character: name its column rather than fail on saving.
        bad = [key for key, value in row.items() if isinstance(value, str) and "\x00" in value]
        if bad:
            raise ValidationError(
                {
                    key: [_("This cell holds a NUL character, which no record may hold.")]
                    for key in bad
                }
            )
        for column in self.TEXT_COLUMNS_TYPED_AS_NUMBERS:
            if isinstance(row.get(column), int | float):
                row[column] = str(int(row[column]))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Validate like a ModelForm of the file's columns: the model's rules and constraints, on
        # the fields the file can set (a constraint on a derived field such as the consent time,
        # set on save, is left to the database). Errors name the column, as the user knows it.
        errors = dict(import_validation_errors or {})
        columns = {field.attribute: field.column_name for field in self.get_import_fields()}
        exclude = {f.name for f in instance._meta.fields if f.name not in columns} | set(errors)
        try:
            # Constraint errors come back on their field (portal.constraints.FieldConstraintErrors).
            instance.full_clean(exclude=exclude, validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(
                {columns.get(name, name): messages for name, messages in errors.items()}
            )


# import-export's own Chinese for this heading is garbled ("某些行验数据证失败"); naming the string
# here keeps it in our catalogue, whose translation takes precedence.
gettext_noop("Some rows failed to validate")
gettext_noop(
    "No valid data to import. Ensure your file has the correct headers or data for import."
)
