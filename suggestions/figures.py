"""Counts of suggestions, computed in the database: the public page and the reports read these.

Definitions:
- received: every suggestion except those withdrawn by their authors (a merged one was received);
- awaiting a decision: received or under review;
- forwarded: sent to at least one higher body (whatever the answer);
- adopted: adopted by at least one body.
"""

from django.db.models import Count, Q, QuerySet, Sum

from suggestions.models import STATES_NEVER_PUBLIC, BodyTally, CallTally, Forwarding, State

FORWARDED_STATES = [State.FORWARDED, State.ADOPTED, State.NOT_ADOPTED]

# Each count, as the states it adds up: counted by the database over some suggestions, or
# added up from the kept counts per call and state (``CallTally``).
COUNTED_STATES = {
    "received": [state for state in State if state != State.WITHDRAWN],
    "awaiting": [State.RECEIVED, State.UNDER_REVIEW],
    "forwarded": FORWARDED_STATES,
    "adopted": [State.ADOPTED],
    "merged": [State.MERGED],
    "withdrawn": [State.WITHDRAWN],
}


def _counts() -> dict:
    return {
        name: Count("pk", filter=Q(state__in=states)) for name, states in COUNTED_STATES.items()
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


def kept_public_count(call=None, state: str | None = None) -> int:
    """How many suggestions ``Suggestion.objects.public()`` holds (of ``call``, in ``state``, if
    given), from the kept counts (suggestions/tallies.py): the public page's number of titles
    without counting every suggestion at each render."""
    tallies = CallTally.objects.exclude(state__in=STATES_NEVER_PUBLIC)
    if call is not None:
        tallies = tallies.filter(call=call)
    if state:
        tallies = tallies.filter(state=state)
    return tallies.aggregate(public=Sum("public"))["public"] or 0


def kept_counts_by_call() -> list[dict]:
    """``state_counts_by_call`` of every suggestion, from the kept counts (suggestions/
    tallies.py): a few rows per call instead of every suggestion."""
    by_call = {}
    for call_id, state, number in CallTally.objects.filter(suggestions__gt=0).values_list(
        "call_id", "state", "suggestions"
    ):
        by_call.setdefault(call_id, {})[state] = number
    return [
        {
            "call_id": call_id,
            **{
                name: sum(states_of.get(state, 0) for state in states)
                for name, states in COUNTED_STATES.items()
            },
        }
        # Calls in order, then the suggestions outside any call, as the database orders them.
        for call_id, states_of in sorted(
            by_call.items(), key=lambda item: (item[0] is None, item[0] or 0)
        )
    ]


def kept_forwarded_by_body() -> list[dict]:
    """``forwarded_by_body`` of every suggestion, from the kept counts per body (suggestions/
    tallies.py)."""
    rows = (
        BodyTally.objects.filter(forwarded__gt=0)
        .values_list("body__name", "forwarded", "adopted")
        .order_by("-forwarded", "body__name")
    )
    return [
        {"body": body, "forwarded": forwarded, "adopted": adopted}
        for body, forwarded, adopted in rows
    ]


def forwarded_by_body(suggestions: QuerySet) -> list[dict]:
    """Per higher body: of ``suggestions``, those forwarded to it and how many it adopted."""
    forwardings = Forwarding.objects.filter(suggestion__in=suggestions)
    rows = (
        forwardings.values("body__name")
        .annotate(forwarded=Count("pk"), adopted=Count("pk", filter=Q(adopted=True)))
        .order_by("-forwarded", "body__name")
    )
    return [
        {"body": row["body__name"], "forwarded": row["forwarded"], "adopted": row["adopted"]}
        for row in rows
    ]
