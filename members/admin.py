import contextvars

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import ForeignKey, OuterRef, Subquery
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from members import invitations
from members.concurrency import OptimisticConcurrencyAdmin
from members.models import (
    Branch,
    CareVisit,
    Citation,
    Enterprise,
    Member,
    Sector,
    User,
    hide_register_clashes,
)
from members.resources import MemberResource
from members.scoping import BranchScopedAdmin, BranchTreeFilter, scope_for
from members.spreadsheets import SPREADSHEET_FORMATS, FileTooLarge, SafeXLSX
from members.widgets import CheckedAutocompleteFields
from portal.imports import PendingImportStorage
from portal.models import PendingImport

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
    """Import/export in XLSX and CSV, given the user's scope, plus a blank template to download.

    An upload waits for its confirmation in the database (portal/imports.py), the uploader's
    only; the confirmation imports it at most once, however often it is sent. Files are limited
    in size (``IMPORT_MAX_MB``), rows and columns (members/spreadsheets.py).
    """

    formats = SPREADSHEET_FORMATS
    import_formats = SPREADSHEET_FORMATS
    export_formats = SPREADSHEET_FORMATS
    tmp_storage_class = PendingImportStorage
    import_form_class = LimitedImportForm

    def get_resource_kwargs(self, request, *args, **kwargs):
        # Every resource is given the user's scope: the rows it may update or export, and the
        # branches and members a file may name.
        scope = scope_for(request)
        return {
            "scope_queryset": self.get_queryset(request),
            "branch_queryset": scope.filter(Branch.objects.all(), ""),
            "member_queryset": scope.filter(Member.objects.all(), "branch"),
        }

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


@admin.register(Branch)
class BranchAdmin(BranchScopedAdmin, HistoryAdmin):
    scope_lookup = ""
    list_display = ["indented_name", "kind", "parent"]
    list_select_related = ["parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]
    show_full_result_count = False

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, branch):
        return f"{'— ' * branch.depth}{branch.name}"


@admin.register(Sector)
class SectorAdmin(HistoryAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Member)
class MemberAdmin(SpreadsheetAdminMixin, BranchScopedAdmin, HistoryAdmin):
    resource_classes = [MemberResource]
    # Not change_list_template: import-export would take that as the base of its own change list
    # template, and ours extends theirs (a loop). This one replaces theirs and keeps its buttons.
    import_export_change_list_template = "admin/members/member/change_list.html"
    deleted_list_per_page = 50
    list_display = [
        "name",
        "gender",
        "branch",
        "sector",
        "workplace",
        "position",
        "status",
        "listing_consent",
    ]
    list_select_related = ["branch", "sector"]
    list_filter = [BranchTreeFilter, "sector", "status", "listing_consent"]
    # The real search runs on Member.search (simplified, traditional, pinyin, phone, workplace);
    # search_fields only switches the admin's search box on.
    search_fields = ["name"]
    search_help_text = _("Name in simplified or traditional characters or pinyin, phone, workplace")
    autocomplete_fields = ["branch", "sector", "user"]
    readonly_fields = ["consent_changed_at"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["name", "number", "gender", "branch", "sector"]}),
        (_("Work"), {"fields": ["workplace", "position", "joined_on", "status"]}),
        (_("Private contact details"), {"fields": ["phone", "email"]}),
        (_("Consent and login"), {"fields": ["listing_consent", "consent_changed_at", "user"]}),
    ]

    actions = ["invite"]

    def has_invite_permission(self, request):
        return request.user.has_perm("members.change_user") and self.has_change_permission(request)

    @admin.action(description=_("Give a login: make invitation links…"), permissions=["invite"])
    def invite(self, request, queryset):
        """A login for each selected member (or a fresh link for one who has no password yet)
        and a link to choose a password, for staff to pass on; no password is ever sent. If one
        selected member cannot be invited (a staff login, a password already set), none is."""
        members = list(queryset.select_related("user", "branch").order_by("pk"))
        refused = [reason for reason in map(invitations.refusal, members) if reason]
        if refused:
            self.message_user(
                request,
                gettext("No invitation was made: %(reasons)s") % {"reasons": " ".join(refused)},
                messages.ERROR,
            )
            return None
        with transaction.atomic():
            made = [invitations.invite(request, member) for member in members]
        invitations_made = [
            {"member": member, "username": username, "link": link}
            for member, username, link in made
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Invitation links"),
            "opts": self.opts,
            "invitations": invitations_made,
            "valid_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/members/member/invitations.html", context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if scope_for(request).everything:
            return form

        class ClerkMemberForm(form):
            # Name and phone, and the member number, are unique across every branch: the
            # precise message would tell a clerk that the person is a member of another.
            def validate_constraints(self):
                try:
                    self.instance.validate_constraints(exclude=self._get_validation_exclusions())
                except ValidationError as error:
                    self._update_errors(hide_register_clashes(error))

        return ClerkMemberForm

    def get_readonly_fields(self, request, obj=None):
        # Linking a login to a member is account management: only those who manage users may,
        # so a clerk cannot forge a POST that ties any account (even a staff one) to a member.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("members.change_user"):
            readonly.append("user")
        return readonly

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    def get_urls(self):
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="members_member_deleted",
            )
        ] + super().get_urls()

    def deleted_view(self, request):
        """Members deleted and not restored since, newest first, each linking to the revert form
        that restores it; a clerk sees only those last in their own branch subtree."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        newest = Member.history.filter(id=OuterRef("id")).order_by("-history_date", "-history_id")
        deletions = scope_for(request).filter(
            Member.history.filter(
                history_type="-", history_id=Subquery(newest.values("history_id")[:1])
            ),
            "branch",
        )
        deletions = deletions.select_related("branch", "history_user").order_by(
            "-history_date", "-history_id"
        )
        page = Paginator(deletions, self.deleted_list_per_page).get_page(request.GET.get(PAGE_VAR))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Deleted members"),
            "opts": self.opts,
            "page_obj": page,
            "page_var": PAGE_VAR,
            "can_restore": self.has_change_permission(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/members/member/deleted.html", context)


@admin.register(Enterprise)
class EnterpriseAdmin(BranchScopedAdmin, HistoryAdmin):
    scope_lookup = "contacts__branch"
    scope_distinct = True
    list_display = ["name"]
    list_filter = [BranchTreeFilter]
    search_fields = ["name"]
    autocomplete_fields = ["contacts"]
    show_full_result_count = False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if scope_for(request).everything:
            return form

        class ClerkEnterpriseForm(form):
            # A clerk sees an enterprise through its contacts: one without a contact from their
            # branches would vanish from their list the moment it is saved.
            def clean_contacts(self):
                contacts = self.cleaned_data["contacts"]
                if not contacts:
                    raise ValidationError(_("Name at least one contact member from your branch."))
                return contacts

        return ClerkEnterpriseForm


class PortalUserChangeForm(UserChangeForm):
    def clean(self):
        cleaned = super().clean()
        # A member's login is only ever a member's: a password set through an invitation link
        # must never open the admin. A person who is both gets two logins.
        member = Member.objects.filter(user=self.instance).first() if self.instance.pk else None
        if member is not None and cleaned.get("is_staff"):
            self.add_error(
                "is_staff",
                _(
                    "This login belongs to the member %(member)s and cannot be a staff account; "
                    "give the person a separate staff login."
                )
                % {"member": member.name},
            )
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin, HistoryAdmin):
    """Committee staff manage logins; only a superuser makes a superuser, grants permissions
    one by one, or touches a superuser's account (its password included)."""

    form = PortalUserChangeForm
    list_display = ["username", "first_name", "last_name", "branch", "is_staff", "is_active"]
    list_select_related = ["branch"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    autocomplete_fields = ["branch"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Branch"), {"fields": ["branch"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Citation)
class CitationAdmin(BranchScopedAdmin, HistoryAdmin):
    """Citations of a branch's members are the branch's to write; an enterprise's contribution
    (no member) is the committee's, so a clerk does not see it."""

    scope_lookup = "member__branch"
    scope_field_required_for_clerks = "member"
    list_display = ["title", "kind", "member", "enterprise", "unit", "role", "date"]
    list_select_related = ["member", "enterprise"]
    list_filter = ["kind", ("campaign", admin.RelatedOnlyFieldListFilter), BranchTreeFilter]
    search_fields = ["title", "member__name", "enterprise__name", "unit"]
    autocomplete_fields = ["member", "enterprise", "campaign"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["kind", "member", "enterprise", "campaign", "date"]}),
        (_("Citation"), {"fields": ["title", "unit", "role", "text"]}),
        (_("Artwork"), {"fields": ["medium", "image"]}),
    ]


@admin.register(CareVisit)
class CareVisitAdmin(HistoryAdmin):
    list_display = ["date", "sites", "letters_sent"]
    search_fields = ["sites", "visited__name", "leaders__name"]
    autocomplete_fields = ["leaders", "visited", "campaign"]
