"""The import benchmark (issue 15, target 5), inside Django: ``python -m bench.imports`` with
DJANGO_SETTINGS_MODULE=bench.settings and DATABASE_URL naming a benchmark database.

Builds a donation file of BENCH_IMPORT_ROWS rows (default 50,000) from the database's own
members (named by 社员编号, or 姓名 and 手机), donation drives and recipients, each row a money gift
on a day of its campaign with a receipt number of its own; then runs the portal's two jobs on it
as committee staff (``bench-staff``, made by bench.measure), through the same task functions a
worker runs:

- the preview (``check_upload``): read, look up, check every row;
- the import (``import_upload``): the same, then write every donation with its history and the
  admin's log, in one transaction. It runs inside a transaction that is rolled back afterwards,
  so that the benchmark database keeps its data (the writes are done and timed all the same).

Prints JSON: for the format (``python -m bench.imports csv`` or ``xlsx``: one a run, so that a
process's peak memory is its own) and each step, the seconds, rows a second, the job's end
state, the peak memory growth (VmHWM, reset once the file is read, minus VmRSS then, in MB; the
file is built by a child process, whose memory is its own) and the load average after it.
"""

import csv
import datetime
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "50000"))
HEADERS = [
    "记录编号",
    "姓名",
    "手机",
    "社员编号",
    "活动",
    "日期",
    "形式",
    "金额（元）",
    "方式",
    "企业",
    "社外捐赠人",
    "受赠单位",
    "匿名",
    "收据号",
    "状态",
    "物品",
    "数量",
    "单位",
    "估值（元）",
]


def memory_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def rows(count: int) -> list[list]:
    from campaigns.models import Campaign, Recipient
    from members.models import Member

    chance = random.Random(15)
    campaigns = list(Campaign.objects.filter(kind="donation").order_by("pk")[:20])
    recipients = list(Recipient.objects.order_by("pk").values_list("name", flat=True)[:20])
    members = list(
        # Each named unmistakably: by 社员编号, or by 姓名 with 手机.
        Member.objects.exclude(phone="")
        .order_by("?")
        .values_list("name", "phone", "number")[: count // 2]
    )
    stamp = f"B{int(time.time())}"
    made = []
    for n in range(count):
        name, phone, number = members[n % len(members)]
        campaign = campaigns[n % len(campaigns)]
        end = campaign.ends_on or campaign.starts_on
        days = max((end - campaign.starts_on).days, 0)
        day = campaign.starts_on + datetime.timedelta(days=chance.randint(0, days))
        by_number = bool(number) and n % 2 == 0
        made.append(
            [
                "",
                name,
                "" if by_number else phone,
                number if by_number else "",
                campaign.slug,
                day.isoformat(),
                "钱款",
                f"{chance.randint(1, 500000) / 100:.2f}",
                "直接",
                "",
                "",
                recipients[n % len(recipients)],
                "否",
                f"{stamp}-{n}",
                "已收到",
                "",
                "",
                "",
                "",
            ]
        )
    return made


def as_csv(table: list[list]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([HEADERS, *table])
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(table: list[list]) -> bytes:
    """The workbook as openpyxl saves one, with the sheet's dimension; its text is inline in each
    cell, where Excel writes a table of shared strings (the import reads both)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(step, job_id, before: float) -> dict:
    from portal.models import PendingImport

    started = time.perf_counter()
    step.call(str(job_id))
    seconds = time.perf_counter() - started
    job = PendingImport.objects.get(pk=job_id)
    return {
        "seconds": seconds,
        "rows_per_second": ROWS / seconds if seconds else None,
        "state": job.state,
        "errors": (job.result or {}).get("error_rows"),
        "file_errors": (job.result or {}).get("file_errors"),
        "memory_growth_mb": memory_mb("VmHWM") - before,
        "load_average": os.getloadavg()[0],
    }


def measure(user, file_format: str, content: bytes) -> dict:
    from django.db import transaction

    from portal import imports
    from portal.models import PendingImport

    result = {"bytes": len(content)}
    # The peak from building the file is not the import's: Linux resets VmHWM to VmRSS on "5".
    Path("/proc/self/clear_refs").write_text("5")
    before = memory_mb("VmRSS")
    with transaction.atomic():
        job = PendingImport.objects.create(
            uploaded_by=user.pk,
            model="campaigns.Donation",
            file_name=f"bench.{file_format}",
            file_format=file_format,
            data=content,
            language="zh-hans",
        )
        result["preview"] = run(imports.check_upload, job.pk, before)
        PendingImport.objects.filter(pk=job.pk).update(state="importing", runner=None)
        result["import"] = run(imports.import_upload, job.pk, before)
        # Keep the benchmark's data as it was: the import was written and timed, then undone.
        transaction.set_rollback(True)
    return result


def build(file_format: str, path: str) -> None:
    """``python -m bench.imports build csv|xlsx PATH``: the file, written to PATH."""
    table = rows(ROWS)
    Path(path).write_bytes(as_csv(table) if file_format == "csv" else as_xlsx(table))


def main() -> None:
    """One format a run (``csv`` or ``xlsx``): a process's peak memory is its own. The file is
    built by a child process, so that what building it took (openpyxl holds a whole workbook) is
    not left in this one's memory to be reused by the import, hiding its growth."""
    django.setup()
    if sys.argv[1] == "build":
        build(sys.argv[2], sys.argv[3])
        return
    from bench.measure import STAFF_USERNAME
    from members.models import User

    file_format = sys.argv[1]
    user = User.objects.get(username=STAFF_USERNAME)
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, f"bench.{file_format}")
        subprocess.run(
            [sys.executable, "-m", "bench.imports", "build", file_format, path], check=True
        )
        content = Path(path).read_bytes()
    json.dump({"rows": ROWS, file_format: measure(user, file_format, content)}, sys.stdout)


if __name__ == "__main__":
    main()
