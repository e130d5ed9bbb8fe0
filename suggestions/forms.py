from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Field, Layout, Submit
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Member
from suggestions.models import (
    DEFAULT_TOPIC_WORDS,
    STATES_NEVER_PUBLIC,
    State,
    Suggestion,
    SuggestionCall,
    validate_attachment,
)

# What the public list may be narrowed to: the states a public suggestion can be in.
PUBLIC_STATES = [state for state in State if state not in STATES_NEVER_PUBLIC]


def topic_choices(calls) -> list[tuple[str, str]]:
    """The topics of these calls and those outside a call, each once, in their calls' order."""
    words = dict.fromkeys(word for call in calls for word in call.topic_words)
    words.update(dict.fromkeys(DEFAULT_TOPIC_WORDS))
    return [(word, word) for word in words]


class SuggestionFilter(forms.Form):
    """The public list's filters, from the query string; a value not on offer is an error of its
    field, and the list is then shown unfiltered by it."""

    call = forms.ModelChoiceField(SuggestionCall.objects.all(), label=_("Call"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One query for the calls: Django's lazy choices would count the table, then read it.
        calls = list(self.fields["call"].queryset)
        self.fields["call"].choices = [("", _("All"))] + [(call.pk, call.title) for call in calls]
        self.fields["topic"].choices = [("", _("All"))] + topic_choices(calls)
        self.fields["state"].choices = [("", _("All"))] + [
            (state.value, state.label) for state in PUBLIC_STATES
        ]

    def chosen(self) -> dict:
        """The valid filters chosen: field name to value."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in self.fields if data.get(name)}

    def filters(self) -> Q:
        """The suggestions the valid filters keep."""
        return Q(**self.chosen())


class CoAuthorPicker(forms.CheckboxSelectMultiple):
    """The branch's members as checkboxes, each with its search key (name, pinyin, initials):
    static/js/co-authors.js turns them into a search, showing only the members found and those
    chosen, so a branch of hundreds is no wall of names. Without the script they are all there."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        member = getattr(value, "instance", None)
        if member is not None:
            option["attrs"]["data-search"] = member.search_key
        return option


# The picker's search box, hidden until the script shows it (a box that does nothing without it
# would mislead); its messages are the script's words in the reader's language.
CO_AUTHOR_SEARCH = """{% load i18n %}
<div class="picker-search-box mb-2" hidden
     data-empty="{% translate 'Type a name or its pinyin; the co-authors you chose stay listed.' %}"
     data-none="{% translate 'No member of your branch is called that.' %}"
     data-found="{% translate 'Found: %s' %}">
  <label for="co-author-search" class="form-label">{% translate 'Find a co-author' %}</label>
  <input type="search" id="co-author-search" class="form-control picker-search"
         autocomplete="off" aria-describedby="co-author-status"
         placeholder="{% translate 'Name or pinyin, such as 赵丽 or zhaoli' %}">
  <p class="form-text picker-status mb-0" id="co-author-status" aria-live="polite"></p>
</div>"""


class MemberSuggestionForm(forms.ModelForm):
    """A member's own suggestion: co-authors come from their branch only."""

    co_authors = forms.ModelMultipleChoiceField(
        Member.objects.none(),
        label=_("co-authors"),
        required=False,
        widget=CoAuthorPicker,
        help_text=_("Members of your branch who wrote it with you."),
    )
    attachment = forms.FileField(
        label=_("attachment"),
        required=False,
        validators=[validate_attachment],
        help_text=_("Optional: a PDF, Word, Excel, JPEG, PNG or text file."),
    )

    class Meta:
        model = Suggestion
        fields = ["call", "title", "topic", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["call"].queryset = SuggestionCall.objects.filter(
            Q(closes_on__isnull=True) | Q(closes_on__gte=today), opens_on__lte=today
        )
        self.fields["call"].empty_label = _("— not part of a call —")
        # The open calls' topics; Suggestion.clean checks the one chosen against its call's.
        self.fields["topic"] = forms.ChoiceField(
            label=self.fields["topic"].label,
            choices=[("", "---------")] + topic_choices(self.fields["call"].queryset),
        )
        self.fields["co_authors"].queryset = (
            Member.objects.filter(branch=member.branch, status=Member.Status.ACTIVE)
            .exclude(pk=member.pk)
            .order_by("name_pinyin")
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "call",
            "title",
            "topic",
            "text",
            HTML(CO_AUTHOR_SEARCH),
            Field("co_authors", wrapper_class="co-author-picker"),
            "attachment",
        )
        self.helper.add_input(Submit("submit", _("Send the suggestion")))
