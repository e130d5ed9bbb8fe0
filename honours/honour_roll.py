"""The honour roll's queries: for each kind of contribution in the registry
(members/contributions.py), the listable members who made it, with what they did in a few words.

Only active members who consented are ever listed (``Member.objects.listable()``), whatever the
filters; the search looks at names only. Every list is one query (plus its count), so the page
costs the same whatever the number of members or records; without filters a kind's count is the
one its app keeps (``ContributionKind.count_all``) when it keeps one.
"""

from django.core.paginator import Paginator

from members import contributions
from members.contributions import ContributionKind
from members.models import Member

PER_PAGE = 60
PREVIEW = 24  # names per kind on the overview


def roll(kind: ContributionKind, *, campaign=None, branch=None, sector=None, query=""):
    """Members honoured for ``kind``, in pinyin order; None if the kind has no such campaign."""
    campaign_id = campaign.pk if campaign else None
    condition = kind.condition(campaign_id)
    if condition is None:
        return None
    members = Member.objects.listable().filter(condition)
    if branch is not None:
        members = members.in_subtree(branch)
    if sector is not None:
        members = members.filter(sector=sector)
    if query:
        members = members.search_names(query)
    return (
        members.select_related("branch", "sector")
        .annotate(summary=kind.summary(campaign_id))
        .order_by("name_pinyin", "pk")
    )


def sections(*, chosen: ContributionKind | None, filters: dict, page_number: int) -> list[dict]:
    """The roll as plain data a cache can keep: every kind with its first names, or the chosen
    kind's page of names."""
    result = []
    for kind in [chosen] if chosen else contributions.kinds():
        members = roll(kind, **filters)
        if members is None:
            continue
        unfiltered = not any(filters.values())
        count = kind.count_all() if unfiltered and kind.count_all else members.count()
        if chosen:
            page = Paginator(range(count), PER_PAGE).get_page(page_number)
            start = (page.number - 1) * PER_PAGE
            rows, number = list(members[start : start + PER_PAGE]) if count else [], page.number
        else:
            rows, number = list(members[:PREVIEW]), None
        result.append(
            {
                "key": kind.key,
                "count": count,
                "number": number,
                "members": [
                    {
                        "name": member.name,
                        "branch": str(member.branch),
                        "sector": str(member.sector or ""),
                        "summary": member.summary or "",
                    }
                    for member in rows
                ],
            }
        )
    return result
