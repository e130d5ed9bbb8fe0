"""The admin machinery every app's admin builds on.

- ``HistoryAdmin``: the admin of every audited model: history and its revert form (with the
  object's permissions checked), stale forms refused (portal/concurrency.py), forged autocomplete
  values read safely (portal/widgets.py), 25 rows a page counted cheaply (``LargeTablePaginator``).
- ``SpreadsheetAdminMixin``: spreadsheet import and export, the upload waiting in the database
  (portal/imports.py), confirmed once, within limits.
- ``AllOrNothingActionsMixin``: bulk actions that move every selected record or none.
"""

import contextvars

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import ForeignKey
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from portal.concurrency import OptimisticConcurrencyAdmin
from portal.imports import PendingImportStorage
from portal.models import PendingImport
from portal.spreadsheets import SPREADSHEET_FORMATS, FileTooLarge, SafeXLSX
from portal.widgets import CheckedAutocompleteFields

# The request an import's upload belongs to, for its storage (import-export builds the storage
# from the admin alone; a context variable is the request's own, whatever the server's threads).
_import_request = contextvars.ContextVar("import_request", default=None)


class LimitedImportForm(ImportForm):
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


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import/export in XLSX and CSV of the rows the user may see, plus a blank template to
    download.

    An upload waits for its confirmation in the database (portal/imports.py), the uploader's
    only; the confirmation imports it at most once, however often it is sent. Files are limited
    in size (``IMPORT_MAX_MB``), rows and columns (portal/spreadsheets.py).
    """

    formats = SPREADSHEET_FORMATS
    import_formats = SPREADSHEET_FORMATS
    export_formats = SPREADSHEET_FORMATS
    tmp_storage_class = PendingImportStorage
    import_form_class = LimitedImportForm

    def get_resource_kwargs(self, request, *args, **kwargs):
        # Every resource is given the rows the user may see: the only ones it may update or
        # export.
        return {"scope_queryset": self.get_queryset(request)}

    def get_import_resource_kwargs(self, request, **kwargs):
        return self.get_resource_kwargs(request)

    def get_export_resource_kwargs(self, request, **kwargs):
        return self.get_resource_kwargs(request)

    def get_tmp_storage_class_kwargs(self):
        request = _import_request.get()
        upload = request.FILES.get("import_file")
        return {
            "user": request.user,
            "model": self.opts.label,
            "file_name": getattr(upload, "name", ""),
        }

    def import_action(self, request, **kwargs):
        reset = _import_request.set(request)
        try:
            response = super().import_action(request, **kwargs)
            # A preview that cannot be confirmed must not keep the file (members' phones).
            context = getattr(response, "context_data", None) or {}
            upload = getattr(context.get("form"), "cleaned_data", {}).get("import_file")
            stored_name = getattr(upload, "tmp_storage_name", None)
            if stored_name and "confirm_form" not in context:
                storage_class = self.get_tmp_storage_class()
                storage_class(name=stored_name, **self.get_tmp_storage_class_kwargs()).remove()
        finally:
            _import_request.reset(reset)
        return response

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """The confirmation: imports the upload it names once, whoever sends it twice."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return super().process_import(request, **kwargs)
        token = confirm_form.cleaned_data["import_file_name"]
        awaiting = PendingImport.objects.awaiting(token, user=request.user, model=self.opts.label)
        with transaction.atomic():
            # Locked until the import commits: a second confirmation meanwhile skips it, and
            # one after it finds it imported.
            pending = awaiting.select_for_update(skip_locked=True).first()
            if pending is None:
                return self._confirmation_refused(request, token, awaiting.exists())
            input_format = self.get_import_formats()[int(confirm_form.cleaned_data["format"])]()
            dataset = input_format.create_dataset(bytes(pending.data))
            result = self.process_dataset(dataset, confirm_form, request, **kwargs)
            failed = result.has_errors() or result.has_validation_errors()
            if failed:
                transaction.set_rollback(True)
            else:
                pending.state, pending.data = PendingImport.State.IMPORTED, b""
                pending.save(update_fields=["state", "data"])
        if failed:
            PendingImport.objects.filter(pk=pending.pk).delete()
        return self.process_result(result, request)

    def _confirmation_refused(self, request, token, in_progress: bool):
        uploads = PendingImport.objects.uploaded(token, user=request.user)
        imported = uploads.filter(state=PendingImport.State.IMPORTED).exists()
        if in_progress:
            message = gettext(
                "This file is being imported now (its confirmation was sent twice); it is "
                "imported once. The list shows its records in a moment."
            )
        elif imported:
            message = gettext("This file was already imported: nothing was imported again.")
        else:
            message = gettext(
                "This upload is no longer waiting for confirmation (it waited longer than "
                "%(minutes)d minutes, or it is not yours): nothing was imported. Upload the file "
                "again."
            ) % {"minutes": settings.IMPORT_PENDING_MINUTES}
        messages.warning(request, message)
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        )

    def get_data_for_export(self, request, queryset, **kwargs):
        dataset = super().get_data_for_export(request, queryset, **kwargs)
        # The XLSX sheet's name: the records' own ("捐赠"), not tablib's "Tablib Dataset".
        dataset.title = str(self.opts.verbose_name_plural)
        return dataset

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, FileTooLarge):
            form.add_error("import_file", str(error))
            return
        # import-export names the Python exception, in English; say what the user can do.
        reason = str(error) if isinstance(error, ValueError) and str(error) else ""
        form.add_error(
            "import_file",
            gettext("This file cannot be read as the format chosen (XLSX or CSV). %(reason)s")
            % {"reason": reason},
        )

    def process_result(self, result, request):
        # The confirmation imports the stored file again; if a row now fails (a forged or stale
        # confirmation), everything was rolled back: say so rather than "Import finished".
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                gettext("Nothing was imported: the file has rows with errors. Upload it again."),
            )
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*info)))
        return super().process_result(result, request)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import-template/",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            )
        ] + super().get_urls()

    def import_template_view(self, request):
        """An empty XLSX with exactly the import columns, for clerks to fill in."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0](
            **self.get_import_resource_kwargs(request)
        )
        dataset = resource.export(queryset=resource.get_queryset().none())
        response = HttpResponse(SafeXLSX().export_data(dataset), content_type=SafeXLSX.CONTENT_TYPE)
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


class HistoryAdmin(OptimisticConcurrencyAdmin, CheckedAutocompleteFields, SimpleHistoryAdmin):
    """The admin of every audited model: simple-history's, with its revert form closed to users
    who may not change the record (simple-history saves a POSTed revert on view permission)."""

    paginator = LargeTablePaginator
    # Rendering a row costs more than reading it: at 50 rows the rows were half of a change
    # list's time and the lists missed their target under load (docs/benchmarks.md). 25 a page;
    # search and the filters, not paging, are how staff find a record among millions.
    list_per_page = 25

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
