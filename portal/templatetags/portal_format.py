"""Figures as the public pages write them: grouped digits, no needless decimals, the unit in the
reader's language (86,556 元 / ¥86,556).

Digits are grouped by three with a comma in both languages, as the committee's reports write them
(Django's Chinese format groups by nothing). Three ways to write money, each for its place:
``yuan`` in running text and figures (86,556 元), ``money`` in table columns (¥86,556, and
¥250.50 with its fen), ``headline_yuan`` in a headline or on a share card, where a Chinese reader
expects 万 and 亿 (8.66万元, 100万元) and an English one the exact figure (¥86,556). Money keeps
its two decimals when it has cents (1,050.50 元, never 1,050.5 元); counts and whole amounts
have none (``amount``).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import formats, numberformat
from django.utils.translation import get_language, gettext

register = template.Library()

CENTS = Decimal("0.01")


class Yuan(Decimal):
    """An amount of money among other figures (a report's table mixes money and counts): the
    value says it is money, so every renderer formats it as such."""


def _grouped(value, decimal_pos=None) -> str:
    return numberformat.format(
        value, ".", decimal_pos=decimal_pos, grouping=3, thousand_sep=",", force_grouping=True
    )


@register.filter
def figure(value):
    """A count or quantity: 1,000 and 2.5, never 1,000.00."""
    if value is None or value == "":
        return ""
    value = int(value) if value == int(value) else Decimal(value).normalize()
    return _grouped(value)


@register.filter
def amount(value):
    """An amount: 86,556 when whole, 1,050.50 when it has cents (never 1,050.5)."""
    if value is None or value == "":
        return ""
    if value == int(value):
        return _grouped(int(value))
    return _grouped(Decimal(value).quantize(CENTS, ROUND_HALF_UP), 2)


@register.filter
def yuan(value):
    if value is None or value == "":
        return ""
    return gettext("%(amount)s yuan") % {"amount": amount(value)}


@register.filter
def yuan_sign(value):
    """An amount as the spreadsheets' ¥ format shows it: ¥1,234.50, ¥86,556.00."""
    if value is None or value == "":
        return ""
    return "¥" + _grouped(Decimal(value).quantize(CENTS, ROUND_HALF_UP), 2)


@register.filter
def wan(value):
    """A large amount as Chinese readers take it in at a glance: 8.66万元, 100万元, 1.23亿元
    (two decimals at most). Empty below 10,000 yuan, and in a language that does not count in
    万 (the exact figure says it there)."""
    if value is None or value == "" or not (get_language() or "").startswith("zh"):
        return ""
    value = Decimal(value)
    for unit, size in (("亿元", Decimal(100_000_000)), ("万元", Decimal(10_000))):
        if value >= size:
            short = (value / size).quantize(CENTS, ROUND_HALF_UP).normalize()
            return f"{short:f}{unit}"
    return ""


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


# 万 and 亿, largest first: the units a Chinese headline counts large numbers in.
CHINESE_UNITS = [(Decimal(100_000_000), "亿"), (Decimal(10_000), "万")]


def _in_chinese_units(value) -> str | None:
    """86556 as "8.66万", 1000000 as "100万" (two decimals at most, rounded half up); None
    below 10,000, which a Chinese reader reads as it is."""
    value = Decimal(value)
    for size, unit in CHINESE_UNITS:
        if abs(value) >= size:
            return figure((value / size).quantize(Decimal("0.01"), ROUND_HALF_UP)) + unit
    return None


@register.filter
def headline_yuan(value):
    """Money in a headline: 8.66万元 / 100万元 / 9,800元 in Chinese, ¥86,556 in English."""
    if value is None or value == "":
        return ""
    if not _chinese():
        return f"¥{figure(value)}"
    return f"{_in_chinese_units(value) or figure(value)}元"


@register.filter
def money(value):
    """Money in a table column, in both languages: ¥86,556, or ¥250.50 when it has fen (two
    decimals then, as money is written; whole amounts without them, which a phone's narrow
    columns cannot spare)."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)
    places = 0 if amount == amount.to_integral_value() else 2
    return "¥" + numberformat.format(
        amount, ".", decimal_pos=places, grouping=3, thousand_sep=",", force_grouping=True
    )


@register.filter
def compact(value):
    """A number on a chart's axis: 10万 in Chinese from 10,000 up, else as ``figure``."""
    if value is None or value == "":
        return ""
    return (_chinese() and _in_chinese_units(value)) or figure(value)


@register.filter
def percent_of(value, target):
    """The whole percent of ``target`` that ``value`` is, above 100 as it is (a drive that
    raised twice its goal says 200 %); None without a target."""
    if not target:
        return None
    return int(Decimal(value or 0) * 100 / Decimal(target))


@register.filter
def cell(value):
    """A report table's cell: money as yuan, numbers grouped, dates in the reader's format, None
    as a dash."""
    if value is None or value == "":
        return "—" if value is None else ""
    if isinstance(value, bool):
        return value
    if isinstance(value, Yuan):
        return yuan(value)
    if isinstance(value, int | Decimal):
        return figure(value)
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return value


@register.filter
def bare(value):
    """As ``cell``, for a table whose next column names the unit: money without its 元."""
    if isinstance(value, Yuan):
        return amount(value)
    return cell(value)


@register.filter
def is_number(value):
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
