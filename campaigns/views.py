"""Public campaign pages: the list at ``/`` and one page per campaign.

Anyone sees published campaigns (public and not a draft); staff who may view campaigns also see
the others, as a marked preview. Every figure comes from ``campaigns.progress``; each page runs a
fixed number of queries whatever the number of records (tests/test_campaign_pages.py pins them).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaigns import progress, services
from campaigns.charts import cumulative_chart
from campaigns.forms import SignupForm
from campaigns.models import Campaign, Posting, PostingSignup
from members.views import member_of
from portal import public_cache
from portal.paging import page_number
from portal.triggers import CAMPAIGNS, campaign_scope

CAMPAIGNS_PER_PAGE = 12
PARTICIPANTS_PER_PAGE = 200

# What each kind's chart counts, and in which unit its axis reads.
CHART_CAPTIONS = {
    Campaign.Kind.DONATION: gettext_lazy("Money received, running total (facilitated gifts apart)"),
    Campaign.Kind.BLOOD: gettext_lazy("Blood donations given by week, running total"),
    Campaign.Kind.VOLUNTEER: gettext_lazy("Members posted, running total"),
}


def campaign_detail_scopes(request, slug):
    """A campaign page shows its campaign's records (and names: ``register``, always read); its
    scope is named from the slug inside the versions' own query."""
    pk = Campaign.objects.filter(slug=slug).values("pk")[:1]
    return [Concat(Value(campaign_scope("")), Cast(Subquery(pk), CharField()))]


@public_cache.whole_page(public_cache.fixed_scopes(CAMPAIGNS))
def campaign_list(request):
    campaigns = Campaign.objects.public().for_list()
    page = Paginator(campaigns, CAMPAIGNS_PER_PAGE).get_page(request.GET.get("page"))
    ids = [campaign.pk for campaign in page]
    figures = public_cache.cached(
        "campaign-list-figures",
        *ids,
        scopes=[CAMPAIGNS],
        compute=lambda: progress.figures_by_campaign(ids, public=True),
    )
    cards = [
        {"campaign": campaign, "goals": progress.goal_values(campaign, figures[campaign.pk])}
        for campaign in page
    ]
    return render(request, "campaigns/campaign_list.html", {"page_obj": page, "cards": cards})


@public_cache.whole_page(campaign_detail_scopes)
def campaign_detail(request, slug):
    campaign = get_object_or_404(
        Campaign.objects.select_related("organiser").prefetch_related("goals"), slug=slug
    )
    preview = not campaign.is_published
    if preview and not request.user.has_perm("campaigns.view_campaign"):
        raise Http404
    number = page_number(request.GET.get("page"))
    scopes = [campaign_scope(campaign.pk)]
    versions = public_cache.versions_of(scopes)
    data = public_cache.cached(
        "campaign-page",
        campaign.pk,
        number,
        scopes=scopes,
        versions=versions,
        compute=lambda: progress.campaign_page(campaign, number, PARTICIPANTS_PER_PAGE),
    )
    # A page of the cached names, with the paginator the template's page links expect.
    participants = Paginator(range(data["named"]), PARTICIPANTS_PER_PAGE).get_page(data["number"])
    participants.object_list = data["participants"]
    figures = data["figures"]
    context = {
        "campaign": campaign,
        "preview": preview,
        "figures": figures,
        "chart": cumulative_chart(figures["series"]),
        "chart_caption": CHART_CAPTIONS[campaign.kind],
        "participants": participants,
        "unnamed": data["unnamed"],
        "last_updated": data["last_updated"],
        "min_donors": progress.MIN_BLOOD_DONORS_FOR_TOTALS,
        "cache_version": str(versions),
    }
    return render(request, "campaigns/campaign_detail.html", context)


@login_required
@require_POST
def posting_signup_new(request, posting_id):
    """A member signs up for an open posting from their own page."""
    member = member_of(request)
    posting = get_object_or_404(Posting, pk=posting_id)
    form = SignupForm(request.POST, posting=posting)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        services.posting_signup_create(member=member, posting=posting, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Thank you: your sign-up for %(place)s waits for staff to confirm it.")
            % {"place": posting.place},
        )
    return redirect(reverse("members:me") + "#postings")


@login_required
@require_POST
def posting_signup_withdraw(request, signup_id):
    member = member_of(request)
    signup = get_object_or_404(PostingSignup, pk=signup_id, member=member)
    try:
        services.posting_signup_withdraw(signup=signup, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your sign-up is withdrawn."))
    return redirect(reverse("members:me") + "#postings")
