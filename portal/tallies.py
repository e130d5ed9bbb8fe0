"""What every app's maintained figures ("tallies") share: the statement triggers that note what
a write changed, and the check that each tally equals a recount of its rows.

An app keeps a figure a public page would otherwise count over every record (campaigns/
tallies.py, suggestions/tallies.py): statement-level triggers write what a statement changed
into unlogged delta tables, and a deferred trigger adds them to the tallies as the transaction
commits, in key order, so that a tally row is locked for the instant of a commit and a
rolled-back transaction leaves no trace. Each app registers the recount each of its tally tables
must equal (``register``); ``manage.py check_tallies`` compares them all (``--repair`` writes
the recount).
"""

from dataclasses import dataclass

import pgtrigger
from django.db import connection, transaction

# One statement's rows with their sign: {rows} are old rows (−1), new rows (+1) or both.
SIGNED = {
    "new": "(SELECT new_rows.*, 1 AS sign FROM new_rows) AS written",
    "old": "(SELECT old_rows.*, -1 AS sign FROM old_rows) AS written",
    "both": "(SELECT old_rows.*, -1 AS sign FROM old_rows "
    "UNION ALL SELECT new_rows.*, 1 AS sign FROM new_rows) AS written",
}


def statement_triggers(prefix: str, deltas) -> list[pgtrigger.Trigger]:
    """An insert, an update and a delete trigger whose body is ``deltas(rows)``: SQL over the
    statement's rows, signed (``SIGNED``), called ``written``."""
    common = {"level": pgtrigger.Statement, "when": pgtrigger.After}
    return [
        pgtrigger.Trigger(
            name=f"{prefix}_insert",
            operation=pgtrigger.Insert,
            referencing=pgtrigger.Referencing(new="new_rows"),
            func=deltas(SIGNED["new"]),
            **common,
        ),
        pgtrigger.Trigger(
            name=f"{prefix}_update",
            operation=pgtrigger.Update,
            referencing=pgtrigger.Referencing(old="old_rows", new="new_rows"),
            func=deltas(SIGNED["both"]),
            **common,
        ),
        pgtrigger.Trigger(
            name=f"{prefix}_delete",
            operation=pgtrigger.Delete,
            referencing=pgtrigger.Referencing(old="old_rows"),
            func=deltas(SIGNED["old"]),
            **common,
        ),
    ]


def apply_at_commit(apply_function: str, notes_table: str) -> pgtrigger.Trigger:
    """The deferred trigger of an app's commit notes: as a transaction that noted deltas
    commits, ``apply_function`` adds them to the tallies and the note goes."""
    return pgtrigger.Trigger(
        name="apply_at_commit",
        level=pgtrigger.Row,
        when=pgtrigger.After,
        operation=pgtrigger.Insert,
        timing=pgtrigger.Deferred,
        func=f"""
    PERFORM {apply_function}();
    DELETE FROM {notes_table} WHERE id = NEW.id;
    RETURN NULL;
    """,
    )


def note_function_sql(function: str, setting: str, notes_table: str) -> str:
    """SQL of the function a delta trigger calls: the first delta of a transaction inserts its
    one note in ``notes_table``, whose ``apply_at_commit`` trigger applies them all."""
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS void AS $$
BEGIN
    -- Once per transaction (the setting rolls back with it): its deltas apply as it commits.
    IF coalesce(current_setting('{setting}', true), '') = '' THEN
        PERFORM set_config('{setting}', 'yes', true);
        INSERT INTO {notes_table} DEFAULT VALUES;
    END IF;
END
$$ LANGUAGE plpgsql;
"""


@dataclass(frozen=True)
class Recount:
    """What a tally table must equal: its key and value columns, and SQL recounting them from
    the rows. The first ``presence`` values say whether a row counts: a row of zeros there (a
    donor with nothing left) counts as none, whatever its name and listing."""

    keys: tuple[str, ...]
    values: tuple[str, ...]
    sql: str
    presence: int


RECOUNTS: dict[str, Recount] = {}


def register(recounts: dict[str, Recount]) -> None:
    RECOUNTS.update(recounts)


def differences(tables=None) -> dict[str, list[tuple]]:
    """{tally table: [(key, kept, recounted)]} for every key where a tally differs from a recount
    of the rows."""
    found = {}
    with connection.cursor() as cursor:
        for table in tables or RECOUNTS:
            recount = RECOUNTS[table]
            cursor.execute(f"SELECT {', '.join(recount.keys + recount.values)} FROM {table}")
            kept = _by_key(cursor.fetchall(), recount)
            cursor.execute(recount.sql)
            counted = _by_key(cursor.fetchall(), recount)
            found[table] = sorted(
                (
                    (key, kept.get(key), counted.get(key))
                    for key in kept.keys() | counted.keys()
                    if kept.get(key) != counted.get(key)
                ),
                key=repr,  # a key may hold None (no call)
            )
    return {table: rows for table, rows in found.items() if rows}


def _by_key(rows, recount: Recount) -> dict:
    width = len(recount.keys)
    return {
        tuple(row[:width]): tuple(row[width:])
        for row in rows
        if any(row[width : width + recount.presence])
    }


def repair(tables=None) -> None:
    """Write every tally again from a recount of the rows (in one transaction)."""
    with transaction.atomic(), connection.cursor() as cursor:
        # Truncated, not deleted: a delete would count the rows out again (the counts' delete
        # triggers, campaigns/tallies.py), over the recount written here. A table with checks
        # still pending cannot be truncated: they are made now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables or RECOUNTS:
            recount = RECOUNTS[table]
            cursor.execute(f"TRUNCATE {table}")
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(recount.keys + recount.values)}) {recount.sql}"
            )
