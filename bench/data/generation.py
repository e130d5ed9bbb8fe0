"""What every generator in bench/data uses: ``Size`` (an option with its default), ``Run`` (one
generation: its sizes, a random stream per table, COPY into a table, creation history) and the
helpers that spread records the way real ones spread."""

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import Model
from psycopg import sql


class Size(NamedTuple):
    default: int
    minimum: int  # what --scale never goes below, so a tiny set still has every kind of record
    help: str


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
    log: object = None  # a callable taking a line, e.g. print
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
