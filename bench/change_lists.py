"""Time the admin change lists with one connection: ``python -m bench.change_lists``.

Issue 15's target 8 (≤ 20 ms p50 per request at full scale, one connection) measured without a
server: Django's test client, logged in as a committee staff user made inside a transaction that
is rolled back at the end, so the benchmark database is left as it was. Each list is requested
a few times to warm the process's caches, then the lists are timed in turn; prints per list the
p50, p95 and fastest request, the median CPU time of this process per request (what other work
on a shared machine does not inflate), the SQL time and the queries of one request, and with
``--profile`` where the time goes.

    DATABASE_URL=postgres://…/branch_portal_bench DJANGO_SETTINGS_MODULE=tests.settings \
        .venv/bin/python -m bench.change_lists [--requests 40] [--profile]

``make bench`` runs it with ``--json`` (production settings) and reports target 8 from it.
"""

import argparse
import importlib
import json
import os
import statistics
import sys
import time

TARGET_P50_MS = 20
WARM_UP = 5


class Rollback(Exception):
    pass


def change_lists():
    from django.urls import reverse

    return [
        ("Members", reverse("admin:members_member_changelist")),
        ("Donations", reverse("admin:campaigns_donation_changelist")),
        ("Blood donations", reverse("admin:campaigns_blooddonation_changelist")),
        ("Assignments", reverse("admin:campaigns_assignment_changelist")),
        ("Suggestions", reverse("admin:suggestions_suggestion_changelist")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="timed requests per list")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json", action="store_true", help="print JSON, for bench.run")
    args = parser.parse_args()
    # As a gunicorn worker runs the portal: branch_portal.wsgi loads Django, then keeps what
    # loading made out of the garbage collector's full passes.
    importlib.import_module("branch_portal.wsgi")
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from bench.measure import staff_client

    try:
        with transaction.atomic():
            client, _ = staff_client()
            lists = change_lists()
            for _, path in lists:
                for _ in range(WARM_UP):
                    assert client.get(path).status_code == 200, path
            # The lists in turn, so that the load of a shared machine falls on all alike.
            times = {path: [] for _, path in lists}
            # This process's CPU time too: unlike the wall clock it does not grow when other
            # work shares the machine (nor with the database's time, which is in "SQL ms").
            cpu = {path: [] for _, path in lists}
            for _ in range(args.requests):
                for _, path in lists:
                    started, started_cpu = time.perf_counter(), time.process_time()
                    client.get(path)
                    times[path].append((time.perf_counter() - started) * 1000)
                    cpu[path].append((time.process_time() - started_cpu) * 1000)
            measured = {}
            for name, path in lists:
                with CaptureQueriesContext(connection) as captured:
                    client.get(path)
                measured[name] = {
                    "path": path,
                    "p50_ms": statistics.median(times[path]),
                    "p95_ms": statistics.quantiles(times[path], n=20)[-1],
                    "min_ms": min(times[path]),
                    "cpu_ms": statistics.median(cpu[path]),
                    "sql_ms": sum(float(q["time"]) for q in captured.captured_queries) * 1000,
                    "queries": len(captured.captured_queries),
                    "load_average": os.getloadavg()[0],
                }
                if args.profile:
                    profile(client, path)
            raise Rollback
    except Rollback:
        pass
    if args.json:
        json.dump({"requests": args.requests, "lists": measured}, sys.stdout)
        return
    header = ("list", "p50 ms", "p95 ms", "min ms", "CPU ms", "SQL ms", "queries")
    print("{:<16} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}".format(*header))
    for name, got in measured.items():
        verdict = "met" if got["p50_ms"] <= TARGET_P50_MS else "MISSED"
        print(
            f"{name:<16} {got['p50_ms']:7.1f} {got['p95_ms']:7.1f} {got['min_ms']:7.1f} "
            f"{got['cpu_ms']:7.1f} {got['sql_ms']:7.1f} "
            f"{got['queries']:7d}  p50 ≤ {TARGET_P50_MS} ms: {verdict}"
        )


def profile(client, path) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        client.get(path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
