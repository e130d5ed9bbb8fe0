"""The suggestions' maintained counts (issue 15: a render must not grow with the data): the
public page reads a few kept rows instead of counting every suggestion and forwarding.

- ``CallTally``: how many suggestions per call (none apart) and state, and how many of them are
  public (the titles the public page lists);
- ``BodyTally``: how many forwardings per higher body, and how many of them it adopted.

Kept as the campaigns' tallies are (portal/tallies.py, campaigns/tallies.py): statement triggers
write each statement's signed rows into unlogged delta tables; the first delta of a transaction
inserts a ``SuggestionTallyCommit`` note whose deferred trigger adds them to the counts as it
commits, in key order and only where they moved: an import of paper suggestions holds no count
row while it writes, so a member's suggestion never waits for it.
"""

import pgtrigger

from portal.tallies import (
    Recount,
    apply_at_commit,
    note_function_sql,
    register,
    statement_triggers,
)


def _suggestion_deltas(rows: str) -> str:
    return f"""
    INSERT INTO suggestions_call_delta (call_id, state, suggestions, public)
    SELECT call_id, state, sum(sign), coalesce(sum(sign) FILTER (WHERE is_public), 0)
    FROM {rows} GROUP BY 1, 2;
    PERFORM suggestions_note_tallies();
    RETURN NULL;
    """


def _forwarding_deltas(rows: str) -> str:
    return f"""
    INSERT INTO suggestions_body_delta (body_id, forwarded, adopted)
    SELECT body_id, sum(sign), coalesce(sum(sign) FILTER (WHERE adopted), 0)
    FROM {rows} GROUP BY 1;
    PERFORM suggestions_note_tallies();
    RETURN NULL;
    """


def suggestion_triggers() -> list[pgtrigger.Trigger]:
    return statement_triggers("tallies", _suggestion_deltas)


def forwarding_triggers() -> list[pgtrigger.Trigger]:
    return statement_triggers("tallies", _forwarding_deltas)


APPLY_AT_COMMIT = apply_at_commit("suggestions_apply_tallies", "suggestions_suggestiontallycommit")

# SQL of the suggestions' migration: the delta tables and the functions the triggers call.
SQL = (
    """
CREATE UNLOGGED TABLE suggestions_call_delta (
    call_id bigint, state varchar(20), suggestions integer, public integer
);
CREATE UNLOGGED TABLE suggestions_body_delta (
    body_id bigint, forwarded integer, adopted integer
);
ALTER TABLE suggestions_suggestiontallycommit SET UNLOGGED;
"""
    + note_function_sql(
        "suggestions_note_tallies", "suggestions.tallies_noted", "suggestions_suggestiontallycommit"
    )
    + """
CREATE OR REPLACE FUNCTION suggestions_apply_tallies() RETURNS void AS $$
BEGIN
    INSERT INTO suggestions_calltally AS tally (call_id, state, suggestions, public)
    SELECT call_id, state, sum(suggestions), sum(public) FROM suggestions_call_delta
    GROUP BY 1, 2
    HAVING (sum(suggestions), sum(public)) <> (0, 0)
    ORDER BY 1, 2
    ON CONFLICT (call_id, state) DO UPDATE
        SET suggestions = tally.suggestions + excluded.suggestions,
            public = tally.public + excluded.public;
    INSERT INTO suggestions_bodytally AS tally (body_id, forwarded, adopted)
    SELECT body_id, sum(forwarded), sum(adopted) FROM suggestions_body_delta
    GROUP BY 1
    HAVING (sum(forwarded), sum(adopted)) <> (0, 0)
    ORDER BY 1
    ON CONFLICT (body_id) DO UPDATE
        SET forwarded = tally.forwarded + excluded.forwarded,
            adopted = tally.adopted + excluded.adopted;
    DELETE FROM suggestions_call_delta;
    DELETE FROM suggestions_body_delta;
    PERFORM set_config('suggestions.tallies_noted', '', true);
END
$$ LANGUAGE plpgsql;
"""
)
DROP_SQL = """
DROP FUNCTION IF EXISTS suggestions_apply_tallies();
DROP FUNCTION IF EXISTS suggestions_note_tallies();
DROP TABLE IF EXISTS suggestions_call_delta, suggestions_body_delta;
"""
# The counts of the suggestions already there, as the migration starts keeping them.
FILL = """
INSERT INTO suggestions_calltally (call_id, state, suggestions, public)
SELECT call_id, state, count(*), count(*) FILTER (WHERE is_public)
FROM suggestions_suggestion GROUP BY 1, 2;
INSERT INTO suggestions_bodytally (body_id, forwarded, adopted)
SELECT body_id, count(*), count(*) FILTER (WHERE adopted) FROM suggestions_forwarding GROUP BY 1;
"""

register(
    {
        "suggestions_calltally": Recount(
            ("call_id", "state"),
            ("suggestions", "public"),
            """
            SELECT call_id, state, count(*), count(*) FILTER (WHERE is_public)
            FROM suggestions_suggestion GROUP BY 1, 2
            """,
            presence=1,
        ),
        "suggestions_bodytally": Recount(
            ("body_id",),
            ("forwarded", "adopted"),
            """
            SELECT body_id, count(*), count(*) FILTER (WHERE adopted)
            FROM suggestions_forwarding GROUP BY 1
            """,
            presence=2,
        ),
    }
)
