"""The public suggestions page and a member's own suggestions.

The public page shows counts (one query module: ``suggestions.figures``) and the titles of
suggestions marked public, naming member authors only if they consented to be listed. A member
sees and withdraws only their own suggestions; anyone else's is a 404.
"""

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.models import Member
from members.views import member_of
from portal import public_cache
from portal.triggers import SUGGESTIONS
from suggestions import figures, services
from suggestions.forms import MemberSuggestionForm
from suggestions.models import Attachment, Suggestion, SuggestionCall

TITLES_PER_PAGE = 50


def overview_figures() -> dict:
    """The page's counts, as plain data the cache keeps until a suggestion changes."""
    everything = Suggestion.objects.all()
    by_call = figures.state_counts_by_call(everything)
    calls = SuggestionCall.objects.in_bulk([row["call_id"] for row in by_call if row["call_id"]])
    for row in by_call:
        row["call"] = calls.get(row["call_id"])
    return {
        # The totals add up the few rows per call: one pass over the suggestions, not two.
        "totals": figures.add_up(by_call),
        "by_call": by_call,
        "by_body": figures.forwarded_by_body(None),
    }


@public_cache.whole_page(public_cache.fixed_scopes(SUGGESTIONS))
def suggestion_overview(request):
    public = (
        Suggestion.objects.public()
        .select_related("branch", "call")
        .prefetch_related(
            Prefetch("authors", queryset=Member.objects.listable().order_by("name_pinyin"))
        )
        .order_by("-received_on", "-pk")
    )
    page = Paginator(public, TITLES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **public_cache.cached("suggestion-figures", scopes=[SUGGESTIONS], compute=overview_figures),
        "titles": page,
    }
    return render(request, "suggestions/overview.html", context)


@login_required
def suggestion_new(request):
    member = member_of(request)
    if member.status != Member.Status.ACTIVE:
        raise PermissionDenied(_("Only members on the register send suggestions."))
    form = MemberSuggestionForm(request.POST or None, request.FILES or None, member=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.suggestion_submit(
                member=member,
                user=request.user,
                title=data["title"],
                topic=data["topic"],
                text=data["text"],
                call=data["call"],
                co_authors=list(data["co_authors"]),
                files=[data["attachment"]] if data["attachment"] else [],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your suggestion was received."))
            return redirect("suggestions:mine")
    return render(request, "suggestions/new.html", {"form": form})


@login_required
def my_suggestions(request):
    member = member_of(request)
    suggestions = (
        Suggestion.objects.of_member(member)
        .select_related("call", "merged_into__branch")
        .prefetch_related("forwardings__body", "authors", "attachments")
        .order_by("-received_on", "-pk")
    )
    return render(request, "suggestions/mine.html", {"suggestions": suggestions, "member": member})


@login_required
@require_POST
def suggestion_withdraw(request, pk):
    member = member_of(request)
    suggestion = get_object_or_404(Suggestion.objects.of_member(member), pk=pk)
    try:
        services.suggestion_withdraw(suggestion=suggestion, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("《%(title)s》 is withdrawn.") % {"title": suggestion.title})
    return redirect("suggestions:mine")


@login_required
def attachment_download(request, name):
    """A file goes to its authors and to staff who may see the suggestion, to no one else."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("suggestion__branch"), file=name
    )
    suggestion = attachment.suggestion
    member = getattr(request.user, "member", None)
    is_author = member is not None and suggestion.authors.filter(pk=member.pk).exists()
    # Staff: exactly who may open the suggestion in the admin (its scoping mixin decides).
    is_staff_in_scope = admin.site.get_model_admin(Suggestion).has_view_permission(
        request, suggestion
    )
    if not (is_author or is_staff_in_scope):
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=str(attachment))
