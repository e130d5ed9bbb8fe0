"""Long downloads written by a background worker (``portal.models.ExportJob``, portal/jobs.py).

A download that could run longer than a request may (the production timeout) is written by a
worker into the default storage (under ``MEDIA_ROOT``, which every app server shares); its page
follows the job and then links to the file, for its requester only, until
``EXPORT_KEEP_HOURS`` after it was written, when it is deleted with its job.

Two kinds: the reports' detail exports (reports/exports.py ``write_export``) and the admin's
exports of a change list (``write_admin_export`` here), each past ``EXPORT_JOB_ROWS`` rows.
"""

import tempfile

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, QueryDict
from django.tasks import task
from django.utils.translation import gettext as _

from portal import jobs
from portal.models import ExportJob
from portal.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_chunks, xlsx_write


def delete_expired() -> None:
    """Downloads kept longer than ``EXPORT_KEEP_HOURS``, with their files (whenever anyone asks
    for an export: no timer needed)."""
    for job in ExportJob.objects.expired():
        if job.file:
            default_storage.delete(job.file)
        job.delete()


def queue(task_function, **fields) -> ExportJob:
    """A new export job, its task queued."""
    delete_expired()
    job = ExportJob.objects.create(**fields)
    jobs.enqueue(task_function, job)
    return job


def _counted(rows, progress):
    for done, row in enumerate(rows, start=1):
        if done % 1000 == 0:
            progress.done = done
        yield row


def store(job, progress, title: str, headers: list, rows) -> None:
    """Write ``rows`` under ``headers`` in the job's format into the default storage and mark
    the job done (the file is deleted again if the job was taken from this worker meanwhile)."""
    progress.start_phase("writing", job.rows_total)
    rows = _counted(rows, progress)
    with tempfile.TemporaryFile() as out:
        if job.file_format == "csv":
            for piece in csv_chunks(headers, rows):
                out.write(piece)
        else:
            xlsx_write(out, title, headers, rows)
        out.seek(0)
        name = default_storage.save(f"exports/{job.pk}/{job.file_name}", File(out))
    try:
        with transaction.atomic():
            jobs.finish(job, state=ExportJob.State.DONE, file=name, rows_done=job.rows_total)
    except jobs.JobGone:
        default_storage.delete(name)
        raise


def download_response(job):
    """The export's file, to its requester."""
    return FileResponse(
        default_storage.open(job.file, "rb"),
        as_attachment=True,
        filename=job.file_name,
        content_type=CSV_CONTENT_TYPE if job.file_format == "csv" else XLSX_CONTENT_TYPE,
    )


@task()
def write_admin_export(job_id: str) -> None:
    """An admin export of a change list (its filters and search as the user had them), with the
    admin's own resource and scope for the user, as the admin would have sent it."""
    job = jobs.take(ExportJob, job_id, ExportJob.State.QUEUED, to=ExportJob.State.RUNNING)
    if job is None:
        return

    def work(progress):
        params = job.params
        user = get_user_model()._default_manager.get(pk=job.requested_by)
        model_admin = admin.site.get_model_admin(apps.get_model(params["model"]))
        request = jobs.request_for(user)
        request.GET = QueryDict(params["query"])
        if not (user.is_active and user.is_staff and model_admin.has_export_permission(request)):
            jobs.fail(job, _("You may no longer read these records: nothing was written."))
            return
        queryset = model_admin.get_export_queryset(request)
        if params.get("items") is not None:
            queryset = queryset.filter(pk__in=params["items"])
        resource_class = model_admin.get_export_resource_classes(request)[0]
        resource = resource_class(**model_admin.get_export_resource_kwargs(request))
        fields = params.get("fields")
        queryset = resource.filter_export(queryset)
        rows = (
            resource.export_resource(record, selected_fields=fields)
            for record in resource.iter_queryset(queryset)
        )
        store(job, progress, job.title, resource.get_export_headers(selected_fields=fields), rows)

    jobs.run(job, work)
