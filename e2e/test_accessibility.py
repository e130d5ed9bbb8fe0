"""axe-core in the browser: every public page, a member's own pages and the printout, at a
desktop's and a phone's width, with no violation of any rule axe runs by default (WCAG 2 A and
AA, and its best practices). axe-core is vendored in e2e/vendor/ (MPL-2.0, see its README).

Also the pages' own scripts, which only a browser runs: the co-author search of a member's
suggestion form, and the printout of the honour roll starting on page one.
"""

import io
import json
from pathlib import Path

import pypdf
import pytest

from campaigns.models import Campaign
from e2e.conftest import PASSWORD
from members.models import Member
from suggestions.models import Suggestion

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WIDTHS = (1280, 390)


@pytest.fixture
def axe_page(browser, live_server):
    """A page at ``width`` px, logged in as ``username`` when given, that axe can be injected
    into: the portal's CSP refuses inline scripts, and Playwright injects axe as one."""
    contexts = []

    def make(username=None, width=1280):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if username:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.locator("main button[type=submit]").click()
            page.wait_for_load_state()
        return page

    yield make
    for context in contexts:
        context.close()


def violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "where": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in json.loads(result)["violations"]
    ]


def public_paths() -> list[str]:
    first_public = Suggestion.objects.public().order_by("-received_on", "-pk").first()
    return [
        "/",
        *(f"/campaigns/{slug}/" for slug in Campaign.objects.values_list("slug", flat=True)),
        "/suggestions/",
        f"/suggestions/{first_public.pk}/",
        "/suggestions/?state=forwarded",
        "/honour-roll/",
        "/honour-roll/?category=artworks",
        "/honour-roll/?q=nobodyhere",
        "/honour-roll/print/",
        "/accounts/login/",
    ]


MEMBER_PATHS = ["/me/", "/suggestions/mine/", "/suggestions/new/"]


def test_axe_finds_no_violation_on_public_pages(story, axe_page, live_server):
    found = {}
    for width in WIDTHS:
        page = axe_page(width=width)
        for path in public_paths():
            page.goto(live_server.url + path)
            if problems := violations(page):
                found[f"{path} at {width}px"] = problems

    assert found == {}


def test_axe_finds_no_violation_on_a_members_own_pages(story, axe_page, live_server):
    found = {}
    for width in WIDTHS:
        page = axe_page("member", width=width)
        mine = Suggestion.objects.filter(authors__user__username="member", state="received")
        for path in [*MEMBER_PATHS, *(f"/suggestions/{s.pk}/withdraw/" for s in mine[:1])]:
            page.goto(live_server.url + path)
            if problems := violations(page):
                found[f"{path} at {width}px"] = problems
        # The co-author search, shown by its script, with a search typed.
        page.goto(live_server.url + "/suggestions/new/")
        page.fill("#co-author-search", "z")
        if problems := violations(page):
            found[f"/suggestions/new/ searching at {width}px"] = problems

    assert found == {}


def test_co_author_search_finds_by_pinyin_and_keeps_the_chosen(story, axe_page, live_server):
    member = Member.objects.get(user__username="member")
    colleague = (
        Member.objects.filter(branch=member.branch, status="active")
        .exclude(pk=member.pk)
        .order_by("name_pinyin")
        .first()
    )
    pinyin = colleague.search_key.split()[1]
    page = axe_page("member", width=390)
    page.goto(live_server.url + "/suggestions/new/")
    shown = page.locator("#div_id_co_authors .form-check:not([hidden])")

    before = shown.count()
    page.fill("#co-author-search", pinyin)
    found = [name.strip() for name in shown.all_inner_texts()]
    page.get_by_label(colleague.name, exact=True).check()
    page.fill("#co-author-search", "")
    kept = [name.strip() for name in shown.all_inner_texts()]

    # Nothing until a search; the name found by its pinyin; once chosen, it stays in view.
    assert (before, colleague.name in found, kept) == (0, True, [colleague.name])
    assert page.inner_text("#co-author-status") == (
        "输入姓名或拼音查找；已选的共同作者会一直列在下方。"
    )


def test_printed_roll_starts_on_page_one_and_lists_everyone(story, axe_page, live_server):
    page = axe_page()
    page.goto(live_server.url + "/honour-roll/print/")
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    first_page = pdf.pages[0].extract_text().replace(" ", "")
    whole = "".join(p.extract_text() for p in pdf.pages).replace(" ", "")

    # The title and the first kind's first names are on page one.
    assert "光荣榜" in first_page and "勇敢逆行" in first_page
    counted = page.locator(".roll-section h2 .roll-count").all_inner_texts()
    listed = page.locator(".roll-section .participant-name").count()
    assert listed == sum(int("".join(c for c in count if c.isdigit())) for count in counted)
    assert "徐开军" in whole  # the last kind's names are printed too
