"""Spreadsheet columns of the member register. The Chinese headers are documented in the README
(and given by the template download); a row is matched to a member on file by name and phone."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from members.models import Branch, Member, Sector
from members.spreadsheets import SpreadsheetResource


class ChoiceLabelWidget(widgets.Widget):
    """Reads and writes a choice by its label in either language ("女", "female") or value."""

    def __init__(self, choices, field_label):
        super().__init__(coerce_to_string=False)
        self.choices = choices
        self.field_label = field_label

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ""
        text = str(value).strip()
        for choice_value, label in self.choices.choices:
            labels = {choice_value, str(label)}
            with translation.override("zh-hans"):
                labels.add(str(label))
            with translation.override("en"):
                labels.add(str(label))
            if text.lower() in {item.lower() for item in labels}:
                return choice_value
        allowed = "、".join(str(label) for _value, label in self.choices.choices)
        raise ValueError(
            _("“%(value)s” is not a valid %(field)s; use one of: %(allowed)s")
            % {"value": text, "field": self.field_label, "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


class NamedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key by name, with a message naming the value when nothing matches."""

    def __init__(self, model, field_label, queryset=None):
        super().__init__(model, field="name")
        self.field_label = field_label
        self.scoped_queryset = queryset

    def get_queryset(self, value, row, *args, **kwargs):
        return (
            self.scoped_queryset
            if self.scoped_queryset is not None
            else super().get_queryset(value, row, *args, **kwargs)
        )

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return super().clean(str(value).strip(), row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("No %(field)s named “%(value)s” that you may use")
                % {"field": self.field_label, "value": value}
            ) from None


class ConsentWidget(widgets.Widget):
    YES = {"是", "同意", "yes", "y", "true", "1"}
    NO = {"否", "不同意", "no", "n", "false", "0", ""}

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("“%(value)s” is not 是 or 否") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class MemberResource(SpreadsheetResource):
    # Headers stay Chinese in both languages: they are the file format, not user interface.
    name = fields.Field(attribute="name", column_name="姓名")
    number = fields.Field(attribute="number", column_name="会员编号")
    gender = fields.Field(
        attribute="gender",
        column_name="性别",
        widget=ChoiceLabelWidget(Member.Gender, _("gender")),
    )
    branch = fields.Field(attribute="branch", column_name="所属组织")
    sector = fields.Field(attribute="sector", column_name="界别")
    workplace = fields.Field(attribute="workplace", column_name="工作单位")
    position = fields.Field(attribute="position", column_name="职务")
    phone = fields.Field(attribute="phone", column_name="手机")
    email = fields.Field(attribute="email", column_name="电子邮箱")
    joined_on = fields.Field(
        attribute="joined_on",
        column_name="入社日期",
        widget=widgets.DateWidget(format="%Y-%m-%d", coerce_to_string=False),
    )
    status = fields.Field(
        attribute="status",
        column_name="状态",
        widget=ChoiceLabelWidget(Member.Status, _("status")),
    )
    listing_consent = fields.Field(
        attribute="listing_consent", column_name="同意公开", widget=ConsentWidget()
    )

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
        self.fields["branch"].widget = NamedForeignKeyWidget(
            Branch, _("branch"), branch_queryset if branch_queryset is not None else None
        )
        self.fields["sector"].widget = NamedForeignKeyWidget(Sector, _("sector"))

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        # Status defaults to active; phone may be blank (then the row always creates a member).
        if not row.get("状态"):
            row["状态"] = Member.Status.ACTIVE
        phone = row.get("手机")
        if phone is None:
            row["手机"] = ""
        elif isinstance(phone, int | float):  # Excel stores a typed phone number as a number
            row["手机"] = str(int(phone))
