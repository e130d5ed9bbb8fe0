"""The public campaign pages: what anyone may see, what nobody may, exact figures, and a query
count that does not grow with the records."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from campaigns.charts import cumulative_chart, nice_ceiling
from campaigns.models import Campaign, Donation, Goal, GoodsLine
from tests.factories import (
    AssignmentFactory,
    BloodDonationFactory,
    BranchFactory,
    CampaignFactory,
    DonationFactory,
    MemberFactory,
    PostingFactory,
    RecipientFactory,
    UserFactory,
)
from tests.pages import a_day_not_today, shows, text

pytestmark = pytest.mark.django_db


def page_url(campaign):
    return f"/campaigns/{campaign.slug}/"


@pytest.fixture
def drive():
    campaign = CampaignFactory(title="特殊社费")
    campaign.recipients.add(RecipientFactory())
    Goal.objects.create(campaign=campaign, metric="amount", target=Decimal("1000"))
    return campaign


# Who may see what


@pytest.mark.parametrize(
    ("status", "is_public"), [("draft", True), ("open", False), ("draft", False)]
)
def test_unpublished_campaign_is_404_and_unlisted_for_visitors(client, status, is_public):
    campaign = CampaignFactory(title="内部筹备", status=status, is_public=is_public)

    assert client.get(page_url(campaign)).status_code == 404
    assert "内部筹备" not in client.get("/").content.decode()


def test_staff_previews_unpublished_campaign_marked_and_not_indexed(client, alice):
    campaign = CampaignFactory(title="内部筹备", status="draft")
    client.force_login(alice)

    response = client.get(page_url(campaign))

    assert response.status_code == 200
    assert "工作人员预览：本活动尚未公开，访客看不到此页面。" in text(response)
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_published_campaign_page_has_no_preview_banner(client, alice, drive):
    client.force_login(alice)

    response = client.get(page_url(drive))

    assert "工作人员预览" not in text(response)
    assert "noindex" not in response.content.decode()


def test_unknown_slug_is_404(client):
    assert client.get("/campaigns/no-such-campaign/").status_code == 404


# The list


def test_list_open_campaigns_first_then_newest(client):
    CampaignFactory(title="已结束的旧活动", status="closed", starts_on=datetime.date(2020, 1, 1))
    CampaignFactory(title="已结束的新活动", status="closed", starts_on=datetime.date(2020, 3, 1))
    CampaignFactory(title="进行中的活动", status="open", starts_on=datetime.date(2020, 1, 28))

    titles = re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', client.get("/").content.decode())

    assert titles == ["进行中的活动", "已结束的新活动", "已结束的旧活动"]


def test_list_shows_each_goal_with_exact_progress(client, drive):
    DonationFactory(campaign=drive, recipient=drive.recipients.get(), amount=Decimal("250.50"))
    DonationFactory(
        campaign=drive, recipient=drive.recipients.get(), amount=Decimal("900"), state="pledged"
    )

    response = client.get("/")

    assert "250.50 元 / 1,000 元" in text(response)
    assert '<progress class="campaign-progress" max="100" value="25"' in response.content.decode()
    assert "已完成 25%" in text(response)


# Figures on the campaign page


@pytest.fixture
def story_pages(client):
    """The story's three pages and the list, as text."""
    call_command("load_demo")
    pages = {c.kind: text(client.get(page_url(c))) for c in Campaign.objects.all()}
    pages["list"] = text(client.get("/"))
    return pages


def test_story_donation_page_figures(story_pages):
    page = story_pages["donation"]

    assert "已筹 8.66万元 目标 8万元 · 已完成 108%" in page
    assert "社员捐款 86,556 元" in page
    # Tables write money with ¥ and separators.
    assert "连云港市红十字会 ¥59,956 ¥1,000,000 41" in page
    assert "九三学社王选关怀基金会抗击新冠肺炎专项基金 ¥26,600 ¥0 20" in page
    assert "江苏省慈善总会 另计 ¥1,000" in page
    assert "社员促成捐赠（另计） 1,000,000 元" in page
    assert "捐赠物资估值 9,800 元" in page
    assert "尚未计入：1 笔认捐共 600 元，尚未收到。" in page
    for line in ["一次性医用外科口罩 250 只 ¥1,000", "医用手套 400 副", "牛奶 38 箱"]:
        assert line in page
    assert "蔬菜 促成 300 斤" in page and "防护服 促成 225 套" in page


def test_story_blood_and_volunteer_pages(story_pages):
    assert "献血人数 12" in story_pages["blood"]
    assert "发出倡议 2020年2月5日" in story_pages["blood"]
    volunteer = story_pages["volunteer"]
    assert "下沉人数 13" in volunteer
    for name, place in [
        ("寇晶磊", "浦西街道电台社区"),
        ("张明燕", "新东街道巨龙路沿线小区和商户"),
        ("张维亮", "赣榆区六里桥社区"),
    ]:
        assert re.search(f"{name} [^ ]+ {place}", volunteer), name


def test_story_list_shows_the_three_campaigns_reached(story_pages):
    assert "86,556 元 / 80,000 元" in story_pages["list"]
    assert [shows(story_pages["list"], f"已完成 {p}%") for p in (108, 120, 130)] == [True] * 3


def test_pledges_are_shown_apart_not_counted(client, drive):
    recipient = drive.recipients.get()
    DonationFactory(campaign=drive, recipient=recipient, amount=Decimal("100.10"))
    DonationFactory(campaign=drive, recipient=recipient, amount=Decimal("999"), state="pledged")

    page = text(client.get(page_url(drive)))

    assert "社员捐款 100.10 元" in page
    assert "已收到笔数 1" in page
    assert "尚未计入：1 笔认捐共 999 元，尚未收到。" in page


def test_amounts_per_donor_only_when_campaign_opts_in(client, drive):
    member = MemberFactory(name="王芳")
    DonationFactory(
        campaign=drive, member=member, recipient=drive.recipients.get(), amount=Decimal("321")
    )

    hidden = text(client.get(page_url(drive)))
    drive.shows_amounts = True
    drive.save()
    shown = text(client.get(page_url(drive)))

    assert "王芳" in hidden and not shows(hidden.split("参与社员")[1], "321")
    assert re.search(r"王芳 \S+ 321 元", shown)


def test_blood_page_counts_only_donated_and_names_no_pledger(client):
    campaign = CampaignFactory(kind="blood")
    # Five donors: fewer are counted but not named (tests/test_blood_privacy.py).
    for name in ["甲献血", "乙献血", "丙献血", "丁献血", "戊献血"]:
        BloodDonationFactory(campaign=campaign, member=MemberFactory(name=name), volume_ml=300)
    BloodDonationFactory(campaign=campaign, member=MemberFactory(name="未献成"), state="pledged")

    page = text(client.get(page_url(campaign)))

    assert "献血人数 5 献血人次 5" in page
    assert "尚未计入：1 人次认献。" in page
    assert "甲献血" in page
    assert "未献成" not in page


# Privacy: data that could leak


def test_page_never_names_non_consenting_anonymous_or_former_members(client, drive):
    recipient = drive.recipients.get()
    hidden = {
        "不同意者": {"listing_consent": False},
        "已退社者": {"status": "left"},
    }
    for name, fields in hidden.items():
        DonationFactory(
            campaign=drive, recipient=recipient, member=MemberFactory(name=name, **fields)
        )
    DonationFactory(
        campaign=drive, recipient=recipient, member=MemberFactory(name="匿名者"), anonymous=True
    )
    DonationFactory(campaign=drive, recipient=recipient, member=MemberFactory(name="公开者"))

    response = client.get(page_url(drive))
    content = response.content.decode()

    assert "公开者" in content
    for name in ["不同意者", "已退社者", "匿名者"]:
        assert name not in content
    assert "另有 3 名社员参与但未具名。" in text(response)


def test_page_never_shows_contact_details_or_blood_data(client):
    # Named and slugged by hand: a factory's sequence number ("会员300", "campaign-300") would
    # read as the secret volume, depending on how many tests ran before.
    branch = BranchFactory(name="献血支社")
    campaign = CampaignFactory(kind="blood", title="献血", slug="blood", organiser=branch)
    Goal.objects.create(campaign=campaign, metric="blood_ml", target=Decimal("4000"))
    member = MemberFactory(
        name="李华", branch=branch, phone="13912345678", email="lihua@example.org"
    )
    BloodDonationFactory(
        campaign=campaign,
        member=member,
        volume_ml=300,
        component="whole_blood",
        date=(day := a_day_not_today(2020, 2, 7)),
    )
    for _ in range(4):  # five donors: she is named
        BloodDonationFactory(
            campaign=campaign,
            member=MemberFactory(name="献血者", branch=branch),
            volume_ml=400,
            date=datetime.date(2020, 2, 4),
        )

    content = client.get(page_url(campaign)).content.decode()
    listed = client.get("/").content.decode()

    assert "李华" in content
    # Her volume, component and day are nowhere: only the total (1,900 ml) and its week.
    secrets = ["13912345678", "lihua@example.org", "全血", "whole_blood", "300"]
    for secret in [*secrets, f"{day.month}月{day.day}日"]:
        assert not shows(content, secret), secret
    assert not shows(listed, "300")


def test_blood_page_totals_and_chart_from_five_donors_without_days(client):
    campaign = CampaignFactory(kind="blood", title="献血")
    for day in range(5):
        BloodDonationFactory(campaign=campaign, volume_ml=200, date=datetime.date(2020, 2, 6 + day))

    response = client.get(page_url(campaign))

    assert "献血量 1,000 毫升" in text(response)
    assert "<svg" in response.content.decode()
    assert "按日数据" not in text(response)


def test_share_meta_tags_name_the_campaign(client, drive):
    drive.summary = "倡议社员缴纳特殊社费"
    drive.save()

    content = client.get(page_url(drive)).content.decode()

    assert '<meta property="og:title" content="特殊社费">' in content
    assert '<meta property="og:description" content="倡议社员缴纳特殊社费">' in content
    assert f'<meta property="og:url" content="http://testserver{page_url(drive)}">' in content


def test_page_has_no_inline_style_or_script(client, drive):
    DonationFactory(campaign=drive, recipient=drive.recipients.get())

    content = client.get(page_url(drive)).content.decode()

    assert "<svg" in content
    assert not re.search(r"\sstyle=|<script|\son[a-z]+=", content)


# The staff's change reaches the public page


def test_donation_added_in_admin_shows_on_page_with_new_last_update(client, alice, drive):
    member = MemberFactory(name="新捐赠者")
    before = text(client.get(page_url(drive)))
    client.force_login(alice)

    response = client.post(
        "/admin/campaigns/donation/add/",
        {
            "campaign": drive.pk,
            "date": "2020-02-03",
            "form": "money",
            "amount": "1234.56",
            "state": "received",
            "channel": "direct",
            "member": member.pk,
            "recipient": drive.recipients.get().pk,
            "goods-TOTAL_FORMS": "0",
            "goods-INITIAL_FORMS": "0",
        },
    )
    client.logout()
    after = text(client.get(page_url(drive)))

    assert response.status_code == 302
    assert "社员捐款 0 元" in before
    assert "社员捐款 1,234.56 元" in after
    assert "新捐赠者" in after
    assert Donation.history.filter(campaign_id=drive.pk).count() == 1


def test_last_updated_follows_a_deleted_goods_line(drive):
    from campaigns.progress import last_updated

    donation = DonationFactory(
        campaign=drive, recipient=drive.recipients.get(), form="goods", amount=None
    )
    line = GoodsLine.objects.create(donation=donation, item="口罩", quantity=10, unit="只")
    before = last_updated(drive)
    line.delete()

    assert last_updated(drive) > before


# Query counts: the same whatever the number of records


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_records(campaign, count):
    recipient = RecipientFactory()
    campaign.recipients.add(recipient)
    for number in range(count):
        member = MemberFactory()
        if campaign.kind == "donation":
            donation = DonationFactory(
                campaign=campaign,
                member=member,
                recipient=recipient,
                date=datetime.date(2020, 2, 1 + number % 20),
            )
            GoodsLine.objects.create(donation=donation, item=f"物品{number}", quantity=1, unit="箱")
        elif campaign.kind == "blood":
            BloodDonationFactory(campaign=campaign, member=member)
        else:
            AssignmentFactory(posting=PostingFactory(campaign=campaign), member=member)


# "How to take part" reads a donation drive's bodies or a volunteer drive's open places: one query
# each, cached with the figures.
@pytest.mark.parametrize(("kind", "expected"), [("donation", 13), ("blood", 8), ("volunteer", 11)])
def test_campaign_page_queries_do_not_grow_with_records(client, kind, expected):
    small, large = CampaignFactory(kind=kind), CampaignFactory(kind=kind)
    add_records(small, 5)
    add_records(large, 15)

    assert queries(client, page_url(small)) == queries(client, page_url(large)) == expected


def test_list_queries_do_not_grow_with_campaigns_or_records(client):
    for kind in ["donation", "blood", "volunteer"]:
        add_records(CampaignFactory(kind=kind), 1)
    few = queries(client, "/")
    for kind in ["donation", "blood", "volunteer"] * 3:
        add_records(CampaignFactory(kind=kind), 5)

    # The versions, of the list and then of each campaign shown (their figures are cached
    # apart), and the campaigns, their goals, their figures: as many for any number of them.
    assert few == queries(client, "/") == 10


@pytest.mark.parametrize("kind", ["donation", "blood", "volunteer"])
def test_campaign_page_served_from_cache_until_a_record_changes(client, kind):
    campaign = CampaignFactory(kind=kind)
    add_records(campaign, 3)
    cold = queries(client, page_url(campaign))

    warm = queries(client, page_url(campaign))
    add_records(campaign, 1)  # any write moves the version the cache is keyed on
    after_write = queries(client, page_url(campaign))

    # Warm, for a visitor: the version of the public data, then the page as rendered for it.
    assert (warm, after_write) == (1, cold)


@pytest.mark.parametrize("kind", ["donation", "blood", "volunteer"])
def test_logged_in_page_reads_cached_figures_until_a_record_changes(client, kind):
    campaign = CampaignFactory(kind=kind)
    add_records(campaign, 3)
    client.force_login(UserFactory(is_staff=False))
    cold = queries(client, page_url(campaign))

    warm = queries(client, page_url(campaign))
    add_records(campaign, 1)
    after_write = queries(client, page_url(campaign))

    # A page of their own (their menu): session, user, their member record, the campaign, its
    # goals and the version of the public data; the figures and the main part come from the cache.
    assert (warm, after_write) == (6, cold)


def test_cached_page_shows_a_new_donation_at_once(client, drive):
    recipient = drive.recipients.get()
    DonationFactory(campaign=drive, recipient=recipient, amount=Decimal("10"))
    before = text(client.get(page_url(drive)))
    DonationFactory(campaign=drive, recipient=recipient, amount=Decimal("5"))

    after = text(client.get(page_url(drive)))

    assert ("社员捐款 10 元" in before, "社员捐款 15 元" in after) == (True, True)


# The chart


def test_nice_ceiling_rounds_up_to_a_readable_axis():
    assert [nice_ceiling(Decimal(v)) for v in ["86556", "12", "2.4", "0"]] == [
        Decimal("100000"),
        Decimal("20"),
        Decimal("2.5"),
        Decimal("1"),
    ]


def test_cumulative_chart_steps_through_each_day():
    series = [
        {"date": datetime.date(2020, 2, 1), "value": 50, "cumulative": 50},
        {"date": datetime.date(2020, 2, 3), "value": 50, "cumulative": 100},
    ]

    chart = cumulative_chart(series)

    # x from 60 to 386 over two days; y from 190 (0) to 14 (100).
    assert chart["line"] == "60.0,190.0 60.0,102.0 386.0,102.0 386.0,14.0"
    assert [tick["value"] for tick in chart["ticks"]] == [0, 50, 100]
    assert cumulative_chart([]) is None


def test_cached_figures_speak_each_visitors_language(client, drive, alice, bob):
    # The amount is the headline's goal; the donors' goal is listed from the cached figures.
    Goal.objects.create(campaign=drive, metric="donors", target=Decimal("10"))
    # Logged in, each gets the page rendered for them from the cached figures.
    english, chinese = Client(), Client()
    english.force_login(alice)
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    chinese.force_login(bob)

    first = text(english.get(page_url(drive)))
    second = text(chinese.get(page_url(drive)))

    assert ("number of donors" in first, "Raised ¥0 Goal ¥1,000" in first) == (True, True)
    assert "number of donors" not in second
    assert ("捐赠人数" in second, "已筹 0元 目标 1,000元" in second) == (True, True)
