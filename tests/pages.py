"""What the page tests read from a response."""

import re


def text(response):
    """The page's text without tags, so phrases split by markup still match."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def messages_of(response):
    """The messages the response's page shows (Django's messages framework)."""
    return [str(message) for message in response.context["messages"]]


def shows_number(content: str, number: str) -> bool:
    """Whether the page shows ``number`` as a number of its own: not inside a longer one (a
    timestamp's microseconds, an id), so that a test for a leak cannot fail by the clock."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", content) is not None
