from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the portal's site (portal/admin.py ``PortalAdminSite``): listed in
    INSTALLED_APPS in place of ``django.contrib.admin``."""

    default_site = "portal.admin.PortalAdminSite"
    default = False  # named in full in INSTALLED_APPS; "portal" is PortalConfig


class PortalConfig(AppConfig):
    """What every app shares and none owns (docs/architecture.md). It imports no other app."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.core import checks

        from portal.triggers import check_public_tables

        checks.register(check_public_tables)
