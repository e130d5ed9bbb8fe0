"""Public campaign pages: the list at ``/`` and one page per campaign.

Anyone sees published campaigns (public and not a draft); staff who may view campaigns also see
the others, as a marked preview. Every figure comes from ``campaigns.progress``; each page runs a
fixed number of queries whatever the number of records (tests/test_campaign_pages.py pins them).
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from campaigns import progress
from campaigns.charts import cumulative_chart
from campaigns.models import Campaign

CAMPAIGNS_PER_PAGE = 12
PARTICIPANTS_PER_PAGE = 200

# What each kind's chart counts, and in which unit its axis reads.
CHART_CAPTIONS = {
    Campaign.Kind.DONATION: _("Money received, running total (facilitated gifts apart)"),
    Campaign.Kind.BLOOD: _("Blood donations given, running total"),
    Campaign.Kind.VOLUNTEER: _("Members posted, running total"),
}


def campaign_list(request):
    campaigns = Campaign.objects.public().for_list()
    page = Paginator(campaigns, CAMPAIGNS_PER_PAGE).get_page(request.GET.get("page"))
    figures = progress.figures_by_campaign([campaign.pk for campaign in page])
    cards = [
        {"campaign": campaign, "goals": progress.goal_values(campaign, figures[campaign.pk])}
        for campaign in page
    ]
    return render(request, "campaigns/campaign_list.html", {"page_obj": page, "cards": cards})


def campaign_detail(request, slug):
    campaign = get_object_or_404(
        Campaign.objects.select_related("organiser").prefetch_related("goals"), slug=slug
    )
    preview = not campaign.is_published
    if preview and not request.user.has_perm("campaigns.view_campaign"):
        raise Http404
    figures = progress.campaign_progress(campaign)
    participants = Paginator(progress.named_participants(campaign), PARTICIPANTS_PER_PAGE)
    page = participants.get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "preview": preview,
        "figures": figures,
        "chart": cumulative_chart(figures["series"]),
        "chart_caption": CHART_CAPTIONS[campaign.kind],
        "participants": page,
        "unnamed": progress.participant_count(campaign) - participants.count,
        "last_updated": progress.last_updated(campaign),
        "share_url": request.build_absolute_uri(campaign.get_absolute_url()),
    }
    return render(request, "campaigns/campaign_detail.html", context)
