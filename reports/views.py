from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from members import contributions
from members.models import Citation, Member
from reports import honour_roll
from reports.forms import HonourRollFilter


def honour_roll_view(request):
    """All kinds with their first names, or one kind paginated; filters from the query string."""
    if not settings.HONOUR_ROLL_PUBLIC and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = HonourRollFilter(request.GET)
    filters = form.filters()
    chosen = contributions.kind(form.cleaned_data.get("category", "")) if form.is_valid() else None
    sections = []
    for kind in [chosen] if chosen else contributions.kinds():
        members = honour_roll.roll(kind, **filters)
        if members is None:
            continue
        if chosen:
            page = Paginator(members, honour_roll.PER_PAGE).get_page(request.GET.get("page"))
            sections.append(
                {"kind": kind, "members": page, "page": page, "count": page.paginator.count}
            )
        else:
            sections.append(
                {
                    "kind": kind,
                    "members": list(members[: honour_roll.PREVIEW]),
                    "page": None,
                    "count": members.count(),
                }
            )
    context = {"form": form, "sections": sections, "chosen": chosen}
    return render(request, "reports/honour_roll.html", context)


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
