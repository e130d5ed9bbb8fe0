"""The admin machinery every app's admin builds on.

- ``HistoryAdmin``: the admin of every audited model: history and its revert form (with the
  object's permissions checked), stale forms refused (portal/concurrency.py), forged autocomplete
  values read safely (portal/widgets.py), 25 rows a page counted cheaply (``LargeTablePaginator``).
- ``SpreadsheetAdminMixin``: spreadsheet import and export; an import is checked and then
  imported by background jobs (portal/imports.py, portal/jobs.py), confirmed once, within limits.
- ``AllOrNothingActionsMixin``: bulk actions that move every selected record or none.
- ``PortalAdminSite``: the staff's workbench: an index that says whose branches these are and
  counts what waits for the user, quick actions, apps and models in the order of the work.
"""

import dataclasses
import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db import connection, models, transaction
from django.db.models import ForeignKey
from django.forms.utils import ErrorDict, flatatt
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.functional import Promise, SimpleLazyObject, cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_tasks_db.models import DBTaskResult
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

from portal import exports as portal_exports
from portal import imports, jobs
from portal.concurrency import OptimisticConcurrencyAdmin
from portal.import_templates import template_workbook
from portal.models import ExportJob, PendingImport
from portal.spreadsheets import SPREADSHEET_FORMATS, SafeXLSX
from portal.widgets import CheckedAutocompleteFields


class LimitedImportForm(ImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page's script empties the format for a file whose name it does not know (.xls,
        # .ods, .et): say which formats there are, not only that one is required.
        self.fields["format"].error_messages["required"] = _(
            "Choose the file's format: XLSX (.xlsx, Excel or WPS workbook) or CSV (.csv). "
            "Save an .xls, .et or .ods file as .xlsx first."
        )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_MB * 1024 * 1024:
            raise ValidationError(
                _(
                    "%(name)s is larger than %(limit)d MB, the most one import takes. Split it "
                    "into smaller files."
                )
                % {"name": upload.name, "limit": settings.IMPORT_MAX_MB}
            )
        return upload

    def refuse(self, messages):
        """Show ``messages`` (why the last file could not be imported) under the file field of
        this fresh form, where the user chooses another."""
        self.cleaned_data = {}
        self._errors = ErrorDict()
        for message in messages:
            self.add_error("import_file", message)


class ConfirmUploadForm(forms.Form):
    job = forms.UUIDField(widget=forms.HiddenInput)
    # Offered when the preview found rows repeating records already held (portal/imports.py
    # DUPLICATE): left unticked, they are not imported.
    import_duplicates = forms.BooleanField(
        label=_("Import these duplicate rows anyway"), required=False, initial=False
    )

    def __init__(self, *args, duplicates=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not duplicates:
            del self.fields["import_duplicates"]


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import/export in XLSX and CSV of the rows the user may see, plus a blank template to
    download.

    The import is ours (portal/imports.py): the upload waits in the database
    (``portal.PendingImport``, the uploader's only) and is checked by a background job, whose
    page (``import/<id>/``) shows its progress and then the preview; the confirmation queues
    the import, once however often it is sent, and the same page shows its progress and result.
    Files are limited in size (``IMPORT_MAX_MB``), rows and columns (portal/spreadsheets.py).
    The export is django-import-export's.
    """

    formats = SPREADSHEET_FORMATS
    import_formats = SPREADSHEET_FORMATS
    export_formats = SPREADSHEET_FORMATS
    import_form_class = LimitedImportForm
    import_job_template_name = "admin/import_export/import_job.html"
    # django-import-export's upload page, with a link to the template to fill in.
    import_template_name = "admin/import_export/import_with_template.html"

    def get_resource_kwargs(self, request, *args, **kwargs):
        # Every resource is given the rows the user may see: the only ones it may update or
        # export.
        return {"scope_queryset": self.get_queryset(request)}

    def get_import_resource_kwargs(self, request, **kwargs):
        return self.get_resource_kwargs(request)

    def get_export_resource_kwargs(self, request, **kwargs):
        return self.get_resource_kwargs(request)

    def import_resource_for(self, request):
        """The resource an import of ``request``'s user reads files with (also in a worker,
        with a request made of the user alone: portal/jobs.py ``request_for``)."""
        resource_class = self.get_import_resource_classes(request)[0]
        return resource_class(**self.get_import_resource_kwargs(request))

    def _job_url(self, job):
        info = self.opts.app_label, self.opts.model_name
        return reverse("admin:{}_{}_import_job".format(*info), args=[job.pk])

    def import_action(self, request, **kwargs):
        """The upload: the file is kept and its check queued; the job's page shows the rest."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_import_form(request)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            file_format = self.get_import_formats()[int(form.cleaned_data["format"])]().get_title()
            with transaction.atomic():
                job = imports.new_upload(
                    user=request.user,
                    model_label=self.opts.label,
                    upload=upload,
                    file_format=file_format,
                    language=translation.get_language() or settings.LANGUAGE_CODE,
                )
            return HttpResponseRedirect(self._job_url(job))
        return self._import_page(request, form=form)

    def _import_page(self, request, **context):
        resource = self.import_resource_for(request)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import"),
            "opts": self.opts,
            "media": self.media + context["form"].media,
            "fields_list": [
                (
                    resource.get_display_name(),
                    [f.column_name for f in resource.get_user_visible_fields()],
                )
            ],
            "import_error_display": self.import_error_display,
            **context,
        }
        request.current_app = self.admin_site.name
        template = self.import_job_template_name if "job" in context else self.import_template_name
        return TemplateResponse(request, [template], context)

    def import_job_view(self, request, job_id):
        """The page of an upload's check and import: progress while a worker has it (the page
        reloads itself), then the preview and its confirmation, or the result."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = (
            PendingImport.objects.uploaded(job_id, user=request.user)
            .filter(model=self.opts.label)
            .first()
        )
        if job is None:
            raise Http404
        job = jobs.check_alive(job)
        outcome = imports.Outcome.from_json(job.result)
        form = self.create_import_form(request)
        context = {"job": job, "outcome": outcome, "form": form}
        if job.result is not None:
            context["result"] = outcome
        if job.state == PendingImport.State.AWAITING:
            context["confirm_form"] = ConfirmUploadForm(
                initial={"job": job.pk}, duplicates=bool(outcome.count(imports.DUPLICATE))
            )
            context["confirm_by"] = job.changed_at + datetime.timedelta(
                minutes=settings.IMPORT_PENDING_MINUTES
            )
        if outcome.file_errors:
            form.refuse(outcome.file_errors)
        if job.running:
            context["queued_before"] = jobs.queue_position(job) if job.runner is None else None
            phase = imports.PHASES.get(job.phase)
            context["phase"] = gettext(phase) if phase else ""
        return self._import_page(request, **context)

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """The confirmation: queues the import of the upload it names once, whoever sends it
        twice."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ConfirmUploadForm(request.POST)
        token = form.cleaned_data["job"] if form.is_valid() else None
        awaiting = PendingImport.objects.awaiting(token, user=request.user, model=self.opts.label)
        with transaction.atomic():
            # Locked until the import is queued: a second confirmation meanwhile skips it, and
            # one after it finds it no longer awaiting.
            job = awaiting.select_for_update(skip_locked=True).first()
            if job is not None:
                imports.confirm_upload(
                    job, import_duplicates=form.cleaned_data.get("import_duplicates", False)
                )
        if job is None:
            return self._confirmation_refused(request, token, awaiting.exists())
        return HttpResponseRedirect(self._job_url(job))

    def _confirmation_refused(self, request, token, in_progress: bool):
        upload = PendingImport.objects.uploaded(token, user=request.user).first()
        if in_progress or (upload is not None and upload.state == PendingImport.State.IMPORTING):
            message = gettext(
                "This file is being imported now (its confirmation was sent twice); it is "
                "imported once. The list shows its records in a moment."
            )
        elif upload is not None and upload.state == PendingImport.State.IMPORTED:
            message = gettext("This file was already imported: nothing was imported again.")
        else:
            message = gettext(
                "This upload is no longer waiting for confirmation (it waited longer than "
                "%(minutes)d minutes, or it is not yours): nothing was imported. Upload the file "
                "again."
            ) % {"minutes": settings.IMPORT_PENDING_MINUTES}
        messages.warning(request, message)
        if upload is not None and upload.model == self.opts.label:
            return HttpResponseRedirect(self._job_url(upload))
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        )

    def get_data_for_export(self, request, queryset, **kwargs):
        dataset = super().get_data_for_export(request, queryset, **kwargs)
        # The XLSX sheet's name: the records' own ("捐赠"), not tablib's "Tablib Dataset".
        dataset.title = str(self.opts.verbose_name_plural)
        return dataset

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        """An export past ``EXPORT_JOB_ROWS`` rows is written by a worker (portal/exports.py):
        the answer is its page, which links to the file once written."""
        if queryset.count() <= settings.EXPORT_JOB_ROWS:
            return super()._do_file_export(file_format, request, queryset, export_form)
        selected = "export_items" in getattr(export_form, "changed_data", ())
        extension = file_format.get_extension()
        job = portal_exports.queue(
            portal_exports.write_admin_export,
            requested_by=request.user.pk,
            kind="admin",
            params={
                "model": self.opts.label,
                "query": request.GET.urlencode(),
                "fields": self.get_export_resource_fields_from_form(export_form),
                "items": list(queryset.values_list("pk", flat=True)) if selected else None,
            },
            title=str(self.opts.verbose_name_plural),
            file_name=self.get_export_filename(request, queryset, file_format),
            file_format=extension,
            rows_total=queryset.count(),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        info = self.opts.app_label, self.opts.model_name
        return HttpResponseRedirect(reverse("admin:{}_{}_export_job".format(*info), args=[job.pk]))

    def _own_export(self, request, job_id):
        if not self.has_export_permission(request):
            raise PermissionDenied
        job = ExportJob.objects.requested(job_id, user=request.user).filter(
            kind="admin", params__model=self.opts.label
        )
        job = job.first()
        if job is None:
            raise Http404
        return jobs.check_alive(job)

    def export_job_view(self, request, job_id):
        """A long export's page: its progress while a worker writes it (the page reloads
        itself), then its download link, until ``EXPORT_KEEP_HOURS`` after it was written."""
        job = self._own_export(request, job_id)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Export"),
            "opts": self.opts,
            "job": job,
            "queued_before": jobs.queue_position(job) if job.runner is None else None,
            "kept_until": job.changed_at + datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, ["admin/import_export/export_job.html"], context)

    def export_download_view(self, request, job_id):
        job = self._own_export(request, job_id)
        if job.state != ExportJob.State.DONE or not default_storage.exists(job.file):
            raise Http404
        return portal_exports.download_response(job)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export/<str:job_id>/",
                self.admin_site.admin_view(self.export_job_view),
                name="{}_{}_export_job".format(*info),
            ),
            path(
                "export/<str:job_id>/download/",
                self.admin_site.admin_view(self.export_download_view),
                name="{}_{}_export_download".format(*info),
            ),
            path(
                "import-template/",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            path(
                "import/<str:job_id>/",
                self.admin_site.admin_view(self.import_job_view),
                name="{}_{}_import_job".format(*info),
            ),
        ] + super().get_urls()

    def import_template_view(self, request):
        """An empty XLSX with exactly the import columns, for clerks to fill in, and a sheet
        describing them (portal/import_templates.py)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.import_resource_for(request)
        dataset = resource.export(queryset=resource.get_queryset().none())
        content = template_workbook(resource, dataset.headers)
        response = HttpResponse(content, content_type=SafeXLSX.CONTENT_TYPE)
        filename = f"{self.opts.model_name}-import-template.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class AllOrNothingActionsMixin:
    """Admin actions that move each selected record through a service: if one selected record
    cannot move, none does, and the message says which and why."""

    def _apply(self, request, queryset, move, done_message, *, name=None) -> None:
        """Run ``move`` on every selected record in one transaction: all or none.

        ``move`` raises ValidationError to refuse a record; ``name`` (record → text), when
        given, prefixes each reason with the record it concerns, for reasons that do not say.
        """
        failures = []
        with transaction.atomic():
            for record in queryset.order_by("pk"):
                try:
                    move(record)
                except ValidationError as error:
                    if name is None:
                        failures.extend(error.messages)
                    else:
                        failures.extend(
                            gettext("%(record)s: %(reason)s")
                            % {"record": name(record), "reason": reason}
                            for reason in error.messages
                        )
            if failures:
                transaction.set_rollback(True)
        if failures:
            self.message_user(
                request,
                gettext("Nothing was changed: %(reasons)s") % {"reasons": " ".join(failures)},
                messages.ERROR,
            )
        else:
            count = queryset.count()
            self.message_user(request, done_message(count), messages.SUCCESS)


class LargeTablePaginator(Paginator):
    """Counts exactly, except a whole large table: then PostgreSQL's own estimate of its rows
    (``pg_class.reltuples``, kept by ANALYZE), free where ``COUNT(*)`` reads millions of rows.
    A filtered list (a clerk's branch, a search, a filter) is always counted exactly."""

    # Counting 100,000 rows took 5 ms of every page of the suggestions list under load; the
    # estimate of a table this size or larger is exact enough for "about N results".
    ESTIMATE_ABOVE = 10_000

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is None or query.where or query.distinct:
            return super().count
        # One query either way, so a list costs the same whatever its table's size.
        table = connection.ops.quote_name(query.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT CASE WHEN reltuples > %s THEN reltuples::bigint "
                f"ELSE (SELECT COUNT(*) FROM {table}) END "
                f"FROM pg_class WHERE oid = %s::regclass",
                [self.ESTIMATE_ABOVE, query.model._meta.db_table],
            )
            return cursor.fetchone()[0]


class ReadableHistoryContextHelper(HistoricalRecordContextHelper):
    """The changes on a history page in words, as the forms show them: a choice's label, not its
    code ("审阅中 → 已报送", not "under_review → forwarded"); 是/否; dates as dates; several values
    joined with "、"; nothing as "—" (simple-history writes "None" and "[]")."""

    def stringify_delta_change_values(self, change, old, new):
        field = self.model._meta.get_field(change.field)
        return super().stringify_delta_change_values(
            change, readable_value(field, old), readable_value(field, new)
        )


def readable_value(model_field, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list | tuple):
        return "、".join(readable_value(model_field, item) for item in value)
    # An array of choices (a posting's duties) has its choices on the array's base field.
    choices = getattr(model_field, "base_field", model_field).flatchoices
    if choices and not isinstance(value, models.Model):
        return str(dict(choices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def related(record, name):
    """The object a foreign key of a historical record names, or None if it is gone."""
    try:
        return getattr(record, name)
    except ObjectDoesNotExist:
        return None


class DirectSelect(forms.Select):
    """Django's select, written directly instead of through the template engine (a template per
    option: a millisecond of every change list for its actions menu). Options only, no groups."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class DirectActionForm(helpers.ActionForm):
    action = forms.ChoiceField(label=_("Action:"), widget=DirectSelect)


def one_line(text) -> str:
    """A change list cell kept on one line (static/css/admin.css cuts it with "…" at the
    column's width) with its full text on hover."""
    return format_html('<span class="one-line" title="{}">{}</span>', text, text)


def money(amount) -> str:
    """An amount of yuan as the change lists show it, right-aligned by static/css/admin.css:
    ¥1,234.50."""
    return "" if amount is None else f"¥{amount:,.2f}"


class HistoryAdmin(OptimisticConcurrencyAdmin, CheckedAutocompleteFields, SimpleHistoryAdmin):
    """The admin of every audited model: simple-history's, with its revert form closed to users
    who may not change the record (simple-history saves a POSTed revert on view permission)."""

    paginator = LargeTablePaginator
    # Rendering a row costs more than reading it: at 50 rows the rows were half of a change
    # list's time and the lists missed their target under load (docs/benchmarks.md). 25 a page;
    # search and the filters, not paging, are how staff find a record among millions.
    list_per_page = 25
    # Counts beside every filter's choices ("show counts") would count millions of rows per
    # choice on each page of a large list.
    show_facets = admin.ShowFacets.NEVER
    action_form = DirectActionForm

    def action_checkbox(self, obj):
        """Django's checkbox, written directly: Django renders it as a form widget through the
        template engine, once per row, about a tenth of a change list's time."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    # A revert saves the whole old row, fields the form does not show included; a model whose
    # state moves only through a workflow (a suggestion) must not be reverted past it.
    revert_allowed = True

    def revert_disabled(self, request, obj=None):
        return not self.revert_allowed or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            self._check_revert(request, object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _check_revert(self, request, object_id, version_id):
        """A revert turns the record as it is now into the version chosen, so the user must be
        allowed to change both: the superuser's account as it is now, and a version of it from
        before its promotion. Restoring a deleted record adds it back."""
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        try:
            version = history.get(
                **{self.model._meta.pk.attname: unquote(object_id), "history_id": int(version_id)}
            ).instance
        except (history.model.DoesNotExist, ValueError, ValidationError):
            raise Http404 from None
        current = self.model._default_manager.filter(pk=version.pk).first()
        allowed = (
            self.has_change_permission(request, current)
            if current is not None
            else self.has_add_permission(request)
        )
        if (
            not allowed
            or not self.has_change_permission(request, version)
            or self.revert_disabled(request, current or version)
        ):
            raise PermissionDenied

    # Columns derived from others on every save (a branch's path, a member's pinyin): a change
    # to them says nothing the change of their source does not.
    history_hidden_fields = ()

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryContextHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """simple-history's, with the fields no form edits added (its diff leaves them out): a
        suggestion's state moves only through its actions, and its history showed no change of
        state at all."""
        previous = None
        for current in historical_records:  # newest first
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                    excluded_fields=self.history_hidden_fields,
                )
                changes = sorted(
                    [*delta.changes, *self._uneditable_changes(old=current, new=previous)],
                    key=lambda change: change.field,
                )
                delta = dataclasses.replace(
                    delta, changes=changes, changed_fields=[change.field for change in changes]
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def _uneditable_changes(self, *, old, new) -> list[ModelChange]:
        changes = []
        for model_field in new.tracked_fields:
            if (
                model_field.editable
                or model_field.primary_key
                or model_field.name in self.history_hidden_fields
            ):
                continue
            before, after = (getattr(record, model_field.attname) for record in (old, new))
            if before == after:
                continue
            if isinstance(model_field, ForeignKey):
                before, after = (related(record, model_field.name) for record in (old, new))
            changes.append(ModelChange(model_field.name, before, after))
        return changes

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history calls select_related() with no field names for a model without foreign
        # keys (Enterprise, Sector), which Django 6.1 deprecates; name the fields ourselves.
        foreign_keys = [
            field.name
            for field in history_manager.model.tracked_fields
            if isinstance(field, ForeignKey)
        ]
        return history_manager.filter(**{pk_name: object_id}).select_related(
            "history_user", *foreign_keys
        )


# The staff's workbench: the admin site and its index.


@dataclass(frozen=True)
class Waiting:
    """Records that wait for the user, counted on the admin's index.

    ``lookups`` filter the model admin's own (scoped) queryset and are also the change list's
    query string, so the count links to exactly the rows it counted; they are field lookups the
    change list accepts (``state__exact``), with values as the URL writes them. Shown to users
    for whom the model admin's ``has_<permission>_permission(request)`` is true: those who can
    act on the rows, not only read them.
    """

    label: Promise
    lookups: dict[str, str]
    permission: str = "change"


@dataclass(frozen=True)
class QuickAction:
    """A link on the index to the model's add form (with ``query`` as its initial values)."""

    label: Promise
    query: dict[str, str] = field(default_factory=dict)


# Models without an ``index_order`` (Django's groups) come after ours.
DEFAULT_INDEX_ORDER = 1000


class PortalAdminSite(admin.AdminSite):
    """The admin under the portal's own name, with an index made for the day's work.

    Model admins declare what the index shows of them: ``index_order`` (apps and models in the
    order of the work, not of their names' character codes), ``waiting`` (``Waiting`` counts)
    and ``quick_actions`` (``QuickAction`` links). The site knows no app: it reads those from its
    registry, so each app says what its work is.
    """

    site_header = _("Branch Portal")
    site_title = _("Branch Portal")
    index_title = _("Workbench")
    # The index lists every model in the order of the work; the sidebar would repeat it on each
    # page at the cost of 300 px of a 1280 px screen and a permission check per model per page.
    enable_nav_sidebar = False

    def register(self, model_or_iterable, admin_class=None, **options):
        # django-tasks-db's own admin lists every queued task with its arguments (an import's
        # file name, an export's filters); users follow their jobs on the jobs' own pages
        # (imports, exports), operators in the worker's log.
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        models = [model for model in models if model is not DBTaskResult]
        if models:
            super().register(models, admin_class, **options)

    def login(self, request, extra_context=None):
        """One login page for everyone: the site's (throttled, in the portal's look). Whoever is
        logged in without access to the admin (a member's login) is told so, rather than being
        sent to log in again and again."""
        if self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        if request.user.is_authenticated:
            raise PermissionDenied(
                gettext(
                    "You are logged in as %(user)s, a login without access to the "
                    "administration. Log out and log in with a staff login."
                )
                % {"user": request.user.get_username()}
            )
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        return redirect_to_login(next_url, settings.LOGIN_URL)

    def get_app_list(self, request, app_label=None):
        # Built when first used: Django's each_context asks for it on every admin page, for the
        # nav sidebar (off here), at the cost of a permission check per model.
        return SimpleLazyObject(lambda: self._ordered_app_list(request, app_label))

    def _ordered_app_list(self, request, app_label):
        apps = list(self._build_app_dict(request, app_label).values())
        for app in apps:
            app["models"].sort(key=lambda model: (self._index_order(model["model"]), model["name"]))
        return sorted(
            apps,
            key=lambda app: (
                min(self._index_order(model["model"]) for model in app["models"]),
                app["name"],
            ),
        )

    def _index_order(self, model) -> int:
        return getattr(self._registry.get(model), "index_order", DEFAULT_INDEX_ORDER)

    def index(self, request, extra_context=None):
        context = {
            "scope_branch": self._scope_branch(request),
            "waiting": self._waiting(request),
            "awaiting_imports": self._awaiting_imports(request),
            "quick_actions": self._quick_actions(request),
            "imports": self._imports(request),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def _scope_branch(self, request):
        """The branch whose subtree the user works in, or None for those who see every branch
        (the permission members/scoping.py reads; named as a string: portal imports no app)."""
        user = request.user
        if user.is_superuser or user.has_perm("members.view_all_branches"):
            return None
        return getattr(user, "branch", None)

    def _model_admins(self):
        return sorted(self._registry.items(), key=lambda item: self._index_order(item[0]))

    def _waiting(self, request) -> list[dict]:
        found = []
        for model, model_admin in self._model_admins():
            for waiting in getattr(model_admin, "waiting", ()):
                allowed = getattr(model_admin, f"has_{waiting.permission}_permission")
                if not allowed(request):
                    continue
                count = model_admin.get_queryset(request).filter(**waiting.lookups).count()
                url = reverse(admin_urlname(model, "changelist"), current_app=self.name)
                found.append(
                    {
                        "label": waiting.label,
                        "count": count,
                        "url": f"{url}?{urlencode(waiting.lookups)}",
                    }
                )
        return found

    def _awaiting_imports(self, request) -> list[dict]:
        """The user's checked uploads still waiting for their confirmation, per kind of record,
        each linking to the newest one's preview (a job's page survives until it expires)."""
        awaiting = (
            PendingImport.objects.filter(
                uploaded_by=request.user.pk, state=PendingImport.State.AWAITING
            )
            .exclude(pk__in=PendingImport.objects.expired().values("pk"))
            .order_by("uploaded_at")
            .values_list("model", "pk")
        )
        counts, newest = {}, {}
        for label, pk in awaiting:
            counts[label] = counts.get(label, 0) + 1
            newest[label] = pk
        found = []
        for model, model_admin in self._model_admins():
            label = model._meta.label
            if counts.get(label) and model_admin.has_import_permission(request):
                found.append(
                    {
                        "records": model._meta.verbose_name_plural,
                        "count": counts[label],
                        "url": reverse(
                            admin_urlname(model, "import_job"),
                            args=[newest[label]],
                            current_app=self.name,
                        ),
                    }
                )
        return found

    def _quick_actions(self, request) -> list[dict]:
        found = []
        for model, model_admin in self._model_admins():
            actions = getattr(model_admin, "quick_actions", ())
            if actions and model_admin.has_add_permission(request):
                url = reverse(admin_urlname(model, "add"), current_app=self.name)
                found += [
                    {
                        "label": action.label,
                        "url": f"{url}?{urlencode(action.query)}" if action.query else url,
                    }
                    for action in actions
                ]
        return found

    def _imports(self, request) -> list[dict]:
        return [
            {
                "records": model._meta.verbose_name_plural,
                "url": reverse(admin_urlname(model, "import"), current_app=self.name),
            }
            for model, model_admin in self._model_admins()
            if isinstance(model_admin, SpreadsheetAdminMixin)
            and model_admin.has_import_permission(request)
        ]


def admin_urlname(model, view: str) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
