from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from honours import honour_roll
from honours.forms import HonourRollFilter
from honours.models import Citation
from members import contributions
from members.models import Member
from portal import public_cache
from portal.paging import page_number
from portal.triggers import ROLL, SUGGESTIONS


def _closed_to(request) -> bool:
    """Whether the roll is closed to this visitor (``HONOUR_ROLL_PUBLIC`` off, not logged in).
    Asked before the shared page: a closed roll must not be served from the cache."""
    return not settings.HONOUR_ROLL_PUBLIC and not request.user.is_authenticated


def honour_roll_view(request):
    """All kinds with their first names, or one kind paginated; filters from the query string."""
    if _closed_to(request):
        return redirect_to_login(request.get_full_path())
    return honour_roll_page(request)


def honour_roll_print_view(request):
    """Every name the roll counts, for paper, with the same filters."""
    if _closed_to(request):
        return redirect_to_login(request.get_full_path())
    return honour_roll_printout(request)


def _roll(request, *, everyone: bool) -> dict:
    # Read here, not in the cached compute: the filter's categories say them too. The page is
    # cached whole, and a wording row's trigger moves the roll's version.
    words = honour_roll.wording()
    form = HonourRollFilter(request.GET, wording=words)
    filters = form.filters()
    chosen = contributions.kind(form.cleaned_data.get("category", "")) if form.is_valid() else None
    number = page_number(request.GET.get("page"))
    # Cached until a member or record changes (portal/public_cache.py): consent withdrawn, or a
    # new gift, shows at once.
    data = public_cache.cached(
        "honour-roll",
        chosen.key if chosen else "",
        *(getattr(filters[name], "pk", "") for name in ("campaign", "branch", "sector")),
        filters["query"],
        number,
        everyone,
        scopes=[ROLL],
        compute=lambda: honour_roll.sections(
            chosen=chosen, filters=filters, page_number=number, everyone=everyone
        ),
    )
    sections = []
    for section in data["sections"]:
        page = None
        if section["number"] is not None:
            page = Paginator(range(section["count"]), honour_roll.PER_PAGE).get_page(
                section["number"]
            )
            page.object_list = section["members"]
        sections.append(
            {
                "kind": contributions.kind(section["key"]),
                "title": words[section["key"]]["title"],
                "intro": words[section["key"]]["intro"],
                "members": page or section["members"],
                "page": page,
                "count": section["count"],
                "common": section["common"],
                # Fewer names here than counted: the overview's first few, or a printout cut.
                "partial": len(section["members"]) < section["count"],
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    suffix = f"?{query.urlencode()}" if query else ""
    print_url = reverse("honours:honour-roll-print") + suffix
    return {
        "form": form,
        "sections": sections,
        "chosen": chosen,
        "found": data["found"],
        "filtered": any(filters.values()) or chosen is not None,
        "partial": any(section["partial"] for section in sections),
        "print_url": print_url,
        "roll_url": reverse("honours:honour-roll") + suffix,
        "print_address": request.build_absolute_uri(print_url),
        "print_limit": honour_roll.PRINT_LIMIT,
    }


# The suggestions' scope too: the count of their authors is kept apart under it (suggestions/
# contributions.py), and read with the page's versions.
@public_cache.whole_page(public_cache.fixed_scopes(ROLL, SUGGESTIONS))
def honour_roll_page(request):
    return render(request, "honours/honour_roll.html", _roll(request, everyone=False))


@public_cache.whole_page(public_cache.fixed_scopes(ROLL, SUGGESTIONS))
def honour_roll_printout(request):
    return render(request, "honours/honour_roll_print.html", _roll(request, everyone=True))


def artwork_image(request, name):
    """An artwork's picture: to anyone while its member may be listed publicly (and the roll is
    public), else only to staff who may see the citation."""
    citation = get_object_or_404(Citation.objects.select_related("member__branch"), image=name)
    member = citation.member
    public = (
        member is not None
        and Member.objects.listable().filter(pk=member.pk).exists()
        and (settings.HONOUR_ROLL_PUBLIC or request.user.is_authenticated)
    )
    if not (public or admin.site.get_model_admin(Citation).has_view_permission(request, citation)):
        raise Http404
    return FileResponse(citation.image.open("rb"))
