"""What a member's contribution is, and the one registry every kind of record joins.

``members`` defines the notion and imports no other app: each app registers the kinds it records
in its ``AppConfig.ready()`` (campaigns: donors, blood donors, volunteers; suggestions: authors;
members itself: front line, artworks, enterprises). The honour roll and a member's own page read
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
    Case,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.models import Citation


@dataclass(frozen=True)
class ContributionKind:
    key: str
    label: str | Promise
    order: int
    condition: Callable[[int | None], Q | None]
    summary: Callable[[int | None], object]
    own: Callable[[object], list[dict]]


_REGISTRY: dict[str, ContributionKind] = {}


def register(kind: ContributionKind) -> None:
    _REGISTRY[kind.key] = kind


def kinds() -> list[ContributionKind]:
    return sorted(_REGISTRY.values(), key=lambda kind: kind.order)


def kind(key: str) -> ContributionKind | None:
    return _REGISTRY.get(key)


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


# The members app's own kinds: citations written by staff.


def _then_words(field: str):
    """``field`` after a colon, or nothing when it is empty."""
    return Case(
        When(**{field: ""}, then=Value("")),
        default=Concat(Value("："), field, output_field=TextField()),
        output_field=TextField(),
    )


def _citations(kind_value, campaign_id):
    return in_campaign(Citation.objects.filter(kind=kind_value), campaign_id)


def _own_citations(member, kind_value):
    rows = Citation.objects.filter(kind=kind_value).filter(
        Q(member=member) | Q(enterprise__contacts=member)
    )
    return [
        {
            "date": citation.date,
            "title": citation.title,
            "detail": " · ".join(p for p in (citation.unit, citation.role, citation.text) if p),
        }
        for citation in rows.distinct().order_by("-date", "pk")
    ]


def register_member_kinds() -> None:
    register(
        ContributionKind(
            key="front_line",
            label=_("On the front line"),
            order=10,
            condition=lambda campaign_id: had(_citations(Citation.Kind.FRONT_LINE, campaign_id)),
            summary=lambda campaign_id: joined(
                _citations(Citation.Kind.FRONT_LINE, campaign_id).annotate(
                    words=Concat(
                        "unit", Value(" "), "role", _then_words("text"), output_field=TextField()
                    )
                ),
                "words",
            ),
            own=lambda member: _own_citations(member, Citation.Kind.FRONT_LINE),
        )
    )
    register(
        ContributionKind(
            key="artworks",
            label=_("Artworks"),
            order=60,
            condition=lambda campaign_id: had(_citations(Citation.Kind.ARTWORK, campaign_id)),
            summary=lambda campaign_id: joined(
                # Titles as staff write them: 《致敬》, or a series such as 《西游记》主题漫画.
                _citations(Citation.Kind.ARTWORK, campaign_id),
                "title",
            ),
            own=lambda member: _own_citations(member, Citation.Kind.ARTWORK),
        )
    )
    register(
        ContributionKind(
            key="enterprises",
            label=_("Member enterprises"),
            order=70,
            condition=lambda campaign_id: had(
                _citations(Citation.Kind.ENTERPRISE, campaign_id), "enterprise__contacts"
            ),
            summary=lambda campaign_id: joined(
                _citations(Citation.Kind.ENTERPRISE, campaign_id).annotate(
                    words=Concat("enterprise__name", Value("："), "title", output_field=TextField())
                ),
                "words",
                "enterprise__contacts",
            ),
            own=lambda member: _own_citations(member, Citation.Kind.ENTERPRISE),
        )
    )


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
