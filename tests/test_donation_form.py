"""A donation's form fits the gift (issue 17): money asks for an amount and shows no goods table;
goods show the table and ask for no amount. The kind is chosen before the form (?form=goods, the
index's quick actions, the link at the top of the form) and kept by a hidden field."""

import datetime
from decimal import Decimal

import pytest

from campaigns.models import Donation, GoodsLine
from tests.factories import CampaignFactory, DonationFactory, RecipientFactory
from tests.test_campaign_admin import donation_form
from tests.test_scoping import version

DONATIONS = "/admin/campaigns/donation/"


@pytest.fixture
def drive(committee):
    return CampaignFactory(title="抗疫募捐", organiser=committee)


@pytest.fixture
def red_cross():
    return RecipientFactory()


@pytest.fixture
def goods_gift(drive, red_cross, zhao_li):
    gift = DonationFactory(
        campaign=drive, recipient=red_cross, member=zhao_li, form="goods", amount=None
    )
    GoodsLine.objects.create(donation=gift, item="医用口罩", quantity=2000, unit="只")
    return gift


def shape(response) -> tuple[list[str], list[str], str]:
    """The form's visible fields, its inlines and the kind its hidden field carries."""
    form = response.context["adminform"].form
    visible = [name for name, field in form.fields.items() if not field.widget.is_hidden]
    inlines = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    return visible[:3], inlines, str(form["form"].value())


def change_form(donation, **changes):
    """The POST of ``donation``'s change form opened now."""
    data = donation_form(
        donation.campaign,
        donation.recipient,
        form=donation.form,
        amount="" if donation.amount is None else str(donation.amount),
        member=donation.member_id,
        date=str(donation.date),
    )
    lines = list(donation.goods.all())
    data.update(
        {
            "goods-TOTAL_FORMS": str(len(lines)),
            "goods-INITIAL_FORMS": str(len(lines)),
            **version(donation),
        }
    )
    for i, line in enumerate(lines):
        data.update(
            {
                f"goods-{i}-id": line.pk,
                f"goods-{i}-donation": donation.pk,
                f"goods-{i}-item": line.item,
                f"goods-{i}-quantity": str(line.quantity),
                f"goods-{i}-unit": line.unit,
                f"goods-{i}-estimated_value": str(line.estimated_value),
            }
        )
    data.update(changes)
    return data


@pytest.mark.parametrize("query", ["", "?form=money"])
def test_donation_add_money_asks_amount_and_has_no_goods_table(client, bob, query):
    client.force_login(bob)

    response = client.get(f"{DONATIONS}add/{query}")

    assert shape(response) == (["campaign", "date", "amount"], [], "money")


def test_donation_add_goods_has_goods_table_and_no_amount(client, bob):
    client.force_login(bob)

    response = client.get(f"{DONATIONS}add/?form=goods")

    assert shape(response) == (["campaign", "date", "state"], ["goods"], "goods")


def test_donation_change_money_has_no_goods_table(client, bob, drive, red_cross, zhao_li):
    gift = DonationFactory(campaign=drive, recipient=red_cross, member=zhao_li)
    client.force_login(bob)

    response = client.get(f"{DONATIONS}{gift.pk}/change/")

    assert shape(response) == (["campaign", "date", "amount"], [], "money")


def test_donation_change_goods_has_no_amount(client, bob, goods_gift):
    client.force_login(bob)

    response = client.get(f"{DONATIONS}{goods_gift.pk}/change/")

    assert shape(response) == (["campaign", "date", "state"], ["goods"], "goods")


def test_donation_form_links_to_the_other_kind(client, bob):
    client.force_login(bob)

    response = client.get(f"{DONATIONS}add/?form=goods")

    assert (
        '<span class="gift-kind">这是一笔物资捐赠。</span> <a href="?form=money">改为钱款捐赠</a>'
        in response.content.decode()
    )


def test_donation_view_only_offers_no_other_kind(client, carol, goods_gift):
    client.force_login(carol)

    response = client.get(f"{DONATIONS}{goods_gift.pk}/change/")

    assert response.status_code == 200
    assert "改为钱款捐赠" not in response.content.decode()


def test_donation_add_goods_from_its_form_saves_the_lines(client, bob, drive, red_cross, zhao_li):
    client.force_login(bob)
    data = donation_form(
        drive, red_cross, form="goods", member=zhao_li.pk, goods=[("防护服", "100", "套", "3800")]
    )
    del data["amount"]  # the goods form has no amount

    response = client.post(f"{DONATIONS}add/?form=goods", data)

    donation = Donation.objects.get()
    assert response.status_code == 302
    assert (donation.form, donation.amount) == ("goods", None)
    assert [str(line) for line in donation.goods.all()] == ["防护服 100套"]


def test_donation_save_and_add_another_keeps_the_kind(client, bob, drive, red_cross, zhao_li):
    client.force_login(bob)
    data = donation_form(
        drive, red_cross, form="goods", member=zhao_li.pk, goods=[("防护服", "100", "套", "0")]
    )

    response = client.post(f"{DONATIONS}add/?form=goods", {**data, "_addanother": "1"})

    assert response["Location"] == f"{DONATIONS}add/?form=goods"


def test_goods_gift_made_money_shows_its_lines_until_removed(client, bob, goods_gift):
    client.force_login(bob)
    url = f"{DONATIONS}{goods_gift.pk}/change/?form=money"

    opened = client.get(url)
    kept = client.post(url, change_form(goods_gift, form="money", amount="800"))
    removed = client.post(
        url, change_form(goods_gift, form="money", amount="800", **{"goods-0-DELETE": "on"})
    )

    goods_gift.refresh_from_db()
    assert shape(opened) == (["campaign", "date", "amount"], ["goods"], "money")
    assert kept.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        "钱款捐赠没有物资明细：请删除明细或改选物资。"
    ]
    assert removed.status_code == 302
    assert (goods_gift.form, goods_gift.amount, goods_gift.goods.count()) == (
        "money",
        Decimal("800.00"),
        0,
    )


def test_money_gift_made_goods_loses_its_amount(client, bob, drive, red_cross, zhao_li):
    gift = DonationFactory(
        campaign=drive, recipient=red_cross, member=zhao_li, date=datetime.date(2020, 2, 3)
    )
    client.force_login(bob)
    data = change_form(
        gift,
        form="goods",
        **{
            "goods-TOTAL_FORMS": "1",
            "goods-0-item": "口罩",
            "goods-0-quantity": "500",
            "goods-0-unit": "只",
            "goods-0-estimated_value": "0",
        },
    )
    del data["amount"]

    response = client.post(f"{DONATIONS}{gift.pk}/change/?form=goods", data)

    gift.refresh_from_db()
    assert response.status_code == 302
    assert (gift.form, gift.amount, [str(line) for line in gift.goods.all()]) == (
        "goods",
        None,
        ["口罩 500只"],
    )
