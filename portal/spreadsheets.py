"""Spreadsheet formats and the base resource shared by every import/export in the admin.

- CSV is read as bytes and decoded as UTF-8 (with or without BOM) or, failing that, GB18030 (a
  superset of GBK), which is what Chinese Excel saves; it is written as UTF-8 with a BOM so Excel
  opens Chinese correctly.
- Exports neutralise cells that a spreadsheet would run as a formula (= + - @, tab, CR) by
  prefixing an apostrophe; imports take that apostrophe off again, so a file round-trips.
- An import is all-or-nothing: any row with an error or a validation error rolls back the whole
  file, in the preview and at confirmation alike.
"""

import csv
import io

import openpyxl
import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Text that a spreadsheet would run as a formula, with an apostrophe in front. So does text
    that already reads as neutralised (apostrophes, then = + - @ …), so that
    ``restore_neutralised`` gives back exactly what was exported: a name ``'=1`` comes back
    ``'=1``, not ``=1``."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_cell(value):
    """A value as an XLSX cell takes it: text neutralised, and the control characters XML cannot
    hold shown as � (openpyxl refuses the whole workbook for one of them)."""
    if isinstance(value, str):
        return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value))
    return value


def restore_neutralised(value):
    if isinstance(value, str) and value[:1] == "'" and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


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
    """CSV in UTF-8 (BOM or not) or GBK/GB18030 in; UTF-8 with BOM out."""

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
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(dataset.headers)
        for row in dataset:
            writer.writerow([neutralise_formula(cell) for cell in row])
        return buffer.getvalue().encode("utf-8-sig")


class SafeXLSX(base_formats.XLSX):
    """XLSX whose text cells are formula-neutralised (``xlsx_cell``); numbers stay numbers."""

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
