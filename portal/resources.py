"""The spreadsheet import/export machinery every app's resources build on: the base resource
(all-or-nothing, rows numbered as the spreadsheet numbers them, errors under the column's header)
and the cells every file has (dates, numbers, choice words, names, yes/no).

Headers and choice words (女, 在册, 是…) are the file format, not user interface: they stay Chinese
whatever the language, so a file exported in English re-imports unchanged. Error messages use
Django's own wording where it fits, so they are translated wherever Django is.
"""

import copy
import datetime
import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import NOT_PROVIDED
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export import resources, widgets

from portal import imports
from portal.spreadsheets import restore_neutralised


def invalid_choice(value):
    return ValueError(
        _("Select a valid choice. %(value)s is not one of the available choices.")
        % {"value": value}
    )


class ChoiceWordWidget(widgets.Widget):
    """A choice written as its Chinese word ("女"); its value or label ("female") is read too.

    A blank cell gives None, so (with ``saves_null_values=False``) it keeps what is on file and a
    new member gets the model's default.
    """

    def __init__(self, words):
        super().__init__(coerce_to_string=False)
        self.words = words

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        for word, choice in self.words.items():
            if text.lower() in {word, choice.value, str(choice.label).lower()}:
                return choice.value
        raise invalid_choice(text)

    def render(self, value, obj=None, **kwargs):
        return next((word for word, choice in self.words.items() if choice == value), "")


class NamedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key by name, looked up only among the rows the user may use.

    An import looks up every name of its column at once (``prepare``, one query per file); a
    name outside the user's scope is answered as one that does not exist: "not a valid choice",
    or ``not_found`` (a message with %(name)s, e.g. "not among your branches"), so nothing is
    told of other branches.
    """

    def __init__(self, model, queryset=None, field="name", not_found=None):
        super().__init__(model, field=field)
        self.scoped_queryset = queryset
        self.not_found = not_found
        self.found = None  # name → the records of that name, once prepared

    def get_queryset(self, value, row, *args, **kwargs):
        if self.scoped_queryset is not None:
            return self.scoped_queryset
        return super().get_queryset(value, row, *args, **kwargs)

    def prepare(self, values) -> None:
        names = {str(value).strip() for value in values if value not in (None, "")}
        self.found = defaultdict(list)
        records = self.get_queryset(None, None).filter(**{f"{self.field}__in": names})
        for record in records:
            self.found[getattr(record, self.field)].append(record)

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        found = self.found.get(text, []) if self.found is not None else None
        if found is None:  # not prepared: one lookup
            found = list(self.get_queryset(value, row).filter(**{self.field: text})[:2])
        if not found:
            # The same answer for a name that does not exist and one outside the user's scope.
            if self.not_found is not None:
                raise ValueError(self.not_found % {"name": text})
            raise invalid_choice(text)
        if len(found) > 1:
            raise ValueError(
                _("Several records are named %(name)s: rename one in the portal first.")
                % {"name": text}
            )
        return found[0]


class DateWidget(widgets.Widget):
    """A date cell, or text as 2020-02-05, 2020/2/5 (Chinese Excel's CSV), 2020.2.5 or 2020年2月5日,
    with a time after it as Excel and WPS write a date-time to CSV (2020/2/5 0:00), or an Excel
    serial number (43866, a date cell formatted as a number). Month first (2/5/2020) is refused:
    it could be either day.

    Written as a real date: a date cell in XLSX, 2020-02-05 in CSV.
    """

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
    # A time after the date: "0:00", "13:45", "13:45:10".
    TIME = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
    # Excel's day 1 is 1900-01-01, counted from 1899-12-30 (Excel's 1900 leap year): serials
    # from 1 (1900) to 2958465 (9999-12-31); a date of this century is about 36,500 to 73,000.
    EXCEL_EPOCH = datetime.date(1899, 12, 30)
    SERIALS = range(1, 2958466)

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):  # an XLSX date cell is read as a datetime
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self.from_serial(value)
        text = self.TIME.sub("", str(value).strip())
        if re.fullmatch(r"\d+(\.0+)?", text):
            return self.from_serial(float(text))
        for date_format in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        raise self.invalid()

    def from_serial(self, serial):
        if int(serial) not in self.SERIALS:
            raise self.invalid()
        return self.EXCEL_EPOCH + datetime.timedelta(days=int(serial))

    @staticmethod
    def invalid():
        return ValueError(
            _("Enter a date as year-month-day, such as 2020-02-05 (or 2020/2/5, 2020年2月5日).")
        )

    def render(self, value, obj=None, **kwargs):
        return value


class YesNoWidget(widgets.Widget):
    """是 / 否 (yes, no, 同意, 不同意…); a blank cell is 否."""

    YES = {"是", "同意", "yes", "y", "true", "1"}
    NO = {"否", "不同意", "no", "n", "false", "0", ""}

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise invalid_choice(value)

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


def required():
    return ValueError(_("This field is required."))


class NumberWidget(widgets.Widget):
    """A number cell, or text such as 1,000.50 or 1 000. Written as a number, so XLSX keeps a
    number cell. A ``money`` column also reads an amount as shown: ¥1,000.00, ￥1,000.00,
    1,234.50元, 1000元.

    import-export's own widgets raise a bare decimal error for text that is no number, which the
    import shows as a crash rather than as the column's error.
    """

    # Thousands separators and the spaces Excel and WPS put in numbers (a narrow no-break one
    # in some locales).
    SEPARATORS = re.compile(r"[,，\s\u00a0\u202f\u2009\u3000]")
    CURRENCY = re.compile(r"^[¥￥]|(元|RMB|CNY)$", re.IGNORECASE)

    def __init__(self, whole=False, money=False):
        super().__init__(coerce_to_string=False)
        self.whole = whole
        self.money = money

    def clean(self, value, row=None, **kwargs):
        text = self.SEPARATORS.sub("", str(value)) if value is not None else ""
        if self.money:
            text = self.CURRENCY.sub("", text)
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            if self.money:
                raise ValueError(_("Enter an amount in yuan, such as 1000, 1,234.50 or ¥1,234.50."))
            raise ValueError(_("Enter a number."))
        if not self.whole:
            return number
        if number != number.to_integral_value():
            raise ValueError(_("Enter a whole number."))
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return value


# A number Excel shows in scientific notation (1.38E+10), as a CSV saved from it holds it.
SCIENTIFIC = re.compile(r"[0-9]+(\.[0-9]+)?[eE]\+?[0-9]+")


def lost_digits(value) -> bool:
    """Whether a phone or number cell was a long number the spreadsheet cut short: text in
    scientific notation (1.38E+10), or a number cell of ten digits or more that is not whole
    or ends in four zeros or more (13800000000, read back from 1.38E+10). Excel keeps 15
    digits, so a long number typed into a number cell (13812345678) is kept whole; a real one
    ending in 0000 is typed as text."""
    if isinstance(value, str):
        return bool(SCIENTIFIC.fullmatch(value))
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e9:
        return value != int(value) or str(int(value)).endswith("0000")
    return False


class SpreadsheetResource(resources.ModelResource):
    """Base of every import/export resource: scoped to what the user may see.

    ``scope_queryset`` is given by the admin (its change list queryset), so an import can only
    update records the user may change and an export holds only rows they may see.

    Its columns are django-import-export fields; the import itself is the set-based engine of
    portal/imports.py, which calls the hooks below: ``clean_cells`` (every cell, once),
    ``prepare_import`` (every lookup of the file at once), ``build_row`` (one row, in memory),
    ``check_set`` (rules between rows beyond the unique constraints), ``save_new`` and
    ``save_changed`` (in bulk, with history).
    """

    # Excel stores a text cell typed as digits (a phone, a member number) as a number.
    TEXT_COLUMNS_TYPED_AS_NUMBERS = ()

    # The column of a record's number (its id), when a file may update records by it: blank adds
    # a record; a number must be one of the user's records, any other is "not found" alike.
    record_number_column = None

    # Columns a record needs that a file may still leave out (the record's default applies).
    optional_columns = ()
    # A required column → the columns that may stand for it (any one of them names the thing).
    alternative_columns = {}

    def __init__(self, scope_queryset=None, **kwargs):
        super().__init__(**kwargs)
        self.scope_queryset = scope_queryset
        self.existing = {}
        self.cell_errors = {}

    def get_queryset(self):
        if self.scope_queryset is not None:
            return self.scope_queryset
        return super().get_queryset()

    def iter_queryset(self, queryset):
        # django-import-export pages a queryset with prefetches by OFFSET, 100 rows a page, which
        # grows with the square of the rows (100,000 donations: 143 s); Django's iterator reads
        # them in one pass, prefetching per chunk.
        if not queryset.query.order_by and not queryset.query.default_ordering:
            queryset = queryset.order_by("pk")
        return queryset.iterator(chunk_size=2000)

    def import_queryset(self):
        """The user's records a file may change, with what comparing and naming them reads."""
        return self.filter_export(self.get_queryset())

    # The set-based import (portal/imports.py)

    def get_import_fields(self):
        # Asked for every row of a file: worked out once.
        if not hasattr(self, "_import_fields"):
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def column_names(self) -> dict:
        """Field attribute → its column, for every field an import reads or compares."""
        if not hasattr(self, "_column_names"):
            self._column_names = {f.attribute: f.column_name for f in self.get_import_fields()}
        return self._column_names

    def import_instance(self, instance, row, **kwargs):
        """Each column's cell, through its widget, onto the record: django-import-export's
        ``import_instance`` (and its ``Field.save``), without what it looks up again for every
        cell of every row. A widget's ValueError is the column's error."""
        errors = {}
        for field in self.get_import_fields():
            if (
                field.readonly
                or not field.attribute
                or field.column_name not in row
                or isinstance(field.widget, widgets.ManyToManyWidget)
            ):
                continue
            if "__" in field.attribute:
                try:
                    self.import_field(field, instance, row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error), code="invalid")
                continue
            try:
                value = field.widget.clean(row[field.column_name], row=row)
            except ValueError as error:
                errors[field.attribute] = ValidationError(str(error), code="invalid")
                continue
            if value in field.empty_values and field.default is not NOT_PROVIDED:
                value = field.default() if callable(field.default) else field.default
            if value is not None or field.saves_null_values:
                setattr(instance, field.attribute, value)
        if errors:
            raise ValidationError(errors)

    def known_headers(self) -> list[str]:
        """Every column a file of these records may have: those the import reads and those the
        export writes (an export re-imports)."""
        return [field.column_name for field in self.fields.values()]

    def required_columns(self) -> list[str]:
        """The columns a file must have to add records: those of the model's fields a record
        needs (not blank, no default), less ``optional_columns``."""
        model = self._meta.model
        required = []
        for field in self.get_import_fields():
            if field.readonly or not field.attribute or "__" in field.attribute:
                continue
            if field.column_name in self.optional_columns:
                continue
            try:
                model_field = model._meta.get_field(field.attribute)
            except FieldDoesNotExist:
                continue
            if model_field.many_to_many or model_field.primary_key:
                continue
            if not model_field.blank and not model_field.has_default():
                required.append(field.column_name)
        return required

    def unknown_columns(self, headers) -> str:
        """Why a file with columns these records do not have is refused: each is named, with
        the columns there are (a header's obvious variants were read as the column already,
        portal/spreadsheets.py ``header_key``)."""
        known = self.known_headers()
        unknown = [header for header in headers if header and header not in known]
        if not unknown:
            return ""
        return _(
            "Unknown columns: %(unknown)s. The columns of these records are: %(known)s. "
            "Download the import template and copy your rows into it."
        ) % {"unknown": "、".join(unknown), "known": "、".join(known)}

    def repeated_columns(self, headers) -> str:
        """Why a file with a column twice is refused (金额（元） and 金额(元) are one column): the
        import cannot tell which cell is meant."""
        repeated = sorted({h for h in headers if h and headers.count(h) > 1}, key=headers.index)
        if not repeated:
            return ""
        return _("The column %(columns)s appears more than once: keep one of each.") % {
            "columns": "、".join(repeated)
        }

    def missing_columns(self, headers, *, updates_only=False) -> str:
        """Why a file without the columns a record needs, or that name a record on file, cannot
        be imported. A column of ``alternative_columns`` may stand for another (社员编号 for
        姓名: either names the member). ``updates_only``: every row names a record on file by
        its record number, which has what the file leaves out."""
        missing = []
        if not updates_only:
            for column in self.required_columns():
                alternatives = (column, *self.alternative_columns.get(column, ()))
                if not any(name in headers for name in alternatives):
                    missing.append(" / ".join(alternatives))
        id_fields = list(self.get_import_id_fields())
        if self.record_number_column is None and id_fields != ["id"]:
            missing += [
                self.fields[name].column_name
                for name in id_fields
                if self.fields[name].column_name not in headers
                and self.fields[name].column_name not in missing
            ]
        if not missing:
            return ""
        return _(
            "The file has no column %(columns)s, which every file of these records has. "
            "The columns of these records are: %(known)s; the import template has them."
        ) % {"columns": "、".join(missing), "known": "、".join(self.known_headers())}

    def clean_cells(self, table) -> None:
        """Every cell as the widgets read it, in place: blank for an empty cell, stripped, the
        formula apostrophe taken off, digits typed as a number back to text. A NUL character,
        which no record may hold, is the row's error under its column."""
        typed = {
            index
            for index, header in enumerate(table.headers)
            if header in self.TEXT_COLUMNS_TYPED_AS_NUMBERS
        }
        for number, cells in zip(table.numbers, table.rows, strict=True):
            bad, lost = [], []
            for index, value in enumerate(cells):
                if value is None:
                    value = ""
                elif isinstance(value, str):
                    # Strip before restoring, so that a neutralised cell comes back exactly as
                    # exported.
                    value = restore_neutralised(value.strip())
                    if "\x00" in value:
                        bad.append(table.headers[index])
                        value = ""  # never looked up: PostgreSQL takes no NUL
                if index in typed and lost_digits(value):
                    lost.append(table.headers[index])
                    value = ""  # never looked up: it names nobody
                elif index in typed and isinstance(value, int | float):
                    value = str(int(value))
                cells[index] = value
            if bad or lost:
                errors = {
                    column: [_("This cell holds a NUL character, which no record may hold.")]
                    for column in bad
                }
                for column in lost:
                    errors.setdefault(column, []).append(
                        _(
                            "The spreadsheet turned this cell into a number and lost digits: "
                            "set the column's format to Text and type the numbers again."
                        )
                    )
                self.cell_errors[number] = errors

    def prepare_import(self, table, *, user) -> None:
        """Every lookup of the file at once: each column's widget that looks records up, and
        the records on file that rows name."""
        self.clean_cells(table)
        self.before_import(None, user=user)
        for field in self.get_import_fields():
            prepare = getattr(field.widget, "prepare", None)
            if prepare is not None and not field.readonly:
                prepare(table.column(field.column_name))
        self.prepare_rows(table)
        self.existing = self.load_existing(table)

    def prepare_rows(self, table) -> None:
        """Lookups of the resource's own (widgets that read several columns, for instance)."""

    def load_existing(self, table) -> dict:
        """The user's records the file names, by record number or by the import's id columns."""
        if self.record_number_column is not None:
            numbers = set()
            for value in table.column(self.record_number_column):
                try:
                    numbers.add(int(str(value).strip().removesuffix(".0")))
                except ValueError:
                    continue
            if not numbers:
                return {}
            return {record.pk: record for record in self.import_queryset().filter(pk__in=numbers)}
        id_fields = [self.fields[name] for name in self.get_import_id_fields()]
        if [field.attribute for field in id_fields] == ["id"]:
            return {}
        lookups = {
            f"{field.attribute}__in": {str(value) for value in table.column(field.column_name)}
            for field in id_fields
        }
        return {
            tuple(field.get_value(record) for field in id_fields): record
            for record in self.import_queryset().filter(**lookups)
        }

    def find_instance(self, row):
        """The record on file a row changes (a copy of it), or None for a new record."""
        if self.record_number_column is not None:
            number = row.get(self.record_number_column)
            if number in (None, ""):
                return None
            try:
                pk = int(str(number).strip().removesuffix(".0"))
            except ValueError:
                raise ValidationError(
                    {self.record_number_column: [_("Enter a whole number.")]}
                ) from None
            if pk not in self.existing:
                raise ValidationError(
                    {
                        self.record_number_column: [
                            _("No record %(number)s in your branches.") % {"number": pk}
                        ]
                    }
                )
            return copy.deepcopy(self.existing[pk])
        id_fields = [self.fields[name] for name in self.get_import_id_fields()]
        if any(field.column_name not in row for field in id_fields):
            return None
        key = tuple(field.clean(row) for field in id_fields)
        found = self.existing.get(key)
        return copy.deepcopy(found) if found is not None else None

    def build_row(self, planned, row) -> set:
        """Make ``planned``'s record from ``row`` (a dict of its cells) in memory and judge it
        as a form would, without a query. Returns the fields the rules between rows must not
        judge (those not in the file's columns, and those already wrong)."""
        if planned.number in self.cell_errors:
            planned.kind, planned.errors = imports.INVALID, self.cell_errors[planned.number]
            return set()
        self.before_import_row(row)
        try:
            instance = self.find_instance(row)
        except ValidationError as error:
            planned.kind, planned.errors = imports.INVALID, error.message_dict
            return set()
        new = instance is None
        if new:
            instance = self.init_instance(row)
        original = None if new else copy.deepcopy(instance)
        errors = {}
        try:
            self.import_instance(instance, row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        columns = self.column_names()
        exclude = {f.name for f in instance._meta.fields if f.name not in columns} | set(errors)
        for name, messages in imports.clean_in_memory(instance, exclude).items():
            errors.setdefault(name, []).extend(messages)
        planned.instance = instance
        planned.errors = errors
        planned.extras = self.row_extras()
        if new:
            planned.kind = imports.NEW
        elif self.skip_row(instance, original, row, errors):
            planned.kind = imports.SKIP
        else:
            planned.kind = imports.UPDATE
        return exclude

    def row_extras(self):
        """What the resource keeps of the row just built, for ``save_new``/``save_changed``."""
        return None

    def check_set(self, plan, excluded) -> None:
        """Rules between rows other than the unique constraints (portal/imports.py checks
        those); a model with another kind of constraint must check it here."""
        for constraint in self._meta.model._meta.constraints:
            if not isinstance(constraint, models.CheckConstraint | models.UniqueConstraint):
                raise NotImplementedError(
                    f"{type(self).__name__} must check {constraint.name} in check_set()"
                )

    # Duplicates (portal/imports.py ``mark_duplicates``): none unless a resource says what makes
    # two of its records the same.

    def duplicate_key(self, planned):
        """``(key, tell_apart)`` of a new row's record: rows and records of the same key are
        the same record entered twice, unless both have a ``tell_apart`` and they differ. None:
        the row is never a duplicate."""
        return None

    def records_like(self, rows) -> list:
        """``(number, key, tell_apart)`` of the user's records that may have the key of one of
        ``rows`` (planned new rows): one query for the whole file."""
        return []

    def shown_errors(self, errors: dict) -> dict:
        """A row's errors as the user reads them: under the column's header (a field without a
        column keeps its name; the row's own errors stay under ``__all__``)."""
        columns = self.column_names()
        shown = {}
        for name, messages in ValidationError(errors).message_dict.items():
            shown.setdefault(columns.get(name, name), []).extend(messages)
        return shown

    def before_bulk_save(self, instances) -> None:
        """What ``save()`` would do to each record before it is written in bulk."""

    def save_new(self, batch, *, user) -> None:
        instances = [planned.instance for planned in batch]
        self.before_bulk_save(instances)
        imports.bulk_save_new(self._meta.model, instances, user=user)

    def save_changed(self, batch, *, user) -> None:
        instances = [planned.instance for planned in batch]
        self.before_bulk_save(instances)
        fields = [
            f.name
            for f in self._meta.model._meta.concrete_fields
            if not f.primary_key and not (f.auto_created and f.is_relation)
        ]
        imports.bulk_save_changed(self._meta.model, instances, fields, user=user)


# import-export's own Chinese for this heading is garbled ("某些行验数据证失败"); naming the string
# here keeps it in our catalogue, whose translation takes precedence.
gettext_noop("Some rows failed to validate")
gettext_noop(
    "No valid data to import. Ensure your file has the correct headers or data for import."
)
