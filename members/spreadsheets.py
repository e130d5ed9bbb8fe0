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

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources
from import_export.formats import base_formats

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore_neutralised(value):
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("The file is neither UTF-8 nor GBK/GB18030 text."))


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
        rows = list(csv.reader(io.StringIO(text)))
        dataset = tablib.Dataset()
        if rows:
            dataset.headers = [header.strip() for header in rows[0]]
            for row in rows[1:]:
                if any(cell.strip() for cell in row):
                    dataset.append((row + [""] * len(rows[0]))[: len(rows[0])])
        return dataset

    def export_data(self, dataset, **kwargs):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(dataset.headers)
        for row in dataset:
            writer.writerow([neutralise_formula(cell) for cell in row])
        return buffer.getvalue().encode("utf-8-sig")


class SafeXLSX(base_formats.XLSX):
    """XLSX whose text cells are formula-neutralised; numbers stay numbers."""

    def get_title(self):
        return "xlsx"

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            safe.append([neutralise_formula(cell) for cell in row])
        return super().export_data(safe, **kwargs)

    def create_dataset(self, in_stream):
        dataset = super().create_dataset(in_stream)
        dataset.headers = [str(h).strip() if h is not None else "" for h in dataset.headers]
        return dataset


SPREADSHEET_FORMATS = [SafeXLSX, ChineseCSV]


class SpreadsheetResource(resources.ModelResource):
    """Base of every import/export resource: scoped to the user's branches, all-or-nothing.

    ``scope_queryset`` is given by the admin (its scoped change list queryset), so an import can
    only update records the user may change and an export holds only rows they may see.
    """

    def __init__(self, scope_queryset=None, **kwargs):
        super().__init__(**kwargs)
        self.scope_queryset = scope_queryset

    def get_queryset(self):
        if self.scope_queryset is not None:
            return self.scope_queryset
        return super().get_queryset()

    def import_data(self, dataset, *args, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, *args, **kwargs)

    def before_import_row(self, row, **kwargs):
        for key in list(row.keys()):
            value = restore_neutralised(row[key])
            row[key] = value.strip() if isinstance(value, str) else value

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Run model validation including constraints, so a duplicate or a broken rule is reported
        # on its row with the field's name instead of failing at the database.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=errors.keys(), validate_unique=validate_unique)
        except ValidationError as error:
            errors.update(error.update_error_dict({}))
        if errors:
            raise ValidationError(errors)
