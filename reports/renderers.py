"""The summary's heading and its spreadsheet downloads: CSV (one per table) and XLSX (a summary
sheet and one per table, with native charts, printable). Each renders the tables of
``reports.datasets`` and nothing else, so every format gives the same figures; the PDF
(reports/pdf.py) and the Word briefing (reports/briefing.py) take the same heading.
"""

import io

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from portal.spreadsheets import (
    column_widths,
    csv_bytes,
    display_width,
    number_format,
    print_setup,
    sheet_title,
    write_cell,
)
from portal.templatetags.portal_format import Yuan
from reports.datasets import CHART_ROWS, ReportTable

BLUE = "1D4E89"


def heading(summary: dict) -> dict:
    """The report's heading, alike on the page and in every file: its title, its scope (and,
    for a branch, which records that scope holds), its period, when it was made."""
    period, branch = summary["period"], summary["branch"]
    if period.start or period.end:
        start = formats.date_format(period.start, "DATE_FORMAT") if period.start else "…"
        end = formats.date_format(period.end, "DATE_FORMAT") if period.end else "…"
        dates = _("Period: %(start)s – %(end)s") % {"start": start, "end": end}
    else:
        dates = _("Period: all records")
    if branch is None:
        top = summary["committee"]
        scope = (
            _("%(committee)s and all its branches") % {"committee": top.name}
            if top
            else _("The committee and all its branches")
        )
        note = ""
    else:
        scope = _("%(branch)s and the branches below it") % {"branch": branch.name}
        note = _(
            "Counts the records of the members of %(branch)s and of the branches below it, "
            "and the suggestions of these branches. Gifts from donors who are not members, "
            "gifts recorded without a member and member enterprises' work belong to no "
            "branch: only the report of the whole committee counts them."
        ) % {"branch": branch.name}
    return {
        "title": _("Summary of campaigns and contributions"),
        "scope": scope,
        "note": note,
        "period": dates,
        "generated": _("Generated %(time)s")
        % {"time": formats.date_format(summary["generated_at"], "DATETIME_FORMAT")},
    }


def title_lines(summary: dict) -> list[str]:
    """The heading as lines: title, scope, its note (a branch's), period, when it was made."""
    head = heading(summary)
    return [
        line
        for line in (head["title"], head["scope"], head["note"], head["period"], head["generated"])
        if line
    ]


# CSV


def render_csv(table: ReportTable) -> bytes:
    return csv_bytes(table.headers, table.rows)


# XLSX

# A4 portrait at the page's width holds at least this many rows of 15 points (fewer when
# scaled down less, never fewer than this): a chart that would not fit below its table on this
# page starts the next one.
XLSX_ROWS_PER_PAGE = 45
XLSX_ROW_CM = 0.53


def render_xlsx(summary: dict, tables: list[ReportTable]) -> bytes:
    """The summary sheet (the heading and the key figures) and one sheet per table, each
    printable: A4, as wide as the page, its header row repeated, no chart cut by a page."""
    book = Workbook()
    cover = book.active
    cover.title = sheet_title(_("Summary"), set())
    lines = title_lines(summary)
    key_figures = tables[0]
    width = len(key_figures.headers)
    # The heading names the branch, whose name is anyone's text.
    for row, line in enumerate(lines, start=1):
        cell = write_cell(cover.cell(row=row, column=1), line)
        cover.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    cover["A1"].font = Font(bold=True, size=14, color=BLUE)
    used = {cover.title}
    _write_table(cover, key_figures, start_row=len(lines) + 2)
    # A long line (a branch's note) wraps over the merged width: as many rows high as it needs.
    total = sum(cover.column_dimensions[get_column_letter(c)].width for c in range(1, width + 1))
    for row, line in enumerate(lines, start=1):
        cover.row_dimensions[row].height = 15 * -(-display_width(line) // int(total)) + 3
    cover.row_dimensions[1].height = 22
    for table in tables[1:]:
        sheet = book.create_sheet(sheet_title(table.title, used))
        used.add(sheet.title)
        _write_table(sheet, table, start_row=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_table(sheet, table: ReportTable, *, start_row: int) -> None:
    """The table from ``start_row``: numbers as numbers (¥ for money), headers frozen and
    repeated on every printed page, columns as wide as Chinese needs, and a native bar chart
    under it when the table has one."""
    header_row = start_row
    for column, header in enumerate(table.headers, start=1):
        cell = write_cell(sheet.cell(row=header_row, column=column), header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=BLUE)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for offset, row in enumerate(table.rows, start=1):
        for column, value in enumerate(row, start=1):
            write_cell(
                sheet.cell(row=header_row + offset, column=column),
                value,
                number_format(value, money=isinstance(value, Yuan)),
            )
    # Headers stay in view while scrolling.
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for column, width in enumerate(column_widths(table.headers, table.rows), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    print_setup(sheet, title_row=header_row)
    if table.chart and table.rows:
        _xlsx_chart(sheet, table, header_row)


def _xlsx_chart(sheet, table: ReportTable, header_row: int) -> None:
    """The table's bar chart under it (beside it, the page would be twice as wide and printed
    half as large), on the next printed page when it would not fit on this one."""
    label_column, value_column = table.chart
    shown = min(len(table.rows), CHART_ROWS)
    chart = BarChart()
    chart.type = "bar"
    chart.title = table.title
    chart.legend = None
    chart.height, chart.width = 6 + shown * 0.4, 16
    data = Reference(
        sheet, min_col=value_column + 1, min_row=header_row, max_row=header_row + shown
    )
    labels = Reference(
        sheet, min_col=label_column + 1, min_row=header_row + 1, max_row=header_row + shown
    )
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    last_row = header_row + len(table.rows)
    chart_row = last_row + 2
    if chart_row + chart.height / XLSX_ROW_CM > XLSX_ROWS_PER_PAGE:
        sheet.row_breaks.append(Break(id=chart_row - 1))
    sheet.add_chart(chart, f"A{chart_row}")
