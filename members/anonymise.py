"""Anonymising a member who left or asked to be erased (PIPL art. 47): their name, phone,
e-mail, workplace, position and member number are replaced everywhere the portal keeps them, the
change history and pending import files included; their records stay, so every total counts
them as before. docs/decisions.md says what is kept and why.

Where the portal keeps them:
- the register row, and every row of its history (simple-history keeps full copies of old rows);
- their login (user name, names, e-mail), its history, and django-axes' records of its logins;
- the words of every record about them and of the rows that belong to those (members/data.py: a
  citation's text naming them, their suggestion's text, a correction they asked for), in those
  rows' history too, and in the admin's log of changes to any of them;
- the names of files attached to those records (an attachment called after them);
- spreadsheets waiting for an import's confirmation that mention them: deleted (the uploader
  uploads again);
- the cache of public pages: emptied once the change is committed.
"""

import io
import zipfile
from pathlib import Path

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from members import data
from members.models import Member
from portal.models import PendingImport

# What the register row's identifying fields become.
ERASED = {"phone": "", "email": "", "workplace": "", "position": "", "number": ""}
# What any of them becomes inside a text that mentions them (a citation, a suggestion).
MASK = "***"
IDENTIFYING = ("name", "phone", "email", "workplace", "position", "number")
# Shorter values are not searched for in texts: "王" or a two-digit number would match words
# that are not about the member.
SHORTEST = {"name": 2, "phone": 5, "email": 5, "workplace": 4, "position": 4, "number": 4}


def placeholder(member: Member) -> str:
    """The name an anonymised member goes by: the same in every language and for every reader,
    and telling nothing but that someone was there."""
    return f"匿名社员{member.pk}"


def _identifiers(member: Member) -> dict[str, str]:
    """Every value their identifying fields ever held (a name corrected once, an old phone),
    each with what replaces it in a text; longest first, so that a name inside a workplace is
    not replaced before the workplace."""
    found = {}
    for row in member.history.values(*IDENTIFYING):
        for name in IDENTIFYING:
            value = (row[name] or "").strip()
            if len(value) >= SHORTEST[name]:
                found[value] = placeholder(member) if name == "name" else MASK
    for name in IDENTIFYING:
        value = (getattr(member, name) or "").strip()
        if len(value) >= SHORTEST[name]:
            found[value] = placeholder(member) if name == "name" else MASK
    user = member.user
    if user is not None:
        for value in (user.username, user.email, user.first_name, user.last_name):
            if len(value or "") >= 2:
                found.setdefault(value, MASK)
    return dict(sorted(found.items(), key=lambda item: -len(item[0])))


def _scrubbed(text: str, identifiers: dict[str, str]) -> str:
    for old, new in identifiers.items():
        text = text.replace(old, new)
    return text


def _text_fields(model) -> list[str]:
    return [
        each.attname
        for each in model._meta.concrete_fields
        if isinstance(each, models.CharField | models.TextField) and not each.choices
    ]


def _file_fields(model) -> list[str]:
    return [each.name for each in model._meta.concrete_fields if isinstance(each, models.FileField)]


def _records(member: Member) -> dict:
    """{model: [pk]}: the records about the member and the rows that belong to them."""
    found = {}
    for model in data.record_models():
        pks = list(data.linked(model, member).values_list("pk", flat=True))
        found[model] = pks
        for relation in data.parts(model):
            child = relation.related_model
            found.setdefault(child, [])
            found[child] += list(
                child._default_manager.filter(**{f"{relation.field.name}__in": pks}).values_list(
                    "pk", flat=True
                )
            )
    return {model: pks for model, pks in found.items() if pks}


def _rename_files(obj, identifiers: dict[str, str], reason: str) -> None:
    """A file named after the member gets a name of its own (its content is kept as sent)."""
    changed = []
    for name in _file_fields(type(obj)):
        stored = getattr(obj, name)
        if not stored or _scrubbed(stored.name, identifiers) == stored.name:
            continue
        path = Path(stored.name)
        wanted = str(path.with_name(f"{type(obj)._meta.model_name}-{obj.pk}{path.suffix}"))
        with stored.open("rb") as source:
            content = source.read()
        old_name = stored.name
        # In its own folder, through the storage: the field's upload_to would move it.
        setattr(obj, name, stored.storage.save(wanted, ContentFile(content)))
        stored.storage.delete(old_name)
        changed.append(name)
    if changed:
        obj._change_reason = reason
        obj.save(update_fields=changed)


def _scrub_rows(model, pks, identifiers: dict[str, str], reason: str) -> None:
    """The words of ``model``'s rows ``pks`` and of all their history, without the member."""
    fields = _text_fields(model)
    for obj in model._default_manager.filter(pk__in=pks):
        _rename_files(obj, identifiers, reason)
        changed = []
        for name in fields:
            value = getattr(obj, name)
            if value and _scrubbed(value, identifiers) != value:
                setattr(obj, name, _scrubbed(value, identifiers))
                changed.append(name)
        if changed:
            obj._change_reason = reason
            obj.save(update_fields=changed)
    history = getattr(model, "history", None)
    if history is None:
        return
    history_fields = _text_fields(history.model)
    rows = list(history.model.objects.filter(**{f"{model._meta.pk.attname}__in": pks}))
    for row in rows:
        for name in history_fields:
            value = getattr(row, name)
            if value:
                setattr(row, name, _scrubbed(value, identifiers))
    history.model.objects.bulk_update(rows, history_fields, batch_size=500)


def _scrub_log(records: dict, identifiers: dict[str, str]) -> None:
    """The admin's log names each object it records (``object_repr``) and what changed."""
    for model, pks in records.items():
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in pks],
        )
        for entry in entries:
            entry.object_repr = _scrubbed(entry.object_repr, identifiers)[:200]
            entry.change_message = _scrubbed(entry.change_message, identifiers)
            entry.save(update_fields=["object_repr", "change_message"])


def _mentions(content: bytes, needles: list[str]) -> bool:
    """Whether an uploaded spreadsheet holds any of ``needles``: an XLSX is a zip of XML parts,
    read as text; a CSV is UTF-8 or GB18030."""
    texts = []
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            for info in book.infolist():
                if info.filename.endswith(".xml"):
                    texts.append(book.read(info).decode("utf-8", "replace"))
    except zipfile.BadZipFile:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                texts.append(content.decode(encoding))
                break
            except UnicodeDecodeError:
                continue
    return any(needle in text for text in texts for needle in needles)


def _axes_records(old_username: str, new_username: str) -> None:
    for name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
        try:
            model = apps.get_model("axes", name)
        except LookupError:
            continue
        model.objects.filter(username=old_username).update(username=new_username)


@transaction.atomic
def member_anonymise(*, member: Member, user) -> Member:
    """Replace ``member``'s identifying data everywhere (see the module's docstring). Their
    records, and so every total, stay as they are."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    identifiers = _identifiers(member)
    reason = _("Anonymised")
    records = _records(member)

    # The records first, while their words still hold the old name to find.
    for model, pks in records.items():
        _scrub_rows(model, pks, identifiers, reason)
    _scrub_log({**records, Member: [member.pk]}, identifiers)

    # The register row, and every copy of it in its history.
    name = placeholder(member)
    for field, value in {"name": name, **ERASED}.items():
        setattr(member, field, value)
    member.joined_on = None
    member.listing_consent = False
    if member.status == Member.Status.ACTIVE:
        member.status = Member.Status.LEFT
    member._change_reason = reason
    member.save()
    history = list(member.history.all())
    for row in history:
        row.name, row.joined_on = name, None
        for field, value in ERASED.items():
            setattr(row, field, value)
        row.history_change_reason = _scrubbed(row.history_change_reason or "", identifiers)
    Member.history.model.objects.bulk_update(
        history, ["name", "joined_on", *ERASED, "history_change_reason"]
    )

    # Their login: it can no longer log in, and its name says nothing.
    login = member.user
    if login is not None:
        old_username = login.username
        login.username = f"anonymised-{member.pk}"
        login.first_name = login.last_name = login.email = ""
        login.is_active = False
        login.set_unusable_password()
        login._change_reason = reason
        login.save()
        login_history = list(type(login).history.filter(id=login.pk))
        for row in login_history:
            row.username, row.first_name, row.last_name, row.email = login.username, "", "", ""
        type(login).history.model.objects.bulk_update(
            login_history, ["username", "first_name", "last_name", "email"]
        )
        _scrub_log({type(login): [login.pk]}, identifiers)
        _axes_records(old_username, login.username)

    # Spreadsheets waiting for their import's confirmation that mention them.
    needles = list(identifiers)
    for pending in PendingImport.objects.only("pk", "data"):
        if _mentions(bytes(pending.data), needles):
            pending.delete()

    # Pages cached with their old name (they would age out within a day).
    transaction.on_commit(cache.clear)
    return member
