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
  a long export streams. One XLSX writer for tables, ``xlsx_write`` (``xlsx_file`` into a
  temporary file): the sheets' XML written as the rows are read, straight into the zip (no
  workbook library: openpyxl's write-only mode took about 7 times as long), continuing on
  further sheets past Excel's row limit, each with its bold frozen header, widths, formats and A4
  page setup: the detail exports and the admin's (``SafeXLSX``) both. The report's summary
  workbook (styles, charts) is drawn by reports/renderers.py with openpyxl, each cell by
  ``write_cell``.

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
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice

import openpyxl
import tablib
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from portal.templatetags.portal_format import Yuan

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

# The streamed XLSX: the sheets' XML written as the rows come, straight into the zip. Its styles
# are the formats ``number_format`` gives, by index: plain, date, date and time, the bold
# header, ¥ money, a count, a quantity with decimals, and text marked to stay text when edited
# (Excel's "quotePrefix", for text that starts like a formula).
NUMBER_FORMATS = {164: DATE_FORMAT, 165: DATETIME_FORMAT, 166: YUAN_FORMAT, 167: DECIMAL_FORMAT}
CELL_STYLES = ["0", "164", "165", "0 bold", "166", "3", "167", "0 quoted"]
STYLE_OF_FORMAT = {
    DATE_FORMAT: 1,
    DATETIME_FORMAT: 2,
    YUAN_FORMAT: 4,
    COUNT_FORMAT: 5,
    DECIMAL_FORMAT: 6,
}
HEADER_STYLE, QUOTED_STYLE = 3, 7


def _styles_xml() -> str:
    formats = "".join(
        f'<numFmt numFmtId="{number}" formatCode="{_xml_attribute(code)}"/>'
        for number, code in NUMBER_FORMATS.items()
    )
    styles = []
    for style in CELL_STYLES:
        number, _space, extra = style.partition(" ")
        font = ' fontId="1" applyFont="1"' if extra == "bold" else ' fontId="0"'
        quoted = ' quotePrefix="1"' if extra == "quoted" else ""
        applied = ' applyNumberFormat="1"' if number != "0" else ""
        styles.append(
            f'<xf numFmtId="{number}"{font} fillId="0" borderId="0" xfId="0"{applied}{quoted}/>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<numFmts count="{len(NUMBER_FORMATS)}">{formats}</numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        f'</cellStyleXfs><cellXfs count="{len(styles)}">{"".join(styles)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def _sheet_start(widths: list[float]) -> str:
    """A sheet's XML up to its rows: fitted to the page's width, the header row frozen, the
    columns' widths."""
    columns = "".join(
        f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>'
        for index, width in enumerate(widths, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f"{f'<cols>{columns}</cols>' if columns else ''}<sheetData>"
    )


# A4 (paper size 9) portrait, one page wide and as many down as it takes (``print_setup``).
SHEET_END = (
    '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
    'footer="0.3"/><pageSetup paperSize="9" orientation="portrait" fitToWidth="1" '
    'fitToHeight="0"/></worksheet>'
)
EPOCH = datetime.date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug included)


def _xml_text(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A reader turns a raw CR into a line feed (XML's line-end rule); a reference keeps it.
    text = text.replace("\r", "&#13;")
    if text[:1].isspace() or text[-1:].isspace():
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"


def _styled(value, money: bool) -> str:
    style = STYLE_OF_FORMAT.get(number_format(value, money=money))
    return f' s="{style}"' if style else ""


def _xlsx_cell_xml(value, money: bool = False, text_style: str = "") -> str:
    """One cell's XML, the value through ``xlsx_cell``: text inline (never a formula; marked to
    stay text when it starts like one), numbers and dates typed and formatted as
    ``number_format`` says, an empty cell as ``<c/>`` (cells carry no reference, so each takes
    the next column)."""
    kind = type(value)
    if kind is str:
        if not value:
            return "<c/>"
        if not text_style and value.startswith(FORMULA_STARTS):
            text_style = f' s="{QUOTED_STYLE}"'
        return f'<c t="inlineStr"{text_style}><is>{_xml_text(xlsx_cell(value))}</is></c>'
    if value is None:
        return "<c/>"
    if kind is bool:
        return f'<c t="b"><v>{int(value)}</v></c>'
    if kind is int or kind is float or kind is Decimal:
        return f"<c{_styled(value, money)}><v>{value}</v></c>"
    if kind is datetime.date:
        return f'<c s="{STYLE_OF_FORMAT[DATE_FORMAT]}"><v>{(value - EPOCH).days}</v></c>'
    if kind is datetime.datetime:
        if value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
        serial = (value - datetime.datetime(1899, 12, 30)).total_seconds() / 86400
        return f'<c s="{STYLE_OF_FORMAT[DATETIME_FORMAT]}"><v>{serial}</v></c>'
    # Subclasses (a choices member, a timezone-aware subclass…) as their base type; anything
    # else (lazy text…) as text.
    if isinstance(value, bool):
        return _xlsx_cell_xml(bool(value))
    if isinstance(value, int):
        return _xlsx_cell_xml(int(value), money)
    if isinstance(value, Decimal):  # a ``Yuan`` is money in any column
        return _xlsx_cell_xml(Decimal(value), money or isinstance(value, Yuan))
    if isinstance(value, float):
        return _xlsx_cell_xml(float(value), money)
    if isinstance(value, datetime.datetime):
        return _xlsx_cell_xml(datetime.datetime.combine(value.date(), value.timetz()))
    if isinstance(value, datetime.date):
        return _xlsx_cell_xml(datetime.date(value.year, value.month, value.day))
    return _xlsx_cell_xml(str(value), money, text_style)


def _xlsx_row(number: int, cells, money: list[bool], text_style: str = "") -> str:
    columns = len(money)
    return (
        f'<row r="{number}">'
        + "".join(
            [
                _xlsx_cell_xml(value, index < columns and money[index], text_style)
                for index, value in enumerate(cells)
            ]
        )
        + "</row>"
    )


def xlsx_write(out, title: str, headers: list, rows: Iterable[Iterable], max_rows=EXCEL_MAX_ROWS):
    """Write the XLSX of ``headers`` and ``rows`` to the file ``out``, streamed: each sheet's XML
    goes into the zip as its rows are read, so neither the rows nor the sheet are ever held in
    memory, and the time is the rows' reading and deflating (several times faster than a
    workbook library writing cell objects). Each sheet has its header bold and frozen, columns
    as wide as the first rows need (``column_widths``), ¥ on money columns
    (``is_money_header``) and an A4 page setup with the header repeated on every page.

    A sheet holds at most ``max_rows`` rows, its headers included; more continue on further
    sheets, "title (2)" and on, each with the headers. Returns the number of rows written."""
    header_cells = [str(header) for header in headers]
    header_style = f' s="{HEADER_STYLE}"'
    rows = iter(rows)
    sample = [list(row) for row in islice(rows, WIDTH_SAMPLE)]
    start = _sheet_start(column_widths(header_cells, sample))
    money = [is_money_header(header) for header in header_cells]
    no_money = [False] * len(header_cells)
    used, names, written, total, sheet = set(), [], max_rows, 0, None

    def new_sheet(book):
        names.append(sheet_title(title, used))
        used.add(names[-1])
        opened = book.open(f"xl/worksheets/sheet{len(names)}.xml", "w", force_zip64=True)
        opened.write(start.encode())
        return opened, [_xlsx_row(1, header_cells, no_money, header_style)]

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        pending = []
        size = 0
        for row in chain(sample, rows):
            if written >= max_rows:
                if sheet is not None:
                    sheet.write("".join(pending).encode() + SHEET_END.encode())
                    sheet.close()
                sheet, pending = new_sheet(book)
                size, written = 0, 1
            written += 1
            total += 1
            line = _xlsx_row(written, row, money)
            pending.append(line)
            size += len(line)
            if size > CSV_CHUNK:
                sheet.write("".join(pending).encode())
                pending, size = [], 0
        if sheet is None:
            sheet, pending = new_sheet(book)
        sheet.write("".join(pending).encode() + SHEET_END.encode())
        sheet.close()
        _write_book_parts(book, names)
    return total


def _write_book_parts(book, names: list[str]) -> None:
    sheets = "".join(
        f'<sheet name="{_xml_attribute(name)}" sheetId="{number}" r:id="rId{number}"/>'
        for number, name in enumerate(names, start=1)
    )
    # Each sheet's header row printed at the top of every page.
    titles = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
        f"{_xml_attribute(quote_sheet_name(name))}!$1:$1</definedName>"
        for index, name in enumerate(names)
    )
    book.writestr(
        "xl/workbook.xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheets}</sheets><definedNames>{titles}</definedNames></workbook>",
    )
    relationships = "".join(
        f'<Relationship Id="rId{number}" Target="worksheets/sheet{number}.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        for number in range(1, len(names) + 1)
    )
    book.writestr(
        "xl/_rels/workbook.xml.rels",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{relationships}<Relationship Id="rId{len(names) + 1}" Target="styles.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>'
        "</Relationships>",
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{number}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for number in range(1, len(names) + 1)
    )
    book.writestr(
        "[Content_Types].xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>',
    )
    book.writestr(
        "_rels/.rels",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.'
        'org/officeDocument/2006/relationships/officeDocument"/></Relationships>',
    )
    book.writestr("xl/styles.xml", _styles_xml())


def quote_sheet_name(name: str) -> str:
    """A sheet's name as a formula refers to it: quoted, its apostrophes doubled."""
    return "'" + name.replace("'", "''") + "'"


def _xml_attribute(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def xlsx_file(title: str, headers: list, rows: Iterable[Iterable], max_rows=EXCEL_MAX_ROWS):
    """The XLSX of ``headers`` and ``rows`` (``xlsx_write``) in a temporary file read from its
    start (closing it deletes it)."""
    stored = tempfile.TemporaryFile()  # noqa: SIM115 (the caller closes it)
    xlsx_write(stored, title, headers, rows, max_rows)
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


class UnreadableFile(ValueError):
    """A file the import refuses, with the reason said in words (shown as it is)."""


class FileTooLarge(UnreadableFile):
    """A file beyond the import's limits (IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS), said in words."""


def blank(row) -> bool:
    return not any(cell is not None and str(cell).strip() for cell in row)


def limited_rows(rows, progress=None):
    """The rows, as lists, refusing a file with more records or columns than one import takes.

    Reading stops at the first row past the limit, so a file of a million rows costs no more than
    one just over it. Blank rows (Excel keeps formatted empty ones) do not count, up to a bound.
    ``progress`` (rows read so far) is called every thousand rows: reading a large XLSX takes
    seconds.
    """
    return list(_limited(rows, progress))


def _limited(rows, progress=None):
    """``limited_rows``, one row at a time (with its number), so that a table is built without
    a second copy of the file's rows."""
    max_rows, max_columns = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS
    filled = 0
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
        if progress is not None and number % 1000 == 0:
            progress(number)
        yield number, row


# Words renamed to the glossary's term (docs/glossary.md), in a header: a file made before the
# rename still imports, its old header read as the new one (会员编号 as 社员编号). Exports and
# templates write the new ones.
RENAMED_HEADERS = {"会员": "社员", "会员编号": "社员编号", "受赠单位": "受赠方"}

# The rows searched for the headers: office sheets put a title, a date or a blank row above them.
HEADER_SEARCH_ROWS = 10


def renamed(header: str) -> str:
    """A header with its old words (``RENAMED_HEADERS``) as the glossary's terms."""
    for old in sorted(RENAMED_HEADERS, key=len, reverse=True):
        header = header.replace(old, RENAMED_HEADERS[old])
    return header


def header_key(header) -> str:
    """A header as it is compared with the known ones: the obvious variants of one column are
    one key. NFKC makes full-width brackets, letters and spaces ASCII (估值（元） = 估值(元));
    spaces anywhere are dropped (社员 编号); old words are read as their terms (``renamed``)."""
    text = unicodedata.normalize("NFKC", str(header if header is not None else ""))
    return renamed(re.sub(r"\s+", "", text)).lower()


def header_names(known_headers) -> dict:
    """Each known header by its key (``header_key``)."""
    return {header_key(header): header for header in known_headers}


def read_headers(row, names: dict | None) -> list[str]:
    """A header row's cells as the import's headers: a known column's variant as the column's
    own header (without ``names``, old words renamed); others stripped, as they are."""
    headers = []
    for cell in row:
        text = str(cell).strip() if cell is not None else ""
        if names is None:
            headers.append(renamed(text))
        else:
            headers.append(names.get(header_key(text), text) if text else "")
    return headers


@dataclass
class Table:
    """A sheet as an import reads it: the headers, and each record row's cells (cut or padded
    to the headers' width) with its number as the spreadsheet shows it (the headers' row is
    counted, and so are blank rows, which are left out). ``sheet`` is the XLSX sheet read;
    ``merged_cells``, how many cells of the records were empty in a merged range and given its
    value."""

    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    sheet: str = ""
    merged_cells: int = 0

    def column(self, header: str) -> list:
        """Every row's cell under ``header`` (an empty list when the file has no such column)."""
        if header not in self.headers:
            return []
        index = self.headers.index(header)
        return [row[index] for row in self.rows if row is not None]


def header_score(row, names: dict) -> int:
    """How many of a row's cells are known headers."""
    return len({names[key] for cell in row if (key := header_key(cell)) and key in names})


def table_of(rows, progress=None, known_headers=None, filled=None) -> Table:
    """The sheet's headers and records. Without ``known_headers``, the first row with anything
    in it gives the headers (Excel may keep blank rows above). With them (the resource's
    columns), the header row is the one of the first ``HEADER_SEARCH_ROWS`` rows with the most
    known headers, so that a title above it ("2021年捐赠登记表") and the group names of a
    two-level header are passed over; a header cell left blank under a merged group takes a
    known header from the cell above. Blank rows below are left out. ``filled`` (row number →
    cells filled from a merged range) counts the merged cells given to records. The one place
    headers are read."""
    table = Table()
    names = header_names(known_headers) if known_headers else None
    rows = _limited(rows, progress)
    top = []  # the first non-blank rows, among which the headers are
    for number, row in rows:
        if not blank(row):
            top.append((number, row))
            if names is None or len(top) == HEADER_SEARCH_ROWS:
                break
    if not top:
        return table
    header_at = 0
    if names is not None:
        scores = [header_score(row, names) for _number, row in top]
        header_at = scores.index(max(scores))
    headers = read_headers(top[header_at][1], names)
    if header_at and names is not None:
        above = read_headers(top[header_at - 1][1], names)
        for index, header in enumerate(headers):
            if not header and index < len(above) and above[index] in known_headers:
                headers[index] = above[index]
    table.headers = headers
    width = len(headers)
    for number, row in chain(top[header_at + 1 :], rows):
        if blank(row):
            continue
        # Cut or padded to the headers' width, in place: no second copy of the rows.
        del row[width:]
        row.extend([None] * (width - len(row)))
        table.rows.append(row)
        table.numbers.append(number)
        if filled:
            table.merged_cells += filled.get(number, 0)
    return table


XLS_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def file_kind(data: bytes) -> str:
    """What a file is by its bytes, whatever its name or the format chosen: "xls" (Excel
    97-2003, an OLE2 file; WPS's .et too), "ods", "xlsx" (a zip with a workbook), or "" (text,
    read as CSV)."""
    if data.startswith(XLS_SIGNATURE):
        return "xls"
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts = set(archive.namelist())
                if "mimetype" in parts and archive.read("mimetype").strip() == ODS_MIMETYPE:
                    return "ods"
                if "xl/workbook.xml" in parts:
                    return "xlsx"
        except zipfile.BadZipFile:
            return ""
    return ""


# The import template's sheet describing its columns (portal/import_templates.py): never the
# sheet of records, though its rows name every column.
NOTES_SHEET = "说明"


def template_sheet_names() -> set[str]:
    """The names the import template's sheet has, in each of the portal's languages."""
    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(str(_("Records")))
    return names


def choose_sheet(book, known_headers, sheet_names):
    """The sheet of records: the only one; else the one named as the template's sheet; else the
    only one whose first rows hold known headers. Any other workbook is refused, naming its
    sheets."""
    sheets = book.worksheets
    if not known_headers:
        return book.active
    if len(sheets) > 1:
        sheets = [sheet for sheet in sheets if sheet.title.strip() != NOTES_SHEET] or sheets
    if len(sheets) == 1:
        return sheets[0]
    for sheet in sheets:
        if sheet.title.strip() in sheet_names:
            return sheet
    names = header_names(known_headers)
    matching = [
        sheet
        for sheet in sheets
        if any(
            header_score(row, names)
            for row in sheet.iter_rows(
                max_row=HEADER_SEARCH_ROWS,
                max_col=settings.IMPORT_MAX_COLUMNS,
                values_only=True,
            )
        )
    ]
    if len(matching) == 1:
        return matching[0]
    raise UnreadableFile(
        _(
            "The file has several sheets (%(sheets)s) and the import cannot tell which holds the "
            "records: name that sheet %(name)s, as in the import template, or delete the others."
        )
        % {
            "sheets": "、".join(sheet.title for sheet in sheets),
            "name": str(_("Records")),
        }
    )


MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+):([A-Z]+[0-9]+)"')


def merged_ranges(sheet) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a read-only sheet (which openpyxl's read-only mode does not give),
    as (first row, first column, last row, last column), from the sheet's ``<mergeCells>``: the
    XML is read in pieces, so a large sheet is never held whole."""
    from openpyxl.utils.cell import coordinate_to_tuple

    ranges, tail = [], b""
    with sheet._get_source() as source:
        while piece := source.read(1 << 20):
            text = tail + piece
            end = 0
            for found in MERGE_CELL.finditer(text):
                first, last = (
                    coordinate_to_tuple(found[1].decode()),
                    coordinate_to_tuple(found[2].decode()),
                )
                ranges.append((first[0], first[1], last[0], last[1]))
                end = found.end()
            tail = text[max(end, len(text) - 200) :]
    return ranges


def fill_merged(rows, ranges, filled: dict):
    """The rows with each merged range's empty cells given its top-left value, as the sheet
    shows them (a 所属组织 merged over a block of rows); ``filled`` counts them by row."""
    waiting = sorted(ranges, reverse=True)  # by first row, the next one last
    active, values = [], {}  # the ranges over the current row; their top-left values
    for number, row in enumerate(rows, start=1):
        row = list(row)
        while waiting and waiting[-1][0] == number:
            active.append(waiting.pop())
        while waiting and waiting[-1][0] < number:  # a range above the first row read
            waiting.pop()
        active = [merged for merged in active if merged[2] >= number]
        for first_row, first_column, _last_row, last_column in active:
            if number == first_row:
                top_left = row[first_column - 1] if first_column <= len(row) else None
                values[(first_row, first_column)] = top_left
            value = values.get((first_row, first_column))
            if value is None or value == "":
                continue
            if len(row) < last_column:
                row.extend([None] * (last_column - len(row)))
            for column in range(first_column, last_column + 1):
                if (number, column) != (first_row, first_column) and row[column - 1] in (None, ""):
                    row[column - 1] = value
                    filled[number] = filled.get(number, 0) + 1
        yield row


def read_table(
    data: bytes, file_format: str, progress=None, *, known_headers=None, sheet_names=()
) -> Table:
    """An uploaded file, XLSX or CSV, as a ``Table``. An Excel 97-2003 or OpenDocument file is
    refused (``UnreadableFile``) whatever format was chosen, and an XLSX chosen as CSV is read
    as XLSX. ``known_headers``: the resource's columns, to find the header row and the sheet
    (``sheet_names``: the template's). An unreadable file raises ValueError (its message says
    why, in the user's language, when we know it) or one of the readers' own errors; a file
    past the limits raises ``FileTooLarge``."""
    kind = file_kind(data)
    if kind == "xls":
        raise UnreadableFile(
            _(
                "This is an Excel 97-2003 (.xls) file: save it as .xlsx (Excel workbook) in "
                "Excel or WPS, then import that file."
            )
        )
    if kind == "ods":
        raise UnreadableFile(
            _(
                "This is an OpenDocument (.ods) spreadsheet: save it as .xlsx (Excel workbook), "
                "then import that file."
            )
        )
    if file_format == "csv" and kind != "xlsx":
        rows = csv.reader(io.StringIO(decode_csv(data), newline=""))
        return table_of(rows, progress, known_headers)
    # data_only: a formula cell gives its last computed value, never the formula.
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = choose_sheet(book, known_headers, set(sheet_names))
        ranges = merged_ranges(sheet)
        filled = {}
        # One column past the limit is read, to see whether anything lies beyond it.
        columns = settings.IMPORT_MAX_COLUMNS + 1
        rows = sheet.iter_rows(max_col=columns, values_only=True)
        rows = fill_merged((_as_csv_text(row) for row in rows), ranges, filled)
        table = table_of(rows, progress, known_headers, filled)
        table.sheet = sheet.title
        return table
    finally:
        book.close()


def rows_to_dataset(rows) -> tablib.Dataset:
    """A ``Table`` as tablib's Dataset, for django-import-export's formats."""
    table = table_of(rows)
    dataset = tablib.Dataset()
    if table.headers:
        dataset.headers = table.headers
    for row in table.rows:
        dataset.append(row)
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
