"""The benchmark's synthetic data (bench/data, run by ``python -m bench.generate``), at a tiny
size: exact counts, the same data for the same seed, every rule the portal keeps, and public pages
that render from it; and no app carries any of it."""

import datetime
import importlib.util
import re

import pytest
from django.core.management import get_commands
from django.db.models import Count, F, Q

from bench import data, generate
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
from portal.models import PublicDataVersion
from portal.tallies import differences
from suggestions.models import Forwarding, HigherBody, StateChange, Suggestion, SuggestionCall

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
    "higher_bodies": 3,
    "suggestion_calls": 3,
    "suggestions": 300,
}


@pytest.fixture
def generated():
    return data.generate(seed=7, sizes=SIZES)


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
        "higher_bodies": HigherBody.objects.count(),
        "suggestion_calls": SuggestionCall.objects.count(),
        "suggestions": Suggestion.objects.count(),
    }

    assert counts == SIZES
    # Each record has its creation in history, as if entered through the admin.
    models = (Member, Donation, GoodsLine, BloodDonation, Assignment, Suggestion, Forwarding)
    for model in models:
        assert model.history.filter(history_type="+").count() == model.objects.count()


def test_generate_scale_same_seed_same_data(generated):
    first = data.fingerprint(generated.models)

    again = data.fingerprint(data.generate(seed=7, sizes=SIZES).models)
    other = data.fingerprint(data.generate(seed=8, sizes=SIZES).models)

    assert again == first
    assert other != first
    # Generated again over the first data: every tally counts the new data once (the roll's
    # counts per kind, which no cascade reaches, counted it twice).
    assert differences() == {}


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


def test_generate_scale_suggestions_follow_the_workflow(generated):
    State = Suggestion.State
    suggestions = Suggestion.objects.annotate(
        authors_n=Count("authors", distinct=True),
        forwarded_n=Count("forwardings", distinct=True),
    )
    answers = {}
    for forwarding in Forwarding.objects.select_related("suggestion"):
        answers.setdefault(forwarding.suggestion_id, []).append(forwarding.adopted)
        assert forwarding.forwarded_on >= forwarding.suggestion.received_on
    logs = {}
    for change in StateChange.objects.order_by("suggestion", "changed_at", "pk"):
        logs.setdefault(change.suggestion_id, []).append((change.from_state, change.to_state))
    for s in suggestions.select_related("call"):
        assert datetime.date(2016, 1, 1) <= s.received_on < datetime.date(2026, 1, 1)
        assert s.by_branch or 1 <= s.authors_n <= 3
        assert s.authors_n <= 3
        if s.call:
            assert s.received_on >= s.call.opens_on
        given = answers.get(s.pk, [])
        if s.state == State.ADOPTED:
            assert True in given
        elif s.state == State.NOT_ADOPTED:
            assert given and set(given) == {False}
        elif s.state == State.FORWARDED:
            assert None in given and True not in given
        else:
            assert not given
        if s.state == State.MERGED:
            target = s.merged_into
            assert target.pk < s.pk and target.received_on <= s.received_on
            assert target.state not in (State.MERGED, State.WITHDRAWN)
        # The log starts at "received", each move from where the last ended, to the state.
        log = logs[s.pk]
        assert log[0] == ("", State.RECEIVED)
        assert all(a[1] == b[0] for a, b in zip(log, log[1:], strict=False))
        assert log[-1][1] == s.state
    # Member authors belong to the suggestion's branch.
    strangers = Suggestion.authors.through.objects.exclude(member__branch=F("suggestion__branch"))
    assert not strangers.exists()
    states = dict(Suggestion.objects.values_list("state").annotate(n=Count("pk")))
    total = SIZES["suggestions"]
    forwarded = sum(states.get(s, 0) for s in (State.FORWARDED, State.ADOPTED, State.NOT_ADOPTED))
    assert 0.5 * total < forwarded < 0.7 * total
    assert states.get(State.ADOPTED) and states.get(State.MERGED) and states.get(State.WITHDRAWN)
    assert Suggestion.objects.filter(by_branch=True).exists()
    assert 0.2 * total < Suggestion.objects.filter(is_public=True).count() < 0.4 * total


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
    assert named.first().member.name in page.content.decode()
    # "Last updated": when the campaign's records last changed in the portal (generation).
    changed = PublicDataVersion.objects.get(scope=f"campaign:{largest.pk}").changed_at
    assert progress.last_updated(largest) == max(changed, largest.updated_at)
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', page.content.decode())
    for path in ("/suggestions/", "/honour-roll/", "/honour-roll/?category=donors"):
        assert client.get(path).status_code == 200, path


def test_generate_scale_command_refuses_the_test_database():
    with pytest.raises(SystemExit, match="is a test database"):
        generate.main(["--scale", "0.001"])


def test_generate_scale_code_lives_in_the_benchmark_only():
    packages = [
        "branch_portal",
        "portal",
        "members",
        "campaigns",
        "suggestions",
        "honours",
        "reports",
    ]

    with_scale = [name for name in packages if importlib.util.find_spec(f"{name}.scale")]

    assert with_scale == []
    assert "generate_scale" not in get_commands()
