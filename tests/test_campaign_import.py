"""Spreadsheet import and export of donations, blood donations and assignments, driven through
the real admin with real files (XLSX, CSV in UTF-8 and in GBK as Chinese Excel saves it).

bob (clerk of 医院支社 and its group) must neither find nor change anything of 寇晶磊 (outsider,
海州支社); alice (committee staff) works on every branch.
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext
from openpyxl.utils import get_column_letter

from campaigns.models import Assignment, BloodDonation, Donation, GoodsLine
from campaigns.resources import AssignmentResource, BloodDonationResource, DonationResource
from members.models import Enterprise
from portal.imports import Planned
from tests.factories import (
    AssignmentFactory,
    BloodDonationFactory,
    CampaignFactory,
    DonationFactory,
    MemberFactory,
    PostingFactory,
    RecipientFactory,
)
from tests.pages import text
from tests.spreadsheets import (
    CSV,
    DONATION_HEADERS,
    XLSX,
    confirm,
    confirm_data,
    csv_bytes,
    csv_rows,
    export,
    forge_confirm,
    import_file,
    invalid_rows,
    outcome_texts,
    preview,
    xlsx_bytes,
    xlsx_rows,
)

MISSING_PK = 987654321


class Kind:
    """One kind of record: its admin URL, resource, columns and two good rows: ``first`` is
    赵丽's, ``second`` 陈丹's, which ``row()`` takes unless told another ``base``; ``csv()`` and
    ``xlsx()`` make a file of rows under its columns."""

    def __init__(self, model, resource, headers, first, second):
        self.model = model
        self.url = f"/admin/campaigns/{model._meta.model_name}/"
        self.resource = resource
        self.headers = headers
        self.first = first
        self.second = second

    def row(self, cells=None, base=None):
        values = {**(self.second if base is None else base), **(cells or {})}
        return [values.get(header, "") for header in self.headers]

    def csv(self, rows, encoding="utf-8-sig"):
        return csv_bytes(self.headers, rows, encoding)

    def xlsx(self, rows):
        return xlsx_bytes(self.headers, rows)

    def good_file(self):
        """A file of ``first``'s row alone, which passes: for forge_confirm."""
        return self.csv([self.row(base=self.first)])


DONATIONS = Kind(
    Donation,
    DonationResource,
    DONATION_HEADERS,
    {
        "姓名": "赵丽",
        "手机": "13900001111",
        "活动": "抗击疫情募捐",
        "日期": "2020/2/3",
        "形式": "钱款",
        "金额（元）": "500.50",
        "方式": "直接",
        "受赠方": "连云港市红十字会",
        "匿名": "否",
        "收据号": "R001",
        "状态": "已收到",
    },
    # 陈丹 by name alone (the only one in bob's branches), the campaign by its slug, goods.
    {
        "姓名": "陈丹",
        "活动": "donation-drive",
        "日期": "2020-02-05",
        "形式": "物资",
        "受赠方": "连云港市红十字会",
        "匿名": "是",
        "状态": "认捐",
        "物品": "N95口罩",
        "数量": "1000",
        "单位": "只",
        "估值（元）": "5000",
    },
)
BLOOD_DONATIONS = Kind(
    BloodDonation,
    BloodDonationResource,
    [
        "记录编号",
        "姓名",
        "手机",
        "社员编号",
        "活动",
        "日期",
        "血站",
        "献血量（ml）",
        "成分",
        "状态",
    ],
    {
        "姓名": "赵丽",
        "手机": "13900001111",
        "活动": "无偿献血",
        "日期": "2020/2/10",
        "血站": "连云港市中心血站",
        "献血量（ml）": "400",
        "成分": "全血",
        "状态": "已献",
    },
    {
        "姓名": "陈丹",
        "活动": "blood-drive",
        "日期": "2020/2/10",
        "血站": "连云港市中心血站",
        "献血量（ml）": "250",
        "成分": "血小板",
        "状态": "认献",
    },
)
ASSIGNMENTS = Kind(
    Assignment,
    AssignmentResource,
    [
        "记录编号",
        "姓名",
        "手机",
        "社员编号",
        "活动",
        "地点",
        "开始日期",
        "结束日期",
        "服务天数",
        "服务时长（小时）",
        "已确认",
    ],
    {
        "姓名": "赵丽",
        "手机": "13900001111",
        "活动": "社区防控志愿服务",
        "地点": "新浦社区",
        "开始日期": "2020/2/1",
        "结束日期": "2020/2/10",
        "服务天数": "10",
        "服务时长（小时）": "80.5",
        "已确认": "是",
    },
    {
        "姓名": "陈丹",
        "地点": "新浦社区",
        "开始日期": "2020-02-01",
        "结束日期": "2020-02-14",
        "服务天数": "",
        "服务时长（小时）": "",
        "已确认": "否",
    },
)
KINDS = {"donations": DONATIONS, "blood": BLOOD_DONATIONS, "assignments": ASSIGNMENTS}


def zh(message, **values):
    """A message of ours in the default language (it stays English until translated)."""
    with translation.override("zh-hans"):
        return gettext(message) % values


NOTHING_IMPORTED = "未导入任何数据：文件中有出错的行。请修改后重新上传。"
IMPORTED_ONE_TWO = "导入成功，新增2条记录，更新0条记录，删除0条记录，忽略0条记录。"


# The campaigns, recipient and posting the rows name


@pytest.fixture
def drive(committee):
    return CampaignFactory(
        kind="donation", title="抗击疫情募捐", slug="donation-drive", organiser=committee
    )


@pytest.fixture
def blood_drive(committee):
    return CampaignFactory(kind="blood", title="无偿献血", slug="blood-drive", organiser=committee)


@pytest.fixture
def volunteer_drive(committee):
    return CampaignFactory(
        kind="volunteer", title="社区防控志愿服务", slug="volunteer-drive", organiser=committee
    )


@pytest.fixture
def red_cross(db):
    return RecipientFactory(name="连云港市红十字会")


@pytest.fixture
def posting(volunteer_drive):
    return PostingFactory(campaign=volunteer_drive, place="新浦社区")


@pytest.fixture
def setting(drive, blood_drive, volunteer_drive, red_cross, posting, zhao_li, group_member):
    """Everything the good rows name."""


# A good file of each kind


def test_donation_xlsx_import_saves_exact_values_and_a_goods_line_with_history(
    client, alice, setting, zhao_li, group_member, drive, red_cross
):
    client.force_login(alice)
    money = DONATIONS.row(
        # Excel cells: a phone and an amount typed as numbers, a date cell.
        {"手机": 13900001111, "金额（元）": 500.5, "日期": datetime.date(2020, 2, 3)},
        base=DONATIONS.first,
    )
    goods = DONATIONS.row({"数量": 1000, "估值（元）": 5000})

    response = import_file(client, DONATIONS.url, DONATIONS.xlsx([money, goods]), "捐赠.xlsx")

    assert outcome_texts(client, response) == [IMPORTED_ONE_TWO]
    fields = ["campaign", "date", "form", "amount", "channel", "member", "enterprise"]
    fields += ["donor_name", "recipient", "anonymous", "receipt_no", "state"]
    assert list(Donation.objects.order_by("date").values_list(*fields)) == [
        (drive.pk, datetime.date(2020, 2, 3), "money", Decimal("500.50"), "direct", zhao_li.pk)
        + (None, "", red_cross.pk, False, "R001", "received"),
        (drive.pk, datetime.date(2020, 2, 5), "goods", None, "direct", group_member.pk, None)
        + ("", red_cross.pk, True, "", "pledged"),
    ]
    line = GoodsLine.objects.get()
    assert (line.donation.member, line.item, line.quantity, line.unit, line.estimated_value) == (
        group_member,
        "N95口罩",
        Decimal("1000.00"),
        "只",
        Decimal("5000.00"),
    )
    assert [(h.history_type, h.history_user) for h in Donation.history.all()] == [
        ("+", alice),
        ("+", alice),
    ]
    assert [(h.history_type, h.history_user) for h in GoodsLine.history.all()] == [("+", alice)]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_blood_donation_csv_import_saves_exact_values_with_history(
    client, alice, setting, zhao_li, group_member, blood_drive, encoding
):
    client.force_login(alice)
    rows = [BLOOD_DONATIONS.row(base=BLOOD_DONATIONS.first), BLOOD_DONATIONS.row()]

    response = import_file(client, BLOOD_DONATIONS.url, BLOOD_DONATIONS.csv(rows, encoding))

    assert outcome_texts(client, response) == [IMPORTED_ONE_TWO]
    fields = ["campaign", "member", "date", "station", "volume_ml", "component", "state"]
    assert list(BloodDonation.objects.order_by("volume_ml").values_list(*fields)) == [
        (blood_drive.pk, group_member.pk, datetime.date(2020, 2, 10), "连云港市中心血站", 250)
        + ("platelets", "pledged"),
        (blood_drive.pk, zhao_li.pk, datetime.date(2020, 2, 10), "连云港市中心血站", 400)
        + ("whole_blood", "donated"),
    ]
    assert [h.history_user for h in BloodDonation.history.all()] == [alice, alice]


def test_assignment_gbk_csv_import_saves_exact_values_with_history(
    client, bob, setting, zhao_li, group_member, posting
):
    client.force_login(bob)
    rows = [ASSIGNMENTS.row(base=ASSIGNMENTS.first), ASSIGNMENTS.row()]

    response = import_file(client, ASSIGNMENTS.url, ASSIGNMENTS.csv(rows, "gbk"))

    assert outcome_texts(client, response) == [IMPORTED_ONE_TWO]
    fields = ["posting", "member", "starts_on", "ends_on", "days_served", "hours_logged"]
    assert list(Assignment.objects.order_by("ends_on").values_list(*fields, "confirmed")) == [
        (posting.pk, zhao_li.pk, datetime.date(2020, 2, 1), datetime.date(2020, 2, 10), 10)
        + (Decimal("80.5"), True),
        (posting.pk, group_member.pk, datetime.date(2020, 2, 1), datetime.date(2020, 2, 14), 0)
        + (Decimal("0.0"), False),
    ]
    assert [h.history_user for h in Assignment.history.all()] == [bob, bob]


# Every rule: the row, the column, nothing saved


@pytest.fixture
def on_file(setting, zhao_li, drive, blood_drive, posting, red_cross):
    """赵丽's records that a second record may clash with."""
    DonationFactory(campaign=drive, member=zhao_li, recipient=red_cross, receipt_no="R009")
    BloodDonationFactory(campaign=blood_drive, member=zhao_li, date=datetime.date(2020, 2, 20))
    AssignmentFactory(
        posting=posting,
        member=zhao_li,
        starts_on=datetime.date(2020, 3, 1),
        ends_on=datetime.date(2020, 3, 10),
    )


NO_GOODS = {"物品": "", "数量": "", "单位": "", "估值（元）": ""}
SAME_DAY_ON_FILE = {"姓名": "赵丽", "日期": "2020/2/20", "成分": "全血", "献血量（ml）": "400"}

RULES = [
    pytest.param(
        DONATIONS, {"金额（元）": "0", "形式": "钱款", **NO_GOODS},
        "金额（元）", "钱款捐赠的金额必须大于零；物资捐赠不填金额。", id="amount-zero",
    ),
    pytest.param(
        DONATIONS, {"金额（元）": "五百", "形式": "钱款", **NO_GOODS},
        "金额（元）", "请填写以元为单位的金额，"
        "例如 1000、1,234.50 或 ¥1,234.50。", id="amount-not-a-number",
    ),
    pytest.param(
        DONATIONS, {"日期": "2020/4/1"},
        "日期", "日期不在活动期间（2020-01-28 – 2020-03-31）内。", id="donation-date-outside",
    ),
    pytest.param(
        DONATIONS, {"活动": "无偿献血"},
        "活动", "该活动是献血活动，不能录入此类记录。", id="donation-campaign-kind",
    ),
    pytest.param(
        DONATIONS, {"收据号": "R001"},  # the first row's receipt number
        "收据号", "该受赠方的此收据号已录入。", id="receipt-in-file",
    ),
    pytest.param(
        DONATIONS, {"收据号": "R009"},  # on file
        "收据号", "该受赠方的此收据号已录入。", id="receipt-on-file",
    ),
    pytest.param(
        DONATIONS, {"单位": ""}, "单位", "这个字段是必填项。", id="goods-without-unit",
    ),
    pytest.param(
        DONATIONS, {"物品": ""}, "物品", "这个字段是必填项。", id="goods-without-item",
    ),
    pytest.param(
        DONATIONS, {"数量": "0"}, "数量", "数量必须大于零。", id="goods-quantity-zero",
    ),
    pytest.param(
        BLOOD_DONATIONS, {"献血量（ml）": "450", "成分": "全血"},
        "献血量（ml）", "全血献血量为 200、300 或 400 毫升；血小板为 250 或 500 毫升。",
        id="blood-volume",
    ),
    pytest.param(
        BLOOD_DONATIONS, {"活动": "抗击疫情募捐"},
        "活动", "该活动是捐赠活动，不能录入此类记录。", id="blood-campaign-kind",
    ),
    pytest.param(
        BLOOD_DONATIONS, {"日期": "2020/4/1"},
        "日期", "日期不在活动期间（2020-01-28 – 2020-03-31）内。", id="blood-date-outside",
    ),
    pytest.param(
        BLOOD_DONATIONS, {"姓名": "赵丽", "成分": "全血", "献血量（ml）": "400"},
        "日期", "该社员当天的献血已录入。", id="blood-same-day-in-file",
    ),
    pytest.param(
        BLOOD_DONATIONS, SAME_DAY_ON_FILE,
        "日期", "该社员当天的献血已录入。", id="blood-same-day-on-file",
    ),
    pytest.param(
        ASSIGNMENTS, {"结束日期": "2020/1/31"},
        "结束日期", "结束日期不能早于开始日期。", id="assignment-ends-before-start",
    ),
    pytest.param(
        ASSIGNMENTS, {"服务天数": "20"},
        "服务天数", "服务天数超过了起止日期之间的天数。", id="assignment-days",
    ),
    pytest.param(
        ASSIGNMENTS, {"姓名": "赵丽", "开始日期": "2020/2/10", "结束日期": "2020/2/12"},
        "开始日期", "该社员在这段日期内已有下沉服务。", id="assignment-overlap-in-file",
    ),
    pytest.param(
        ASSIGNMENTS, {"开始日期": "2020/3/5", "结束日期": "2020/3/12", "姓名": "赵丽"},
        "开始日期", "该社员在这段日期内已有下沉服务。", id="assignment-overlap-on-file",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "cells", "column", "message"), RULES)
def test_import_breaking_a_rule_names_row_and_column_and_saves_nothing(
    client, alice, on_file, kind, cells, column, message
):
    client.force_login(alice)
    before = kind.model.objects.count()
    rows = [kind.row(base=kind.first), kind.row(cells)]

    response = preview(client, kind.url, kind.csv(rows))

    assert invalid_rows(response) == [(3, {column: [message]})]
    assert "confirm_form" not in response.context
    assert kind.model.objects.count() == before
    assert kind.model.history.count() == before
    assert GoodsLine.objects.count() == 0


# The confirmation imports the file again: two rows that clash with each other, where the first
# is really saved before the second is checked, must still leave nothing behind.
CLASHING_ROWS = [
    pytest.param(DONATIONS, {"收据号": "R001"}, "导入.xlsx", id="donations"),
    pytest.param(BLOOD_DONATIONS, {"姓名": "赵丽", "成分": "全血"}, "导入.csv", id="blood"),
    pytest.param(ASSIGNMENTS, {"姓名": "赵丽"}, "导入.csv", id="assignments"),
]


@pytest.mark.parametrize(("kind", "cells", "file_name"), CLASHING_ROWS)
def test_import_forged_confirmation_of_clashing_rows_saves_nothing(
    client, alice, setting, kind, cells, file_name
):
    client.force_login(alice)
    rows = [kind.row(base=kind.first), kind.row(cells)]
    content = kind.xlsx(rows) if file_name.endswith(".xlsx") else kind.csv(rows)

    response = forge_confirm(client, kind.url, content, file_name, good=kind.good_file())

    assert response.status_code == 302
    assert outcome_texts(client, response) == [
        zh("Nothing was imported: the file has rows with errors. Upload it again.")
    ]
    assert (kind.model.objects.count(), kind.model.history.count()) == (0, 0)
    assert (GoodsLine.objects.count(), LogEntry.objects.count()) == (0, 0)


def test_assignment_posting_not_in_the_campaign_names_the_place(client, alice, setting):
    client.force_login(alice)
    rows = [ASSIGNMENTS.row({"活动": "社区防控志愿服务", "地点": "海州社区"})]

    response = preview(client, ASSIGNMENTS.url, ASSIGNMENTS.csv(rows))

    expected = zh(
        "No posting %(place)s in %(campaign)s.", place="海州社区", campaign="社区防控志愿服务"
    )
    assert invalid_rows(response) == [(2, {"地点": [expected]})]


def test_donation_goods_columns_on_a_money_row_are_refused(client, alice, setting):
    client.force_login(alice)
    row = DONATIONS.row({"物品": "口罩"}, base=DONATIONS.first)

    response = preview(client, DONATIONS.url, DONATIONS.csv([row]))

    assert invalid_rows(response) == [
        (2, {"物品": [zh("Only a gift of goods (物资) lists items.")]})
    ]


def test_donation_without_a_recipient_is_refused_in_the_preview(client, alice, setting):
    """A record's required foreign key is checked in the preview, or the import itself fails."""
    client.force_login(alice)
    row = DONATIONS.row({"受赠方": ""}, base=DONATIONS.first)

    response = preview(client, DONATIONS.url, DONATIONS.csv([row]))

    assert invalid_rows(response) == [(2, {"受赠方": ["此字段不能为空。"]})]
    assert Donation.objects.count() == 0


# Finding the member


def test_import_ambiguous_name_says_how_many_in_scope_share_it(
    client, bob, setting, hospital, haizhou
):
    MemberFactory(name="王芳", branch=hospital, phone="13800000001")
    MemberFactory(name="王芳", branch=hospital, phone="13800000002")
    MemberFactory(name="王芳", branch=haizhou, phone="13800000003")  # not bob's: not counted
    client.force_login(bob)
    rows = [BLOOD_DONATIONS.row({"姓名": "王芳"})]

    response = preview(client, BLOOD_DONATIONS.url, BLOOD_DONATIONS.csv(rows))

    expected = zh(
        "%(count)d members in your branches are named %(name)s: add 手机 or 社员编号 to say which.",
        count=2,
        name="王芳",
    )
    assert invalid_rows(response) == [(2, {"姓名": [expected]})]


def test_import_namesakes_told_apart_by_phone_or_member_number(client, bob, setting, hospital):
    wang_1 = MemberFactory(name="王芳", branch=hospital, phone="13800000001", number="M1")
    wang_2 = MemberFactory(name="王芳", branch=hospital, phone="13800000002", number="M2")
    client.force_login(bob)
    rows = [
        BLOOD_DONATIONS.row({"姓名": "王芳", "手机": "13800000001"}),
        BLOOD_DONATIONS.row({"姓名": "", "社员编号": "M2"}),
    ]

    import_file(client, BLOOD_DONATIONS.url, BLOOD_DONATIONS.csv(rows))

    assert sorted(BloodDonation.objects.values_list("member", flat=True)) == [wang_1.pk, wang_2.pk]


def test_import_member_number_of_someone_else_is_refused(client, bob, setting, zhao_li):
    zhao_li.number = "M7"
    zhao_li.save()
    client.force_login(bob)
    rows = [BLOOD_DONATIONS.row({"社员编号": "M7"})]  # 陈丹's row

    response = preview(client, BLOOD_DONATIONS.url, BLOOD_DONATIONS.csv(rows))

    expected = zh(
        "Member number %(number)s is %(member)s, not %(name)s.",
        number="M7",
        member="赵丽",
        name="陈丹",
    )
    assert invalid_rows(response) == [(2, {"姓名": [expected]})]


NOT_FOUND = "No member named %(name)s with the phone %(phone)s in your branches."
ASK_STAFF = (
    "%(reason)s If the member belongs to another branch, ask the committee staff "
    "(社市委机关工作人员)."
)


def zh_for_clerk(message, **values):
    """A clerk's "not found", which says whom to ask whether the member exists elsewhere or not."""
    return zh(ASK_STAFF, reason=zh(message, **values))


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
def test_import_by_clerk_of_member_outside_scope_is_not_found_and_saves_nothing(
    client, bob, on_file, outsider, kind
):
    client.force_login(bob)
    before = kind.model.objects.count()
    outside = kind.row({"姓名": "寇晶磊", "手机": "13900003333"})
    nobody = kind.row({"姓名": "王五", "手机": "13900009999"})
    rows = [kind.row(base=kind.first), outside, nobody]

    response = preview(client, kind.url, kind.csv(rows))
    forged = forge_confirm(client, kind.url, kind.csv(rows), good=kind.good_file())

    assert invalid_rows(response) == [
        (3, {"姓名": [zh_for_clerk(NOT_FOUND, name="寇晶磊", phone="13900003333")]}),
        (4, {"姓名": [zh_for_clerk(NOT_FOUND, name="王五", phone="13900009999")]}),
    ]
    assert "海州支社" not in text(response)
    assert outcome_texts(client, forged) == [NOTHING_IMPORTED]
    assert kind.model.objects.count() == before
    assert not kind.model.objects.filter(member=outsider).exists()


def test_import_of_member_outside_scope_by_member_number_is_not_found(
    client, bob, setting, outsider
):
    outsider.number = "HZ1"
    outsider.save()
    client.force_login(bob)
    rows = [BLOOD_DONATIONS.row({"姓名": "寇晶磊", "社员编号": "HZ1"})]

    response = preview(client, BLOOD_DONATIONS.url, BLOOD_DONATIONS.csv(rows))

    expected = zh_for_clerk(
        "No member with the member number %(number)s in your branches.", number="HZ1"
    )
    assert invalid_rows(response) == [(2, {"姓名": [expected]})]
    assert "海州支社" not in text(response)


def test_import_by_committee_staff_of_an_unknown_member_is_not_referred_to_itself(
    client, alice, setting
):
    client.force_login(alice)
    rows = [BLOOD_DONATIONS.row({"姓名": "王五", "手机": "13900009999"})]

    response = preview(client, BLOOD_DONATIONS.url, BLOOD_DONATIONS.csv(rows))

    assert invalid_rows(response) == [
        (2, {"姓名": ["您所辖组织中没有手机为 13900009999 的社员 王五。"]})
    ]


def test_donation_import_by_clerk_needs_a_member_but_staff_may_name_an_outside_donor(
    client, alice, bob, setting
):
    row = DONATIONS.row({"姓名": "", "社外捐赠人": "张先生"}, base=DONATIONS.first)
    client.force_login(bob)
    refused = preview(client, DONATIONS.url, DONATIONS.csv([row]))
    client.force_login(alice)

    import_file(client, DONATIONS.url, DONATIONS.csv([row]))

    assert invalid_rows(refused) == [(2, {"姓名": ["这个字段是必填项。"]})]
    assert list(Donation.objects.values_list("member", "donor_name")) == [(None, "张先生")]


# Changing a record by its 记录编号


def test_import_with_record_number_updates_that_record_with_history(
    client, bob, setting, zhao_li, drive, red_cross
):
    donation = DonationFactory(campaign=drive, member=zhao_li, recipient=red_cross, amount=100)
    client.force_login(bob)
    row = DONATIONS.row({"记录编号": donation.pk, "金额（元）": "200"}, base=DONATIONS.first)

    response = import_file(client, DONATIONS.url, DONATIONS.csv([row]))

    assert outcome_texts(client, response) == [
        "导入成功，新增0条记录，更新1条记录，删除0条记录，忽略0条记录。"
    ]
    donation.refresh_from_db()
    assert (donation.amount, donation.receipt_no, Donation.objects.count()) == (
        Decimal("200.00"),
        "R001",
        1,
    )
    history = Donation.history.filter(id=donation.pk).order_by("history_id")
    assert [(h.history_type, h.history_user) for h in history] == [("+", None), ("~", bob)]


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
def test_import_by_clerk_of_record_number_outside_scope_is_not_found(
    client, bob, setting, outsider, drive, blood_drive, posting, kind
):
    record = {
        Donation: lambda: DonationFactory(campaign=drive, member=outsider),
        BloodDonation: lambda: BloodDonationFactory(campaign=blood_drive, member=outsider),
        Assignment: lambda: AssignmentFactory(posting=posting, member=outsider),
    }[kind.model]()
    client.force_login(bob)
    rows = [
        kind.row({"记录编号": record.pk}, base=kind.first),
        kind.row({"记录编号": MISSING_PK}, base=kind.first),
    ]

    response = preview(client, kind.url, kind.csv(rows))
    forged = forge_confirm(client, kind.url, kind.csv(rows), good=kind.good_file())

    not_found = "No record %(number)s in your branches."
    assert invalid_rows(response) == [
        (2, {"记录编号": [zh(not_found, number=record.pk)]}),
        (3, {"记录编号": [zh(not_found, number=MISSING_PK)]}),
    ]
    assert outcome_texts(client, forged) == [NOTHING_IMPORTED]
    assert list(kind.model.objects.values_list("pk", "member")) == [(record.pk, outsider.pk)]
    assert kind.model.history.count() == 1


# Export


@pytest.fixture
def everyone_gave(setting, zhao_li, group_member, outsider, drive, blood_drive, posting, red_cross):
    for member in (zhao_li, group_member, outsider):
        DonationFactory(campaign=drive, member=member, recipient=red_cross)
        BloodDonationFactory(campaign=blood_drive, member=member)
        AssignmentFactory(posting=posting, member=member)


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
def test_export_by_clerk_holds_only_their_branches(client, bob, everyone_gave, kind):
    client.force_login(bob)

    response = export(client, kind.url, kind.resource)

    rows = csv_rows(response.content)
    assert rows[0] == kind.headers
    assert sorted(row[1] for row in rows[1:]) == ["赵丽", "陈丹"]
    assert "寇晶磊".encode() not in response.content
    assert b"13900003333" not in response.content


def test_donation_export_shows_goods_and_neutralises_formulas(
    client, alice, setting, zhao_li, drive, red_cross
):
    donation = DonationFactory(
        campaign=drive,
        member=zhao_li,
        recipient=red_cross,
        form="goods",
        amount=None,
        receipt_no="=1+1",
    )
    GoodsLine.objects.create(donation=donation, item="口罩", quantity=1000, unit="只")
    client.force_login(alice)

    rows = xlsx_rows(export(client, DONATIONS.url, DONATIONS.resource, XLSX).content)

    assert rows == [
        DONATIONS.headers,
        [donation.pk, "赵丽", "13900001111", None, "抗击疫情募捐", datetime.datetime(2020, 2, 1)]
        + ["物资", None, "直接", None, None, "连云港市红十字会", "否", "=1+1", "已收到"]
        + ["口罩", 1000, "只", 0],
    ]


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_donation_export_reimported_changes_nothing(
    client, alice, everyone_gave, zhao_li, drive, red_cross, file_format
):
    goods = DonationFactory(
        campaign=drive, member=zhao_li, recipient=red_cross, form="goods", amount=None
    )
    GoodsLine.objects.create(donation=goods, item="口罩", quantity=1000, unit="只")
    GoodsLine.objects.create(donation=goods, item="防护服", quantity=50, unit="套")
    client.force_login(alice)
    file_name = "捐赠.xlsx" if file_format == XLSX else "捐赠.csv"

    response = preview(
        client,
        DONATIONS.url,
        export(client, DONATIONS.url, DONATIONS.resource, file_format).content,
        file_name,
    )
    confirm(client, DONATIONS.url, response)

    assert [row.import_type for row in response.context["result"].rows] == ["skip"] * 4
    assert (Donation.history.count(), GoodsLine.history.count()) == (4, 2)


def test_donation_import_changing_one_of_several_goods_lines_is_refused(
    client, alice, setting, zhao_li, drive, red_cross
):
    goods = DonationFactory(
        campaign=drive, member=zhao_li, recipient=red_cross, form="goods", amount=None
    )
    GoodsLine.objects.create(donation=goods, item="口罩", quantity=1000, unit="只")
    GoodsLine.objects.create(donation=goods, item="防护服", quantity=50, unit="套")
    client.force_login(alice)
    exported = csv_rows(export(client, DONATIONS.url, DONATIONS.resource).content)
    exported[1][DONATIONS.headers.index("数量")] = "2000.00；50.00"

    response = preview(client, DONATIONS.url, DONATIONS.csv(exported[1:]))

    expected = zh("This donation has several goods lines: change them in the admin.")
    assert invalid_rows(response) == [(2, {"物品": [expected]})]


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
def test_import_template_has_exactly_the_documented_headers(client, bob, setting, kind):
    client.force_login(bob)

    response = client.get(kind.url + "import-template/")

    assert response.status_code == 200
    assert xlsx_rows(response.content) == [kind.headers]


def test_donation_import_by_clerk_finds_only_enterprises_of_their_branches(
    client, bob, setting, zhao_li, outsider
):
    own = Enterprise.objects.create(name="康泰医疗")
    own.contacts.add(zhao_li)
    other = Enterprise.objects.create(name="海州建设")
    other.contacts.add(outsider)
    client.force_login(bob)
    facilitated = {"方式": "促成", "收据号": ""}
    rows = [
        DONATIONS.row({**facilitated, "企业": "康泰医疗"}, base=DONATIONS.first),
        DONATIONS.row({**facilitated, "企业": "海州建设"}, base=DONATIONS.first),
    ]

    response = preview(client, DONATIONS.url, DONATIONS.csv(rows))

    assert invalid_rows(response) == [(3, {"企业": ["您所辖组织中没有名为 海州建设 的企业。"]})]


# Duplicates: a file of gifts already entered, imported again without record numbers


def duplicates_of(response):
    """The preview's rows repeating what is held: (row, record number, earlier row)."""
    return list(response.context["outcome"].duplicates)


def test_donation_file_imported_again_flags_every_row_and_a_plain_confirm_adds_none(
    client, bob, setting
):
    client.force_login(bob)
    rows = [DONATIONS.row({"收据号": ""}, base=DONATIONS.first), DONATIONS.row()]
    import_file(client, DONATIONS.url, DONATIONS.csv(rows))
    held = list(Donation.objects.order_by("date").values_list("pk", flat=True))

    again = preview(client, DONATIONS.url, DONATIONS.xlsx(rows), "捐赠.xlsx")
    response = confirm(client, DONATIONS.url, again)

    assert duplicates_of(again) == [(2, held[0], None), (3, held[1], None)]
    page = text(again)
    assert "2 行与已有记录或本文件中前面的行重复" in page
    assert f"记录编号 {held[0]}" in page and f"记录编号 {held[1]}" in page
    assert "仍然导入这些重复的行" in page
    assert outcome_texts(client, response) == [
        "导入成功，新增0条记录，更新0条记录，删除0条记录，忽略0条记录。"
        " 2 行与已有记录重复，未导入。"
    ]
    assert Donation.objects.count() == 2
    assert Donation.history.count() == 2


def test_donation_duplicates_imported_anyway_when_the_user_ticks_the_box(client, bob, setting):
    client.force_login(bob)
    rows = [DONATIONS.row({"收据号": ""}, base=DONATIONS.first), DONATIONS.row()]
    import_file(client, DONATIONS.url, DONATIONS.csv(rows))

    again = preview(client, DONATIONS.url, DONATIONS.csv(rows))
    response = client.post(
        DONATIONS.url + "process_import/", confirm_data(again) | {"import_duplicates": "on"}
    )

    assert outcome_texts(client, response) == [IMPORTED_ONE_TWO]
    assert Donation.objects.count() == 4
    assert GoodsLine.objects.count() == 2


def test_donation_rows_repeated_in_one_file_are_flagged_against_the_earlier_row(
    client, bob, setting, group_member
):
    client.force_login(bob)
    rows = [DONATIONS.row(), DONATIONS.row(base=DONATIONS.first), DONATIONS.row()]

    page = preview(client, DONATIONS.url, DONATIONS.csv(rows))
    response = confirm(client, DONATIONS.url, page)

    assert duplicates_of(page) == [(4, None, 2)]
    assert "本文件第 2 行" in text(page)
    assert outcome_texts(client, response) == [
        "导入成功，新增2条记录，更新0条记录，删除0条记录，忽略0条记录。"
        " 1 行与已有记录重复，未导入。"
    ]
    assert Donation.objects.filter(member=group_member).count() == 1


def test_donations_told_apart_by_their_receipt_numbers_are_no_duplicates(
    client, bob, setting, zhao_li, drive, red_cross
):
    DonationFactory(
        campaign=drive,
        member=zhao_li,
        recipient=red_cross,
        date=datetime.date(2020, 2, 3),
        form="money",
        amount=Decimal("500.50"),
        receipt_no="R000",
    )
    client.force_login(bob)
    other_receipt = DONATIONS.row(base=DONATIONS.first)  # R001: another gift of the same sum
    no_receipt = DONATIONS.row({"收据号": "", "匿名": "是"}, base=DONATIONS.first)

    page = preview(client, DONATIONS.url, DONATIONS.csv([other_receipt, no_receipt]))

    held = Donation.objects.get().pk
    assert duplicates_of(page) == [(3, held, None)]
    assert page.context["outcome"].totals == {"new": 1, "update": 0, "skip": 0, "duplicate": 1}


def test_donation_duplicates_are_found_with_one_query_whatever_the_rows(
    client, alice, setting, zhao_li, drive, red_cross
):
    """The records a file may repeat are read once for the file: a file of many rows repeating
    records asks no more than a file of one."""
    client.force_login(alice)
    counted = []
    for count in (1, 1, 30):
        rows = [
            DONATIONS.row({"收据号": "", "金额（元）": str(number + 1)}, base=DONATIONS.first)
            for number in range(count)
        ]
        import_file(client, DONATIONS.url, DONATIONS.csv(rows))
        with CaptureQueriesContext(connection) as checking:
            page = preview(client, DONATIONS.url, DONATIONS.csv(rows))
        assert len(duplicates_of(page)) == count
        counted.append(len(checking))

    assert counted[1] == counted[2]


def test_donation_duplicates_read_only_the_records_of_a_rows_campaign_day_and_amount(
    setting, zhao_li, drive, red_cross
):
    """The records read to find duplicates are those of a row's campaign, date and amount (an
    empty amount matching an empty one), not every gift of the drive's day."""
    day = datetime.date(2020, 2, 3)
    gift = {"campaign": drive, "member": zhao_li, "recipient": red_cross, "date": day}
    same = DonationFactory(**gift, form="money", amount=Decimal("500.50"), receipt_no="R1")
    goods = DonationFactory(**gift, form="goods", amount=None, receipt_no="R2")
    DonationFactory(**gift, form="money", amount=Decimal("20"), receipt_no="R3")
    DonationFactory(**{**gift, "date": day.replace(day=4)}, form="money", amount=Decimal("500.50"))
    rows = [
        Planned(1, instance=Donation(campaign=drive, date=day, amount=Decimal("500.50"))),
        Planned(2, instance=Donation(campaign=drive, date=day, amount=None)),
    ]

    found = DonationResource().records_like(rows)

    assert sorted(pk for pk, _key, _receipt in found) == [same.pk, goods.pk]


def test_donation_import_logs_each_gift_by_its_members_name(client, alice, setting):
    """The members a file names are read once with only what a record needs of them (the
    name, the number, the phone, the branch); the admin's log names each gift by its member."""
    client.force_login(alice)
    members = [MemberFactory(name=f"社员{n}", phone=f"137000000{n:02d}") for n in range(3)]
    rows = [
        DONATIONS.row({"姓名": m.name, "手机": m.phone, "收据号": ""}, base=DONATIONS.first)
        for m in members
    ]

    response = import_file(client, DONATIONS.url, DONATIONS.csv(rows))

    assert outcome_texts(client, response)[0].startswith("导入成功，新增3条记录")
    assert sorted(LogEntry.objects.values_list("object_repr", flat=True)) == [
        f"社员{n} → 连云港市红十字会" for n in range(3)
    ]


def test_donation_import_template_formats_receipts_and_phones_as_text(client, bob, setting):
    client.force_login(bob)

    response = client.get(DONATIONS.url + "import-template/")

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    data = book.worksheets[0]
    text_columns = [
        header
        for index, header in enumerate(DONATIONS.headers, start=1)
        if data.column_dimensions[get_column_letter(index)].number_format == "@"
    ]
    assert text_columns == ["手机", "社员编号", "收据号"]
    described = {row[0]: row[1:] for row in book["说明"].iter_rows(min_row=2, values_only=True)}
    assert described["收据号"][0] == "选填"
    assert described["收据号"][3] == "00123"
    assert described["形式"][:2] == ("必填", "可填：钱款、物资")
    assert described["记录编号"][:3] == (
        "选填",
        "整数",
        "留空则新增一条记录；填写记录编号则修改该记录。",
    )
    assert xlsx_rows(response.content) == [DONATIONS.headers]
