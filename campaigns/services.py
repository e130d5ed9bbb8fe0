"""Members' sign-ups for volunteer postings: the only code that moves a sign-up's state; and
staff confirming the hours volunteers logged.

A member signs up for a posting open to them (``open_postings``) and may withdraw while the
sign-up is pending; staff accept it, which records the assignment under the Assignment's own
rules, or decline it. Each function checks its rules on the server (a ValidationError naming the
field), runs in one transaction and locks the rows two people could change at once: the member
(two sign-ups or two accepted assignments of one member) and the sign-up itself (two staff
deciding it). Saves go through the models, so simple-history keeps who changed what.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from campaigns.models import (
    SIGNUP_OPEN_STATES,
    Assignment,
    Campaign,
    CampaignStatus,
    Posting,
    PostingSignup,
)
from members.models import Member, User

State = PostingSignup.State


def _taking_signups() -> QuerySet[Posting]:
    """Postings of a published, open campaign that have not ended."""
    return Posting.objects.filter(
        campaign__in=Campaign.objects.public().filter(status=CampaignStatus.OPEN)
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()))


def open_postings(*, member: Member) -> QuerySet[Posting]:
    """Postings ``member`` may sign up for, each annotated with ``posted``, the number of
    members assigned there: campaign published and open, posting not ended, fewer members
    posted than it needs, and no pending or accepted sign-up of the member there. One query."""
    signed_up = PostingSignup.objects.filter(
        posting=OuterRef("pk"), member=member, state__in=SIGNUP_OPEN_STATES
    )
    return (
        _taking_signups()
        .exclude(Exists(signed_up))
        .annotate(posted=Count("assignments__member", distinct=True))
        .filter(posted__lt=F("people_needed"))
        .select_related("campaign")
    )


def posting_signup_check_open(*, member: Member, posting: Posting) -> None:
    """Raise, on ``posting``, unless the posting is open to ``member`` (see ``open_postings``),
    saying why."""
    if open_postings(member=member).filter(pk=posting.pk).exists():
        return
    names = {"place": posting.place, "member": member.name}
    if posting.signups.filter(member=member, state__in=SIGNUP_OPEN_STATES).exists():
        message = _("%(member)s has already signed up for %(place)s.") % names
    elif not _taking_signups().filter(pk=posting.pk).exists():
        message = _("%(place)s is not open for sign-up.") % names
    else:
        message = _("%(place)s already has all the people it needs.") % names
    raise ValidationError({"posting": message})


@transaction.atomic
def posting_signup_create(
    *,
    member: Member,
    posting: Posting,
    starts_on: datetime.date,
    ends_on: datetime.date,
    note: str = "",
) -> PostingSignup:
    """Sign ``member`` up for ``posting`` on the dates they offer; the sign-up is pending."""
    # One sign-up of a member at a time: a second submit waits, then finds the first.
    Member.objects.select_for_update().get(pk=member.pk)
    posting_signup_check_open(member=member, posting=posting)
    signup = PostingSignup(
        member=member, posting=posting, starts_on=starts_on, ends_on=ends_on, note=note
    )
    signup.full_clean()
    signup.save()
    return signup


def _locked(signup: PostingSignup) -> PostingSignup:
    return (
        PostingSignup.objects.select_for_update(of=("self",))
        .select_related("member", "posting")
        .get(pk=signup.pk)
    )


def _refuse_unless_pending(signup: PostingSignup, message: str) -> None:
    if signup.state != State.PENDING:
        raise ValidationError(
            message % {"place": signup.posting.place, "state": signup.get_state_display()}
        )


@transaction.atomic
def posting_signup_withdraw(*, signup: PostingSignup, member: Member) -> PostingSignup:
    """The member takes back their own pending sign-up."""
    signup = _locked(signup)
    if signup.member_id != member.pk:
        raise ValidationError(_("This sign-up is not yours."))
    _refuse_unless_pending(
        signup, _("The sign-up for %(place)s is %(state)s and can no longer be withdrawn.")
    )
    signup.state = State.WITHDRAWN
    signup._change_reason = _("Withdrawn")
    if member.user_id:
        signup._history_user = member.user
    signup.save()
    return signup


@transaction.atomic
def posting_signup_accept(
    *, signup: PostingSignup, user: User, days_served: int = 0
) -> PostingSignup:
    """Post the member on the dates they offered: records the assignment (under its own rules:
    no overlap with another of the member's assignments) and marks the sign-up accepted."""
    # The member first: two staff accepting two sign-ups of one member wait for each other, so
    # the second sees the first's assignment when checking overlaps.
    Member.objects.select_for_update().get(pk=signup.member_id)
    signup = _locked(signup)
    _refuse_unless_pending(
        signup, _("This sign-up is %(state)s; only a pending one can be accepted.")
    )
    assignment = Assignment(
        posting=signup.posting,
        member=signup.member,
        starts_on=signup.starts_on,
        ends_on=signup.ends_on,
        days_served=days_served,
    )
    # Both checked before anything is saved: a refusal leaves no half-made record.
    signup.full_clean()
    assignment.full_clean()
    assignment._history_user = user
    assignment._change_reason = _("Sign-up accepted")
    assignment.save()
    _decide(signup, State.ACCEPTED, user=user, reason=_("Sign-up accepted"))
    signup.assignment = assignment
    signup.save()
    return signup


@transaction.atomic
def posting_signup_decline(*, signup: PostingSignup, user: User, note: str = "") -> PostingSignup:
    """Decline a pending sign-up; ``note`` (why) is kept as the history's change reason."""
    signup = _locked(signup)
    _refuse_unless_pending(
        signup, _("This sign-up is %(state)s; only a pending one can be declined.")
    )
    _decide(signup, State.DECLINED, user=user, reason=note or _("Sign-up declined"))
    signup.save()
    return signup


def _decide(signup: PostingSignup, state: str, *, user: User, reason: str) -> None:
    signup.state = state
    signup.decided_by = user
    signup.decided_at = timezone.now()
    signup._history_user = user
    # The history's change reason holds at most 100 characters.
    signup._change_reason = reason[:100]


@dataclass(frozen=True)
class AlreadyConfirmed:
    """Hours someone confirmed before: who (None when the history does not say) and when."""

    assignment: Assignment
    by: User | None
    at: datetime.datetime | None


@dataclass
class HoursConfirmation:
    confirmed: list[Assignment] = field(default_factory=list)
    already: list[AlreadyConfirmed] = field(default_factory=list)


@transaction.atomic
def assignments_confirm_hours(*, assignments: QuerySet, user: User) -> HoursConfirmation:
    """Confirm, as ``user``, the hours of those ``assignments`` not confirmed yet; the others
    are returned with who confirmed them and when.

    Hours are confirmed once, by one person: the rows are locked (in id order, so that two
    overlapping selections do not deadlock) and read again once locked, so that of two staff
    confirming at once the second waits for the first, then finds the hours confirmed, and
    neither its change nor its name reaches the history.
    """
    locked = list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(pk__in=assignments.values("pk"))
        .select_related("member", "posting")
        .order_by("pk")
    )
    result = HoursConfirmation()
    for assignment in locked:
        (result.already if assignment.confirmed else result.confirmed).append(assignment)
    for assignment in result.confirmed:
        assignment.confirmed = True
    bulk_update_with_history(
        result.confirmed,
        Assignment,
        ["confirmed"],
        default_user=user,
        default_change_reason=_("Hours confirmed"),
    )
    confirmers = _confirmers([assignment.pk for assignment in result.already])
    result.already = [
        AlreadyConfirmed(assignment, *confirmers.get(assignment.pk, (None, None)))
        for assignment in result.already
    ]
    return result


def _confirmers(ids: list[int]) -> dict[int, tuple[User | None, datetime.datetime]]:
    """{assignment id: (who, when)} of the history row that last confirmed each one: the first
    confirmed row after its last unconfirmed one (there is none when it was added confirmed)."""
    history = Assignment.history.model.objects
    last_unconfirmed = (
        history.filter(id=OuterRef("id"), confirmed=False)
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    rows = (
        history.filter(id__in=ids, confirmed=True)
        .alias(after=Coalesce(Subquery(last_unconfirmed), 0))
        .filter(history_id__gt=F("after"))
        .select_related("history_user")
        .order_by("id", "history_id")
        .distinct("id")
    )
    return {row.id: (row.history_user, row.history_date) for row in rows}
