"""Spreadsheet columns of the member register. The Chinese headers are documented in the README
(and given by the template download); a row is matched to a member on file by name and phone.

Headers and choice words (女, 在册, 是…) are the file format, not user interface: they stay Chinese
whatever the language, so a file exported in English re-imports unchanged. Error messages use
Django's own wording where it fits, so they are translated wherever Django is.
"""

import datetime

from django.utils.translation import gettext as _
from import_export import fields, widgets

from members.models import Branch, Member, Sector
from members.spreadsheets import SpreadsheetResource

GENDER_WORDS = {"女": Member.Gender.FEMALE, "男": Member.Gender.MALE}
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

    def __init__(self, model, queryset=None):
        super().__init__(model, field="name")
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
    listing_consent = fields.Field(
        attribute="listing_consent", column_name="同意公开", widget=ConsentWidget()
    )

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
        )
        import_id_fields = ("name", "phone")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, scope_queryset=None, branch_queryset=None, **kwargs):
        super().__init__(scope_queryset=scope_queryset, **kwargs)
        self.fields["branch"].widget = NamedForeignKeyWidget(Branch, branch_queryset)

    def get_instance(self, instance_loader, row):
        # Without a phone, a name alone could pick the wrong one of two namesakes: always add.
        if not row.get("手机"):
            return None
        return super().get_instance(instance_loader, row)
