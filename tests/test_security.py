"""Production security on real responses: headers and cookies, the admin's configurable path,
staff sessions that end within a working day, and login throttling per account and per client
address (django-axes) that a forged X-Forwarded-For cannot dodge."""

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from branch_portal.middleware import client_ip_address
from tests.factories import UserFactory

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
URLS_FILE = Path(__file__).resolve().parent.parent / "branch_portal" / "urls.py"


def directives(response):
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def log_in(
    client,
    username,
    password="wrong-password",
    *,
    path=LOGIN,
    address="203.0.113.7",
    forwarded=None,
):
    headers = {"x-forwarded-for": forwarded} if forwarded is not None else {}
    return client.post(
        path, {"username": username, "password": password}, REMOTE_ADDR=address, headers=headers
    )


def logged_in(client):
    return "_auth_user_id" in client.session


def seconds_left(client):
    session = Session.objects.get(session_key=client.session.session_key)
    return (session.expire_date - timezone.now()).total_seconds()


def paragraphs(response):
    found = re.findall(r"<p[^>]*>(.*?)</p>", response.content.decode(), re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", text).split()) for text in found]


def heading(response):
    return re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S)[1]


def chinese(message, **values):
    with translation.override("zh-hans"):
        return translation.gettext(message) % values if values else translation.gettext(message)


@pytest.fixture
def throttled(db, settings):
    """Login throttling on, as in production (tests/settings.py turns it off for other tests)."""
    settings.AXES_ENABLED = True
    return settings.AXES_FAILURE_LIMIT


# Headers and cookies


@pytest.mark.django_db
def test_https_page_sends_hsts_for_a_year_with_subdomains_and_preload(client):
    response = client.get("/", secure=True)

    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", LOGIN])
def test_page_sends_referrer_opener_framing_and_sniffing_headers(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert {
        name: response.headers[name]
        for name in (
            "Referrer-Policy",
            "Cross-Origin-Opener-Policy",
            "X-Frame-Options",
            "X-Content-Type-Options",
        )
    } == {
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
    }
    assert directives(response)["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_login_cookies_are_secure_lax_and_session_httponly(client):
    member = UserFactory(is_staff=False)

    page = client.get(LOGIN)
    response = client.post(LOGIN, {"username": member.username, "password": "pw"})

    csrf = page.cookies["csrftoken"]
    session = response.cookies["sessionid"]
    assert response.status_code == 302
    assert (csrf["secure"], csrf["samesite"]) == (True, "Lax")
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")


# The admin's path


@pytest.fixture
def admin_at_office_desk(settings, monkeypatch):
    """The real branch_portal/urls.py, loaded afresh as its own module with ADMIN_PATH changed, so
    the URLconf every other test uses is never touched."""
    settings.ADMIN_PATH = "office/desk/"
    spec = importlib.util.spec_from_file_location("tests_moved_admin_urls", URLS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setitem(sys.modules, spec.name, module)
    settings.ROOT_URLCONF = spec.name  # clears the URL caches now and again when restored


@pytest.mark.django_db
def test_admin_path_setting_moves_the_admin(client, admin_at_office_desk):
    moved = client.get("/office/desk/login/")
    old = client.get(ADMIN_LOGIN)

    # The admin's login sends to the site's one login page.
    assert (moved.status_code, old.status_code) == (302, 404)
    assert reverse("admin:index") == "/office/desk/"


def test_admin_path_default_is_admin():
    assert reverse("admin:index") == "/admin/"


# Staff sessions


def test_staff_session_ends_staff_session_seconds_after_login(client, alice, settings):
    settings.STAFF_SESSION_SECONDS = 3600
    client.force_login(alice)

    response = client.get("/")

    assert 3600 - 10 < seconds_left(client) <= 3600
    assert 3600 - 10 < response.cookies["sessionid"]["max-age"] <= 3600


def test_staff_session_later_request_keeps_the_deadline(client, alice):
    client.force_login(alice)
    client.get("/")
    deadline = Session.objects.get(session_key=client.session.session_key).expire_date

    response = client.get("/admin/")

    assert response.status_code == 200
    assert Session.objects.get(session_key=client.session.session_key).expire_date == deadline
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_member_session_lasts_session_cookie_age(client, settings):
    client.force_login(UserFactory(is_staff=False))

    response = client.get("/")

    assert settings.SESSION_COOKIE_AGE - 10 < seconds_left(client) <= settings.SESSION_COOKIE_AGE
    assert settings.SESSION_COOKIE_AGE > settings.STAFF_SESSION_SECONDS
    assert "sessionid" not in response.cookies


def test_staff_session_login_form_sets_the_staff_deadline(client, alice, settings):
    response = client.post(LOGIN, {"username": "alice", "password": "pw"})

    limit = settings.STAFF_SESSION_SECONDS
    assert response.status_code == 302
    assert limit - 10 < response.cookies["sessionid"]["max-age"] <= limit


# Login throttling: the client's address


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, None, "10.0.0.1"),
        (0, "198.51.100.1", "10.0.0.1"),
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "198.51.100.1", "10.0.0.1"),
        (1, None, "10.0.0.1"),
        (1, "6.6.6.6, not-an-address", "10.0.0.1"),
    ],
    ids=[
        "no-proxy",
        "no-proxy-header-ignored",
        "one-proxy",
        "one-proxy-forged-left",
        "two-proxies",
        "two-proxies-header-too-short",
        "one-proxy-no-header",
        "one-proxy-garbage",
    ],
)
def test_client_ip_address_right_most_trusted_hop(settings, proxies, forwarded, address):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"x-forwarded-for": forwarded} if forwarded is not None else {}
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="10.0.0.1", headers=headers)

    assert client_ip_address(request) == address


# Login throttling: per address, per account, both login pages


def test_login_failures_from_one_address_lock_it_whatever_x_forwarded_for_says(
    client, throttled, alice
):
    failures = [
        log_in(client, f"guess{i}", forwarded=f"198.51.100.{i}").status_code
        for i in range(throttled)
    ]

    right_password = log_in(client, "alice", "pw", forwarded="192.0.2.1")

    assert failures == [200] * (throttled - 1) + [429]
    assert right_password.status_code == 429
    assert not logged_in(client)


def test_login_failures_to_one_account_lock_it_from_every_address(client, throttled, alice, carol):
    failures = [
        log_in(client, "alice", address=f"198.51.100.{i}").status_code for i in range(throttled)
    ]

    alice_elsewhere = log_in(client, "alice", "pw", address="192.0.2.50")
    carol_there = log_in(client, "carol", "pw", address="192.0.2.50")

    assert failures == [200] * (throttled - 1) + [429]
    assert (alice_elsewhere.status_code, carol_there.status_code) == (429, 302)


def test_admin_login_is_no_second_door(client, throttled, alice):
    failures = [log_in(client, f"guess{i}").status_code for i in range(throttled)]

    admin_right_password = log_in(client, "alice", "pw", path=ADMIN_LOGIN)

    # The admin's login takes no password: it sends to the site's one login page.
    assert failures == [200] * (throttled - 1) + [429]
    assert (admin_right_password.status_code, admin_right_password["Location"]) == (
        302,
        "/accounts/login/?next=/admin/",
    )
    assert not logged_in(client)


def test_login_success_clears_own_account_failures_only(client, throttled, alice, carol):
    for _ in range(throttled - 1):
        log_in(client, "alice")
    carol_in = log_in(client, "carol", "pw")

    one_more = log_in(client, "dave")

    assert carol_in.status_code == 302
    assert one_more.status_code == 429


def test_login_success_clears_the_accounts_earlier_failures(client, throttled, alice):
    for i in range(throttled - 1):
        log_in(client, "alice", address=f"198.51.100.{i}")
    alice_in = log_in(client, "alice", "pw", address="192.0.2.1")
    client.logout()

    again = [
        log_in(client, "alice", address=f"192.0.2.{i + 10}").status_code
        for i in range(throttled - 1)
    ]

    assert alice_in.status_code == 302
    assert again == [200] * (throttled - 1)


def test_login_behind_trusted_proxy_counts_each_client_apart(client, throttled, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    others = [
        log_in(client, f"guess{i}", address="10.0.0.1", forwarded=f"198.51.100.{i}").status_code
        for i in range(throttled)
    ]
    one_client = [
        log_in(
            client, f"try{i}", address="10.0.0.1", forwarded=f"6.6.6.{i}, 203.0.113.9"
        ).status_code
        for i in range(throttled)
    ]

    assert others == [200] * throttled
    assert one_client == [200] * (throttled - 1) + [429]


def test_lockout_page_is_the_portals_page_in_chinese(client, throttled, settings):
    for i in range(throttled):
        response = log_in(client, f"guess{i}")

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert response.status_code == 429
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Language"] == "zh-hans"
    assert '<html lang="zh-Hans">' in response.content.decode()
    assert heading(response) == chinese("Too many failed logins")
    assert re.search("[\u4e00-\u9fff]", heading(response))
    assert paragraphs(response) == [
        chinese(
            "To protect the accounts, logging in is paused after %(limit)s failed attempts to "
            "one account or from one address.",
            limit=throttled,
        ),
        chinese(
            "Please try again in %(minutes)s min. Each further attempt meanwhile starts the wait "
            "again.",
            minutes=minutes,
        ),
        chinese("If you have forgotten your password, ask the committee's staff for help."),
    ]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert directives(response)["frame-ancestors"] == "'none'"


def test_throttling_defaults_are_five_failures_and_fifteen_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username"], ["ip_address"]]
