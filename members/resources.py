"""Spreadsheet columns of the member register. The Chinese headers are documented in the README
(and given by the template download); a row is matched to a member on file by name and phone.

Headers and choice words (女, 在册, 是…) are the file format, not user interface: they stay Chinese
whatever the language, so a file exported in English re-imports unchanged. Error messages use
Django's own wording where it fits, so they are translated wherever Django is.
"""

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Count, Min
from django.db.models.expressions import RawSQL
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from import_export import fields, widgets

from members.models import Branch, Member, Sector, hide_register_clashes
from members.scoping import Scope
from portal.resources import (
    ChoiceWordWidget,
    DateWidget,
    NamedForeignKeyWidget,
    SpreadsheetResource,
    YesNoWidget,
    required,
)

# 未填 is written for a member without a gender and read back as none; a blank cell, or no 性别
# column at all, leaves the gender on file (none for a new member).
GENDER_WORDS = {
    "女": Member.Gender.FEMALE,
    "男": Member.Gender.MALE,
    "未填": Member.Gender.NOT_GIVEN,
}
CONSENT = "同意公开"
CONSENT_SIGNED_ON = "同意公开签字日期"
STATUS_WORDS = {
    "在册": Member.Status.ACTIVE,
    "转出": Member.Status.TRANSFERRED,
    "退社": Member.Status.LEFT,
    "去世": Member.Status.DECEASED,
}


def sees_every_branch(user) -> bool:
    """Whether an import's user sees the whole register (no user: a command, not the admin)."""
    return user is None or Scope(user).everything


def refer_to_staff(message: str) -> str:
    """A clerk's "no such member in your branches", with whom to ask about one of another
    branch; said of every member not found, so it tells nothing of who is on file."""
    return _(
        "%(reason)s If the member belongs to another branch, ask the committee staff "
        "(社市委机关工作人员)."
    ) % {"reason": message}


MEMBER_FIELDS_READ = ("pk", "name", "number", "phone", "branch_id")


class MemberWidget(widgets.Widget):
    """The member a record belongs to, named by the row's 姓名 with 手机 or 社员编号.

    An import looks up every member its file names at once (``prepare_table``: one query), among
    the members the user may see. ``for_clerk`` (set by the resource for a user who does not see
    every branch) adds whom to ask to "not found": the member may be of another branch, which
    the message must not confirm.
    """

    def __init__(self, queryset=None, required=True):
        super().__init__()
        self.queryset = queryset if queryset is not None else Member.objects.all()
        self.required = required
        self.for_clerk = False
        self.by_number, self.by_pair, self.by_name, self.members = {}, {}, {}, {}

    def prepare_table(self, table) -> None:
        """Every member the file names, at once, reading no more of the register than the rows
        name (a common name is shared by hundreds in a national register): members by number;
        by name and phone; and, for a name given alone, how many share it (and the one, when
        one does). Then the members the rows name are loaded, with one more query."""

        def cells(header):
            return [str(value or "") for value in table.column(header)] or [""] * len(table.rows)

        rows = list(zip(cells("姓名"), cells("社员编号"), cells("手机"), strict=True))
        numbers = {number for _name, number, _phone in rows if number}
        pairs = {(name, phone) for name, number, phone in rows if name and phone and not number}
        alone = {name for name, number, phone in rows if name and not phone and not number}
        members = self.queryset
        fields = ("pk", "name", "phone", "number")
        self.by_number = {
            found[3]: found for found in members.filter(number__in=numbers).values_list(*fields)
        }
        self.by_pair = {}
        if pairs:
            table_name = Member._meta.db_table
            names, phones = zip(*pairs, strict=True)
            keyed = RawSQL(
                f'("{table_name}"."name", "{table_name}"."phone") IN '
                "(SELECT * FROM unnest(%s::varchar[], %s::varchar[]))",
                [list(names), list(phones)],
                output_field=BooleanField(),
            )
            self.by_pair = {
                (found[1], found[2]): found for found in members.filter(keyed).values_list(*fields)
            }
        self.by_name = {
            found["name"]: (found["count"], found["first"])
            for found in members.filter(name__in=alone)
            .order_by()
            .values("name")
            .annotate(count=Count("pk"), first=Min("pk"))
        }
        named = set()
        for name, number, phone in rows:
            try:
                named.add(self._resolve(name, number, phone))
            except ValueError:
                continue
        # What a record's checks and its log read of its member (the name, the branch): the
        # whole register row of each of 25,000 members was a fifth of a large import's memory.
        self.members = Member.objects.only(*MEMBER_FIELDS_READ).in_bulk(named - {None})

    def clean(self, value, row=None, **kwargs):
        row = row or {}
        pk = self._resolve(
            str(value if value is not None else "").strip(),
            str(row.get("社员编号") or "").strip(),
            str(row.get("手机") or "").strip(),
        )
        return None if pk is None else self.members[pk]

    def _resolve(self, name, number, phone):
        """The id of the member a row names (None for none, where none is required), or the
        row's error."""
        if number:
            return self._by_number(number, name)
        if not name:
            if self.required:
                raise required()
            return None
        if phone:
            found = self.by_pair.get((name, phone))
            if found is None:
                raise self._not_found(
                    _("No member named %(name)s with the phone %(phone)s in your branches.")
                    % {"name": name, "phone": phone}
                )
            return found[0]
        count, first = self.by_name.get(name, (0, None))
        if count == 1:
            return first
        if not count:
            raise self._not_found(_("No member named %(name)s in your branches.") % {"name": name})
        raise ValueError(
            _(
                "%(count)d members in your branches are named %(name)s: add 手机 or 社员编号 to "
                "say which."
            )
            % {"count": count, "name": name}
        )

    def _by_number(self, number, name):
        member = self.by_number.get(number)
        if member is None:
            raise self._not_found(
                _("No member with the member number %(number)s in your branches.")
                % {"number": number}
            )
        # A typo in either column must not put the record on somebody else.
        if name and member[1] != name:
            raise ValueError(
                _("Member number %(number)s is %(member)s, not %(name)s.")
                % {"number": number, "member": member[1], "name": name}
            )
        return member[0]

    def _not_found(self, message):
        return ValueError(refer_to_staff(message) if self.for_clerk else message)

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


def branch_widget(queryset):
    """所属组织: a branch among the user's."""
    return NamedForeignKeyWidget(
        Branch,
        queryset,
        not_found=_lazy("No branch named %(name)s among the branches you manage."),
    )


class BranchScopedResource(SpreadsheetResource):
    """A resource whose rows name branches and members: only those of the user's scope."""

    def __init__(self, branch_queryset=None, member_queryset=None, **kwargs):
        super().__init__(**kwargs)
        # The branches and members a file may name: the user's (None: all, outside the admin).
        self.branch_queryset = branch_queryset
        self.member_queryset = member_queryset


class MemberResource(BranchScopedResource):
    name = fields.Field(attribute="name", column_name="姓名")
    number = fields.Field(attribute="number", column_name="社员编号")
    gender = fields.Field(
        attribute="gender",
        column_name="性别",
        widget=ChoiceWordWidget(GENDER_WORDS),
        saves_null_values=False,
    )
    branch = fields.Field(attribute="branch", column_name="所属组织")
    sector = fields.Field(
        attribute="sector", column_name="界别", widget=NamedForeignKeyWidget(Sector)
    )
    workplace = fields.Field(attribute="workplace", column_name="工作单位")
    position = fields.Field(attribute="position", column_name="职务")
    phone = fields.Field(attribute="phone", column_name="手机")
    email = fields.Field(attribute="email", column_name="电子邮箱")
    joined_on = fields.Field(attribute="joined_on", column_name="入社日期", widget=DateWidget())
    status = fields.Field(
        attribute="status",
        column_name="状态",
        widget=ChoiceWordWidget(STATUS_WORDS),
        saves_null_values=False,
    )
    # Consent is the member's own: 同意公开 is exported as on file but read back only with the date
    # the member signed a paper form (import_consent), so a re-imported export never undoes a
    # withdrawal made since.
    listing_consent = fields.Field(
        attribute="listing_consent", column_name=CONSENT, widget=YesNoWidget(), readonly=True
    )
    consent_signed_on = fields.Field(column_name=CONSENT_SIGNED_ON, widget=DateWidget())

    TEXT_COLUMNS_TYPED_AS_NUMBERS = ("手机", "社员编号")

    # The import template's 说明 sheet (portal/import_templates.py).
    column_help = {
        "姓名": _lazy("A row with the name and phone of a member on file changes that member."),
        "社员编号": _lazy(
            "An import never changes the member number on file (a different one is refused)."
        ),
        "手机": _lazy("With the name, finds the member on file; without it, the row adds one."),
        "同意公开": _lazy("Changed only with the date the member signed the paper form."),
    }
    template_example = {
        "姓名": "王芳",
        "社员编号": "00123",
        "性别": "女",
        "所属组织": "医院支社",
        "工作单位": "市第一人民医院",
        "职务": "主任医师",
        "手机": "13812345678",
        "入社日期": "2015-06-01",
        "状态": "在册",
        "同意公开": "否",
    }

    class Meta:
        model = Member
        fields = (
            "name",
            "number",
            "gender",
            "branch",
            "sector",
            "workplace",
            "position",
            "phone",
            "email",
            "joined_on",
            "status",
            "listing_consent",
            "consent_signed_on",
        )
        import_id_fields = ("name", "phone")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["branch"].widget = branch_widget(self.branch_queryset)
        self.for_clerk = False  # known once the import names its user (before_import)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.for_clerk = not sees_every_branch(kwargs.get("user"))

    def import_queryset(self):
        return super().import_queryset().select_related("branch", "sector")

    def shown_errors(self, errors):
        # A row clashing with a member the clerk cannot see is a member of another branch.
        if self.for_clerk:
            errors = hide_register_clashes(ValidationError(errors)).message_dict
        return super().shown_errors(errors)

    def find_instance(self, row):
        # Without a phone, a name alone could pick the wrong one of two namesakes: always add.
        if not row.get("手机"):
            return None
        return super().find_instance(row)

    def before_bulk_save(self, instances):
        for member in instances:
            member.prepare_for_save()

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        number_on_file = instance.number if instance.pk else ""
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.keep_number(instance, number_on_file)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.import_consent(instance, row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def keep_number(self, member, on_file):
        """A member found by name and phone keeps the member number on file: a blank cell
        leaves it, and a different one is refused, never changed silently (a spreadsheet that
        typed 00051 as a number wrote 51). A number is changed on the member's page; a member
        without one gets the file's."""
        if not on_file or member.number == on_file:
            return
        if not (member.number or "").strip():
            member.number = on_file
            return
        raise ValidationError(
            {
                "number": [
                    _(
                        "The member number in the file, %(number)s, differs from the one on "
                        "record for %(name)s, %(on_file)s: an import does not change a member "
                        "number (change it on the member's page). If a spreadsheet dropped its "
                        "leading zeros, format the 社员编号 column as text and type the number "
                        "again."
                    )
                    % {"number": member.number, "name": member.name, "on_file": on_file}
                ]
            }
        )

    def import_consent(self, member, row):
        """同意公开 changes consent only with 同意公开签字日期, the day the member signed a paper
        form, and only if their consent did not change on that day or since. Without the date,
        the consent on file stays and a new member is not listed (a 是 for one is an error:
        the file means to list them, and only the member may say so)."""
        try:
            given = YesNoWidget().clean(row.get(CONSENT))
        except ValueError as error:
            raise ValidationError({CONSENT: [str(error)]}) from None
        try:
            signed_on = DateWidget().clean(row.get(CONSENT_SIGNED_ON))
        except ValueError as error:
            raise ValidationError({CONSENT_SIGNED_ON: [str(error)]}) from None
        if signed_on is None:
            if given and member.pk is None:
                raise ValidationError(
                    {
                        CONSENT: [
                            _(
                                "A new member is listed only with their signed consent: give the "
                                "date they signed it in %(column)s."
                            )
                            % {"column": CONSENT_SIGNED_ON}
                        ]
                    }
                )
            return
        if not str(row.get(CONSENT) or "").strip():
            raise ValidationError(
                {CONSENT: [_("Write 是 or 否: what the member signed on that date.")]}
            )
        if signed_on > timezone.localdate():
            raise ValidationError({CONSENT_SIGNED_ON: [_("This date is in the future.")]})
        on_file = member.listing_consent
        try:
            member.take_signed_consent(given, signed_on)
        except ValidationError as error:
            raise ValidationError({CONSENT_SIGNED_ON: error.messages}) from None
        if member.listing_consent != on_file:
            member._change_reason = _("Consent from the form the member signed on %(date)s") % {
                "date": formats.date_format(signed_on)
            }
