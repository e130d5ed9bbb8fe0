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
move only in steps of at least five new donors (``BloodStep``, kept by campaigns/tallies.py: with
D donors, the step counts every donation recorded up to the first donation of donor number
5 × ⌊D / 5⌋; the reports count it all). The public pages read the campaigns' tallies, so that a
render costs the same whatever the number of records.
"""

from decimal import Decimal
from functools import cached_property
from itertools import accumulate

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncWeek

from campaigns.models import (
    Assignment,
    BloodDonation,
    BloodDonorTally,
    BloodStep,
    Campaign,
    CampaignTally,
    Donation,
    DonorTally,
    Goal,
    GoodsTally,
    MoneyTally,
    Posting,
    PostingTally,
    Recipient,
    VolunteerTally,
    goal_label,
)
from members.models import listable
from portal.models import PublicDataVersion
from portal.triggers import campaign_scope

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


class TalliedMoney(Money):
    """The money figures of whole campaigns, from their tallies (campaigns/tallies.py): the same
    figures as ``Money`` of all their donations, from a few hundred kept rows instead of every
    gift. The public pages use it; a report, which narrows the donations to a period and a
    branch subtree, counts the donations themselves (``Money``)."""

    def __init__(self, campaign_ids=None):
        # None: every campaign.
        self.campaign_ids = None if campaign_ids is None else list(campaign_ids)

    def _of_campaigns(self, rows: QuerySet, lookup: str = "campaign__in") -> QuerySet:
        return rows if self.campaign_ids is None else rows.filter(**{lookup: self.campaign_ids})

    @cached_property
    def groups(self) -> list[dict]:
        rows = (
            self._of_campaigns(MoneyTally.objects.filter(gifts__gt=0))
            .values("campaign_id", "recipient_id", "state", "form", "channel", "from_member")
            .annotate(amount=Sum("amount"), gifts=Sum("gifts"))
            .order_by()
        )
        through = self._of_campaigns(Campaign.recipients.through.objects.all(), "campaign_id__in")
        designated = set(through.values_list("campaign_id", "recipient_id"))
        return [
            {**row, "designated": (row["campaign_id"], row["recipient_id"]) in designated}
            for row in rows
        ]

    def totals(self) -> dict:
        counted = CampaignTally.objects.filter(campaign__in=self.campaign_ids)
        return {
            **_add_up(self.groups),
            "member_donors": counted.aggregate(n=Coalesce(Sum("member_donors"), 0))["n"],
        }

    def by_campaign(self, ids) -> dict[int, dict]:
        rows_of = {}
        for row in self.groups:
            if row["campaign_id"] in ids:
                rows_of.setdefault(row["campaign_id"], []).append(row)
        members = dict(
            CampaignTally.objects.filter(campaign__in=list(rows_of)).values_list(
                "campaign_id", "member_donors"
            )
        )
        return {
            pk: {**_add_up(rows), "member_donors": members.get(pk, 0)}
            for pk, rows in rows_of.items()
        }

    def daily_series(self) -> list[dict]:
        """Received money, facilitated gifts aside, per day: the donation drive's chart."""
        rows = (
            MoneyTally.objects.filter(
                campaign__in=self.campaign_ids,
                state=Donation.State.RECEIVED,
                form=Donation.Form.MONEY,
                channel=Donation.Channel.DIRECT,
                gifts__gt=0,
            )
            .values("day")
            .annotate(value=Sum("amount"))
            .order_by("day")
        )
        return _running({"date": row["day"], "value": row["value"]} for row in rows)


class EveryGiftMoney(TalliedMoney):
    """The money figures of every gift of every campaign (the whole committee's report over every
    day), grouped from the tallies as a campaign page's are, instead of grouping every gift
    again; its member donors are still counted from the gifts, once each across campaigns (a
    member who gave to two campaigns is one donor, where the tallies count them in each)."""

    def __init__(self, donations: QuerySet):
        super().__init__()
        self.donations = donations

    totals = Money.totals


def recipients_apart(campaign) -> list[dict]:
    """The bodies that received gifts in ``campaign`` without being among those it collects for,
    each with its received gifts and their money, all counted apart: one grouped query."""
    return list(
        Donation.objects.filter(campaign=campaign, state=Donation.State.RECEIVED)
        .exclude(recipient__in=campaign.recipients.values("pk"))
        .values("recipient_id", "recipient__name")
        .annotate(
            gifts=Count("pk"),
            money=Coalesce(Sum("amount", filter=Q(form=Donation.Form.MONEY)), ZERO),
        )
        .order_by("recipient__name", "recipient_id")
    )


def tallied_goods(campaign_id=None) -> list[dict]:
    """``goods_by_item`` of a whole campaign, or of every campaign (None), from the goods
    tally."""
    rows = (
        GoodsTally.objects.all()
        if campaign_id is None
        else GoodsTally.objects.filter(campaign_id=campaign_id)
    )
    rows = (
        rows.values("channel", "item", "unit")
        .annotate(quantity=Sum("quantity"), value=Sum("value"))
        .exclude(quantity=0, value=0)
        .order_by("channel", "item", "unit")
    )
    return [
        {
            "item": row["item"],
            "unit": row["unit"],
            "quantity": row["quantity"],
            "estimated_value": row["value"],
            "facilitated": row["channel"] == Donation.Channel.FACILITATED,
        }
        for row in rows
    ]


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


def _blood_figures() -> dict:
    """The blood aggregates (of the records, all counted: the reports')."""
    donated = Q(state=BloodDonation.State.DONATED)
    return {
        "donors": Count("member", distinct=True, filter=donated),
        "donations": Count("pk", filter=donated),
        "ml": Coalesce(Sum("volume_ml", filter=donated), 0),
        "pledged": Count("pk", filter=Q(state=BloodDonation.State.PLEDGED)),
    }


def public_blood(step: BloodStep | None) -> dict:
    """A blood drive's public figures, from its step (campaigns/tallies.py): the counts as they
    are (a count is no one's donation); the volume of the donations the step counts, None until
    a first step of MIN_BLOOD_DONORS_FOR_TOTALS donors is; and ``waiting``: the donors not yet in
    the volume, the chart and the names."""
    if step is None:
        return {"donors": 0, "donations": 0, "ml": None, "pledged": 0, "waiting": 0}
    return {
        "donors": step.donors,
        "donations": step.donations,
        "ml": step.counted_ml if step.counted_donors else None,
        "pledged": step.pledged,
        "waiting": step.donors - step.counted_donors,
    }


def blood_step(campaign_id) -> BloodStep | None:
    return BloodStep.objects.filter(campaign_id=campaign_id).first()


def counted_blood(step: BloodStep | None) -> Q:
    """The blood records a drive's public figures count: donated up to its step's cutoff."""
    cutoff = step.cutoff if step is not None and step.counted_donors else 0
    return Q(state=BloodDonation.State.DONATED, recorded__lte=cutoff)


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
                "label": goal_label(campaign.kind, goal.metric),
                "target": goal.target,
                "value": value,
                # As it is, above 100 too (86,556 of 80,000 is 108 %): a bar may stop at full.
                "percent": int(value * 100 / goal.target),
            }
        )
    return goals


def postings_filled(postings: QuerySet) -> list[dict]:
    """Each posting with the number of members posted there (from its tally)."""
    posted = PostingTally.objects.filter(posting=OuterRef("pk")).values("posted")
    rows = postings.annotate(posted=Coalesce(Subquery(posted), 0)).order_by(
        "district", "place", "pk"
    )
    return [
        {
            "place": posting.place,
            "place_kind": posting.get_place_kind_display(),
            "district": posting.district,
            "duties": posting.duties,
            "starts_on": posting.starts_on,
            "ends_on": posting.ends_on,
            "people_needed": posting.people_needed,
            "posted": posting.posted,
        }
        for posting in rows
    ]


def campaign_progress(campaign: Campaign, *, step: BloodStep | None = None) -> dict:
    """Everything the campaign page shows, from the campaign's tallies (campaigns/tallies.py):
    a fixed number of queries, none of which reads every record. A blood drive's ``step`` may be
    given by a caller who read it already."""
    figures = {}
    if campaign.kind == Campaign.Kind.DONATION:
        money = TalliedMoney([campaign.pk])
        figures["money"] = money.totals()
        figures["by_recipient"] = money.by_recipient()
        figures["goods"] = tallied_goods(campaign.pk)
        figures["goods_value"] = goods_value(figures["goods"])
        figures["series"] = money.daily_series()
    elif campaign.kind == Campaign.Kind.BLOOD:
        step = step or blood_step(campaign.pk)
        figures["blood"] = public_blood(step)
        counted = BloodDonation.objects.filter(counted_blood(step), campaign=campaign)
        figures["series"] = weekly_blood_series(counted)
        figures["withheld"] = figures["blood"]["ml"] is None
    else:
        postings = Posting.objects.filter(campaign=campaign)
        figures["volunteers"] = tallied_volunteers(campaign, postings)
        figures["postings"] = postings_filled(postings)
        assignments = Assignment.objects.filter(posting__campaign=campaign)
        figures["series"] = daily_posting_series(assignments)
    figures["goals"] = goal_values(campaign, figures)
    return figures


def tallied_volunteers(campaign: Campaign, postings: QuerySet) -> dict:
    """``volunteer_totals`` of a whole campaign, from its counts (one row)."""
    counted = CampaignTally.objects.filter(campaign=campaign).first() or CampaignTally()
    totals = {
        "people": counted.volunteers,
        "assignments": counted.assignments,
        "days": counted.days,
        "hours": Decimal(counted.hours),
        "confirmed_hours": Decimal(counted.confirmed_hours),
    }
    totals.update(
        postings.aggregate(postings=Count("pk"), posts_needed=Coalesce(Sum("people_needed"), 0))
    )
    return totals


def campaign_page(campaign: Campaign, number: int, per_page: int) -> dict:
    """Everything a campaign's public page shows, as plain data a cache can keep: its figures,
    one page of the members it may name, how many took part unnamed, when it last changed."""
    step = blood_step(campaign.pk) if campaign.kind == Campaign.Kind.BLOOD else None
    figures = campaign_progress(campaign, step=step)
    named = named_participants(campaign, step=step)
    took_part, count = participant_counts(campaign, figures, named)
    page = Paginator(range(count), per_page).get_page(number)
    rows = named[(page.number - 1) * per_page : page.number * per_page] if count else []
    # A gift's amount only, and only where the campaign shows them: never any blood figure.
    amounts = campaign.kind == Campaign.Kind.DONATION and campaign.shows_amounts
    participants = [
        {
            "name": row.member.name,
            "branch": str(row.member.branch),
            "places": getattr(row, "places", ""),
            "given": row.named_money if amounts else None,
        }
        for row in rows
    ]
    return {
        "figures": figures,
        "participants": participants,
        "number": page.number,
        "named": count,
        "unnamed": took_part - count,
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
    if money is None:
        # Whole campaigns: from their tallies; narrowed donations: counted.
        money = (
            TalliedMoney(ids) if donations is None else Money(donations.filter(campaign__in=ids))
        )
    blood_donations = BloodDonation.objects.all() if blood_donations is None else blood_donations
    figures = {pk: {} for pk in ids}
    for pk, row in money.by_campaign(set(ids)).items():
        figures[pk]["money"] = row
    if public:
        for step in BloodStep.objects.filter(campaign__in=ids):
            figures[step.campaign_id]["blood"] = public_blood(step)
    else:
        blood = (
            blood_donations.filter(campaign__in=ids)
            .values("campaign_id")
            .annotate(**_blood_figures())
            .order_by()
        )
        for row in blood:
            figures[row.pop("campaign_id")]["blood"] = row
    if public or assignments is None:  # every assignment: each campaign's kept count
        people = CampaignTally.objects.filter(campaign__in=ids, volunteers__gt=0).values_list(
            "campaign_id", "volunteers"
        )
    else:
        people = (
            assignments.filter(posting__campaign__in=ids)
            .values_list("posting__campaign_id")
            .annotate(people=Count("member", distinct=True))
            .order_by()
        )
    for campaign_id, count in people:
        figures[campaign_id]["volunteers"] = {"people": count}
    return figures


def named_participants(campaign: Campaign, *, step: BloodStep | None = None) -> QuerySet:
    """The members a campaign's public page may name, as rows of its tally in pinyin order,
    with their member and branch: listable (active, consenting) members with a received gift not
    marked anonymous (``named_money``: their own money, shown only when the campaign shows
    amounts), blood donated and counted by the drive's public step (a name that appeared alone
    would say who gave that day; never any blood figure), or an assignment (``places``)."""
    if campaign.kind == Campaign.Kind.DONATION:
        rows = DonorTally.objects.filter(named__gt=0)
    elif campaign.kind == Campaign.Kind.BLOOD:
        step = step or blood_step(campaign.pk)
        cutoff = step.cutoff if step is not None and step.counted_donors else 0
        rows = BloodDonorTally.objects.filter(donations__gt=0, first_recorded__lte=cutoff)
    else:
        rows = VolunteerTally.objects.filter(assignments__gt=0)
    return (
        # The tally says who may be listed; the member's own row says it too, read with the
        # name anyway: a name is never shown on a tally's word alone.
        rows.filter(listable("member__"), campaign=campaign, listable=True)
        .select_related("member__branch")
        .order_by("name_pinyin", "member_id")
    )


def participant_counts(campaign: Campaign, figures: dict, named: QuerySet) -> tuple[int, int]:
    """Everyone who took part, named or not (an anonymous gift counts its member too), and how
    many of them the page may name: from the campaign's counts (one row), or for a blood drive,
    whose names move with its public step, counted."""
    if campaign.kind == Campaign.Kind.BLOOD:
        return figures["blood"]["donors"], named.count()
    counted = CampaignTally.objects.filter(campaign=campaign).first() or CampaignTally()
    if campaign.kind == Campaign.Kind.DONATION:
        return counted.donors, counted.named_donors
    return counted.volunteers, counted.named_volunteers


def last_updated(campaign: Campaign):
    """When the campaign or any of its records last changed (additions, edits and deletions):
    when its scope of the public data last moved (portal/triggers.py), one row."""
    changed = (
        PublicDataVersion.objects.filter(scope=campaign_scope(campaign.pk))
        .values_list("changed_at", flat=True)
        .first()
    )
    return max(filter(None, [changed, campaign.updated_at]))
