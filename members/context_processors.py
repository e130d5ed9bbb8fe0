"""What every page says about the site: its name (the committee's), who issues it, how to reach
them and its ICP number (settings ``SITE_*``, README's configuration table)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext

from members.models import Branch

# The top branch's name is read at most this often, for the pages that need it (SITE_NAME unset).
TOP_BRANCH_SECONDS = 300


@dataclass(frozen=True)
class Site:
    name: str
    issuer: str
    contact: str
    icp: str


def top_branch_name() -> str:
    """The committee at the top of the tree, "" in a database without branches."""
    return cache.get_or_set(
        "site:top-branch-name",
        lambda: (
            Branch.objects.filter(parent=None)
            .order_by("path")
            .values_list("name", flat=True)
            .first()
            or ""
        ),
        TOP_BRANCH_SECONDS,
    )


def site_details() -> Site:
    name = settings.SITE_NAME or top_branch_name() or gettext("Branch Portal")
    return Site(
        name=name,
        issuer=settings.SITE_ISSUER or name,
        contact=settings.SITE_CONTACT,
        icp=settings.SITE_ICP,
    )


def site(request) -> dict:
    # Lazy: read when a template names it, in the language of the request being rendered.
    return {"site": SimpleLazyObject(site_details)}
