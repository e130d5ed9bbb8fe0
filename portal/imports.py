"""The spreadsheet import: a file checked as a set, then written in bulk in one transaction, each
step a background job (portal/jobs.py) on the upload's record (``portal.models.PendingImport``).

Each app's resource (``portal.resources.SpreadsheetResource`` and its subclasses) declares its
columns (django-import-export fields, whose widgets read one cell each) and how a row becomes a
record; this engine runs them over the whole file at once:

1. Read: the file becomes a ``Table`` (portal/spreadsheets.py), within the size limits.
2. Prepare: every lookup a column needs (members, branches, campaigns, recipients, the records
   a file changes…) is one query for the whole file (the widgets' and the resource's
   ``prepare_import``), never one per row.
3. Build: each row becomes its record in memory, through the column's widget; the model's
   rules that need no other row run as in a form (``clean_fields``, ``clean``), without a query.
4. Rules between rows: each database constraint is checked for every row at once, against the
   other rows of the file and against the records on file (one query per constraint), and its
   message is put on the column to correct (``portal.constraints.FieldConstraintErrors``).
5. Write (the import only, when no row has an error): new records, changed records, their
   history and the admin's log, in bulk.

The preview runs 1–4 and keeps only its ``Outcome``; the import runs 1–5 again inside one
transaction, so what it writes is what the records on file allow at that moment, and a file that
now has an error writes nothing. Rows are numbered as the spreadsheet numbers them.
"""

import functools
import operator
import re
import uuid
from dataclasses import dataclass, field

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext
from simple_history.utils import bulk_update_with_history

from portal import jobs
from portal.models import PendingImport
from portal.spreadsheets import UnreadableFile, read_table, template_sheet_names

BATCH = 2000
# The errors an outcome keeps to show (the count of rows with errors is always exact).
ERRORS_KEPT = 500

NEW, UPDATE, SKIP, INVALID = "new", "update", "skip", "invalid"
# A new row that repeats a record on file or an earlier row of the file (the resource's
# ``duplicate_key``): not imported unless the user chose to import such rows anyway.
DUPLICATE = "duplicate"
KIND_CODES = {NEW: "n", UPDATE: "u", SKIP: "s", INVALID: "e", DUPLICATE: "d"}
CODE_KINDS = {code: kind for kind, code in KIND_CODES.items()}


def NOTHING_IMPORTED():  # noqa: N802 (a message, translated when it is said)
    return gettext("Nothing was imported: the file has rows with errors. Upload it again.")


# The phases a job's progress names (portal/jobs.py), shown on its page.
READING, CHECKING, SAVING = "reading", "checking", "saving"
PHASES = {
    READING: gettext_noop("Reading the file"),
    CHECKING: gettext_noop("Checking the rows"),
    SAVING: gettext_noop("Saving the records"),
}


# What a check or an import found


@dataclass
class RowOutcome:
    """One row: its number in the spreadsheet (rows with errors only), what the import does
    with it, and its errors by column."""

    number: int | None
    import_type: str
    error_dict: dict = field(default_factory=dict)
    # Unexpected errors (exceptions): the engine has none to show; a crash fails the job.
    errors: tuple = ()


@dataclass
class Outcome:
    """What a preview or an import found, as kept on the job (``to_json``) and shown on its page:
    how many rows are new, changed and unchanged, each row's kind in order, the rows with errors
    (the first ``ERRORS_KEPT``) and the file's own errors (unreadable, too large, columns
    missing)."""

    kinds: str = ""
    errors: list = field(default_factory=list)  # [(row number, {column: [messages]})]
    error_rows: int = 0
    file_errors: list = field(default_factory=list)
    sheet: str = ""  # the XLSX sheet read
    merged_cells: int = 0  # empty cells of merged ranges given the range's value
    # [(row number, the record on file it repeats or None, the earlier row it repeats or None)]
    duplicates: list = field(default_factory=list)
    duplicates_imported: bool = False

    def to_json(self) -> dict:
        return {
            "kinds": self.kinds,
            "errors": [[number, errors] for number, errors in self.errors],
            "error_rows": self.error_rows,
            "file_errors": self.file_errors,
            "sheet": self.sheet,
            "merged_cells": self.merged_cells,
            "duplicates": [list(duplicate) for duplicate in self.duplicates],
            "duplicates_imported": self.duplicates_imported,
        }

    @classmethod
    def from_json(cls, data) -> "Outcome":
        data = data or {}
        return cls(
            kinds=data.get("kinds", ""),
            errors=[(number, errors) for number, errors in data.get("errors", [])],
            error_rows=data.get("error_rows", 0),
            file_errors=data.get("file_errors", []),
            sheet=data.get("sheet", ""),
            merged_cells=data.get("merged_cells", 0),
            duplicates=[tuple(duplicate) for duplicate in data.get("duplicates", [])],
            duplicates_imported=data.get("duplicates_imported", False),
        )

    def count(self, kind: str) -> int:
        return self.kinds.count(KIND_CODES[kind])

    @property
    def totals(self) -> dict:
        return {kind: self.count(kind) for kind in (NEW, UPDATE, SKIP, DUPLICATE)}

    @property
    def rows(self) -> list[RowOutcome]:
        numbered = dict(self.errors)
        invalid = iter(sorted(numbered))
        rows = []
        for code in self.kinds:
            kind = CODE_KINDS[code]
            number = next(invalid, None) if kind == INVALID else None
            rows.append(RowOutcome(number, kind, numbered.get(number, {})))
        return rows

    @property
    def invalid_rows(self) -> list[RowOutcome]:
        return [RowOutcome(number, INVALID, errors) for number, errors in self.errors]

    # As django-import-export's Result says it: "errors" are the file's, not a row's.
    def has_errors(self) -> bool:
        return bool(self.file_errors)

    def has_validation_errors(self) -> bool:
        return bool(self.error_rows)

    @property
    def valid(self) -> bool:
        return not self.file_errors and not self.error_rows

    def summary(self) -> str:
        """The import's words for what it did (django-import-export's message, translated)."""
        totals = self.totals
        new = totals[NEW] + (totals[DUPLICATE] if self.duplicates_imported else 0)
        summary = gettext("Import finished: {} new, {} updated, {} deleted and {} skipped {}.")
        summary = summary.format(new, totals[UPDATE], 0, totals[SKIP], "")
        if totals[DUPLICATE] and not self.duplicates_imported:
            summary += " " + ngettext(
                "%(count)d row repeating a record already held was not imported.",
                "%(count)d rows repeating records already held were not imported.",
                totals[DUPLICATE],
            ) % {"count": totals[DUPLICATE]}
        return summary


# One row of the plan


@dataclass(slots=True)  # one per row of a file of up to 50,000
class Planned:
    number: int
    kind: str = NEW
    instance: models.Model | None = None
    errors: dict = field(default_factory=dict)  # by field name or column, as the resource said
    extras: object = None  # what the resource keeps of the row to save after its record
    # A duplicate's original: ("record", its number) on file, or ("row", its number) in the file.
    duplicate_of: tuple | None = None


# Rules between rows: the model's own constraints, checked for the whole file


class Unknown:
    """SQL's NULL in a comparison: neither true nor false."""


UNKNOWN = Unknown()


def _compare(value, lookup, target):
    if lookup == "isnull":
        return (value is None) == bool(target)
    if value is None or target is None:
        return UNKNOWN
    if lookup == "exact":
        return value == target
    if lookup == "in":
        return value in target
    if lookup == "gt":
        return value > target
    if lookup == "gte":
        return value >= target
    if lookup == "lt":
        return value < target
    if lookup == "lte":
        return value <= target
    if lookup == "regex":
        return re.search(target, value) is not None
    raise NotImplementedError(f"lookup {lookup} in a constraint")


def _getter(model, name):
    if name == "pk":
        return operator.attrgetter("pk")
    return operator.attrgetter(model._meta.get_field(name).attname)


def _compile(model, condition):
    """``condition`` (a Q of ``model``'s fields) as a function of an instance that answers as
    SQL would: True, False or UNKNOWN (a NULL compared), with AND, OR and NOT as SQL has them.
    Without a query: Django's own ``Q.check`` asks the database once per row."""
    tests = []
    for child in condition.children:
        if isinstance(child, Q):
            tests.append(_compile(model, child))
            continue
        path, target = child
        name, _, lookup = path.partition("__")
        value_of = _getter(model, name)
        if isinstance(target, F):
            target_of = _getter(model, target.name)
            tests.append(
                lambda i, v=value_of, t=target_of, lk=lookup or "exact": _compare(v(i), lk, t(i))
            )
        else:
            if isinstance(target, list | tuple | set):
                target = frozenset(target)
            tests.append(
                lambda i, v=value_of, t=target, lk=lookup or "exact": _compare(v(i), lk, t)
            )
    conjunction, negated = condition.connector == Q.AND, condition.negated

    def holds(instance):
        results = [test(instance) for test in tests]
        if conjunction:
            outcome = False if False in results else UNKNOWN if UNKNOWN in results else True
        elif True in results:
            outcome = True
        else:
            outcome = UNKNOWN if UNKNOWN in results else False
        if negated and outcome is not UNKNOWN:
            return not outcome
        return outcome

    return holds


@functools.cache
def compiled(model, constraint_name):
    """A constraint's condition, compiled once (``_compile``), and the fields it reads."""
    constraint = next(c for c in model._meta.constraints if c.name == constraint_name)
    condition = getattr(constraint, "condition", None)
    test = _compile(model, condition) if condition is not None else None
    return test, frozenset(constraint_fields(constraint))


def holds(condition, instance):
    return _compile(type(instance), condition)(instance)


def condition_fields(condition) -> set[str]:
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= condition_fields(child)
        else:
            path, target = child
            names.add(path.split("__")[0])
            if isinstance(target, F):
                names.add(target.name)
    return names


def constraint_fields(constraint) -> set[str]:
    names = set(getattr(constraint, "fields", ()) or ())
    if getattr(constraint, "condition", None) is not None:
        names |= condition_fields(constraint.condition)
    return names - {"pk"}


def violation(constraint, instance) -> ValidationError:
    """The constraint's message as ``Model.validate_constraints`` words it."""
    if (
        isinstance(constraint, models.UniqueConstraint)
        and constraint.fields
        and constraint.condition is None
        and constraint.violation_error_message == constraint.default_violation_error_message
    ):
        return instance.unique_error_message(type(instance), constraint.fields)
    return ValidationError(
        constraint.get_violation_error_message(), code=constraint.violation_error_code
    )


def file_error(constraint, instance, errors: dict, exclude: set, error) -> None:
    """Put a constraint's error where ``FieldConstraintErrors`` puts it: on the field its model
    names for it (which later constraints then skip), else where Django puts it."""
    field_name = getattr(instance, "constraint_fields", {}).get(constraint.name)
    own = getattr(constraint, "fields", ()) or ()
    if field_name is None and error.code == "unique" and len(own) == 1:
        field_name = own[0]
    if field_name is None or field_name in exclude:
        errors.setdefault(NON_FIELD_ERRORS, []).extend(error.messages)
    else:
        errors.setdefault(field_name, []).extend(error.messages)
        exclude.add(field_name)


def check_row_constraints(instance, exclude: set) -> dict:
    """The errors of ``instance``'s check constraints (``exclude``: fields not to judge, which
    grows with each field found wrong). A unique or exclusion constraint needs other rows:
    ``check_unique`` and the resources' own set checks."""
    errors = {}
    model = type(instance)
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue
        test, reads = compiled(model, constraint.name)
        if reads & exclude:
            continue
        if test(instance) is False:
            file_error(constraint, instance, errors, exclude, violation(constraint, instance))
    return errors


def clean_in_memory(instance, exclude: set) -> dict:
    """What ``full_clean`` says of a record, without its queries: each field's own validation
    (a foreign key was found by the import, so it is not looked up again), the model's
    ``clean()`` and its check constraints. Returns errors by field; adds the fields found wrong
    to ``exclude``."""
    errors = {}
    foreign_keys = {f.name for f in instance._meta.fields if f.is_relation}
    try:
        instance.clean_fields(exclude=exclude | foreign_keys)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    # A foreign key is not looked up again, but one the record must have is still required.
    for model_field in instance._meta.fields:
        if (
            model_field.name in foreign_keys
            and model_field.name not in exclude
            and not model_field.blank
            and getattr(instance, model_field.attname) is None
        ):
            errors.setdefault(model_field.name, []).append(model_field.error_messages["blank"])
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
    for name, messages in check_row_constraints(instance, exclude).items():
        errors.setdefault(name, []).extend(messages)
    return errors


def array_type(model_field) -> str:
    """The SQL type of a field's values in an array parameter (a foreign key's: its target's)."""
    return (
        model_field.target_field.db_type(connection)
        if model_field.is_relation
        else (model_field.db_type(connection))
    )


def check_unique(model, plan: list[Planned], excluded: dict) -> None:
    """Every unique constraint of ``model`` over the rows of the file: a row clashing with an
    earlier row of the file, or with a record on file that the file does not change, gets the
    constraint's error. One query per constraint for the whole file."""
    changed = {p.instance.pk for p in plan if p.kind == UPDATE and p.instance.pk}
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint) or not constraint.fields:
            continue
        names = list(constraint.fields)
        fields = [model._meta.get_field(name) for name in names]
        keyed = []
        for planned in plan:
            if planned.kind not in (NEW, UPDATE):
                continue
            test, reads = compiled(model, constraint.name)
            if reads & excluded[id(planned)]:
                continue
            instance = planned.instance
            if test is not None and test(instance) is False:
                continue
            key = tuple(getattr(instance, f.attname) for f in fields)
            if any(part is None for part in key):
                continue  # NULL is never equal in a unique index
            keyed.append((planned, key))
        if not keyed:
            continue
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        arrays = ", ".join(f"%s::{array_type(f)}[]" for f in fields)
        keys = list(zip(*(key for _planned, key in keyed), strict=True))
        on_file = (
            model._default_manager.filter(constraint.condition or Q())
            .filter(
                RawSQL(
                    f"({columns}) IN (SELECT * FROM unnest({arrays}))",
                    [list(part) for part in keys],
                    output_field=models.BooleanField(),
                )
            )
            .exclude(pk__in=changed)
            .values_list(*[f.attname for f in fields])
        )
        taken = set(on_file)
        for planned, key in keyed:
            if key in taken:
                error = violation(constraint, planned.instance)
                file_error(
                    constraint, planned.instance, planned.errors, excluded[id(planned)], error
                )
            taken.add(key)


def mark_duplicates(resource, plan: list[Planned]) -> None:
    """New rows without errors that repeat a record the user holds, or an earlier row of the
    file, become ``DUPLICATE``: the same gift or suggestion entered twice (a file imported
    again, without its record numbers). What makes two the same is the resource's
    ``duplicate_key``: a key, and a value that tells two of the same key apart when both have
    it (a receipt number). The records on file are read with one query for the whole file
    (``records_like``)."""
    keyed = []
    for planned in plan:
        if planned.kind != NEW or planned.errors:
            continue
        key = resource.duplicate_key(planned)
        if key is not None:
            keyed.append((planned, key))
    if not keyed:
        return
    # Per key, the first record or row of all, the first without what tells it apart, and the
    # first of each value of it (index, ("record" or "row", number)): each row is matched in
    # constant time, as a file of thousands of gifts of one member on one day has one key.
    seen = {}

    def earliest(*found):
        found = [match for match in found if match is not None]
        return min(found)[1] if found else None

    def add(key, original, tell_apart):
        first_any, first_blank, by_value, count = seen.get(key, (None, None, {}, 0))
        entry = (count, original)
        if tell_apart:
            by_value.setdefault(tell_apart, entry)
        elif first_blank is None:
            first_blank = entry
        seen[key] = (first_any or entry, first_blank, by_value, count + 1)

    for pk, key, tell_apart in resource.records_like([planned for planned, _key in keyed]):
        add(key, ("record", pk), tell_apart)
    for planned, (key, tell_apart) in keyed:
        if key in seen:
            first_any, first_blank, by_value, _count = seen[key]
            # The same unless both have what tells them apart and it differs.
            original = (
                earliest(first_blank, by_value.get(tell_apart)) if tell_apart else first_any[1]
            )
            if original is not None:
                planned.kind, planned.duplicate_of = DUPLICATE, original
        add(key, ("row", planned.number), tell_apart)


# The engine


class Importer:
    """Checks (and, with ``write``, imports) one file for one user with one resource.

    ``progress`` is the job's (portal/jobs.py); a plain run (a test, a command) gives none.
    """

    def __init__(self, resource, *, user, progress=None, file_name="", import_duplicates=False):
        self.resource = resource
        self.user = user
        self.progress = progress
        self.file_name = file_name
        # The user's choice on the preview: rows repeating records already held are imported.
        self.import_duplicates = import_duplicates
        self.model = resource._meta.model

    def _phase(self, phase, total=None):
        if self.progress is not None:
            self.progress.start_phase(phase, total)

    def _advance(self, done):
        if self.progress is not None:
            self.progress.done = done

    def read(self, data: bytes, file_format: str):
        """The file as a ``Table``, or an ``Outcome`` saying why it cannot be read."""
        self._phase(READING)
        try:
            return read_table(
                bytes(data),
                file_format,
                progress=self._advance,
                known_headers=self.resource.known_headers(),
                sheet_names=template_sheet_names(),
            )
        except UnreadableFile as error:  # too large, .xls, several sheets…: said in words
            return Outcome(file_errors=[str(error)])
        except Exception as error:  # noqa: BLE001 (each reader fails in its own way)
            # The readers name Python's exceptions, in English; say what the user can do.
            reason = str(error) if isinstance(error, ValueError) and str(error) else ""
            message = gettext(
                "This file cannot be read as the format chosen (XLSX or CSV). %(reason)s"
            ) % {"reason": reason}
            return Outcome(file_errors=[message.strip()])

    def check(self, table) -> tuple[Outcome, list[Planned]]:
        """Steps 2–4: the outcome, and the plan ``write`` follows."""
        resource = self.resource
        number_column = resource.record_number_column
        updates_only = (
            number_column in table.headers
            and bool(table.rows)
            and all(str(cell or "").strip() for cell in table.column(number_column))
        )
        # Columns first: a file of other columns never reaches a preview.
        refused = [
            message
            for message in (
                resource.unknown_columns(table.headers),
                resource.repeated_columns(table.headers),
                resource.missing_columns(table.headers, updates_only=updates_only),
            )
            if message
        ]
        if refused:
            return Outcome(file_errors=refused, sheet=table.sheet), []
        if not table.rows:
            return Outcome(
                file_errors=[
                    gettext(
                        "No valid data to import. Ensure your file has the correct headers or "
                        "data for import."
                    )
                ]
            ), []
        self._phase(CHECKING, len(table.rows))
        resource.prepare_import(table, user=self.user)
        plan, excluded = [], {}
        headers = table.headers
        for index, cells in enumerate(table.rows):
            planned = Planned(number=table.numbers[index])
            row = dict(zip(headers, cells, strict=True))
            excluded[id(planned)] = resource.build_row(planned, row)
            table.rows[index] = None  # the cells are in the record now
            plan.append(planned)
            if index % 500 == 0:
                self._advance(index)
        self._advance(len(plan))
        check_unique(self.model, plan, excluded)
        resource.check_set(plan, excluded)
        mark_duplicates(resource, plan)
        outcome = self._outcome(plan)
        outcome.sheet, outcome.merged_cells = table.sheet, table.merged_cells
        return outcome, plan

    def _outcome(self, plan) -> Outcome:
        outcome = Outcome()
        kinds = []
        for planned in plan:
            if planned.errors:
                planned.kind = INVALID
                outcome.error_rows += 1
                if len(outcome.errors) < ERRORS_KEPT:
                    outcome.errors.append(
                        (planned.number, self.resource.shown_errors(planned.errors))
                    )
            elif planned.kind == DUPLICATE and len(outcome.duplicates) < ERRORS_KEPT:
                of, number = planned.duplicate_of
                record, row = (number, None) if of == "record" else (None, number)
                outcome.duplicates.append((planned.number, record, row))
            kinds.append(KIND_CODES[planned.kind])
        outcome.kinds = "".join(kinds)
        outcome.duplicates_imported = self.import_duplicates
        return outcome

    def write(self, plan: list[Planned]) -> None:
        """Step 5, for a plan without errors, inside the caller's transaction."""
        added = (NEW, DUPLICATE) if self.import_duplicates else (NEW,)
        self._phase(SAVING, sum(p.kind in (*added, UPDATE) for p in plan))
        done = 0
        new = [p for p in plan if p.kind in added]
        changed = [p for p in plan if p.kind == UPDATE]
        for start in range(0, len(new), BATCH):
            batch = new[start : start + BATCH]
            self.resource.save_new(batch, user=self.user)
            self._log(batch, ADDITION)
            done += len(batch)
            self._advance(done)
        for start in range(0, len(changed), BATCH):
            batch = changed[start : start + BATCH]
            self.resource.save_changed(batch, user=self.user)
            self._log(batch, CHANGE)
            done += len(batch)
            self._advance(done)

    def _log(self, batch, action_flag) -> None:
        """The admin's log of what the import did, one entry a record (as the admin writes)."""
        content_type = ContentType.objects.get_for_model(self.model)
        message = gettext("Imported from %(file)s") % {"file": self.file_name}
        now = timezone.now()
        # A list, not a generator: a record's name may read the database, which a connection
        # in the middle of a COPY cannot do (it would wait for ever).
        rows = [
            [now, self.user.pk, content_type.pk, str(planned.instance.pk)]
            + [str(planned.instance)[:200], action_flag, message]
            for planned in batch
        ]
        copy_rows(
            LogEntry,
            ["action_time", "user_id", "content_type_id", "object_id", "object_repr"]
            + ["action_flag", "change_message"],
            rows,
        )


# The base of every resource's bulk writing (portal/resources.py uses these)


def copy_rows(model, columns: list, rows) -> None:
    """Insert ``rows`` (sequences of values ready for the database, in ``columns``' order) into
    ``model``'s table with COPY: for a file of thousands of records, several times faster than
    an INSERT of many rows, which is built as one long statement. Triggers fire as for an INSERT
    (the public data's versions move, portal/triggers.py)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _db_values(instance, fields) -> list:
    return [
        field.get_db_prep_save(getattr(instance, field.attname), connection) for field in fields
    ]


HISTORY_OWN = {"history_id", "history_date", "history_change_reason", "history_type"}


def bulk_save_new(model, instances, *, user, reason=None) -> None:
    """Add ``instances`` (they get their ids), each with its history row ('+', by ``user``, with
    its ``_change_reason`` or ``reason``), as django-simple-history's
    ``bulk_create_with_history`` would, by COPY."""
    if not instances:
        return
    opts = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(instances)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for instance, pk in zip(instances, ids, strict=True):
        instance.pk = pk
        instance._state.adding, instance._state.db = False, connection.alias
    fields = opts.concrete_fields
    copy_rows(
        model,
        [field.column for field in fields],
        (
            [
                field.get_db_prep_save(getattr(instance, field.attname), connection)
                for field in fields
            ]
            for instance in instances
        ),
    )
    history = opts.simple_history_manager_attribute
    historical = getattr(model, history).model
    tracked = list(historical.tracked_fields)
    own = {field.attname for field in historical._meta.concrete_fields} - {
        field.attname for field in tracked
    }
    if own != HISTORY_OWN | {"history_user_id"}:
        raise NotImplementedError(f"{historical._meta.label} has fields {own}")
    now = timezone.now()
    copy_rows(
        historical,
        [field.column for field in tracked]
        + ["history_date", "history_change_reason", "history_type", "history_user_id"],
        (
            [
                field.get_db_prep_save(getattr(instance, field.attname), connection)
                for field in tracked
            ]
            + [now, getattr(instance, "_change_reason", None) or reason, "+", user.pk]
            for instance in instances
        ),
    )


def bulk_save_changed(model, instances, fields, *, user, reason=None) -> None:
    bulk_update_with_history(
        instances,
        model,
        fields,
        batch_size=BATCH,
        default_user=user,
        default_change_reason=reason,
    )


# The jobs


def _importer(job, progress):
    """The admin's own resource and scope for the job's uploader, as in the admin."""
    from django.apps import apps
    from django.contrib import admin
    from django.contrib.auth import get_user_model

    user = get_user_model()._default_manager.get(pk=job.uploaded_by)
    model_admin = admin.site.get_model_admin(apps.get_model(job.model))
    request = jobs.request_for(user)
    resource = model_admin.import_resource_for(request)
    return Importer(
        resource,
        user=user,
        progress=progress,
        file_name=job.file_name,
        import_duplicates=job.import_duplicates,
    )


@task()
def check_upload(job_id: str) -> None:
    """The preview: check the uploaded file and keep the outcome; a file with errors, or one
    that cannot be read, is not kept (members' phones)."""
    job = jobs.take(PendingImport, job_id, PendingImport.State.CHECKING)
    if job is None:
        return

    def work(progress):
        importer = _importer(job, progress)
        table = importer.read(job.data, job.file_format)
        with transaction.atomic():
            if isinstance(table, Outcome):
                outcome = table
            else:
                outcome, _plan = importer.check(table)
            # Nothing is written by a check; rolled back all the same, whatever a rule did.
            transaction.set_rollback(True)
        fields = {"result": outcome.to_json(), "rows_total": len(outcome.kinds)}
        if outcome.valid:
            jobs.finish(job, state=PendingImport.State.AWAITING, **fields)
        else:
            jobs.finish(job, state=PendingImport.State.INVALID, data=b"", **fields)

    jobs.run(job, work)


@task()
def import_upload(job_id: str) -> None:
    """The import: check the file again and, if every row is still valid, write it; all in one
    transaction, which also marks the job imported (or, with any error, failed and written
    nothing)."""
    job = jobs.take(PendingImport, job_id, PendingImport.State.IMPORTING)
    if job is None:
        return

    def work(progress):
        importer = _importer(job, progress)
        table = importer.read(job.data, job.file_format)
        failed = None
        with transaction.atomic():
            outcome, plan = (table, []) if isinstance(table, Outcome) else importer.check(table)
            fields = {"result": outcome.to_json(), "rows_total": len(outcome.kinds), "data": b""}
            if outcome.valid:
                importer.write(plan)
                jobs.finish(job, state=PendingImport.State.IMPORTED, message="", **fields)
            else:
                failed = fields
                transaction.set_rollback(True)
        if failed is not None:
            jobs.fail(job, NOTHING_IMPORTED(), **failed)

    jobs.run(job, work)


def new_upload(*, user, model_label: str, upload, file_format: str, language: str):
    """Keep an upload and queue its check; deletes the expired uploads on the way (no timer
    needed)."""
    PendingImport.objects.expired().delete()
    job = PendingImport.objects.create(
        id=uuid.uuid4(),
        uploaded_by=user.pk,
        model=model_label,
        file_name=upload.name[:255],
        file_format=file_format,
        data=upload.read(),
        language=language,
    )
    jobs.enqueue(check_upload, job)
    return job


def confirm_upload(job, *, import_duplicates=False) -> None:
    """Queue the import of a job that was checked and awaits confirmation (its caller locked
    it), once: it moves to importing here, so a second confirmation finds it taken.
    ``import_duplicates``: the user chose to import the rows repeating records already held."""
    job.state = PendingImport.State.IMPORTING
    job.import_duplicates = import_duplicates
    job.runner, job.heartbeat_at, job.changed_at = None, None, timezone.now()
    job.rows_done, job.phase, job.message = 0, "", ""
    job.save(
        update_fields=["state", "runner", "heartbeat_at", "changed_at", "rows_done", "phase"]
        + ["message", "import_duplicates"]
    )
    jobs.enqueue(import_upload, job)
