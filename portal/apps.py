from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """What every app shares and none owns (docs/architecture.md). It imports no other app."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.core import checks

        from portal.triggers import check_public_tables

        checks.register(check_public_tables)
