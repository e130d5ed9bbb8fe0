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
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export import resources
from import_export.formats import base_formats
from import_export.results import Result
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


class SpreadsheetResult(Result):
    def row_errors(self):
        # Rows as the spreadsheet numbers them: the headers are row 1, the first record row 2.
        return [(i + 2, row.errors) for i, row in enumerate(self.rows) if row.errors]


class SpreadsheetResource(resources.ModelResource):
    """Base of every import/export resource: scoped to the user's branches, all-or-nothing.

    ``scope_queryset`` is given by the admin (its scoped change list queryset), so an import can
    only update records the user may change and an export holds only rows they may see.
    """

    # Excel stores a text cell typed as digits (a phone, a member number) as a number.
    TEXT_COLUMNS_TYPED_AS_NUMBERS = ()

    def __init__(self, scope_queryset=None, branch_queryset=None, member_queryset=None, **kwargs):
        super().__init__(**kwargs)
        self.scope_queryset = scope_queryset
        # The branches and members a file may name: the user's (None: all, outside the admin).
        self.branch_queryset = branch_queryset
        self.member_queryset = member_queryset

    # The column of a record's number (its id), when a file may update records by it: blank adds
    # a record; a number must be one of the user's records, any other is "not found" alike.
    record_number_column = None

    def get_instance(self, instance_loader, row):
        if self.record_number_column is None:
            return super().get_instance(instance_loader, row)
        number = row.get(self.record_number_column)
        if number in (None, ""):
            return None
        try:
            pk = int(str(number).strip().removesuffix(".0"))
        except ValueError:
            raise ValidationError(
                {self.record_number_column: [_("Enter a whole number.")]}
            ) from None
        instance = self.get_queryset().filter(pk=pk).first()
        if instance is None:
            raise ValidationError(
                {
                    self.record_number_column: [
                        _("No record %(number)s in your branches.") % {"number": pk}
                    ]
                }
            )
        return instance

    def get_queryset(self):
        if self.scope_queryset is not None:
            return self.scope_queryset
        return super().get_queryset()

    def get_result_class(self):
        return SpreadsheetResult

    def import_data(self, dataset, *args, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        result = super().import_data(dataset, *args, **kwargs)
        # Name rows as the spreadsheet does, where the headers are row 1.
        for row in result.invalid_rows:
            row.number += 1
        return result

    def before_import_row(self, row, **kwargs):
        for key, value in row.items():
            # An empty XLSX cell is None; the model's text fields want "".
            value = "" if value is None else value
            # Strip before restoring, so that a neutralised cell comes back exactly as exported.
            row[key] = restore_neutralised(value.strip() if isinstance(value, str) else value)
        # PostgreSQL stores no NUL character: name its column rather than fail on saving.
        bad = [key for key, value in row.items() if isinstance(value, str) and "\x00" in value]
        if bad:
            raise ValidationError(
                {
                    key: [_("This cell holds a NUL character, which no record may hold.")]
                    for key in bad
                }
            )
        for column in self.TEXT_COLUMNS_TYPED_AS_NUMBERS:
            if isinstance(row.get(column), int | float):
                row[column] = str(int(row[column]))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Validate like a ModelForm of the file's columns: the model's rules and constraints, on
        # the fields the file can set (a constraint on a derived field such as the consent time,
        # set on save, is left to the database). Errors name the column, as the user knows it.
        errors = dict(import_validation_errors or {})
        columns = {field.attribute: field.column_name for field in self.get_import_fields()}
        exclude = {f.name for f in instance._meta.fields if f.name not in columns} | set(errors)
        try:
            # Constraint errors come back on their field (members.models.FieldConstraintErrors).
            instance.full_clean(exclude=exclude, validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(
                {columns.get(name, name): messages for name, messages in errors.items()}
            )


# import-export's own Chinese for this heading is garbled ("某些行验数据证失败"); naming the string
# here keeps it in our catalogue, whose translation takes precedence.
gettext_noop("Some rows failed to validate")
gettext_noop(
    "No valid data to import. Ensure your file has the correct headers or data for import."
)
