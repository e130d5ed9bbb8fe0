"""The three journeys of issue 8 in a real browser: a clerk records, the public page shows it;
a member withdraws consent and vanishes; the leader downloads the reports."""

import io
import re

import openpyxl
import pypdf
import pytest

from campaigns.models import Assignment, Campaign, Donation
from e2e.conftest import shoot

pytestmark = pytest.mark.django_db(transaction=True)


def choose_in_autocomplete(page, field, text):
    """Pick ``text`` in the admin's select2 autocomplete of ``field``."""
    page.click(f".field-{field} .select2-selection")
    page.fill(".select2-search__field", text)
    page.locator(".select2-results__option", has_text=text).first.click()


def members_own(page_text):
    return re.search(r"社员捐款\s*([\d,]+(?:\.\d+)?) 元", page_text).group(1)


def test_clerk_records_a_donation_and_an_assignment_and_the_public_page_shows_them(
    story, open_page, live_server
):
    drive = Campaign.objects.get(slug="special-dues-2020")
    public = open_page()
    public.goto(f"{live_server.url}/campaigns/{drive.slug}/")
    before = members_own(public.inner_text("main"))

    clerk = open_page("clerk")
    clerk.goto(f"{live_server.url}/admin/campaigns/donation/add/")
    clerk.select_option("#id_campaign", label=drive.title)
    clerk.fill("#id_date", "2020-03-01")
    clerk.fill("#id_amount", "444")
    choose_in_autocomplete(clerk, "member", "赵丽")
    choose_in_autocomplete(clerk, "recipient", "连云港市红十字会")
    clerk.locator("input[name=_save]").click()
    clerk.wait_for_selector(".messagelist")
    shoot(clerk, "e2e-clerk-donation-saved-1280")

    clerk.goto(f"{live_server.url}/admin/campaigns/assignment/add/")
    choose_in_autocomplete(clerk, "posting", "海州区乡镇卡口")
    choose_in_autocomplete(clerk, "member", "赵丽")
    clerk.fill("#id_starts_on", "2020-03-20")
    clerk.fill("#id_ends_on", "2020-03-25")
    clerk.fill("#id_days_served", "6")
    clerk.locator("input[name=_save]").click()
    clerk.wait_for_selector(".messagelist")

    public.reload()
    after = members_own(public.inner_text("main"))
    shoot(public, "e2e-campaign-after-donation-1280")
    phone = open_page(width=390)
    phone.goto(f"{live_server.url}/campaigns/{drive.slug}/")
    shoot(phone, "e2e-campaign-after-donation-390")

    assert (before, after) == ("86,556", "87,000")
    assert Donation.objects.filter(amount=444, member__name="赵丽").count() == 1
    assert Assignment.objects.filter(member__name="赵丽", days_served=6).count() == 1


def test_member_withdraws_consent_and_vanishes_from_the_honour_roll(story, open_page, live_server):
    visitor = open_page()
    visitor.goto(f"{live_server.url}/honour-roll/?q=zhaoli")
    listed_before = "赵丽" in visitor.inner_text("main")

    member = open_page("member", width=390)
    member.goto(f"{live_server.url}/me/")
    shoot(member, "e2e-me-390")
    member.click("button[value=withdraw]")
    member.wait_for_selector(".alert")
    message = member.inner_text(".alert")

    visitor.reload()
    roll = visitor.inner_text("main")
    visitor.goto(f"{live_server.url}/campaigns/special-dues-2020/")
    campaign = visitor.inner_text("main")

    assert listed_before
    assert message == "您已不再出现在光荣榜或任何公开页面上。"
    assert "赵丽" not in roll.replace("汉字或拼音", "")
    assert "赵丽" not in campaign


def test_leader_downloads_the_xlsx_and_pdf_reports(story, open_page, live_server):
    leader = open_page("leader")
    leader.goto(f"{live_server.url}/reports/")
    shoot(leader, "e2e-report-1280")
    downloads = {}
    for file_format in ("xlsx", "pdf"):
        with leader.expect_download() as download:
            leader.click(f"a[href*='summary.{file_format}']")
        with open(download.value.path(), "rb") as stored:
            downloads[file_format] = stored.read()

    book = openpyxl.load_workbook(io.BytesIO(downloads["xlsx"]))
    figures = {row[0].value: row[1].value for row in book["汇总"].iter_rows(min_row=6)}
    pdf = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(downloads["pdf"])).pages)

    assert int(figures["社员捐款"]) == 86556
    assert "86,556" in pdf and "1,000,000" in pdf
