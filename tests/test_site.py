"""The site names the committee, from the settings or the top branch, and its footer says who
issues it, how to reach them and its ICP number."""

import re

import pytest

from tests.factories import BranchFactory
from tests.pages import text

pytestmark = pytest.mark.django_db


def brand(content: str) -> str:
    return re.search(r'<a class="navbar-brand" href="/">([^<]*)</a>', content).group(1)


def test_site_is_named_after_the_top_branch_when_not_set(client, settings):
    settings.SITE_NAME = ""
    top = BranchFactory(name="九三学社海州市委", kind="committee")
    BranchFactory(name="某支社", parent=top)

    content = client.get("/").content.decode()

    assert brand(content) == "九三学社海州市委"
    assert "<title>活动 · 九三学社海州市委</title>" in content
    assert '<meta property="og:site_name" content="九三学社海州市委">' in content
    assert '<h1 id="welcome-heading">九三学社海州市委</h1>' in content
    assert "主办单位：九三学社海州市委" in text(client.get("/"))


def test_site_without_branches_is_the_branch_portal(client, settings):
    settings.SITE_NAME = ""

    assert brand(client.get("/").content.decode()) == "基层组织工作平台"


def test_site_name_from_the_settings_wins(client, settings):
    settings.SITE_NAME = "九三学社示范市委"
    BranchFactory(name="九三学社海州市委", kind="committee")

    assert brand(client.get("/suggestions/").content.decode()) == "九三学社示范市委"


def test_footer_names_issuer_contact_and_icp_number(client, settings):
    settings.SITE_ISSUER = "九三学社连云港市委员会"
    settings.SITE_CONTACT = "0518-85800000"
    settings.SITE_ICP = "苏ICP备12345678号-1"

    response = client.get("/honour-roll/")

    assert "主办单位：九三学社连云港市委员会 · 联系方式：0518-85800000" in text(response)
    assert (
        '<a href="https://beian.miit.gov.cn/" rel="noopener">苏ICP备12345678号-1</a>'
        in response.content.decode()
    )


def test_footer_without_contact_or_icp_says_only_who_issues_it(client):
    response = client.get("/")

    assert "主办单位：九三学社连云港市委 基层组织工作平台 · 市委会及基层组织的工作记录" in text(
        response
    )
    assert "beian.miit.gov.cn" not in response.content.decode()
