"""The public base look: Chinese by default, English on request, a strict CSP everywhere, the
menu's links, and the admin in Chinese (with only hashed inline attributes allowed there)."""

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest
from django.utils import translation

from tests.pages import shows

STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)
VISITOR_LINKS = ["/#campaigns", "/honour-roll/", "/suggestions/", "/accounts/login/"]
STAFF_LINKS = ["/#campaigns", "/honour-roll/", "/suggestions/", "/reports/", "/admin/"]


class Page(HTMLParser):
    """The few things these tests read from a page: <html lang>, headings, links in the nav."""

    def __init__(self, content):
        super().__init__()
        self.lang = None
        self.headings = []
        self.nav_links = []
        self._heading = None
        self._nav_depth = 0
        self.feed(content.decode())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "nav":
            self._nav_depth += 1
        elif tag == "a" and self._nav_depth:
            self.nav_links.append(attrs["href"])
        elif tag in ("h1", "h2"):
            self._heading = ""

    def handle_endtag(self, tag):
        if tag == "nav":
            self._nav_depth -= 1
        elif tag in ("h1", "h2") and self._heading is not None:
            self.headings.append((tag, self._heading.strip()))
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading += data


def chinese(language_code, message):
    with translation.override(language_code):
        return translation.gettext(message)


def is_chinese(text):
    return any("\u4e00" <= character <= "\u9fff" for character in text)


def policy(response):
    return re.sub(r"'nonce-[^']+'", "'nonce-…'", response.headers["Content-Security-Policy"])


def sha256_source(value):
    return f"'sha256-{base64.b64encode(hashlib.sha256(value.encode()).digest()).decode()}'"


def inline_attribute_hashes(content):
    """CSP sources that would allow every inline event handler and style attribute on a page."""
    attributes = re.findall(r'\s(on[a-z]+|style)\s*=\s*"([^"]*)"', content.decode())
    return {
        "script": sorted(sha256_source(value) for name, value in attributes if name != "style"),
        "style": sorted(sha256_source(value) for name, value in attributes if name == "style"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_public_page_english_browser_gets_simplified_chinese(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    page = Page(response.content)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"
    assert page.lang == "zh-Hans"
    assert page.headings[0][0] == "h1"
    assert is_chinese(page.headings[0][1])


@pytest.mark.django_db
def test_home_heading_names_the_committee_and_its_first_button_the_campaigns(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    heading = Page(response.content).headings[0]
    assert heading == ("h1", "九三学社连云港市委")  # SITE_NAME (tests/settings.py)
    main = response.content.decode().split("<main", 1)[1]
    buttons = re.findall(r'<a class="btn [^"]*" href="([^"]*)">([^<]*)</a>', main)
    assert buttons[0] == ("#campaigns", chinese("zh-hans", "See the campaigns and take part"))


@pytest.mark.django_db
def test_login_heading_is_chinese_log_in(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")

    assert Page(response.content).headings[0] == ("h1", "登录")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_language_switch_english_renders_english(client, path):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": path})

    response = client.get(path)

    page = Page(response.content)
    assert (switched.status_code, switched.headers["Location"]) == (302, path)
    assert response.headers["Content-Language"] == "en"
    assert page.lang == "en"
    assert page.headings[0] == (
        "h1",
        {"/": "九三学社连云港市委", "/accounts/login/": "Log in"}[path],
    )
    assert "Skip to content" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_back_to_chinese_renders_chinese(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert Page(response.content).lang == "zh-Hans"


@pytest.mark.django_db
def test_language_cookie_unknown_language_falls_back_to_chinese(client):
    client.cookies["django_language"] = "fr"

    response = client.get("/")

    assert Page(response.content).lang == "zh-Hans"


@pytest.mark.django_db
# The admin's login page is the site's (/admin/login/ redirects there).
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no-such-page/"])
def test_page_visitor_gets_strict_csp(client, path):
    response = client.get(path)

    assert policy(response) == STRICT_POLICY


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/admin/",
        "/admin/members/member/add/",
        "/admin/members/member/import/",
        "/admin/members/member/export/",
        "/admin/members/branch/",
    ],
)
def test_page_staff_gets_csp_without_unsafe_inline(client, alice, path):
    client.force_login(alice)

    response = client.get(path)

    assert response.status_code == 200
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path_of",
    [
        lambda member: "/admin/members/member/export/",
        lambda member: f"/admin/members/member/{member.pk}/history/",
        lambda member: "/admin/members/member/add/",
        lambda member: f"/admin/members/member/{member.pk}/change/",
        lambda member: "/admin/members/member/import/",
        lambda member: "/admin/",
    ],
    ids=["export", "history", "add", "change", "import", "index"],
)
def test_admin_page_inline_attributes_all_allowed_by_hash(client, alice, zhao_li, path_of):
    client.force_login(alice)
    zhao_li.workplace = "连云港市第二人民医院"
    zhao_li.save()  # a second history entry

    response = client.get(path_of(zhao_li))

    directives = dict(
        directive.split(" ", 1) for directive in policy(response).split("; ") if " " in directive
    )
    hashes = inline_attribute_hashes(response.content)
    assert response.status_code == 200
    for kind in ("script", "style"):
        allowed = directives[f"{kind}-src"].split()
        assert [source for source in hashes[kind] if source not in allowed] == []
        assert "'unsafe-inline'" not in allowed


@pytest.mark.django_db
def test_nav_visitor_links(client):
    response = client.get("/")

    # The brand, then the phone menu and the wide menu with the same links.
    assert Page(response.content).nav_links == ["/", *VISITOR_LINKS, *VISITOR_LINKS]


def test_nav_staff_links(client, alice):
    client.force_login(alice)

    response = client.get("/")

    assert Page(response.content).nav_links == ["/", *STAFF_LINKS, *STAFF_LINKS]


def test_home_staff_finds_every_menu_anchor(client, alice):
    client.force_login(alice)

    response = client.get("/")

    anchors = re.findall(r'<(?:section|article) [^>]*id="([a-z-]+)"', response.content.decode())
    assert anchors == ["campaigns", "honour-roll", "suggestions", "reports"]


def test_admin_index_staff_sees_chinese(client, alice):
    client.force_login(alice)

    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert response.status_code == 200
    assert Page(response.content).lang == "zh-hans"
    assert "<h2>最近动作</h2>" in content


def test_favicon_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")

    assert (response.status_code, response["Location"]) == (301, "/static/favicon.svg")


@pytest.mark.parametrize(
    ("content", "needle", "shown"),
    [
        ("更新于 2026年12月7日 05:48", "2月7日", False),
        ("献血日期 2020年2月7日", "2月7日", True),
        ("时间 05:48:12.300 生成", "300", False),
        ("合计 1,300 毫升", "300", False),
        ("合计 300 毫升", "300", True),
        ("捐款 4,321.5 元", "4,321", False),
        ("捐款 4,321 元。", "4,321", True),
        ("13912345678", "13912345678", True),
        ("lihua@example.org", "lihua@example.org", True),
    ],
)
def test_shows_finds_numbers_and_dates_only_on_their_own(content, needle, shown):
    assert shows(content, needle) is shown
