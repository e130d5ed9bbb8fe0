from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from members import anonymise, invitations
from members.models import (
    Branch,
    CorrectionRequest,
    Enterprise,
    Member,
    Sector,
    User,
    hide_register_clashes,
)
from members.resources import MemberResource
from members.scoping import (
    BranchScopedAdmin,
    BranchScopedSpreadsheetAdmin,
    BranchTreeFilter,
    scope_for,
)
from portal.admin import HistoryAdmin, Waiting, one_line


@admin.register(Branch)
class BranchAdmin(BranchScopedAdmin, HistoryAdmin):
    scope_lookup = ""
    index_order = 90
    history_hidden_fields = ["path"]
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
    index_order = 92
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Member)
class MemberAdmin(BranchScopedSpreadsheetAdmin, BranchScopedAdmin, HistoryAdmin):
    resource_classes = [MemberResource]
    index_order = 80
    history_hidden_fields = ["name_pinyin", "search_key"]
    # Not change_list_template: import-export would take that as the base of its own change list
    # template, and ours extends theirs (a loop). This one replaces theirs and keeps its buttons.
    import_export_change_list_template = "admin/members/member/change_list.html"
    deleted_list_per_page = 50
    # Six columns fit 1280 px with each name on one line; gender and position are in the form.
    list_display = ["name", "branch", "sector", "workplace_shown", "status", "listing_consent"]
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

    actions = ["invite", "anonymise"]

    @admin.display(description=_("workplace"), ordering="workplace")
    def workplace_shown(self, member):
        return one_line(member.workplace)

    def has_invite_permission(self, request):
        return request.user.has_perm("members.change_user") and self.has_change_permission(request)

    def has_anonymise_permission(self, request):
        return request.user.has_perm("members.anonymise_member")

    @admin.action(
        description=_("Anonymise: erase name and contact details everywhere…"),
        permissions=["anonymise"],
    )
    def anonymise(self, request, queryset):
        """After a confirmation page: replace the selected members' name, phone, e-mail,
        workplace, position and number everywhere, history included (members/anonymise.py).
        Their records stay, so the totals do. All or none."""
        members = list(queryset.select_related("branch").order_by("pk"))
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Anonymise members"),
                "opts": self.opts,
                "members": members,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, "admin/members/member/anonymise.html", context)
        with transaction.atomic():
            for member in members:
                anonymise.member_anonymise(member=member, user=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d member was anonymised: their name and contact details are gone "
                "everywhere, their records and the totals stay.",
                "%(count)d members were anonymised: their names and contact details are gone "
                "everywhere, their records and the totals stay.",
                len(members),
            )
            % {"count": len(members)},
            messages.SUCCESS,
        )
        return None

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
    index_order = 85
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
    index_order = 95
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


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(BranchScopedAdmin, HistoryAdmin):
    """Members' requests to correct their data, answered by the staff of their branch: they
    make the correction on the member's record, then say here what they did (or why not)."""

    scope_lookup = "member__branch"
    # Beside the register: a request is answered by correcting the member's record.
    index_order = 82
    waiting = [
        Waiting(_("correction requests to answer"), {"state__exact": CorrectionRequest.State.OPEN})
    ]
    list_display = ["member", "created_at", "state", "answered_at"]
    list_select_related = ["member"]
    list_filter = ["state", BranchTreeFilter]
    search_fields = ["member__name"]
    fields = ["member", "created_at", "text", "state", "answer", "answered_by", "answered_at"]
    readonly_fields = ["member", "created_at", "text", "answered_by", "answered_at"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False  # members ask on their own page

    def has_delete_permission(self, request, obj=None):
        return False  # a member's request and its answer are kept

    def save_model(self, request, obj, form, change):
        if {"state", "answer"} & set(form.changed_data):
            answered = obj.state != CorrectionRequest.State.OPEN
            obj.answered_by = request.user if answered else None
            obj.answered_at = timezone.now() if answered else None
        super().save_model(request, obj, form, change)
