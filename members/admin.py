from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpResponse
from django.urls import path
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
        from django.core.exceptions import PermissionDenied

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


@admin.register(Branch)
class BranchAdmin(BranchScopedAdmin, SimpleHistoryAdmin):
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
class SectorAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Member)
class MemberAdmin(SpreadsheetAdminMixin, BranchScopedAdmin, SimpleHistoryAdmin):
    resource_classes = [MemberResource]
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

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {
            "scope_queryset": self.get_queryset(request),
            "branch_queryset": scope_for(request).filter(Branch.objects.all(), ""),
        }


@admin.register(Enterprise)
class EnterpriseAdmin(BranchScopedAdmin, SimpleHistoryAdmin):
    scope_lookup = "contacts__branch"
    scope_distinct = True
    list_display = ["name"]
    search_fields = ["name"]
    autocomplete_fields = ["contacts"]
    show_full_result_count = False


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "branch", "is_staff", "is_active"]
    list_select_related = ["branch"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    autocomplete_fields = ["branch"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Branch"), {"fields": ["branch"]}),
    ]
