from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import render

from members import contributions
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
