"""The leadership summary: every figure of the report, computed from the records as plain data.

One source of truth: the HTML page, the CSV, XLSX, PDF and Word downloads all render what
``leadership_summary`` returns, and nothing else computes a figure. The records are narrowed to a
period (by each record's own date) and to a branch subtree (by the member's branch, or the
suggestion's); the totals themselves come from ``campaigns.progress`` and ``suggestions.figures``
so that the public pages and the report count alike.

Scope: no branch means the committee and all its branches, every record included; a branch means
the records of its members and of the branches below it, and its suggestions. Records that
belong to no branch (gifts from donors who are not members, gifts recorded without a member,
member enterprises' work) are therefore only in the whole committee's report; the caller makes
the committee's own top branch that whole scope (``is_whole``).

The headline figures are given for the period and for the same period a year before.

Which date a record is dated by: a donation or blood donation its date; an assignment the days it
overlaps the period; a suggestion the day it was received; a citation its date (a citation
without one counts in every period); a care visit its date.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns import progress
from campaigns.models import Assignment, BloodDonation, Campaign, Donation, Posting
from honours.models import CareVisit, Citation
from members.models import Branch, Member, subtree
from suggestions import figures as suggestion_figures
from suggestions.models import Suggestion, SuggestionCall


@dataclass(frozen=True)
class Period:
    start: datetime.date | None = None
    end: datetime.date | None = None

    def on(self, field: str) -> Q:
        """Records whose ``field`` (a date) lies in the period; an open end is unbounded."""
        q = Q()
        if self.start:
            q &= Q(**{f"{field}__gte": self.start})
        if self.end:
            q &= Q(**{f"{field}__lte": self.end})
        return q

    def on_or_undated(self, field: str) -> Q:
        """As ``on``, and records without a date count in every period."""
        if not (self.start or self.end):
            return Q()
        return self.on(field) | Q(**{f"{field}__isnull": True})

    def overlapping(self, start_field: str, end_field: str) -> Q:
        q = Q()
        if self.end:
            q &= Q(**{f"{start_field}__lte": self.end})
        if self.start:
            q &= Q(**{f"{end_field}__gte": self.start}) | Q(**{f"{end_field}__isnull": True})
        return q

    def year_before(self, today: datetime.date) -> "Period | None":
        """The same period a year earlier (an open end is today), or None for all records,
        which have nothing before them to compare with (nor has a period from year 1)."""
        if self.start is None or self.start.year == datetime.MINYEAR:
            return None
        return Period(_a_year_earlier(self.start), _a_year_earlier(self.end or today))


def _a_year_earlier(day: datetime.date) -> datetime.date:
    # 29 February a year earlier is the 28th.
    if (day.month, day.day) == (2, 29):
        day = day.replace(day=28)
    return day.replace(year=day.year - 1)


def committee() -> Branch | None:
    """The committee: the one branch at the top of the tree (None while there is no such one
    branch, as in an empty register)."""
    tops = list(Branch.objects.filter(parent=None)[:2])
    return tops[0] if len(tops) == 1 else None


def is_whole(branch: Branch | None, top: Branch | None) -> bool:
    """Whether choosing ``branch`` means the committee and all its branches: no branch, or the
    committee's own top branch (whose subtree by members would leave out every record that has
    no member)."""
    return branch is None or (top is not None and branch.pk == top.pk)


def in_subtree(queryset: QuerySet, lookup: str, branch: Branch | None) -> QuerySet:
    if branch is None:
        return queryset
    return queryset.filter(subtree(branch.path, lookup))


def records(period: Period, branch: Branch | None) -> dict[str, QuerySet]:
    """Every kind of record in the period and the subtree: the querysets the report reads, and
    the detail exports stream."""
    return {
        "donations": in_subtree(
            Donation.objects.filter(period.on("date")), "member__branch", branch
        ),
        "blood_donations": in_subtree(
            BloodDonation.objects.filter(period.on("date")), "member__branch", branch
        ),
        "assignments": in_subtree(
            Assignment.objects.filter(period.overlapping("starts_on", "ends_on")),
            "member__branch",
            branch,
        ),
        "suggestions": in_subtree(
            Suggestion.objects.filter(period.on("received_on")), "branch", branch
        ),
        "citations": in_subtree(
            Citation.objects.filter(period.on_or_undated("date")), "member__branch", branch
        ),
        "care_visits": (
            CareVisit.objects.filter(period.on("date"))
            if branch is None
            else CareVisit.objects.filter(
                period.on("date"), subtree(branch.path, "visited__branch")
            ).distinct()
        ),
    }


def leadership_summary(
    *, period: Period, branch: Branch | None, care_visits: bool, today=None, briefing=True
) -> dict:
    """The whole report as plain data (numbers stay Decimal / int; the renderers format).

    Care visits are the committee's records: without ``care_visits`` (a reader who may not view
    them, a branch clerk) the report has none, not even their count (``"care_visits": None``).
    ``today`` (default: today) ends an open period for the comparison with the year before.
    ``briefing``: with what only the Word briefing tells (the stations, each place with its
    members' names, the citations, the calls and the titles); the page and the other formats
    leave it out, as reading every posted member's name was a tenth of their time."""
    today = today or timezone.localdate()
    top = committee()
    rows = records(period, branch)
    donations, blood, assignments = rows["donations"], rows["blood_donations"], rows["assignments"]
    # One grouped pass over the donations serves the totals, the bodies and the campaigns. For
    # every record of the whole committee, what the tallies keep as records are written (equal
    # to a recount of them: check_tallies) serves instead of two million gifts grouped again.
    every_record = branch is None and period.start is None and period.end is None
    if every_record:
        money, goods = progress.EveryGiftMoney(donations), progress.tallied_goods()
        suggestions = suggestion_figures.add_up(suggestion_figures.kept_counts_by_call())
        by_body = suggestion_figures.kept_forwarded_by_body()
    else:
        money, goods = progress.Money(donations), progress.goods_by_item(donations)
        suggestions = suggestion_figures.state_counts(rows["suggestions"])
        by_body = suggestion_figures.forwarded_by_body(rows["suggestions"])
    figures = {
        "money": money.totals(),
        "goods_value": progress.goods_value(goods),
        "blood": progress.blood_totals(blood),
        "volunteers": progress.volunteer_totals(assignments, _postings(assignments)),
        "front_line": _front_line(rows["citations"]),
        "suggestions": suggestions,
        "artworks": _citations(rows["citations"], Citation.Kind.ARTWORK),
        "enterprise_work": _citations(rows["citations"], Citation.Kind.ENTERPRISE),
        "care_visits": _care_visits(rows["care_visits"], branch) if care_visits else None,
    }
    year_before = period.year_before(today)
    told = (
        {
            "blood_stations": _blood_stations(blood),
            "postings": _postings_with_members(assignments),
            "front_line_cited": _front_line_cited(rows["citations"]),
            "suggestion_calls": _suggestion_calls(rows["suggestions"]),
            "suggestions_named": _suggestions_named(rows["suggestions"]),
        }
        if briefing
        else {}
    )
    return {
        **figures,
        "branch": branch,
        "committee": top,
        "period": period,
        "generated_at": timezone.localtime(),
        "headline": _headline(figures),
        "year_before": year_before,
        "headline_year_before": (
            _headline_of(records(year_before, branch), care_visits) if year_before else None
        ),
        "branches": _branches(rows, _units(branch, top)),
        # Every assignment: each campaign's volunteers from its tally.
        "campaigns": _campaigns(period, money, blood, None if every_record else assignments),
        "money_by_recipient": money.by_recipient(),
        "goods": goods,
        "suggestions_by_body": by_body,
        **told,
    }


def _blood_stations(blood: QuerySet) -> list[str]:
    """The stations where members gave blood, where most gave first."""
    rows = (
        blood.filter(state=BloodDonation.State.DONATED)
        .values("station")
        .annotate(donations=Count("pk"))
        .order_by("-donations", "station")
    )
    return [row["station"] for row in rows]


def _postings_with_members(assignments: QuerySet) -> list[dict]:
    """Each place members were posted to, with its duties and the members posted there (in
    pinyin order), for the assignments of the report."""
    postings = _postings(assignments).order_by("starts_on", "place", "pk")
    posted = (
        assignments.values("posting_id", "member__name", "member__name_pinyin")
        .distinct()
        .order_by("posting_id", "member__name_pinyin", "member__name")
    )
    names = {}
    for row in posted:
        names.setdefault(row["posting_id"], []).append(row["member__name"])
    return [
        {
            "place": posting.place,
            "district": posting.district,
            "duties": posting.duties,
            "starts_on": posting.starts_on,
            "members": names.get(posting.pk, []),
        }
        for posting in postings
    ]


def _front_line_cited(citations: QuerySet) -> list[dict]:
    """The members on the front line whose citation says what they did, in its order."""
    rows = (
        citations.filter(kind=Citation.Kind.FRONT_LINE)
        .exclude(text="")
        .select_related("member")
        .order_by("date", "pk")
    )
    return [{"name": c.member.name, "unit": c.unit, "role": c.role, "text": c.text} for c in rows]


def _suggestion_calls(suggestions: QuerySet) -> list[dict]:
    """Per call for suggestions: its title and the counts of its suggestions."""
    rows = suggestion_figures.state_counts_by_call(suggestions)
    calls = SuggestionCall.objects.in_bulk({row["call_id"] for row in rows if row["call_id"]})
    return [
        {**row, "title": calls[row["call_id"]].title if row["call_id"] else None}
        for row in rows
        if row["received"]
    ]


# The suggestions a briefing names: a few, those adopted first, then those forwarded to the
# most bodies.
NAMED_SUGGESTIONS = 2


def _suggestions_named(suggestions: QuerySet) -> list[str]:
    rows = (
        suggestions.filter(state__in=suggestion_figures.FORWARDED_STATES)
        .annotate(
            adoptions=Count("forwardings", filter=Q(forwardings__adopted=True)),
            bodies=Count("forwardings"),
        )
        .order_by("-adoptions", "-bodies", "received_on", "pk")
        .values_list("title", flat=True)[:NAMED_SUGGESTIONS]
    )
    return list(rows)


def _postings(assignments: QuerySet) -> QuerySet:
    # The postings any of those assignments is at: a semi-join (a join with DISTINCT sorted every
    # assignment).
    return Posting.objects.filter(Exists(assignments.filter(posting=OuterRef("pk"))))


def _headline(figures: dict) -> dict:
    """The figures the report leads with, in the shape ``_headline_of`` gives for another
    period."""
    care = figures["care_visits"]
    return {
        "money": figures["money"],
        "goods_value": figures["goods_value"],
        "blood": figures["blood"],
        "volunteers": figures["volunteers"],
        "front_line": figures["front_line"]["people"],
        "suggestions": figures["suggestions"],
        "artworks": len(figures["artworks"]),
        "enterprise_work": len(figures["enterprise_work"]),
        "care_visits": (
            None if care is None else {"visits": len(care["visits"]), "letters": care["letters"]}
        ),
    }


def _headline_of(rows: dict, care_visits: bool) -> dict:
    """The headline figures of other records (the same period a year before), counted as the
    report counts its own, in a fixed few queries."""
    donations, citations = rows["donations"], rows["citations"]
    # A branch's visits are DISTINCT rows (``records``): aggregated over them, each counts once.
    visits = (
        rows["care_visits"].aggregate(visits=Count("pk"), letters=Coalesce(Sum("letters_sent"), 0))
        if care_visits
        else None
    )
    kinds = citations.aggregate(
        front_line=Count("member", distinct=True, filter=Q(kind=Citation.Kind.FRONT_LINE)),
        artworks=Count("pk", filter=Q(kind=Citation.Kind.ARTWORK)),
        enterprise_work=Count("pk", filter=Q(kind=Citation.Kind.ENTERPRISE)),
    )
    return {
        "money": progress.Money(donations).totals(),
        "goods_value": progress.goods_value(progress.goods_by_item(donations)),
        "blood": progress.blood_totals(rows["blood_donations"]),
        "volunteers": progress.volunteer_totals(
            rows["assignments"], _postings(rows["assignments"])
        ),
        "suggestions": suggestion_figures.state_counts(rows["suggestions"]),
        **kinds,
        "care_visits": visits,
    }


# Each segment of a branch's path ("/0000001/") is eight characters: the first len(path) + 8
# characters of a member's branch path name the unit one level below ``path`` it belongs to.
SEGMENT = 8


def _units(branch: Branch | None, top: Branch | None) -> tuple[str, list[Branch]]:
    """The branches a report ranks, and the path they lie one level below: the chosen branch
    (else the committee) itself, for its own members, and each branch right under it, for
    its whole subtree. Without one committee (no branch yet, or several at the top), the
    top branches."""
    parent = branch or top
    if parent is None:
        return "/", list(Branch.objects.filter(parent=None).order_by("path"))
    return parent.path, [parent, *Branch.objects.filter(parent=parent).order_by("path")]


def _branches(rows: dict, units: tuple[str, list[Branch]]) -> list[dict]:
    """Each unit's money (members' own), members who gave, blood donors, members posted and
    suggestions received, ranked by money then by people taking part: a few grouped queries,
    one per kind of record, each grouping by the member's branch (members who took part: each
    member tested once with EXISTS); the branches are added up here into the units they lie in
    (a member is in one branch: members counted per branch add up to members per unit).
    Grouping by the unit's part of the branch path in SQL cut and hashed a text for every gift:
    3 s over 2,000,000 gifts."""
    path, branches = units
    if not branches:
        return []
    donation, through = Donation._meta.db_table, Campaign.recipients.through._meta.db_table
    # A plain IN over the campaigns' bodies: PostgreSQL hashes it once (an EXISTS correlated
    # with each gift took twice as long).
    designated = RawSQL(
        f"({donation}.campaign_id, {donation}.recipient_id) IN "
        f"(SELECT campaign_id, recipient_id FROM {through})",
        [],
        output_field=BooleanField(),
    )
    # Members who gave count as the campaign pages count them (a gift of goods too); the money
    # is the gifts of money's alone (a gift of goods has no amount).
    money = (
        rows["donations"]
        .filter(progress.RECEIVED & progress.MONEY & progress.DIRECT_FROM_MEMBER)
        .values(in_branch=F("member__branch_id"))
        .annotate(members_own=Coalesce(Sum("amount", filter=designated), progress.ZERO))
        .order_by()
    )

    def members_per_branch(records: QuerySet, name: str) -> QuerySet:
        # Each member once, tested with EXISTS: a COUNT(DISTINCT) over the records sorted them
        # all (3 times slower for the blood donations and assignments).
        return (
            Member.objects.filter(Exists(records.filter(member=OuterRef("pk"))))
            .values(in_branch=F("branch_id"))
            .annotate(**{name: Count("pk")})
            .order_by()
        )

    donors = members_per_branch(
        rows["donations"].filter(progress.RECEIVED & progress.DIRECT_FROM_MEMBER), "member_donors"
    )
    blood = members_per_branch(
        rows["blood_donations"].filter(state=BloodDonation.State.DONATED), "blood_donors"
    )
    posted = members_per_branch(rows["assignments"], "volunteers")
    suggestions = (
        rows["suggestions"]
        .exclude(state=Suggestion.State.WITHDRAWN)
        .values(in_branch=F("branch_id"))
        .annotate(suggestions=Count("pk"))
        .order_by()
    )
    unit_of = {
        pk: branch_path[: len(path) + SEGMENT]
        for pk, branch_path in Branch.objects.filter(path__startswith=path).values_list(
            "pk", "path"
        )
    }
    by_unit = {
        branch.path: {
            "branch": branch,
            "name": branch.name,
            "own_members": branch.path == path,
            "members_own": progress.ZERO,
            "member_donors": 0,
            "blood_donors": 0,
            "volunteers": 0,
            "suggestions": 0,
        }
        for branch in branches
    }
    for grouped in (money, donors, blood, posted, suggestions):
        for row in grouped:
            figures = by_unit.get(unit_of.get(row.pop("in_branch")))
            if figures is not None:
                for name, value in row.items():
                    figures[name] += value
    ranked = sorted(
        by_unit.values(),
        key=lambda b: (
            -b["members_own"],
            -b["member_donors"],
            -b["blood_donors"],
            -b["volunteers"],
            -b["suggestions"],
            b["branch"].path,
        ),
    )
    for rank, figures in enumerate(ranked, start=1):
        figures["rank"] = rank
    return ranked


def _campaigns(period, money, blood, assignments) -> list[dict]:
    """Each campaign running in the period, its goals against what the records in the report
    reached."""
    campaigns = list(
        Campaign.objects.filter(period.overlapping("starts_on", "ends_on"))
        .exclude(status=Campaign.Status.DRAFT)
        .select_related("organiser")
        .prefetch_related("goals")
        .order_by("starts_on", "title")
    )
    figures = progress.figures_by_campaign(
        [c.pk for c in campaigns],
        donations=money.donations,
        money=money,
        blood_donations=blood,
        assignments=assignments,
    )
    return [
        {
            "title": campaign.title,
            "kind": campaign.get_kind_display(),
            "kind_code": campaign.kind,
            "call_date": campaign.call_date,
            "organiser": campaign.organiser.name,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "goals": progress.goal_values(campaign, figures[campaign.pk]),
        }
        for campaign in campaigns
    ]


def _front_line(citations: QuerySet) -> dict:
    front = citations.filter(kind=Citation.Kind.FRONT_LINE)
    by_sector = (
        front.values("member__sector__name")
        .annotate(people=Count("member", distinct=True))
        .order_by("-people", "member__sector__name")
    )
    by_branch = (
        front.values("member__branch__name")
        .annotate(people=Count("member", distinct=True))
        .order_by("-people", "member__branch__name")
    )
    return {
        "people": front.aggregate(people=Count("member", distinct=True))["people"],
        "by_sector": [
            {"name": row["member__sector__name"] or "—", "people": row["people"]}
            for row in by_sector
        ],
        "by_branch": [
            {"name": row["member__branch__name"], "people": row["people"]} for row in by_branch
        ],
    }


def _citations(citations: QuerySet, kind) -> list[dict]:
    rows = citations.filter(kind=kind).select_related("member", "enterprise").order_by("date", "pk")
    return [
        {
            "who": str(citation.member or citation.enterprise),
            "title": citation.title,
            "text": citation.text,
            "date": citation.date,
        }
        for citation in rows
    ]


def _care_visits(visits: QuerySet, branch: Branch | None) -> dict:
    # A branch's report names only the members of its own subtree among those visited (the
    # leaders who visited are the committee's, named in every report).
    visited = in_subtree(Member.objects.order_by("name_pinyin"), "branch", branch)
    rows = visits.prefetch_related("leaders", Prefetch("visited", queryset=visited)).order_by(
        "date", "pk"
    )
    listed = [
        {
            "date": visit.date,
            "sites": visit.sites,
            "leaders": "、".join(m.name for m in visit.leaders.all()),
            "visited": "、".join(m.name for m in visit.visited.all()),
            "letters": visit.letters_sent,
        }
        for visit in rows
    ]
    letters = visits.aggregate(letters=Sum("letters_sent"))["letters"] or 0
    return {"visits": listed, "letters": letters}
