"""The campaigns' kinds of contribution, registered in CampaignsConfig.ready()
(see members/contributions.py): donors, blood donors, volunteers.

What the public reads is the campaign's title (and a volunteer's places); a member's own page
also shows their amounts, and their own blood donations, which nobody else sees.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.models import (
    SIGNUP_OPEN_STATES,
    Assignment,
    BloodDonation,
    Campaign,
    Donation,
    PostingSignup,
)
from campaigns.progress import counted_blood, waiting_blood
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
from portal import public_cache
from portal.templatetags.portal_format import figure, money

# Only records of published campaigns reach the roll: a draft's title, or a gift to it, is not
# public yet.


def _gifts(campaign_id):
    # Received and not anonymous: an anonymous gift never puts its giver on the roll.
    received = Donation.objects.filter(
        state=Donation.State.RECEIVED, anonymous=False, campaign__in=Campaign.objects.public()
    )
    return in_campaign(received, campaign_id)


def _blood(campaign_id):
    # Donors join the roll in the steps their drive's public figures move by: a name appearing
    # alone would say who gave blood that day. What waits is read once per version of the public
    # data: ranking every drive's donors in each of the roll's subqueries took seconds at scale.
    campaign_ids = None if campaign_id is None else [campaign_id]
    waiting = public_cache.cached(
        "blood-waiting", campaign_id, compute=lambda: waiting_blood(campaign_ids)
    )
    counted = BloodDonation.objects.filter(counted_blood(waiting))
    return in_campaign(counted.filter(campaign__in=Campaign.objects.public()), campaign_id)


def _assignments(campaign_id):
    posted = Assignment.objects.filter(posting__campaign__in=Campaign.objects.public())
    return in_campaign(posted, campaign_id, "posting__campaign_id")


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
    register(
        ContributionKind(
            key="donors",
            label=_("Donors"),
            order=20,
            condition=lambda campaign_id: had(_gifts(campaign_id)),
            summary=lambda campaign_id: joined(_gifts(campaign_id), "campaign__title"),
            own=_own_gifts,
        )
    )
    register(
        ContributionKind(
            key="blood_donors",
            label=_("Blood donors"),
            order=30,
            condition=lambda campaign_id: had(_blood(campaign_id)),
            summary=lambda campaign_id: joined(_blood(campaign_id), "campaign__title"),
            own=_own_blood,
        )
    )
    register(
        ContributionKind(
            key="volunteers",
            label=_("Volunteers"),
            order=40,
            condition=lambda campaign_id: had(_assignments(campaign_id)),
            summary=lambda campaign_id: joined(_assignments(campaign_id), "posting__place"),
            own=_own_assignments,
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
