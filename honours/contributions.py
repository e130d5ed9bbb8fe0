"""The honours app's kinds of contribution (members/contributions.py): citations written by
staff — the front line, artworks, an enterprise's work."""

from django.db.models import Case, Q, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from honours.models import Citation
from members.contributions import ContributionKind, had, in_campaign, joined, register


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


def register_citation_kinds() -> None:
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
