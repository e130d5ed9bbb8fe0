from django.contrib import admin, messages
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import ForeignKey, OuterRef, Subquery
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from members.models import Branch, Enterprise, Member, Sector, User
from members.resources import MemberResource
from members.scoping import BranchScopedAdmin, BranchTreeFilter, scope_for
from members.spreadsheets import SPREADSHEET_FORMATS, SafeXLSX


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import/export in XLSX and CSV, given the user's scope, plus a blank template to download."""

    formats = SPREADSHEET_FORMATS
    import_formats = SPREADSHEET_FORMATS
    export_formats = SPREADSHEET_FORMATS

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"scope_queryset": self.get_queryset(request)}

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


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin of every audited model: simple-history's, with its revert form closed to users
    who may not change the record (simple-history saves a POSTed revert on view permission)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self.has_change_permission(request):
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
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "number", "gender", "branch", "sector"]}),
        (_("Work"), {"fields": ["workplace", "position", "joined_on", "status"]}),
        (_("Private contact details"), {"fields": ["phone", "email"]}),
        (_("Consent and login"), {"fields": ["listing_consent", "consent_changed_at", "user"]}),
    ]

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

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {
            "scope_queryset": self.get_queryset(request),
            "branch_queryset": scope_for(request).filter(Branch.objects.all(), ""),
        }

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
    list_display = ["username", "first_name", "last_name", "branch", "is_staff", "is_active"]
    list_select_related = ["branch"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    autocomplete_fields = ["branch"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Branch"), {"fields": ["branch"]}),
    ]
