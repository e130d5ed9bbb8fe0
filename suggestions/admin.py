"""The review queue of suggestions and the committee's records of calls and higher bodies.

A suggestion belongs to a branch, so ``BranchScopedAdmin`` with ``scope_lookup = "branch"`` keeps
a clerk to their own subtree. Its state is never edited in the form: the actions (start review,
forward, record the answer, merge, withdraw) go through ``suggestions.services``, which checks the
workflow's rules and logs each move. Bulk actions are all-or-nothing: if one selected suggestion
cannot move, none does, and the message says which and why.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Max, Min, OuterRef, StringAgg, Subquery, Value
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from members.models import subtree
from members.scoping import (
    BranchScopedAdmin,
    BranchScopedInline,
    BranchScopedSpreadsheetAdmin,
    BranchTreeFilter,
    scope_for,
)
from portal.admin import AllOrNothingActionsMixin, HistoryAdmin, Waiting, one_line
from suggestions import services
from suggestions.forms import topic_choices
from suggestions.models import (
    Attachment,
    Forwarding,
    HigherBody,
    StateChange,
    Suggestion,
    SuggestionCall,
)
from suggestions.resources import SuggestionResource


@admin.register(HigherBody)
class HigherBodyAdmin(HistoryAdmin):
    index_order = 75
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(SuggestionCall)
class SuggestionCallAdmin(HistoryAdmin):
    index_order = 70
    list_display = ["title", "organiser", "opens_on", "closes_on"]
    search_fields = ["title", "organiser"]
    show_full_result_count = False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "topic_words":
            kwargs["delimiter"] = "、"  # as a Chinese list is written: 经济发展、社会民生
            # A list of a dozen words: a line wide enough to read them all.
            kwargs["widget"] = forms.TextInput(attrs={"class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def calls_of(request) -> list[SuggestionCall]:
    """Every call (a few dozen, none confidential), read once a request for the call and the
    topic filters."""
    if not hasattr(request, "_suggestion_calls"):
        request._suggestion_calls = list(SuggestionCall.objects.only("title", "topic_words"))
    return request._suggestion_calls


class CallFilter(admin.RelatedFieldListFilter):
    """Every call: listing only those the records use would read the whole table on every page.
    In the calls' own order (``SuggestionCall.Meta.ordering``, which their admin keeps), as the
    topics are listed."""

    def field_choices(self, field, request, model_admin):
        return [(call.pk, str(call)) for call in calls_of(request)]


class TopicFilter(admin.SimpleListFilter):
    """The topics of the calls (a few dozen rows), not the distinct topics of every suggestion,
    which would read the whole table on every page of the list."""

    title = _("topic")
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        return topic_choices(calls_of(request))

    def queryset(self, request, queryset):
        return queryset.filter(topic=self.value()) if self.value() else queryset


class SuggestionForm(forms.ModelForm):
    class Meta:
        model = Suggestion
        fields = [
            "title",
            "topic",
            "call",
            "text",
            "branch",
            "by_branch",
            "authors",
            "received_on",
            "source",
            "is_public",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "topic" not in self.fields:  # a view-only form shows the topic as text
            return
        # Every call's topics, and the suggestion's own should its call have dropped it;
        # Suggestion.clean checks the one chosen against its call's.
        choices = topic_choices(SuggestionCall.objects.all())
        if self.instance.topic and (self.instance.topic, self.instance.topic) not in choices:
            choices.append((self.instance.topic, self.instance.topic))
        self.fields["topic"] = forms.ChoiceField(
            label=self.fields["topic"].label, choices=[("", "---------"), *choices]
        )

    def clean(self):
        cleaned = super().clean()
        authors = cleaned.get("authors")
        branch = cleaned.get("branch")
        if not cleaned.get("by_branch") and authors is not None and not authors:
            self.add_error(
                "authors",
                _("Name at least one member author, or mark it a collective suggestion."),
            )
        if branch is not None and authors:
            outside = authors.exclude(subtree(branch.path, "branch")).values_list("name", flat=True)
            if outside:
                self.add_error(
                    "authors",
                    _("Not members of %(branch)s or a branch below it: %(names)s.")
                    % {"branch": branch, "names": "、".join(outside)},
                )
        return cleaned


class AttachmentInline(BranchScopedInline, admin.TabularInline):
    model = Attachment
    scope_lookup = "suggestion__branch"
    extra = 0


class ReadOnlyInline(admin.TabularInline):
    """Rows the workflow writes: shown in the suggestion, changed only through its actions."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ForwardingInline(ReadOnlyInline):
    model = Forwarding
    fields = ["body", "forwarded_on", "document_no", "adopted", "feedback"]


class StateChangeInline(ReadOnlyInline):
    model = StateChange
    fields = ["changed_at", "from_state", "to_state", "changed_by", "note"]
    readonly_fields = fields
    verbose_name_plural = _("workflow log")


# The forms of the actions that need more than the selection.


class ForwardForm(forms.Form):
    body = forms.ModelChoiceField(HigherBody.objects.all(), label=_("forwarded to"))
    forwarded_on = forms.DateField(label=_("forwarded on"), initial=timezone.localdate)
    document_no = forms.CharField(label=_("document number"), max_length=50, required=False)
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AnswerForm(forms.Form):
    body = forms.ModelChoiceField(HigherBody.objects.all(), label=_("answered by"))
    adopted = forms.TypedChoiceField(
        label=_("answer"),
        choices=[("yes", _("adopted")), ("no", _("not adopted"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("feedback or instruction received"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        Suggestion.objects.all(),
        label=_("merge into suggestion number"),
        widget=forms.NumberInput,
        help_text=_("The number in the list's first column."),
    )
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReceivedYearFilter(admin.SimpleListFilter):
    """The year a suggestion was received, newest first. Instead of Django's date hierarchy,
    which reads every row of the list to find its years: here the first and the last date come
    from the list's index, and every year between them is offered."""

    title = _("year received")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        suggestions = scope_for(request).filter(Suggestion.objects.all(), "branch")
        span = suggestions.aggregate(first=Min("received_on"), last=Max("received_on"))
        if span["first"] is None:
            return []
        years = range(span["last"].year, span["first"].year - 1, -1)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            year = int(self.value())
            datetime.date(year, 1, 1)  # a year a date can have (1 to 9999)
        except ValueError as error:
            raise IncorrectLookupParameters(error) from error
        return queryset.filter(received_on__year=year)


@admin.register(Suggestion)
class SuggestionAdmin(
    AllOrNothingActionsMixin, BranchScopedSpreadsheetAdmin, BranchScopedAdmin, HistoryAdmin
):
    form = SuggestionForm
    resource_classes = [SuggestionResource]
    revert_allowed = False  # the workflow's state and merges move only through the actions
    scope_lookup = "branch"
    index_order = 60
    waiting = [
        Waiting(
            _("suggestions awaiting review"),
            {"state__exact": Suggestion.State.RECEIVED},
            permission="review",
        )
    ]
    inlines = [AttachmentInline, ForwardingInline, StateChangeInline]
    # The call and the topic are in the filters: the title gets the width, on one line.
    list_display = ["number", "title_shown", "branch", "state", "received_on", "bodies"]
    list_display_links = ["title_shown"]
    list_select_related = ["branch"]
    # Each filter costs a query or a dozen links on every page of the list (issue 15: a list
    # in 20 ms): the bodies are in their column, the source (paper or online) in the form.
    list_filter = [
        "state",
        ("call", CallFilter),
        TopicFilter,
        BranchTreeFilter,
        ReceivedYearFilter,
    ]
    search_fields = ["title", "authors__name"]
    autocomplete_fields = ["call", "branch", "authors"]
    readonly_fields = ["state", "merged_into", "submitted_by"]
    show_full_result_count = False
    actions = ["start_review", "forward", "record_answer", "merge", "withdraw"]
    fieldsets = [
        (None, {"fields": ["title", "topic", "call", "text"]}),
        (_("Authors"), {"fields": ["branch", "by_branch", "authors"]}),
        (_("Receipt"), {"fields": ["received_on", "source"]}),
        (_("Public page"), {"fields": ["is_public", "public_summary"]}),
        (_("Workflow"), {"fields": ["state", "merged_into", "submitted_by"]}),
    ]

    def get_queryset(self, request):
        # The bodies each suggestion went to, for the list column, in the list's one query (a
        # subquery: a join with GROUP BY would drop the model's ordering).
        bodies = (
            Forwarding.objects.filter(suggestion=OuterRef("pk"))
            .values("suggestion")
            .annotate(names=StringAgg("body__name", delimiter=Value("、"), order_by="body__name"))
            .values("names")
        )
        return super().get_queryset(request).annotate(body_names=Subquery(bodies))

    @admin.display(description=_("number"), ordering="pk")
    def number(self, suggestion):
        return suggestion.pk

    @admin.display(description=_("title"), ordering="title")
    def title_shown(self, suggestion):
        return one_line(suggestion.title)

    @admin.display(description=_("forwarded to"))
    def bodies(self, suggestion):
        return one_line(suggestion.body_names) if suggestion.body_names else "—"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.suggestion_record_receipt(suggestion=obj, user=request.user)

    def get_readonly_fields(self, request, obj=None):
        # Publishing a suggestion is the committee's decision, as forwarding is.
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_review_permission(request):
            readonly += ["is_public", "public_summary"]
        return readonly

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {
            **super().get_resource_kwargs(request),
            "may_publish": self.has_review_permission(request),
        }

    def has_review_permission(self, request):
        return request.user.has_perm("suggestions.review_suggestion")

    # Actions

    def _form_step(self, request, queryset, form_class, title):
        """The action's second page: a form, then back to the list with the selection."""
        if "apply" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                return form
        else:
            form = form_class()
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "form": form,
            "suggestions": queryset.order_by("pk"),
            "action": request.POST["action"],
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/suggestions/suggestion/action_form.html", context)

    @admin.action(description=_("Start review of the selected suggestions"), permissions=["review"])
    def start_review(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda s: services.suggestion_review(suggestion=s, user=request.user),
            lambda n: (
                ngettext(
                    "%(count)d suggestion is under review.",
                    "%(count)d suggestions are under review.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(
        description=_("Forward the selected suggestions to a body…"), permissions=["review"]
    )
    def forward(self, request, queryset):
        form = self._form_step(request, queryset, ForwardForm, gettext("Forward to a body"))
        if not isinstance(form, ForwardForm):
            return form
        data = form.cleaned_data
        self._apply(
            request,
            queryset,
            lambda s: services.suggestion_forward(
                suggestion=s,
                body=data["body"],
                forwarded_on=data["forwarded_on"],
                document_no=data["document_no"],
                user=request.user,
                note=data["note"],
            ),
            lambda n: (
                ngettext(
                    "%(count)d suggestion forwarded to %(body)s.",
                    "%(count)d suggestions forwarded to %(body)s.",
                    n,
                )
                % {"count": n, "body": data["body"]}
            ),
        )
        return None

    @admin.action(description=_("Record a body's answer…"), permissions=["review"])
    def record_answer(self, request, queryset):
        form = self._form_step(request, queryset, AnswerForm, gettext("Record a body's answer"))
        if not isinstance(form, AnswerForm):
            return form
        data = form.cleaned_data
        self._apply(
            request,
            queryset,
            lambda s: services.suggestion_answer(
                suggestion=s,
                body=data["body"],
                adopted=data["adopted"],
                feedback=data["feedback"],
                user=request.user,
            ),
            lambda n: (
                ngettext(
                    "Answer recorded for %(count)d suggestion.",
                    "Answer recorded for %(count)d suggestions.",
                    n,
                )
                % {"count": n}
            ),
        )
        return None

    @admin.action(
        description=_("Merge the selected suggestions into another…"), permissions=["review"]
    )
    def merge(self, request, queryset):
        form = self._form_step(request, queryset, MergeForm, gettext("Merge into another"))
        if not isinstance(form, MergeForm):
            return form
        into = form.cleaned_data["into"]
        if not self.get_queryset(request).filter(pk=into.pk).exists():
            # A number outside the user's branches is answered like one that does not exist.
            self.message_user(request, gettext("No suggestion has this number."), messages.ERROR)
            return None
        self._apply(
            request,
            queryset,
            lambda s: services.suggestion_merge(
                suggestion=s, into=into, user=request.user, note=form.cleaned_data["note"]
            ),
            lambda n: (
                ngettext(
                    "%(count)d suggestion merged into 《%(title)s》.",
                    "%(count)d suggestions merged into 《%(title)s》.",
                    n,
                )
                % {"count": n, "title": into.title}
            ),
        )
        return None

    @admin.action(description=_("Withdraw at the author's request…"), permissions=["change"])
    def withdraw(self, request, queryset):
        form = self._form_step(
            request, queryset, NoteForm, gettext("Withdraw at the author's request")
        )
        if not isinstance(form, NoteForm):
            return form
        self._apply(
            request,
            queryset,
            lambda s: services.suggestion_withdraw(
                suggestion=s, user=request.user, note=form.cleaned_data["note"]
            ),
            lambda n: (
                ngettext("%(count)d suggestion withdrawn.", "%(count)d suggestions withdrawn.", n)
                % {"count": n}
            ),
        )
        return None


@admin.register(Forwarding)
class ForwardingAdmin(BranchScopedAdmin, HistoryAdmin):
    """Corrections of a forwarding's document number or feedback. Body, date and answer are set
    by the suggestion's actions, which keep its state in step; a forwarding is never deleted."""

    scope_lookup = "suggestion__branch"
    revert_allowed = False
    index_order = 65
    list_display = ["suggestion", "body", "forwarded_on", "document_no", "adopted"]
    list_select_related = ["suggestion", "body"]
    list_filter = ["body", "adopted", BranchTreeFilter]
    search_fields = ["suggestion__title", "document_no"]
    readonly_fields = ["suggestion", "body", "forwarded_on", "adopted"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # The suggestion's state rests on its forwardings: they are never deleted.
        return False
