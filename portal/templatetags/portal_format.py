"""Figures as the public pages write them: grouped digits, no needless decimals, the unit in the
reader's language (86,556 元 / ¥86,556).

Digits are grouped by three with a comma in both languages, as the committee's reports write them
(Django's Chinese format groups by nothing).
"""

import datetime
from decimal import Decimal

from django import template
from django.utils import formats, numberformat
from django.utils.translation import gettext

register = template.Library()


@register.filter
def figure(value):
    """A count or quantity: 1,000 and 2.5, never 1,000.00."""
    if value is None or value == "":
        return ""
    value = int(value) if value == int(value) else Decimal(value).normalize()
    return numberformat.format(value, ".", grouping=3, thousand_sep=",", force_grouping=True)


@register.filter
def yuan(value):
    if value is None or value == "":
        return ""
    return gettext("%(amount)s yuan") % {"amount": figure(value)}


@register.filter
def cell(value):
    """A report table's cell: numbers grouped, dates in the reader's format, None as a dash."""
    if value is None or value == "":
        return "—" if value is None else ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal):
        return figure(value)
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return value


@register.filter
def is_number(value):
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
