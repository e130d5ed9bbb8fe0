"""Optimistic concurrency for the admin: a change form saves only over the record it was opened on.

Every change form of an audited model, and simple-history's revert form, carries in a hidden field
(``_version``) the version of the record when the form was opened: a hash of the row's audited
columns, of its many-to-many links and of its inlines' rows (a donation's goods lines belong to the
donation's version), plus the id of the record's latest history entry. On save the row is read
again under a lock (SELECT … FOR UPDATE, inside the save's transaction) and hashed again. If
anything changed since the form was opened, nothing is saved: the form is shown again with the
record as it is now and a message naming who changed which fields and when (from history). A POST
without a version, or with one that cannot be read (an old page, a forged request), is refused the
same way.

Why a hash of the row rather than the latest history id or a version column: ``QuerySet.update()``,
bulk writes, COPY and plain SQL keep no history and would bump no version column, but they do
change the row. The hash sees every write however it was made; history only names who made it.
Columns that history leaves out are left out here too: they are derived (a branch's path, a
member's pinyin) or not the form's business (a login's last_login), and would make every open
form stale for nothing.
"""

import hashlib
import json
import re
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.forms.models import _get_foreign_key
from django.http import HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_manager_for_model

VERSION_FIELD = "_version"
# A long run of changes since the form was opened is summed up by its latest ones.
CHANGES_NAMED = 5


@dataclass(frozen=True)
class Version:
    """A record's version: its latest history entry (0: none) and one hash per part (the row
    with its links, then each inline's rows). Only the hashes decide; the history id says where
    to look for who changed what."""

    history_id: int
    parts: tuple[str, ...]

    def __str__(self):
        return ":".join([str(self.history_id), *self.parts])

    @classmethod
    def parse(cls, text: str | None) -> "Version | None":
        """The version a form sent, or None for one that is missing or is none of ours."""
        if not VERSION_PATTERN.fullmatch(text or ""):
            return None
        history_id, *parts = text.split(":")
        return cls(int(history_id), tuple(parts))


DIGEST_LENGTH = 16  # hex digits: 64 bits, where a chance match would pass a stale form
VERSION_PATTERN = re.compile(rf"[0-9]+(:[0-9a-f]{{{DIGEST_LENGTH}}})+")


def _digest(values) -> str:
    text = json.dumps(values, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:DIGEST_LENGTH]


def record_version(model_admin, pk, *, lock: bool = False) -> Version:
    """The version of the record ``pk`` of ``model_admin``'s model as the database has it now;
    ``lock`` holds its row until the transaction ends. A record that does not exist (a deleted
    one, before its restore) has a version too."""
    model = model_admin.model
    history = get_history_manager_for_model(model)
    rows = model._default_manager.filter(pk=pk)
    if lock:
        rows = rows.select_for_update()
    columns = [field.attname for field in history.model.tracked_fields]
    row = rows.values_list(*columns).first()
    links = []
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        target = field.m2m_reverse_field_name()
        links.append(
            list(
                through._default_manager.filter(**{field.m2m_field_name(): pk})
                .order_by(target)
                .values_list(target, flat=True)
            )
        )
    parts = [_digest([row, links])]
    for inline in model_admin.inlines:
        link = _get_foreign_key(model, inline.model, fk_name=inline.fk_name)
        inline_columns = [field.attname for field in inline.model._meta.concrete_fields]
        lines = inline.model._default_manager.filter(**{link.name: pk}).order_by("pk")
        parts.append(_digest(list(lines.values_list(*inline_columns))))
    latest = (
        history.filter(**{model._meta.pk.attname: pk})
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
    )
    return Version(latest or 0, tuple(parts))


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return gettext("someone without a login (a script or a command)")
    return user.get_full_name() or user.get_username()


def _when(record) -> str:
    return formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")


def _listed(names) -> str:
    return pgettext("list separator", ", ").join(str(name) for name in names)


def _row_changes(model, pk, since: int) -> list[str]:
    """Who changed the record after its history entry ``since``, when, and which fields."""
    history = get_history_manager_for_model(model)
    newer = history.filter(**{model._meta.pk.attname: pk, "history_id__gt": since})
    records = list(newer.select_related("history_user").order_by("-history_id")[:CHANGES_NAMED])
    if not records:
        return [gettext("It was changed without a history entry (by a script or in the database).")]
    said = []
    for record in reversed(records):
        previous = record.prev_record
        changed = [] if previous is None else record.diff_against(previous).changed_fields
        names = [model._meta.get_field(name).verbose_name for name in changed]
        values = {"who": _who(record), "when": _when(record), "fields": _listed(names)}
        if names:
            text = gettext("On %(when)s %(who)s changed: %(fields)s.") % values
        else:
            text = gettext("On %(when)s %(who)s saved it.") % values
        if record.history_change_reason:
            text += " " + gettext("Reason: %(reason)s.") % {"reason": record.history_change_reason}
        said.append(text)
    return said


def _inline_change(model, inline, pk) -> str:
    """Which inline's rows changed, and the latest change to them that history names."""
    lines = inline.verbose_name_plural or inline.model._meta.verbose_name_plural
    link = _get_foreign_key(model, inline.model, fk_name=inline.fk_name)
    try:
        history = get_history_manager_for_model(inline.model)
    except NotHistoricalModelError:  # a suggestion's state changes keep no history of their own
        latest = None
    else:
        latest = (
            history.filter(**{link.name: pk})
            .select_related("history_user")
            .order_by("-history_id")
            .first()
        )
    if latest is None:
        return gettext("Its %(lines)s were changed.") % {"lines": lines}
    return gettext("Its %(lines)s were changed, last on %(when)s by %(who)s.") % {
        "lines": lines,
        "when": _when(latest),
        "who": _who(latest),
    }


class OptimisticConcurrencyAdmin:
    """Mix into the ModelAdmin of an audited model (``portal.admin.HistoryAdmin`` does, so every
    audited model's change and revert forms are covered). The hidden field is rendered by
    ``templates/admin/change_form.html``.

    A model may define ``prepare_revert(current)``: called on the old version a revert form is
    built from, with the record as it is now, to keep what a revert must not bring back (a
    member's consent is the member's own)."""

    def record_version(self, pk, *, lock: bool = False) -> Version:
        return record_version(self, pk, lock=lock)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and obj.pk is not None:
            context["record_version"] = self.record_version(obj.pk)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST" or object_id is None or "_saveasnew" in request.POST:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic(using=router.db_for_write(self.model)):
            refusal = self._refuse_stale_change(request, object_id)
            if refusal is not None:
                return refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _refuse_stale_change(self, request, object_id):
        to_field = request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR))
        if to_field and not self.to_field_allowed(request, to_field):
            return None  # Django refuses the request itself
        obj = self.get_object(request, unquote(object_id), to_field)
        if obj is None or not self.has_change_permission(request, obj):
            return None  # Django answers "does not exist" or 403, before any version matters
        return self._refuse_stale(request, obj.pk)

    def _refuse_stale(self, request, pk):
        """None if the POST's version is the record's as it is now (its row now locked), else a
        message and the same page again, which shows the record as it is."""
        sent = Version.parse(request.POST.get(VERSION_FIELD))
        now = self.record_version(pk, lock=True)
        if sent is not None and sent.parts == now.parts:
            return None
        messages.error(request, self.stale_message(pk, sent, now))
        return HttpResponseRedirect(request.get_full_path())

    def stale_message(self, pk, sent: Version | None, now: Version) -> str:
        record = self.model._meta.verbose_name
        if sent is None:
            return gettext(
                "Nothing was saved: the form did not say which version of the %(record)s it was "
                "opened on (an old page or a forged request). It now shows the %(record)s as it "
                "is: make your changes again."
            ) % {"record": record}
        changes = []
        if sent.parts[:1] != now.parts[:1]:
            changes += _row_changes(self.model, pk, sent.history_id)
        # A version from before the admin's inlines changed has fewer or more parts: it is stale
        # as a whole, and only the parts both have can be named.
        pairs = zip(self.inlines, sent.parts[1:], now.parts[1:], strict=False)
        for inline, before, after in pairs:
            if before != after:
                changes.append(_inline_change(self.model, inline, pk))
        return gettext(
            "Nothing was saved: the %(record)s was changed after you opened the form. "
            "%(changes)s The form now shows it as it is: make your changes again."
        ) % {"record": record, "changes": " ".join(changes)}

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        opts = self.model._meta
        try:
            pk = opts.pk.to_python(unquote(object_id))
            version = get_history_manager_for_model(self.model).filter(
                history_id=int(version_id), **{opts.pk.attname: pk}
            )
        except (ValidationError, ValueError):
            version = None
        if version is None or not version.exists():
            # simple-history answers 404 for a version that is not this record's
            return super().history_form_view(request, object_id, version_id, extra_context)
        current = self.model._default_manager.filter(pk=pk).first()
        if current is not None and self.has_change_permission(request, current):
            # Only a form that may revert is prepared for it; a read-only one shows the old
            # version as it was.
            request._revert_current = current
        if request.method != "POST":
            context = {**(extra_context or {}), "record_version": self.record_version(pk)}
            return super().history_form_view(request, object_id, version_id, context)
        with transaction.atomic(using=router.db_for_write(self.model)):
            refusal = self._refuse_stale(request, pk)
            if refusal is not None:
                return refusal
            context = {**(extra_context or {}), "record_version": self.record_version(pk)}
            return super().history_form_view(request, object_id, version_id, context)

    def get_form(self, request, obj=None, *args, **kwargs):
        # The revert form is built from the old version: this is the one place to adjust it
        # before its fields take their initial values from it.
        current = getattr(request, "_revert_current", None)
        if current is not None and obj is not None and obj is not current:
            prepare = getattr(obj, "prepare_revert", None)
            if prepare is not None:
                prepare(current)
        return super().get_form(request, obj, *args, **kwargs)
