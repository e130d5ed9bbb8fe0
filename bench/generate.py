"""Fill a database with the benchmark's synthetic data (bench/data), at national scale or a
fraction of it:

    DATABASE_URL=postgres://…/branch_portal_bench python -m bench.generate --scale 0.01

``make bench`` runs it in its own databases (bench/run.py). It replaces every branch, member,
campaign and suggestion record (and, through them, every login), so it refuses a database holding
records it did not generate unless given --force, and never writes to a test database.

A plain module rather than a management command: the benchmark is no installed app, and no app
should carry the benchmark's code. Django is set up in ``main`` before anything reads a model.
"""

import argparse
import os
import sys
import time

import django


def parser(sizes: dict) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description="Replace the database's records with synthetic data at national scale for "
        "the benchmark (bench/data, in the order of GENERATORS). Refuses a database holding "
        "other data unless --force, and never runs on the test database.",
    )
    parser.add_argument(
        "--scale",
        dest="factor",
        type=float,
        default=1.0,
        help="Multiply every default size, e.g. 0.01 for a quick small set (default 1).",
    )
    parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
    for name, size in sizes.items():
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            dest=name,
            type=int,
            metavar="N",
            help=f"Number of {size.help} (default {size.default:,} times --scale).",
        )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Do nothing when the database already holds data generated with the same "
        "seed and sizes (make bench uses this).",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="Replace data this command did not generate: deletes every branch, member, "
        "enterprise, campaign record and login.",
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    """Generate as the command line asks; a refusal exits with its reason."""
    from django.conf import settings
    from django.db import connection, transaction

    from bench import data
    from campaigns.models import Campaign
    from members.models import Branch, Member

    options = vars(parser(data.all_sizes()).parse_args(argv))
    factor, seed = options.pop("factor"), options.pop("seed")
    reuse, force = options.pop("reuse"), options.pop("force")
    sizes = data.scaled_sizes(factor, options)
    name = connection.settings_dict["NAME"]
    if name == settings.DATABASES["default"]["TEST"]["NAME"] or name.startswith("test_"):
        sys.exit(f"{name} is a test database: bench.generate never writes there.")
    wanted = data.marker(seed, sizes)
    comment = data.database_comment()
    if reuse and comment == wanted:
        print(f"{name} already holds the data of seed {seed} at these sizes.")
        return
    has_records = any(model.objects.exists() for model in (Branch, Member, Campaign))
    if has_records and not comment.startswith(data.MARKER) and not force:
        sys.exit(
            f"{name} holds records bench.generate did not generate. Point DATABASE_URL at "
            "another database, or give --force to replace them all (logins included)."
        )

    started = time.monotonic()
    summary = ", ".join(f"{size} {count:,}" for size, count in sizes.items())
    print(f"Generating into {name}, seed {seed}: {summary}", flush=True)
    try:
        with transaction.atomic():
            run = data.generate(seed=seed, sizes=sizes, log=lambda line: print(line, flush=True))
            data.set_database_comment(wanted)
    except ValueError as error:
        sys.exit(str(error))
    print("VACUUM (ANALYZE) of the generated tables…", flush=True)
    data.analyze(run.models)
    print(f"Done in {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_portal.settings")
    django.setup()
    main()
