"""Progress of campaigns, computed in the database: one place for every total the public pages
and the reports show. Each function takes querysets (so a report can narrow them to a period or a
branch subtree) and returns plain data; nothing here loops over rows in Python.

Definitions, as the committee counts them:
- only received gifts count; pledges are reported apart;
- members' own money: money given directly by a member to a body the campaign collects for;
- given apart: money given directly by a member to any other body (e.g. 江苏省慈善总会);
- facilitated: money or goods a member brought about through an enterprise — always apart;
- other donors: money given directly by an enterprise or an outsider.
"""

from decimal import Decimal
from itertools import accumulate

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from campaigns.models import (
    Assignment,
    BloodDonation,
    Campaign,
    Donation,
    Goal,
    GoodsLine,
    Posting,
)

ZERO = Decimal("0.00")
RECEIVED = Q(state=Donation.State.RECEIVED)
MONEY = Q(form=Donation.Form.MONEY)
DIRECT_FROM_MEMBER = Q(channel=Donation.Channel.DIRECT, member__isnull=False)
FACILITATED = Q(channel=Donation.Channel.FACILITATED)
OTHER_DONORS = Q(channel=Donation.Channel.DIRECT, member__isnull=True)


def with_designation(donations: QuerySet) -> QuerySet:
    """Annotate ``designated``: whether the gift went to a body its campaign collects for."""
    through = Campaign.recipients.through
    return donations.annotate(
        designated=Exists(
            through.objects.filter(
                campaign_id=OuterRef("campaign_id"), recipient_id=OuterRef("recipient_id")
            )
        )
    )


def _money(condition: Q):
    return Coalesce(Sum("amount", filter=condition), ZERO)


def money_totals(donations: QuerySet) -> dict:
    """One query: the money figures of the given donations."""
    own = RECEIVED & MONEY & DIRECT_FROM_MEMBER
    return with_designation(donations).aggregate(
        members_own=_money(own & Q(designated=True)),
        given_apart=_money(own & Q(designated=False)),
        facilitated=_money(RECEIVED & MONEY & FACILITATED),
        other_donors=_money(RECEIVED & MONEY & OTHER_DONORS),
        pledged=_money(Q(state=Donation.State.PLEDGED) & MONEY),
        pledged_count=Count("pk", filter=Q(state=Donation.State.PLEDGED)),
        donations=Count("pk", filter=RECEIVED),
        member_donors=Count("member", distinct=True, filter=RECEIVED & DIRECT_FROM_MEMBER),
    )


def money_by_recipient(donations: QuerySet) -> list[dict]:
    """Received money per body, members' own (collected for, or apart) and facilitated."""
    rows = (
        with_designation(donations.filter(RECEIVED & MONEY))
        .values("recipient__name", "designated")
        .annotate(
            members_own=_money(DIRECT_FROM_MEMBER),
            facilitated=_money(FACILITATED),
            other_donors=_money(OTHER_DONORS),
            gifts=Count("pk"),
        )
        .order_by("-designated", "-members_own", "recipient__name")
    )
    return [
        {
            "recipient": row["recipient__name"],
            "designated": row["designated"],
            "members_own": row["members_own"],
            "facilitated": row["facilitated"],
            "other_donors": row["other_donors"],
            "gifts": row["gifts"],
        }
        for row in rows
    ]


def goods_by_item(donations: QuerySet) -> list[dict]:
    """Received goods per item and unit, with estimated value; facilitated lines apart."""
    rows = (
        GoodsLine.objects.filter(donation__in=donations.filter(RECEIVED))
        .values("item", "unit", "donation__channel")
        .annotate(quantity=Sum("quantity"), estimated_value=Sum("estimated_value"))
        .order_by("donation__channel", "item", "unit")
    )
    return [
        {
            "item": row["item"],
            "unit": row["unit"],
            "quantity": row["quantity"],
            "estimated_value": row["estimated_value"],
            "facilitated": row["donation__channel"] == Donation.Channel.FACILITATED,
        }
        for row in rows
    ]


def goods_value(donations: QuerySet) -> dict:
    return GoodsLine.objects.filter(donation__in=donations.filter(RECEIVED)).aggregate(
        direct=Coalesce(
            Sum("estimated_value", filter=~Q(donation__channel=Donation.Channel.FACILITATED)),
            ZERO,
        ),
        facilitated=Coalesce(
            Sum("estimated_value", filter=Q(donation__channel=Donation.Channel.FACILITATED)),
            ZERO,
        ),
    )


def blood_totals(blood_donations: QuerySet) -> dict:
    """Counts and totals only: blood data is never reported per person."""
    donated = Q(state=BloodDonation.State.DONATED)
    return blood_donations.aggregate(
        donors=Count("member", distinct=True, filter=donated),
        donations=Count("pk", filter=donated),
        ml=Coalesce(Sum("volume_ml", filter=donated), 0),
        pledged=Count("pk", filter=Q(state=BloodDonation.State.PLEDGED)),
    )


def volunteer_totals(assignments: QuerySet, postings: QuerySet) -> dict:
    totals = assignments.aggregate(
        people=Count("member", distinct=True),
        assignments=Count("pk"),
        days=Coalesce(Sum("days_served"), 0),
        hours=Coalesce(Sum("hours_logged"), Decimal("0.0")),
        confirmed_hours=Coalesce(Sum("hours_logged", filter=Q(confirmed=True)), Decimal("0.0")),
    )
    totals.update(
        postings.aggregate(postings=Count("pk"), posts_needed=Coalesce(Sum("people_needed"), 0))
    )
    return totals


def daily_money_series(donations: QuerySet) -> list[dict]:
    """Received money (not facilitated) per day with its running total, for the chart.

    The database sums each day; the running total over those few dozen day rows is added here.
    """
    rows = (
        donations.filter(RECEIVED & MONEY & ~FACILITATED)
        .values("date")
        .annotate(amount=Sum("amount"))
        .order_by("date")
    )
    days = [{"date": row["date"], "amount": row["amount"]} for row in rows]
    for day, running in zip(days, accumulate(day["amount"] for day in days), strict=True):
        day["cumulative"] = running
    return days


def goal_values(campaign: Campaign, figures: dict) -> list[dict]:
    """Each goal of the campaign with the figure it is measured by and the share reached."""
    measured = {
        Goal.Metric.AMOUNT: figures.get("money", {}).get("members_own"),
        Goal.Metric.DONORS: figures.get("blood", {}).get("donors")
        if campaign.kind == Campaign.Kind.BLOOD
        else figures.get("money", {}).get("member_donors"),
        Goal.Metric.DONATIONS: figures.get("money", {}).get("donations"),
        Goal.Metric.BLOOD_ML: figures.get("blood", {}).get("ml"),
        Goal.Metric.PEOPLE_POSTED: figures.get("volunteers", {}).get("people"),
    }
    goals = []
    for goal in campaign.goals.all():
        value = Decimal(measured[goal.metric] or 0)
        goals.append(
            {
                "metric": goal.metric,
                "label": goal.get_metric_display(),
                "target": goal.target,
                "value": value,
                "percent": min(int(value * 100 / goal.target), 100),
            }
        )
    return goals


def campaign_progress(campaign: Campaign) -> dict:
    """Everything the campaign page shows, in a fixed number of queries."""
    figures = {}
    if campaign.kind == Campaign.Kind.DONATION:
        donations = Donation.objects.filter(campaign=campaign)
        figures["money"] = money_totals(donations)
        figures["by_recipient"] = money_by_recipient(donations)
        figures["goods"] = goods_by_item(donations)
        figures["goods_value"] = goods_value(donations)
        figures["series"] = daily_money_series(donations)
    elif campaign.kind == Campaign.Kind.BLOOD:
        figures["blood"] = blood_totals(BloodDonation.objects.filter(campaign=campaign))
    else:
        figures["volunteers"] = volunteer_totals(
            Assignment.objects.filter(posting__campaign=campaign),
            Posting.objects.filter(campaign=campaign),
        )
    figures["goals"] = goal_values(campaign, figures)
    return figures
