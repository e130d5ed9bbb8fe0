"""Spreadsheet columns of donations, blood donations and volunteer assignments.

The machinery is the member register's (``portal/spreadsheets.py``): scoped, all-or-nothing,
errors named by the Chinese column and the spreadsheet's row number. What is particular here:

- ``记录编号`` is the record's id: blank adds a record, filled changes that record, which must be
  one the user may change (the scoped queryset); any other number is "not found" alike.
- The member is found only among the members the user may see: by ``社员编号``, else by ``姓名``
  with ``手机``, else by ``姓名`` alone when exactly one member has it. A member outside the scope
  is "not found", as one that does not exist, so a clerk learns nothing about other branches.
- Database constraints come back as errors of the column to correct (the models'
  ``constraint_fields``), checked for the whole file at once (portal/imports.py): a clash within
  the file itself (two overlapping assignments, a receipt number twice) is an error of the later
  row, as is a clash with a record on file.
- A donation of goods carries one goods line in the same row (``物品`` … ``估值（元）``).

Headers and choice words are the file format and stay Chinese in both languages.
"""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from import_export import fields, widgets

from campaigns.models import (
    Assignment,
    BloodDonation,
    Campaign,
    CampaignKind,
    Donation,
    GoodsLine,
    Posting,
    Recipient,
)
from members.models import Enterprise
from members.resources import (
    BranchScopedResource,
    MemberWidget,
    sees_every_branch,
)
from portal import imports
from portal.resources import (
    ChoiceWordWidget,
    DateWidget,
    NamedForeignKeyWidget,
    NumberWidget,
    YesNoWidget,
    invalid_choice,
    required,
)

FORM_WORDS = {"钱款": Donation.Form.MONEY, "物资": Donation.Form.GOODS}
CHANNEL_WORDS = {"直接": Donation.Channel.DIRECT, "促成": Donation.Channel.FACILITATED}
DONATION_STATE_WORDS = {"已收到": Donation.State.RECEIVED, "认捐": Donation.State.PLEDGED}
COMPONENT_WORDS = {
    "全血": BloodDonation.Component.WHOLE_BLOOD,
    "血小板": BloodDonation.Component.PLATELETS,
}
BLOOD_STATE_WORDS = {"已献": BloodDonation.State.DONATED, "认献": BloodDonation.State.PLEDGED}

# The goods line of a goods row: GoodsLine field → column.
GOODS_COLUMNS = {
    "item": "物品",
    "quantity": "数量",
    "unit": "单位",
    "estimated_value": "估值（元）",
}
RECORD_NUMBER_HELP = _lazy("Blank adds a record; a record's number changes that record.")
# Several goods lines of one donation are shown in one cell, joined by this.
LINE_SEPARATOR = "；"


def find_campaign(text, kind, campaigns):
    """The campaign whose slug or title is ``text``; among namesakes, the one of ``kind``.
    ``campaigns`` are those the file names, looked up once."""
    by_slug = [campaign for campaign in campaigns if campaign.slug == text]
    if by_slug:
        return by_slug[0]
    titled = [campaign for campaign in campaigns if campaign.title == text]
    if len(titled) > 1:
        titled = [campaign for campaign in titled if campaign.kind == kind] or titled
    if len(titled) == 1:
        return titled[0]
    if not titled:
        raise invalid_choice(text)
    raise ValueError(
        _("%(count)d campaigns are titled %(title)s: give the campaign's slug instead.")
        % {"count": len(titled), "title": text}
    )


class CampaignWidget(widgets.Widget):
    """A campaign by slug or title. A campaign of another kind is found, so that the model's rule
    can say what is wrong with it ("this campaign is a blood drive")."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        self.campaigns = defaultdict(list)

    def prepare(self, values) -> None:
        texts = {str(value).strip() for value in values if value not in (None, "")}
        self.campaigns = defaultdict(list)
        for campaign in Campaign.objects.filter(Q(slug__in=texts) | Q(title__in=texts)):
            for key in {campaign.slug, campaign.title} & texts:
                self.campaigns[key].append(campaign)

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        return find_campaign(text, self.kind, self.campaigns.get(text, [])) if text else None

    def render(self, value, obj=None, **kwargs):
        return value.title if value is not None else ""


class PostingWidget(widgets.Widget):
    """A posting by its place, within the campaign of the row's 活动 when given."""

    def __init__(self):
        super().__init__()
        self.postings = defaultdict(list)

    def prepare_table(self, table) -> None:
        places = {str(value) for value in table.column("地点") if value}
        self.postings = defaultdict(list)
        for posting in Posting.objects.filter(place__in=places).select_related("campaign"):
            self.postings[posting.place].append(posting)

    def clean(self, value, row=None, **kwargs):
        place = str(value if value is not None else "").strip()
        if not place:
            return None
        campaign = str((row or {}).get("活动") or "").strip()
        postings = self.postings.get(place, [])
        if campaign:
            postings = [p for p in postings if campaign in (p.campaign.slug, p.campaign.title)]
        if len(postings) == 1:
            return postings[0]
        values = {"count": len(postings), "place": place, "campaign": campaign}
        if not postings and campaign:
            raise ValueError(_("No posting %(place)s in %(campaign)s.") % values)
        if not postings:
            raise ValueError(_("No posting %(place)s.") % values)
        if campaign:
            raise ValueError(_("%(count)d postings of %(campaign)s are named %(place)s.") % values)
        raise ValueError(
            _("%(count)d postings are named %(place)s: name the campaign in 活动.") % values
        )

    def render(self, value, obj=None, **kwargs):
        return value.place if value is not None else ""


class RecordResource(BranchScopedResource):
    """The columns and matching every member's record shares: 记录编号 and the member."""

    id = fields.Field(
        attribute="id", column_name="记录编号", widget=NumberWidget(whole=True), readonly=True
    )
    member = fields.Field(attribute="member", column_name="姓名", widget=MemberWidget())
    # Shown so that a file names its members unmistakably; on import they only help find them.
    member_phone = fields.Field(attribute="member__phone", column_name="手机", readonly=True)
    member_number = fields.Field(attribute="member__number", column_name="社员编号", readonly=True)

    TEXT_COLUMNS_TYPED_AS_NUMBERS = ("手机", "社员编号")
    record_number_column = "记录编号"
    # A file names its members by 姓名 or by 社员编号 (MemberWidget).
    alternative_columns = {"姓名": ("社员编号",)}
    member_required = True

    # The import template's 说明 sheet (portal/import_templates.py).
    column_help = {
        "记录编号": RECORD_NUMBER_HELP,
        "姓名": _lazy(
            "The member, found among your branches' members by 社员编号, else by the name with "
            "手机, else by the name alone when one member has it."
        ),
        "活动": _lazy("The campaign's title or its short name (slug)."),
    }

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["member"].widget = MemberWidget(self.member_queryset, self.member_required)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.fields["member"].widget.for_clerk = not sees_every_branch(kwargs.get("user"))

    def prepare_rows(self, table):
        self.fields["member"].widget.prepare_table(table)


class DonationResource(RecordResource):
    campaign = fields.Field(
        attribute="campaign", column_name="活动", widget=CampaignWidget(CampaignKind.DONATION)
    )
    date = fields.Field(attribute="date", column_name="日期", widget=DateWidget())
    form = fields.Field(
        attribute="form",
        column_name="形式",
        widget=ChoiceWordWidget(FORM_WORDS),
        saves_null_values=False,
    )
    amount = fields.Field(
        attribute="amount", column_name="金额（元）", widget=NumberWidget(money=True)
    )
    channel = fields.Field(
        attribute="channel",
        column_name="方式",
        widget=ChoiceWordWidget(CHANNEL_WORDS),
        saves_null_values=False,
    )
    enterprise = fields.Field(
        attribute="enterprise", column_name="企业", widget=NamedForeignKeyWidget(Enterprise)
    )
    donor_name = fields.Field(attribute="donor_name", column_name="社外捐赠人")
    recipient = fields.Field(
        attribute="recipient", column_name="受赠方", widget=NamedForeignKeyWidget(Recipient)
    )
    anonymous = fields.Field(attribute="anonymous", column_name="匿名", widget=YesNoWidget())
    receipt_no = fields.Field(attribute="receipt_no", column_name="收据号")
    state = fields.Field(
        attribute="state",
        column_name="状态",
        widget=ChoiceWordWidget(DONATION_STATE_WORDS),
        saves_null_values=False,
    )
    # The goods line: read in import_instance, written by the dehydrate_ methods.
    goods_item = fields.Field(column_name="物品", readonly=True)
    goods_quantity = fields.Field(column_name="数量", readonly=True)
    goods_unit = fields.Field(column_name="单位", readonly=True)
    goods_value = fields.Field(column_name="估值（元）", readonly=True)

    TEXT_COLUMNS_TYPED_AS_NUMBERS = ("手机", "社员编号", "收据号")
    column_help = {
        **RecordResource.column_help,
        "收据号": _lazy(
            "A receipt number is given once. A row without one that repeats a gift already "
            "held (the same giver, date, amount, recipient, campaign and form) is not imported "
            "unless you choose to."
        ),
        "物品": _lazy("A gift of goods (物资) only: one item a row, with 数量 and 单位."),
    }
    template_example = {
        "姓名": "王芳",
        "手机": "13812345678",
        "活动": "助学募捐",
        "日期": "2020-02-03",
        "形式": "钱款",
        "金额（元）": "500.00",
        "方式": "直接",
        "受赠方": "市红十字会",
        "匿名": "否",
        "收据号": "00123",
        "状态": "已收到",
    }

    class Meta(RecordResource.Meta):
        model = Donation
        fields = (
            "id",
            "member",
            "member_phone",
            "member_number",
            "campaign",
            "date",
            "form",
            "amount",
            "channel",
            "enterprise",
            "donor_name",
            "recipient",
            "anonymous",
            "receipt_no",
            "state",
            "goods_item",
            "goods_quantity",
            "goods_unit",
            "goods_value",
        )

    def __init__(self, **kwargs):
        # A clerk's donation must name a member of theirs, or it would leave their view (as in
        # the admin); committee staff may record one from an enterprise or outsider alone.
        self.member_required = kwargs.pop("member_required", False)
        enterprise_queryset = kwargs.pop("enterprise_queryset", None)
        super().__init__(**kwargs)
        if enterprise_queryset is not None:
            self.fields["enterprise"].widget = NamedForeignKeyWidget(
                Enterprise,
                enterprise_queryset,
                not_found=_lazy("No enterprise named %(name)s in your branches."),
            )
        self.goods_line = None

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(
            "member", "campaign", "enterprise", "recipient"
        ).prefetch_related("goods")

    # Export: a single line as it is; several joined in one cell, which an import then takes
    # only unchanged (one row cannot say which of the lines a change is meant for).

    def _goods(self, donation, field):
        values = [getattr(line, field) for line in donation.goods.all()]
        if len(values) == 1:
            return values[0]
        return LINE_SEPARATOR.join(str(value) for value in values)

    def dehydrate_goods_item(self, donation):
        return self._goods(donation, "item")

    def dehydrate_goods_quantity(self, donation):
        return self._goods(donation, "quantity")

    def dehydrate_goods_unit(self, donation):
        return self._goods(donation, "unit")

    def dehydrate_goods_value(self, donation):
        return self._goods(donation, "estimated_value")

    # Import

    def before_import_row(self, row, **kwargs):
        self.goods_line = None  # the line read from this row, to save with its donation
        super().before_import_row(row, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        errors.update(self.read_goods_line(instance, row))
        if errors:
            raise ValidationError(errors)

    def read_goods_line(self, donation, row) -> dict:
        """Check the row's goods columns and keep the line to save in ``self.goods_line``;
        return the errors by column."""
        cells = {field: row.get(column, "") for field, column in GOODS_COLUMNS.items()}
        given = any(value not in (None, "") for value in cells.values())
        if donation.form == Donation.Form.MONEY and given:
            return {"物品": [_("Only a gift of goods (物资) lists items.")]}
        if donation.form != Donation.Form.GOODS:
            return {}
        lines = list(donation.goods.all()) if donation.pk else []
        if len(lines) > 1:
            exported = {field: str(self._goods(donation, field)) for field in GOODS_COLUMNS}
            if any(str(cells[field]) != exported[field] for field in GOODS_COLUMNS):
                return {
                    "物品": [_("This donation has several goods lines: change them in the admin.")]
                }
            return {}

        line = lines[0] if lines else GoodsLine()
        before = [getattr(line, field) for field in GOODS_COLUMNS]
        errors = {}
        for field, column in GOODS_COLUMNS.items():
            value = cells[field]
            try:
                if field in ("quantity", "estimated_value"):
                    value = NumberWidget(money=field == "estimated_value").clean(value)
                if value in (None, ""):
                    if field != "estimated_value":
                        raise required()
                    value = Decimal("0")
            except ValueError as error:
                errors[column] = [str(error)]
                continue
            setattr(line, field, value)
        exclude = {"donation"} | {f for f, c in GOODS_COLUMNS.items() if c in errors}
        for field, messages in imports.clean_in_memory(line, exclude).items():
            errors.setdefault(GOODS_COLUMNS.get(field, field), []).extend(messages)
        if not errors and (line.pk is None or before != [getattr(line, f) for f in GOODS_COLUMNS]):
            self.goods_line = line
        return errors

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if self.goods_line is not None:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def row_extras(self):
        return self.goods_line

    # The same gift entered twice: the same giver (member, enterprise or outside donor), date,
    # amount, recipient, campaign and form; two receipt numbers that differ tell them apart.
    DUPLICATE_FIELDS = (
        "member_id",
        "enterprise_id",
        "donor_name",
        "date",
        "amount",
        "recipient_id",
        "campaign_id",
        "form",
    )

    def duplicate_key(self, planned):
        donation = planned.instance
        key = tuple(getattr(donation, name) for name in self.DUPLICATE_FIELDS)
        return key, donation.receipt_no

    def records_like(self, rows):
        # Only the records of a row's campaign, date and amount (a goods gift's empty amount
        # matching an empty one), as one join with the file's triples: matching on campaign and
        # date alone read every gift of a drive's busy days (1.6 million for a 50,000-row file).
        campaigns, dates, amounts = zip(
            *{
                (planned.instance.campaign_id, planned.instance.date, planned.instance.amount)
                for planned in rows
            },
            strict=True,
        )
        table = connection.ops.quote_name(Donation._meta.db_table)
        campaign_type = imports.array_type(Donation._meta.get_field("campaign"))
        same_triple = RawSQL(
            f"({table}.campaign_id, {table}.date, COALESCE({table}.amount, -1)) IN ("
            "SELECT campaign, day, COALESCE(amount, -1) "
            f"FROM unnest(%s::{campaign_type}[], %s::date[], %s::numeric[]) "
            "AS file (campaign, day, amount))",
            [list(campaigns), list(dates), list(amounts)],
            output_field=BooleanField(),
        )
        found = self.get_queryset().prefetch_related(None).filter(same_triple)
        return [
            (values[0], tuple(values[1:-1]), values[-1])
            for values in found.order_by("pk").values_list(
                "pk", *self.DUPLICATE_FIELDS, "receipt_no"
            )
        ]

    def save_new(self, batch, *, user):
        super().save_new(batch, user=user)
        self._save_goods_lines(batch, user)

    def save_changed(self, batch, *, user):
        super().save_changed(batch, user=user)
        self._save_goods_lines(batch, user)

    def _save_goods_lines(self, batch, user):
        """Each row's goods line, after its donation (which gives it its id); its history names
        the importing user, as the donation's does."""
        added, changed = [], []
        for planned in batch:
            line = planned.extras
            if line is None:
                continue
            line.donation = planned.instance
            (added if line.pk is None else changed).append(line)
        imports.bulk_save_new(GoodsLine, added, user=user)
        imports.bulk_save_changed(GoodsLine, changed, list(GOODS_COLUMNS), user=user)


class BloodDonationResource(RecordResource):
    campaign = fields.Field(
        attribute="campaign", column_name="活动", widget=CampaignWidget(CampaignKind.BLOOD)
    )
    date = fields.Field(attribute="date", column_name="日期", widget=DateWidget())
    station = fields.Field(attribute="station", column_name="血站")
    volume_ml = fields.Field(
        attribute="volume_ml", column_name="献血量（ml）", widget=NumberWidget(whole=True)
    )
    component = fields.Field(
        attribute="component",
        column_name="成分",
        widget=ChoiceWordWidget(COMPONENT_WORDS),
        saves_null_values=False,
    )
    state = fields.Field(
        attribute="state",
        column_name="状态",
        widget=ChoiceWordWidget(BLOOD_STATE_WORDS),
        saves_null_values=False,
    )

    template_example = {
        "姓名": "王芳",
        "社员编号": "00123",
        "活动": "无偿献血",
        "日期": "2020-02-10",
        "血站": "市中心血站",
        "献血量（ml）": "400",
        "成分": "全血",
        "状态": "已献",
    }

    class Meta(RecordResource.Meta):
        model = BloodDonation
        fields = (
            "id",
            "member",
            "member_phone",
            "member_number",
            "campaign",
            "date",
            "station",
            "volume_ml",
            "component",
            "state",
        )

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("member", "campaign")


class AssignmentResource(RecordResource):
    # The campaign only helps find the posting (地点); it is the posting's.
    campaign = fields.Field(attribute="posting__campaign", column_name="活动", readonly=True)
    posting = fields.Field(attribute="posting", column_name="地点", widget=PostingWidget())
    starts_on = fields.Field(attribute="starts_on", column_name="开始日期", widget=DateWidget())
    ends_on = fields.Field(attribute="ends_on", column_name="结束日期", widget=DateWidget())
    days_served = fields.Field(
        attribute="days_served",
        column_name="服务天数",
        widget=NumberWidget(whole=True),
        saves_null_values=False,
    )
    hours_logged = fields.Field(
        attribute="hours_logged",
        column_name="服务时长（小时）",
        widget=NumberWidget(),
        saves_null_values=False,
    )
    confirmed = fields.Field(attribute="confirmed", column_name="已确认", widget=YesNoWidget())

    template_example = {
        "姓名": "王芳",
        "手机": "13812345678",
        "活动": "社区防控志愿服务",
        "地点": "新浦社区",
        "开始日期": "2020-02-01",
        "结束日期": "2020-02-10",
        "服务天数": "10",
        "已确认": "是",
    }

    class Meta(RecordResource.Meta):
        model = Assignment
        fields = (
            "id",
            "member",
            "member_phone",
            "member_number",
            "campaign",
            "posting",
            "starts_on",
            "ends_on",
            "days_served",
            "hours_logged",
            "confirmed",
        )

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("member", "posting__campaign")

    def prepare_rows(self, table):
        super().prepare_rows(table)
        self.fields["posting"].widget.prepare_table(table)

    def check_set(self, plan, excluded):
        """A member's assignments may not overlap (``assignment_no_overlap``): in the file,
        where a later row overlapping an earlier one is the error, and with those on file that
        the file does not change (one query)."""
        constraint = next(
            c for c in Assignment._meta.constraints if c.name == "assignment_no_overlap"
        )
        judged = {"member", "starts_on", "ends_on"}
        rows = [
            planned
            for planned in plan
            if planned.kind in (imports.NEW, imports.UPDATE) and not judged & excluded[id(planned)]
        ]
        changed = [p.instance.pk for p in plan if p.kind == imports.UPDATE]
        on_file = defaultdict(list)
        if rows:
            members = {planned.instance.member_id for planned in rows}
            for member, starts_on, ends_on in (
                Assignment.objects.filter(member__in=members)
                .exclude(pk__in=changed)
                .values_list("member", "starts_on", "ends_on")
            ):
                on_file[member].append((starts_on, ends_on))
        for planned in rows:
            instance = planned.instance
            spans = on_file[instance.member_id]
            if any(
                starts_on <= instance.ends_on and instance.starts_on <= ends_on
                for starts_on, ends_on in spans
            ):
                error = imports.violation(constraint, instance)
                exclude = excluded[id(planned)]
                imports.file_error(constraint, instance, planned.errors, exclude, error)
            spans.append((instance.starts_on, instance.ends_on))
