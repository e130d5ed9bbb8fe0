"""The member register's spreadsheet import and export, driven through the real admin with real
files: CSV as Chinese Excel saves it (GBK) or as UTF-8 with and without BOM, and XLSX."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.utils import translation
from django.utils.translation import gettext

from members.models import Member
from members.resources import MemberResource
from portal.models import PendingImport
from portal.spreadsheets import restore_neutralised
from tests.factories import MemberFactory, SectorFactory
from tests.pages import text
from tests.spreadsheets import (
    CSV,
    MEMBER_HEADERS,
    XLSX,
    confirm,
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

URL = "/admin/members/member/"
IMPORT_URL = URL + "import/"
PROCESS_URL = URL + "process_import/"
TEMPLATE_URL = URL + "import-template/"

# Dates as Chinese Excel writes them to CSV (2015/6/1) and as typed (2019-09-10).
WANG_FANG = [
    "王芳",
    "M001",
    "女",
    "医院支社",
    "医药卫生界",
    "连云港市第一人民医院",
    "主任医师",
    "13812345678",
    "wangfang@example.org",
    "2015/6/1",
    "在册",
    "是",
    "2020/2/5",  # the day she signed the consent form: a new member is listed only with it
]
LIU_QIANG = [
    "刘强",
    "",
    "男",
    "医院小组",
    "",
    "连云港市第二人民医院",
    "",
    "13812345679",
    "",
    "2019-09-10",
    "",
    "否",
]
NOTHING_IMPORTED = "Nothing was imported: the file has rows with errors. Upload it again."
GOOD_FILE = csv_bytes(MEMBER_HEADERS, [LIU_QIANG])  # a file that passes, for forge_confirm


def member_values(name):
    member = Member.objects.select_related("branch", "sector").get(name=name)
    return (
        member.number,
        member.gender,
        member.branch.name,
        member.sector.name if member.sector else None,
        member.workplace,
        member.position,
        member.phone,
        member.email,
        member.joined_on,
        member.status,
        member.listing_consent,
    )


WANG_FANG_SAVED = (
    "M001",
    "female",
    "医院支社",
    "医药卫生界",
    "连云港市第一人民医院",
    "主任医师",
    "13812345678",
    "wangfang@example.org",
    datetime.date(2015, 6, 1),
    "active",
    True,
)
LIU_QIANG_SAVED = (
    "",
    "male",
    "医院小组",
    None,
    "连云港市第二人民医院",
    "",
    "13812345679",
    "",
    datetime.date(2019, 9, 10),
    "active",
    False,
)


REGISTER_FIELDS = [
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
]


@pytest.fixture
def sector(db):
    return SectorFactory(name="医药卫生界")


@pytest.fixture
def register(hospital, hospital_group, haizhou, sector):
    """The branches and sector that the rows above name."""


# 1 and 2: CSV in the encodings Excel saves


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_member_csv_import_creates_members_in_every_excel_encoding(
    client, alice, register, encoding
):
    client.force_login(alice)
    content = csv_bytes(MEMBER_HEADERS, [WANG_FANG, LIU_QIANG], encoding=encoding)

    response = import_file(client, URL, content, "会员.csv")

    assert response.status_code == 302
    assert outcome_texts(client, response) == [
        "导入成功，新增2条记录，更新0条记录，删除0条记录，忽略0条记录。"
    ]
    assert member_values("王芳") == WANG_FANG_SAVED
    assert member_values("刘强") == LIU_QIANG_SAVED


def test_member_csv_preview_saves_nothing(client, alice, register):
    client.force_login(alice)

    response = preview(
        client, URL, csv_bytes(MEMBER_HEADERS, [WANG_FANG], encoding="gbk"), "会员.csv"
    )

    assert response.status_code == 200
    assert [row.import_type for row in response.context["result"].rows] == ["new"]
    assert (Member.objects.count(), Member.history.count()) == (0, 0)


def test_member_csv_import_records_history_with_the_acting_user(client, alice, register):
    client.force_login(alice)

    import_file(client, URL, csv_bytes(MEMBER_HEADERS, [WANG_FANG]), "会员.csv")

    history = Member.history.filter(name="王芳")
    assert [(h.history_type, h.history_user) for h in history] == [("+", alice)]
    entry = LogEntry.objects.get()
    assert (entry.user, entry.object_repr, entry.is_addition()) == (alice, "王芳", True)


# 3: XLSX


def test_member_xlsx_import_reads_typed_numbers_dates_and_empty_cells(client, alice, register):
    client.force_login(alice)
    wang_fang = [*WANG_FANG]
    wang_fang[1] = 1001  # member number typed as a number
    wang_fang[7] = 13812345678  # phone typed as a number
    wang_fang[9] = datetime.date(2015, 6, 1)  # a date cell
    liu_qiang = [None if value == "" else value for value in LIU_QIANG]  # untouched cells
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(MEMBER_HEADERS, [wang_fang, liu_qiang])))
    book.active.cell(row=5, column=1).font = openpyxl.styles.Font(
        bold=True
    )  # a formatted blank row
    buffer = io.BytesIO()
    book.save(buffer)

    response = import_file(client, URL, buffer.getvalue(), "会员.xlsx")

    assert outcome_texts(client, response) == [
        "导入成功，新增2条记录，更新0条记录，删除0条记录，忽略0条记录。"
    ]
    assert member_values("王芳") == ("1001", *WANG_FANG_SAVED[1:])
    assert member_values("刘强") == LIU_QIANG_SAVED


# 4: one bad row and nothing is saved


def phone_message():
    with translation.override("zh-hans"):
        return gettext("A phone number may hold only digits, spaces, +, - and brackets.")


BAD_CELLS = [
    pytest.param(
        3,
        "不存在支社",
        "所属组织",
        "您所辖组织中没有名为 不存在支社 的组织。",
        id="branch",
    ),
    pytest.param(2, "未知", "性别", "选择一个有效的选项。 未知 不在可用的选项中。", id="gender"),
    pytest.param(
        9,
        "2015年13月1日",
        "入社日期",
        "请按“年-月-日”填写日期，例如 2020-02-05（也可写 2020/2/5 或 2020年2月5日）。",
        id="date",
    ),
    pytest.param(8, "not-an-email", "电子邮箱", "输入一个有效的 Email 地址。", id="email"),
    pytest.param(
        11, "也许", "同意公开", "选择一个有效的选项。 也许 不在可用的选项中。", id="consent"
    ),
]


@pytest.mark.parametrize(("index", "value", "column", "message"), BAD_CELLS)
def test_member_import_with_one_bad_row_shows_its_row_and_column_and_saves_nothing(
    client, alice, register, index, value, column, message
):
    client.force_login(alice)
    bad_row = [*WANG_FANG]
    bad_row[index] = value

    response = preview(client, URL, csv_bytes(MEMBER_HEADERS, [LIU_QIANG, bad_row]), "会员.csv")

    assert response.status_code == 200
    assert invalid_rows(response) == [(3, {column: [message]})]
    assert "confirm_form" not in response.context
    html = response.content.decode()
    assert html.count("<h2>某些行数据验证失败</h2>") == 1
    assert html.count(f'<span class="validation-error-field-label">{column}</span>') == 1
    assert html.count(f"<li>{message}</li>") == 1
    assert Member.objects.count() == 0


def test_member_import_with_letters_in_a_phone_names_the_phone_column(client, alice, register):
    client.force_login(alice)
    bad_row = [*WANG_FANG]
    bad_row[7] = "138abc45678"

    response = preview(client, URL, csv_bytes(MEMBER_HEADERS, [LIU_QIANG, bad_row]), "会员.csv")

    assert invalid_rows(response) == [(3, {"手机": [phone_message()]})]
    assert Member.objects.count() == 0


@pytest.mark.parametrize("file_name", ["会员.csv", "会员.xlsx"])
def test_member_import_forged_confirmation_of_a_bad_file_saves_nothing(
    client, alice, register, file_name
):
    client.force_login(alice)
    bad_row = [*WANG_FANG]
    bad_row[2] = "未知"
    rows = [LIU_QIANG, bad_row]
    content = (
        xlsx_bytes(MEMBER_HEADERS, rows)
        if file_name.endswith(".xlsx")
        else csv_bytes(MEMBER_HEADERS, rows)
    )

    response = forge_confirm(client, URL, content, file_name, good=GOOD_FILE)

    assert response.status_code == 302
    with translation.override("zh-hans"):
        expected = gettext("Nothing was imported: the file has rows with errors. Upload it again.")
    assert outcome_texts(client, response) == [expected]
    assert Member.objects.count() == 0
    assert Member.history.count() == 0
    assert LogEntry.objects.count() == 0


def test_member_import_of_a_file_that_is_not_text_is_refused(client, alice, register):
    client.force_login(alice)

    response = preview(client, URL, b"\x81\x30\x81", "会员.csv")

    assert list(response.context["form"].errors) == ["import_file"]
    assert Member.objects.count() == 0


# 5: a member on file is updated, not added again


def test_member_import_updates_the_member_with_the_same_name_and_phone(
    client, alice, register, zhao_li
):
    client.force_login(alice)
    row = ["赵丽", "", "女", "医院小组", "医药卫生界", "连云港市第四人民医院", "护士长"]
    row += ["13900001111", "zhaoli@example.org", "2010-03-01", "在册", "是"]

    response = import_file(client, URL, csv_bytes(MEMBER_HEADERS, [row]), "会员.csv")

    assert outcome_texts(client, response) == [
        "导入成功，新增0条记录，更新1条记录，删除0条记录，忽略0条记录。"
    ]
    assert Member.objects.filter(name="赵丽").count() == 1
    assert member_values("赵丽") == (
        "",
        "female",
        "医院小组",
        "医药卫生界",
        "连云港市第四人民医院",
        "护士长",
        "13900001111",
        "zhaoli@example.org",
        datetime.date(2010, 3, 1),
        "active",
        True,
    )
    history = Member.history.filter(id=zhao_li.pk).order_by("history_id")
    assert [(h.history_type, h.history_user) for h in history] == [("+", None), ("~", alice)]


def test_member_import_blank_status_keeps_the_status_on_file(client, alice, register, zhao_li):
    zhao_li.status = Member.Status.TRANSFERRED
    zhao_li.save()
    client.force_login(alice)
    row = ["赵丽", "", "女", "医院支社", "医药卫生界", "连云港市第四人民医院", "医师"]
    row += ["13900001111", "", "", "", "是"]

    import_file(client, URL, csv_bytes(MEMBER_HEADERS, [row]), "会员.csv")

    zhao_li.refresh_from_db()
    assert (zhao_li.status, zhao_li.workplace) == ("transferred", "连云港市第四人民医院")


def test_member_import_without_a_phone_never_changes_a_namesake(client, alice, register):
    namesake = MemberFactory(name="刘强", phone="", workplace="海州区人民医院")
    client.force_login(alice)
    row = [*LIU_QIANG]
    row[7] = ""

    import_file(client, URL, csv_bytes(MEMBER_HEADERS, [row]), "会员.csv")

    namesake.refresh_from_db()
    assert namesake.workplace == "海州区人民医院"
    assert Member.objects.filter(name="刘强").count() == 2


# 6: export neutralises formulas and round-trips


@pytest.fixture
def risky_members(hospital, sector):
    """Cells a spreadsheet would run as formulas, and a phone that starts with +."""
    MemberFactory(
        name="=HYPERLINK(1)",
        number="-12",
        branch=hospital,
        sector=sector,
        workplace="+连云港",
        position="@SUM(A1)",
        phone="+86 138 0000 0001",
        email="risky@example.org",
        joined_on=datetime.date(2020, 2, 5),
        listing_consent=False,
    )
    MemberFactory(
        name="赵丽",
        number="",
        branch=hospital,
        sector=None,
        workplace="\t连云港市第四人民医院",
        position="护士",
        phone="13900001111",
        email="",
        joined_on=None,
        gender=Member.Gender.FEMALE,
    )


RISKY_EXPORTED = [
    MEMBER_HEADERS,
    [
        "'=HYPERLINK(1)",
        "'-12",
        "女",
        "医院支社",
        "医药卫生界",
        "'+连云港",
        "'@SUM(A1)",
        "'+86 138 0000 0001",
        "risky@example.org",
        "2020-02-05",
        "在册",
        "否",
        "",
    ],
    [
        "赵丽",
        "",
        "女",
        "医院支社",
        "",
        "'\t连云港市第四人民医院",
        "护士",
        "13900001111",
        "",
        "",
        "在册",
        "是",
        "",
    ],
]


def test_member_csv_export_is_utf8_with_bom_and_neutralises_formulas(client, alice, risky_members):
    client.force_login(alice)

    response = export(client, URL, MemberResource, CSV)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert response.content.startswith(b"\xef\xbb\xbf\xe5\xa7\x93\xe5\x90\x8d,")  # BOM, 姓名
    assert sorted(csv_rows(response.content)) == sorted(RISKY_EXPORTED)


def test_member_xlsx_export_keeps_text_as_text_and_dates_as_dates(client, alice, risky_members):
    client.force_login(alice)

    response = export(client, URL, MemberResource, XLSX)

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    # An XLSX text cell is never a formula: it holds the text as it is, without the apostrophe
    # the CSV needs (portal/spreadsheets.py).
    risky, zhao = ([restore_neutralised(value) for value in row] for row in RISKY_EXPORTED[1:])
    assert [cell.value for cell in sheet[1]] == MEMBER_HEADERS
    assert [cell.value for cell in rows["=HYPERLINK(1)"]] == [
        *risky[:9],
        datetime.datetime(2020, 2, 5),
        *[None if value == "" else value for value in risky[10:]],
    ]
    # Blank text is an empty cell.
    assert [cell.value for cell in rows["赵丽"]] == [None if v == "" else v for v in zhao]
    assert (rows["=HYPERLINK(1)"][9].is_date, rows["=HYPERLINK(1)"][7].data_type) == (True, "s")
    assert rows["=HYPERLINK(1)"][0].quotePrefix
    assert rows["赵丽"][7].data_type == "s"  # a phone stays text, never 1.39E+10


def test_member_export_neutralises_a_leading_carriage_return(client, alice, hospital):
    MemberFactory(name="赵丽", branch=hospital, position="\r护士")
    client.force_login(alice)

    csv_content = export(client, URL, MemberResource, CSV).content
    xlsx_content = export(client, URL, MemberResource, XLSX).content

    assert csv_rows(csv_content)[1][6] == "'\r护士"
    assert xlsx_rows(xlsx_content)[1][6] == "\r护士"  # XLSX: the text as it is


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_member_export_reimported_changes_nothing(client, alice, risky_members, file_format):
    client.force_login(alice)
    before = sorted(Member.objects.values_list(*REGISTER_FIELDS))
    exported = export(client, URL, MemberResource, file_format).content
    file_name = "会员.xlsx" if file_format == XLSX else "会员.csv"

    response = preview(client, URL, exported, file_name)
    confirmed = confirm(client, URL, response)

    assert [row.import_type for row in response.context["result"].rows] == ["skip", "skip"]
    assert outcome_texts(client, confirmed) == [
        "导入成功，新增0条记录，更新0条记录，删除0条记录，忽略2条记录。"
    ]
    assert sorted(Member.objects.values_list(*REGISTER_FIELDS)) == before
    assert Member.history.count() == 2


# 7: scoping


def test_member_export_by_a_clerk_holds_only_their_branches(
    client, bob, zhao_li, group_member, outsider
):
    client.force_login(bob)

    response = export(client, URL, MemberResource, CSV)

    assert sorted(row[0] for row in csv_rows(response.content)[1:]) == ["赵丽", "陈丹"]
    assert b"13900003333" not in response.content
    assert b"kou@example.org" not in response.content
    assert "寇晶磊".encode() not in response.content


def test_member_import_by_a_clerk_into_another_branch_saves_nothing(
    client, bob, register, outsider
):
    client.force_login(bob)
    row = [*WANG_FANG]
    row[3] = "海州支社"

    response = preview(client, URL, csv_bytes(MEMBER_HEADERS, [LIU_QIANG, row]), "会员.csv")
    forged = forge_confirm(
        client, URL, csv_bytes(MEMBER_HEADERS, [LIU_QIANG, row]), "会员.csv", good=GOOD_FILE
    )

    assert invalid_rows(response) == [(3, {"所属组织": ["您所辖组织中没有名为 海州支社 的组织。"]})]
    assert outcome_texts(client, forged) == [zh(NOTHING_IMPORTED)]
    assert sorted(Member.objects.values_list("name", flat=True)) == ["寇晶磊"]


def zh(message):
    with translation.override("zh-hans"):
        return gettext(message)


# What a clerk is told when a row clashes with a member on file (name and phone, or member
# number), wherever that member is: nothing that says the person is on file in another branch.
CANNOT_ADD = "不能在此添加或修改该社员，请联系社市委机关工作人员。"


def test_member_import_by_a_clerk_cannot_change_another_branchs_member(
    client, bob, register, outsider
):
    client.force_login(bob)
    row = ["寇晶磊", "", "男", "医院支社", "", "被改了", "", "13900003333", "", "", "", "否"]

    response = preview(client, URL, csv_bytes(MEMBER_HEADERS, [row]), "会员.csv")
    forged = forge_confirm(
        client, URL, csv_bytes(MEMBER_HEADERS, [row]), "会员.csv", good=GOOD_FILE
    )

    assert invalid_rows(response) == [(2, {"__all__": [CANNOT_ADD]})]
    page = text(response)
    assert "海州支社" not in page
    assert zh("A member with this name and phone is already on file.") not in page
    assert outcome_texts(client, forged) == [zh(NOTHING_IMPORTED)]
    outsider.refresh_from_db()
    assert (outsider.branch.name, outsider.workplace) == ("海州支社", "海州区委政法委")
    assert Member.objects.count() == 1


def test_member_import_by_a_clerk_of_a_number_on_file_says_the_same_wherever_its_member_is(
    client, bob, register, zhao_li, outsider
):
    outsider.number = "HZ1"
    outsider.save()
    zhao_li.number = "YY1"
    zhao_li.save()
    client.force_login(bob)
    elsewhere = ["王芳", "HZ1", "女", "医院支社", "", "", "", "13812345678", "", "", "", "否"]
    own = ["刘强", "YY1", "男", "医院支社", "", "", "", "13812345679", "", "", "", "否"]

    response = preview(client, URL, csv_bytes(MEMBER_HEADERS, [elsewhere, own]), "会员.csv")

    assert invalid_rows(response) == [
        (2, {"__all__": [CANNOT_ADD]}),
        (3, {"__all__": [CANNOT_ADD]}),
    ]
    page = text(response)
    assert "海州支社" not in page and "寇晶磊" not in page
    assert zh("Another member already has this member number.") not in page
    assert Member.objects.count() == 2


def test_member_import_by_committee_staff_keeps_the_precise_clash_message(
    client, alice, register, outsider
):
    outsider.number = "HZ1"
    outsider.save()
    client.force_login(alice)
    row = ["王芳", "HZ1", "女", "医院支社", "", "", "", "13812345678", "", "", "", "否"]

    response = preview(client, URL, csv_bytes(MEMBER_HEADERS, [row]), "会员.csv")

    assert invalid_rows(response) == [(2, {"__all__": ["该社员编号已被其他社员使用。"]})]


def test_member_import_is_closed_to_leadership(client, carol, register):
    client.force_login(carol)

    responses = [
        client.get(IMPORT_URL),
        preview(client, URL, csv_bytes(MEMBER_HEADERS, [WANG_FANG]), "会员.csv"),
        client.post(PROCESS_URL, {"job": "x"}),
        client.get(TEMPLATE_URL),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert Member.objects.count() == 0


def test_member_export_is_open_to_leadership(client, carol, zhao_li, outsider):
    client.force_login(carol)

    response = export(client, URL, MemberResource, CSV)

    assert sorted(row[0] for row in csv_rows(response.content)[1:]) == ["寇晶磊", "赵丽"]


# 8: the template


@pytest.mark.parametrize("user", ["alice", "bob"])
def test_member_import_template_has_exactly_the_documented_headers(
    client, request, zhao_li, outsider, user
):
    client.force_login(request.getfixturevalue(user))

    response = client.get(TEMPLATE_URL)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="member-import-template.xlsx"'
    assert xlsx_rows(response.content) == [MEMBER_HEADERS]


def _stored_upload(response):
    return PendingImport.objects.filter(pk=response.context["job"].pk)


def test_member_import_preview_with_errors_leaves_no_uploaded_file_behind(client, alice, register):
    client.force_login(alice)
    bad_row = [*WANG_FANG]
    bad_row[2] = "未知"

    failed = preview(client, URL, csv_bytes(MEMBER_HEADERS, [LIU_QIANG, bad_row]), "会员.csv")
    passed = preview(client, URL, csv_bytes(MEMBER_HEADERS, [LIU_QIANG]), "会员.csv")

    # Kept as a record of what was wrong (the page survives a reload), without its file.
    assert list(_stored_upload(failed).values_list("state", "data")) == [("invalid", b"")]
    assert bytes(_stored_upload(passed).get().data).startswith("\ufeff姓名".encode())  # kept
    confirm(client, URL, passed)
    # Kept as a record that it was imported (and deleted with the expired ones), without its file.
    assert list(_stored_upload(passed).values_list("state", "data")) == [("imported", b"")]


# 8: gender is optional (many registers never recorded it)

NO_GENDER = 2  # 性别's index in MEMBER_HEADERS and the rows above


def without_gender(row):
    return [value for index, value in enumerate(row) if index != NO_GENDER]


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_member_import_without_a_gender_column_saves_members_without_gender(
    client, alice, register, file_format
):
    client.force_login(alice)
    headers = without_gender(MEMBER_HEADERS)
    rows = [without_gender(WANG_FANG), without_gender(LIU_QIANG)]
    content = (xlsx_bytes if file_format == XLSX else csv_bytes)(headers, rows)

    response = import_file(client, URL, content, "会员.xlsx" if file_format == XLSX else "会员.csv")

    assert outcome_texts(client, response) == [
        "导入成功，新增2条记录，更新0条记录，删除0条记录，忽略0条记录。"
    ]
    assert member_values("王芳") == (WANG_FANG_SAVED[0], "", *WANG_FANG_SAVED[2:])
    assert member_values("刘强") == (LIU_QIANG_SAVED[0], "", *LIU_QIANG_SAVED[2:])


def test_member_import_with_blank_gender_cells_saves_members_without_gender(
    client, alice, register
):
    client.force_login(alice)
    wang_fang, liu_qiang = [*WANG_FANG], [*LIU_QIANG]
    wang_fang[NO_GENDER] = ""
    liu_qiang[NO_GENDER] = None  # an untouched XLSX cell
    content = xlsx_bytes(MEMBER_HEADERS, [wang_fang, liu_qiang])

    response = import_file(client, URL, content, "会员.xlsx")

    assert outcome_texts(client, response) == [
        "导入成功，新增2条记录，更新0条记录，删除0条记录，忽略0条记录。"
    ]
    assert member_values("王芳") == (WANG_FANG_SAVED[0], "", *WANG_FANG_SAVED[2:])
    assert member_values("刘强") == (LIU_QIANG_SAVED[0], "", *LIU_QIANG_SAVED[2:])


def test_member_import_with_a_blank_gender_cell_keeps_the_gender_on_file(client, alice, register):
    MemberFactory(name="王芳", phone="13812345678", gender=Member.Gender.FEMALE)
    client.force_login(alice)
    wang_fang = [*WANG_FANG]
    wang_fang[NO_GENDER] = ""

    import_file(client, URL, csv_bytes(MEMBER_HEADERS, [wang_fang]), "会员.csv")

    assert Member.objects.get(name="王芳").gender == "female"


def test_member_export_says_not_given_for_no_gender_and_reads_it_back(client, alice, hospital):
    MemberFactory(name="赵丽", branch=hospital, gender=Member.Gender.NOT_GIVEN)
    client.force_login(alice)

    exported = export(client, URL, MemberResource, CSV).content
    response = preview(client, URL, exported, "会员.csv")

    assert csv_rows(exported)[1][NO_GENDER] == "未填"
    assert [row.import_type for row in response.context["result"].rows] == ["skip"]
    assert Member.objects.get().gender == ""


# A member number on file is never changed by an import


def test_member_import_refuses_a_number_a_spreadsheet_stripped_of_its_leading_zeros(
    client, alice, register, zhao_li
):
    zhao_li.number = "00051"
    zhao_li.save()
    client.force_login(alice)
    row = ["赵丽", 51, "女", "医院支社", "", "", "", 13900001111, "", "", "", "否"]

    response = preview(client, URL, xlsx_bytes(MEMBER_HEADERS, [row]), "会员.xlsx")

    assert invalid_rows(response) == [
        (
            2,
            {
                "社员编号": [
                    "文件中的社员编号 51 与 赵丽 登记的社员编号 00051 不同：导入不会修改社员编号"
                    "（如需修改，请在该社员的页面中修改）。如果是电子表格去掉了开头的 0，请把"
                    "“社员编号”列设为文本格式后重新填写。"
                ]
            },
        )
    ]
    zhao_li.refresh_from_db()
    assert zhao_li.number == "00051"


def test_member_import_keeps_the_number_on_file_for_a_blank_cell_and_fills_a_missing_one(
    client, alice, register, zhao_li, group_member
):
    zhao_li.number = "00051"
    zhao_li.save()
    client.force_login(alice)
    same = ["赵丽", "", "女", "医院支社", "", "", "护士", "13900001111", "", "", "", "否"]
    new_number = ["陈丹", "00052", "女", "医院小组", "", "", "", "13900002222", "", "", "", "否"]

    response = import_file(client, URL, xlsx_bytes(MEMBER_HEADERS, [same, new_number]), "会员.xlsx")

    assert outcome_texts(client, response) == [
        "导入成功，新增0条记录，更新2条记录，删除0条记录，忽略0条记录。"
    ]
    assert dict(Member.objects.values_list("name", "number")) == {"赵丽": "00051", "陈丹": "00052"}
    assert Member.objects.get(name="赵丽").position == "护士"


def test_member_import_template_keeps_digits_as_text_and_describes_every_column(client, bob):
    client.force_login(bob)

    response = client.get(TEMPLATE_URL)

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["数据记录", "说明"]
    data = book["数据记录"]
    assert [data.column_dimensions[letter].number_format for letter in "ABH"] == [
        "General",
        "@",
        "@",
    ]
    assert data.column_dimensions["F"].width >= 10  # 工作单位: four Chinese characters
    notes = [[cell.value for cell in row] for row in book["说明"].iter_rows()]
    assert notes[0] == ["列名", "必填", "格式", "填写说明", "示例"]
    assert [row[0] for row in notes[1 : len(MEMBER_HEADERS) + 1]] == MEMBER_HEADERS
    described = {row[0]: row[1:] for row in notes[1 : len(MEMBER_HEADERS) + 1]}
    assert described["姓名"] == [
        "必填",
        "文本",
        "姓名和手机与已登记社员相同的一行，修改该社员。",
        "王芳",
    ]
    assert described["社员编号"] == [
        "选填",
        "文本（本列已设为文本格式，开头的 0 会保留）",
        "导入不会修改已登记的社员编号（不同的编号会被拒绝）。",
        "00123",
    ]
    assert described["性别"][:2] == ["选填", "可填：女、男、未填"]
    assert described["所属组织"][:2] == ["必填", "名称，与门户中的写法一致"]
    assert described["入社日期"][1] == "日期，如 2020-02-03 或 2020/2/3"
    assert book["说明"]["E3"].number_format == "@"
    assert notes[-1][0] == (
        "请在第一个工作表中填写，每行一条记录，列名保持不变；上面的示例不会被导入。"
    )


def test_member_import_page_and_a_preview_with_errors_link_to_the_template(client, alice, register):
    client.force_login(alice)
    bad_row = [*WANG_FANG]
    bad_row[2] = "未知"

    upload_page = client.get(URL + "import/")
    errors_page = preview(client, URL, csv_bytes(MEMBER_HEADERS, [bad_row]), "会员.csv")

    link = f'<a href="{TEMPLATE_URL}">下载导入模板（XLSX）</a>'
    assert link in upload_page.content.decode()
    assert link in errors_page.content.decode()
