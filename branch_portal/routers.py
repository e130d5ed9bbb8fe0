"""Reports read from a replica of the database when ``REPORTS_DATABASE_URL`` names one.

The leadership summary and the detail exports read whole periods of records and change nothing;
on a busy primary they can move to a streaming replica (docs/deploy.md). The reports' views read
their records inside ``reading_replica()``: while it is active, every read goes to the ``reports``
database, whatever model it is of; writes always go to ``default``. Who is asking and what they may
see (session, user, permissions, branch scope) is settled on the primary before, so a permission
just withdrawn holds at once. Everything else (public pages, the admin, a member's own page) reads
the primary, where a clerk sees their own write at once. Without ``REPORTS_DATABASE_URL`` this
router is not installed and ``reading_replica()`` changes nothing.
"""

import contextlib
import contextvars

REPLICA = "reports"

_reading_replica = contextvars.ContextVar("reading_replica", default=False)


@contextlib.contextmanager
def reading_replica():
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


class ReportsReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reading_replica.get() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # a replica follows the primary's schema by itself
