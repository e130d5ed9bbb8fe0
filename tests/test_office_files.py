"""Office files as staff really make them (issue 16): header variants, unknown and missing
columns, title rows and two-level headers, merged cells, amounts and dates as shown, phones that
Excel turned into numbers, several sheets, and .xls/.ods files. Every file is a real one
(openpyxl's XLSX, CSV bytes as Excel and WPS write them) posted to the real admin."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Donation
from members.models import Member
from portal.models import PendingImport
from tests.factories import CampaignFactory, DonationFactory, RecipientFactory, SectorFactory
from tests.pages import text
from tests.spreadsheets import (
    DONATION_HEADERS,
    MEMBER_HEADERS,
    csv_bytes,
    import_file,
    invalid_rows,
    outcome_texts,
    preview,
    xlsx_bytes,
)

DONATIONS_URL = "/admin/campaigns/donation/"
MEMBERS_URL = "/admin/members/member/"
IMPORTED_ONE = "导入成功，新增1条记录，更新0条记录，删除0条记录，忽略0条记录。"
DONATION_COLUMNS = (
    "记录编号、活动、形式、方式、姓名、企业、社外捐赠人、受赠方、金额（元）、匿名、收据号、日期、"
    "状态、手机、社员编号、物品、数量、单位、估值（元）"
)
MEMBER_COLUMNS = (
    "姓名、社员编号、性别、所属组织、界别、工作单位、职务、手机、电子邮箱、入社日期、状态、同意公开、"
    "同意公开签字日期"
)
DATE_MESSAGE = "请按“年-月-日”填写日期，例如 2020-02-05（也可写 2020/2/5 或 2020年2月5日）。"
AMOUNT_MESSAGE = "请填写以元为单位的金额，例如 1000、1,234.50 或 ¥1,234.50。"
LOST_DIGITS = "这个单元格在表格里被转成了数字，丢失了位数：请把这一列设为文本格式后重新填写。"


@pytest.fixture
def setting(committee, zhao_li):
    CampaignFactory(
        kind="donation", title="抗击疫情募捐", slug="donation-drive", organiser=committee
    )
    RecipientFactory(name="连云港市红十字会")


@pytest.fixture
def register(hospital, hospital_group, haizhou):
    SectorFactory(name="医药卫生界")


def donation(**cells):
    """赵丽's gift of money as a dict of its cells, ``cells`` changed."""
    values = {
        "姓名": "赵丽",
        "手机": "13900001111",
        "活动": "抗击疫情募捐",
        "日期": "2020-02-05",
        "形式": "钱款",
        "金额（元）": "500",
        "方式": "直接",
        "受赠方": "连云港市红十字会",
        "匿名": "否",
        "状态": "已收到",
    }
    return values | cells


def donation_row(headers=DONATION_HEADERS, **cells):
    values = donation(**cells)
    return [values.get(header, "") for header in headers]


def member_row(name, phone, branch="医院支社"):
    values = {"姓名": name, "性别": "女", "所属组织": branch, "手机": phone, "同意公开": "否"}
    return [values.get(header, "") for header in MEMBER_HEADERS]


def file_errors(response):
    return response.context["form"].errors.get("import_file", [])


def refused(response):
    """The preview's page refused the file: errors on the file field and no confirm button."""
    assert "confirm_form" not in response.context
    return file_errors(response)


def book_bytes(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# 1. Headers


def test_header_variants_are_read_as_their_columns(client, alice, setting):
    client.force_login(alice)
    # ASCII brackets, spaces inside and around, the old word 会员 and the old 受赠单位.
    headers = [
        "姓 名",
        " 手机",
        "会员编号",
        "活动",
        "日期 ",
        "形式",
        "金额(元)",
        "受赠单位",
        "状态",
    ]
    canonical = ["姓名", "手机", "社员编号", "活动", "日期", "形式", "金额（元）", "受赠方", "状态"]
    content = csv_bytes(headers, [donation_row(canonical, **{"金额（元）": "1,000.50"})])

    response = import_file(client, DONATIONS_URL, content)

    assert outcome_texts(client, response) == [IMPORTED_ONE]
    assert list(Donation.objects.values_list("member__name", "amount", "recipient__name")) == [
        ("赵丽", Decimal("1000.50"), "连云港市红十字会")
    ]


def test_unknown_columns_are_refused_by_name_before_a_preview(client, alice, setting):
    client.force_login(alice)
    headers = [*DONATION_HEADERS, "备注", "联系人"]
    content = csv_bytes(headers, [donation_row(headers)])

    response = preview(client, DONATIONS_URL, content)

    assert refused(response) == [
        f"不认识的列：备注、联系人。此类记录的列是：{DONATION_COLUMNS}。"
        "请下载导入模板，把数据复制进去后再导入。"
    ]
    assert Donation.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "fixture", "columns", "missing"),
    [
        (DONATIONS_URL, "setting", DONATION_COLUMNS, "活动、日期、形式、受赠方"),
        (MEMBERS_URL, "register", MEMBER_COLUMNS, "姓名、所属组织、手机"),
    ],
    ids=["donations", "members"],
)
def test_a_file_of_other_columns_never_reaches_a_confirm_button(
    client, alice, request, url, fixture, columns, missing
):
    request.getfixturevalue(fixture)
    client.force_login(alice)
    content = csv_bytes(["序号", "单位名称", "数目"], [[n, "某单位", n * 10] for n in range(22)])

    response = preview(client, url, content)

    assert refused(response) == [
        f"不认识的列：序号、单位名称、数目。此类记录的列是：{columns}。"
        "请下载导入模板，把数据复制进去后再导入。",
        f"文件缺少 {missing} 列，此类记录的文件必须有这些列。"
        f"此类记录的列是：{columns}；导入模板中都有这些列。",
    ]
    assert response.context["job"].state == PendingImport.State.INVALID


def test_a_column_given_twice_is_refused(client, alice, setting):
    client.force_login(alice)
    headers = [*DONATION_HEADERS, "金额(元)"]

    response = preview(client, DONATIONS_URL, csv_bytes(headers, [donation_row(headers)]))

    assert refused(response) == ["金额（元） 列出现了不止一次：每列只保留一个。"]


def test_missing_required_columns_are_listed_before_a_preview(client, alice, setting):
    client.force_login(alice)
    headers = [h for h in DONATION_HEADERS if h not in ("日期", "受赠方")]

    response = preview(client, DONATIONS_URL, csv_bytes(headers, [donation_row(headers)]))

    assert refused(response) == [
        "文件缺少 日期、受赠方 列，此类记录的文件必须有这些列。"
        f"此类记录的列是：{DONATION_COLUMNS}；导入模板中都有这些列。"
    ]


def test_a_blood_donation_file_may_name_the_member_by_number_alone(client, alice, setting):
    """社员编号 stands for 姓名: the file names members one way or the other."""
    client.force_login(alice)
    headers = ["社员编号", "活动", "日期", "血站", "献血量（ml）"]

    response = preview(client, "/admin/campaigns/blooddonation/", csv_bytes(headers, [["X1"]]))

    assert file_errors(response) == []
    response = preview(client, "/admin/campaigns/blooddonation/", csv_bytes(headers[1:], [["X"]]))
    assert file_errors(response)[0].startswith("文件缺少 姓名 / 社员编号 列")


def test_a_file_changing_records_by_number_needs_only_the_changed_columns(
    client, alice, setting, zhao_li
):
    client.force_login(alice)
    gift = DonationFactory(member=zhao_li, form="money", amount=Decimal("100"), state="pledged")

    response = import_file(
        client, DONATIONS_URL, csv_bytes(["记录编号", "状态"], [[gift.pk, "已收到"]])
    )

    assert outcome_texts(client, response) == [
        "导入成功，新增0条记录，更新1条记录，删除0条记录，忽略0条记录。"
    ]
    gift.refresh_from_db()
    assert gift.state == "received"
    # A blank record number adds a record, which needs every column.
    response = preview(client, DONATIONS_URL, csv_bytes(["记录编号", "状态"], [["", "已收到"]]))
    assert refused(response)[0].startswith("文件缺少 活动、日期、形式、受赠方 列")


# 2 and 3. Title rows, two-level headers, merged cells


def test_a_title_row_above_the_headers_is_passed_over(client, alice, setting):
    client.force_login(alice)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "2021年捐赠登记表"
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(DONATION_HEADERS))
    # row 2 blank, the headers in row 3
    sheet.append([])
    sheet.append(DONATION_HEADERS)
    sheet.append(donation_row())
    sheet.append(donation_row(**{"日期": "二月"}))

    response = preview(client, DONATIONS_URL, book_bytes(book), "捐赠.xlsx")

    # Rows numbered as the sheet numbers them.
    assert invalid_rows(response) == [(5, {"日期": [DATE_MESSAGE]})]


def test_a_two_level_header_is_read_from_its_lower_row(client, alice, setting):
    client.force_login(alice)
    book = openpyxl.Workbook()
    sheet = book.active
    headers = ["姓名", "手机", "活动", "日期", "形式", "金额（元）", "受赠方", "状态"]
    # 姓名 and 手机 merged over both header rows; the gift's columns under one group name.
    sheet.append(["姓名", "手机", "捐赠信息", None, None, None, None, None])
    sheet.append([None, None, *headers[2:]])
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:B2")
    sheet.merge_cells("C1:H1")
    sheet.append(donation_row(headers))
    csv_two_level = csv_bytes(
        ["姓名", "手机", "捐赠信息", "", "", "", "", ""],
        # Another gift (the same one again would be held back as a duplicate).
        [["", "", *headers[2:]], donation_row(headers, **{"金额（元）": "600"})],
    )

    response = import_file(client, DONATIONS_URL, book_bytes(book), "捐赠.xlsx")
    assert outcome_texts(client, response) == [IMPORTED_ONE]
    # A CSV has no merges: a blank header under a group takes the known header above it.
    response = import_file(client, DONATIONS_URL, csv_two_level)
    assert outcome_texts(client, response) == [IMPORTED_ONE]
    assert Donation.objects.filter(member__name="赵丽").count() == 2


def test_a_cell_merged_down_a_column_is_given_to_every_row(client, alice, register):
    client.force_login(alice)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(MEMBER_HEADERS)
    sheet.append(member_row("王芳", "13812345678"))
    sheet.append(member_row("刘强", "13812345679", branch=None))
    sheet.append(member_row("李娜", "13812345670", branch=None))
    sheet.append(member_row("张伟", "13812345671", branch="医院小组"))
    column = MEMBER_HEADERS.index("所属组织") + 1
    sheet.merge_cells(start_row=2, start_column=column, end_row=4, end_column=column)

    page = preview(client, MEMBERS_URL, book_bytes(book), "社员.xlsx")

    assert "已按表格显示，把合并单元格的值填入了其中 2 个空单元格。" in text(page)
    assert "读取的工作表：Sheet" in text(page)
    import_file(client, MEMBERS_URL, book_bytes(book), "社员.xlsx")
    assert dict(Member.objects.values_list("name", "branch__name")) == {
        "王芳": "医院支社",
        "刘强": "医院支社",
        "李娜": "医院支社",
        "张伟": "医院小组",
    }


# 4 and 5. Amounts and dates as shown


@pytest.mark.parametrize(
    ("shown", "amount"),
    [
        ("¥1,000.00", Decimal("1000")),
        ("￥1,000.00", Decimal("1000")),
        ("1,234.50元", Decimal("1234.50")),
        ("1000元", Decimal("1000")),
        ("1 000", Decimal("1000")),
    ],
)
def test_an_amount_as_shown_is_read(client, alice, setting, shown, amount):
    client.force_login(alice)
    content = csv_bytes(DONATION_HEADERS, [donation_row(**{"金额（元）": shown})])

    response = import_file(client, DONATIONS_URL, content)

    assert outcome_texts(client, response) == [IMPORTED_ONE]
    assert Donation.objects.get().amount == amount


def test_a_wrong_amount_says_which_format_is_expected(client, alice, setting):
    client.force_login(alice)
    content = csv_bytes(DONATION_HEADERS, [donation_row(**{"金额（元）": "1000美元"})])

    assert invalid_rows(preview(client, DONATIONS_URL, content)) == [
        (2, {"金额（元）": [AMOUNT_MESSAGE]})
    ]


@pytest.mark.parametrize("written", ["43866", "2020/2/5 0:00", "2020/2/5", "2020年2月5日"])
def test_a_date_as_excel_and_wps_write_it_to_csv_is_read(client, alice, setting, written):
    client.force_login(alice)
    content = csv_bytes(DONATION_HEADERS, [donation_row(**{"日期": written})])

    response = import_file(client, DONATIONS_URL, content)

    assert outcome_texts(client, response) == [IMPORTED_ONE]
    assert Donation.objects.get().date == datetime.date(2020, 2, 5)


def test_an_excel_serial_number_cell_is_read_as_its_date(client, alice, setting):
    client.force_login(alice)
    content = xlsx_bytes(DONATION_HEADERS, [donation_row(**{"日期": 43866})])

    response = import_file(client, DONATIONS_URL, content, "捐赠.xlsx")

    assert outcome_texts(client, response) == [IMPORTED_ONE]
    assert Donation.objects.get().date == datetime.date(2020, 2, 5)


def test_a_month_first_date_is_refused_with_the_expected_format(client, alice, setting):
    client.force_login(alice)
    content = csv_bytes(DONATION_HEADERS, [donation_row(**{"日期": "2/5/2020"})])

    assert invalid_rows(preview(client, DONATIONS_URL, content)) == [(2, {"日期": [DATE_MESSAGE]})]


# 6. Phones Excel turned into numbers


def test_a_phone_in_scientific_notation_is_named_on_the_phone_column(client, alice, register):
    client.force_login(alice)
    content = csv_bytes(MEMBER_HEADERS, [member_row("王芳", "1.38E+10")])

    assert invalid_rows(preview(client, MEMBERS_URL, content)) == [(2, {"手机": [LOST_DIGITS]})]


def test_a_phone_number_cell_that_lost_digits_is_named_on_the_phone_column(
    client, alice, register, setting
):
    client.force_login(alice)
    members = xlsx_bytes(
        MEMBER_HEADERS,
        [member_row("王芳", 13800000000.0), member_row("刘强", 13812345679)],
    )
    gifts = xlsx_bytes(DONATION_HEADERS, [donation_row(**{"手机": 1.39e10})])

    assert invalid_rows(preview(client, MEMBERS_URL, members, "社员.xlsx")) == [
        (2, {"手机": [LOST_DIGITS]})
    ]
    assert invalid_rows(preview(client, DONATIONS_URL, gifts, "捐赠.xlsx")) == [
        (2, {"手机": [LOST_DIGITS]})
    ]


# 7. Sheet choice


def workbook(*sheets):
    """An XLSX of sheets (title, rows)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    return book_bytes(book)


def test_the_sheet_named_as_the_templates_is_read(client, alice, setting):
    client.force_login(alice)
    content = workbook(
        ("填写说明", [["请按模板填写"]]),
        ("旧数据", [DONATION_HEADERS, donation_row(**{"日期": "二月"})]),
        ("数据记录", [DONATION_HEADERS, donation_row()]),
    )

    page = preview(client, DONATIONS_URL, content, "捐赠.xlsx")

    assert "读取的工作表：数据记录" in text(page)
    assert "confirm_form" in page.context


def test_the_only_sheet_with_the_headers_is_read(client, alice, setting):
    client.force_login(alice)
    content = workbook(
        ("填写说明", [["请按模板填写"]]), ("2021年", [DONATION_HEADERS, donation_row()])
    )

    page = preview(client, DONATIONS_URL, content, "捐赠.xlsx")

    assert "读取的工作表：2021年" in text(page)
    assert "confirm_form" in page.context


def test_several_sheets_of_records_are_refused_naming_them(client, alice, setting):
    client.force_login(alice)
    content = workbook(
        ("一月", [DONATION_HEADERS, donation_row()]), ("二月", [DONATION_HEADERS, donation_row()])
    )

    assert refused(preview(client, DONATIONS_URL, content, "捐赠.xlsx")) == [
        "文件有多个工作表（一月、二月），无法判断哪一个是要导入的记录：请把该工作表命名为“数据记录”"
        "（与导入模板相同），或删除其他工作表。"
    ]


# 8. XLS and ODS


XLS_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def ods_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.mark.parametrize("file_name", ["捐赠.xlsx", "捐赠.csv"])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            XLS_BYTES,
            "这是 Excel 97-2003 (.xls) 文件："
            "请在 Excel/WPS 中另存为 .xlsx（Excel 工作簿）后再导入。",
        ),
        (ods_bytes(), "这是 OpenDocument (.ods) 表格：请另存为 .xlsx（Excel 工作簿）后再导入。"),
    ],
    ids=["xls", "ods"],
)
def test_xls_and_ods_files_are_refused_plainly_whatever_format_was_chosen(
    client, alice, setting, content, message, file_name
):
    client.force_login(alice)

    assert refused(preview(client, DONATIONS_URL, content, file_name)) == [message]


def test_an_xlsx_chosen_as_csv_is_read_as_xlsx(client, alice, setting):
    client.force_login(alice)
    content = xlsx_bytes(DONATION_HEADERS, [donation_row()])

    response = import_file(client, DONATIONS_URL, content, "捐赠.csv")

    assert outcome_texts(client, response) == [IMPORTED_ONE]


def test_a_file_without_a_format_is_told_which_formats_there_are(client, alice, setting):
    client.force_login(alice)
    upload = SimpleUploadedFile("捐赠.xls", XLS_BYTES)

    response = client.post(
        DONATIONS_URL + "import/", {"import_file": upload, "format": "", "resource": "0"}
    )

    assert response.context["form"].errors["format"] == [
        "请选择文件格式：XLSX（.xlsx，Excel 或 WPS 工作簿）或 CSV（.csv）。"
        ".xls、.et 或 .ods 文件请先另存为 .xlsx。"
    ]


def test_the_import_template_filled_in_imports_its_rows(client, alice, setting):
    """The template has a second sheet, 说明, naming every column in its rows: the sheet of
    records is still the one read."""
    client.force_login(alice)
    template = client.get(f"{DONATIONS_URL}import-template/")
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    sheet.append(donation_row(headers))

    page = preview(client, DONATIONS_URL, book_bytes(book), "捐赠.xlsx")

    assert book.sheetnames == ["数据记录", "说明"]
    assert "读取的工作表：数据记录" in text(page)
    assert "confirm_form" in page.context
