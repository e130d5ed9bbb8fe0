from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import ForeignKey, OuterRef, Subquery
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.encoding import force_bytes
from django.utils.functional import cached_property
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from members.concurrency import OptimisticConcurrencyAdmin
from members.models import Branch, CareVisit, Citation, Enterprise, Member, Sector, User
from members.resources import MemberResource
from members.scoping import BranchScopedAdmin, BranchTreeFilter, scope_for
from members.spreadsheets import SPREADSHEET_FORMATS, SafeXLSX
from members.widgets import CheckedAutocompleteFields


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import/export in XLSX and CSV, given the user's scope, plus a blank template to download."""

    formats = SPREADSHEET_FORMATS
    import_formats = SPREADSHEET_FORMATS
    export_formats = SPREADSHEET_FORMATS

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

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        # import-export keeps the uploaded file (members' phones and e-mails) in a temporary
        # file until the confirmation; a preview that cannot be confirmed must not leave it.
        context = getattr(response, "context_data", None) or {}
        upload = getattr(context.get("form"), "cleaned_data", {}).get("import_file")
        stored_name = getattr(upload, "tmp_storage_name", None)
        if stored_name and "confirm_form" not in context:
            storage_class = self.get_tmp_storage_class()
            storage_class(name=stored_name, **self.get_tmp_storage_class_kwargs()).remove()
        return response

    def add_data_read_fail_error_to_form(self, form, error):
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


def invitation(request, member) -> tuple:
    """The member's login (made if missing, with no usable password) and a link to set its
    password, valid for PASSWORD_RESET_TIMEOUT."""
    user = member.user
    if user is None:
        username = member.number or f"member{member.pk}"
        if User.objects.filter(username=username).exists():  # a staff login may have it
            username = f"member{member.pk}"
        user = User(username=username, first_name=member.name, is_staff=False)
        user.set_unusable_password()
        user.save()
        member.user = user
        member._change_reason = gettext("Login given")
        member.save()
    link = request.build_absolute_uri(
        reverse(
            "members:invite",
            args=[
                urlsafe_base64_encode(force_bytes(user.pk)),
                default_token_generator.make_token(user),
            ],
        )
    )
    return member, user.get_username(), link


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
        if request.method == "POST" and (
            not self.has_change_permission(request) or self.revert_disabled(request)
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

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
        """A login for each selected member (or a fresh link for one who has it) and a link to
        choose a password, for staff to pass on; no password is ever sent."""
        invitations = [
            {"member": member, "username": username, "link": link}
            for member, username, link in (
                invitation(request, member) for member in queryset.select_related("user")
            )
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Invitation links"),
            "opts": self.opts,
            "invitations": invitations,
            "valid_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/members/member/invitations.html", context)

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


@admin.register(User)
class UserAdmin(DjangoUserAdmin, HistoryAdmin):
    """Committee staff manage logins; only a superuser makes a superuser, grants permissions
    one by one, or touches a superuser's account (its password included)."""

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
