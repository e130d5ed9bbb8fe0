"""The summary as a PDF that leadership forwards as it is: A4 in Chinese, the headline figures
first, every table of ``reports.datasets`` in the report's order, with its chart.

What makes it forwardable:
- Chinese line breaking (``break_lines``): no line starts with closing punctuation (。，、）》…)
  nor ends with opening punctuation (（《“…); a date (2月2日, 2020年2月22日), a number (¥1,234.50)
  or a Latin word is never split; otherwise a line may break between any two Chinese
  characters. reportlab's own CJK wrapping (``wordWrap="CJK"``) hangs one closing mark in the
  margin but splits dates and numbers, so the lines are broken here and the paragraph only
  draws them.
- Every text from the records is escaped before it reaches reportlab's markup (``_text``).
- Money as the XLSX shows it (¥1,234.50), counts with thousands separators, the charts' value
  axes too; long labels in a chart cut with "…", long names in a table wrapped.
- No table is cut after its header or before its last row (``NOSPLIT``); a short table stays
  with its heading and chart on one page (``KeepTogether``), a long one starts where its first
  rows fit.
- The committee (or the branch) and the period on every page, with the page number.
"""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from portal.templatetags.portal_format import Yuan, amount, figure, wan, yuan_sign
from reports.datasets import CHART_ROWS, ReportTable
from reports.renderers import BLUE, heading

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
MUTED = colors.HexColor("#52606D")
INK = colors.HexColor("#" + BLUE)

# Line breaking

# May not start a line: closing punctuation, Chinese and Latin.
CANNOT_START = set("。，、；：？！）》」』】〕〉〗”’…‥％%)]},.;:?!·・")
# May not end a line: opening punctuation and currency signs.
CANNOT_END = set("（《「『【〔〈〖“‘([{¥￥$")
# Never split: a date (2020年2月22日, 2月2日, 2020年2月), a number with its sign, separators,
# decimals and percent (¥1,234.50, 108%), a Latin word; else one character (or a run of spaces,
# where a line may break).
UNIT = re.compile(
    r"(?:\d{4}年)?\d{1,2}月\d{1,2}日"
    r"|\d{4}年\d{1,2}月"
    r"|[¥￥]?\d[\d,]*(?:\.\d+)?%?"
    r"|[A-Za-z][A-Za-z0-9@._'’/-]*"
    r"| +"
    r"|.",
    re.DOTALL,
)


def units(text: str) -> list[str]:
    """``text`` in the pieces a line may break between: unbreakable runs (``UNIT``), each
    closing mark joined to the piece before it and each opening mark to the piece after."""
    glued: list[str] = []
    opening = ""
    for piece in UNIT.findall(text):
        if piece[0] in CANNOT_START and not opening and glued:
            if glued[-1].isspace() and len(glued) > 1:
                piece = glued.pop() + piece
            glued[-1] += piece
        elif piece in CANNOT_END:
            opening += piece
        else:
            glued.append(opening + piece)
            opening = ""
    if opening:
        glued.append(opening)
    return glued


def break_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points (one too wide a piece alone is
    cut by characters), by the rules above; line ends in the text are kept."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0.0
        for unit in units(paragraph):
            unit_width = pdfmetrics.stringWidth(unit, font, size)
            if unit.isspace():
                if line:
                    line, used = line + unit, used + unit_width
                continue
            if used + unit_width <= width or not line.strip():
                if unit_width > width and not line.strip():
                    # Wider than a whole line by itself: cut it where it must be cut.
                    for character in unit:
                        step = pdfmetrics.stringWidth(character, font, size)
                        if line and used + step > width:
                            lines.append(line.rstrip())
                            line, used = "", 0.0
                        line, used = line + character, used + step
                    continue
                line, used = line + unit, used + unit_width
            else:
                lines.append(line.rstrip())
                line, used = unit, unit_width
        lines.append(line.rstrip())
    return lines


class CJKParagraph(Flowable):
    """A paragraph of plain text (escaped here) broken into lines by ``break_lines`` for the
    width it is given, then drawn by reportlab's Paragraph."""

    def __init__(self, text: str, style: ParagraphStyle):
        super().__init__()
        self.text, self.style = text, style
        self._paragraph = None
        # Each width's paragraph and size: a table asks each cell's size several times for the
        # same width (measuring, splitting across pages, drawing), and laying one out again
        # (break, escape, parse the markup) was a third of the PDF's time.
        self._wrapped = {}

    def _lay_out(self, width):
        inner = width - self.style.leftIndent - self.style.rightIndent
        lines = break_lines(self.text, self.style.fontName, self.style.fontSize, inner)
        self._paragraph = Paragraph("<br/>".join(escape(line) for line in lines), self.style)

    def wrap(self, availWidth, availHeight):
        # A paragraph's lines depend on the width only, not on the height left.
        if availWidth not in self._wrapped:
            self._lay_out(availWidth)
            size = self._paragraph.wrap(availWidth, availHeight)
            self._wrapped[availWidth] = (self._paragraph, size)
        self._paragraph, (self.width, self.height) = self._wrapped[availWidth]
        return self.width, self.height

    def split(self, availWidth, availHeight):
        self._lay_out(availWidth)
        return self._paragraph.split(availWidth, availHeight)

    def draw(self):
        self._paragraph.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self):
        return self.style.spaceBefore

    def getSpaceAfter(self):
        return self.style.spaceAfter

    def minWidth(self):
        return pdfmetrics.stringWidth("国国", self.style.fontName, self.style.fontSize)


# Text and fonts


def _font_name() -> str:
    """A Chinese font embedded in the PDF (a subset), else Adobe's built-in CID font, which
    every PDF reader with its Asian font pack shows."""
    path = Path(settings.REPORT_FONT_PATH)
    if path.exists():
        if "PortalCJK" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("PortalCJK", str(path), subfontIndex=0))
        return "PortalCJK"
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _text(value) -> str:
    """A value as the PDF writes it: money as ¥1,234.50 (as the XLSX shows it), counts with
    thousands separators, dates in the reader's format."""
    if isinstance(value, Yuan):
        return yuan_sign(value)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return figure(value)
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return "" if value is None else str(value)


def _paragraph(value, style: ParagraphStyle) -> CJKParagraph:
    """A paragraph showing ``value`` as text. reportlab reads a paragraph as markup: a record
    titled ``a<b`` would fail the whole PDF, ``<img src>`` would embed a file of the server and
    ``<a href>`` put a live link in the official report; ``CJKParagraph`` escapes every line."""
    return CJKParagraph(_text(value), style)


def _styles(font: str) -> dict:
    def style(name, **kwargs):
        return ParagraphStyle(name, fontName=font, **kwargs)

    return {
        "title": style("title", fontSize=18, leading=24, spaceAfter=4, textColor=INK),
        "meta": style("meta", fontSize=10, leading=14, textColor=MUTED),
        "note": style("note", fontSize=9, leading=13, textColor=MUTED, spaceBefore=2),
        "heading": style(
            "heading", fontSize=13, leading=18, spaceBefore=10, spaceAfter=4, textColor=INK
        ),
        "cell": style("cell", fontSize=9, leading=12),
        "number": style("number", fontSize=9, leading=12, alignment=2),
        "header": style("header", fontSize=9, leading=12, textColor=INK),
        "stat_label": style("stat_label", fontSize=8, leading=11, textColor=MUTED),
        "stat_value": style("stat_value", fontSize=13, leading=17, textColor=INK),
        "stat_note": style("stat_note", fontSize=7.5, leading=10, textColor=MUTED),
    }


# The document


def render_pdf(summary: dict, tables: list[ReportTable]) -> bytes:
    font = _font_name()
    styles = _styles(font)
    head = heading(summary)
    story = [_paragraph(head["title"], styles["title"])]
    story += [_paragraph(head[key], styles["meta"]) for key in ("scope", "period", "generated")]
    if head["note"]:
        story.append(_paragraph(head["note"], styles["note"]))
    story.append(Spacer(1, 3 * mm))
    story.append(_paragraph(_("Headline figures"), styles["heading"]))
    story.append(_headline(summary, styles))
    for table in tables:
        if table.rows:
            story += _section(table, styles, font)

    def on_page(canvas, document):
        # The committee (or branch) and the period on every page, forwarded page by page.
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(MUTED)
        top = A4[1] - 10 * mm
        canvas.drawString(MARGIN, top, _cut(head["scope"], font, 8, WIDTH * 0.55))
        canvas.drawRightString(A4[0] - MARGIN, top, head["period"])
        canvas.drawString(MARGIN, 10 * mm, head["title"])
        canvas.drawRightString(
            A4[0] - MARGIN, 10 * mm, _("Page %(number)d") % {"number": document.page}
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=head["title"],
        author=summary["committee"].name if summary["committee"] else head["scope"],
        subject=head["scope"],
    )
    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def _headline(summary: dict, styles: dict) -> Table:
    """The figures the report leads with, each with the same period a year before: one row
    of boxes, as on the page."""
    now, before = summary["headline"], summary["headline_year_before"]

    def box(label, value, formatted, earlier=None, note=""):
        cells = [
            _paragraph(label, styles["stat_label"]),
            _paragraph(formatted(value), styles["stat_value"]),
        ]
        if note:
            cells.append(_paragraph(note, styles["stat_note"]))
        if before is not None:
            text = _("a year before: %(figure)s") % {"figure": formatted(earlier(before))}
            cells.append(_paragraph(text, styles["stat_note"]))
        return cells

    def count(value):
        return figure(value)

    boxes = [
        box(
            _("Members' own money"),
            now["money"]["members_own"],
            yuan_sign,
            lambda b: b["money"]["members_own"],
            wan(now["money"]["members_own"])
            and _("about %(short)s") % {"short": wan(now["money"]["members_own"])},
        ),
        box(
            _("Members who gave"),
            now["money"]["member_donors"],
            count,
            lambda b: b["money"]["member_donors"],
        ),
        box(
            _("Members who gave blood"),
            now["blood"]["donors"],
            count,
            lambda b: b["blood"]["donors"],
        ),
        box(
            _("Members posted"),
            now["volunteers"]["people"],
            count,
            lambda b: b["volunteers"]["people"],
        ),
        box(
            _("Hours confirmed by staff"),
            now["volunteers"]["confirmed_hours"],
            count,
            lambda b: b["volunteers"]["confirmed_hours"],
            _("of %(figure)s logged") % {"figure": figure(now["volunteers"]["hours"])},
        ),
        box(
            _("Suggestions received"),
            now["suggestions"]["received"],
            count,
            lambda b: b["suggestions"]["received"],
            _("%(forwarded)s forwarded, %(adopted)s adopted")
            % {
                "forwarded": figure(now["suggestions"]["forwarded"]),
                "adopted": figure(now["suggestions"]["adopted"]),
            },
        ),
    ]
    grid = Table([boxes[:3], boxes[3:]], colWidths=[WIDTH / 3] * 3, hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#F3F6FA")),
                ("LINEBELOW", (0, 0), (-1, 0), 4, colors.white),
                ("LINEAFTER", (0, 0), (-2, -1), 4, colors.white),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return grid


# A table of at most this many rows is kept on one page with its heading and chart; a longer
# one starts where at least its first rows fit, and runs on over the next page.
KEEP_TOGETHER_ROWS = 12
FIRST_ROWS_HEIGHT = 40 + 5 * 18  # a heading and five rows


def _section(table: ReportTable, styles: dict, font: str) -> list:
    """A table's heading, chart and table: on one page when they fit on one."""
    parts = [_paragraph(table.title, styles["heading"])]
    if table.chart:
        parts.append(_pdf_chart(table, font))
    parts.append(_pdf_table(table, styles))
    if len(table.rows) <= KEEP_TOGETHER_ROWS:
        return [KeepTogether(parts)]
    chart_height = parts[1].height if table.chart else 0
    return [CondPageBreak(FIRST_ROWS_HEIGHT + chart_height), *parts]


def _pdf_table(table: ReportTable, styles: dict) -> Table:
    # Figures and dates are never wrapped: their columns are as wide as they need.
    unbroken = [
        all(_is_number(row[column]) or _is_date(row[column]) for row in table.rows)
        for column in range(len(table.headers))
    ]
    data = [[_paragraph(header, styles["header"]) for header in table.headers]]
    for row in table.rows:
        data.append(
            [
                _paragraph(cell, styles["number"] if _is_number(cell) else styles["cell"])
                for cell in row
            ]
        )
    widths = _column_widths(table, unbroken, styles["cell"])
    grid = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF6")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#C9CED6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F7F9FC")]),
                # Never a header alone at a page's foot, nor a last row alone on a new page.
                ("NOSPLIT", (0, 0), (-1, min(1, len(data) - 1))),
                ("NOSPLIT", (0, max(len(data) - 2, 0)), (-1, -1)),
            ]
        )
    )
    return grid


def _is_number(value) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _is_date(value) -> bool:
    return isinstance(value, datetime.date)


PADDING = 16  # a cell's left and right padding (6 each), and a little air


def _column_widths(table: ReportTable, unbroken: list[bool], style: ParagraphStyle) -> list:
    """Widths filling the page: a column of figures or dates (``unbroken``) as wide as its
    widest; the text columns share what is left: each short one as wide as it needs (no name
    wraps for a long text beside it), the long ones the rest in proportion to their text."""
    font, size = style.fontName, style.fontSize

    def widest(column):
        return max(
            [pdfmetrics.stringWidth(_text(row[column]), font, size) for row in table.rows]
            + [pdfmetrics.stringWidth(table.headers[column][:4], font, size)]
        )

    natural = [widest(column) + PADDING for column in range(len(table.headers))]
    widths = list(natural)
    left = max(WIDTH - sum(w for w, whole in zip(natural, unbroken, strict=True) if whole), 0)
    long = [column for column, whole in enumerate(unbroken) if not whole]
    if not long:
        return widths
    # A column needing no more than an even share of what is left keeps its own width.
    while True:
        fair = left / len(long)
        short = [column for column in long if natural[column] <= fair]
        if not short or len(short) == len(long):
            break
        for column in short:
            left -= natural[column]
            long.remove(column)
    wanted = sum(natural[column] for column in long)
    for column in long:
        widths[column] = max(left * natural[column] / wanted, 2 * size + PADDING)
    return widths


def _cut(text: str, font: str, size: float, width: float) -> str:
    """``text``, cut with "…" to fit ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _axis_figure(value: float) -> str:
    # repr: the float's shortest form (0.1, not 0.1000000000000000055…).
    return figure(Decimal(repr(value)))


LABEL_WIDTH = 58 * mm
AXIS_SPACE = 16  # points under the bars for the value axis' labels


def _pdf_chart(table: ReportTable, font: str) -> Drawing:
    """Horizontal bars for the table's first rows: labels cut with "…" to their column, the
    value axis under the bars with thousands separators, each bar's figure at its end."""
    label_column, value_column = table.chart
    rows = table.rows[:CHART_ROWS]
    # Labels are drawn as plain strings, not markup: they need no escaping (it would show).
    labels = [_cut(str(row[label_column]), font, 8, LABEL_WIDTH - 6) for row in rows]
    values = [float(row[value_column] or 0) for row in rows]
    bars_height = 18 * len(values)
    drawing = Drawing(WIDTH, bars_height + AXIS_SPACE + 6)
    chart = HorizontalBarChart()
    chart.x, chart.y = LABEL_WIDTH, AXIS_SPACE
    chart.width, chart.height = WIDTH - LABEL_WIDTH - 30 * mm, bars_height
    chart.data = [values]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.reverseDirection = True  # the first row on top, as in the table
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = _axis_figure
    chart.valueAxis.forceZero = True
    if max(values, default=0) == 0:
        chart.valueAxis.valueMax = 1
    chart.barLabelFormat = amount
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.bars[0].fillColor = INK
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    return drawing
