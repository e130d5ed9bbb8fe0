"""Detail exports of every kind of record for a period and a branch subtree, streamed.

Rows are read with a server-side cursor (``iterator``) in chunks and written as they come by the
portal's writers (portal/spreadsheets.py): the CSV goes to the client in pieces as it is
written, the XLSX is written to a temporary file that never holds a sheet in memory and then
streamed. Memory therefore does not grow with the number of rows. An XLSX sheet holds at most
Excel's 1,048,576 rows; more go on further sheets. Contact details are not exported: the report
is about what members did.

An export of more than ``EXPORT_JOB_ROWS`` rows is written by a background worker instead
(``start_export``, ``write_export``; portal/exports.py): its file waits in the default storage
(``MEDIA_ROOT``, shared by every app server) for whoever asked for it, for
``EXPORT_KEEP_HOURS``, so that no request runs longer than the production timeout.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.tasks import task
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branch_portal.routers import reading_replica
from campaigns.models import BloodDonation, Donation
from honours.models import Citation
from members.models import Branch
from members.scoping import Scope
from portal import exports as portal_exports
from portal import jobs
from portal.models import ExportJob
from portal.spreadsheets import (
    CSV_CONTENT_TYPE,
    EXCEL_MAX_ROWS,
    XLSX_CONTENT_TYPE,
    csv_chunks,
    xlsx_file,
)
from reports import summary
from suggestions.models import Suggestion

CHUNK = 2000


@dataclass(frozen=True)
class RecordExport:
    key: str
    title: object  # lazy text
    queryset_key: str  # which of reports.summary.records() it reads
    columns: list[tuple[object, str]]  # (header, field path for values_list)
    labels: dict[int, dict] | None = None  # column index → {code: label}


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


EXPORTS = {
    export.key: export
    for export in [
        RecordExport(
            "donations",
            gettext_lazy("Donations"),
            "donations",
            [
                (gettext_lazy("Date"), "date"),
                (gettext_lazy("Campaign"), "campaign__title"),
                (gettext_lazy("Member"), "member__name"),
                (gettext_lazy("Branch"), "member__branch__name"),
                (gettext_lazy("Enterprise"), "enterprise__name"),
                (gettext_lazy("Outside donor"), "donor_name"),
                (gettext_lazy("Recipient"), "recipient__name"),
                (gettext_lazy("Form"), "form"),
                (gettext_lazy("Amount (yuan)"), "amount"),
                (gettext_lazy("Channel"), "channel"),
                (gettext_lazy("State"), "state"),
                (gettext_lazy("Anonymous"), "anonymous"),
                (gettext_lazy("Receipt number"), "receipt_no"),
            ],
            {
                7: _labels(Donation.Form.choices),
                9: _labels(Donation.Channel.choices),
                10: _labels(Donation.State.choices),
            },
        ),
        RecordExport(
            "blood_donations",
            gettext_lazy("Blood donations"),
            "blood_donations",
            [
                (gettext_lazy("Date"), "date"),
                (gettext_lazy("Campaign"), "campaign__title"),
                (gettext_lazy("Member"), "member__name"),
                (gettext_lazy("Branch"), "member__branch__name"),
                (gettext_lazy("Blood station"), "station"),
                (gettext_lazy("Volume (ml)"), "volume_ml"),
                (gettext_lazy("Component"), "component"),
                (gettext_lazy("State"), "state"),
            ],
            {6: _labels(BloodDonation.Component.choices), 7: _labels(BloodDonation.State.choices)},
        ),
        RecordExport(
            "assignments",
            gettext_lazy("Volunteer assignments"),
            "assignments",
            [
                (gettext_lazy("From"), "starts_on"),
                (gettext_lazy("To"), "ends_on"),
                (gettext_lazy("Campaign"), "posting__campaign__title"),
                (gettext_lazy("Place"), "posting__place"),
                (gettext_lazy("Member"), "member__name"),
                (gettext_lazy("Branch"), "member__branch__name"),
                (gettext_lazy("Days served"), "days_served"),
                (gettext_lazy("Hours logged"), "hours_logged"),
                (gettext_lazy("Confirmed"), "confirmed"),
            ],
        ),
        RecordExport(
            "suggestions",
            gettext_lazy("Suggestions"),
            "suggestions",
            [
                (gettext_lazy("Received on"), "received_on"),
                (gettext_lazy("Title"), "title"),
                (gettext_lazy("Topic"), "topic"),
                (gettext_lazy("Call"), "call__title"),
                (gettext_lazy("Branch"), "branch__name"),
                (gettext_lazy("Collective"), "by_branch"),
                (gettext_lazy("State"), "state"),
                (gettext_lazy("Public"), "is_public"),
            ],
            {6: _labels(Suggestion.State.choices)},
        ),
        RecordExport(
            "citations",
            gettext_lazy("Citations"),
            "citations",
            [
                (gettext_lazy("Kind"), "kind"),
                (gettext_lazy("Member"), "member__name"),
                (gettext_lazy("Branch"), "member__branch__name"),
                (gettext_lazy("Enterprise"), "enterprise__name"),
                (gettext_lazy("Title"), "title"),
                (gettext_lazy("Unit"), "unit"),
                (gettext_lazy("Role"), "role"),
                (gettext_lazy("Date"), "date"),
            ],
            {0: _labels(Citation.Kind.choices)},
        ),
    ]
}


def _rows(export: RecordExport, queryset: QuerySet):
    """The export's rows in a stable order, read in chunks by a server-side cursor; choices and
    yes/no in words."""
    fields = [path for _header, path in export.columns]
    yes, no = _("yes"), _("no")
    labels = export.labels or {}
    for row in queryset.order_by("pk").values_list(*fields).iterator(chunk_size=CHUNK):
        cells = list(row)
        for index, value in enumerate(cells):
            if index in labels:
                cells[index] = labels[index].get(value, value)
            elif value is True:
                cells[index] = yes
            elif value is False:
                cells[index] = no
        yield cells


def _headers(export: RecordExport) -> list[str]:
    return [str(header) for header, _path in export.columns]


def csv_response(export: RecordExport, queryset: QuerySet, filename: str):
    response = StreamingHttpResponse(
        csv_chunks(_headers(export), _rows(export, queryset)), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.csv")
    return response


def xlsx_response(
    export: RecordExport, queryset: QuerySet, filename: str, max_rows: int = EXCEL_MAX_ROWS
):
    stored = xlsx_file(str(export.title), _headers(export), _rows(export, queryset), max_rows)
    # FileResponse closes (and so deletes) the file once it is sent.
    return FileResponse(
        stored, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE
    )


# Long exports, written by a worker


def start_export(*, user, export, file_format, period, branch, filename, rows, language):
    """Queue the export's writing by a worker; its page (reports:export-job) follows it."""
    return portal_exports.queue(
        write_export,
        requested_by=user.pk,
        kind="records",
        params={
            "key": export.key,
            "start": period.start.isoformat() if period.start else None,
            "end": period.end.isoformat() if period.end else None,
            "branch": branch.pk if branch is not None else None,
        },
        title=str(export.title),
        file_name=f"{filename}.{file_format}",
        file_format=file_format,
        rows_total=rows,
        language=language,
    )


@task()
def write_export(job_id: str) -> None:
    """Write a long export into the default storage for its requester, if they may still read
    those records (their scope is settled again: it may have changed since they asked)."""
    job = jobs.take(ExportJob, job_id, ExportJob.State.QUEUED, to=ExportJob.State.RUNNING)
    if job is None:
        return

    def work(progress):
        user = get_user_model()._default_manager.get(pk=job.requested_by)
        params = job.params
        branch = Branch.objects.filter(pk=params["branch"]).first() if params["branch"] else None
        scope = Scope(user)
        if not (user.is_active and user.is_staff) or not (
            scope.covers(branch) if branch is not None else scope.everything
        ):
            jobs.fail(job, _("You may no longer read these records: nothing was written."))
            return
        export = EXPORTS[params["key"]]
        start, end = (
            datetime.date.fromisoformat(day) if day else None
            for day in (params["start"], params["end"])
        )
        with reading_replica():
            queryset = summary.records(summary.Period(start, end), branch)[export.queryset_key]
            queryset = queryset.using(queryset.db)
        portal_exports.store(
            job, progress, str(export.title), _headers(export), _rows(export, queryset)
        )

    jobs.run(job, work)
