"""Synthetic data at the size of a national society, for the benchmark (issue 7).

``manage.py generate_scale`` runs this. Every app with records to generate has a ``scale.py``
holding ``SIZES`` (the options it adds, with defaults), ``MODELS`` (the tables it fills, emptied
first) and ``generate(run)``; they run in INSTALLED_APPS order, as ``load_demo`` runs each
``demo.load``. A later app (suggestions, reports) adds its own module and nothing here changes.

Fast: rows are made in Python and streamed with PostgreSQL COPY; every table gets ids 1..n
explicitly, so a later table refers to an earlier one without reading it back (and no id depends
on where a sequence stood); each record's creation history ('+') is one INSERT … SELECT from the
table just filled.

Deterministic: every table draws from its own ``random.Random`` seeded with (seed, table name), so
adding an app or a table never changes the data of the others, and no value depends on the clock.
"""

import importlib
import json
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model
from django.utils.module_loading import module_has_submodule
from psycopg import sql

# Written as the database's comment after a run: marks the data as generated (so it may be
# replaced without --force) and records how, so `--reuse` can keep it.
MARKER = "generate_scale "


class Size(NamedTuple):
    default: int
    minimum: int  # what --scale never goes below, so a tiny set still has every kind of record
    help: str


def scale_modules() -> list:
    """Each installed app's ``scale`` module, in app order."""
    return [
        importlib.import_module(f"{app.name}.scale")
        for app in apps.get_app_configs()
        if module_has_submodule(app.module, "scale")
    ]


def all_sizes() -> dict[str, Size]:
    sizes = {}
    for module in scale_modules():
        sizes.update(module.SIZES)
    return sizes


def scaled_sizes(factor: float, given: dict[str, int | None]) -> dict[str, int]:
    """The default sizes times ``factor`` (never below each minimum); explicit sizes win."""
    return {
        name: given.get(name) or max(size.minimum, round(size.default * factor))
        for name, size in all_sizes().items()
    }


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` exactly (largest remainders)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def numbered(rows: Iterable[tuple]) -> Iterable[tuple]:
    """Rows with an id 1, 2, 3… in front."""
    return ((pk, *row) for pk, row in enumerate(rows, start=1))


def zipf_weights(n: int, exponent: float = 1.1) -> list[float]:
    """Weights where the first few hold most: how records spread over campaigns in reality."""
    return [1 / (rank + 1) ** exponent for rank in range(n)]


@dataclass
class Run:
    """One generation: the sizes, the seed, and what has been filled so far."""

    seed: int
    sizes: dict[str, int]
    log: object = None  # a callable taking a line, e.g. the command's stdout.write
    models: list[type[Model]] = field(default_factory=list)

    def random(self, stream: str) -> random.Random:
        return random.Random(f"{self.seed}:{stream}")

    def say(self, line: str) -> None:
        if self.log:
            self.log(line)

    def copy(self, model: type[Model], columns: list[str], rows: Iterable[tuple]) -> int:
        """Stream ``rows`` (tuples in the order of ``columns``, attribute names such as
        ``member_id``) into the model's table with COPY."""
        started = time.monotonic()
        table = model._meta.db_table
        names = [model._meta.get_field(column).column for column in columns]
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, names))
        )
        count = 0
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        if model not in self.models:
            self.models.append(model)
        self.say(f"  {table}: {count:,} rows in {time.monotonic() - started:.1f} s")
        return count

    def add_creation_history(self, model: type[Model], when: str) -> None:
        """Give every record of ``model`` one '+' history row, as if created at ``when`` (an SQL
        expression over the record, aliased ``record``). The public pages' "last updated" and
        the admin's History read these tables, so they should not be empty at scale."""
        started = time.monotonic()
        history = model.history.model
        columns = [
            f.column for f in history._meta.concrete_fields if not f.name.startswith("history_")
        ]
        target = sql.SQL(", ").join(map(sql.Identifier, columns))
        source = sql.SQL(", ").join(sql.Identifier("record", c) for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL(
                    "INSERT INTO {history} ({target}, history_date, history_type) "
                    "SELECT {source}, {when}, '+' FROM {table} AS record ORDER BY record.id"
                ).format(
                    history=sql.Identifier(history._meta.db_table),
                    target=target,
                    source=source,
                    when=sql.SQL(when),
                    table=sql.Identifier(model._meta.db_table),
                )
            )
            count = cursor.rowcount
        self.say(
            f"  {history._meta.db_table}: {count:,} rows in {time.monotonic() - started:.1f} s"
        )


def generated_tables() -> list[str]:
    """Every table generation fills: the models the apps name, their history (with its
    many-to-many history), their many-to-many tables. CASCADE in ``clear`` reaches the rest
    (logins point at branches)."""
    tables = []
    for module in scale_modules():
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
    with connection.cursor() as cursor:
        filled = []
        for table in generated_tables():
            cursor.execute(sql.SQL("SELECT EXISTS (SELECT FROM {})").format(sql.Identifier(table)))
            if cursor.fetchone()[0]:
                filled.append(table)
        if filled:
            tables = sql.SQL(", ").join(map(sql.Identifier, filled))
            cursor.execute(sql.SQL("TRUNCATE {} CASCADE").format(tables))


def generate(*, seed: int, sizes: dict[str, int], log=None) -> Run:
    """Replace the generated tables' contents with fresh synthetic data. Run it in a
    transaction (the command does; so does a test)."""
    run = Run(seed=seed, sizes=sizes, log=log)
    clear()
    # Deferred foreign-key checks would queue millions of events until commit; check each row
    # as it arrives instead (same checks, bounded memory).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for module in scale_modules():
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
    tables = [m._meta.db_table for m in models]
    tables += [m.history.model._meta.db_table for m in models if hasattr(m, "history")]
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("VACUUM (ANALYZE) {}").format(sql.SQL(", ").join(map(sql.Identifier, tables)))
        )


def fingerprint(models: list[type[Model]]) -> str:
    """An md5 over every row of the tables, in id order: equal for equal data."""
    parts = []
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(
                sql.SQL(
                    "SELECT md5(coalesce(string_agg(md5(t::text), '' ORDER BY t.id), '')) "
                    "FROM {} AS t"
                ).format(sql.Identifier(model._meta.db_table))
            )
            parts.append(cursor.fetchone()[0])
    return "".join(parts)
