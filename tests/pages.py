"""What the page tests read from a response."""

import re


def text(response):
    """The page's text without tags, so phrases split by markup still match."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def messages_of(response):
    """The messages the response's page shows (Django's messages framework)."""
    return [str(message) for message in response.context["messages"]]
