"""The suggestion workflow: the only code that changes a suggestion's state.

received → under review → forwarded → adopted / not adopted; merged into another; withdrawn by
its author. Each function checks its rules on the server (a ValidationError naming the field),
locks the row so two clerks cannot move it at once, saves through the model (so simple-history
keeps the edit) and records the move with who, when and a note (``StateChange``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suggestions.models import Forwarding, HigherBody, StateChange, Suggestion

State = Suggestion.State

# States from which each move may start.
MAY_REVIEW = {State.RECEIVED}
MAY_FORWARD = {
    State.RECEIVED,
    State.UNDER_REVIEW,
    State.FORWARDED,
    State.ADOPTED,
    State.NOT_ADOPTED,
}
MAY_MERGE = {State.RECEIVED, State.UNDER_REVIEW}
MAY_WITHDRAW = {State.RECEIVED, State.UNDER_REVIEW}


def _locked(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


def _refuse_if_others_merged_in(suggestion: Suggestion) -> None:
    # Suggestions merged into this one travel with it: it cannot be withdrawn or merged away.
    if suggestion.merged.exists():
        raise ValidationError(
            _("Other suggestions were merged into 《%(title)s》: it carries them on.")
            % {"title": suggestion.title}
        )


def _state_after_answers(suggestion: Suggestion) -> str:
    """Adopted if any body adopted it; not adopted once every body answered and none did;
    forwarded while an answer is awaited."""
    answers = list(suggestion.forwardings.values_list("adopted", flat=True))
    if True in answers:
        return State.ADOPTED
    if answers and None not in answers:
        return State.NOT_ADOPTED
    return State.FORWARDED


def _refuse_unless(suggestion: Suggestion, allowed: set, message: str) -> None:
    if suggestion.state not in allowed:
        raise ValidationError(
            message % {"title": suggestion.title, "state": suggestion.get_state_display()}
        )


def _move(suggestion: Suggestion, to_state: str, *, user, note: str, reason: str) -> None:
    change = StateChange(
        suggestion=suggestion,
        from_state=suggestion.state,
        to_state=to_state,
        changed_by=user,
        note=note,
    )
    suggestion.state = to_state
    suggestion._change_reason = reason
    suggestion.save()
    change.save()


def suggestion_record_receipt(*, suggestion: Suggestion, user, note: str = "") -> None:
    """The first entry of a new suggestion's log: received."""
    StateChange.objects.create(
        suggestion=suggestion, from_state="", to_state=State.RECEIVED, changed_by=user, note=note
    )


@transaction.atomic
def suggestion_review(*, suggestion: Suggestion, user, note: str = "") -> Suggestion:
    suggestion = _locked(suggestion)
    _refuse_unless(
        suggestion, MAY_REVIEW, _("《%(title)s》 is %(state)s; only a received one goes to review.")
    )
    _move(suggestion, State.UNDER_REVIEW, user=user, note=note, reason=_("Review started"))
    return suggestion


@transaction.atomic
def suggestion_forward(
    *,
    suggestion: Suggestion,
    body: HigherBody | None,
    forwarded_on: datetime.date | None,
    document_no: str = "",
    user,
    note: str = "",
) -> Forwarding:
    """Send the suggestion to a higher body; a first forwarding makes it "forwarded"."""
    errors = {}
    if body is None:
        errors["body"] = _("Choose the body the suggestion is forwarded to.")
    if forwarded_on is None:
        errors["forwarded_on"] = _("Give the date it was forwarded.")
    if errors:
        raise ValidationError(errors)
    suggestion = _locked(suggestion)
    _refuse_unless(
        suggestion,
        MAY_FORWARD,
        _("《%(title)s》 is %(state)s and cannot be forwarded."),
    )
    if forwarded_on < suggestion.received_on:
        raise ValidationError(
            {
                "forwarded_on": _("《%(title)s》 was only received on %(date)s.")
                % {"title": suggestion.title, "date": suggestion.received_on}
            }
        )
    if suggestion.forwardings.filter(body=body).exists():
        raise ValidationError(
            {
                "body": _("《%(title)s》 is already forwarded to %(body)s.")
                % {"title": suggestion.title, "body": body}
            }
        )
    forwarding = Forwarding(
        suggestion=suggestion, body=body, forwarded_on=forwarded_on, document_no=document_no
    )
    forwarding._change_reason = note
    forwarding.save()
    to_state = _state_after_answers(suggestion)
    if suggestion.state != to_state:
        _move(
            suggestion,
            to_state,
            user=user,
            note=note,
            reason=_("Forwarded to %(body)s") % {"body": body},
        )
    return forwarding


@transaction.atomic
def suggestion_answer(
    *, suggestion: Suggestion, body: HigherBody, adopted: bool, feedback: str = "", user, note=""
) -> Forwarding:
    """Record a body's answer. Adopted by any body makes the suggestion adopted."""
    suggestion = _locked(suggestion)
    forwarding = suggestion.forwardings.filter(body=body).first()
    if forwarding is None:
        raise ValidationError(
            {
                "body": _("《%(title)s》 was not forwarded to %(body)s: forward it first.")
                % {"title": suggestion.title, "body": body}
            }
        )
    forwarding.adopted = adopted
    if feedback:
        forwarding.feedback = feedback
    forwarding.save()
    to_state = _state_after_answers(suggestion)
    if suggestion.state != to_state:
        reason = {
            State.ADOPTED: _("Adopted"),
            State.NOT_ADOPTED: _("Not adopted"),
            State.FORWARDED: _("Answer recorded"),
        }[to_state]
        _move(suggestion, to_state, user=user, note=note or feedback, reason=reason)
    return forwarding


@transaction.atomic
def suggestion_merge(*, suggestion: Suggestion, into: Suggestion, user, note: str = ""):
    """Fold a suggestion into a similar one, which carries it from then on."""
    if into.pk == suggestion.pk:
        raise ValidationError({"into": _("A suggestion cannot be merged into itself.")})
    # Both rows locked, always in the same order, so two opposite merges cannot deadlock.
    rows = Suggestion.objects.select_for_update().filter(pk__in=[suggestion.pk, into.pk])
    locked = {row.pk: row for row in rows.order_by("pk")}
    suggestion, into = locked[suggestion.pk], locked[into.pk]
    _refuse_unless(
        suggestion, MAY_MERGE, _("《%(title)s》 is %(state)s and can no longer be merged.")
    )
    _refuse_if_others_merged_in(suggestion)
    if into.state in (State.MERGED, State.WITHDRAWN):
        raise ValidationError(
            {
                "into": _("《%(title)s》 is %(state)s: merge into a living suggestion.")
                % {"title": into.title, "state": into.get_state_display()}
            }
        )
    suggestion.merged_into = into
    _move(
        suggestion,
        State.MERGED,
        user=user,
        note=note,
        reason=_("Merged into 《%(title)s》") % {"title": into.title},
    )
    return suggestion


@transaction.atomic
def suggestion_withdraw(*, suggestion: Suggestion, user, note: str = "") -> Suggestion:
    """Withdrawn by its author (or by staff at the author's request) before it is forwarded."""
    suggestion = _locked(suggestion)
    _refuse_unless(
        suggestion,
        MAY_WITHDRAW,
        _("《%(title)s》 is %(state)s and can no longer be withdrawn."),
    )
    _refuse_if_others_merged_in(suggestion)
    _move(suggestion, State.WITHDRAWN, user=user, note=note, reason=_("Withdrawn"))
    return suggestion


@transaction.atomic
def suggestion_submit(*, member, user, title, topic, text, co_authors=(), call=None, files=()):
    """A member's own suggestion from the form: their branch's, with co-authors from it."""
    strangers = [author for author in co_authors if author.branch_id != member.branch_id]
    if strangers:
        raise ValidationError({"co_authors": _("Co-authors must be members of your branch.")})
    suggestion = Suggestion.objects.create(
        title=title,
        topic=topic,
        text=text,
        call=call,
        branch=member.branch,
        received_on=timezone.localdate(),
        source=Suggestion.Source.FORM,
        submitted_by=user,
    )
    suggestion.authors.set([member, *co_authors])
    for upload in files:
        suggestion.attachments.create(file=upload)
    suggestion_record_receipt(suggestion=suggestion, user=user)
    return suggestion
