"""What a member's contribution is, and the one registry every kind of record joins.

``members`` defines the notion and imports no other app: each app registers the kinds it records
in its ``AppConfig.ready()`` (campaigns: donors, blood donors, volunteers; suggestions: authors;
honours: front line, artworks, enterprises). The honour roll and a member's own page read
the registry only, so a new kind of record joins both without touching them.

A kind answers three questions, all in SQL:
- ``condition(campaign_id)``: a Q on Member, true for members who did it (in that campaign, when
  one is given); None when the kind cannot be narrowed to a campaign (the roll then leaves it out);
- ``summary(campaign_id)``: an expression on Member giving what they did in a few public words
  (titles, places, units; never an amount, a volume or a date of a blood donation);
- ``own(member)``: the member's own records for their page, which may say more (their amounts).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
)
from django.utils.functional import Promise


@dataclass(frozen=True)
class ContributionKind:
    key: str
    label: str | Promise
    order: int
    condition: Callable[[int | None], Q | None]
    summary: Callable[[int | None], object]
    own: Callable[[object], list[dict]]
    # The number of listable members the whole roll counts for this kind, when the app keeps it
    # (one index read instead of a count over every member): the roll without filters uses it.
    count_all: Callable[[], int] | None = None


_REGISTRY: dict[str, ContributionKind] = {}


def register(kind: ContributionKind) -> None:
    _REGISTRY[kind.key] = kind


def kinds() -> list[ContributionKind]:
    return sorted(_REGISTRY.values(), key=lambda kind: kind.order)


def kind(key: str) -> ContributionKind | None:
    return _REGISTRY.get(key)


# The words each kind goes by where staff may rename them (the honour roll's categories, kept by
# honours): one provider, set in its app's ``ready()``; without it, each kind's own label.
_titles_provider: Callable[[], dict[str, str]] | None = None


def use_titles(provider: Callable[[], dict[str, str]]) -> None:
    global _titles_provider
    _titles_provider = provider


def titles() -> dict[str, str]:
    """Each kind's title, by key, as the roll says it (staff's words where they wrote some)."""
    written = _titles_provider() if _titles_provider is not None else {}
    return {key: written.get(key) or kind.label for key, kind in _REGISTRY.items()}


def joined(records: QuerySet, text_field: str, member_field: str = "member") -> Subquery:
    """Subquery: the distinct values of ``text_field`` over a member's ``records``, joined by 、."""
    return Subquery(
        records.filter(**{member_field: OuterRef("pk")})
        .values(member_field)
        .annotate(
            text=StringAgg(text_field, delimiter=Value("、"), distinct=True, order_by=text_field)
        )
        .values("text")[:1]
    )


def had(records: QuerySet, member_field: str = "member") -> Q:
    return Q(Exists(records.filter(**{member_field: OuterRef("pk")})))


def in_campaign(records: QuerySet, campaign_id, lookup: str = "campaign_id") -> QuerySet:
    return records if campaign_id is None else records.filter(**{lookup: campaign_id})


# Panels of a member's own page (/me/) that other apps add, such as the postings a member may
# sign up for: a template and the context it needs, computed for that member.


@dataclass(frozen=True)
class MemberPanel:
    order: int
    template: str
    context: Callable[[object], dict]


_PANELS: list[MemberPanel] = []


def register_panel(panel: MemberPanel) -> None:
    _PANELS.append(panel)


def panels() -> list[MemberPanel]:
    return sorted(_PANELS, key=lambda panel: panel.order)
