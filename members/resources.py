"""Spreadsheet columns of the member register. The Chinese headers are documented in the README
(and given by the template download); a row is matched to a member on file by name and phone.

Headers and choice words (女, 在册, 是…) are the file format, not user interface: they stay Chinese
whatever the language, so a file exported in English re-imports unchanged. Error messages use
Django's own wording where it fits, so they are translated wherever Django is.
"""

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
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

GENDER_WORDS = {"女": Member.Gender.FEMALE, "男": Member.Gender.MALE}
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


class MemberWidget(widgets.Widget):
    """The member a record belongs to, named by the row's 姓名 with 手机 or 社员编号.

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
        number = str(row.get("社员编号") or "").strip()
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
                "%(count)d members in your branches are named %(name)s: add 手机 or 社员编号 to "
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
