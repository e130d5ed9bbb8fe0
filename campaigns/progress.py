"""Progress of campaigns, computed in the database: one place for every total the public pages
and the reports show. Most functions take querysets (so a report can narrow them to a period or a
branch subtree) and return plain data; no record is read into Python to be counted: the database
groups and sums them, and at most the few grouped rows it returns are added up here. The list page
asks for the figures of many campaigns at once (``figures_by_campaign``): the same aggregates,
grouped by campaign, so the page costs the same few queries however many campaigns it shows.

Definitions, as the committee counts them:
- only received gifts count; pledges are reported apart;
- members' own money: money given directly by a member to a body the campaign collects for;
- given apart: money given directly by a member to any other body (e.g. 江苏省慈善总会);
- facilitated: money or goods a member brought about through an enterprise — always apart;
- other donors: money given directly by an enterprise or an outsider.

Blood, health data, is public only as counts and totals, and the public volume, chart and names
move only in steps of at least five new donors (``waiting_blood_sql``; the reports count it all).
"""

from decimal import Decimal
from functools import cached_property
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
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest, TruncWeek

from campaigns.models import (
    Assignment,
    BloodDonation,
    Campaign,
    Donation,
    Goal,
    GoodsLine,
    Posting,
    Recipient,
)
from members.models import Member

ZERO = Decimal("0.00")
# Blood is health data. Below this many donors a total (ml) could tell one person's donation, so
# the public pages show the number of donors only; and the public volume, chart and names move
# only in steps of this many new donors, so that no difference between two visits is one
# person's (``waiting_blood_sql``).
MIN_BLOOD_DONORS_FOR_TOTALS = 5
RECEIVED = Q(state=Donation.State.RECEIVED)
MONEY = Q(form=Donation.Form.MONEY)
DIRECT_FROM_MEMBER = Q(channel=Donation.Channel.DIRECT, member__isnull=False)
FACILITATED = Q(channel=Donation.Channel.FACILITATED)
OTHER_DONORS = Q(channel=Donation.Channel.DIRECT, member__isnull=True)


class Money:
    """The money figures of some donations, from one grouped pass over them.

    ``groups`` sums the donations per campaign, body, state, form, channel and whether a member
    gave: a few thousand rows at most, whatever the number of records (PostgreSQL groups them in
    parallel). The totals, the figures per body and per campaign are added up from those rows;
    whether a body is one its campaign collects for comes from the campaigns' list of bodies (a
    small query), the bodies' names likewise. The distinct member donors are counted apart. At
    two million donations this is three times faster than one aggregate with a filter per figure,
    which evaluated every filter on every row (docs/benchmarks.md).
    """

    def __init__(self, donations: QuerySet):
        self.donations = donations

    @cached_property
    def groups(self) -> list[dict]:
        # Grouped by plain columns only: PostgreSQL then estimates few groups and sums them in a
        # hash table; a computed key (the member's presence, a joined name) made it sort all the
        # rows on disk. The members' part of each group is summed beside the whole instead.
        rows = (
            self.donations.values("campaign_id", "recipient_id", "state", "form", "channel")
            .annotate(
                summed=Coalesce(Sum("amount"), ZERO),
                counted=Count("pk"),
                members_summed=Coalesce(Sum("amount", filter=Q(member__isnull=False)), ZERO),
                members_counted=Count("member"),
            )
            .order_by()
        )
        rows = list(rows)
        through = Campaign.recipients.through.objects.filter(
            campaign_id__in={row["campaign_id"] for row in rows}
        )
        designated = set(through.values_list("campaign_id", "recipient_id"))
        groups = []
        for row in rows:
            key = {
                name: row[name]
                for name in ("campaign_id", "recipient_id", "state", "form", "channel")
            }
            key["designated"] = (row["campaign_id"], row["recipient_id"]) in designated
            members = (row["members_summed"], row["members_counted"])
            others = (
                row["summed"] - row["members_summed"],
                row["counted"] - row["members_counted"],
            )
            for from_member, (amount, gifts) in [(True, members), (False, others)]:
                if gifts:
                    groups.append(
                        {**key, "from_member": from_member, "amount": amount, "gifts": gifts}
                    )
        return groups

    def totals(self) -> dict:
        """The money figures of all the donations."""
        return {
            **_add_up(self.groups),
            # SELECT COUNT(*) FROM (SELECT DISTINCT …): the distinct members straight from the
            # index in their order (COUNT(DISTINCT) would sort them all first).
            "member_donors": self.donations.filter(RECEIVED & DIRECT_FROM_MEMBER)
            .values("member")
            .distinct()
            .count(),
        }

    def by_campaign(self, ids) -> dict[int, dict]:
        """{campaign id: its money figures}, for the campaigns among ``ids`` that have any."""
        rows_of = {}
        for row in self.groups:
            if row["campaign_id"] in ids:
                rows_of.setdefault(row["campaign_id"], []).append(row)
        donors = (
            self.donations.filter(RECEIVED & DIRECT_FROM_MEMBER, campaign__in=list(rows_of))
            .values("campaign_id")
            .annotate(members=Count("member", distinct=True))
            .order_by()
        )
        members = {row["campaign_id"]: row["members"] for row in donors}
        return {
            pk: {**_add_up(rows), "member_donors": members.get(pk, 0)}
            for pk, rows in rows_of.items()
        }

    def by_recipient(self) -> list[dict]:
        """Received money per body, members' own (collected for, or apart) and facilitated."""
        names = Recipient.objects.in_bulk({row["recipient_id"] for row in self.groups})
        bodies = {}
        for row in self.groups:
            if row["state"] != Donation.State.RECEIVED or row["form"] != Donation.Form.MONEY:
                continue
            name = names[row["recipient_id"]].name
            body = bodies.setdefault(
                (name, row["designated"]),
                {
                    "recipient": name,
                    "designated": row["designated"],
                    "members_own": ZERO,
                    "facilitated": ZERO,
                    "other_donors": ZERO,
                    "gifts": 0,
                },
            )
            body[_giver(row)] += row["amount"]
            body["gifts"] += row["gifts"]
        return sorted(
            bodies.values(),
            key=lambda body: (not body["designated"], -body["members_own"], body["recipient"]),
        )


def _giver(row: dict) -> str:
    """Which figure a group's received money counts in, for the figures per body."""
    if row["channel"] == Donation.Channel.FACILITATED:
        return "facilitated"
    return "members_own" if row["from_member"] else "other_donors"


def _add_up(rows: list[dict]) -> dict:
    """The money figures (member donors aside) of some of ``Money.groups``'s rows."""
    figures = {
        "members_own": ZERO,
        "given_apart": ZERO,
        "facilitated": ZERO,
        "other_donors": ZERO,
        "pledged": ZERO,
        "pledged_count": 0,
        "donations": 0,
    }
    for row in rows:
        money = row["form"] == Donation.Form.MONEY
        if row["state"] == Donation.State.PLEDGED:
            if money:
                figures["pledged"] += row["amount"]
                figures["pledged_count"] += row["gifts"]
            continue
        figures["donations"] += row["gifts"]
        if not money:
            continue
        giver = _giver(row)
        if giver == "members_own" and not row["designated"]:
            giver = "given_apart"
        figures[giver] += row["amount"]
    return figures


def goods_by_item(donations: QuerySet) -> list[dict]:
    """Received goods per item and unit, with estimated value; facilitated lines apart."""
    # From the gifts of goods' side, joined to their lines: the donations are read once (a filter
    # of the lines by "donation in …" read them twice). Only a gift of goods has lines: the admin
    # and the import refuse them on a gift of money.
    rows = (
        donations.filter(RECEIVED, form=Donation.Form.GOODS, goods__isnull=False)
        .values("goods__item", "goods__unit", "channel")
        .annotate(quantity=Sum("goods__quantity"), estimated_value=Sum("goods__estimated_value"))
        .order_by("channel", "goods__item", "goods__unit")
    )
    return [
        {
            "item": row["goods__item"],
            "unit": row["goods__unit"],
            "quantity": row["quantity"],
            "estimated_value": row["estimated_value"],
            "facilitated": row["channel"] == Donation.Channel.FACILITATED,
        }
        for row in rows
    ]


def goods_value(goods: list[dict]) -> dict:
    """The estimated value of the goods ``goods_by_item`` listed: given, and facilitated."""
    value = {"direct": ZERO, "facilitated": ZERO}
    for row in goods:
        value["facilitated" if row["facilitated"] else "direct"] += row["estimated_value"] or ZERO
    return value


def waiting_blood_sql(campaign_ids: list[int] | None = None) -> RawSQL:
    """The ids of the donated blood records the public pages do not count yet, of the campaigns
    among ``campaign_ids`` (or of all), as a subquery: the public volume, chart and donors'
    names move only in steps of at least MIN_BLOOD_DONORS_FOR_TOTALS new donors, so that what
    changed between two visits is never one person's donation.

    A donation's place is when it was recorded as one: the first history row that shows the
    record donated in its campaign (history ids only grow), so that a donation entered late with
    an earlier date, or a pledge turned into a donation, comes after every donation a visitor
    could see already. A donor's place is that of their first donation. With D donors, the
    public counts every donation recorded up to the first donation of donor number 5 × ⌊D / 5⌋;
    what was recorded after it waits, later donations of donors counted already included
    (fewer than five donors: everything waits). Ranking the donors reads every donation of the
    campaigns once; what waits, a few recent rows, is then read through the indexes.
    A record saved without history (the rule for audited models forbids it) never waits.
    """
    record = BloodDonation._meta.db_table
    history = BloodDonation.history.model._meta.db_table
    donated, step = BloodDonation.State.DONATED, MIN_BLOOD_DONORS_FOR_TOTALS
    only, ids = "", []
    if campaign_ids is not None:
        only, ids = "AND record.campaign_id = ANY(%s)", [list(campaign_ids)]
    sql = f"""
        WITH firsts AS (
            SELECT record.campaign_id, MIN(history.history_id) AS first_recorded
            FROM {record} AS record
            JOIN {history} AS history
              ON history.id = record.id
             AND history.campaign_id = record.campaign_id
             AND history.state = %s
            WHERE record.state = %s {only}
            GROUP BY record.campaign_id, record.member_id
        ), ranked AS (
            SELECT campaign_id, first_recorded,
                   ROW_NUMBER() OVER (
                       PARTITION BY campaign_id ORDER BY first_recorded DESC
                   ) AS newest,
                   COUNT(*) OVER (PARTITION BY campaign_id) AS donors
            FROM firsts
        ), cutoffs AS (
            SELECT campaign_id,
                   CASE WHEN donors < %s THEN 0 ELSE first_recorded END AS cutoff
            FROM ranked
            WHERE newest = LEAST(MOD(donors, %s) + 1, donors)
        )
        SELECT later.id
        FROM cutoffs CROSS JOIN LATERAL (
            SELECT history.id
            FROM {history} AS history
            WHERE history.campaign_id = cutoffs.campaign_id
              AND history.history_id > cutoffs.cutoff
              AND history.state = %s
              AND NOT EXISTS (
                  SELECT 1 FROM {history} AS earlier
                  WHERE earlier.id = history.id
                    AND earlier.campaign_id = cutoffs.campaign_id
                    AND earlier.state = %s
                    AND earlier.history_id <= cutoffs.cutoff
              )
        ) AS later
    """
    return RawSQL(sql, [donated, donated, *ids, step, step, donated, donated])


def waiting_blood(campaign_ids: list[int] | None = None) -> list[int]:
    """``waiting_blood_sql`` read in one query: a few ids, that the queries of a page then
    filter by without ranking the donors again."""
    return list(
        BloodDonation.objects.filter(pk__in=waiting_blood_sql(campaign_ids))
        .order_by()
        .values_list("pk", flat=True)
    )


def counted_blood(waiting) -> Q:
    """The blood records the public pages count: donated and not ``waiting`` (the ids from
    ``waiting_blood``, or its subquery ``waiting_blood_sql`` in a single query)."""
    return Q(state=BloodDonation.State.DONATED) & ~Q(pk__in=waiting)


def _blood_figures(counted: Q | None = None) -> dict:
    """The blood aggregates; with ``counted`` (``counted_blood``), the volume is that of those
    records only, and ``counted_donors`` says how many donors they are."""
    donated = Q(state=BloodDonation.State.DONATED)
    figures = {
        "donors": Count("member", distinct=True, filter=donated),
        "donations": Count("pk", filter=donated),
        "ml": Coalesce(Sum("volume_ml", filter=donated), 0),
        "pledged": Count("pk", filter=Q(state=BloodDonation.State.PLEDGED)),
    }
    if counted is not None:
        figures["ml"] = Coalesce(Sum("volume_ml", filter=counted), 0)
        figures["counted_donors"] = Count("member", distinct=True, filter=counted)
    return figures


def _as_public(blood: dict) -> dict:
    """Public blood figures from ``_blood_figures(counted)``: the counts as they are (a count is
    no one's donation), the volume None until a step is counted, and ``waiting``: the donors not
    yet in the volume, the chart and the names."""
    counted = blood.pop("counted_donors")
    if not counted:
        blood["ml"] = None
    blood["waiting"] = blood["donors"] - counted
    return blood


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


def _running(rows) -> list[dict]:
    """``rows`` ({"date", "value"}, in date order) with their running total, added here over
    the few dozen rows the database grouped."""
    series = list(rows)
    for row, running in zip(series, accumulate(row["value"] for row in series), strict=True):
        row["cumulative"] = running
    return series


def daily_series(records: QuerySet, value) -> list[dict]:
    """``value`` (an aggregate) per day of the records' ``date``, with its running total."""
    rows = records.values("date").annotate(value=value).order_by("date")
    return _running({"date": row["date"], "value": row["value"]} for row in rows)


def daily_money_series(donations: QuerySet) -> list[dict]:
    """Received money, facilitated gifts aside, per day: the donation drive's chart."""
    return daily_series(donations.filter(RECEIVED & MONEY & ~FACILITATED), Sum("amount"))


def weekly_blood_series(blood_donations: QuerySet) -> list[dict]:
    """Donations given per week (from Monday, the week's first day as its date): the blood
    drive's chart, a count, never a person. By week, not by day: with the names, a day would
    say who gave when."""
    rows = (
        blood_donations.filter(state=BloodDonation.State.DONATED)
        .values(week=TruncWeek("date"))
        .annotate(value=Count("pk"))
        .order_by("week")
    )
    return _running({"date": row["week"], "value": row["value"]} for row in rows)


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
    blood = figures.get("blood", {})
    # The volume is withheld while it could tell one person's donation (public figures: until
    # the first step is counted, when it is None).
    withheld = blood.get("donors", 0) < MIN_BLOOD_DONORS_FOR_TOTALS or (
        "ml" in blood and blood["ml"] is None
    )
    goals = []
    for goal in campaign.goals.all():
        if goal.metric == Goal.Metric.BLOOD_ML and withheld:
            continue
        value = Decimal(measured[goal.metric] or 0)
        goals.append(
            {
                "metric": goal.metric,
                # Lazy: cached figures are shown in each visitor's language.
                "label": Goal.Metric(goal.metric).label,
                "target": goal.target,
                "value": value,
                # As it is, above 100 too (86,556 of 80,000 is 108 %): a bar may stop at full.
                "percent": int(value * 100 / goal.target),
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


def campaign_progress(campaign: Campaign, *, counted: Q | None = None) -> dict:
    """Everything the campaign page shows, in a fixed number of queries. For a blood drive,
    ``counted`` is its ``counted_blood`` when the caller has read it already."""
    figures = {}
    if campaign.kind == Campaign.Kind.DONATION:
        donations = Donation.objects.filter(campaign=campaign)
        money = Money(donations)
        figures["money"] = money.totals()
        figures["by_recipient"] = money.by_recipient()
        figures["goods"] = goods_by_item(donations)
        figures["goods_value"] = goods_value(figures["goods"])
        figures["series"] = daily_money_series(donations)
    elif campaign.kind == Campaign.Kind.BLOOD:
        if counted is None:
            counted = counted_blood(waiting_blood([campaign.pk]))
        blood_donations = BloodDonation.objects.filter(campaign=campaign)
        figures["blood"] = _as_public(blood_donations.aggregate(**_blood_figures(counted)))
        figures["series"] = weekly_blood_series(blood_donations.filter(counted))
        figures["withheld"] = figures["blood"]["ml"] is None
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
    blood = campaign.kind == Campaign.Kind.BLOOD
    counted = counted_blood(waiting_blood([campaign.pk])) if blood else None
    figures = campaign_progress(campaign, counted=counted)
    paginator = Paginator(named_participants(campaign, counted=counted), per_page)
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
    # A blood drive's participants are its donors, counted with its figures already.
    took_part = figures["blood"]["donors"] if blood else participant_count(campaign)
    return {
        "figures": figures,
        "participants": participants,
        "number": page.number,
        "named": paginator.count,
        "unnamed": took_part - paginator.count,
        "last_updated": last_updated(campaign),
    }


def figures_by_campaign(
    ids: list[int],
    *,
    public: bool = False,
    donations=None,
    blood_donations=None,
    assignments=None,
    money=None,
) -> dict[int, dict]:
    """The figures goals are measured by, for many campaigns at once, in a fixed few queries.

    The records default to all; a report passes them narrowed to a period and a branch subtree,
    and its ``Money`` of those donations, whose grouped rows it has read already (the money
    figures then come from ``money``, not from ``donations``). ``public``: the blood volume as
    the public pages show it (``counted_blood``).
    Returns {campaign id: figures} in the shape ``goal_values`` reads.
    """
    donations = Donation.objects.all() if donations is None else donations
    blood_donations = BloodDonation.objects.all() if blood_donations is None else blood_donations
    assignments = Assignment.objects.all() if assignments is None else assignments
    money = Money(donations.filter(campaign__in=ids)) if money is None else money
    figures = {pk: {} for pk in ids}
    for pk, row in money.by_campaign(set(ids)).items():
        figures[pk]["money"] = row
    blood = (
        blood_donations.filter(campaign__in=ids)
        .values("campaign_id")
        .annotate(**_blood_figures(counted_blood(waiting_blood_sql(ids)) if public else None))
        .order_by()
    )
    for row in blood:
        figures[row.pop("campaign_id")]["blood"] = _as_public(row) if public else row
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


def named_participants(campaign: Campaign, *, counted: Q | None = None) -> QuerySet:
    """Members the public page may name: listable (active, consenting) participants, in pinyin
    order, with their branch. Annotated with ``given`` (their own received money) only when the
    campaign shows amounts, and with ``places`` for a volunteer drive; never any blood figure.
    Blood donors are named in the steps the volume moves by (``counted``, its
    ``counted_blood``): a name that appeared alone would say who gave that day."""
    records = participant_records(campaign)
    if campaign.kind == Campaign.Kind.BLOOD:
        if counted is None:
            counted = counted_blood(waiting_blood([campaign.pk]))
        records = records.filter(counted)
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
