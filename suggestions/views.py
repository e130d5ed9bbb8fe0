"""The public suggestions pages and a member's own suggestions.

The overview shows counts (one query module: ``suggestions.figures``) and the titles of
suggestions marked public, filtered by call, topic and state, each linking to its own page
(``/suggestions/<id>/``: its text or public summary, where it went and the answer). Member
authors are named only if they consented to be listed. A member sees and withdraws only their
own suggestions (after a confirmation), each with its steps; anyone else's is a 404.
"""

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from members.models import Member
from members.views import member_of
from portal import public_cache
from portal.triggers import SUGGESTIONS
from suggestions import figures, services
from suggestions.forms import MemberSuggestionForm, SuggestionFilter
from suggestions.models import Attachment, Forwarding, State, Suggestion, SuggestionCall

TITLES_PER_PAGE = 50
TITLE_FIELDS = ["title", "by_branch", "state", "received_on", "branch__name", "call__title"]


def overview_figures() -> dict:
    """The page's counts, as plain data the cache keeps until a suggestion changes: from the
    kept counts, so that making them reads a few rows whatever the number of suggestions."""
    by_call = figures.kept_counts_by_call()
    calls = SuggestionCall.objects.in_bulk([row["call_id"] for row in by_call if row["call_id"]])
    for row in by_call:
        row["call"] = calls.get(row["call_id"])
    return {
        # The totals add up the few rows per call: one pass over the suggestions, not two.
        "totals": figures.add_up(by_call),
        "by_call": by_call,
        "by_body": figures.kept_forwarded_by_body(),
    }


def _listable_authors() -> Prefetch:
    # Their names only: a page of titles names a hundred authors, and a whole register row each
    # was a fifth of its render.
    listed = Member.objects.listable().only("name", "name_pinyin").order_by("name_pinyin")
    return Prefetch("authors", queryset=listed)


@public_cache.whole_page(public_cache.fixed_scopes(SUGGESTIONS))
def suggestion_overview(request):
    form = SuggestionFilter(request.GET)
    public = (
        Suggestion.objects.public()
        .filter(form.filters())
        .select_related("branch", "call")
        # What a title's line shows, not the suggestion's text or its call's description.
        .only(*TITLE_FIELDS)
        .prefetch_related(_listable_authors())
        .order_by("-received_on", "-pk")
    )
    paginator = Paginator(public, TITLES_PER_PAGE)
    chosen = form.chosen()
    if "topic" not in chosen:
        # From the kept counts (by call and state): a count of the public suggestions would
        # grow with them (3 ms of each render at 100,000). They are not kept by topic.
        paginator.count = figures.kept_public_count(chosen.get("call"), chosen.get("state"))
    page = paginator.get_page(request.GET.get("page"))
    counts = public_cache.cached(
        "suggestion-figures", scopes=[SUGGESTIONS], compute=overview_figures
    )
    context = {
        **counts,
        # One call (or none): its counts would only repeat the totals.
        "calls_apart": len(counts["by_call"]) > 1,
        "form": form,
        "filtered": any(form.data.get(name) for name in form.fields),
        "titles": page,
    }
    return render(request, "suggestions/overview.html", context)


@public_cache.whole_page(public_cache.fixed_scopes(SUGGESTIONS))
def suggestion_detail(request, pk):
    """A public suggestion's own page; any other is a 404."""
    suggestion = get_object_or_404(
        Suggestion.objects.public()
        .select_related("branch", "call")
        .prefetch_related(
            _listable_authors(),
            Prefetch("forwardings", queryset=Forwarding.objects.select_related("body")),
        ),
        pk=pk,
    )
    merged = suggestion.merged.count()
    return render(
        request, "suggestions/detail.html", {"suggestion": suggestion, "merged_count": merged}
    )


def steps(suggestion: Suggestion) -> list[dict]:
    """The way a member's suggestion has come: received → reviewed → forwarded → adopted (or
    not), each done with its date or still ahead, the first ahead marked current; or ended early
    by a merge or a withdrawal. Read from its forwardings and its workflow log (prefetched)."""
    moved = {}
    for change in suggestion.state_changes.all():  # in order: the first move to each state
        moved.setdefault(change.to_state, timezone.localdate(change.changed_at))
    forwarded_on = min((f.forwarded_on for f in suggestion.forwardings.all()), default=None)
    state = suggestion.state

    def step(label, date, done):
        return {"label": label, "date": date, "done": done, "current": False}

    received = step(pgettext("step", "Received"), suggestion.received_on, True)
    reviewed = step(
        pgettext("step", "Reviewed"), moved.get(State.UNDER_REVIEW), state != State.RECEIVED
    )
    if state in (State.MERGED, State.WITHDRAWN):
        ended = (
            pgettext("step", "Merged into another")
            if state == State.MERGED
            else pgettext("step", "Withdrawn")
        )
        taken = [received, reviewed] if State.UNDER_REVIEW in moved else [received]
        return [*taken, step(ended, moved.get(state), True)]
    forwarded = step(pgettext("step", "Forwarded"), forwarded_on, forwarded_on is not None)
    if state == State.NOT_ADOPTED:
        answer = step(pgettext("step", "Not adopted"), moved.get(state), True)
    else:
        answer = step(pgettext("step", "Adopted"), moved.get(State.ADOPTED), state == State.ADOPTED)
    result = [received, reviewed, forwarded, answer]
    ahead = next((each for each in result if not each["done"]), None)
    if ahead is not None:
        ahead["current"] = True
    return result


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
        .prefetch_related("forwardings__body", "authors", "attachments", "state_changes")
        .order_by("-received_on", "-pk")
    )
    rows = [{"suggestion": suggestion, "steps": steps(suggestion)} for suggestion in suggestions]
    return render(request, "suggestions/mine.html", {"rows": rows, "member": member})


@login_required
def suggestion_withdraw(request, pk):
    """Asks first (GET: the question, POST: the answer): a withdrawal cannot be undone."""
    member = member_of(request)
    suggestion = get_object_or_404(Suggestion.objects.of_member(member), pk=pk)
    if request.method != "POST":
        return render(request, "suggestions/withdraw.html", {"suggestion": suggestion})
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
