"""Public campaign pages: the list at ``/`` and one page per campaign, its share pictures and
its "how to take part" picture.

Anyone sees published campaigns (public and not a draft); staff who may view campaigns also see
the others, as a marked preview. Every figure comes from ``campaigns.progress``; each page runs a
fixed number of queries whatever the number of records (tests/test_campaign_pages.py pins them).
"""

import functools
import hashlib

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import progress, services, share
from campaigns.charts import NARROW, WIDE, cumulative_chart
from campaigns.forms import SignupForm
from campaigns.models import Campaign, Goal, Posting, PostingSignup
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
# The goal each kind's chart can be drawn against: blood drives count donations by week, which
# no goal (donors, millilitres) measures.
CHART_GOALS = {
    Campaign.Kind.DONATION: Goal.Metric.AMOUNT,
    Campaign.Kind.VOLUNTEER: Goal.Metric.PEOPLE_POSTED,
}
SHARE_SIZES = {"wide": share.LAYOUTS["wide"]["size"], "square": share.LAYOUTS["square"]["size"]}


def campaign_detail_scopes(request, slug):
    """A campaign page shows its campaign's records (and names: ``register``, always read); its
    scope is named from the slug inside the versions' own query."""
    campaigns = Campaign._meta.db_table
    return [
        public_cache.ScopeOf(
            f"%s || (SELECT id FROM {campaigns} WHERE slug = %s)::text",
            (campaign_scope(""), slug),
        )
    ]


@public_cache.whole_page(public_cache.fixed_scopes(CAMPAIGNS))
def campaign_list(request):
    campaigns = Campaign.objects.public().for_list()
    page = Paginator(campaigns, CAMPAIGNS_PER_PAGE).get_page(request.GET.get("page"))
    ids = [campaign.pk for campaign in page]
    # Each campaign's figures under its own scope: after a gift, only its campaign's are made
    # again, not those of every campaign on the page.
    figures = public_cache.cached_each(
        "campaign-list-figures",
        ids,
        scope_of=campaign_scope,
        compute=lambda missing: progress.figures_by_campaign(missing, public=True),
    )
    cards = [
        {"campaign": campaign, "goals": progress.goal_values(campaign, figures[campaign.pk])}
        for campaign in page
    ]
    return render(request, "campaigns/campaign_list.html", {"page_obj": page, "cards": cards})


def _published_or_404(request, campaign: Campaign) -> bool:
    """Whether ``campaign`` is a preview (unpublished, shown to staff who may view campaigns);
    404 for anyone else."""
    preview = not campaign.is_published
    if preview and not request.user.has_perm("campaigns.view_campaign"):
        raise Http404
    return preview


def _versions(campaign: Campaign) -> public_cache.Versions:
    """The versions of what a campaign's page shows (read once per request)."""
    return public_cache.versions_of([campaign_scope(campaign.pk)])


def _page_data(campaign: Campaign, number: int, versions: public_cache.Versions) -> dict:
    return public_cache.cached(
        "campaign-page",
        campaign.pk,
        number,
        scopes=[campaign_scope(campaign.pk)],
        versions=versions,
        compute=lambda: progress.campaign_page(campaign, number, PARTICIPANTS_PER_PAGE),
    )


def _take_part_data(campaign: Campaign) -> dict:
    """What the "how to take part" section shows anyone: the bodies a donation drive collects
    for, and the places of a volunteer drive still open for sign-up."""
    recipients, places = [], []
    if campaign.kind == Campaign.Kind.DONATION:
        recipients = list(campaign.recipients.order_by("name").values_list("name", flat=True))
    elif campaign.kind == Campaign.Kind.VOLUNTEER:
        # No member's sign-ups to leave out: the places open to anyone who has none there.
        postings = services.open_postings(member=None).filter(campaign=campaign)
        places = [_place(posting) for posting in postings.order_by("starts_on", "place", "pk")]
    return {"recipients": recipients, "places": places}


def _place(posting: Posting) -> dict:
    return {
        "pk": posting.pk,
        "place": posting.place,
        "district": posting.district,
        "duties": posting.duties,
        "starts_on": posting.starts_on,
        "ends_on": posting.ends_on,
        "people_needed": posting.people_needed,
        "posted": posting.posted,
    }


def _take_part(request, campaign: Campaign, versions: public_cache.Versions) -> dict:
    data = public_cache.cached(
        "campaign-take-part",
        campaign.pk,
        # Which places are still open depends on the day.
        timezone.localdate(),
        scopes=[campaign_scope(campaign.pk)],
        versions=versions,
        compute=lambda: _take_part_data(campaign),
    )
    member = getattr(request.user, "member", None)
    if member is not None and campaign.kind == Campaign.Kind.VOLUNTEER:
        # A member signs up where they may: not where they already did.
        postings = services.open_postings(member=member).filter(campaign=campaign)
        data = {**data, "places": [_place(p) for p in postings.order_by("starts_on", "place")]}
    return {**data, "member": member}


@functools.lru_cache(maxsize=256)
def _qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").png_data_uri(scale=6, border=2)


def _share(request, campaign: Campaign, versions: public_cache.Versions) -> dict:
    """The page's address, its QR code and its share pictures (whose addresses carry the data
    version, so that apps which keep a picture fetch the new one when the figures move)."""
    url = request.build_absolute_uri(campaign.get_absolute_url())
    stamp = hashlib.sha256(f"{versions}{get_language()}".encode()).hexdigest()[:10]
    images = {
        variant: {
            "url": request.build_absolute_uri(
                reverse("campaigns:share-image", args=[campaign.slug, variant])
            )
            + f"?v={stamp}",
            "width": size[0],
            "height": size[1],
        }
        for variant, size in SHARE_SIZES.items()
    }
    return {"url": url, "qr": _qr_data_uri(url), "images": images}


@public_cache.whole_page(campaign_detail_scopes)
def campaign_detail(request, slug):
    campaign = get_object_or_404(
        Campaign.objects.select_related("organiser").prefetch_related("goals"), slug=slug
    )
    preview = _published_or_404(request, campaign)
    number = page_number(request.GET.get("page"))
    versions = _versions(campaign)
    data = _page_data(campaign, number, versions)
    # A page of the cached names, with the paginator the template's page links expect.
    participants = Paginator(range(data["named"]), PARTICIPANTS_PER_PAGE).get_page(data["number"])
    participants.object_list = data["participants"]
    figures = data["figures"]
    top = share.headline(campaign, figures)
    goal = next(
        (g["target"] for g in figures["goals"] if g["metric"] == CHART_GOALS.get(campaign.kind)),
        None,
    )
    context = {
        "campaign": campaign,
        "preview": preview,
        "figures": figures,
        "headline": top,
        # The headline's goal is shown with it; the others under it.
        "other_goals": [g for g in figures["goals"] if g["metric"] != top["metric"]],
        "chart": cumulative_chart(figures["series"], goal=goal, **WIDE),
        "chart_narrow": cumulative_chart(figures["series"], goal=goal, **NARROW),
        "chart_caption": CHART_CAPTIONS[campaign.kind],
        "participants": participants,
        "unnamed": data["unnamed"],
        "last_updated": data["last_updated"],
        "min_donors": progress.MIN_BLOOD_DONORS_FOR_TOTALS,
        "take_part": _take_part(request, campaign, versions),
        "share": _share(request, campaign, versions),
        "cache_version": str(versions),
    }
    return render(request, "campaigns/campaign_detail.html", context)


def share_image(request, slug, variant):
    """The campaign's share picture, drawn once per version of its figures and language."""
    campaign = get_object_or_404(
        Campaign.objects.select_related("organiser").prefetch_related("goals"), slug=slug
    )
    preview = _published_or_404(request, campaign)
    versions = _versions(campaign)
    figures = _page_data(campaign, 1, versions)["figures"]
    png = public_cache.cached(
        "share-card",
        campaign.pk,
        variant,
        get_language(),
        scopes=[campaign_scope(campaign.pk)],
        versions=versions,
        compute=lambda: share.card_png(share.card(campaign, figures), variant),
    )
    response = HttpResponse(png, content_type="image/png")
    # A preview's picture is staff's only; a published one may be kept a while by any cache
    # (its address on the page changes with the figures).
    response["Cache-Control"] = "private, no-store" if preview else "public, max-age=600"
    return response


def take_part_image(request, name):
    """The picture staff put under "how to take part" (a QR code to give by): to anyone with
    its published campaign, else to staff who may view campaigns."""
    campaign = get_object_or_404(Campaign, take_part_image=name)
    _published_or_404(request, campaign)
    return FileResponse(campaign.take_part_image.open("rb"))


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
    # Back where the member signed up: their own page, or the campaign's "how to take part".
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
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
