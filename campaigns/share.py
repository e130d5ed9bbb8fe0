"""What a campaign says in one figure, and the picture a share of its page carries.

``headline`` is the page's big figure (raised / members who gave blood / members posted) with
its goal; ``card`` puts it in words in the reader's language, and ``card_png`` draws those words
as a PNG with Pillow, in the Chinese font the PDF reports embed (``REPORT_FONT_PATH``): 1200 × 630
for the link previews of most sites and apps, and a square for WeChat's. The words drawn are also
kept in the PNG's text chunks ("Title", "Description"), so that a reader without sight, a search
engine or a test can read what the picture says.
"""

import functools
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from campaigns.models import Campaign, Goal
from portal.templatetags.portal_format import figure, headline_yuan, percent_of

# The figure each kind of campaign is told by, and the goal it is measured against.
HEADLINES = {
    Campaign.Kind.DONATION: (pgettext_lazy("headline", "Raised"), Goal.Metric.AMOUNT),
    Campaign.Kind.BLOOD: (
        pgettext_lazy("headline", "Members who gave blood"),
        Goal.Metric.DONORS,
    ),
    Campaign.Kind.VOLUNTEER: (
        pgettext_lazy("headline", "Members posted"),
        Goal.Metric.PEOPLE_POSTED,
    ),
}


def headline(campaign: Campaign, figures: dict) -> dict:
    """The campaign's one figure, from its public figures (``progress.campaign_page``): its
    label, value, whether it is money, and its goal with the share reached (above 100 % as it
    is; ``bar`` is the same, capped, for a progress bar)."""
    label, metric = HEADLINES[campaign.kind]
    if campaign.kind == Campaign.Kind.DONATION:
        value = figures["money"]["members_own"]
    elif campaign.kind == Campaign.Kind.BLOOD:
        value = figures["blood"]["donors"]
    else:
        value = figures["volunteers"]["people"]
    goal = next((goal for goal in figures["goals"] if goal["metric"] == metric), None)
    target = goal["target"] if goal else None
    percent = percent_of(value, target)
    return {
        "label": label,
        "value": value,
        "metric": metric,
        "is_money": metric == Goal.Metric.AMOUNT,
        "target": target,
        "percent": percent,
        "bar": None if percent is None else min(percent, 100),
    }


@dataclass(frozen=True)
class Card:
    """The words of a share card, in the language active when it was made."""

    site: str
    kind: str
    title: str
    label: str
    figure: str
    goal: str
    bar: int | None
    footer: str

    @property
    def lines(self) -> list[str]:
        return [
            line
            for line in (self.site, self.kind, self.title, self.label, self.figure, self.goal)
            if line
        ] + [self.footer]


def _amount(value, is_money: bool) -> str:
    return headline_yuan(value) if is_money else figure(value)


def card(campaign: Campaign, figures: dict) -> Card:
    top = headline(campaign, figures)
    goal = ""
    if top["target"] is not None:
        goal = _("Goal %(goal)s · %(percent)s%% reached") % {
            "goal": _amount(top["target"], top["is_money"]),
            "percent": top["percent"],
        }
    if campaign.ends_on:
        dates = _("%(start)s to %(end)s") % {
            "start": date_format(campaign.starts_on, "DATE_FORMAT"),
            "end": date_format(campaign.ends_on, "DATE_FORMAT"),
        }
    else:
        dates = _("from %(start)s") % {"start": date_format(campaign.starts_on, "DATE_FORMAT")}
    return Card(
        site=str(campaign.organiser),
        kind=str(campaign.get_kind_display()),
        title=campaign.title,
        label=str(top["label"]),
        figure=_amount(top["value"], top["is_money"]),
        goal=goal,
        bar=top["bar"],
        footer=f"{campaign.get_status_display()} · {dates}",
    )


# Sizes: the picture, its margin, the blue band at the top, and each text's font size in px.
LAYOUTS = {
    "wide": {
        "size": (1200, 630),
        "pad": 64,
        "band": 88,
        "site": 30,
        "title": 52,
        "title_lines": 2,
        "label": 30,
        "figure": 100,
        "goal": 32,
        "bar": 24,
        "footer": 26,
    },
    "square": {
        "size": (600, 600),
        "pad": 40,
        "band": 68,
        "site": 24,
        "title": 38,
        "title_lines": 3,
        "label": 24,
        "figure": 72,
        "goal": 24,
        "bar": 20,
        "footer": 20,
    },
}
BLUE, BLUE_DARK, PALE, GOLD = "#1d4e89", "#143a66", "#e8eef6", "#b8860b"
INK, MUTED, WHITE = "#1f2933", "#52606d", "#ffffff"


@functools.lru_cache(maxsize=32)
def _font(size: int):
    try:
        return ImageFont.truetype(settings.REPORT_FONT_PATH, size)
    except OSError:
        # Without the font the card still says its figures, in Latin letters only.
        return ImageFont.load_default(size)


# A Latin word (with the space after it) stays whole; any other character may end a line.
TOKENS = re.compile(r"[0-9A-Za-z'’.,:;!?%()\-]+\s*|\s+|.")


def _wrap(text: str, font, width: int, max_lines: int) -> list[str]:
    lines = [""]
    for token in TOKENS.findall(text):
        if font.getlength(lines[-1] + token) <= width or not lines[-1]:
            lines[-1] += token
        else:
            lines.append(token.lstrip())
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last.rstrip() + "…"]
    return [line.rstrip() for line in lines]


def card_png(words: Card, variant: str) -> bytes:
    """The card drawn as a PNG: ``variant`` "wide" (1200 × 630) or "square" (600 × 600)."""
    layout = LAYOUTS[variant]
    width, height = layout["size"]
    pad, band = layout["pad"], layout["band"]
    inner = width - 2 * pad
    image = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(image)

    # The band: who runs the campaign and what kind it is.
    draw.rectangle((0, 0, width, band), fill=BLUE)
    draw.rectangle((0, band, width, band + 6), fill=GOLD)
    site_font = _font(layout["site"])
    kind_width = site_font.getlength(words.kind)
    site = _wrap(words.site, site_font, inner - kind_width - pad // 2, 1)[0]
    draw.text((pad, band / 2), site, font=site_font, fill=WHITE, anchor="lm")
    draw.text((width - pad, band / 2), words.kind, font=site_font, fill=PALE, anchor="rm")

    y = band + 6 + pad * 0.6
    title_font = _font(layout["title"])
    for line in _wrap(words.title, title_font, inner, layout["title_lines"]):
        draw.text((pad, y), line, font=title_font, fill=BLUE_DARK)
        y += layout["title"] * 1.3
    y += layout["title"] * 0.3

    draw.text((pad, y), words.label, font=_font(layout["label"]), fill=MUTED)
    y += layout["label"] * 1.3
    figure_font = _font(layout["figure"])
    figure_text = _wrap(words.figure, figure_font, inner, 1)[0]
    draw.text((pad, y), figure_text, font=figure_font, fill=BLUE)
    y += layout["figure"] * 1.2

    if words.goal:
        draw.text((pad, y), words.goal, font=_font(layout["goal"]), fill=INK)
        y += layout["goal"] * 1.5
    if words.bar is not None:
        bar = layout["bar"]
        draw.rounded_rectangle((pad, y, width - pad, y + bar), radius=bar // 2, fill=PALE)
        if words.bar:
            filled = pad + max(inner * words.bar / 100, bar)
            draw.rounded_rectangle((pad, y, filled, y + bar), radius=bar // 2, fill=BLUE)

    footer_font = _font(layout["footer"])
    footer = _wrap(words.footer, footer_font, inner, 1)[0]
    draw.text((pad, height - pad * 0.6), footer, font=footer_font, fill=MUTED, anchor="ls")

    info = PngInfo()
    info.add_itxt("Title", words.title)
    info.add_itxt("Description", "\n".join(words.lines))
    output = io.BytesIO()
    image.save(output, "PNG", optimize=True, pnginfo=info)
    return output.getvalue()
