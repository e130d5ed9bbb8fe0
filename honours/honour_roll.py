"""The honour roll's queries: for each kind of contribution in the registry
(members/contributions.py), the listable members who made it, with what they did in a few words.

Only active members who consented are ever listed (``Member.objects.listable()``), whatever the
filters; the search looks at names only. Every list is one query (plus its count), so the page
costs the same whatever the number of members or records; without filters a kind's count is the
one its app keeps (``ContributionKind.count_all``) when it keeps one.
"""

from functools import reduce
from operator import or_

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from honours.models import Citation, RollCategoryWording
from members import contributions
from members.contributions import ContributionKind
from members.models import Member

PER_PAGE = 60
PREVIEW = 24  # names per kind on the overview
# Names per kind on the printout; past it, the printout says how many it leaves out.
PRINT_LIMIT = 3000
# The kind whose members are shown with the pictures of their artworks.
ARTWORKS = "artworks"


# The line under a category's heading when staff have written none (RollCategoryWording).
DEFAULT_INTROS = {
    "front_line": _("Members who served on the front line."),
    "artworks": _("Members who took part with their artworks."),
}


def wording() -> dict[str, dict]:
    """Each category's title and intro, by its key: staff's words where they wrote some (one
    query), else the general ones in code (lazy, in the visitor's language)."""
    written = {row.kind: row for row in RollCategoryWording.objects.all()}
    result = {}
    for kind in contributions.kinds():
        row = written.get(kind.key)
        result[kind.key] = {
            "title": row.title if row else kind.label,
            "intro": row.intro if row else DEFAULT_INTROS.get(kind.key, ""),
        }
    return result


def _narrowed(members, *, branch=None, sector=None, query=""):
    if branch is not None:
        members = members.in_subtree(branch)
    if sector is not None:
        members = members.filter(sector=sector)
    if query:
        members = members.search_names(query)
    return members


def roll(kind: ContributionKind, *, campaign=None, branch=None, sector=None, query=""):
    """Members honoured for ``kind``, in pinyin order; None if the kind has no such campaign."""
    campaign_id = campaign.pk if campaign else None
    condition = kind.condition(campaign_id)
    if condition is None:
        return None
    members = _narrowed(
        Member.objects.listable().filter(condition), branch=branch, sector=sector, query=query
    )
    return (
        members.select_related("branch", "sector")
        # What a line of the roll shows: a page names sixty members, and their whole register
        # rows (phone, e-mail…) were a good part of its time, never shown.
        .only("name", "name_pinyin", "branch__name", "sector__name")
        .annotate(summary=kind.summary(campaign_id))
        .order_by("name_pinyin", "pk")
    )


def found(kinds: list[ContributionKind], *, campaign=None, branch=None, sector=None, query=""):
    """How many members the roll lists under ``kinds``, each once whatever they did."""
    campaign_id = campaign.pk if campaign else None
    conditions = [c for c in (kind.condition(campaign_id) for kind in kinds) if c is not None]
    if not conditions:
        return 0
    members = Member.objects.listable().filter(reduce(or_, conditions))
    return _narrowed(members, branch=branch, sector=sector, query=query).count()


def _pictures(member_ids: list[int], campaign=None) -> dict[int, list[dict]]:
    """The artworks with a picture of each of ``member_ids`` (listed members only), in one
    query: {member id: [{"title", "image"}]}."""
    artworks = Citation.objects.filter(kind=Citation.Kind.ARTWORK, member_id__in=member_ids)
    if campaign is not None:
        artworks = artworks.filter(campaign=campaign)
    pictures = {}
    for member_id, title, image in (
        artworks.exclude(image="").order_by("date", "pk").values_list("member_id", "title", "image")
    ):
        pictures.setdefault(member_id, []).append({"title": title, "image": image})
    return pictures


def sections(
    *, chosen: ContributionKind | None, filters: dict, page_number: int, everyone: bool = False
) -> dict:
    """The roll as plain data a cache can keep: every kind with its first names, the chosen
    kind's page of names, or (``everyone``, for the printout) every name of every kind; kinds
    with no one are left out; and how many members were found in all.

    When every name shown in a kind did the same (the donors of one campaign), the words are
    said once for the kind (``common``), not on every line."""
    kinds = [chosen] if chosen else contributions.kinds()
    result = []
    for kind in kinds:
        members = roll(kind, **filters)
        if members is None:
            continue
        unfiltered = not any(filters.values())
        if everyone:
            rows = list(members[: PRINT_LIMIT + 1])
            count = len(rows) if len(rows) <= PRINT_LIMIT else members.count()
            rows, number = rows[:PRINT_LIMIT], None
        else:
            count = kind.count_all() if unfiltered and kind.count_all else members.count()
            if chosen:
                page = Paginator(range(count), PER_PAGE).get_page(page_number)
                start = (page.number - 1) * PER_PAGE
                rows = list(members[start : start + PER_PAGE]) if count else []
                number = page.number
            else:
                rows, number = list(members[:PREVIEW]), None
        if not count:
            continue
        listed = [
            {
                "pk": member.pk,
                "name": member.name,
                "branch": str(member.branch),
                "sector": str(member.sector or ""),
                "summary": member.summary or "",
            }
            for member in rows
        ]
        summaries = {row["summary"] for row in listed}
        common = summaries.pop() if len(listed) > 1 and len(summaries) == 1 else ""
        if common:
            for row in listed:
                row["summary"] = ""
        if kind.key == ARTWORKS and not everyone:
            pictures = _pictures([row["pk"] for row in listed], filters.get("campaign"))
            for row in listed:
                row["pictures"] = pictures.get(row["pk"], [])
        result.append(
            {
                "key": kind.key,
                "count": count,
                "number": number,
                "common": common,
                "members": listed,
            }
        )
    # How many were found answers a search, a filter or a category; the whole roll says its
    # kinds' counts (counting every member who did anything would read every member).
    if any(filters.values()):
        total = found(kinds, **filters)
    elif chosen:
        total = result[0]["count"] if result else 0
    else:
        total = None
    return {"sections": result, "found": total}
