"""Public pages and their figures, cached until their records change.

Anonymous visitors get the four public pages whole (``whole_page``); anyone else gets a page
rendered for them from cached figures (``cached``). A cached value's key carries
``PublicDataVersion.changed_at``, which database triggers move as each change of a record the
public pages read commits (portal/triggers.py). Reading the version costs one indexed single-row
query; a changed record makes every key new, so nothing stale is ever served and nothing needs
to be deleted (old entries age out of the cache).
"""

import contextvars
import functools
import hashlib
import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from portal.models import PublicDataVersion

TIMEOUT = 24 * 3600


# The version a shared page (whole_page) read, so that the figures of that page are read at the
# same version, without asking the database again.
page_version = contextvars.ContextVar("page_version", default=None)


def ensure_version_row(*, using="default", apps=None, **kwargs) -> None:
    """The one version row the triggers update (they never insert it)."""
    try:
        model = apps.get_model("portal", "PublicDataVersion") if apps else PublicDataVersion
    except LookupError:  # a migrate that has not reached the portal's tables yet
        return
    model.objects.using(using).get_or_create(pk=1, defaults={"changed_at": timezone.now()})


def version() -> str | None:
    if (current := page_version.get()) is not None:
        return current
    changed_at = PublicDataVersion.objects.values_list("changed_at", flat=True).first()
    return changed_at.isoformat() if changed_at else None


def cached(name: str, *parts, compute, current_version: str | None = None):
    """``compute()``, or its value cached for this version of the public data. Without the
    version row (a database emptied by ``flush``) nothing is cached: no key could tell stale."""
    current_version = current_version or version()
    if current_version is None:
        return compute()
    key = cache_key(name, current_version, *parts)
    value = cache.get(key)
    if value is None:
        # A value cached inside ``compute`` (what the honour roll's blood donors wait for)
        # belongs to the same version, read once.
        reset = page_version.set(current_version)
        try:
            value = compute()
        finally:
            page_version.reset(reset)
        cache.set(key, value, TIMEOUT)
    return value


def cache_key(name: str, current_version: str, *parts) -> str:
    # Parts may be anything a visitor typed (a search): hashed, the key stays short and plain.
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]
    return f"public:{name}:{current_version}:{digest}"


# The one part of a public page that differs between anonymous visitors: the CSRF token of the
# language switch. The cached page holds a placeholder; each visitor gets their own token.
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"\x00csrf\x00"


def whole_page(view):
    """Serve anonymous visitors the page as rendered once for this version of the public data.

    Only a visitor with no session and no pending message gets the shared page: anyone logged in
    (staff previews, "My record" in the menu) or told something by the last page is rendered for
    themselves. The key holds the host, the full path, the language and today's date (a page may
    say what is open today); the response's headers (security, language, CSRF cookie) are made
    afresh by the middleware for each visitor, only the HTML is shared. Only 200 answers are kept.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        shared = (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
        )
        current_version = version() if shared else None
        if current_version is None:
            return view(request, *args, **kwargs)
        key = cache_key(
            "page",
            current_version,
            # The host too: a page's share links carry its absolute address.
            request.get_host(),
            request.get_full_path(),
            translation.get_language(),
            timezone.localdate(),
        )
        kept = cache.get(key)
        if kept is None:
            reset = page_version.set(current_version)
            try:
                response = view(request, *args, **kwargs)
            finally:
                page_version.reset(reset)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                content = CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
                cache.set(key, (content, response["Content-Type"]), TIMEOUT)
            return response
        content, content_type = kept
        if CSRF_PLACEHOLDER in content:
            content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
        return HttpResponse(content, content_type=content_type)

    return wrapper
