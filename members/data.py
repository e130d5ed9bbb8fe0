"""Everything the portal holds about one member (PIPL arts. 44–45): what ``/me/`` offers them to
download, as JSON and as XLSX, and what anonymising them (members/anonymise.py) goes through.

What is "about the member" is read from the models, not listed by hand, so that a record any app
adds later is in the copy without touching this module (``members`` imports no other app):
- their register row and their own login;
- every row of every model with a foreign key or many-to-many link to Member that points at
  them (donations, blood donations, assignments, sign-ups, suggestions, citations, care visits,
  enterprises they are a contact of, their correction requests…), each with the rows that belong
  to it (a row deleted with it: a gift's goods lines, a suggestion's forwardings and files);
- the history of their register row, consent included.

Other people stay out: a link to another member or to a login (the staff who decided a sign-up)
is not followed, and a many-to-many link to members says only whether this member is in it (a
care visit's "members visited": yes), never who else is.
"""

import datetime
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from simple_history.models import HistoricalChanges

from members.models import Member
from portal.spreadsheets import xlsx_cell

# Derived from other fields (members/text.py): the same name again, not data of its own.
DERIVED = {"name_pinyin", "search_key"}


def _is_record_model(model) -> bool:
    meta = model._meta
    return not (
        meta.auto_created or meta.proxy or issubclass(model, HistoricalChanges) or model is Member
    )


def member_links(model) -> list:
    """The fields of ``model`` that point at members: foreign keys, one-to-ones and its own
    many-to-many fields."""
    return [
        each
        for each in model._meta.get_fields()
        if each.is_relation
        and not each.auto_created
        and each.related_model is Member
        and (each.many_to_one or each.one_to_one or each.many_to_many)
    ]


def record_models() -> list:
    """Every model of the portal that may hold rows about a member, in a stable order."""
    found = [m for m in apps.get_models() if _is_record_model(m) and member_links(m)]
    return sorted(found, key=lambda m: m._meta.label)


def parts(model) -> list:
    """The relations whose rows belong to a row of ``model``: deleted with it (CASCADE)."""
    return [
        relation
        for relation in model._meta.related_objects
        if relation.one_to_many and relation.on_delete is models.CASCADE
    ]


def linked(model, member) -> models.QuerySet:
    """The rows of ``model`` that point at ``member`` through any of its links."""
    condition = Q()
    for link in member_links(model):
        condition |= Q(**{link.name: member})
    return model._default_manager.filter(condition).distinct().order_by("pk")


def _columns(model) -> list:
    """What is shown of a row: its own fields, without links to logins (staff) and without
    derived keys; and its many-to-many links to members."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    shown = [
        each
        for each in model._meta.concrete_fields
        if each.name not in DERIVED and not (each.is_relation and each.related_model is user_model)
    ]
    return shown + [link for link in member_links(model) if link.many_to_many]


@dataclass
class Table:
    """One kind of row: its key ("campaigns.donation"), its title and its columns (field
    names and labels), and its rows as raw values (JSON) and as words (XLSX)."""

    key: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[dict] = field(default_factory=list)
    shown: list[list] = field(default_factory=list)


def _raw(value):
    """A value as JSON takes it, exactly: dates in ISO 8601, money as text."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a stored file
        return value.name or ""
    return value


def _related(related, member):
    """A linked row as the copy names it: by its name, unless it is another person or another
    person's record (a suggestion hers was merged into), which is named by its number only."""
    if related is None:
        return None
    model = type(related)
    if model is Member:
        mine = related.pk == member.pk
    elif _is_record_model(model) and member_links(model):
        mine = linked(model, member).filter(pk=related.pk).exists()
    else:
        mine = True
    return str(related) if mine else f"#{related.pk}"


def _cell(column, obj, member):
    """(raw, shown) of ``column`` of ``obj``: the raw value for JSON, the words for XLSX."""
    if column.many_to_many:
        is_in = getattr(obj, column.name).filter(pk=member.pk).exists()
        return is_in, _("yes") if is_in else _("no")
    if column.is_relation:
        named = _related(getattr(obj, column.name), member)
        return named, named or ""
    value = getattr(obj, column.attname)
    if column.choices:
        return _raw(value), str(dict(column.flatchoices).get(value, value))
    if isinstance(value, bool):
        return value, _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return _raw(value), timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, int | Decimal | datetime.date):
        return _raw(value), value
    return _raw(value), _raw(value)


def _table(key: str, title, columns: list, rows, member) -> Table:
    table = Table(
        key=key,
        title=str(title),
        columns=[(column.name, str(column.verbose_name)) for column in columns],
    )
    for obj in rows:
        cells = [_cell(column, obj, member) for column in columns]
        raws = [raw for raw, _shown in cells]
        table.rows.append(dict(zip([column.name for column in columns], raws, strict=True)))
        table.shown.append([shown for _raw, shown in cells])
    return table


def _records(model, rows, member) -> Table:
    meta = model._meta
    return _table(meta.label_lower, meta.verbose_name_plural, _columns(model), rows, member)


def _register(member) -> Table:
    columns = [
        each
        for each in Member._meta.concrete_fields
        if each.name not in DERIVED and each.name != "user"
    ]
    return _table("members.member", Member._meta.verbose_name, columns, [member], member)


def _login(member) -> Table:
    table = Table(
        key="login",
        title=_("Login"),
        columns=[
            ("username", _("user name")),
            ("date_joined", _("created at")),
            ("last_login", _("last logged in at")),
            ("is_active", pgettext("login", "active")),
        ],
    )
    user = member.user
    if user is not None:
        values = [user.username, user.date_joined, user.last_login, user.is_active]
        table.rows.append(
            {name: _raw(value) for (name, _label), value in zip(table.columns, values, strict=True)}
        )
        table.shown.append(
            [
                timezone.localtime(v).replace(tzinfo=None)
                if isinstance(v, datetime.datetime)
                else (_("yes") if v else _("no"))
                if isinstance(v, bool)
                else v
                for v in values
            ]
        )
    return table


def _register_history(member) -> Table:
    """Every change of their register row: when, what changed from what to what, and why; the
    staff who made it are not named (their data, not the member's)."""
    table = Table(
        key="history",
        title=_("Changes of the register"),
        columns=[
            ("at", _("changed at")),
            ("change", _("change")),
            ("fields", _("what changed")),
            ("reason", _("reason")),
        ],
    )
    kinds = {"+": _("added"), "~": _("changed"), "-": _("deleted")}
    labels = {each.name: str(each.verbose_name) for each in Member._meta.concrete_fields}
    previous = None
    for row in member.history.order_by("history_date", "history_id"):
        changes = []
        if previous is not None:
            delta = row.diff_against(previous, excluded_fields=list(DERIVED))
            changes = [
                {"field": change.field, "old": _raw(change.old), "new": _raw(change.new)}
                for change in delta.changes
            ]
        previous = row
        words = "；".join(
            f"{labels.get(c['field'], c['field'])}: {c['old']} → {c['new']}" for c in changes
        )
        table.rows.append(
            {
                "at": _raw(row.history_date),
                "change": row.history_type,
                "fields": changes,
                "reason": row.history_change_reason or "",
            }
        )
        table.shown.append(
            [
                timezone.localtime(row.history_date).replace(tzinfo=None),
                kinds.get(row.history_type, row.history_type),
                words,
                row.history_change_reason or "",
            ]
        )
    return table


def _consent_history(member) -> Table:
    """When they gave or withdrew consent to public listing, from their register's history."""
    table = Table(
        key="consent",
        title=_("Consent to public listing"),
        columns=[("at", _("changed at")), ("consent", _("consent")), ("reason", _("reason"))],
    )
    previous = None
    for row in member.history.order_by("history_date", "history_id"):
        if row.listing_consent != previous and (previous is not None or row.listing_consent):
            at = row.consent_changed_at or row.history_date
            table.rows.append(
                {
                    "at": _raw(at),
                    "consent": row.listing_consent,
                    "reason": row.history_change_reason or "",
                }
            )
            table.shown.append(
                [
                    timezone.localtime(at).replace(tzinfo=None),
                    _("given") if row.listing_consent else _("withdrawn"),
                    row.history_change_reason or "",
                ]
            )
        previous = row.listing_consent
    return table


def member_data(member: Member) -> list[Table]:
    """Everything about ``member``, table by table: the register, their login, the register's
    history and their consent, then every record about them and the rows that belong to each."""
    tables = [_register(member), _login(member), _register_history(member)]
    tables.append(_consent_history(member))
    for model in record_models():
        rows = list(linked(model, member))
        tables.append(_records(model, rows, member))
        for relation in parts(model):
            accessor = relation.get_accessor_name()
            children = [child for row in rows for child in getattr(row, accessor).all()]
            tables.append(_records(relation.related_model, children, member))
    return tables


def as_json(member: Member) -> bytes:
    tables = member_data(member)
    document = {
        "made_at": timezone.localtime().isoformat(),
        "member": tables[0].rows[0],
        "tables": [
            {
                "key": table.key,
                "title": table.title,
                "labels": dict(table.columns),
                "rows": table.rows,
            }
            for table in tables
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode()


def as_xlsx(member: Member) -> bytes:
    """One sheet per table (the empty ones too, so the member sees what could be there)."""
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    used = set()
    for table in member_data(member):
        name = table.title[:28] or table.key[:28]
        while name in used:
            name = f"{name[:26]}_{len(used)}"
        used.add(name)
        sheet = book.create_sheet(title=_sheet_name(name))
        sheet.append([label for _name, label in table.columns])
        for cell in sheet[1]:
            cell.font = bold
        for row in table.shown:
            sheet.append([xlsx_cell(value) for value in row])
        sheet.freeze_panes = "A2"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _sheet_name(name: str) -> str:
    # Excel refuses these characters in a sheet's name.
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in name)


def file_name(member: Member, extension: str) -> str:
    return f"my-data-{date_format(timezone.localdate(), 'Y-m-d')}.{extension}"
