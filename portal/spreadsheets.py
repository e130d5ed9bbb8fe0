"""Spreadsheets in and out: how every CSV and XLSX of the portal is written, made formula-safe
and read back. The admin's exports and import templates, the report's tables and its detail
exports all write through here; nothing else writes a CSV or an XLSX cell.

Writing
- CSV (``csv_cell``): text a spreadsheet would run as a formula (= + - @, tab, CR) gets an
  apostrophe in front (``neutralise_formula``); an import takes it off again
  (``restore_neutralised``), so an exported file re-imports unchanged.
- XLSX (``xlsx_cell``, ``write_cell``): a cell is typed, so text is stored as text and shown as it
  is, with no apostrophe: openpyxl would take text starting with "=" for a formula, so the cell
  is marked text, and "quotePrefix" keeps it text when someone edits it in Excel. The control
  characters XML cannot hold are shown as �. The XLSX reader gives such text back as the CSV
  reader would (``SafeXLSX.create_dataset``), so the import's one rule restores it exactly.
- Number formats and widths for people who read Chinese (``number_format``, ``display_width``):
  ¥ and thousands for money (a column whose header says 元 or yuan, or a ``Yuan``), whole
  numbers without decimals (never "#,##0.##", which shows 228 as "228."), a Chinese character
  counted twice in a column's width.
- One CSV writer, ``csv_chunks``: UTF-8 with a BOM (so Excel reads Chinese right), in pieces, so
  a long export streams. One XLSX writer for tables, ``xlsx_file``: openpyxl's write-only
  workbook into a temporary file, continuing on further sheets past Excel's row limit, each with
  its frozen header, widths, formats and A4 page setup: the detail exports and the admin's
  (``SafeXLSX``) both. The report's summary workbook (styles, charts) is drawn by
  reports/renderers.py, each cell by ``write_cell``.

Reading
- CSV is read as bytes and decoded as UTF-8 (with or without BOM) or, failing that, GB18030 (a
  superset of GBK), which is what Chinese Excel saves.
- A file is refused past the import's limits; blank rows are skipped.
- An import is all-or-nothing: any row with an error or a validation error rolls back the whole
  file, in the preview and at confirmation alike (portal/resources.py).
"""

import csv
import datetime
import io
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import chain, islice

import openpyxl
import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# The formula rule

# OWASP's list. defusedcsv (which pretix uses) was weighed and left out (docs/decisions.md): it
# misses tab and CR, leaves "'=1" as it is (an import would give back "=1") and writes | as \|.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Text that a spreadsheet would run as a formula, with an apostrophe in front. So does text
    that already reads as neutralised (apostrophes, then = + - @ …), so that
    ``restore_neutralised`` gives back exactly what was exported: a name ``'=1`` comes back
    ``'=1``, not ``=1``."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore_neutralised(value):
    """What ``neutralise_formula`` was given: an import reads each cell through this."""
    if isinstance(value, str) and value[:1] == "'" and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


def csv_cell(value):
    """A value as a CSV cell: blank for None, numbers as they are, anything else as neutralised
    text (a date as 2020-02-01)."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    return neutralise_formula(str(value))


def xlsx_cell(value):
    """A value as an XLSX cell holds it: the control characters XML cannot hold shown as �
    (openpyxl refuses the whole workbook for one of them); text otherwise as it is, and
    numbers and dates typed. Put it in a cell with ``write_cell``, which keeps text text."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
    return value


def write_cell(cell, value, number_format: str | None = None):
    """``value`` in ``cell`` (a sheet's cell or a write-only sheet's ``WriteOnlyCell``), text as
    text: openpyxl takes text starting with "=" for a formula and "#N/A" for an error, so the
    cell is marked text; one that starts like a formula also gets "quotePrefix", which Excel
    keeps as text when the cell is edited. Numbers get ``number_format`` or their own."""
    cell.value = xlsx_cell(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif number_format or (fmt := _number_format(value)):
        cell.number_format = number_format or fmt
    return cell


# Formats and widths

YUAN_FORMAT = '"¥"#,##0.00'
COUNT_FORMAT = "#,##0"
# A quantity with decimals (2.5 斤, 8.5 hours): up to two, never a bare point.
DECIMAL_FORMAT = "#,##0.0#"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# A money column's header: 金额（元）, 估值(元), Amount (yuan).
MONEY_HEADER = re.compile(r"[（(]\s*(元|yuan)\s*[)）]\s*$", re.IGNORECASE)


def is_money_header(header) -> bool:
    return bool(MONEY_HEADER.search(str(header or "")))


def _number_format(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime.datetime):
        return DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return DATE_FORMAT
    if isinstance(value, int):
        return COUNT_FORMAT
    if isinstance(value, Decimal | float):
        return COUNT_FORMAT if value == int(value) else DECIMAL_FORMAT
    return None


def number_format(value, *, money: bool = False) -> str | None:
    """The format a number reads best in: ¥ and two decimals for money, thousands and no
    decimals for whole numbers, up to two decimals otherwise; dates as 2020-02-05."""
    if money and isinstance(value, int | Decimal | float) and not isinstance(value, bool):
        return YUAN_FORMAT
    return _number_format(value)


def display_width(value) -> int:
    """How many columns ``value`` takes in a spreadsheet's default font: a Chinese (wide)
    character two, any other one."""
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    text = f"{value:,}" if isinstance(value, int | Decimal) else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


MIN_WIDTH, MAX_WIDTH = 8, 60


def column_widths(headers, rows) -> list[float]:
    """Widths that fit the headers and ``rows`` (Chinese counted double), with a margin; at most
    60 (longer text wraps in the cell)."""
    widths = [display_width(header) for header in headers]
    for row in rows:
        for index, value in enumerate(list(row)[: len(widths)]):
            width = display_width(value)
            if isinstance(value, int | Decimal | float):
                width += 4  # a ¥ and cents the format adds (¥12,345.50 for 12345.5)
            widths[index] = max(widths[index], width)
    return [min(max(MIN_WIDTH, width + 2), MAX_WIDTH) for width in widths]


def print_setup(sheet, *, title_row: int = 1) -> None:
    """A4 portrait, as wide as the page (as many pages down as it takes), the header row
    repeated on every page."""
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{title_row}:{title_row}"


# Writing

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_MAX_ROWS = 1_048_576
# The CSV goes out in pieces of about this many characters.
CSV_CHUNK = 64 * 1024


def csv_chunks(headers: Iterable, rows: Iterable[Iterable]) -> Iterator[bytes]:
    """The CSV of ``headers`` and ``rows``, every cell through ``csv_cell``, as UTF-8 with a BOM,
    in pieces: rows are read only as the pieces are taken, so memory does not grow with them."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    yield "\ufeff".encode()
    writer.writerow([csv_cell(header) for header in headers])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
        if buffer.tell() > CSV_CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def csv_bytes(headers: Iterable, rows: Iterable[Iterable]) -> bytes:
    return b"".join(csv_chunks(headers, rows))


def sheet_title(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the book."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31].strip() or "Sheet"
    candidate, number = clean, 2
    while candidate in used:
        suffix = f" ({number})"
        candidate, number = clean[: 31 - len(suffix)] + suffix, number + 1
    return candidate


# Columns are as wide as the headers and this many first rows need: the rows stream, so the
# widths (written before any row) cannot wait for the last one.
WIDTH_SAMPLE = 200


def xlsx_file(title: str, headers: list, rows: Iterable[Iterable], max_rows=EXCEL_MAX_ROWS):
    """The XLSX of ``headers`` and ``rows``, every cell through ``write_cell``, in a temporary
    file read from its start (closing it deletes it). Each sheet has its header bold and frozen,
    columns as wide as the first rows need (``column_widths``), ¥ on money columns
    (``is_money_header``) and an A4 page setup.

    openpyxl's write-only workbook keeps no sheet in memory, so memory does not grow with the
    rows. A sheet holds at most ``max_rows`` rows, its headers included; more continue on further
    sheets, "title (2)" and on, each with the headers.
    """
    book = openpyxl.Workbook(write_only=True)
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    widths = column_widths(headers, sample)
    money = [is_money_header(header) for header in headers]
    bold = Font(bold=True)
    used, sheet, written = set(), None, max_rows

    def new_sheet():
        sheet = book.create_sheet(sheet_title(title, used))
        used.add(sheet.title)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        print_setup(sheet)
        sheet.append([_header_cell(sheet, header, bold) for header in headers])
        return sheet

    for row in chain(sample, rows):
        if written >= max_rows:
            sheet = new_sheet()
            written = 1
        sheet.append(
            [
                write_cell(
                    WriteOnlyCell(sheet),
                    value,
                    number_format(value, money=index < len(money) and money[index]),
                )
                for index, value in enumerate(row)
            ]
        )
        written += 1
    if sheet is None:
        new_sheet()
    stored = tempfile.TemporaryFile()  # noqa: SIM115 (the caller closes it)
    book.save(stored)
    stored.seek(0)
    return stored


def _header_cell(sheet, header, font):
    cell = write_cell(WriteOnlyCell(sheet), header)
    cell.font = font
    return cell


# Reading


def decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("The file is neither UTF-8 nor GBK/GB18030 text."))


class FileTooLarge(ValueError):
    """A file beyond the import's limits (IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS), said in words."""


def blank(row) -> bool:
    return not any(cell is not None and str(cell).strip() for cell in row)


def limited_rows(rows):
    """The rows, as lists, refusing a file with more records or columns than one import takes.

    Reading stops at the first row past the limit, so a file of a million rows costs no more than
    one just over it. Blank rows (Excel keeps formatted empty ones) do not count, up to a bound.
    """
    max_rows, max_columns = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS
    kept, filled = [], 0
    for number, row in enumerate(rows, start=1):
        row = list(row)
        while row and (row[-1] is None or not str(row[-1]).strip()):
            row.pop()
        if len(row) > max_columns:
            raise FileTooLarge(
                _(
                    "Row %(row)d has more than %(limit)d columns, the most one import takes. "
                    "Delete the columns that are not in the template."
                )
                % {"row": number, "limit": max_columns}
            )
        if not blank(row):
            filled += 1
        # The headers are one row; more than ten blank rows per record is no real sheet.
        if filled > max_rows + 1 or number > 10 * (max_rows + 1):
            raise FileTooLarge(
                _(
                    "The file has more than %(limit)d rows of records, the most one import "
                    "takes. Split it into smaller files."
                )
                % {"limit": max_rows}
            )
        kept.append(row)
    return kept


def rows_to_dataset(rows) -> tablib.Dataset:
    """The first row gives the headers; blank rows (Excel keeps formatted empty ones) are left out
    and every row is cut or padded to the headers' width."""
    rows = limited_rows(rows)
    dataset = tablib.Dataset()
    # The headers are the first row with anything in it (Excel may keep blank rows above).
    while rows and blank(rows[0]):
        rows = rows[1:]
    if not rows:
        return dataset
    dataset.headers = [str(header).strip() if header is not None else "" for header in rows[0]]
    width = len(rows[0])
    for row in rows[1:]:
        if not blank(row):
            dataset.append((list(row) + [None] * width)[:width])
    return dataset


class ChineseCSV(base_formats.CSV):
    """The admin's CSV: UTF-8 (BOM or not) or GBK/GB18030 in; ``csv_chunks`` out."""

    def get_title(self):
        return "csv"

    def is_binary(self):
        # Read bytes so that we, not a fixed setting, choose the encoding.
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        text = decode_csv(in_stream) if isinstance(in_stream, bytes) else in_stream
        return rows_to_dataset(csv.reader(io.StringIO(text, newline="")))

    def export_data(self, dataset, **kwargs):
        return csv_bytes(dataset.headers, dataset)


class SafeXLSX(base_formats.XLSX):
    """The admin's XLSX, written by ``xlsx_file`` (the sheet named for the records, not tablib's
    "Tablib Dataset"); numbers stay numbers."""

    def get_title(self):
        return "xlsx"

    def export_data(self, dataset, **kwargs):
        with xlsx_file(dataset.title or _("Records"), dataset.headers or [], dataset) as stored:
            return stored.read()

    def create_dataset(self, in_stream):
        # data_only: a formula cell gives its last computed value, never the formula.
        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            # One column past the limit is read, to see whether anything lies beyond it.
            columns = settings.IMPORT_MAX_COLUMNS + 1
            rows = book.active.iter_rows(max_col=columns, values_only=True)
            return rows_to_dataset(_as_csv_text(row) for row in rows)
        finally:
            book.close()


def _as_csv_text(row):
    """An XLSX row's text as a CSV would hold it (text that reads as a formula neutralised):
    an XLSX cell's text is literal, and the import restores every cell by the CSV rule."""
    return [neutralise_formula(value) for value in row]


SPREADSHEET_FORMATS = [SafeXLSX, ChineseCSV]
