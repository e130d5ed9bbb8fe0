"""Spreadsheets in and out: how every CSV and XLSX of the portal is written, made formula-safe
and read back. The admin's exports and import templates, the report's tables and its detail
exports all write through here; nothing else writes a CSV or an XLSX cell.

Writing
- One rule (``neutralise_formula``): text a spreadsheet would run as a formula (= + - @, tab,
  CR) gets an apostrophe in front; an import takes it off again (``restore_neutralised``), so an
  exported file re-imports unchanged.
- One helper per format applies the rule to a cell: ``csv_cell`` and ``xlsx_cell`` (which also
  shows as � the control characters XML cannot hold). A renderer passes every value it writes,
  headers included, through its format's helper.
- One CSV writer, ``csv_chunks``: UTF-8 with a BOM (so Excel reads Chinese right), in pieces, so
  a long export streams. One streamed XLSX writer, ``xlsx_file``: openpyxl's write-only workbook
  into a temporary file, continuing on further sheets past Excel's row limit. The report's
  summary workbook (styles, charts) is drawn by reports/renderers.py, each cell by ``xlsx_cell``;
  the admin's XLSX by tablib through ``SafeXLSX``.

Reading
- CSV is read as bytes and decoded as UTF-8 (with or without BOM) or, failing that, GB18030 (a
  superset of GBK), which is what Chinese Excel saves.
- A file is refused past the import's limits; blank rows are skipped.
- An import is all-or-nothing: any row with an error or a validation error rolls back the whole
  file, in the preview and at confirmation alike (portal/resources.py).
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

import openpyxl
import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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
    """A value as an XLSX cell takes it: text neutralised (openpyxl writes any text starting with
    "=" as a formula), and the control characters XML cannot hold shown as � (openpyxl refuses
    the whole workbook for one of them). Numbers and dates stay typed."""
    if isinstance(value, str):
        return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value))
    return value


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


def xlsx_file(title: str, headers: list, rows: Iterable[Iterable], max_rows=EXCEL_MAX_ROWS):
    """The XLSX of ``headers`` and ``rows``, every cell through ``xlsx_cell``, in a temporary file
    read from its start (closing it deletes it).

    openpyxl's write-only workbook keeps no sheet in memory, so memory does not grow with the
    rows. A sheet holds at most ``max_rows`` rows, its headers included; more continue on further
    sheets, "title (2)" and on, each with the headers.
    """
    book = openpyxl.Workbook(write_only=True)
    headers = [xlsx_cell(header) for header in headers]
    used, sheet, written = set(), None, max_rows
    for row in rows:
        if written >= max_rows:
            sheet = book.create_sheet(sheet_title(title, used))
            used.add(sheet.title)
            sheet.append(headers)
            written = 1
        sheet.append([xlsx_cell(cell) for cell in row])
        written += 1
    if sheet is None:
        book.create_sheet(sheet_title(title, used)).append(headers)
    stored = tempfile.TemporaryFile()  # noqa: SIM115 (the caller closes it)
    book.save(stored)
    stored.seek(0)
    return stored


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
    """The admin's XLSX, written by tablib (bold, frozen headers), every cell through
    ``xlsx_cell``; numbers stay numbers."""

    def get_title(self):
        return "xlsx"

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=[xlsx_cell(h) for h in dataset.headers], title=dataset.title)
        for row in dataset:
            safe.append([xlsx_cell(cell) for cell in row])
        return super().export_data(safe, **kwargs)

    def create_dataset(self, in_stream):
        # data_only: a formula cell gives its last computed value, never the formula.
        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            # One column past the limit is read, to see whether anything lies beyond it.
            columns = settings.IMPORT_MAX_COLUMNS + 1
            return rows_to_dataset(book.active.iter_rows(max_col=columns, values_only=True))
        finally:
            book.close()


SPREADSHEET_FORMATS = [SafeXLSX, ChineseCSV]
