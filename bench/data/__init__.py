"""Synthetic data at the size of a national society, for the benchmark (issue 7).

``python -m bench.generate`` runs this (bench/generate.py); so does ``make bench``. Each module
here generates one app's tables: ``SIZES`` (the options it adds, with defaults), ``MODELS`` (the
tables it fills, emptied first) and ``generate(run)``. They run in the order of ``GENERATORS``,
each referring to the ids of those before it; a new app's data is one more module and one more
entry there. No app holds any of this: the apps know nothing of the benchmark.

Fast: rows are made in Python and streamed with PostgreSQL COPY; every table gets ids 1..n
explicitly, so a later table refers to an earlier one without reading it back (and no id depends
on where a sequence stood); each record's creation history ('+') is one INSERT … SELECT from the
table just filled (bench/data/generation.py).

Deterministic: every table draws from its own ``random.Random`` seeded with (seed, table name), so
adding an app or a table never changes the data of the others, and no value depends on the clock.
"""

import json

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model
from psycopg import sql

from bench.data import campaigns, members, suggestions
from bench.data.generation import Run, Size

# In this order: campaigns refer to members, branches and enterprises by id, suggestions to
# members and branches.
GENERATORS = [members, campaigns, suggestions]

# Written as the database's comment after a run: marks the data as generated (so it may be
# replaced without --force) and records how, so `--reuse` can keep it. The text is the one the
# former ``manage.py generate_scale`` wrote, so benchmark databases it filled are still reused.
MARKER = "generate_scale "


def all_sizes() -> dict[str, Size]:
    sizes = {}
    for module in GENERATORS:
        sizes.update(module.SIZES)
    return sizes


def scaled_sizes(factor: float, given: dict[str, int | None]) -> dict[str, int]:
    """The default sizes times ``factor`` (never below each minimum); explicit sizes win."""
    return {
        name: given.get(name) or max(size.minimum, round(size.default * factor))
        for name, size in all_sizes().items()
    }


def generated_tables() -> list[str]:
    """Every table generation fills: the models the generators name, their history (with its
    many-to-many history), their many-to-many tables. CASCADE in ``clear`` reaches the rest
    (logins point at branches)."""
    tables = []
    for module in GENERATORS:
        for model in module.MODELS:
            tables.append(model._meta.db_table)
            tables += [f.remote_field.through._meta.db_table for f in model._meta.many_to_many]
            if hasattr(model, "history"):
                history = model.history.model
                tables.append(history._meta.db_table)
                tables += [r.related_model._meta.db_table for r in history._meta.related_objects]
    return tables


def clear() -> None:
    """Empty every generated table. Only those holding rows: truncating an empty table still
    costs a new file per table and index, which a test would pay for nothing."""
    from portal import tallies

    with connection.cursor() as cursor:
        filled = []
        # The tallies too: one without a foreign key to a generated table (the roll's counts
        # per kind) is not reached by the cascade, and would count the data twice.
        for table in dict.fromkeys([*generated_tables(), *tallies.RECOUNTS]):
            cursor.execute(sql.SQL("SELECT EXISTS (SELECT FROM {})").format(sql.Identifier(table)))
            if cursor.fetchone()[0]:
                filled.append(table)
        if filled:
            tables = sql.SQL(", ").join(map(sql.Identifier, filled))
            cursor.execute(sql.SQL("TRUNCATE {} CASCADE").format(tables))


def generate(*, seed: int, sizes: dict[str, int], log=None) -> Run:
    """Replace the generated tables' contents with fresh synthetic data. Run it in a
    transaction (bench/generate.py does; so does a test)."""
    run = Run(seed=seed, sizes=sizes, log=log)
    clear()
    # Deferred foreign-key checks would queue millions of events until commit; check each row
    # as it arrives instead (same checks, bounded memory).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for module in GENERATORS:
        run.say(f"{module.__name__}:")
        module.generate(run)
    # Ids were given explicitly: move each sequence past them, so the admin can add records.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), run.models):
            cursor.execute(statement)
    return run


def marker(seed: int, sizes: dict[str, int]) -> str:
    return MARKER + json.dumps({"seed": seed, "sizes": sizes}, sort_keys=True)


def database_comment() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = current_database()"
        )
        return cursor.fetchone()[0] or ""


def set_database_comment(text: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(connection.settings_dict["NAME"]), sql.Literal(text)
            )
        )


def analyze(models: list[type[Model]]) -> None:
    """VACUUM (ANALYZE) the generated tables: fresh statistics for the planner, and a visibility
    map so index-only scans work as they will on a database autovacuum has visited. Outside a
    transaction only."""
    from portal import tallies

    tables = [m._meta.db_table for m in models]
    tables += [m.history.model._meta.db_table for m in models if hasattr(m, "history")]
    # The tallies the triggers kept while the rows were copied in (portal/tallies.py).
    tables += [table for table in tallies.RECOUNTS if table not in tables]
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("VACUUM (ANALYZE) {}").format(sql.SQL(", ").join(map(sql.Identifier, tables)))
        )


def fingerprint(models: list[type[Model]]) -> str:
    """An md5 over every row of the tables, in id order: equal for equal data. A blood
    donation's ``recorded`` is left out: the database numbers it from a sequence that goes on
    from run to run (campaigns/tallies.py)."""
    parts = []
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(
                sql.SQL(
                    "SELECT md5(coalesce(string_agg(md5((to_jsonb(t) - 'recorded')::text), '' "
                    "ORDER BY t.id), '')) "
                    "FROM {} AS t"
                ).format(sql.Identifier(model._meta.db_table))
            )
            parts.append(cursor.fetchone()[0])
    return "".join(parts)
