"""Public pages as anonymous visitors get them: rendered once per version of the public data and
shared (portal/public_cache.py ``whole_page``), with each visitor's own CSRF token and headers,
and never for anyone logged in or with a message waiting."""

import hashlib
import re
import threading
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from campaigns.models import Goal
from honours.models import Citation
from portal import public_cache
from portal.triggers import ROLL
from tests.factories import (
    CampaignFactory,
    DonationFactory,
    MemberFactory,
    RecipientFactory,
    SuggestionFactory,
)
from tests.pages import shows, text

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def campaign():
    campaign = CampaignFactory(title="特殊社费")
    campaign.recipients.add(RecipientFactory())
    # The home page names no one: with a goal it shows the amount raised, which a gift moves.
    Goal.objects.create(campaign=campaign, metric=Goal.Metric.AMOUNT, target=Decimal(5000))
    member = MemberFactory(name="赵丽")
    DonationFactory(campaign=campaign, member=member, recipient=campaign.recipients.get())
    Citation.objects.create(kind="front_line", member=member, title="抗疫一线")
    SuggestionFactory(title="关于防护物资的建议", authors=[member])
    return campaign


def public_pages(campaign, *, name: str, raised: str) -> dict[str, str]:
    """Each shared page and what it shows of a member's records: their name, or on the home page,
    which names no one, the amount raised toward the campaign's goal."""
    return {
        "/": raised,
        f"/campaigns/{campaign.slug}/": name,
        "/honour-roll/": name,
        "/suggestions/": name,
    }


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response


def test_second_visitor_gets_each_page_from_one_query(campaign):
    for path, record in public_pages(campaign, name="赵丽", raised="100 元").items():
        first_count, first = queries(Client(), path)
        # From the shared cache, as another app server gets it: not this process's own copy.
        public_cache.forget_local()
        second_count, second = queries(Client(), path)

        assert (path, second_count) == (path, 1)  # the version of the public data
        assert first_count > 1
        assert CSRF_VALUE.sub("", second.text) == CSRF_VALUE.sub("", first.text)
        assert (path, shows(text(second), record)) == (path, True)


def test_a_new_record_shows_at_once_on_every_shared_page(campaign):
    for path in public_pages(campaign, name="赵丽", raised="100 元"):
        Client().get(path)
    member = MemberFactory(name="钱新")
    DonationFactory(campaign=campaign, member=member, recipient=campaign.recipients.get())
    Citation.objects.create(kind="front_line", member=member, title="抗疫一线")
    SuggestionFactory(title="另一条建议", authors=[member])

    for path, record in public_pages(campaign, name="钱新", raised="200 元").items():
        assert (path, shows(text(Client().get(path)), record)) == (path, True)


def test_a_process_serves_its_own_copy_of_a_page_while_its_versions_hold(campaign):
    """Each process keeps the whole pages it served: the shared cache is not asked for them
    again (here emptied, as another server's Redis might be), until what they show changes."""
    path = f"/campaigns/{campaign.slug}/"
    Client().get(path)
    cache.clear()

    count, again = queries(Client(), path)
    member = MemberFactory(name="钱新")
    DonationFactory(campaign=campaign, member=member, recipient=campaign.recipients.get())
    after_gift_count, after_gift = queries(Client(), path)

    assert (count, shows(text(again), "赵丽"), shows(text(again), "钱新")) == (1, True, False)
    assert after_gift_count > 1
    assert shows(text(after_gift), "钱新")


def test_a_process_keeps_at_most_its_share_of_pages(monkeypatch):
    """The copies are bounded: the least recently served go first."""
    monkeypatch.setattr(public_cache, "LOCAL_PAGES", 3)
    keys = {}
    for number in range(6):
        if number == 5:
            Client().get("/", {"page": 2})  # served again: now the most recent
        Client().get("/", {"page": number})
        keys[number] = next(reversed(public_cache._local))  # the page just kept

    assert list(public_cache._local) == [keys[4], keys[2], keys[5]]


def test_each_visitor_gets_a_token_of_their_own_that_works():
    Client().get("/")  # renders and shares the page
    visitor = Client(enforce_csrf_checks=True)

    page = visitor.get("/")
    token = CSRF_VALUE.search(page.text).group(1)
    switched = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )

    assert "\x00" not in page.text
    assert "csrftoken" in page.cookies
    assert (switched.status_code, switched.cookies["django_language"].value) == (302, "en")
    assert "Campaigns" in text(visitor.get("/"))


def test_shared_page_keeps_each_response_header():
    Client().get("/")

    response = Client().get("/")

    assert response["Content-Language"] == "zh-hans"
    assert "Cookie" in response["Vary"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_each_language_and_query_string_is_a_page_of_its_own(campaign):
    chinese = Client().get("/honour-roll/")
    english_client = Client()
    english_client.cookies["django_language"] = "en"

    english = english_client.get("/honour-roll/")
    donors = Client().get("/honour-roll/", {"category": "donors"})

    assert ("光荣榜" in text(chinese), "Honour roll" in text(english)) == (True, True)
    assert "抗疫一线" not in text(donors) and "赵丽" in text(donors)


def test_logged_in_visitors_get_their_own_page(client, alice):
    draft = CampaignFactory(title="内部筹备", status="draft")
    for path in ["/", f"/campaigns/{draft.slug}/"]:
        Client().get(path)
    client.force_login(alice)

    home = text(client.get("/"))
    preview = client.get(f"/campaigns/{draft.slug}/")

    assert ("管理后台" in home, alice.username in home) == (True, True)
    assert "管理后台" not in text(Client().get("/"))
    assert (preview.status_code, "内部筹备" in text(preview)) == (200, True)
    assert Client().get(f"/campaigns/{draft.slug}/").status_code == 404


def test_visitor_with_a_waiting_message_gets_a_page_of_their_own():
    Client().get("/")
    visitor = Client()
    visitor.cookies["messages"] = "a message from the last page"  # Django's cookie storage

    count, _ = queries(visitor, "/")

    assert count > 1


def test_closing_the_roll_to_the_public_is_not_undone_by_the_cache(campaign, settings):
    Client().get("/honour-roll/")
    settings.HONOUR_ROLL_PUBLIC = False

    response = Client().get("/honour-roll/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/honour-roll/",
    )


def test_a_missing_page_is_not_kept():
    assert Client().get("/campaigns/no-such-campaign/").status_code == 404
    with CaptureQueriesContext(connection) as captured:
        assert Client().get("/campaigns/no-such-campaign/").status_code == 404

    assert len(captured) > 1


def test_a_post_or_a_session_without_login_is_never_served_the_shared_page():
    Client().get("/")
    anonymous_with_session = Client()
    anonymous_with_session.cookies["sessionid"] = "a session of an anonymous visitor"

    with_session, _ = queries(anonymous_with_session, "/")
    with CaptureQueriesContext(connection) as posted:
        Client().post("/")

    # Rendered afresh: the campaigns and their figures read, not only the data's version.
    assert (with_session > 1, len(posted) > 1) == (True, True)


# Invalidation by scope, and one render per change (issue 15)


def test_a_gift_to_one_campaign_leaves_another_campaigns_page_cached(campaign):
    other = CampaignFactory(title="另一活动")
    other.recipients.add(RecipientFactory())
    donor = MemberFactory(name="钱新")
    for path in (f"/campaigns/{campaign.slug}/", f"/campaigns/{other.slug}/"):
        Client().get(path)

    DonationFactory(campaign=other, member=donor, recipient=other.recipients.get())

    assert queries(Client(), f"/campaigns/{campaign.slug}/")[0] == 1
    assert queries(Client(), f"/campaigns/{other.slug}/")[0] > 1


def test_a_gift_to_one_campaign_makes_only_its_figures_on_the_list_again(campaign):
    other = CampaignFactory(title="另一活动")
    other.recipients.add(RecipientFactory())
    donor = MemberFactory()  # a new member moves every page's version: made before
    Client().get("/")

    DonationFactory(campaign=other, member=donor, recipient=other.recipients.get())
    with CaptureQueriesContext(connection) as captured:
        page = text(Client().get("/"))
    money = [q["sql"] for q in captured if "campaigns_moneytally" in q["sql"]]

    assert len(money) == 1
    assert f'"campaigns_moneytally"."campaign_id" IN ({other.pk})' in money[0]
    assert (shows(page, "特殊社费"), shows(page, "另一活动")) == (True, True)


def test_a_member_change_renders_every_page_again(campaign):
    for path in public_pages(campaign, name="赵丽", raised="100 元"):
        Client().get(path)

    MemberFactory(name="新社员")

    paths = list(public_pages(campaign, name="", raised=""))
    assert {path: queries(Client(), path)[0] > 1 for path in paths} == dict.fromkeys(paths, True)


def at(version: int, changed_at: float = 0) -> public_cache.Versions:
    return public_cache.Versions(((ROLL, version),), changed_at)


def test_while_one_worker_renders_the_others_serve_the_recent_rendering():
    public_cache.cached("figures", scopes=[ROLL], versions=at(1), compute=lambda: "old")
    started, release, seen = threading.Event(), threading.Event(), {}

    def slow():
        started.set()
        release.wait(timeout=10)
        return "new"

    renderer = threading.Thread(
        target=lambda: seen.setdefault(
            "renderer", public_cache.cached("figures", scopes=[ROLL], versions=at(2), compute=slow)
        )
    )
    renderer.start()
    assert started.wait(timeout=10)
    # A second worker meanwhile: the rendering made a moment ago, not a second render.
    seen["other"] = public_cache.cached(
        "figures", scopes=[ROLL], versions=at(2), compute=lambda: pytest.fail("rendered twice")
    )
    release.set()
    renderer.join(timeout=10)
    seen["after"] = public_cache.cached(
        "figures", scopes=[ROLL], versions=at(2), compute=lambda: "again"
    )

    assert seen == {"renderer": "new", "other": "old", "after": "new"}


def test_a_rendering_older_than_the_bound_is_never_served(settings, monkeypatch):
    settings.PUBLIC_STALE_SECONDS = 0
    monkeypatch.setattr(public_cache, "RENDER_WAIT_SECONDS", 0.2)
    public_cache.cached("figures", scopes=[ROLL], versions=at(1), compute=lambda: "old")
    # Another worker holds the render of the new version and never finishes it.
    lock = f"{public_cache.cache_key('figures')}:rendering:"
    cache.add(lock + hashlib.sha256(str(at(2)).encode()).hexdigest()[:16], 1, 10)

    value = public_cache.cached("figures", scopes=[ROLL], versions=at(2), compute=lambda: "new")

    assert value == "new"


def test_a_value_made_inside_another_is_never_a_stale_one(monkeypatch):
    """Inside a page being made, a figure whose render another worker holds is waited for (or
    made), never taken from its previous rendering: the page is kept under the new versions
    until the next change, and would keep the old figure with no time limit."""
    monkeypatch.setattr(public_cache, "RENDER_WAIT_SECONDS", 0.2)
    public_cache.cached("figure", scopes=[ROLL], versions=at(1), compute=lambda: "old")
    lock = f"{public_cache.cache_key('figure')}:rendering:"
    cache.add(lock + hashlib.sha256(str(at(2)).encode()).hexdigest()[:16], 1, 10)

    def page():
        figure = public_cache.cached("figure", scopes=[ROLL], compute=lambda: "new")
        return f"the page with the {figure} figure"

    made = public_cache.cached("page", scopes=[ROLL], versions=at(2), compute=page)

    assert made == "the page with the new figure"


def test_a_waiting_worker_takes_the_rendering_it_waited_for(monkeypatch):
    # No previous rendering to serve: the second worker waits for the first one's.
    started, release, seen = threading.Event(), threading.Event(), {}

    def slow():
        started.set()
        release.wait(timeout=10)
        return "made once"

    renderer = threading.Thread(
        target=lambda: seen.setdefault(
            "renderer", public_cache.cached("fresh", scopes=[ROLL], versions=at(1), compute=slow)
        )
    )
    renderer.start()
    assert started.wait(timeout=10)
    waiter = threading.Thread(
        target=lambda: seen.setdefault(
            "waiter",
            public_cache.cached(
                "fresh", scopes=[ROLL], versions=at(1), compute=lambda: "made twice"
            ),
        )
    )
    waiter.start()
    release.set()
    renderer.join(timeout=10)
    waiter.join(timeout=10)

    assert seen == {"renderer": "made once", "waiter": "made once"}
