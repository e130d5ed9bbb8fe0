"""The part of the benchmark that runs inside Django: ``python -m bench.measure`` with
DJANGO_SETTINGS_MODULE=bench.settings and DATABASE_URL naming a benchmark database.

Prints JSON on stdout: the record counts; a session of a committee staff user (made here) for the
load tool; and for every page, the queries one request makes, measured with the test client on a
second request (so per-process caches are warm, as under load): how many, how long, the COUNT
queries among them and whether any counts a whole table, and EXPLAIN ANALYZE of the slowest.
Then the COPY reference of every export that has one; the downloads themselves are timed over
HTTP by ``bench.run`` (time to last byte, bytes, the worker's peak memory).

``pages()`` and EXPORTS are the lists later issues extend.
"""

import importlib
import json
import re
import statistics
import sys
import time
from dataclasses import asdict, dataclass

# A query slower than this gets its plan in the report.
EXPLAIN_FROM_MS = 20
AFTER_WRITE_RENDERS = 5
STAFF_USERNAME = "bench-staff"
FULL_TABLE_COUNT = re.compile(r'^SELECT COUNT\(\*\) AS "__count" FROM "(\w+)"$')
ROW_COUNT = re.compile(r"^SELECT COUNT\(\*\)")  # a paginator's count, not an aggregate
# portal.admin.LargeTablePaginator: the table's estimate, or a COUNT(*) of it when it is small.
ESTIMATE_OR_COUNT = re.compile(r'ELSE \(SELECT COUNT\(\*\) FROM "(\w+)"\) END')


@dataclass
class Page:
    name: str
    group: str  # "reference", "public" or "admin"
    path: str
    login: bool = False


@dataclass
class Export:
    name: str
    url: str | None  # None until the export exists: only its COPY reference is measured
    copy_sql: str | None = None  # the same rows straight from PostgreSQL: the database's ceiling
    login: bool = True  # downloaded with the committee staff session


def pages() -> list[Page]:
    from django.db.models import Count
    from django.urls import reverse

    from campaigns.models import Campaign

    largest = (
        Campaign.objects.public()
        .annotate(records=Count("donations"))
        .order_by("-records", "pk")
        .first()
    )
    return [
        Page("Trivial view", "reference", "/bench/trivial/"),
        Page("Home", "public", reverse("home")),
        Page("Largest campaign", "public", largest.get_absolute_url()),
        Page("Honour roll", "public", reverse("honours:honour-roll")),
        Page("Honour roll, donors", "public", f"{reverse('honours:honour-roll')}?category=donors"),
        Page("Suggestions", "public", reverse("suggestions:overview")),
        Page("Members", "admin", reverse("admin:members_member_changelist"), login=True),
        Page("Donations", "admin", reverse("admin:campaigns_donation_changelist"), login=True),
        Page(
            "Blood donations",
            "admin",
            reverse("admin:campaigns_blooddonation_changelist"),
            login=True,
        ),
        Page("Assignments", "admin", reverse("admin:campaigns_assignment_changelist"), login=True),
        Page(
            "Suggestions (admin)",
            "admin",
            reverse("admin:suggestions_suggestion_changelist"),
            login=True,
        ),
    ]


# Every donation, as the detail export writes it (reports/exports.py): its columns, by id.
DONATIONS_SQL = """
    SELECT d.date, c.title, m.name, b.name, e.name, d.donor_name, r.name, d.form, d.amount,
           d.channel, d.state, d.anonymous, d.receipt_no
    FROM campaigns_donation d
    JOIN campaigns_campaign c ON c.id = d.campaign_id
    JOIN campaigns_recipient r ON r.id = d.recipient_id
    LEFT JOIN members_member m ON m.id = d.member_id
    LEFT JOIN members_branch b ON b.id = m.branch_id
    LEFT JOIN members_enterprise e ON e.id = d.enterprise_id
    ORDER BY d.id
"""

# The leadership summary (all time, every branch) and the largest detail export, downloaded
# by committee staff. The donations exports hold every donation: 2,000,000 rows at full scale.
EXPORTS = [
    Export(name="Leadership summary, XLSX", url="/reports/summary.xlsx"),
    Export(name="Leadership summary, PDF", url="/reports/summary.pdf"),
    Export(
        name="Donations, detail CSV",
        url="/reports/records/donations.csv",
        copy_sql=DONATIONS_SQL,
    ),
    Export(
        name="Donations, detail XLSX",
        url="/reports/records/donations.xlsx",
        copy_sql=DONATIONS_SQL,
    ),
]


def staff_client():
    """A test client logged in as committee staff (every branch), and its session key."""
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.test import Client

    from members import roles
    from members.models import Branch, User

    user = User.objects.filter(username=STAFF_USERNAME).first() or User(username=STAFF_USERNAME)
    user.is_staff = True
    user.branch = Branch.objects.get(parent=None)
    user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get(name=roles.COMMITTEE_STAFF)])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def write_for(page: Page, campaign_id: int, made: list):
    """A committed write of what a public page shows, as staff make them: a gift of money in the
    largest campaign (the list, the campaign and the roll), or a suggestion saved again (the
    suggestions' page). Gifts made are listed in ``made``, to be deleted afterwards."""
    from decimal import Decimal

    from django.db.models import F

    from campaigns.models import Campaign, Donation
    from members.models import Member
    from suggestions.models import Suggestion

    if page.name == "Suggestions":
        suggestion = Suggestion.objects.public().order_by("pk").first()
        Suggestion.objects.filter(pk=suggestion.pk).update(title=F("title"))
        return
    campaign = Campaign.objects.get(pk=campaign_id)
    made.append(
        Donation.objects.create(
            campaign=campaign,
            recipient=campaign.recipients.order_by("pk").first(),
            member=Member.objects.order_by("pk").first(),
            form=Donation.Form.MONEY,
            amount=Decimal("100.50"),
            date=campaign.starts_on,
        ).pk
    )


def measure_page(client, page: Page, campaign_id: int, made: list) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal import public_cache

    # First with an empty cache: every value made afresh.
    cache.clear()
    public_cache.forget_local()
    with CaptureQueriesContext(connection) as cold:
        started = time.perf_counter()
        client.get(page.path)
        cold_ms = (time.perf_counter() - started) * 1000
    # Then the first request after a write of what the page shows: what its first visitor
    # after a gift waits for (values the write did not touch stay cached); the median of a few
    # writes, as one render of tens of milliseconds varies by as much.
    after_write_ms = None
    if page.group == "public":
        renders = []
        for _ in range(AFTER_WRITE_RENDERS):
            write_for(page, campaign_id, made)
            started = time.perf_counter()
            client.get(page.path)
            renders.append((time.perf_counter() - started) * 1000)
        after_write_ms = statistics.median(renders)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(page.path)
        elapsed_ms = (time.perf_counter() - started) * 1000
    queries = [{"sql": q["sql"], "ms": float(q["time"]) * 1000} for q in captured.captured_queries]
    counts = [q for q in queries if ROW_COUNT.match(q["sql"].strip())]
    slowest = max(queries, key=lambda q: q["ms"], default=None)
    return {
        **asdict(page),
        "status": response.status_code,
        "single_request_ms": elapsed_ms,
        "cold_request_ms": cold_ms,
        "after_write_ms": after_write_ms,
        "page_kb": len(response.content) / 1024,
        "cold_queries": len(cold.captured_queries),
        "queries": len(queries),
        "query_ms": sum(q["ms"] for q in queries),
        "count_queries": counts,
        "full_table_counts": [
            match[1] for q in counts if (match := FULL_TABLE_COUNT.match(q["sql"].strip()))
        ]
        + [table for q in queries if (table := counted_whole(q["sql"]))],
        "slowest": slowest,
        "slowest_plan": explain(slowest["sql"])
        if slowest and slowest["ms"] >= EXPLAIN_FROM_MS
        else None,
    }


def counted_whole(sql: str) -> str | None:
    """The table a paginator's estimate-or-count query counted row by row, if it did."""
    from django.db import connection

    from portal.admin import LargeTablePaginator

    match = ESTIMATE_OR_COUNT.search(sql)
    if not match:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [match[1]])
        estimate = cursor.fetchone()[0]
    return match[1] if estimate <= LargeTablePaginator.ESTIMATE_ABOVE else None


def copy_reference(export: Export) -> dict:
    """Time PostgreSQL's own COPY … TO STDOUT of the export's rows, read to the end."""
    from django.db import connection

    if export.copy_sql is None:
        return {**asdict(export), "copy_seconds": None, "copy_bytes": None, "copy_rows": None}
    started = time.perf_counter()
    size = rows = 0
    with connection.cursor() as cursor:
        statement = f"COPY ({export.copy_sql}) TO STDOUT WITH (FORMAT csv, HEADER)"
        with cursor.cursor.copy(statement) as copy:
            for data in copy:
                size += len(data)
                rows += bytes(data).count(b"\n")
    return {
        **asdict(export),
        "copy_seconds": time.perf_counter() - started,
        "copy_bytes": size,
        "copy_rows": rows - 1,  # the header line
    }


def record_counts() -> dict:
    from bench.data import GENERATORS

    return {
        str(model._meta.verbose_name_plural): model.objects.count()
        for module in GENERATORS
        for model in module.MODELS
    }


def live_campaigns() -> dict:
    """The largest donation drive (as ``pages()`` finds it) and another one, for the live
    campaign's writer (bench/live.py)."""
    from django.db.models import Count

    from campaigns.models import Campaign

    drives = (
        Campaign.objects.public()
        .filter(kind=Campaign.Kind.DONATION)
        .annotate(records=Count("donations"))
        .order_by("-records", "pk")
        .values_list("pk", flat=True)[:2]
    )
    largest, other = list(drives)
    return {"largest": largest, "other": other}


def main() -> None:
    # As a gunicorn worker runs the portal: branch_portal.wsgi loads Django, then keeps what
    # loading made out of the garbage collector's full passes (a full pass inside a render
    # measured here is one a worker would not make).
    importlib.import_module("branch_portal.wsgi")
    from django.test import Client
    from django.utils import translation

    # Start as a production worker does (branch_portal/wsgi.py: its garbage collector's setting).
    import branch_portal.wsgi  # noqa: F401

    translation.activate("en")  # model names in the report
    staff, session = staff_client()
    anonymous = Client(HTTP_HOST="127.0.0.1")
    from campaigns.models import Donation

    campaigns = live_campaigns()
    made = []
    measured = [
        measure_page(staff if page.login else anonymous, page, campaigns["largest"], made)
        for page in pages()
    ]
    Donation.objects.filter(pk__in=made).delete()
    results = {
        "records": record_counts(),
        "campaigns": campaigns,
        "session": session,
        "pages": measured,
        "exports": [copy_reference(export) for export in EXPORTS],
    }
    json.dump(results, sys.stdout, default=str)


if __name__ == "__main__":
    main()
