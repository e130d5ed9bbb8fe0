"""Public pages and their figures, cached until what they show changes.

Anonymous visitors get the public pages whole (``whole_page``); anyone else gets a page rendered
for them from cached figures (``cached``). What a page shows is named by its **scopes**
(portal/triggers.py: ``campaign:<id>``, ``campaigns``, ``roll``, ``suggestions`` and, for every
page, ``register``); database triggers move a scope's version as each transaction that changed
its records commits. A cached page or value carries the versions it was made from; reading the
current ones costs one indexed query.

When a version moved, one worker renders the page again (a lock in the cache: across app servers
with Redis) while the others keep serving the previous rendering, if it was made less than
``PUBLIC_STALE_SECONDS`` ago: a page never shows data older than that, and a campaign with a
gift a second renders each page about once a second, not once per visitor (a thundering herd of
renders took a page from 1,600 requests a second to 1). Without a usable previous rendering the
others wait for the one being made, for at most ``RENDER_WAIT_SECONDS``, then render themselves.
"""

import collections
import contextvars
import functools
import hashlib
import re
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connections, router
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from portal.models import PublicDataVersion
from portal.triggers import REGISTER

TIMEOUT = 24 * 3600
# A render that takes longer than this is no longer waited for (and its lock expires).
RENDER_WAIT_SECONDS = 5
POLL_SECONDS = 0.02


@dataclass(frozen=True)
class Versions:
    """The versions of some scopes, as read together, and when the newest of them changed."""

    of: tuple[tuple[str, int], ...]
    changed_at: float  # a timestamp; 0 when none of them ever changed

    def __str__(self):
        return ",".join(f"{scope}@{version}" for scope, version in self.of)

    def covers(self, scopes) -> bool:
        return set(scopes) <= {scope for scope, _ in self.of}

    def narrowed(self, scopes) -> "Versions":
        """These versions of ``scopes`` and ``register`` only."""
        wanted = {REGISTER, *scopes}
        return Versions(tuple(item for item in self.of if item[0] in wanted), self.changed_at)

    def holds(self, other: "Versions") -> bool:
        """Whether every version of ``other`` is one of these."""
        return set(other.of) <= set(self.of)


@dataclass(frozen=True)
class ScopeOf:
    """A scope named inside the versions' own query: ``sql``, an SQL expression with ``%s`` for
    each of ``params``, gives its name (a campaign page names its campaign's scope from the slug
    in the URL, without a query of its own)."""

    sql: str
    params: tuple


VERSIONS_SQL = (
    f"SELECT scope, version, changed_at FROM {PublicDataVersion._meta.db_table} "
    "WHERE scope = ANY(%s)"
)


def read_versions(scopes) -> Versions:
    """The current versions of ``scopes`` (and of ``register``, which every page reads), in one
    query; a scope that never changed is at version 0. A ``ScopeOf`` counts only when it names a
    version row.

    Plain SQL: every public request asks it, and building it with the ORM took longer than the
    rest of a cached page's request."""
    names = sorted({REGISTER, *(scope for scope in scopes if isinstance(scope, str))})
    named = [scope for scope in scopes if isinstance(scope, ScopeOf)]
    sql = VERSIONS_SQL + "".join(f" OR scope = ({scope.sql})" for scope in named)
    params = [names, *(param for scope in named for param in scope.params)]
    with connections[router.db_for_read(PublicDataVersion)].cursor() as cursor:
        cursor.execute(sql, params)
        rows = {scope: (version, changed_at) for scope, version, changed_at in cursor.fetchall()}
    newest = max((changed_at.timestamp() for _, changed_at in rows.values()), default=0)
    of = {scope: rows.get(scope, (0,))[0] for scope in names} | {
        scope: version for scope, (version, _) in rows.items()
    }
    return Versions(tuple(sorted(of.items())), newest)


# The versions a shared page read, so that the figures it caches are keyed on the same ones
# without asking the database again.
page_versions = contextvars.ContextVar("page_versions", default=None)


def versions_of(scopes) -> Versions:
    """The versions of ``scopes`` (and ``register``): those the page read, narrowed to these, so
    that a value keyed on fewer scopes than its page is not made again when only the others
    move; else read."""
    current = page_versions.get()
    if current is not None and current.covers(scopes):
        return current.narrowed(scopes)
    return read_versions(scopes)


def cached(name: str, *parts, scopes, compute, versions: Versions | None = None):
    """``compute()``, or its value cached for the current versions of ``scopes`` (``versions``
    when the caller read them already); made by one worker at a time, the previous value served
    meanwhile within the staleness bound."""
    return _fresh(cache_key(name, *parts), versions or versions_of(scopes), compute)


def cached_each(name: str, keys, *, scope_of, compute) -> dict:
    """{key: value} for ``keys``, each value cached for the current version of its own scope
    (``scope_of(key)``), the missing ones made together by ``compute(missing keys)``: a write to
    one key's scope makes only that key's value again (the figures of one campaign among those
    of a list). One query for the versions and one cache read. Made inside a page, which one
    worker renders at a time (``whole_page``), so without a render lock of its own."""
    scopes = {key: scope_of(key) for key in keys}
    versions = versions_of(list(scopes.values()))
    wanted = {key: str(versions.narrowed([scope])) for key, scope in scopes.items()}
    names = {key: cache_key(name, key) for key in keys}
    kept = cache.get_many(list(names.values()))
    values = {
        key: kept[names[key]]["value"]
        for key in keys
        if names[key] in kept and kept[names[key]]["versions"] == wanted[key]
    }
    missing = [key for key in keys if key not in values]
    if missing:
        made_at = time.time()
        made = compute(missing)
        cache.set_many(
            {
                names[key]: {"versions": wanted[key], "made_at": made_at, "value": made[key]}
                for key in missing
            },
            TIMEOUT,
        )
        values.update(made)
    return values


def cache_key(name: str, *parts) -> str:
    # Parts may be anything a visitor typed (a search): hashed, the key stays short and plain.
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]
    return f"public:{name}:{digest}"


# Each process also keeps its own copy of the whole pages it last served: keyed with their
# versions, a copy is never stale (one whose versions are not the current ones is not used), and
# a page is then served without fetching its ~100 KB from the shared cache at every request.
# Only whole pages (bytes): a value a view goes on to use must not be shared between requests.
LOCAL_PAGES = 200
_local: collections.OrderedDict[str, dict] = collections.OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str, wanted: str) -> dict | None:
    with _local_lock:
        kept = _local.get(key)
        if kept is None or kept["versions"] != wanted:
            return None
        _local.move_to_end(key)
        return kept


def _local_put(key: str, kept: dict) -> None:
    with _local_lock:
        _local[key] = kept
        _local.move_to_end(key)
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


def forget_local() -> None:
    """Drop this process's copies (with the shared cache emptied: a test, the benchmark)."""
    with _local_lock:
        _local.clear()


def _fresh(key: str, versions: Versions, compute, *, local: bool = False):
    """The value kept under ``key`` if made from ``versions``; else a new one, made by one
    caller at a time (``_render_lock``) while the others take the previous one if recent.
    ``local``: keep a copy in this process too (whole pages)."""
    wanted = str(versions)
    if local and (kept := _local_get(key, wanted)) is not None:
        return kept["value"]
    kept = cache.get(key)
    if kept is not None and kept["versions"] == wanted:
        if local:
            _local_put(key, kept)
        return kept["value"]
    lock = f"{key}:rendering:{hashlib.sha256(wanted.encode()).hexdigest()[:16]}"
    current = page_versions.get()
    if not cache.add(lock, 1, RENDER_WAIT_SECONDS):
        # The previous rendering, if recent; never inside another value being made, which is
        # kept under the new versions until the next change: a stale part would outlive the
        # bound there.
        recent = kept is not None and time.time() - kept["made_at"] <= settings.PUBLIC_STALE_SECONDS
        if recent and current is None:
            return kept["value"]
        deadline = time.monotonic() + RENDER_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            kept = cache.get(key)
            if kept is not None and kept["versions"] == wanted:
                return kept["value"]
    made_at = time.time()
    # What is made inside reads these versions, or the page's when they hold these and more
    # (versions_of narrows them to each value's scopes).
    wider = current is not None and current.holds(versions)
    reset = page_versions.set(current if wider else versions)
    try:
        value = compute()
        if value is not None:
            made = {"versions": wanted, "made_at": made_at, "value": value}
            cache.set(key, made, TIMEOUT)
            if local:
                _local_put(key, made)
    finally:
        page_versions.reset(reset)
        cache.delete(lock)
    return value


# The one part of a public page that differs between anonymous visitors: the CSRF token of the
# language switch. The cached page holds a placeholder; each visitor gets their own token.
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"\x00csrf\x00"


def whole_page(scopes):
    """Serve anonymous visitors the page as rendered once for the current versions of what it
    shows: ``scopes(request, **kwargs)`` names them.

    Only a visitor with no session and no pending message gets the shared page: anyone logged in
    (staff previews, "My record" in the menu) or told something by the last page is rendered for
    themselves. The key holds the host, the full path, the language and today's date (a page may
    say what is open today); the response's headers (security, language, CSRF cookie) are made
    afresh by the middleware for each visitor, only the HTML is shared. Only 200 answers are kept.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            shared = (
                request.method in ("GET", "HEAD")
                and settings.SESSION_COOKIE_NAME not in request.COOKIES
                and CookieStorage.cookie_name not in request.COOKIES
            )
            if not shared:
                return view(request, *args, **kwargs)
            versions = read_versions(scopes(request, *args, **kwargs))
            key = cache_key(
                "page",
                # The host too: a page's share links carry its absolute address.
                request.get_host(),
                request.get_full_path(),
                translation.get_language(),
                timezone.localdate(),
            )
            rendered = {}

            def render():
                response = view(request, *args, **kwargs)
                rendered["response"] = response
                if response.status_code != 200 or response.streaming or response.cookies:
                    return None
                content = CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
                return content, response["Content-Type"]

            kept = _fresh(key, versions, render, local=True)
            if "response" in rendered:  # this request rendered it: its own response
                return rendered["response"]
            content, content_type = kept
            if CSRF_PLACEHOLDER in content:
                content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
            return HttpResponse(content, content_type=content_type)

        return wrapper

    return decorator


def fixed_scopes(*names):
    """``whole_page``'s scopes for a page that always reads the same ones."""
    return lambda request, *args, **kwargs: names
