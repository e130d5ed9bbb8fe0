from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Branch


class ReportForm(forms.Form):
    """The period and the branch subtree of the leadership summary. A clerk may choose only
    their own branch or one below it; leaving the branch blank means the whole committee for
    those who see every branch, and their own branch for a clerk."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    branch = forms.ModelChoiceField(Branch.objects.none(), label=_("Branch"), required=False)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["branch"]
        field.queryset = branches
        field.choices = [("", _("All my branches"))] + [
            (branch.pk, f"{'— ' * branch.depth}{branch.name}") for branch in branches
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "report-form"
        self.helper.add_input(Submit("", _("Show the summary")))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date must not be before the start date."))
        return cleaned
