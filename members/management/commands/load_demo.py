from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string, module_has_submodule

from members.models import Branch


class Command(BaseCommand):
    help = "Load the demo data of the story (idempotent): every app's demo.load(), in app order."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds branches (make run uses this, so "
            "edits made while trying the portal survive a restart).",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Branch.objects.exists():
            self.stdout.write("Demo data already present; not loaded again.")
            return
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                if module_has_submodule(app_config.module, "demo"):
                    import_string(f"{app_config.name}.demo.load")()
                    self.stdout.write(f"Loaded demo data of {app_config.label}.")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
