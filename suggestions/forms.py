from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Member
from suggestions.models import Suggestion, SuggestionCall, validate_attachment


class MemberSuggestionForm(forms.ModelForm):
    """A member's own suggestion: co-authors come from their branch only."""

    co_authors = forms.ModelMultipleChoiceField(
        Member.objects.none(),
        label=_("co-authors"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
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
        self.fields["co_authors"].queryset = (
            Member.objects.filter(branch=member.branch, status=Member.Status.ACTIVE)
            .exclude(pk=member.pk)
            .order_by("name_pinyin")
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Send the suggestion")))
