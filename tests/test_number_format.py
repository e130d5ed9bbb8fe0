"""Numbers as Chinese and English readers expect them (portal/templatetags/portal_format.py)."""

from decimal import Decimal

import pytest
from django.utils import translation

from portal.templatetags.portal_format import compact, headline_yuan, money, percent_of


@pytest.mark.parametrize(
    ("amount", "chinese", "english"),
    [
        (Decimal("86556"), "8.66万元", "¥86,556"),
        (Decimal("1000000"), "100万元", "¥1,000,000"),
        (Decimal("80000"), "8万元", "¥80,000"),
        (Decimal("9800"), "9,800元", "¥9,800"),
        (Decimal("250.50"), "250.5元", "¥250.5"),
        (Decimal("123456789"), "1.23亿元", "¥123,456,789"),
        (Decimal("12345678"), "1,234.57万元", "¥12,345,678"),
        (0, "0元", "¥0"),
    ],
)
def test_headline_yuan_counts_in_wan_for_chinese_readers(amount, chinese, english):
    with translation.override("zh-hans"):
        in_chinese = headline_yuan(amount)
    with translation.override("en"):
        in_english = headline_yuan(amount)

    assert (in_chinese, in_english) == (chinese, english)


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        (Decimal("59956.00"), "¥59,956"),
        (Decimal("1000000"), "¥1,000,000"),
        (Decimal("250.5"), "¥250.50"),
        (Decimal("0.05"), "¥0.05"),
        (0, "¥0"),
        (None, ""),
    ],
)
def test_money_in_tables_has_yuan_sign_separators_and_fen_only_when_any(amount, written):
    with translation.override("zh-hans"):
        assert money(amount) == written


def test_compact_axis_labels_use_wan_in_chinese_only():
    with translation.override("zh-hans"):
        chinese = [compact(v) for v in (Decimal("100000"), Decimal("50000"), 2500, 0)]
    with translation.override("en"):
        english = [compact(v) for v in (Decimal("100000"), 2500)]

    assert (chinese, english) == (["10万", "5万", "2,500", "0"], ["100,000", "2,500"])


def test_percent_of_is_not_capped_at_a_hundred():
    assert [
        percent_of(Decimal("86556"), Decimal("80000")),
        percent_of(25, 100),
        percent_of(200, 100),
        percent_of(5, None),
    ] == [108, 25, 200, None]
