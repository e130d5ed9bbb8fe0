"""Spreadsheet columns of the member register. The Chinese headers are documented in the README
(and given by the template download); a row is matched to a member on file by name and phone.

Headers and choice words (女, 在册, 是…) are the file format, not user interface: they stay Chinese
whatever the language, so a file exported in English re-imports unchanged. Error messages use
Django's own wording where it fits, so they are translated wherever Django is.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from import_export import fields, widgets

from members.models import Branch, Member, Sector, hide_register_clashes
from members.scoping import Scope
from members.spreadsheets import SpreadsheetResource

GENDER_WORDS = {"女": Member.Gender.FEMALE, "男": Member.Gender.MALE}
CONSENT = "同意公开"
CONSENT_SIGNED_ON = "同意公开签字日期"
STATUS_WORDS = {
    "在册": Member.Status.ACTIVE,
    "转出": Member.Status.TRANSFERRED,
    "退社": Member.Status.LEFT,
    "去世": Member.Status.DECEASED,
}


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
    """A foreign key by name, looked up only among the rows the user may use."""

    def __init__(self, model, queryset=None, field="name"):
        super().__init__(model, field=field)
        self.scoped_queryset = queryset

    def get_queryset(self, value, row, *args, **kwargs):
        if self.scoped_queryset is not None:
            return self.scoped_queryset
        return super().get_queryset(value, row, *args, **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        try:
            return super().clean(text, row, **kwargs)
        except self.model.DoesNotExist:
            # The same answer for a name that does not exist and one outside the user's scope.
            raise invalid_choice(text) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(
                _("Several records are named %(name)s: rename one in the portal first.")
                % {"name": text}
            ) from None


class DateWidget(widgets.Widget):
    """A date cell, or text as 2020-02-05, 2020/2/5 (Chinese Excel's CSV), 2020.2.5 or 2020年2月5日.

    Written as a real date: a date cell in XLSX, 2020-02-05 in CSV.
    """

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):  # an XLSX date cell is read as a datetime
            return value.date()
        if isinstance(value, datetime.date):
            return value
        for date_format in self.FORMATS:
            try:
                return datetime.datetime.strptime(str(value).strip(), date_format).date()
            except ValueError:
                continue
        raise ValueError(_("Enter a valid date."))

    def render(self, value, obj=None, **kwargs):
        return value


class ConsentWidget(widgets.Widget):
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


class NumberWidget(widgets.Widget):
    """A number cell, or text such as 1,000.50. Written as a number, so XLSX keeps a number cell.

    import-export's own widgets raise a bare decimal error for text that is no number, which the
    import shows as a crash rather than as the column's error.
    """

    def __init__(self, whole=False):
        super().__init__(coerce_to_string=False)
        self.whole = whole

    def clean(self, value, row=None, **kwargs):
        text = str(value).strip().replace(",", "") if value is not None else ""
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(_("Enter a number."))
        if not self.whole:
            return number
        if number != number.to_integral_value():
            raise ValueError(_("Enter a whole number."))
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return value


class MemberWidget(widgets.Widget):
    """The member a record belongs to, named by the row's 姓名 with 手机 or 会员编号.

    ``for_clerk`` (set by the resource for a user who does not see every branch) adds whom to ask
    to "not found": the member may be of another branch, which the message must not confirm.
    """

    def __init__(self, queryset=None, required=True):
        super().__init__()
        self.queryset = queryset if queryset is not None else Member.objects.all()
        self.required = required
        self.for_clerk = False

    def clean(self, value, row=None, **kwargs):
        name = str(value if value is not None else "").strip()
        row = row or {}
        number = str(row.get("会员编号") or "").strip()
        phone = str(row.get("手机") or "").strip()
        if number:
            return self._by_number(number, name)
        if not name:
            if self.required:
                raise required()
            return None
        members = self.queryset.filter(name=name)
        if phone:
            members = members.filter(phone=phone)
        found = list(members[:10])
        if len(found) == 1:
            return found[0]
        if not found and phone:
            raise self._not_found(
                _("No member named %(name)s with the phone %(phone)s in your branches.")
                % {"name": name, "phone": phone}
            )
        if not found:
            raise self._not_found(_("No member named %(name)s in your branches.") % {"name": name})
        raise ValueError(
            _(
                "%(count)d members in your branches are named %(name)s: add 手机 or 会员编号 to "
                "say which."
            )
            % {"count": members.count(), "name": name}
        )

    def _by_number(self, number, name):
        member = self.queryset.filter(number=number).first()
        if member is None:
            raise self._not_found(
                _("No member with the member number %(number)s in your branches.")
                % {"number": number}
            )
        # A typo in either column must not put the record on somebody else.
        if name and member.name != name:
            raise ValueError(
                _("Member number %(number)s is %(member)s, not %(name)s.")
                % {"number": number, "member": member.name, "name": name}
            )
        return member

    def _not_found(self, message):
        return ValueError(refer_to_staff(message) if self.for_clerk else message)

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class MemberResource(SpreadsheetResource):
    name = fields.Field(attribute="name", column_name="姓名")
    number = fields.Field(attribute="number", column_name="会员编号")
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
        attribute="listing_consent", column_name=CONSENT, widget=ConsentWidget(), readonly=True
    )
    consent_signed_on = fields.Field(column_name=CONSENT_SIGNED_ON, widget=DateWidget())

    TEXT_COLUMNS_TYPED_AS_NUMBERS = ("手机", "会员编号")

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
        self.fields["branch"].widget = NamedForeignKeyWidget(Branch, self.branch_queryset)
        self.for_clerk = False  # known once the import names its user (before_import)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.for_clerk = not sees_every_branch(kwargs.get("user"))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            # A row clashing with a member the clerk cannot see is a member of another branch.
            if self.for_clerk:
                raise hide_register_clashes(error) from None
            raise

    def get_instance(self, instance_loader, row):
        # Without a phone, a name alone could pick the wrong one of two namesakes: always add.
        if not row.get("手机"):
            return None
        return super().get_instance(instance_loader, row)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.import_consent(instance, row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def import_consent(self, member, row):
        """同意公开 changes consent only with 同意公开签字日期, the day the member signed a paper
        form, and only if their consent did not change on that day or since. Without the date,
        the consent on file stays and a new member is not listed (a 是 for one is an error:
        the file means to list them, and only the member may say so)."""
        try:
            given = ConsentWidget().clean(row.get(CONSENT))
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
