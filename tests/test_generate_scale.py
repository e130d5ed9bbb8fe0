"""The synthetic data of generate_scale, at a tiny size: exact counts, the same data for the same
seed, every rule the portal keeps, and public pages that render from it."""

import datetime
import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from branch_portal import scale
from campaigns import progress
from campaigns.models import (
    Assignment,
    BloodDonation,
    Campaign,
    Donation,
    Goal,
    GoodsLine,
    Posting,
)
from members import text
from members.models import Branch, Enterprise, Member

pytestmark = pytest.mark.django_db

SIZES = {
    "branches": 12,
    "members": 200,
    "enterprises": 5,
    "campaigns": 6,
    "donations": 1000,
    "blood_donations": 100,
    "postings": 8,
    "assignments": 100,
}


@pytest.fixture
def generated():
    return scale.generate(seed=7, sizes=SIZES)


def test_generate_scale_makes_exactly_the_sizes_asked(generated):
    counts = {
        "branches": Branch.objects.count(),
        "members": Member.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "campaigns": Campaign.objects.count(),
        "donations": Donation.objects.count(),
        "blood_donations": BloodDonation.objects.count(),
        "postings": Posting.objects.count(),
        "assignments": Assignment.objects.count(),
    }

    assert counts == SIZES
    # Each record has its creation in history, as if entered through the admin.
    for model in (Member, Donation, GoodsLine, BloodDonation, Assignment):
        assert model.history.filter(history_type="+").count() == model.objects.count()


def test_generate_scale_same_seed_same_data(generated):
    first = scale.fingerprint(generated.models)

    again = scale.fingerprint(scale.generate(seed=7, sizes=SIZES).models)
    other = scale.fingerprint(scale.generate(seed=8, sizes=SIZES).models)

    assert again == first
    assert other != first


def test_generate_scale_keeps_the_portals_rules(generated):
    # The database refused any row breaking a constraint while it was copied in (checks run
    # immediately); what only clean() checks is checked here.
    for record in Donation.objects.select_related("campaign"):
        record.clean()
    for record in BloodDonation.objects.select_related("campaign"):
        record.clean()
    for record in Posting.objects.select_related("campaign"):
        record.clean()
    for record in Goal.objects.select_related("campaign"):
        record.clean()
    outside_posting = Assignment.objects.filter(
        Q(starts_on__lt=F("posting__starts_on")) | Q(ends_on__gt=F("posting__ends_on"))
    )
    assert not outside_posting.exists()
    for assignment in Assignment.objects.all():
        assignment.clean()
    for branch in Branch.objects.select_related("parent"):
        assert branch.path == f"{branch.parent.path if branch.parent else '/'}{branch.pk:07d}/"
    for member in Member.objects.all():
        assert member.name_pinyin == text.pinyin_sort_key(member.name)
        assert member.search_key == text.search_key(member.name)
    first = Member.objects.order_by("pk").first()
    assert first in Member.objects.search(first.search_key.split()[-1])  # by pinyin initials
    not_consenting = Member.objects.filter(listing_consent=False).count()
    assert SIZES["members"] / 10 < not_consenting < SIZES["members"] / 5
    # No date depends on the day of generation, and none lies in the future.
    assert Donation.objects.latest("date").date < datetime.date(2026, 1, 1)


def test_generated_public_pages_render(generated, client):
    largest = (
        Campaign.objects.public().annotate(records=Count("donations")).order_by("-records").first()
    )

    home = client.get("/")
    page = client.get(largest.get_absolute_url())

    assert home.status_code == 200
    assert largest.title in home.content.decode()
    assert page.status_code == 200
    named = progress.named_participants(largest)
    assert named.exists()
    assert named.first().name in page.content.decode()
    # "Last updated" comes from the history rows generation wrote.
    latest = Donation.history.filter(campaign_id=largest.pk).latest("history_date").history_date
    assert progress.last_updated(largest) == max(latest, largest.updated_at)
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', page.content.decode())


def test_generate_scale_command_refuses_the_test_database():
    with pytest.raises(CommandError, match="is a test database"):
        call_command("generate_scale", "--scale", "0.001")
