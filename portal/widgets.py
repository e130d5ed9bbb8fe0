"""Admin widgets that survive forged input.

Django's autocomplete widget looks up the submitted values when it re-renders a refused form, and
a value its target field cannot read (``member=":"`` in a forged POST) ends in a 500 there. These
widgets drop such values first; the form has already refused them with its own message.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class CheckedValuesMixin:
    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        readable = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            readable.append(item)
        return super().optgroups(name, readable, attr)


class CheckedAutocompleteSelect(CheckedValuesMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(CheckedValuesMixin, AutocompleteSelectMultiple):
    pass


class CheckedAutocompleteFields:
    """Mix into a ModelAdmin or an inline: its autocomplete fields use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
