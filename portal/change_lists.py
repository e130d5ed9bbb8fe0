"""The rows and the filter choices of every change list, written as Django's admin writes them.

Django's admin works out each cell from scratch: which field or method a column is (by raising
and catching FieldDoesNotExist for every method column), the empty value's wording, the cell's
classes, the row's link, and a ``format_html`` and a template variable for each cell; each
filter choice is a template loop. At 25 rows that was a third of a change list's time
(docs/decisions.md, "Change lists"). Here each column is worked out once a list and each row is
one string; each filter's choices are one string. The rows' and the choices' HTML is Django's,
byte for byte: tests/test_change_list_rendering.py renders every change list both ways and
compares them.

Used by templates/admin/change_list.html (the rows) and templates/admin/filter.html (the
choices), through portal/templatetags/portal_change_list.py. A list with editable columns
(``list_editable``, none today) is left to Django.
"""

import contextlib
import datetime

from django.contrib.admin.templatetags.admin_list import _boolean_icon, _coerce_field_name
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    get_fields_from_path,
    lookup_field,
    quote,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.template import Context
from django.template.base import render_value_in_context
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import iri_to_uri
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe


class Column:
    """One column of ``list_display``: what Django's ``items_for_result`` works out per cell,
    worked out once."""

    def __init__(self, cl, index: int, name, is_link: bool, default_empty):
        self.name = name
        self.is_link = is_link
        self.model_admin = cl.model_admin
        self.field = None  # the model field the column shows, if it is one
        self.attr = None  # the callable or attribute the column shows, if not a field
        self.getter = None  # how a row's value is read, when that is the same for every row
        # Not a field: a method, a callable, "member__branch", "__str__", "branch_id".
        with contextlib.suppress(FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            self.field = _get_non_gfk_field(cl.lookup_opts, name)
        if self.field is not None:
            self.getter = lambda obj, name=name: getattr(obj, name)
        elif callable(name):
            self.attr = self.getter = name
        elif hasattr(cl.model_admin, name) and name != "__str__":
            self.attr = self.getter = getattr(cl.model_admin, name)
        # A column Django shows through a chain of relations shows the chain's last field.
        self.path_field = None
        if self.field is None and isinstance(name, str) and LOOKUP_SEP in name:
            with contextlib.suppress(FieldDoesNotExist):
                self.path_field = get_fields_from_path(cl.model, name)[-1]
        self.default_empty = default_empty
        self.class_name = f"field-{_coerce_field_name(name, index)}"
        # A yes/no field's icons, made once: each is a static() lookup.
        self.icons = {}
        if isinstance(self.field, models.BooleanField) and not self.field.flatchoices:
            self.icons = {value: _boolean_icon(value) for value in (True, False, None)}

    def cell(self, obj) -> tuple[object, str]:
        """The cell's content and its class attribute, as ``items_for_result`` makes them."""
        classes = [self.class_name]
        empty = self.default_empty
        try:
            if self.getter is not None:
                field, attr, value = self.field, self.attr, self.getter(obj)
            else:
                field, attr, value = lookup_field(self.name, obj, self.model_admin)
        except ObjectDoesNotExist:
            return empty, f' class="{" ".join(classes)}"'
        empty = getattr(attr, "empty_value_display", empty)
        if field is None:
            field = self.path_field
        if field is None or field.auto_created:
            if self.name == "action_checkbox":
                classes = ["action-checkbox"]
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            shown = display_for_value(value, empty, boolean)
            if isinstance(value, (datetime.date, datetime.time)):
                classes.append("nowrap")
        else:
            if self.icons and value in self.icons and field is self.field:
                shown = self.icons[value]
            elif isinstance(field.remote_field, models.ManyToOneRel):
                shown = empty if value is None else value
            else:
                shown = display_for_field(value, field, empty, avoid_link=self.is_link)
            if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
                classes.append("nowrap")
        return shown, f' class="{" ".join(classes)}"'


def columns(cl) -> list[Column]:
    if not hasattr(cl, "_portal_columns"):
        # Translated once a list, not looked up through a lazy string in every cell.
        default_empty = SafeString(cl.model_admin.get_empty_value_display())
        links, first = [], True
        for name in cl.list_display:
            # Django's rule: the columns in list_display_links, or the first if it is empty.
            # (Django's "first" means "no link yet"; with list_display_links empty the first
            # column is the link, so it is the same as "the first column".)
            if cl.list_display_links is None:
                links.append(False)
            else:
                links.append((first and not cl.list_display_links) or name in cl.list_display_links)
            first = False
        cl._portal_columns = [
            Column(cl, index, name, link, default_empty)
            for index, (name, link) in enumerate(zip(cl.list_display, links, strict=True))
        ]
    return cl._portal_columns


# A row's id in its link, to be replaced: reverse() and the admin's quote() leave it as it is.
PK_PLACEHOLDER = "00pk00"
# Ids that reverse() puts in a link as they are (a text id may need percent-encoding).
PLAIN_IDS = (models.AutoField, models.BigAutoField, models.IntegerField, models.UUIDField)


def row_url_maker(cl):
    """A function giving each row's link (``ChangeList.url_for_result``) with the list's filters
    preserved, or None when the model has no change view. Django reverses, parses and resolves
    that link again for every row; only the row's id differs, so it is made once, unless the id
    is text (reverse() may percent-encode it) or the list makes its links its own way."""

    def preserving_filters(url):
        context = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}
        return add_preserved_filters(context, url)

    try:
        url = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(PK_PLACEHOLDER,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    if not isinstance(cl.lookup_opts.pk, PLAIN_IDS) or (
        type(cl).url_for_result is not ChangeList.url_for_result
    ):
        return lambda obj: preserving_filters(cl.url_for_result(obj))
    template = preserving_filters(url)
    return lambda obj: template.replace(PK_PLACEHOLDER, str(quote(getattr(obj, cl.pk_attname))), 1)


def row(cl, obj, url_of) -> SafeString:
    """One ``<tr>``'s cells, as ``items_for_result`` yields them, joined."""
    cells = []
    first = True
    for column in columns(cl):
        shown, class_attr = column.cell(obj)
        shown = conditional_escape(shown)
        if column.is_link:
            tag = "th" if first else "td"
            first = False
            if url_of is not None:
                popup = ""
                if cl.is_popup:
                    value = obj.serializable_value(
                        str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname
                    )
                    popup = f' data-popup-opener="{conditional_escape(value)}"'
                shown = f'<a href="{escape(url_of(obj))}"{popup}>{shown}</a>'
            cells.append(f"<{tag}{class_attr}>{shown}</{tag}>")
        else:
            cells.append(f"<td{class_attr}>{shown}</td>")
    return mark_safe("".join(cells))


def filter_choices(choices) -> SafeString:
    """The ``<li>`` of each choice, as Django's admin/filter.html loop writes them."""
    # What a template variable does to a value (localise, then escape), in an autoescaping
    # template's context.
    context = Context()
    return mark_safe("".join(filter_choice(choice, context) for choice in choices))


def filter_choice(choice, context) -> str:
    selected = ' class="selected"' if choice["selected"] else ""
    # {{ choice.query_string|iriencode }}: the filter keeps a safe string safe.
    query_string = choice["query_string"]
    link = iri_to_uri(query_string)
    if isinstance(query_string, SafeData):
        link = mark_safe(link)
    link = render_value_in_context(link, context)
    shown = render_value_in_context(choice["display"], context)
    return f'\n    <li{selected}>\n    <a href="{link}">{shown}</a></li>\n  '
