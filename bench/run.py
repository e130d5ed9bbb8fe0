"""`make bench`: build (or reuse) the synthetic data, serve the portal with gunicorn on loopback,
load every page with wrk from a second process, and write docs/benchmarks.md.

Steps, each visible in the output:
1. Two databases on the DATABASE_URL server (or the embedded one): BENCH_DATABASE
   (default ``branch_portal_bench``) at BENCH_SCALE, and ``<that>_small`` at about 1,000 records
   for the query-count comparison. Created and migrated when missing; ``bench.generate --reuse``
   keeps data already generated with the same seed and sizes.
2. ``bench.measure`` (inside Django) in both: queries per page, plans, COPY references, and a
   committee staff session for the admin pages.
3. Per page: a fresh gunicorn (DEBUG off, production settings plus the trivial view), a warm-up,
   wrk at BENCH_CONNECTIONS connections for BENCH_SECONDS, then the workers' peak RSS (VmHWM: a
   fresh server per page makes it that page's peak).
4. Per export with a URL: a fresh gunicorn, one download as committee staff read to its last
   byte (time, bytes, status), and the growth of the worker's peak RSS it caused. The detail
   exports of every donation, which are background jobs, run as a worker runs them
   (``bench.exports``), one process per format.
5. The 50,000-row donation import, preview then import, as the workers run them
   (``bench.imports``, rolled back afterwards), one process per format.
6. The report, with the targets of issues 7 and 15 checked.

Django is not imported here: everything Django runs in a subprocess with the benchmark's env.
"""

import datetime
import json
import math
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import psycopg

from bench import live

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var" / "bench"
WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")
PYTHON = sys.executable

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
SEED = int(os.environ.get("BENCH_SEED", "1"))
SMALL_SCALE = 0.0005  # 100 members, 1,000 donations: "1,000 records"
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "20"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))  # as README's Production section
DATABASE = os.environ.get(
    "BENCH_DATABASE",
    "branch_portal_bench" if SCALE == 1 else f"branch_portal_bench_{SCALE:g}".replace(".", "_"),
)
# One key for the whole run: the session made in bench.measure must be valid in gunicorn.
SECRET_KEY = secrets.token_urlsafe(50)
# Several processes share one cache in production (docs/deploy.md: REDIS_URL): the benchmark's
# workers share this Redis database, emptied by bench.measure. Without a Redis there, each worker
# caches in its own memory, and the report says so.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
OUTPUT = Path(os.environ.get("BENCH_OUTPUT", BASE_DIR / "docs" / "benchmarks.md"))

# Issue 15's targets: the live campaign's pages, and a render after a write.
LIVE_PAGES = ("Home", "Largest campaign", "Honour roll")
LIVE_P95_MS = 150
RENDER_MS = 100
RENDER_TIMES_SMALL = 2

# Issue 7's targets.
MAX_SECONDS = 180

PUBLIC_P95_MS = 150
PUBLIC_SHARE_OF_TRIVIAL = 0.30
ADMIN_P95_MS = 500
SUMMARY_SECONDS = 2
CSV_TIMES_COPY = 10
CSV_GROWTH_MB = 100
XLSX_PEAK_MB = 300
EXCEL_DATA_ROWS = 1_048_576 - 1  # a sheet's rows below its header
# Issue 15's targets for imports and long downloads (targets 5 and 6).
IMPORT_SECONDS = 30
IMPORT_ROWS_PER_SECOND = 1_700
IMPORT_GROWTH_MB = 200
XLSX_TIMES_COPY = 15
CHANGE_LIST_P50_MS = 20  # target 8, one connection
# Detail exports past EXPORT_JOB_ROWS are written by a worker: measured as the worker runs them.
JOB_EXPORTS = "/reports/records/"


def say(line: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {line}", flush=True)


# Databases


def server() -> dict:
    """Where the benchmark databases live: the DATABASE_URL server, else the embedded one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        from branch_portal import embedded_db

        settings = embedded_db.connection_settings()
        return {"host": settings["HOST"], "port": settings["PORT"], "user": settings["USER"]}
    parts = urllib.parse.urlsplit(url)
    return {
        "host": urllib.parse.unquote(parts.hostname or ""),
        "port": str(parts.port or 5432),
        "user": urllib.parse.unquote(parts.username or ""),
        "password": urllib.parse.unquote(parts.password or ""),
    }


def database_url(name: str) -> str:
    s = server()
    credentials = urllib.parse.quote(s["user"], safe="")
    if s.get("password"):
        credentials += ":" + urllib.parse.quote(s["password"], safe="")
    # A socket directory as host is percent-encoded, which dj-database-url understands.
    return f"postgres://{credentials}@{urllib.parse.quote(s['host'], safe='')}:{s['port']}/{name}"


def ensure_database(name: str) -> None:
    with connect("postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            say(f"creating database {name}")
            connection.execute(
                psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name))
            )


def redis_answers(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=2) as redis:
            redis.sendall(b"PING\r\n")
            return redis.recv(16).startswith(b"+PONG")
    except OSError:
        return False


SHARED_CACHE = REDIS_URL if redis_answers(REDIS_URL) else ""


def environment(database: str) -> dict:
    """The portal's production configuration, on loopback, over plain HTTP."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url(database),
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        # gunicorn is reached over plain HTTP on loopback, with no TLS proxy in front.
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": SHARED_CACHE,
        # Pages cached by an earlier run (other templates, other data) are never served.
        "RELEASE": f"bench-{SECRET_KEY[:12]}",
    }


def manage(database: str, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment(database),
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def generate(database: str, scale: float) -> None:
    subprocess.run(
        [PYTHON, "-m", "bench.generate", "--reuse", "--scale", f"{scale:g}", "--seed", str(SEED)],
        cwd=BASE_DIR,
        env=environment(database),
        check=True,
    )


def prepare(database: str, scale: float) -> None:
    ensure_database(database)
    manage(database, "migrate", "--noinput", "-v", "0")
    generate(database, scale)


def measure(database: str) -> dict:
    say(f"instrumented requests in {database}")
    result = subprocess.run(
        [PYTHON, "-m", "bench.measure"],
        cwd=BASE_DIR,
        env=environment(database),
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    return json.loads(result.stdout)


# Load


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """One gunicorn serving the benchmark database, started fresh for each page."""

    def __init__(self, database: str, timeout: int = 300, workers: int = WORKERS):
        self.workers_wanted = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "branch_portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                # A slow page must be measured, not killed by the default 30 s.
                "--timeout",
                str(timeout),
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=environment(database),
        )

    def __enter__(self):
        deadline = time.monotonic() + 60
        while len(self.workers()) < self.workers_wanted or not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=60)

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base}/bench/trivial/", timeout=5):
                return True
        except OSError:
            return False

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def peaks_mb(self) -> dict[int, float]:
        """Each worker's peak resident set (VmHWM), in MB."""
        peaks = {}
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = int(line.split()[1]) / 1024
        return peaks

    def peak_rss_mb(self) -> float:
        """The largest peak resident set of any worker (VmHWM), in MB."""
        return max(self.peaks_mb().values())

    def get(self, path: str, session: str | None) -> None:
        request = urllib.request.Request(f"{self.base}{path}")
        if session:
            request.add_header("Cookie", f"sessionid={session}")
        with urllib.request.urlopen(request, timeout=300) as response:
            response.read()


def wrk(server: "Gunicorn", path: str, seconds: float, cookie: str | None) -> dict:
    """wrk on ``path`` of a started server for ``seconds``: its report, with the load average
    as it started."""
    command = [
        "wrk",
        "--threads",
        "2",
        "--connections",
        str(CONNECTIONS),
        "--duration",
        f"{seconds:.0f}s",
        "--timeout",
        "300s",
        "--script",
        str(WRK_SCRIPT),
        *(["--header", f"Cookie: sessionid={cookie}"] if cookie else []),
    ]
    report = VAR_DIR / "wrk.json"
    load_average = os.getloadavg()[0]
    subprocess.run(
        [*command, f"{server.base}{path}"],
        check=True,
        env={**os.environ, "WRK_REPORT": str(report)},
        stdout=subprocess.DEVNULL,
    )
    result = json.loads(report.read_text())
    result["peak_rss_mb"] = server.peak_rss_mb()
    result["load_average"] = load_average
    return result


def load(page: dict, session: str, database: str) -> dict:
    # A slow page runs longer, so that each connection completes about three requests.
    single_seconds = page["single_request_ms"] / 1000
    seconds = min(MAX_SECONDS, max(SECONDS, 3 * CONNECTIONS / WORKERS * single_seconds))
    say(f"loading {page['name']} {page['path']} for {seconds:.0f} s")
    cookie = session if page["login"] else None
    with Gunicorn(database) as server:
        # Warm every worker (imports, templates, connection) before measuring.
        for _ in range(WORKERS * 2):
            server.get(page["path"], cookie)
        return wrk(server, page["path"], seconds, cookie)


DOWNLOAD_TIMEOUT = 1800  # a full-scale XLSX is written whole before its first byte


def in_django(database: str, module: str, *args: str) -> dict:
    result = subprocess.run(
        [PYTHON, "-m", module, *args],
        cwd=BASE_DIR,
        env=environment(database),
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    return json.loads(result.stdout)


def export_jobs(database: str) -> dict:
    """The detail exports of every donation, written as a worker writes them (bench/exports.py),
    one process a format."""
    measured = {}
    for file_format in ("csv", "xlsx"):
        say(f"writing every donation as {file_format.upper()} in an export job")
        measured.update(in_django(database, "bench.exports", file_format))
    return measured


def import_runs(database: str) -> dict:
    """The donation file's preview and import, as the workers run them (bench/imports.py), one
    process a format."""
    runs = {}
    for file_format in ("csv", "xlsx"):
        say(f"importing a donation file ({file_format.upper()}): preview, then import")
        result = in_django(database, "bench.imports", file_format)
        runs["rows"] = result["rows"]
        runs[file_format] = result[file_format]
    return runs


def download(export: dict, session: str, database: str) -> dict:
    """A download on a fresh server, read to the last byte: seconds, bytes, status, and how
    much the peak RSS of the worker that served it grew (VmHWM after minus before). It is the
    second: the first, timed apart (``first_seconds``), also loads what a worker loads once (the
    PDF and workbook libraries, the font)."""
    say(f"downloading {export['name']} {export['url']}")
    # One worker: the second download is served by the worker that served the first.
    with Gunicorn(database, timeout=DOWNLOAD_TIMEOUT, workers=1) as server:
        request = urllib.request.Request(f"{server.base}{export['url']}")
        if export["login"]:
            request.add_header("Cookie", f"sessionid={session}")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response:
                while response.read(1024 * 1024):
                    pass
        except urllib.error.HTTPError:
            pass  # the second download says it
        first_seconds = time.perf_counter() - started
        before = server.peaks_mb()
        size = 0
        kept = VAR_DIR / "download"  # kept to look inside a workbook once it is timed
        started = time.perf_counter()
        try:
            with (
                urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response,
                kept.open("wb") as file,
            ):
                status = response.status
                while chunk := response.read(1024 * 1024):
                    size += len(chunk)
                    file.write(chunk)
        except urllib.error.HTTPError as error:
            status = error.code
        seconds = time.perf_counter() - started
        after = server.peaks_mb()
    growth = {pid: after[pid] - before.get(pid, after[pid]) for pid in after}
    served_by = max(growth, key=growth.get)
    sheets = None
    if export["url"].endswith(".xlsx") and status == 200:
        with zipfile.ZipFile(kept) as workbook:
            sheets = len(re.findall(rb"<sheet ", workbook.read("xl/workbook.xml")))
    kept.unlink(missing_ok=True)
    return {
        "status": status,
        "seconds": seconds,
        "first_seconds": first_seconds,
        "bytes": size,
        "peak_rss_mb": after[served_by],
        "rss_growth_mb": growth[served_by],
        "sheets": sheets,
    }


# Report


def machine() -> str:
    memory = Path("/proc/meminfo").read_text().split()[1]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    return f"{os.cpu_count()} cores ({cpu}), {int(memory) / 1024**2:.0f} GB RAM"


def yardstick() -> float:
    """Seconds a fixed pure-Python loop takes: how fast the machine is at that moment, so that
    absolute figures from runs on different machines (or one busy neighbour) can be compared."""
    started = time.perf_counter()
    total = 0
    for n in range(10_000_000):
        total += n
    return time.perf_counter() - started


def connect(database: str, **options) -> psycopg.Connection:
    s = server()
    return psycopg.connect(
        host=s["host"],
        port=s["port"],
        user=s["user"],
        password=s.get("password") or None,
        dbname=database,
        **options,
    )


def postgres_version(database: str) -> str:
    with connect(database) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


def autovacuum_runs(database: str) -> bool:
    with connect(database) as connection:
        return connection.execute("SHOW autovacuum").fetchone()[0] == "on"


def vacuum(database: str) -> None:
    """What autovacuum does within a minute on a server that runs it (PostgreSQL's default),
    done by hand on one that does not: without it, the dead rows every commit leaves in the
    tallies' delta tables (campaigns/tallies.py), and a rolled-back import's, are never cleared,
    and each commit slowed to half a second."""
    if autovacuum_runs(database):
        return
    say(f"VACUUM (ANALYZE) of {database}: autovacuum is off on this server")
    with connect(database, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


def ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def write_report(
    full: dict,
    small: dict,
    loads: dict,
    downloads: dict,
    started: datetime.datetime,
    live_runs: dict,
    recount: dict,
    imported: dict | None = None,
    change_lists: dict | None = None,
    speed: tuple[float, float] | None = None,
) -> None:
    trivial = loads["Trivial view"]
    small_queries = {page["name"]: page["queries"] for page in small["pages"]}
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (see README, section Benchmark); do not edit by hand.",
        "",
        f"- Run: {started:%Y-%m-%d %H:%M} UTC, {machine()}, PostgreSQL "
        f"{postgres_version(DATABASE)}, Python {platform.python_version()}.",
        *(
            [
                "- CPU yardstick: a fixed Python loop (10,000,000 additions) took "
                f"{speed[0]:.2f} s as the run started and {speed[1]:.2f} s as it ended; every "
                "absolute time here "
                "scales with it (a machine or a moment twice as slow doubles them), the ratios "
                "within one run do not."
            ]
            if speed
            else []
        ),
        "- Autovacuum: "
        + (
            "on."
            if autovacuum_runs(DATABASE)
            else "off on this server, so the run vacuums the databases itself (VACUUM ANALYZE "
            "after building them and after the import runs), as autovacuum would."
        ),
        f"- Data: database `{DATABASE}`, "
        f"`python -m bench.generate --scale {SCALE:g} --seed {SEED}`: "
        + ", ".join(f"{count:,} {name}" for name, count in full["records"].items())
        + ".",
        f"- Server: gunicorn, {WORKERS} sync workers, DEBUG off, on loopback, caching in "
        + (f"the Redis at `{SHARED_CACHE}`, shared" if SHARED_CACHE else "each worker's own memory")
        + f"; load: wrk, "
        f"{CONNECTIONS} connections, {SECONDS} s per page (longer for a slow page, so that each "
        f"connection completes about three requests; at most {MAX_SECONDS} s), after a warm-up; "
        "the whole run niced "
        "as the Makefile does, on a machine other jobs may share (load average below).",
        "- Queries: one instrumented request per page (Django test client in the same database, "
        "caches warm); *small* is the same page on "
        f"`{DATABASE}_small` (`--scale {SMALL_SCALE:g}`, about 1,000 records).",
        "",
        "## Pages",
        "",
        "| page | path | queries (small → full) | requests | p50 ms | p95 ms | req/s | errors "
        "| peak RSS MB | p95 × trivial | req/s % of trivial | load avg |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in full["pages"]:
        run = loads[page["name"]]
        errors = run["errors"] + (0 if page["status"] == 200 else 1)
        lines.append(
            f"| {page['name']} | `{page['path']}` | "
            f"{small_queries.get(page['name'], '–')} → {page['queries']} | {run['requests']:,} | "
            f"{ms(run['p50_ms'])} | "
            f"{ms(run['p95_ms'])} | {run['requests_per_second']:,.1f} | {errors} | "
            f"{run['peak_rss_mb']:.0f} | {run['p95_ms'] / trivial['p95_ms']:,.1f} | "
            f"{100 * run['requests_per_second'] / trivial['requests_per_second']:.1f} % | "
            f"{run['load_average']:.2f} |"
        )
    lines += [
        "",
        "*errors*: non-200 responses and socket errors under load, plus the instrumented "
        "request if it was not 200. *peak RSS*: the largest VmHWM of the gunicorn workers "
        "after that page's run (each page gets a fresh server).",
        "",
        "## Targets of issue 7",
        "",
        "| page | target | measured | verdict |",
        "|---|---|---|---|",
    ]
    for page in full["pages"]:
        run, name = loads[page["name"]], page["name"]
        same = small_queries.get(name) == page["queries"]
        if page["group"] == "public":
            share = run["requests_per_second"] / trivial["requests_per_second"]
            lines += [
                f"| {name} | same queries at 1,000 records and at full scale | "
                f"{small_queries.get(name)} → {page['queries']} | {verdict(same)} |",
                f"| {name} | p95 ≤ {PUBLIC_P95_MS} ms | {ms(run['p95_ms'])} ms | "
                f"{verdict(run['p95_ms'] <= PUBLIC_P95_MS)} |",
                f"| {name} | ≥ {PUBLIC_SHARE_OF_TRIVIAL:.0%} of the trivial view's req/s | "
                f"{share:.1%} | {verdict(share >= PUBLIC_SHARE_OF_TRIVIAL)} |",
            ]
        elif page["group"] == "admin":
            full_counts = ", ".join(page["full_table_counts"]) or "none"
            lines += [
                f"| {name} | same queries at 1,000 records and at full scale | "
                f"{small_queries.get(name)} → {page['queries']} | {verdict(same)} |",
                f"| {name} | p95 ≤ {ADMIN_P95_MS} ms | {ms(run['p95_ms'])} ms | "
                f"{verdict(run['p95_ms'] <= ADMIN_P95_MS)} |",
                f"| {name} | no full-table COUNT | {full_counts} | "
                f"{verdict(not page['full_table_counts'])} |",
            ]
    lines += live_report(full, small, trivial, live_runs, recount)
    lines += [
        "",
        "## Downloads and the COPY reference",
        "",
        "Each export (`bench/measure.py` `EXPORTS`) downloaded by committee staff on a fresh "
        "server of one worker, with no other load: the time to its last byte, its size, the "
        "status, and the peak RSS (VmHWM) of the worker that served it, with how much that "
        "download made it grow. "
        "It is the second download: the first, in brackets, also loads what a worker loads once "
        "(the PDF and workbook libraries, the font). "
        "A detail export of more than `EXPORT_JOB_ROWS` rows is written by a background worker "
        "(`bench/exports.py` runs its task as a worker does): its time is the worker's, to the "
        "file ready in storage, and its memory the worker process's. "
        "Beside it, PostgreSQL's own `COPY (SELECT …) TO STDOUT` of the same rows, read to the "
        "end by the client: the database's ceiling (none for the leadership summary, which "
        "holds aggregates).",
        "",
        "| download | rows | COPY s | COPY MB | export | status | download s | download MB "
        "| worker peak RSS MB | RSS growth MB |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for export in full["exports"]:
        copied = export["copy_rows"] is not None
        got = downloads.get(export["name"])
        measured = (
            f"{got['status']} | {got['seconds']:.1f}"
            + (f" ({got['first_seconds']:.1f})" if got.get("first_seconds") else "")
            + f" | {got['bytes'] / 1024**2:.1f} | "
            f"{got['peak_rss_mb']:.0f} | {got['rss_growth_mb']:.0f}"
            if got
            else "– | – | – | – | –"
        )
        lines.append(
            f"| {export['name']} | "
            + (
                f"{export['copy_rows']:,} | {export['copy_seconds']:.1f} | "
                f"{export['copy_bytes'] / 1024**2:.0f} | "
                if copied
                else "– | – | – | "
            )
            + f"{'`' + export['url'] + '`' if export['url'] else 'not built yet'} | {measured} |"
        )
    lines += [
        "",
        "### Targets of issue 7 for downloads",
        "",
        "| download | target | measured | verdict |",
        "|---|---|---|---|",
    ]
    for export in full["exports"]:
        lines += download_verdicts(export, downloads.get(export["name"]))
    lines += [
        "",
        "## What the numbers do not show",
        "",
        "- Public pages under load are served whole from the cache (one query for the data's "
        "version). The first visitor after a write of what a page shows renders it again: that "
        "time is under *A render after a write*.",
        "- A detail export past `EXPORT_JOB_ROWS` rows is a background job: the request that "
        "asks for it answers at once with the job's page, and the download of the finished file "
        "is a plain file response. No request runs longer than the production timeout.",
    ]
    if imported:
        lines += import_report(imported)
    if change_lists:
        lines += change_list_report(change_lists)
    lines += ["", "## Where the time goes", ""]
    lines += [
        "Per page, from the instrumented request: time of the request alone (no concurrency), "
        "time in SQL, the row counts (`SELECT COUNT(*)`), and the slowest query with its plan "
        "when it took 20 ms or more.",
        "",
    ]
    for page in full["pages"]:
        if page["group"] == "reference":
            continue
        lines += [
            f"### {page['name']} (`{page['path']}`)",
            "",
            f"- one request: {ms(page['single_request_ms'])} ms, of which SQL "
            f"{ms(page['query_ms'])} ms in {page['queries']} queries; status {page['status']}",
            f"- the first request with an empty cache (on a public page: the first visitor after "
            "any write): "
            f"{ms(page['cold_request_ms'])} ms in {page['cold_queries']} queries",
        ]
        for query in page["count_queries"]:
            lines.append(f"- row count, {ms(query['ms'])} ms: `{shorten(query['sql'])}`")
        slowest = page["slowest"]
        if slowest:
            lines.append(f"- slowest, {ms(slowest['ms'])} ms: `{shorten(slowest['sql'])}`")
        if page["slowest_plan"]:
            lines += ["", "```", page["slowest_plan"], "```"]
        lines.append("")
    OUTPUT.write_text("\n".join(lines).rstrip() + "\n")
    say(f"wrote {OUTPUT}")


def live_report(full: dict, small: dict, trivial: dict, live_runs: dict, recount: dict) -> list:
    """Issue 15's targets 1 and 2: the pages while a writer records a gift a second, and the
    first render after a write at full scale against about 1,000 records."""
    lines = [
        "",
        "## A live campaign (issue 15)",
        "",
        f"wrk as above on each page while a writer records {live.WRITES_PER_SECOND} gift of "
        "money a second (a clerk's save, history included), in the largest campaign, then in "
        f"another one. Target: p95 ≤ {LIVE_P95_MS} ms, ≥ {PUBLIC_SHARE_OF_TRIVIAL:.0%} of the "
        "trivial view's req/s, no errors.",
        "",
        "| page | writer in | gifts written | requests | p50 ms | p95 ms | req/s "
        "| % of trivial | errors | load avg | verdict |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for (name, writer), run in live_runs.items():
        share = run["requests_per_second"] / trivial["requests_per_second"]
        ok = (
            run["p95_ms"] <= LIVE_P95_MS and share >= PUBLIC_SHARE_OF_TRIVIAL and run["errors"] == 0
        )
        lines.append(
            f"| {name} | {writer} | {run['written']} | {run['requests']:,} | "
            f"{ms(run['p50_ms'])} | {ms(run['p95_ms'])} | {run['requests_per_second']:,.1f} | "
            f"{share:.1%} | {run['errors']} | {run['load_average']:.2f} | {verdict(ok)} |"
        )
    equal = (
        recount["tallies_equal_recount"]
        and recount["members_own_shown"] == recount["members_own_recounted"]
        and recount["donors_shown"] == recount["donors_recounted"]
    )
    lines += [
        "",
        f"After the runs, the largest campaign's page shows {recount['members_own_shown']} yuan "
        f"of members' own money and {recount['donors_shown']} member donors; a recount of its "
        f"rows gives {recount['members_own_recounted']} and {recount['donors_recounted']}; its "
        f"tallies equal a recount: {recount['tallies_equal_recount']}. {verdict(equal)}.",
        "",
        "### A render after a write (issue 15, target 2)",
        "",
        "The first request after a committed write of what the page shows (a gift of money in "
        "the largest campaign; for the suggestions' page, a suggestion saved again), in-process, "
        "the page rendered before: what the first visitor after a gift waits for; the median of "
        "five writes. Target: "
        f"≤ {RENDER_MS} ms at full scale and within {RENDER_TIMES_SMALL}× of the same page at "
        "about 1,000 records. Beside it, for reference, the first request with an empty cache "
        "(every value made afresh; the first page measured also pays for the process's start), "
        "and the page's size: at about 1,000 records a page may show fewer names or titles than "
        "one page holds.",
        "",
        "| page | small ms | full ms | empty cache: small ms | full ms | page KB: small | full "
        "| verdict |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    small_pages = {page["name"]: page for page in small["pages"]}
    for page in full["pages"]:
        if page["group"] != "public":
            continue
        before = small_pages.get(page["name"], {})
        after = page["after_write_ms"]
        ok = after <= RENDER_MS and after <= RENDER_TIMES_SMALL * max(
            before.get("after_write_ms") or 0, 1
        )
        lines.append(
            f"| {page['name']} | {ms(before.get('after_write_ms') or 0)} | {ms(after)} | "
            f"{ms(before.get('cold_request_ms') or 0)} | {ms(page['cold_request_ms'])} | "
            f"{before.get('page_kb', 0):.0f} | {page['page_kb']:.0f} | {verdict(ok)} |"
        )
    return lines


def download_verdicts(export: dict, got: dict | None) -> list[str]:
    """The issue's targets for one download: the summary's time; a detail export's time against
    the COPY reference and its memory; a workbook's sheets at Excel's row limit."""
    name = export["name"]
    if got is None:
        return [f"| {name} | downloaded | not measured | **not met** |"]
    ok = got["status"] == 200
    if export["copy_rows"] is None:
        return [
            f"| {name} | ≤ {SUMMARY_SECONDS} s | {got['seconds']:.1f} s | "
            f"{verdict(ok and got['seconds'] <= SUMMARY_SECONDS)} |"
        ]
    if not export["url"].endswith(".xlsx"):
        times = got["seconds"] / export["copy_seconds"]
        return [
            f"| {name} | ≤ {CSV_TIMES_COPY} × COPY | {times:.1f} × | "
            f"{verdict(ok and times <= CSV_TIMES_COPY)} |",
            f"| {name} | memory growth ≤ {CSV_GROWTH_MB} MB | {got['rss_growth_mb']:.0f} MB | "
            f"{verdict(ok and got['rss_growth_mb'] <= CSV_GROWTH_MB)} |",
        ]
    sheets = max(1, math.ceil(export["copy_rows"] / EXCEL_DATA_ROWS))
    times = got["seconds"] / export["copy_seconds"]
    return [
        f"| {name} | ≤ {XLSX_TIMES_COPY} × COPY | {times:.1f} × | "
        f"{verdict(ok and times <= XLSX_TIMES_COPY)} |",
        f"| {name} | memory flat: growth ≤ {CSV_GROWTH_MB} MB | {got['rss_growth_mb']:.0f} MB | "
        f"{verdict(ok and got['rss_growth_mb'] <= CSV_GROWTH_MB)} |",
        f"| {name} | peak memory < {XLSX_PEAK_MB} MB | {got['peak_rss_mb']:.0f} MB | "
        f"{verdict(ok and got['peak_rss_mb'] < XLSX_PEAK_MB)} |",
        f"| {name} | split at Excel's row limit: {sheets} sheets | {got['sheets']} sheets | "
        f"{verdict(ok and got['sheets'] == sheets)} |",
    ]


def change_list_report(measured: dict) -> list[str]:
    """Issue 15, target 8: each admin change list requested in turn by one client
    (``bench.change_lists``), with its verdict."""
    lines = [
        "",
        "## Admin change lists (issue 15, target 8)",
        "",
        "One connection: Django's test client in one process, as committee staff (every branch), "
        f"each list requested {measured['requests']} times in turn after a warm-up "
        "(`bench/change_lists.py`). *CPU ms*: that process's own time per request (other work "
        f"on the machine does not inflate it). Target: p50 ≤ {CHANGE_LIST_P50_MS} ms.",
        "",
        "| list | p50 ms | p95 ms | CPU ms | SQL ms | queries | load avg | verdict |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, got in measured["lists"].items():
        ok = got["p50_ms"] <= CHANGE_LIST_P50_MS
        lines.append(
            f"| {name} | {got['p50_ms']:.1f} | {got['p95_ms']:.1f} | {got['cpu_ms']:.1f} | "
            f"{got['sql_ms']:.1f} | {got['queries']} | {got['load_average']:.2f} | "
            f"{verdict(ok)} |"
        )
    return lines


def import_report(imported: dict) -> list[str]:
    """Issue 15, target 5: the donation file's preview and import, each step as a worker runs
    it, with its verdicts."""
    rows = imported["rows"]
    lines = [
        "",
        "## Imports (issue 15, target 5)",
        "",
        f"A donation file of {rows:,} rows (`bench/imports.py`: money gifts of the database's own "
        "members, each with a receipt number of its own), uploaded by committee staff; the "
        "preview and the import run through the same task functions the workers run; the import "
        "writes every donation with its history and the admin's log in one transaction, then "
        "the benchmark rolls it back. *memory growth*: the process's peak (VmHWM) above its size "
        "once the file was built.",
        "",
        "| file | step | seconds | rows/s | memory growth MB | job state | load avg |",
        "|---|---|---:|---:|---:|---|---:|",
    ]
    verdicts = []
    for file_format in ("csv", "xlsx"):
        for step in ("preview", "import"):
            run = imported[file_format][step]
            lines.append(
                f"| {file_format.upper()} ({imported[file_format]['bytes'] / 1024**2:.1f} MB) | "
                f"{step} | {run['seconds']:.1f} | {run['rows_per_second']:,.0f} | "
                f"{run['memory_growth_mb']:.0f} | {run['state']} | {run['load_average']:.2f} |"
            )
            done = run["state"] in ("awaiting", "imported")
            name = f"{file_format.upper()} {step}"
            verdicts += [
                f"| {name} | ≤ {IMPORT_SECONDS} s, ≥ {IMPORT_ROWS_PER_SECOND:,} rows/s | "
                f"{run['seconds']:.1f} s, {run['rows_per_second']:,.0f} rows/s | "
                f"{verdict(done and run['seconds'] <= IMPORT_SECONDS)} |",
                f"| {name} | memory growth ≤ {IMPORT_GROWTH_MB} MB | "
                f"{run['memory_growth_mb']:.0f} MB | "
                f"{verdict(done and run['memory_growth_mb'] <= IMPORT_GROWTH_MB)} |",
            ]
    return [
        *lines,
        "",
        "| import | target | measured | verdict |",
        "|---|---|---|---|",
        *verdicts,
    ]


def shorten(sql: str, limit: int = 400) -> str:
    sql = " ".join(sql.split())
    return sql if len(sql) <= limit else sql[:limit] + " …"


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("make bench needs wrk (apt-get install wrk)")
    started = datetime.datetime.now(datetime.UTC)
    speed_at_start = yardstick()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    small_database = f"{DATABASE}_small"
    say(f"data: {DATABASE} at scale {SCALE:g}, {small_database} at {SMALL_SCALE:g}")
    prepare(DATABASE, SCALE)
    prepare(small_database, SMALL_SCALE)
    vacuum(DATABASE)
    vacuum(small_database)
    manage(DATABASE, "collectstatic", "--noinput", "-v", "0")
    small = measure(small_database)
    full = measure(DATABASE)
    # One connection's time per request: measured first, before the loads heat the machine.
    say("admin change lists, one connection")
    change_lists = in_django(DATABASE, "bench.change_lists", "--json")
    loads = {page["name"]: load(page, full["session"], DATABASE) for page in full["pages"]}
    downloads = {
        export["name"]: download(export, full["session"], DATABASE)
        for export in full["exports"]
        if export["url"] and not export["url"].startswith(JOB_EXPORTS)
    }
    downloads.update(export_jobs(DATABASE))
    imported = import_runs(DATABASE)
    vacuum(DATABASE)  # the imports were rolled back: their rows are dead
    live_pages = [page for page in full["pages"] if page["name"] in LIVE_PAGES]
    largest, other = full["campaigns"]["largest"], full["campaigns"]["other"]
    live_runs = live.live_campaign(sys.modules[__name__], live_pages, largest, other, DATABASE)
    recount = live.verify_recount(sys.modules[__name__], largest, DATABASE)
    write_report(
        full,
        small,
        loads,
        downloads,
        started,
        live_runs,
        recount,
        imported,
        change_lists,
        (speed_at_start, yardstick()),
    )


if __name__ == "__main__":
    main()
