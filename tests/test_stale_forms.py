"""Stale admin forms (portal/concurrency.py): a change or revert form saves only over the version
of the record it was opened on. A form opened before someone else saved is refused, with a message
naming who changed what and when, and comes back showing the record as it is now; a fresh form
saves as before, also after "Save and continue editing" and after a form with errors."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import formats, timezone, translation

from campaigns.models import GoodsLine
from members import roles
from members.models import Member
from portal.concurrency import VERSION_FIELD
from tests.factories import CampaignFactory, DonationFactory, UserFactory
from tests.pages import messages_of
from tests.test_permission_matrix import BrowserForm

CAMPAIGNS = "/admin/campaigns/campaign/"
DONATIONS = "/admin/campaigns/donation/"
MEMBERS = "/admin/members/member/"


@pytest.fixture
def erin(committee):
    """Committee staff too: she and alice open the same records."""
    user = UserFactory(username="erin", branch=committee)
    user.groups.add(Group.objects.get(name=roles.COMMITTEE_STAFF))
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def opened(client, url, form_id) -> dict:
    """The form at ``url``, opened now, as the browser sends it back."""
    return BrowserForm(client.get(url).content.decode(), form_id).data


def when(record) -> str:
    """A history entry's time as the admin's Chinese message words it."""
    with translation.override("zh-hans"):
        return formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")


def refused(changes: str, record: str) -> str:
    return (
        f"未保存：您打开表单后，此{record}已被修改。{changes} "
        "表单现在显示的是最新内容：请重新修改。"
    )


# Refused: a form opened before another save


def test_campaign_form_opened_before_another_save_is_refused_naming_the_change(
    alice, erin, committee
):
    campaign = CampaignFactory(title="抗疫募捐", summary="", organiser=committee)
    url = f"{CAMPAIGNS}{campaign.pk}/change/"
    first, second = logged_in(alice), logged_in(erin)
    alices_form = opened(first, url, "campaign_form")
    erins_form = opened(second, url, "campaign_form")
    saved = first.post(url, {**alices_form, "title": "抗击疫情募捐"})

    response = second.post(url, {**erins_form, "summary": "全市社员踊跃捐款"}, follow=True)

    change = campaign.history.order_by("history_id").last()
    campaign.refresh_from_db()
    assert (saved.status_code, saved.url) == (302, CAMPAIGNS)
    assert (campaign.title, campaign.summary) == ("抗击疫情募捐", "")
    assert response.redirect_chain == [(url, 302)]
    assert messages_of(response) == [refused(f"alice于{when(change)}修改了：标题。", "活动")]
    # The form comes back with the record as it is now, and the version it has now.
    form = response.context["adminform"].form
    assert (form["title"].value(), form["summary"].value()) == ("抗击疫情募捐", "")
    again = BrowserForm(response.content.decode(), "campaign_form").data
    assert second.post(url, {**again, "summary": "全市社员踊跃捐款"}).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.title, campaign.summary) == ("抗击疫情募捐", "全市社员踊跃捐款")


def test_donation_form_opened_before_its_goods_lines_changed_is_refused(
    alice, erin, zhao_li, committee
):
    donation = DonationFactory(member=zhao_li, form="goods", amount=None, receipt_no="")
    line = GoodsLine.objects.create(donation=donation, item="口罩", quantity=100, unit="个")
    url = f"{DONATIONS}{donation.pk}/change/"
    first, second = logged_in(alice), logged_in(erin)
    alices_form = opened(first, url, "donation_form")
    erins_form = opened(second, url, "donation_form")
    first.post(url, {**alices_form, "goods-0-quantity": "200"})

    response = second.post(url, {**erins_form, "receipt_no": "R009"}, follow=True)

    change = line.history.order_by("history_id").last()
    donation.refresh_from_db()
    line.refresh_from_db()
    assert (donation.receipt_no, line.quantity) == ("", 200)
    assert messages_of(response) == [
        refused(f"它的物资明细已被修改，最近一次由alice于{when(change)}修改。", "捐赠")
    ]


def test_member_form_opened_before_a_change_without_history_is_refused(client, alice, zhao_li):
    client.force_login(alice)
    url = f"{MEMBERS}{zhao_li.pk}/change/"
    form = opened(client, url, "member_form")
    # QuerySet.update() keeps no history, but it changes the row the form was opened on.
    Member.objects.filter(pk=zhao_li.pk).update(position="院长")

    response = client.post(url, {**form, "workplace": "连云港市第一人民医院"}, follow=True)

    zhao_li.refresh_from_db()
    assert (zhao_li.position, zhao_li.workplace) == ("院长", "连云港市第四人民医院")
    assert messages_of(response) == [
        refused("它被修改时没有留下历史记录（由脚本修改或直接在数据库中修改）。", "社员")
    ]


@pytest.mark.parametrize("version", [None, "", "3:abc;"], ids=["missing", "blank", "garbled"])
def test_member_form_without_its_version_is_refused(client, alice, zhao_li, version):
    client.force_login(alice)
    url = f"{MEMBERS}{zhao_li.pk}/change/"
    form = opened(client, url, "member_form")
    del form[VERSION_FIELD]
    if version is not None:
        form[VERSION_FIELD] = version

    response = client.post(url, {**form, "position": "院长"}, follow=True)

    zhao_li.refresh_from_db()
    assert zhao_li.position == "医师"
    assert messages_of(response) == [
        "未保存：表单没有注明它打开时社员的版本（可能是旧页面或伪造的请求）。"
        "现在显示的是社员的最新内容：请重新修改。"
    ]


def test_member_revert_form_opened_before_another_save_is_refused(alice, erin, zhao_li):
    zhao_li.position = "主任"
    zhao_li.save()
    first_version = zhao_li.history.order_by("history_id").first()
    change_url = f"{MEMBERS}{zhao_li.pk}/change/"
    revert_url = f"{MEMBERS}{zhao_li.pk}/history/{first_version.history_id}/"
    first, second = logged_in(alice), logged_in(erin)
    # simple-history names the revert form after its history model.
    revert_form = opened(first, revert_url, "historicalmember_form")
    second.post(change_url, {**opened(second, change_url, "member_form"), "phone": "13900009999"})

    response = first.post(revert_url, revert_form, follow=True)

    change = zhao_li.history.order_by("history_id").last()
    zhao_li.refresh_from_db()
    assert (zhao_li.position, zhao_li.phone) == ("主任", "13900009999")
    assert response.redirect_chain == [(revert_url, 302)]
    assert messages_of(response) == [refused(f"erin于{when(change)}修改了：手机。", "社员")]


# Saved: a fresh form, however it was reached


def test_fresh_member_form_saves_after_save_and_continue_editing(client, alice, zhao_li):
    client.force_login(alice)
    url = f"{MEMBERS}{zhao_li.pk}/change/"

    kept = client.post(
        url,
        {**opened(client, url, "member_form"), "position": "主任", "_continue": "1"},
        follow=True,
    )
    again = BrowserForm(kept.content.decode(), "member_form").data
    saved = client.post(url, {**again, "workplace": "连云港市第一人民医院"})

    zhao_li.refresh_from_db()
    assert kept.redirect_chain == [(url, 302)]
    assert (saved.status_code, saved.url) == (302, MEMBERS)
    assert (zhao_li.position, zhao_li.workplace) == ("主任", "连云港市第一人民医院")


def test_fresh_member_form_saves_after_a_validation_error(client, alice, zhao_li):
    client.force_login(alice)
    url = f"{MEMBERS}{zhao_li.pk}/change/"

    invalid = client.post(url, {**opened(client, url, "member_form"), "phone": "电话"})
    again = BrowserForm(invalid.content.decode(), "member_form").data
    saved = client.post(url, {**again, "phone": "13900009999"})

    zhao_li.refresh_from_db()
    assert (invalid.status_code, list(invalid.context["adminform"].form.errors)) == (200, ["phone"])
    assert (saved.status_code, saved.url) == (302, MEMBERS)
    assert zhao_li.phone == "13900009999"


def test_fresh_donation_form_with_goods_lines_saves(client, alice, zhao_li):
    donation = DonationFactory(member=zhao_li, form="goods", amount=None)
    line = GoodsLine.objects.create(donation=donation, item="口罩", quantity=100, unit="个")
    client.force_login(alice)
    url = f"{DONATIONS}{donation.pk}/change/"

    response = client.post(url, {**opened(client, url, "donation_form"), "goods-0-quantity": "300"})

    line.refresh_from_db()
    assert (response.status_code, line.quantity) == (302, 300)
