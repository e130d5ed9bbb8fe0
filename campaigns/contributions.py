"""The campaigns' kinds of contribution, registered in CampaignsConfig.ready()
(see members/contributions.py): donors, blood donors, volunteers.

What the public reads is the campaign's title (and a volunteer's places); a member's own page
also shows their amounts, and their own blood donations, which nobody else sees.
"""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.models import (
    SIGNUP_OPEN_STATES,
    Assignment,
    BloodDonation,
    BloodDonorTally,
    BloodStep,
    Campaign,
    Donation,
    DonorTally,
    MemberRoll,
    PostingSignup,
    RollTally,
    VolunteerTally,
)
from campaigns.services import open_postings
from members.contributions import (
    ContributionKind,
    MemberPanel,
    had,
    in_campaign,
    joined,
    register,
    register_panel,
)
from portal.templatetags.portal_format import figure, money

# Only records of published campaigns reach the roll: a draft's title, or a gift to it, is not
# public yet.


def _on_roll(flag: str):
    """Whether the member is on the whole roll for a kind, from their kept flags
    (campaigns/tallies.py ``MemberRoll``), and how many listable members are."""

    def condition() -> Q:
        return Q(Exists(MemberRoll.objects.filter(member=OuterRef("pk"), **{flag: True})))

    def count() -> int:
        # Kept as the roll moves (``RollTally``): counting the flags read every member.
        counted = RollTally.objects.filter(kind=flag).values_list("listed", flat=True).first()
        return counted or 0

    return condition, count


def _gifts(campaign_id):
    # A received gift not marked anonymous, from the campaign's donor tally
    # (campaigns/tallies.py): an anonymous gift never puts its giver on the roll.
    named = DonorTally.objects.filter(named__gt=0, campaign__in=Campaign.objects.public())
    return in_campaign(named, campaign_id)


def _blood(campaign_id):
    # Donors join the roll in the steps their drive's public figures move by (its BloodStep,
    # campaigns/tallies.py): a name appearing alone would say who gave blood that day.
    cutoff = BloodStep.objects.filter(campaign=OuterRef("campaign"), counted_donors__gt=0)
    counted = BloodDonorTally.objects.filter(
        donations__gt=0,
        first_recorded__lte=Subquery(cutoff.values("cutoff")[:1]),
        campaign__in=Campaign.objects.public(),
    )
    return in_campaign(counted, campaign_id)


def _assignments(campaign_id):
    posted = VolunteerTally.objects.filter(
        assignments__gt=0, campaign__in=Campaign.objects.public()
    )
    return in_campaign(posted, campaign_id)


def _own_gifts(member):
    rows = Donation.objects.filter(member=member).select_related("campaign", "recipient")
    return [
        {
            "date": gift.date,
            "title": gift.campaign.title,
            "detail": " · ".join(
                str(part)
                for part in (
                    gift.recipient,
                    money(gift.amount) if gift.amount is not None else gift.get_form_display(),
                    gift.get_channel_display()
                    if gift.channel == Donation.Channel.FACILITATED
                    else "",
                    gift.get_state_display(),
                    _("anonymous") if gift.anonymous else "",
                )
                if part
            ),
        }
        for gift in rows.order_by("-date", "-pk")
    ]


def _own_blood(member):
    rows = BloodDonation.objects.filter(member=member).select_related("campaign")
    return [
        {
            "date": blood.date,
            "title": blood.campaign.title,
            "detail": " · ".join(
                [
                    blood.station,
                    gettext("%(ml)s ml") % {"ml": blood.volume_ml},
                    blood.get_component_display(),
                    blood.get_state_display(),
                ]
            ),
        }
        for blood in rows.order_by("-date", "-pk")
    ]


def _own_assignments(member):
    rows = Assignment.objects.filter(member=member).select_related("posting__campaign")
    return [
        {
            "date": assignment.starts_on,
            "title": assignment.posting.campaign.title,
            "detail": " · ".join(
                [
                    assignment.posting.place,
                    f"{date_format(assignment.starts_on)} – {date_format(assignment.ends_on)}",
                    gettext("%(days)s days served, %(hours)s hours")
                    % {
                        "days": figure(assignment.days_served),
                        "hours": figure(assignment.hours_logged),
                    },
                ]
            ),
        }
        for assignment in rows.order_by("-starts_on", "-pk")
    ]


def register_campaign_kinds() -> None:
    for key, label, order, records, words, flag, own in [
        ("donors", _("Donors"), 20, _gifts, "campaign__title", "donor", _own_gifts),
        (
            "blood_donors",
            _("Blood donors"),
            30,
            _blood,
            "campaign__title",
            "blood_donor",
            _own_blood,
        ),
        ("volunteers", _("Volunteers"), 40, _assignments, "places", "volunteer", _own_assignments),
    ]:
        on_roll, count = _on_roll(flag)
        register(
            ContributionKind(
                key=key,
                label=label,
                order=order,
                # The whole roll reads the kept flags; a campaign's, that campaign's tallies.
                condition=lambda campaign_id, records=records, on_roll=on_roll: (
                    on_roll() if campaign_id is None else had(records(campaign_id))
                ),
                summary=lambda campaign_id, records=records, words=words: joined(
                    records(campaign_id), words
                ),
                own=own,
                count_all=count,
            )
        )
    register_panel(
        MemberPanel(order=10, template="campaigns/includes/me_postings.html", context=_postings)
    )


def _postings(member) -> dict:
    """The member's pending and accepted sign-ups, and the postings still open to them."""
    signups = (
        PostingSignup.objects.filter(member=member, state__in=SIGNUP_OPEN_STATES)
        .select_related("posting__campaign")
        .order_by("-created_at")
    )
    postings = open_postings(member=member).order_by("starts_on", "place")
    return {"signups": list(signups), "open_postings": list(postings)}
