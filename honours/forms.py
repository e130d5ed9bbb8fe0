from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from members import contributions
from members.models import Branch, Sector


class HonourRollFilter(forms.Form):
    """The roll's filters, from the query string; a value that is not on offer is an error of
    its field, and the roll is then shown unfiltered by it."""

    category = forms.ChoiceField(label=_("Category"), required=False)
    campaign = forms.ModelChoiceField(
        Campaign.objects.public(), label=_("Campaign"), required=False
    )
    branch = forms.ModelChoiceField(Branch.objects.all(), label=_("Branch"), required=False)
    sector = forms.ModelChoiceField(Sector.objects.all(), label=_("Sector"), required=False)
    q = forms.CharField(label=_("Name"), required=False, max_length=50)

    def __init__(self, *args, wording: dict, **kwargs):
        super().__init__(*args, **kwargs)
        # Each category as the roll calls it (honours.honour_roll.wording).
        self.fields["category"].choices = [("", _("All categories"))] + [
            (kind.key, wording[kind.key]["title"]) for kind in contributions.kinds()
        ]
        labels = {"branch": lambda branch: f"{'— ' * branch.depth}{branch.name}"}
        for name in ("campaign", "branch", "sector"):
            # One query per list: Django's lazy choices would count the table, then read it.
            field = self.fields[name]
            label = labels.get(name, str)
            field.choices = [("", _("All"))] + [(obj.pk, label(obj)) for obj in field.queryset]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "campaign": data.get("campaign"),
            "branch": data.get("branch"),
            "sector": data.get("sector"),
            "query": (data.get("q") or "").strip(),
        }
