"""Progress of campaigns, computed in the database: one place for every total the public pages
and the reports show. Most functions take querysets (so a report can narrow them to a period or a
branch subtree) and return plain data; nothing here loops over rows in Python. The list page
asks for the figures of many campaigns at once (``figures_by_campaign``): the same aggregates,
grouped by campaign, so the page costs the same few queries however many campaigns it shows.

Definitions, as the committee counts them:
- only received gifts count; pledges are reported apart;
- members' own money: money given directly by a member to a body the campaign collects for;
- given apart: money given directly by a member to any other body (e.g. 江苏省慈善总会);
- facilitated: money or goods a member brought about through an enterprise — always apart;
- other donors: money given directly by an enterprise or an outsider.
"""

from decimal import Decimal
from itertools import accumulate

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from campaigns.models import (
    Assignment,
    BloodDonation,
    Campaign,
    Donation,
    Goal,
    GoodsLine,
    Posting,
)
from members.models import Member

ZERO = Decimal("0.00")
# Below this many blood donors a total (ml) or a day's count could tell one person's donation,
# which is health data: the public page then shows the number of donors only.
MIN_BLOOD_DONORS_FOR_TOTALS = 5
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


def _money_figures() -> dict:
    own = RECEIVED & MONEY & DIRECT_FROM_MEMBER
    return {
        "members_own": _money(own & Q(designated=True)),
        "given_apart": _money(own & Q(designated=False)),
        "facilitated": _money(RECEIVED & MONEY & FACILITATED),
        "other_donors": _money(RECEIVED & MONEY & OTHER_DONORS),
        "pledged": _money(Q(state=Donation.State.PLEDGED) & MONEY),
        "pledged_count": Count("pk", filter=Q(state=Donation.State.PLEDGED) & MONEY),
        "donations": Count("pk", filter=RECEIVED),
        "member_donors": Count("member", distinct=True, filter=RECEIVED & DIRECT_FROM_MEMBER),
    }


def money_totals(donations: QuerySet) -> dict:
    """One query: the money figures of the given donations."""
    return with_designation(donations).aggregate(**_money_figures())


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


def _blood_figures() -> dict:
    donated = Q(state=BloodDonation.State.DONATED)
    return {
        "donors": Count("member", distinct=True, filter=donated),
        "donations": Count("pk", filter=donated),
        "ml": Coalesce(Sum("volume_ml", filter=donated), 0),
        "pledged": Count("pk", filter=Q(state=BloodDonation.State.PLEDGED)),
    }


def blood_totals(blood_donations: QuerySet) -> dict:
    """Counts and totals only: blood data is never reported per person."""
    return blood_donations.aggregate(**_blood_figures())


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


def daily_series(records: QuerySet, value) -> list[dict]:
    """``value`` (an aggregate) per day of the records' ``date``, with its running total.

    The database sums each day; the running total over those few dozen day rows is added here.
    """
    rows = records.values("date").annotate(value=value).order_by("date")
    days = [{"date": row["date"], "value": row["value"]} for row in rows]
    for day, running in zip(days, accumulate(day["value"] for day in days), strict=True):
        day["cumulative"] = running
    return days


def daily_money_series(donations: QuerySet) -> list[dict]:
    """Received money, facilitated gifts aside, per day: the donation drive's chart."""
    return daily_series(donations.filter(RECEIVED & MONEY & ~FACILITATED), Sum("amount"))


def daily_blood_series(blood_donations: QuerySet) -> list[dict]:
    """Donations given per day: the blood drive's chart (a count, never a person)."""
    return daily_series(blood_donations.filter(state=BloodDonation.State.DONATED), Count("pk"))


def daily_posting_series(assignments: QuerySet) -> list[dict]:
    """Members starting an assignment per day: the volunteer drive's chart."""
    return daily_series(assignments.annotate(date=F("starts_on")), Count("pk"))


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
    blood_donors = figures.get("blood", {}).get("donors", 0)
    goals = []
    for goal in campaign.goals.all():
        if goal.metric == Goal.Metric.BLOOD_ML and blood_donors < MIN_BLOOD_DONORS_FOR_TOTALS:
            continue  # the volume is withheld while it could tell one person's donation
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


def postings_filled(postings: QuerySet) -> list[dict]:
    """Each posting with the number of members posted there."""
    rows = postings.annotate(posted=Count("assignments__member", distinct=True)).order_by(
        "district", "place", "pk"
    )
    return [
        {
            "place": posting.place,
            "place_kind": posting.get_place_kind_display(),
            "district": posting.district,
            "duties": posting.duty_labels,
            "starts_on": posting.starts_on,
            "ends_on": posting.ends_on,
            "people_needed": posting.people_needed,
            "posted": posting.posted,
        }
        for posting in rows
    ]


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
        blood_donations = BloodDonation.objects.filter(campaign=campaign)
        figures["blood"] = blood_totals(blood_donations)
        figures["series"] = daily_blood_series(blood_donations)
        if figures["blood"]["donors"] < MIN_BLOOD_DONORS_FOR_TOTALS:
            figures["blood"]["ml"] = None
            figures["series"] = []
            figures["withheld"] = True
    else:
        postings = Posting.objects.filter(campaign=campaign)
        assignments = Assignment.objects.filter(posting__campaign=campaign)
        figures["volunteers"] = volunteer_totals(assignments, postings)
        figures["postings"] = postings_filled(postings)
        figures["series"] = daily_posting_series(assignments)
    figures["goals"] = goal_values(campaign, figures)
    return figures


def campaign_page(campaign: Campaign, number: int, per_page: int) -> dict:
    """Everything a campaign's public page shows, as plain data a cache can keep: its figures,
    one page of the members it may name, how many took part unnamed, when it last changed."""
    figures = campaign_progress(campaign)
    paginator = Paginator(named_participants(campaign), per_page)
    page = paginator.get_page(number)
    participants = [
        {
            "name": member.name,
            "branch": str(member.branch),
            "places": getattr(member, "places", ""),
            "given": getattr(member, "given", None),
        }
        for member in page
    ]
    return {
        "figures": figures,
        "participants": participants,
        "number": page.number,
        "named": paginator.count,
        "unnamed": participant_count(campaign) - paginator.count,
        "last_updated": last_updated(campaign),
    }


def figures_by_campaign(
    ids: list[int], *, donations=None, blood_donations=None, assignments=None
) -> dict[int, dict]:
    """The figures goals are measured by, for many campaigns at once: three grouped queries.

    The records default to all; a report passes them narrowed to a period and a branch subtree.
    Returns {campaign id: figures} in the shape ``goal_values`` reads.
    """
    donations = Donation.objects.all() if donations is None else donations
    blood_donations = BloodDonation.objects.all() if blood_donations is None else blood_donations
    assignments = Assignment.objects.all() if assignments is None else assignments
    figures = {pk: {} for pk in ids}
    money = (
        with_designation(donations.filter(campaign__in=ids))
        .values("campaign_id")
        .annotate(**_money_figures())
        .order_by()
    )
    for row in money:
        figures[row.pop("campaign_id")]["money"] = row
    blood = (
        blood_donations.filter(campaign__in=ids)
        .values("campaign_id")
        .annotate(**_blood_figures())
        .order_by()
    )
    for row in blood:
        figures[row.pop("campaign_id")]["blood"] = row
    people = (
        assignments.filter(posting__campaign__in=ids)
        .values("posting__campaign_id")
        .annotate(people=Count("member", distinct=True))
        .order_by()
    )
    for row in people:
        figures[row["posting__campaign_id"]]["volunteers"] = {"people": row["people"]}
    return figures


def participant_records(campaign: Campaign) -> QuerySet:
    """The records that make a member a participant of the campaign: received gifts not marked
    anonymous (given or facilitated), blood actually donated, assignments."""
    if campaign.kind == Campaign.Kind.DONATION:
        return Donation.objects.filter(campaign=campaign, anonymous=False).filter(RECEIVED)
    if campaign.kind == Campaign.Kind.BLOOD:
        return BloodDonation.objects.filter(campaign=campaign, state=BloodDonation.State.DONATED)
    return Assignment.objects.filter(posting__campaign=campaign)


def named_participants(campaign: Campaign) -> QuerySet:
    """Members the public page may name: listable (active, consenting) participants, in pinyin
    order, with their branch. Annotated with ``given`` (their own received money) only when the
    campaign shows amounts, and with ``places`` for a volunteer drive; never any blood figure."""
    records = participant_records(campaign)
    members = (
        Member.objects.listable()
        .filter(Exists(records.filter(member=OuterRef("pk"))))
        .select_related("branch")
        .order_by("name_pinyin", "pk")
    )
    if campaign.kind == Campaign.Kind.DONATION and campaign.shows_amounts:
        own = (
            records.filter(MONEY & DIRECT_FROM_MEMBER, member=OuterRef("pk"))
            .values("member")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        members = members.annotate(given=Subquery(own))
    if campaign.kind == Campaign.Kind.VOLUNTEER:
        members = members.annotate(
            places=StringAgg(
                "assignments__posting__place",
                delimiter=Value("、"),
                distinct=True,
                filter=Q(assignments__posting__campaign=campaign),
                order_by="assignments__posting__place",
            )
        )
    return members


def participant_count(campaign: Campaign) -> int:
    """Everyone who took part, named or not (an anonymous gift counts its member too)."""
    if campaign.kind == Campaign.Kind.DONATION:
        records = Donation.objects.filter(campaign=campaign).filter(RECEIVED)
    else:
        records = participant_records(campaign)
    return records.exclude(member=None).values("member").distinct().count()


def last_updated(campaign: Campaign):
    """When the campaign or any of its records last changed (additions, edits and deletions:
    the history tables keep them all), in one query."""
    changes = []
    if campaign.kind == Campaign.Kind.DONATION:
        changes += [
            Donation.history.filter(campaign_id=campaign.pk),
            GoodsLine.history.filter(
                donation_id__in=Donation.history.filter(campaign_id=campaign.pk).values("id")
            ),
        ]
    elif campaign.kind == Campaign.Kind.BLOOD:
        changes.append(BloodDonation.history.filter(campaign_id=campaign.pk))
    else:
        changes.append(
            Assignment.history.filter(
                posting_id__in=Posting.objects.filter(campaign=campaign).values("pk")
            )
        )
    latest = [
        Subquery(history.order_by("-history_date").values("history_date")[:1])
        for history in changes
    ]
    # GREATEST skips NULLs: a campaign without records yet is as new as its own last change.
    return (
        Campaign.objects.filter(pk=campaign.pk)
        .values_list(Greatest("updated_at", *latest), flat=True)
        .get()
    )
