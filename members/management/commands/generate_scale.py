import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from branch_portal import scale
from campaigns.models import Campaign
from members.models import Branch, Member


class Command(BaseCommand):
    help = (
        "Replace the database's records with synthetic data at national scale for the benchmark "
        "(every app's scale.generate, in app order). Refuses a database holding other data "
        "unless --force, and never runs on the test database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            dest="factor",
            type=float,
            default=1.0,
            help="Multiply every default size, e.g. 0.01 for a quick small set (default 1).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        for name, size in scale.all_sizes().items():
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

    def handle(self, *args, factor, seed, reuse, force, **options):
        sizes = scale.scaled_sizes(factor, options)
        name = connection.settings_dict["NAME"]
        if name == settings.DATABASES["default"]["TEST"]["NAME"] or name.startswith("test_"):
            raise CommandError(f"{name} is a test database: generate_scale never writes there.")
        wanted = scale.marker(seed, sizes)
        comment = scale.database_comment()
        if reuse and comment == wanted:
            self.stdout.write(f"{name} already holds the data of seed {seed} at these sizes.")
            return
        has_records = any(model.objects.exists() for model in (Branch, Member, Campaign))
        if has_records and not comment.startswith(scale.MARKER) and not force:
            raise CommandError(
                f"{name} holds records this command did not generate. Point DATABASE_URL at "
                "another database, or give --force to replace them all (logins included)."
            )

        started = time.monotonic()
        summary = ", ".join(f"{size} {count:,}" for size, count in sizes.items())
        self.stdout.write(f"Generating into {name}, seed {seed}: {summary}")
        try:
            with transaction.atomic():
                run = scale.generate(seed=seed, sizes=sizes, log=self.stdout.write)
                scale.set_database_comment(wanted)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("VACUUM (ANALYZE) of the generated tables…")
        scale.analyze(run.models)
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.0f} s."))
