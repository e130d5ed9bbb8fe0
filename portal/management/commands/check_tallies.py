from django.core.management.base import BaseCommand, CommandError

from portal import tallies


class Command(BaseCommand):
    help = (
        "Recount every maintained figure (portal/tallies.py: the campaigns' and the suggestions') "
        "from the rows and say where they differ; --repair writes the recount."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Write the recount.")

    def handle(self, *args, repair=False, **options):
        found = tallies.differences()
        for table, rows in found.items():
            self.stdout.write(f"{table}: {len(rows)} keys differ")
            for key, kept, counted in rows[:10]:
                self.stdout.write(f"  {key}: kept {kept}, recounted {counted}")
        if not found:
            self.stdout.write(self.style.SUCCESS("Every tally equals a recount of the rows."))
            return
        if not repair:
            raise CommandError("Tallies differ from a recount; run again with --repair.")
        tallies.repair()
        self.stdout.write(self.style.SUCCESS("Tallies written again from a recount."))
