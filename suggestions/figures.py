"""Counts of suggestions, computed in the database: the public page and the reports read these.

Definitions:
- received: every suggestion except those withdrawn by their authors (a merged one was received);
- awaiting a decision: received or under review;
- forwarded: sent to at least one higher body (whatever the answer);
- adopted: adopted by at least one body.
"""

from django.db.models import Count, Q, QuerySet

from suggestions.models import Forwarding, State

FORWARDED_STATES = [State.FORWARDED, State.ADOPTED, State.NOT_ADOPTED]


def _counts() -> dict:
    return {
        "received": Count("pk", filter=~Q(state=State.WITHDRAWN)),
        "awaiting": Count("pk", filter=Q(state__in=[State.RECEIVED, State.UNDER_REVIEW])),
        "forwarded": Count("pk", filter=Q(state__in=FORWARDED_STATES)),
        "adopted": Count("pk", filter=Q(state=State.ADOPTED)),
        "merged": Count("pk", filter=Q(state=State.MERGED)),
        "withdrawn": Count("pk", filter=Q(state=State.WITHDRAWN)),
    }


def state_counts(suggestions: QuerySet) -> dict:
    """One query: the counts above over the given suggestions."""
    return suggestions.aggregate(**_counts())


def add_up(rows: list[dict]) -> dict:
    """The counts of ``state_counts_by_call``'s rows together: those of all their suggestions."""
    return {name: sum(row[name] for row in rows) for name in _counts()}


def state_counts_by_call(suggestions: QuerySet) -> list[dict]:
    """The same counts per call (suggestions outside any call under ``call_id`` None)."""
    rows = suggestions.values("call_id").annotate(**_counts()).order_by("call_id")
    return list(rows)


def forwarded_by_body(suggestions: QuerySet | None) -> list[dict]:
    """Per higher body: suggestions forwarded to it and how many it adopted (of every
    suggestion when ``suggestions`` is None)."""
    forwardings = Forwarding.objects.all()
    if suggestions is not None:
        forwardings = forwardings.filter(suggestion__in=suggestions)
    rows = (
        forwardings.values("body__name")
        .annotate(forwarded=Count("pk"), adopted=Count("pk", filter=Q(adopted=True)))
        .order_by("-forwarded", "body__name")
    )
    return [
        {"body": row["body__name"], "forwarded": row["forwarded"], "adopted": row["adopted"]}
        for row in rows
    ]
