"""The blank workbook a clerk fills in to import records (the admin's "import template").

Its first sheet, the one an import reads, holds the import's headers alone: every row under them
is imported, so the example row is not there. Columns of digits kept as text (社员编号, 手机,
收据号…) are formatted as text ("@"), so Excel keeps 00123 as 00123 instead of typing it as the
number 123; widths fit the Chinese headers. The second sheet, 说明, describes every column:
required or not, its format, the words it takes, and an example row.
"""

import io

import openpyxl
from django.db.models import NOT_PROVIDED
from django.utils.translation import gettext as _
from import_export import widgets
from openpyxl.styles import Alignment, Font

from portal.resources import ChoiceWordWidget, DateWidget, NumberWidget, YesNoWidget
from portal.spreadsheets import NOTES_SHEET, column_widths, print_setup, write_cell

TEXT_FORMAT = "@"


def _model_field(resource, field):
    attribute = field.attribute or ""
    if not attribute or "__" in attribute:
        return None
    try:
        return resource._meta.model._meta.get_field(attribute)
    except Exception:  # noqa: BLE001 (a column of the resource's own, such as 同意公开签字日期)
        return None


def is_required(resource, field) -> bool:
    """Whether a row must fill the column: the record's field may not be blank and has no
    default (readonly columns only help find a record, and are never required)."""
    if field.column_name in getattr(resource, "template_required", ()):
        return True
    model_field = _model_field(resource, field)
    if field.readonly or model_field is None or model_field.is_relation and model_field.null:
        return False
    return not model_field.blank and model_field.default is NOT_PROVIDED


def column_format(resource, field) -> str:
    widget = field.widget
    if field.column_name in resource.TEXT_COLUMNS_TYPED_AS_NUMBERS:
        return _("Text (the column is formatted as text, so leading zeros stay)")
    if isinstance(widget, DateWidget):
        return _("Date, such as 2020-02-03 or 2020/2/3")
    if isinstance(widget, NumberWidget):
        return _("Whole number") if widget.whole else _("Number, such as 1000.50")
    if isinstance(widget, YesNoWidget):
        return _("是 or 否 (blank: 否)")
    if isinstance(widget, ChoiceWordWidget):
        return _("One of: %(words)s") % {"words": "、".join(widget.words)}
    if isinstance(widget, widgets.ForeignKeyWidget | widgets.ManyToManyWidget):
        return _("A name, as the portal writes it")
    return _("Text")


def template_workbook(resource, headers: list[str]) -> bytes:
    """The import template of ``resource`` (its columns ``headers``, as its export writes
    them), as XLSX bytes."""
    fields = {field.column_name: field for field in resource.get_export_fields()}
    book = openpyxl.Workbook()
    sheet = book.active
    # Named as the import looks for it among several sheets (``template_sheet_names``).
    sheet.title = str(_("Records"))
    for index, header in enumerate(headers, start=1):
        write_cell(sheet.cell(row=1, column=index), header).font = Font(bold=True)
    widths = column_widths(headers, [])
    for index, header in enumerate(headers, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = widths[index - 1] + 2
        if header in resource.TEXT_COLUMNS_TYPED_AS_NUMBERS:
            dimension.number_format = TEXT_FORMAT  # every cell typed in this column
    sheet.freeze_panes = "A2"
    print_setup(sheet)

    notes = book.create_sheet(NOTES_SHEET)
    notes_headers = [_("Column"), _("Required"), _("Format"), _("What to enter"), _("Example")]
    example = getattr(resource, "template_example", {})
    help_texts = getattr(resource, "column_help", {})
    rows = []
    for header in headers:
        field = fields.get(header)
        required = field is not None and is_required(resource, field)
        rows.append(
            [
                header,
                _("Required") if required else _("Optional"),
                column_format(resource, field) if field is not None else _("Text"),
                str(help_texts.get(header, "")),
                example.get(header, ""),
            ]
        )
    for index, header in enumerate(notes_headers, start=1):
        write_cell(notes.cell(row=1, column=index), header).font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            cell = write_cell(notes.cell(row=row_number, column=index), value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if index == 5 and row[0] in resource.TEXT_COLUMNS_TYPED_AS_NUMBERS:
                cell.number_format = TEXT_FORMAT
    ending = len(rows) + 3
    notes.cell(row=ending, column=1).value = _(
        "Fill in the first sheet, one record a row under its headers; the example above is "
        "not imported. Keep the headers as they are."
    )
    for index, width in enumerate(column_widths(notes_headers, rows), start=1):
        notes.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    print_setup(notes)

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
