"""Figures of public pages, cached until their records change.

A cached value's key carries ``PublicDataVersion.changed_at``, which database triggers move on
every change of a record the public pages read (members/models.py). Reading the version costs one
indexed single-row query; a changed record makes every key new, so nothing stale is ever served
and nothing needs to be deleted (old entries age out of the cache).
"""

import hashlib

from django.core.cache import cache

from members.models import PublicDataVersion

TIMEOUT = 24 * 3600


def version() -> str | None:
    changed_at = PublicDataVersion.objects.values_list("changed_at", flat=True).first()
    return changed_at.isoformat() if changed_at else None


def cached(name: str, *parts, compute, current_version: str | None = None):
    """``compute()``, or its value cached for this version of the public data. Without the
    version row (a database emptied by ``flush``) nothing is cached: no key could tell stale."""
    current_version = current_version or version()
    if current_version is None:
        return compute()
    # Parts may be anything a visitor typed (a search): hashed, the key stays short and plain.
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]
    key = f"public:{name}:{current_version}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


# The triggers that keep PublicDataVersion, created by each app's migration for its own tables.

TOUCH_FUNCTION = """
CREATE OR REPLACE FUNCTION public_data_touch() RETURNS trigger AS $$
BEGIN
    UPDATE members_publicdataversion SET changed_at = clock_timestamp() WHERE id = 1;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


def touch_triggers(*tables: str) -> tuple[str, str]:
    """(create, drop) SQL of a statement-level trigger per table: one UPDATE per statement, so a
    COPY of a million rows costs one, not a million."""
    create = "".join(
        f"CREATE TRIGGER {table}_public_touch AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION public_data_touch();\n"
        for table in tables
    )
    drop = "".join(f"DROP TRIGGER IF EXISTS {table}_public_touch ON {table};\n" for table in tables)
    return create, drop
