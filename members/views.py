"""A member's own page (/me/), the copy of their data and their correction requests, and the
invitation that gives a member a login.

A member sees only their own record: the page is built from ``request.user.member`` and takes no
id from the URL. Their contributions come from the registry (members/contributions.py), so every
kind of record any app registers shows up here; the copy of their data (members/data.py) reads
every model that points at members.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members import contributions, data, invitations
from members.forms import CorrectionRequestForm
from members.models import Member


def member_of(request):
    """The member behind the login, or 403 with a message saying whom to ask."""
    member = getattr(request.user, "member", None)
    if member is None:
        raise PermissionDenied(_("Your login is not linked to a member; ask your branch clerk."))
    return member


@login_required
def my_record(request):
    member = member_of(request)
    titles = contributions.titles()
    sections = []
    for kind in contributions.kinds():
        rows = kind.own(member)
        if rows:
            sections.append({"kind": kind, "title": titles[kind.key], "rows": rows})
    panels = [
        {"template": panel.template, **panel.context(member)} for panel in contributions.panels()
    ]
    context = {
        "member": member,
        "sections": sections,
        "panels": panels,
        "correction_form": CorrectionRequestForm(),
        "corrections": member.correction_requests.all(),
    }
    return render(request, "members/me.html", context)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def my_data(request, extension):
    """A copy of everything the portal holds about the member, as JSON or XLSX (PIPL art. 45)."""
    member = member_of(request)
    if extension == "json":
        content, content_type = data.as_json(member), "application/json"
    else:
        content, content_type = data.as_xlsx(member), XLSX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{data.file_name(member, extension)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def my_correction(request):
    """The member asks that something about them be corrected; their branch's staff answer."""
    member = member_of(request)
    form = CorrectionRequestForm(request.POST)
    if form.is_valid():
        correction = form.save(commit=False)
        correction.member = member
        correction._change_reason = _("Asked by the member")
        correction.save()
        messages.success(
            request, _("Thank you: your branch's staff will answer your request here.")
        )
    else:
        messages.error(request, " ".join(form.errors["text"]))
    return redirect(reverse_lazy("members:me") + "#my-data")


@login_required
@require_POST
def my_consent(request):
    """Give or withdraw consent to public listing; it takes effect at once, with its time."""
    member = member_of(request)
    give = request.POST.get("consent") == "give"
    with transaction.atomic():
        # Read the row again under a lock and write the consent alone: saving the whole row as
        # the login loaded it would put back what staff saved a moment before, and its history
        # entry would show the old values.
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.listing_consent != give:
            member.listing_consent = give
            member._change_reason = _("Consent changed by the member")
            member.save(update_fields=["listing_consent", "consent_changed_at"])
    if give:
        messages.success(request, _("Thank you: you are listed on the honour roll."))
    else:
        messages.success(
            request, _("You are no longer listed on the honour roll or on any public page.")
        )
    return redirect("members:me")


class InviteConfirmView(auth_views.PasswordResetConfirmView):
    """The invitation link: the member chooses a password (none is ever sent to them)."""

    template_name = "registration/invite_confirm.html"
    success_url = reverse_lazy("members:invite-done")
    token_generator = invitations.invitation_tokens

    def get_user(self, uidb64):
        # Checked again here, not only when the link was made: a login promoted to staff since,
        # or given a password since, is answered as an invalid link.
        user = super().get_user(uidb64)
        if user is None or not hasattr(user, "member") or not invitations.may_be_invited(user):
            return None
        return user


class InviteDoneView(auth_views.PasswordResetCompleteView):
    template_name = "registration/invite_done.html"
