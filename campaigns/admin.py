"""Staff entry of campaign records.

Donations, blood donations and assignments belong to a member, so a branch clerk works on those of
their own subtree only: ``BranchScopedAdmin`` with ``scope_lookup = "member__branch"`` (and
``BranchScopedInline`` for assignments shown inside a posting). Campaigns, goals, recipients and
postings are committee-wide: clerks only view them, to choose them (members/roles.py).
Actions save through ``bulk_update_with_history`` so each changed row keeps its history.
Donations, blood donations and assignments are imported and exported as spreadsheets
(``campaigns/resources.py``), scoped like their change lists.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from campaigns import services
from campaigns.models import (
    GOALS_BY_KIND,
    Assignment,
    BloodDonation,
    Campaign,
    CampaignKind,
    Donation,
    DonationForm,
    DonationState,
    Goal,
    GoodsLine,
    Posting,
    PostingSignup,
    Recipient,
    SignupState,
)
from campaigns.progress import recipients_apart
from campaigns.resources import AssignmentResource, BloodDonationResource, DonationResource
from members.models import Enterprise
from members.scoping import (
    BranchScopedAdmin,
    BranchScopedInline,
    BranchScopedSpreadsheetAdmin,
    BranchTreeFilter,
    scope_for,
)
from portal.admin import (
    AllOrNothingActionsMixin,
    HistoryAdmin,
    QuickAction,
    Waiting,
    money,
    one_line,
)


def set_with_history(request, queryset, *, reason: str, **values) -> int:
    """Set ``values`` on every row of ``queryset``, recording history for each (an UPDATE would
    bypass it). Actions pass the scoped change list's queryset, so a clerk acts on their own only.
    """
    rows = list(queryset)
    for row in rows:
        for field, value in values.items():
            setattr(row, field, value)
    bulk_update_with_history(
        rows,
        queryset.model,
        list(values),
        default_user=request.user,
        default_change_reason=reason,
    )
    return len(rows)


def campaign_filter(kind):
    """A list filter by campaign offering every campaign of ``kind``: Django's "related only"
    filter would read the whole table of records (two million donations) to find the campaigns
    in use, on every page of the list."""

    class CampaignOfKindFilter(admin.RelatedFieldListFilter):
        def field_choices(self, field, request, model_admin):
            ordering = self.field_admin_ordering(field, request, model_admin)
            campaigns = Campaign.objects.filter(kind=kind)
            if ordering:
                campaigns = campaigns.order_by(*ordering)
            # Titles (a campaign's str), not campaigns: the list makes these on every request.
            return list(campaigns.values_list("pk", "title"))

    return CampaignOfKindFilter


class CampaignOfKindMixin:
    """Offer only campaigns of ``campaign_kind`` in the campaign field; ``clean()`` still names
    the field if a forged POST names another."""

    campaign_kind = None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "campaign" and self.campaign_kind:
            kwargs["queryset"] = Campaign.objects.filter(kind=self.campaign_kind)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Campaigns and goals


class GoalFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # Goal.clean() checks the campaign's kind as stored, and not at all for a campaign being
        # added (it has no pk yet): check against the kind in the submitted campaign form.
        allowed = GOALS_BY_KIND.get(self.instance.kind)
        if allowed is None:
            return
        for form in self.forms:
            metric = getattr(form, "cleaned_data", {}).get("metric")
            deleted = self.can_delete and self._should_delete_form(form)
            if metric and metric not in allowed and not deleted and "metric" not in form.errors:
                form.add_error(
                    "metric",
                    gettext("This goal does not fit a %(kind)s.")
                    % {"kind": self.instance.get_kind_display()},
                )


class GoalForm(forms.ModelForm):
    """A goal that counts (donors, donations, millilitres, people) reads as a whole number: 10,
    not the 10.00 of the field it shares with an amount."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        goal = self.instance
        if goal.pk and goal.counted and goal.target == int(goal.target):
            self.initial["target"] = int(goal.target)


class GoalInline(admin.TabularInline):
    model = Goal
    form = GoalForm
    formset = GoalFormSet
    extra = 1


class CampaignForm(forms.ModelForm):
    """A slug left blank is spelt from the title in pinyin, on the server (the admin's own
    filling in the browser drops Chinese characters); one typed is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "The campaign's web address. Left blank, it is spelt from the title in pinyin "
                "(2021年洪灾救助: 2021-nian-hong-zai-jiu-zhu)."
            )

    def clean(self):
        cleaned = super().clean()
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get("title"):
            others = Campaign.objects.exclude(pk=self.instance.pk)
            cleaned["slug"] = others.free_slug(cleaned["title"])
        return cleaned


@admin.register(Campaign)
class CampaignAdmin(HistoryAdmin):
    form = CampaignForm
    index_order = 50
    inlines = [GoalInline]
    list_display = ["title", "kind", "status", "is_public", "starts_on", "ends_on", "organiser"]
    list_select_related = ["organiser"]
    list_filter = ["kind", "status", "is_public"]
    search_fields = ["title"]
    autocomplete_fields = ["organiser", "recipients"]
    readonly_fields = ["gifts_to_other_recipients"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "organiser", "recipients"]}),
        (_("Dates"), {"fields": ["call_date", "starts_on", "ends_on"]}),
        (_("Publication"), {"fields": ["status", "is_public", "shows_amounts", "summary", "text"]}),
        (_("How to take part"), {"fields": ["take_part", "take_part_image"]}),
        (_("Postings"), {"fields": ["duty_words"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        # Under the recipients ticked: the bodies a gift went to although they are not, which
        # the progress counts apart; staff tick one here when it was forgotten.
        first = {"fields": [*self.fieldsets[0][1]["fields"], "gifts_to_other_recipients"]}
        return [(None, first), *self.fieldsets[1:]]

    @admin.display(description=_("gifts to recipients not ticked"))
    def gifts_to_other_recipients(self, campaign):
        bodies = recipients_apart(campaign)
        if not bodies:
            return gettext("None: every gift received went to a recipient ticked above.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}</li>",
                (
                    (
                        ngettext(
                            "%(recipient)s: %(gifts)d gift received, money %(money)s, "
                            "counted apart",
                            "%(recipient)s: %(gifts)d gifts received, money %(money)s, "
                            "counted apart",
                            body["gifts"],
                        )
                        % {
                            "recipient": body["recipient__name"],
                            "gifts": body["gifts"],
                            "money": money(body["money"]),
                        },
                    )
                    for body in bodies
                ),
            ),
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "duty_words":
            kwargs["delimiter"] = "、"  # as a Chinese list is written: 志愿服务、物资分发
            # A list of a dozen words: a line wide enough to read them all.
            kwargs["widget"] = forms.TextInput(attrs={"class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Recipient)
class RecipientAdmin(HistoryAdmin):
    index_order = 55
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    show_full_result_count = False


# Donations


class GoodsLineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # A gift of goods is valued by its lines: without one it would count as nothing; a gift
        # of money has an amount and no lines.
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]
        if self.instance.form == Donation.Form.GOODS and not kept:
            raise forms.ValidationError(gettext("List at least one item of the goods given."))
        if self.instance.form == Donation.Form.MONEY and kept:
            raise forms.ValidationError(
                gettext("A gift of money has no goods lines: remove them or choose goods.")
            )


class GoodsLineInline(BranchScopedInline, admin.TabularInline):
    model = GoodsLine
    formset = GoodsLineFormSet
    scope_lookup = "donation__member__branch"
    extra = 2


@admin.register(Donation)
class DonationAdmin(
    BranchScopedSpreadsheetAdmin, CampaignOfKindMixin, BranchScopedAdmin, HistoryAdmin
):
    scope_lookup = "member__branch"
    scope_field_required_for_clerks = "member"
    campaign_kind = CampaignKind.DONATION
    index_order = 10
    waiting = [Waiting(_("pledges not yet received"), {"state__exact": DonationState.PLEDGED})]
    quick_actions = [
        QuickAction(_("Record a gift of money"), {"form": DonationForm.MONEY}),
        QuickAction(_("Record a gift of goods"), {"form": DonationForm.GOODS}),
    ]
    resource_classes = [DonationResource]
    inlines = [GoodsLineInline]
    # The form is in the amount column (goods have none) and the channel in the filters: five
    # columns fit 1280 px on one line each.
    list_display = ["date", "donor", "recipient", "amount_shown", "state"]
    list_select_related = ["member", "enterprise", "recipient"]
    list_filter = [
        ("campaign", campaign_filter(CampaignKind.DONATION)),
        "state",
        "form",
        "channel",
        BranchTreeFilter,
    ]
    search_fields = ["member__name", "enterprise__name", "donor_name", "receipt_no"]
    autocomplete_fields = ["member", "enterprise", "recipient"]
    actions = ["mark_received"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["campaign", "date", "form", "amount", "state"]}),
        (_("Donor"), {"fields": ["channel", "member", "enterprise", "donor_name", "anonymous"]}),
        (_("Recipient"), {"fields": ["recipient", "receipt_no"]}),
    ]

    # A form that fits the gift: money asks for an amount and has no goods table; goods have the
    # table and no amount. The kind is chosen before the form (the index's quick actions, or the
    # link at the top of the form: ?form=goods) and carried by a hidden field, so that a form
    # sent back with errors stays the same kind.

    def gift_kind(self, request, obj=None) -> str:
        asked = request.POST.get("form") if request.method == "POST" else request.GET.get("form")
        if asked in DonationForm.values:
            return asked
        return obj.form if obj is not None else DonationForm.MONEY

    def get_fieldsets(self, request, obj=None):
        kind = self.gift_kind(request, obj)
        first = ["campaign", "date", "form", "amount", "state"]
        if kind == DonationForm.GOODS:
            first.remove("amount")
        options = {"fields": first}
        if self._may_edit(request, obj):
            options["description"] = self._kind_switch(request, kind)
        return [(None, options), *self.fieldsets[1:]]

    def _may_edit(self, request, obj) -> bool:
        if obj is None:
            return self.has_add_permission(request)
        return self.has_change_permission(request, obj)

    def _kind_switch(self, request, kind):
        other = DonationForm.GOODS if kind == DonationForm.MONEY else DonationForm.MONEY
        query = request.GET.copy()
        query["form"] = other
        return format_html(
            '<span class="gift-kind">{}</span> <a href="?{}">{}</a>',
            gettext("A gift of money.")
            if kind == DonationForm.MONEY
            else gettext("A gift of goods."),
            query.urlencode(),
            gettext("Make it a gift of goods")
            if other == DonationForm.GOODS
            else gettext("Make it a gift of money"),
        )

    def get_inlines(self, request, obj):
        # The goods table also for money that still has lines (a gift of goods being changed
        # to money, or a form sent with lines): they are shown to be removed, never dropped.
        if (
            self.gift_kind(request, obj) == DonationForm.GOODS
            or (obj is not None and obj.goods.exists())
            or request.POST.get("goods-TOTAL_FORMS", "0") not in ("", "0")
        ):
            return [GoodsLineInline]
        return []

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "form":
            kwargs["widget"] = forms.HiddenInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        kind = self.gift_kind(request, obj)

        class GiftForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if not self.is_bound:
                    self.initial["form"] = kind
                if kind == DonationForm.GOODS:
                    # A gift of money turned into goods loses its amount (it has no field here).
                    self.instance.amount = None

        return GiftForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The progress counts a gift to a body the campaign does not collect for apart from
        # what it collected (campaigns/progress.py): say so, not leave staff wondering.
        if not obj.campaign.recipients.filter(pk=obj.recipient_id).exists():
            messages.warning(
                request,
                gettext(
                    "“%(recipient)s” is not among the recipients the campaign “%(campaign)s” "
                    "collects for: this gift is counted apart."
                )
                % {"recipient": obj.recipient, "campaign": obj.campaign},
            )

    def get_resource_kwargs(self, request, *args, **kwargs):
        scope = scope_for(request)
        return {
            **super().get_resource_kwargs(request),
            # As in the form below and in the enterprise autocomplete.
            "member_required": not scope.everything,
            "enterprise_queryset": scope.filter(
                Enterprise.objects.all(), "contacts__branch"
            ).distinct(),
        }

    @admin.display(description=_("donor"))
    def donor(self, donation):
        return one_line(donation.donor_display)

    @admin.display(description=_("amount"), ordering="amount")
    def amount_shown(self, donation):
        if donation.form == Donation.Form.GOODS:
            return donation.get_form_display()
        return money(donation.amount)

    @admin.action(description=_("Mark selected donations received"), permissions=["change"])
    def mark_received(self, request, queryset):
        count = set_with_history(
            request,
            queryset.filter(state=Donation.State.PLEDGED),
            state=Donation.State.RECEIVED,
            reason=gettext("Marked received"),
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d donation marked received.",
                "%(count)d donations marked received.",
                count,
            )
            % {"count": count},
        )


# Blood donations


@admin.register(BloodDonation)
class BloodDonationAdmin(
    BranchScopedSpreadsheetAdmin, CampaignOfKindMixin, BranchScopedAdmin, HistoryAdmin
):
    scope_lookup = "member__branch"
    campaign_kind = CampaignKind.BLOOD
    index_order = 20
    quick_actions = [QuickAction(_("Record a blood donation"))]
    resource_classes = [BloodDonationResource]
    list_display = [
        "date",
        "member",
        "member__branch",
        "station",
        "volume_ml",
        "component",
        "state",
    ]
    list_select_related = ["member__branch"]
    list_filter = [
        ("campaign", campaign_filter(CampaignKind.BLOOD)),
        "state",
        "component",
        BranchTreeFilter,
    ]
    search_fields = ["member__name", "station"]
    autocomplete_fields = ["member"]
    show_full_result_count = False


# Postings and assignments


class AssignmentInline(BranchScopedInline, admin.TabularInline):
    model = Assignment
    scope_lookup = "member__branch"
    autocomplete_fields = ["member"]
    fields = ["member", "starts_on", "ends_on", "days_served", "hours_logged", "confirmed"]
    extra = 1

    # Clerks view postings without changing them: show them the rows, not an editable form
    # whose save the posting's admin would refuse.
    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._parent_changeable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_changeable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_changeable(request, obj)

    def _parent_changeable(self, request, posting):
        return self.admin_site.get_model_admin(Posting).has_change_permission(request, posting)


@admin.register(Posting)
class PostingAdmin(CampaignOfKindMixin, HistoryAdmin):
    campaign_kind = CampaignKind.VOLUNTEER
    index_order = 40
    inlines = [AssignmentInline]
    list_display = [
        "place",
        "place_kind",
        "district",
        "campaign",
        "starts_on",
        "ends_on",
        "people_needed",
    ]
    list_select_related = ["campaign"]
    list_filter = [("campaign", campaign_filter(CampaignKind.VOLUNTEER)), "place_kind", "district"]
    search_fields = ["place", "district"]
    show_full_result_count = False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "duties":
            # Check boxes of every duty word of the volunteer campaigns (few), instead of the
            # array field's comma-separated text; Posting.clean checks the chosen campaign's.
            words = Campaign.objects.filter(kind=CampaignKind.VOLUNTEER).values_list(
                "duty_words", flat=True
            )
            choices = dict.fromkeys(word for campaign_words in words for word in campaign_words)
            return forms.MultipleChoiceField(
                label=db_field.verbose_name,
                choices=[(word, word) for word in choices],
                widget=forms.CheckboxSelectMultiple,
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Assignment)
class AssignmentAdmin(BranchScopedSpreadsheetAdmin, BranchScopedAdmin, HistoryAdmin):
    scope_lookup = "member__branch"
    index_order = 30
    waiting = [
        Waiting(
            _("assignments with hours not yet confirmed"),
            {"confirmed__exact": "0", "hours_logged__gt": "0"},
        )
    ]
    resource_classes = [AssignmentResource]
    list_display = ["member", "member__branch", "place", "dates", "hours_logged", "confirmed"]
    list_select_related = ["member__branch", "posting"]
    list_filter = [
        ("posting__campaign", campaign_filter(CampaignKind.VOLUNTEER)),
        "confirmed",
        BranchTreeFilter,
    ]
    search_fields = ["member__name", "posting__place"]
    autocomplete_fields = ["member", "posting"]
    actions = ["confirm_hours"]
    show_full_result_count = False

    @admin.display(description=_("posting"), ordering="posting__place")
    def place(self, assignment):
        return one_line(assignment.posting.place)

    @admin.display(description=_("dates"), ordering="starts_on")
    def dates(self, assignment):
        return date_range(assignment.starts_on, assignment.ends_on)

    @admin.action(
        description=_("Confirm the hours of selected assignments"), permissions=["change"]
    )
    def confirm_hours(self, request, queryset):
        result = services.assignments_confirm_hours(assignments=queryset, user=request.user)
        if result.confirmed or not result.already:
            count = len(result.confirmed)
            self.message_user(
                request,
                ngettext(
                    "Hours of %(count)d assignment confirmed.",
                    "Hours of %(count)d assignments confirmed.",
                    count,
                )
                % {"count": count},
            )
        if result.already:
            self.message_user(request, already_confirmed_message(result.already), messages.WARNING)


def date_range(starts_on, ends_on) -> str:
    start, end = (date_format(day, "SHORT_DATE_FORMAT") for day in (starts_on, ends_on))
    return f"{start}–{end}"


ALREADY_CONFIRMED_LISTED = 10


def already_confirmed_message(already) -> str:
    """Which of the selected hours someone else had confirmed, by whom and when (the first few:
    "select all" may select thousands)."""
    lines = [_already_confirmed(entry) for entry in already[:ALREADY_CONFIRMED_LISTED]]
    if len(already) > ALREADY_CONFIRMED_LISTED:
        more = len(already) - ALREADY_CONFIRMED_LISTED
        lines.append(
            ngettext(
                "And %(count)d more assignment already confirmed.",
                "And %(count)d more assignments already confirmed.",
                more,
            )
            % {"count": more}
        )
    return " ".join(lines)


def _already_confirmed(entry) -> str:
    if entry.at is None:  # confirmed without a history row: nothing says by whom
        return gettext("Hours of %(assignment)s were already confirmed.") % {
            "assignment": entry.assignment
        }
    return gettext("Hours of %(assignment)s were already confirmed by %(user)s at %(time)s.") % {
        "assignment": entry.assignment,
        "user": entry.by.get_username() if entry.by else gettext("an unrecorded user"),
        "time": date_format(timezone.localtime(entry.at), "DATETIME_FORMAT"),
    }


# Members' sign-ups for postings


class PostingSignupForm(forms.ModelForm):
    """A sign-up staff record for a member (given by phone or on paper) keeps a member's own
    rules: the posting must be open to the member."""

    class Meta:
        model = PostingSignup
        fields = ["member", "posting", "starts_on", "ends_on", "note"]

    def clean(self):
        cleaned = super().clean()
        member, posting = cleaned.get("member"), cleaned.get("posting")
        if self.instance._state.adding and member and posting:
            try:
                services.posting_signup_check_open(member=member, posting=posting)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(PostingSignup)
class PostingSignupAdmin(AllOrNothingActionsMixin, BranchScopedAdmin, HistoryAdmin):
    """The state and the decision are never edited in the form, nor reverted from history: the
    actions accept (recording the assignment) or decline through ``campaigns.services``."""

    form = PostingSignupForm
    scope_lookup = "member__branch"
    index_order = 35
    waiting = [Waiting(_("volunteer sign-ups to accept"), {"state__exact": SignupState.PENDING})]
    revert_allowed = False
    list_display = [
        "member",
        "member__branch",
        "posting",
        "starts_on",
        "ends_on",
        "state",
        "created_at",
    ]
    list_select_related = ["member__branch", "posting"]
    list_filter = [
        "state",
        ("posting__campaign", campaign_filter(CampaignKind.VOLUNTEER)),
        BranchTreeFilter,
    ]
    search_fields = ["member__name"]
    autocomplete_fields = ["member", "posting"]
    readonly_fields = ["state", "decided_by", "decided_at", "assignment", "created_at"]
    actions = ["accept", "decline"]
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["member", "posting", "starts_on", "ends_on", "note"]}),
        (
            _("Decision"),
            {"fields": ["state", "decided_by", "decided_at", "assignment", "created_at"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Who and where stay as signed up; a decided sign-up stays as it was decided.
            readonly += ["member", "posting"]
            if obj.state != PostingSignup.State.PENDING:
                readonly += ["starts_on", "ends_on", "note"]
        return readonly

    @admin.action(description=_("Accept selected sign-ups"), permissions=["change"])
    def accept(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda signup: services.posting_signup_accept(signup=signup, user=request.user),
            lambda n: (
                ngettext(
                    "%(count)d sign-up accepted and its assignment recorded.",
                    "%(count)d sign-ups accepted and their assignments recorded.",
                    n,
                )
                % {"count": n}
            ),
            name=str,
        )

    @admin.action(description=_("Decline selected sign-ups"), permissions=["change"])
    def decline(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda signup: services.posting_signup_decline(signup=signup, user=request.user),
            lambda n: (
                ngettext("%(count)d sign-up declined.", "%(count)d sign-ups declined.", n)
                % {"count": n}
            ),
            name=str,
        )
