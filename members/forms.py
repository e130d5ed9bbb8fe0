from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import CorrectionRequest


class CorrectionRequestForm(forms.ModelForm):
    """What a member asks to have corrected, in their own words."""

    class Meta:
        model = CorrectionRequest
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": _("What should be corrected, and how it should read")}
        error_messages = {"text": {"required": _("Say what should be corrected.")}}
