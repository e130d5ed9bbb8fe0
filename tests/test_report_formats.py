"""How figures read (issue 16, report correctness): money with two decimals when it has cents,
counts as whole numbers, 万 where a summary suits, progress above 100 % as it is."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from campaigns import progress
from campaigns.models import Goal
from portal.templatetags.portal_format import (
    Yuan,
    amount,
    bare,
    cell,
    figure,
    wan,
    yuan,
    yuan_sign,
)
from tests.factories import CampaignFactory, DonationFactory, RecipientFactory
from tests.pages import text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1050.5"), "1,050.50"),
        (Decimal("1050.50"), "1,050.50"),
        (Decimal("86556.00"), "86,556"),
        (Decimal("0.01"), "0.01"),
        (1000000, "1,000,000"),
        (None, ""),
    ],
)
def test_money_has_two_decimals_only_when_it_has_cents(value, expected):
    assert amount(value) == expected


def test_yuan_keeps_the_cents():
    with translation.override("zh-hans"):
        assert (yuan(Decimal("1050.5")), yuan(Decimal("228"))) == ("1,050.50 元", "228 元")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("1234.5"), "¥1,234.50"), (Decimal("86556"), "¥86,556.00"), (0, "¥0.00")],
)
def test_yuan_sign_is_written_as_the_spreadsheet_shows_it(value, expected):
    assert yuan_sign(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("86556"), "8.66万元"),
        (Decimal("1000000"), "100万元"),
        (Decimal("59956"), "6万元"),
        (Decimal("10000"), "1万元"),
        (Decimal("123456789"), "1.23亿元"),
        (Decimal("9800"), ""),
    ],
)
def test_wan_reads_large_amounts_the_chinese_way(value, expected):
    with translation.override("zh-hans"):
        assert wan(value) == expected


def test_wan_says_nothing_in_english():
    with translation.override("en"):
        assert wan(Decimal("86556")) == ""


def test_report_cell_shows_yuan_as_money_and_counts_whole():
    with translation.override("zh-hans"):
        cells = [cell(Yuan("1050.5")), cell(Decimal("10.00")), cell(12), figure(Decimal("2.50"))]

    assert cells == ["1,050.50 元", "10", "12", "2.5"]


@pytest.mark.django_db
def test_goal_above_its_target_shows_its_share_as_it_is(client):
    campaign = CampaignFactory(title="特殊社费", starts_on=datetime.date(2020, 1, 28))
    recipient = RecipientFactory()
    campaign.recipients.add(recipient)
    Goal.objects.create(campaign=campaign, metric="amount", target=Decimal("80000"))
    DonationFactory(campaign=campaign, recipient=recipient, amount=Decimal("86556"))

    goals = progress.campaign_progress(campaign)["goals"]
    page = text(client.get(f"/campaigns/{campaign.slug}/"))

    assert goals[0]["percent"] == 108
    assert "已完成 108%" in page
    # The bar stops at full.
    assert 'max="100" value="100"' in client.get(f"/campaigns/{campaign.slug}/").content.decode()


def test_bare_cell_leaves_the_unit_to_its_column():
    cells = [bare(Yuan("86556.00")), bare(Yuan("1050.5")), bare(12)]

    assert cells == ["86,556", "1,050.50", "12"]
