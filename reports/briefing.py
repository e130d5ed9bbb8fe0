"""The Word briefing (工作简报): the committee's own account of a period or a campaign, drafted in
sentences from the leadership summary (``reports.summary.leadership_summary``) and nothing else,
for staff to edit in Word and forward.

Every figure, name and date comes from the summary; nothing is typed in. A section with nothing
to say is left out, and the sections are numbered as they remain (一、二、…). The layout is the
A4 one Chinese offices use: a red masthead, the issuing body and the date over a red rule, a
title, numbered headings in 黑体 and the text in 仿宋 三号 (16 pt) on a 28 pt line, page
numbers at the foot.
"""

import io
import re

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from portal.templatetags.portal_format import amount as grouped_amount
from portal.templatetags.portal_format import figure, wan
from reports.renderers import heading

RED = RGBColor(0xC0, 0x00, 0x00)
BODY_FONT, HEADING_FONT, TITLE_FONT = "仿宋", "黑体", "宋体"
# XML 1.0 holds no other control characters: a record's text may (python-docx refuses them).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Amounts from 100,000 yuan are also said in 万 (1,000,000元（100万元）).
WAN_FROM = 100_000


# Words


def _date(day) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _yuan(amount) -> str:
    said = pgettext("briefing", "%(amount)s yuan") % {"amount": grouped_amount(amount)}
    if amount >= WAN_FROM and wan(amount):
        said = pgettext("briefing", "%(amount)s (%(short)s)") % {
            "amount": said,
            "short": wan(amount),
        }
    return said


def _members(count: int) -> str:
    return ngettext("%(count)s member", "%(count)s members", count) % {"count": figure(count)}


def _list(items) -> str:
    return pgettext("briefing list", ", ").join(str(item) for item in items)


def _clauses(items) -> str:
    return pgettext("briefing clauses", "; ").join(str(item) for item in items)


def _period(period) -> str:
    start, end = period.start, period.end
    if start and end:
        whole_year = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        if whole_year and start.year == end.year:
            return _("Year %(year)d") % {"year": start.year}
        return pgettext("briefing", "%(start)s to %(end)s") % {
            "start": _date(start),
            "end": _date(end),
        }
    if start:
        return pgettext("briefing", "since %(start)s") % {"start": _date(start)}
    if end:
        return pgettext("briefing", "up to %(end)s") % {"end": _date(end)}
    return pgettext("briefing", "To date")


def _quoted(title: str) -> str:
    """A title in quotation marks, its own quotation marks made single (“缴纳‘特殊社费’…”)."""
    inner = title.replace("“", "‘").replace("”", "’")
    return pgettext("briefing", "“%(title)s”") % {"title": inner}


def _goods(lines) -> str:
    return _list(
        pgettext("briefing goods", "%(item)s %(quantity)s %(unit)s")
        % {"item": line["item"], "quantity": figure(line["quantity"]), "unit": line["unit"]}
        for line in lines
    )


# Sections: each a heading and its paragraphs, or None when there is nothing to say.


def _campaign_goals(summary):
    paragraphs = []
    for campaign in summary["campaigns"]:
        if not campaign["goals"]:
            continue
        goals = []
        for goal in campaign["goals"]:
            amount = goal["metric"] == "amount"
            show = _yuan if amount else figure
            goals.append(
                _("%(goal)s: goal %(target)s, reached %(value)s (%(percent)s%%)")
                % {
                    "goal": goal["label"],
                    "target": show(goal["target"]),
                    "value": show(goal["value"]),
                    "percent": goal["percent"],
                }
            )
        paragraphs.append(
            _("%(campaign)s (%(kind)s, from %(start)s): %(goals)s.")
            % {
                "campaign": _quoted(campaign["title"]),
                "kind": campaign["kind"],
                "start": _date(campaign["starts_on"]),
                "goals": _clauses(goals),
            }
        )
    return (_("Campaigns against their goals"), paragraphs) if paragraphs else None


def _donations(summary):
    money_, paragraphs = summary["money"], []
    bodies = [r for r in summary["money_by_recipient"] if r["members_own"]]
    collected = [r for r in bodies if r["designated"]]
    apart = [r for r in bodies if not r["designated"]]
    if money_["members_own"]:
        to_bodies = _clauses(
            _("%(amount)s to %(body)s")
            % {"amount": _yuan(r["members_own"]), "body": r["recipient"]}
            for r in collected
        )
        paragraphs.append(
            _("%(members)s gave %(amount)s of their own money, of which %(bodies)s.")
            % {
                "members": _members(money_["member_donors"]),
                "amount": _yuan(money_["members_own"]),
                "bodies": to_bodies,
            }
        )
    if money_["given_apart"]:
        paragraphs.append(
            _("Members also gave %(amount)s to %(bodies)s, counted apart.")
            % {
                "amount": _yuan(money_["given_apart"]),
                "bodies": _list(r["recipient"] for r in apart),
            }
        )
    if money_["facilitated"]:
        paragraphs.append(
            _("Members facilitated gifts of %(amount)s from their enterprises, counted apart.")
            % {"amount": _yuan(money_["facilitated"])}
        )
    if money_["other_donors"]:
        paragraphs.append(
            _("Donors who are not members gave %(amount)s.")
            % {"amount": _yuan(money_["other_donors"])}
        )
    for facilitated, value in (
        (False, summary["goods_value"]["direct"]),
        (True, summary["goods_value"]["facilitated"]),
    ):
        lines = [g for g in summary["goods"] if g["facilitated"] == facilitated]
        if not lines:
            continue
        words = {"items": _goods(lines), "value": _yuan(value)}
        if facilitated:
            sentence = (
                _("Goods facilitated: %(items)s, worth an estimated %(value)s.")
                if value
                else _("Goods facilitated: %(items)s.")
            )
        else:
            sentence = (
                _("Goods given: %(items)s, worth an estimated %(value)s.")
                if value
                else _("Goods given: %(items)s.")
            )
        paragraphs.append(sentence % words)
    if money_["pledged"]:
        paragraphs.append(
            _("A further %(amount)s was pledged and is not yet received.")
            % {"amount": _yuan(money_["pledged"])}
        )
    return (_("Donations of money and goods"), paragraphs) if paragraphs else None


def _blood(summary):
    blood = summary["blood"]
    if not blood["donors"]:
        return None
    paragraphs = [
        _("On %(date)s %(organiser)s called on members to give blood.")
        % {"date": _date(c["call_date"]), "organiser": c["organiser"]}
        for c in summary["campaigns"]
        if c["kind_code"] == "blood"
    ]
    words = {
        "members": _members(blood["donors"]),
        "donations": figure(blood["donations"]),
        "ml": figure(blood["ml"]),
        "stations": _list(summary["blood_stations"]),
    }
    paragraphs.append(
        _("%(members)s gave blood at %(stations)s, %(donations)s donations, %(ml)s ml in all.")
        % words
    )
    return _("Blood donation"), paragraphs


def _volunteers(summary):
    volunteers, postings = summary["volunteers"], summary["postings"]
    if not volunteers["people"]:
        return None
    duties = list(dict.fromkeys(duty for p in postings for duty in p["duties"]))
    words = {
        "members": _members(volunteers["people"]),
        "places": figure(volunteers["postings"]),
        "duties": _list(duties),
        "days": figure(volunteers["days"]),
        "hours": figure(volunteers["hours"]),
        "confirmed": figure(volunteers["confirmed_hours"]),
    }
    paragraphs = [
        _(
            "%(members)s were posted to %(places)s places for %(duties)s, serving %(days)s "
            "days and %(hours)s hours, %(confirmed)s hours of them confirmed by staff."
        )
        % words
    ]
    places = [
        _("%(place)s (%(district)s), %(count)s: %(names)s")
        % {
            "place": p["place"],
            "district": p["district"],
            "count": _members(len(p["members"])),
            "names": _list(p["members"]),
        }
        for p in postings
        if p["members"]
    ]
    paragraphs.append(_("By place: %(places)s.") % {"places": _clauses(places)})
    return _("Members posted where they were needed"), paragraphs


def _front_line(summary):
    front = summary["front_line"]
    if not front["people"]:
        return None
    sectors = _list(
        _("%(sector)s %(count)s") % {"sector": r["name"], "count": figure(r["people"])}
        for r in front["by_sector"]
    )
    paragraphs = [
        _("%(members)s served on the front line: %(sectors)s.")
        % {"members": _members(front["people"]), "sectors": sectors}
    ]
    for cited in summary["front_line_cited"]:
        where = "".join(part for part in (cited["unit"], cited["role"]) if part)
        paragraphs.append(
            (_("%(name)s (%(where)s): %(text)s") if where else _("%(name)s: %(text)s"))
            % {"name": cited["name"], "where": where, "text": cited["text"]}
        )
    return pgettext("briefing", "On the front line"), paragraphs


def _suggestions(summary):
    counts = summary["suggestions"]
    if not counts["received"]:
        return None
    sentence = _("%(received)s suggestions were received") % {
        "received": figure(counts["received"])
    }
    if counts["forwarded"]:
        bodies = _list(
            _("%(body)s %(count)s") % {"body": r["body"], "count": figure(r["forwarded"])}
            for r in summary["suggestions_by_body"]
        )
        sentence += _(", %(forwarded)s forwarded to higher bodies (%(bodies)s)") % {
            "forwarded": figure(counts["forwarded"]),
            "bodies": bodies,
        }
    if counts["adopted"]:
        sentence += _(", %(adopted)s adopted") % {"adopted": figure(counts["adopted"])}
    paragraphs = [sentence + pgettext("briefing", ".")]
    calls = [c for c in summary["suggestion_calls"] if c["title"]]
    if calls:
        paragraphs.append(
            _("By call: %(calls)s.")
            % {
                "calls": _clauses(
                    _("%(call)s, %(received)s received")
                    % {"call": _quoted(c["title"]), "received": figure(c["received"])}
                    for c in calls
                )
            }
        )
    if summary["suggestions_named"]:
        titles = _list(
            pgettext("briefing document", "“%(title)s”") % {"title": t}
            for t in summary["suggestions_named"]
        )
        paragraphs.append(_("Those forwarded include %(titles)s.") % {"titles": titles})
    return _("Suggestions to higher bodies"), paragraphs


def _enterprises(summary):
    work = summary["enterprise_work"]
    if not work:
        return None
    return _("Member enterprises"), [
        (_("%(who)s (%(work)s): %(text)s") if w["text"] else _("%(who)s: %(work)s"))
        % {"who": w["who"], "work": w["title"], "text": w["text"]}
        for w in work
    ]


def _artworks(summary):
    works = summary["artworks"]
    if not works:
        return None
    return _("Artworks"), [
        _("%(works)s.")
        % {
            "works": _clauses(
                _("%(who)s: %(title)s") % {"who": a["who"], "title": a["title"]} for a in works
            )
        }
    ]


def _care(summary):
    care = summary["care_visits"]
    if care is None or not (care["visits"] or care["letters"]):
        return None
    paragraphs = []
    for visit in care["visits"]:
        words = {
            "date": _date(visit["date"]),
            "leaders": visit["leaders"],
            "sites": visit["sites"],
            "visited": visit["visited"],
        }
        if visit["leaders"] and visit["visited"]:
            sentence = _("On %(date)s %(leaders)s visited %(sites)s and met %(visited)s.")
        elif visit["leaders"]:
            sentence = _("On %(date)s %(leaders)s visited %(sites)s.")
        else:
            sentence = _("On %(date)s members were visited at %(sites)s.")
        paragraphs.append(sentence % words)
    if care["letters"]:
        paragraphs.append(
            _("Letters of sympathy were sent to %(members)s.")
            % {"members": _members(care["letters"])}
        )
    return _("Care for members"), paragraphs


SECTIONS = [
    _campaign_goals,
    _donations,
    _blood,
    _volunteers,
    _front_line,
    _suggestions,
    _enterprises,
    _artworks,
    _care,
]


def sections(summary: dict) -> list[tuple[str, list[str]]]:
    """The briefing's sections that have something to say, in order: (heading, paragraphs)."""
    return [section for section in (make(summary) for make in SECTIONS) if section]


def _title(summary: dict) -> str:
    """The briefing's subject: the campaign whose period the report covers, else the period."""
    period = summary["period"]
    for campaign in summary["campaigns"]:
        if (campaign["starts_on"], campaign["ends_on"]) == (period.start, period.end):
            return _("On %(campaign)s") % {"campaign": _quoted(campaign["title"])}
    if not (period.start or period.end):
        return _("Our work to date")
    return _("Our work, %(period)s") % {"period": _period(period)}


# The document


def _clean(text: str) -> str:
    return NOT_XML.sub("\N{REPLACEMENT CHARACTER}", str(text))


def _font(run_or_style, name: str, size: float, *, bold=False, color=None) -> None:
    """A font for Chinese (eastAsia) and the rest alike."""
    font = run_or_style.font
    font.name, font.size, font.bold = name, Pt(size), bold
    if color is not None:
        font.color.rgb = color
    element = run_or_style.element
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


def _rule_below(paragraph, color: str = "C00000", size: int = 12) -> None:
    """A line under the paragraph (the red rule under the masthead's issuing line)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "4")):
        bottom.set(qn(key), value)
    bottom.set(qn("w:color"), color)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _page_number(paragraph) -> None:
    """ "— 1 —": a PAGE field between dashes, as Chinese documents number their pages."""
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
        else:
            field = OxmlElement("w:instrText")
            field.set(qn("xml:space"), "preserve")
            field.text = text
        run._r.append(field)
    paragraph.add_run(" —")


def _set_up(document) -> None:
    """A4 with the margins of Chinese official documents (GB/T 9704: 37 mm top, 35 bottom,
    28 left, 26 right); 仿宋 16 pt on a 28 pt line, first lines indented two characters."""
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    _font(normal, BODY_FONT, 16)
    layout = normal.paragraph_format
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = Pt(28)
    layout.first_line_indent = Pt(32)
    layout.space_before = layout.space_after = Pt(0)
    layout.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    heading_style = document.styles["Heading 1"]
    _font(heading_style, HEADING_FONT, 16, color=RGBColor(0, 0, 0))
    heading_layout = heading_style.paragraph_format
    heading_layout.first_line_indent = Pt(32)
    heading_layout.space_before, heading_layout.space_after = Pt(6), Pt(0)
    heading_layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    heading_layout.line_spacing = Pt(28)
    heading_layout.keep_with_next = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    _page_number(footer)


def _paragraph(document, text: str, *, style=None, indent=True):
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run(_clean(text))
    if not indent:
        paragraph.paragraph_format.first_line_indent = Pt(0)
    return paragraph


def render_briefing(summary: dict) -> bytes:
    document = Document()
    _set_up(document)
    head = heading(summary)
    top = summary["committee"]
    body = summary["branch"].name if summary["branch"] else (top.name if top else head["scope"])

    masthead = _paragraph(document, pgettext("briefing", "Briefing"), indent=False)
    masthead.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(masthead.runs[0], TITLE_FONT, 36, bold=True, color=RED)
    masthead.paragraph_format.line_spacing = Pt(54)

    issued = _paragraph(document, "", indent=False)
    issued.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    issued.runs[0].text = _clean(f"{body}\t{_date(summary['generated_at'])}")
    _font(issued.runs[0], BODY_FONT, 14)
    _rule_below(issued)

    title = _paragraph(document, _title(summary), indent=False)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(24)
    title.paragraph_format.space_after = Pt(12)
    title.paragraph_format.line_spacing = Pt(36)
    _font(title.runs[0], TITLE_FONT, 22, bold=True)

    intro = _("%(period)s, %(scope)s. From the records:") % {
        "period": _period(summary["period"]),
        "scope": head["scope"],
    }
    _paragraph(document, intro)
    if head["note"]:
        _paragraph(document, head["note"])
    numbers = pgettext("briefing numbering", "1 2 3 4 5 6 7 8 9 10 11 12").split()
    for number, (section_heading, paragraphs) in zip(numbers, sections(summary), strict=False):
        _paragraph(
            document,
            pgettext("briefing", "%(number)s. %(heading)s")
            % {"number": number, "heading": section_heading},
            style="Heading 1",
        )
        for text in paragraphs:
            _paragraph(document, text)
    closing = _paragraph(
        document,
        _("Drafted from the records as they stood on %(time)s.")
        % {"time": formats.date_format(summary["generated_at"], "DATETIME_FORMAT")},
    )
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(closing.runs[0], BODY_FONT, 12)
    document.core_properties.title = _title(summary)
    document.core_properties.author = body
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
