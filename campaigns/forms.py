from django import forms
from django.utils.translation import gettext_lazy


class SignupForm(forms.Form):
    """The dates a member offers; they default to the posting's and must lie within them
    (the sign-up's own rules say so, naming the field)."""

    starts_on = forms.DateField(label=gettext_lazy("from"))
    ends_on = forms.DateField(label=gettext_lazy("to"))
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)

    def __init__(self, *args, posting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = posting.starts_on
        self.fields["ends_on"].initial = posting.ends_on
