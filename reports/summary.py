"""The leadership summary: every figure of the report, computed from the records as plain data.

One source of truth: the HTML page, the CSV, XLSX and PDF downloads all render what
``leadership_summary`` returns, and nothing else computes a figure. The records are narrowed to a
period (by each record's own date) and to a branch subtree (by the member's branch, or the
suggestion's); the totals themselves come from ``campaigns.progress`` and ``suggestions.figures``
so that the public pages and the report count alike.

Which date a record is dated by: a donation or blood donation its date; an assignment the days it
overlaps the period; a suggestion the day it was received; a citation its date (a citation
without one counts in every period); a care visit its date.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from campaigns import progress
from campaigns.models import Assignment, BloodDonation, Campaign, Donation, Posting
from honours.models import CareVisit, Citation
from members.models import Branch, Member, subtree
from suggestions import figures as suggestion_figures
from suggestions.models import Suggestion


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


def leadership_summary(*, period: Period, branch: Branch | None, care_visits: bool) -> dict:
    """The whole report as plain data (numbers stay Decimal / int; the renderers format).

    Care visits are the committee's records: without ``care_visits`` (a reader who may not view
    them, a branch clerk) the report has none, not even their count (``"care_visits": None``)."""
    rows = records(period, branch)
    donations, blood, assignments = rows["donations"], rows["blood_donations"], rows["assignments"]
    # The postings any of those assignments is at: a semi-join (a join with DISTINCT sorted every
    # assignment).
    postings = Posting.objects.filter(Exists(assignments.filter(posting=OuterRef("pk"))))
    # One grouped pass over the donations serves the totals, the bodies and the campaigns.
    money = progress.Money(donations)
    goods = progress.goods_by_item(donations)
    return {
        "branch": branch,
        "period": period,
        "generated_at": timezone.localtime(),
        "campaigns": _campaigns(period, money, blood, assignments),
        "money": money.totals(),
        "money_by_recipient": money.by_recipient(),
        "goods": goods,
        "goods_value": progress.goods_value(goods),
        "blood": progress.blood_totals(blood),
        "volunteers": progress.volunteer_totals(assignments, postings),
        "front_line": _front_line(rows["citations"]),
        "suggestions": suggestion_figures.state_counts(rows["suggestions"]),
        "suggestions_by_body": suggestion_figures.forwarded_by_body(rows["suggestions"]),
        "artworks": _citations(rows["citations"], Citation.Kind.ARTWORK),
        "enterprise_work": _citations(rows["citations"], Citation.Kind.ENTERPRISE),
        "care_visits": _care_visits(rows["care_visits"], branch) if care_visits else None,
    }


def _campaigns(period, money, blood, assignments) -> list[dict]:
    """Each campaign running in the period, its goals against what the records in the report
    reached."""
    campaigns = list(
        Campaign.objects.filter(period.overlapping("starts_on", "ends_on"))
        .exclude(status=Campaign.Status.DRAFT)
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
