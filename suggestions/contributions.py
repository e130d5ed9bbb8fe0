"""Suggestion authors as a kind of contribution, registered in SuggestionsConfig.ready()
(see members/contributions.py). Only suggestions made public count for the roll; a member's own
page lists all of theirs with their state."""

from django.db.models import Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from members.contributions import ContributionKind, had, joined, register
from members.models import Member
from portal import public_cache
from portal.triggers import SUGGESTIONS
from suggestions.models import Suggestion


def _public():
    return Suggestion.objects.public()


def _count_authors() -> int:
    """How many members the whole roll lists as authors. Cached under the suggestions' scope
    (and the register's: a consent withdrawn), not the roll's: the roll is drawn again at every
    gift, while its authors change only with the suggestions, and counting them reads every
    public suggestion's authors (87 ms at bench scale)."""
    return public_cache.cached(
        "roll-suggestion-authors",
        scopes=[SUGGESTIONS],
        compute=lambda: Member.objects.listable().filter(had(_public(), "authors")).count(),
    )


def _own(member):
    return [
        {
            "date": suggestion.received_on,
            "title": suggestion.title,
            "detail": suggestion.get_state_display(),
        }
        for suggestion in Suggestion.objects.of_member(member).order_by("-received_on", "-pk")
    ]


def register_suggestion_kinds() -> None:
    register(
        ContributionKind(
            key="suggestion_authors",
            label=_("Suggestion authors"),
            order=50,
            # Suggestions answer calls, not campaigns: a roll narrowed to a campaign leaves
            # them out.
            condition=lambda campaign_id: None if campaign_id else had(_public(), "authors"),
            summary=lambda campaign_id: joined(
                _public().annotate(bracketed=Concat(Value("《"), "title", Value("》"))),
                "bracketed",
                "authors",
            ),
            own=_own,
            count_all=_count_authors,
        )
    )
