"""A campaign page people act on: one big figure with its goal, and "how to take part" — where
a donation goes and how to give, when to give blood, the places still needing volunteers with a
sign-up for members."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from campaigns.models import Goal, PostingSignup
from tests.factories import (
    AssignmentFactory,
    BloodDonationFactory,
    CampaignFactory,
    DonationFactory,
    PostingFactory,
    RecipientFactory,
    UserFactory,
)
from tests.pages import messages_of, text

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def drive():
    campaign = CampaignFactory(title="特殊社费", slug="dues")
    campaign.recipients.add(RecipientFactory(name="连云港市红十字会"))
    campaign.recipients.add(RecipientFactory(name="王选关怀基金", kind="fund"))
    Goal.objects.create(campaign=campaign, metric="amount", target=Decimal("1000"))
    return campaign


@pytest.fixture
def volunteer_drive():
    campaign = CampaignFactory(kind="volunteer", slug="posts", ends_on=None)
    Goal.objects.create(campaign=campaign, metric="people_posted", target=Decimal("4"))
    return campaign


def open_posting(campaign, place, people_needed=2):
    # Open today whatever the day the suite runs: no end date.
    return PostingFactory(campaign=campaign, place=place, people_needed=people_needed)


# The big figure


def test_headline_is_the_amount_raised_with_goal_and_share(client, drive):
    DonationFactory(campaign=drive, recipient=drive.recipients.first(), amount=Decimal("250.50"))

    page = text(client.get("/campaigns/dues/"))

    assert "已筹 250.5元 目标 1,000元 · 已完成 25%" in page


def test_headline_past_the_goal_says_how_far_and_fills_its_bar(client, drive):
    DonationFactory(campaign=drive, recipient=drive.recipients.first(), amount=Decimal("15000"))

    response = client.get("/campaigns/dues/")

    assert "已筹 1.5万元 目标 1,000元 · 已完成 1500%" in text(response)
    assert 'class="campaign-progress headline-progress" max="100" value="100"' in (
        response.content.decode()
    )


def test_goal_past_its_target_is_shown_as_it_is_on_the_list(client, drive):
    Goal.objects.create(campaign=drive, metric="donors", target=Decimal("2"))
    for _ in range(3):
        DonationFactory(campaign=drive, recipient=drive.recipients.first())

    page = text(client.get("/"))

    # Was "已完成 100%" for both (capped).
    assert "已完成 30%" in page and "已完成 150%" in page


def test_headline_of_blood_and_volunteer_drives_counts_people(client, volunteer_drive):
    blood = CampaignFactory(kind="blood", slug="blood")
    Goal.objects.create(campaign=blood, metric="donors", target=Decimal("10"))
    for _ in range(3):
        BloodDonationFactory(campaign=blood)
    AssignmentFactory(posting=open_posting(volunteer_drive, "朝阳社区"))

    blood_page = text(client.get("/campaigns/blood/"))
    volunteer_page = text(client.get("/campaigns/posts/"))

    assert "献血人数 3 目标 10 · 已完成 30%" in blood_page
    assert "下沉人数 1 目标 4 · 已完成 25%" in volunteer_page


def test_headline_without_goal_is_the_figure_alone(client):
    CampaignFactory(slug="plain")

    page = text(client.get("/campaigns/plain/"))

    assert "已筹 0元 我要参与 分享本页" in page


def test_chart_draws_the_goal_line(client, drive):
    DonationFactory(campaign=drive, recipient=drive.recipients.first(), amount=Decimal("250"))

    content = client.get("/campaigns/dues/").content.decode()

    # Both drawings (wide and narrow) carry it; the axis reaches the goal.
    assert content.count('<line class="chart-goal"') == 2
    assert content.count(">目标 1,000</text>") == 2


# How to take part


def test_donation_drive_says_where_gifts_go_and_how_to_give(client, drive):
    drive.take_part = "户名：九三学社连云港市委\n账号：1234 5678"
    drive.save()

    page = text(client.get("/campaigns/dues/"))

    assert "参与方式 捐赠接收单位： 王选关怀基金 连云港市红十字会 户名：九三学社连云港市委" in page
    assert "账号：1234 5678" in page
    assert "也可以通过所在基层组织捐赠，由组织的管理员在此登记。" in page


def test_blood_drive_gives_its_dates_and_what_staff_wrote(client):
    CampaignFactory(
        kind="blood",
        slug="blood",
        starts_on=datetime.date(2020, 2, 5),
        ends_on=datetime.date(2020, 3, 15),
        take_part="市中心血站，请携带身份证。",
    )

    page = text(client.get("/campaigns/blood/"))

    assert "参与方式 日期 2020年2月5日 至 2020年3月15日 市中心血站，请携带身份证。" in page


def test_closed_campaign_only_thanks(client, drive):
    drive.status = "closed"
    drive.take_part = "账号：1234 5678"
    drive.save()

    page = text(client.get("/campaigns/dues/"))

    assert "参与方式 本活动已结束，感谢每一位参与的社员。" in page
    assert "1234 5678" not in page and "我要参与" not in page


def test_visitor_sees_the_open_places_and_is_asked_to_log_in(client, volunteer_drive):
    open_posting(volunteer_drive, "朝阳社区")
    full = open_posting(volunteer_drive, "新浦车站", people_needed=1)
    AssignmentFactory(posting=full)
    ended = open_posting(volunteer_drive, "海州卡口")
    ended.ends_on = datetime.date(2020, 2, 10)
    ended.save()

    response = client.get("/campaigns/posts/")
    places = text(response).split("仍需人手的点位")[1].split("合计")[0]

    assert "朝阳社区" in places
    assert ("新浦车站" in places, "海州卡口" in places) == (False, False)
    assert 'href="/accounts/login/?next=/campaigns/posts/%23take-part"' in response.content.decode()
    assert 'name="starts_on"' not in response.content.decode()


def test_member_signs_up_from_the_campaign_page_and_comes_back_to_it(
    client, volunteer_drive, zhao_li
):
    posting = open_posting(volunteer_drive, "朝阳社区")
    zhao_li.user = UserFactory(is_staff=False)
    zhao_li.save()
    client.force_login(zhao_li.user)
    form = client.get("/campaigns/posts/").content.decode()

    response = client.post(
        f"/campaigns/postings/{posting.pk}/sign-up/",
        {"starts_on": "2020-02-01", "ends_on": "2020-02-05", "next": "/campaigns/posts/#take-part"},
        follow=True,
    )

    assert f'action="/campaigns/postings/{posting.pk}/sign-up/"' in form
    assert response.redirect_chain == [("/campaigns/posts/#take-part", 302)]
    assert messages_of(response) == ["谢谢，您报名的朝阳社区等待工作人员确认。"]
    assert PostingSignup.objects.get().member == zhao_li
    # Signed up there, she is offered the place no more.
    assert f'action="/campaigns/postings/{posting.pk}/sign-up/"' not in (response.content.decode())


def test_sign_up_goes_back_only_to_this_site(client, volunteer_drive, zhao_li):
    posting = open_posting(volunteer_drive, "朝阳社区")
    zhao_li.user = UserFactory(is_staff=False)
    zhao_li.save()
    client.force_login(zhao_li.user)

    response = client.post(
        f"/campaigns/postings/{posting.pk}/sign-up/",
        {"starts_on": "2020-02-01", "ends_on": "2020-02-05", "next": "https://evil.example/"},
    )

    assert response["Location"] == "/me/#postings"


def test_staff_login_is_told_members_sign_up(client, volunteer_drive, alice):
    open_posting(volunteer_drive, "朝阳社区")
    client.force_login(alice)

    page = text(client.get("/campaigns/posts/"))

    assert "社员请用本人账号登录后报名。" in page


# The picture staff put under "how to take part"


def test_take_part_picture_is_shown_with_its_published_campaign(client, drive):
    drive.take_part_image = SimpleUploadedFile("qr.png", PNG)
    drive.save()
    url = f"/campaigns/pictures/{drive.take_part_image.name}"

    content = client.get("/campaigns/dues/").content.decode()
    picture = client.get(url)

    assert f'<img src="{url}" alt="捐赠收款二维码"' in content
    assert (picture.status_code, b"".join(picture.streaming_content)) == (200, PNG)


@pytest.mark.parametrize(("status", "is_public"), [("draft", True), ("open", False)])
def test_take_part_picture_of_unpublished_campaign_is_staffs(client, alice, status, is_public):
    campaign = CampaignFactory(status=status, is_public=is_public)
    campaign.take_part_image = SimpleUploadedFile("qr.png", PNG)
    campaign.save()
    url = f"/campaigns/pictures/{campaign.take_part_image.name}"

    visitor = client.get(url).status_code
    client.force_login(alice)
    staff = client.get(url)
    staff.close()

    assert (visitor, staff.status_code) == (404, 200)


def test_take_part_picture_must_be_a_picture(drive):
    drive.take_part_image = SimpleUploadedFile("qr.png", b"%PDF-1.4 not a picture")

    with pytest.raises(ValidationError) as refused:
        drive.full_clean()

    assert refused.value.message_dict == {
        "take_part_image": ["请上传 JPEG 或 PNG 图片；qr.png 不是。"]
    }


@override_settings(LANGUAGE_CODE="en")
def test_take_part_picture_size_is_limited(drive):
    drive.take_part_image = SimpleUploadedFile("qr.png", PNG + b"\x00" * (2 * 1024 * 1024))

    with pytest.raises(ValidationError) as refused:
        drive.full_clean()

    assert refused.value.message_dict == {"take_part_image": ["qr.png is larger than 2 MB."]}


def test_member_sees_a_sign_up_button_per_open_place(client, volunteer_drive, zhao_li):
    open_posting(volunteer_drive, "朝阳社区")
    zhao_li.user = UserFactory(is_staff=False)
    zhao_li.save()
    client.force_login(zhao_li.user)

    page = text(client.get("/campaigns/posts/"))

    assert "报名 朝阳社区" in page
