"""What the page tests read from a response."""

import datetime
import re

from django.utils import timezone


def text(response):
    """The page's text without tags, so phrases split by markup still match."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def messages_of(response):
    """The messages the response's page shows (Django's messages framework)."""
    return [str(message) for message in response.context["messages"]]


def shows(content: str, needle: str) -> bool:
    """Whether ``content`` shows ``needle`` as text of its own. A needle that starts or ends with a
    digit must not be part of a longer number or date, so that a test for a leak cannot fail by
    the clock: "2026年12月7日 05:48" (a page's "last updated") shows neither "2月7日" nor "300" in
    "05.300", and "1,300" does not show "300"."""
    before = r"(?<![\d.,])" if needle[:1].isdigit() else ""
    after = r"(?![\d]|[.,]\d)" if needle[-1:].isdigit() else ""
    return re.search(before + re.escape(needle) + after, content) is not None


def a_day_not_today(year: int, month: int, day: int) -> datetime.date:
    """The date, or the day after when today (in the portal's time zone) has its month and day:
    a page's "last updated" is today, and must not read as the secret day a test plants."""
    date = datetime.date(year, month, day)
    today = timezone.localdate()
    return date + datetime.timedelta(days=1) if (today.month, today.day) == (month, day) else date
