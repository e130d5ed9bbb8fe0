"""The long-download benchmark (issue 15, target 6), inside Django: ``python -m bench.exports``
with DJANGO_SETTINGS_MODULE=bench.settings and DATABASE_URL naming a benchmark database.

A detail export longer than ``EXPORT_JOB_ROWS`` is written by a worker (reports/exports.py
``write_export``). This runs that task for every donation (all time, every branch) as CSV and
as XLSX, as committee staff (``bench-staff``, made by bench.measure), in this process as a worker
runs it: seconds to the file being ready, its bytes and sheets, the process's peak memory and
its growth (VmHWM after minus VmRSS before, MB), and the load average after it. The file and
its job are deleted afterwards. Prints JSON keyed by the export's name in bench.measure.EXPORTS.
One format a run: ``python -m bench.exports xlsx``.
"""

import json
import os
import re
import sys
import time
import zipfile

import django

from bench.imports import memory_mb

NAMES = {"csv": "Donations, detail CSV", "xlsx": "Donations, detail XLSX"}


def measure(user, file_format: str) -> dict:
    from django.core.files.storage import default_storage

    from portal.models import ExportJob
    from reports import exports, summary

    export = exports.EXPORTS["donations"]
    rows = summary.records(summary.Period(), None)["donations"].count()
    job = ExportJob.objects.create(
        requested_by=user.pk,
        kind="records",
        params={"key": "donations", "start": None, "end": None, "branch": None},
        title=str(export.title),
        file_name=f"bench.{file_format}",
        file_format=file_format,
        rows_total=rows,
        language="zh-hans",
    )
    before = memory_mb("VmRSS")
    started = time.perf_counter()
    exports.write_export.call(str(job.pk))
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    result = {
        "status": 200 if job.state == ExportJob.State.DONE else 500,
        "state": job.state,
        "message": job.message,
        "rows": rows,
        "seconds": seconds,
        "bytes": 0,
        "sheets": None,
        "peak_rss_mb": memory_mb("VmHWM"),
        "rss_growth_mb": memory_mb("VmHWM") - before,
        "load_average": os.getloadavg()[0],
        "job": True,
    }
    if job.file:
        result["bytes"] = default_storage.size(job.file)
        if file_format == "xlsx":
            with default_storage.open(job.file, "rb") as stored, zipfile.ZipFile(stored) as book:
                result["sheets"] = len(re.findall(rb"<sheet ", book.read("xl/workbook.xml")))
        default_storage.delete(job.file)
    job.delete()
    return result


def main() -> None:
    """One format a run (``csv`` or ``xlsx``): a process's peak memory is its own."""
    django.setup()
    from bench.measure import STAFF_USERNAME
    from members.models import User

    file_format = sys.argv[1]
    user = User.objects.get(username=STAFF_USERNAME)
    json.dump({NAMES[file_format]: measure(user, file_format)}, sys.stdout)


if __name__ == "__main__":
    main()
