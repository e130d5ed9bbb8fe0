"""Spreadsheets as staff open and print them (issue 16): detail exports with columns wide
enough for Chinese, ¥ and thousands formats, a frozen header and a Chinese sheet name, text shown
without the apostrophe CSV needs; the summary workbook printed on A4, fit to the page's width,
its headers repeated and no table or chart cut across pages."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from campaigns.resources import DonationResource
from portal.spreadsheets import display_width, xlsx_file
from tests.factories import (
    CampaignFactory,
    DonationFactory,
    MemberFactory,
    RecipientFactory,
)
from tests.spreadsheets import XLSX, export

pytestmark = pytest.mark.django_db

FEB = datetime.date(2020, 2, 1)


def workbook(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return openpyxl.load_workbook(io.BytesIO(content))


def column(sheet, header: str) -> str:
    """The letter of the column headed ``header``."""
    return next(cell.column_letter for cell in sheet[1] if cell.value == header)


@pytest.fixture
def donation(hospital):
    recipient = RecipientFactory(name="九三学社王选关怀基金会抗击新冠肺炎专项基金")
    return DonationFactory(
        member=MemberFactory(name="欧阳明月", branch=hospital),
        recipient=recipient,
        amount=Decimal("12345.50"),
        date=FEB,
    )


def test_display_width_counts_chinese_characters_twice():
    assert [display_width(v) for v in ["abc", "欧阳明月", "¥1,234.50", None]] == [3, 8, 9, 0]


def test_detail_export_fits_chinese_and_formats_money(client, carol, donation):
    client.force_login(carol)

    sheet = workbook(client.get("/reports/records/donations.xlsx")).active

    amount, date, recipient = (
        column(sheet, "金额（元）"),
        column(sheet, "日期"),
        column(sheet, "受赠方"),
    )
    assert sheet.title == "捐赠"
    assert sheet.freeze_panes == "A2"
    assert (sheet[f"{amount}2"].value, sheet[f"{amount}2"].number_format) == (
        12345.5,
        '"¥"#,##0.00',
    )
    assert sheet[f"{date}2"].number_format == "yyyy-mm-dd"
    # 九三学社王选关怀基金会抗击新冠肺炎专项基金: 21 characters, 42 columns wide, and a margin.
    assert sheet.column_dimensions[recipient].width == 44
    assert sheet["A1"].font.bold


def test_admin_export_names_its_sheet_and_formats_money(client, alice, donation):
    client.force_login(alice)

    response = export(
        client, reverse("admin:campaigns_donation_changelist"), DonationResource, XLSX
    )

    book = workbook(response)
    sheet = book.active
    amount = column(sheet, "金额（元）")
    assert book.sheetnames == ["捐赠"]
    assert sheet.freeze_panes == "A2"
    assert (sheet[f"{amount}2"].value, sheet[f"{amount}2"].number_format) == (
        12345.5,
        '"¥"#,##0.00',
    )
    assert sheet.column_dimensions[column(sheet, "受赠方")].width == 44


def test_xlsx_counts_are_whole_and_quantities_keep_their_decimals():
    stored = xlsx_file(
        "物资",
        ["物品", "数量", "次数"],
        [["口罩", Decimal("250.00"), 3], ["蔬菜", Decimal("2.5"), 1]],
    )
    sheet = openpyxl.load_workbook(stored).active
    stored.close()

    assert [[c.number_format for c in row[1:]] for row in sheet.iter_rows(min_row=2)] == [
        ["#,##0", "#,##0"],
        ["#,##0.0#", "#,##0"],
    ]


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil","x")', "+1", "-2", "@SUM(A1)"])
def test_xlsx_text_shows_no_apostrophe_and_is_never_a_formula(value):
    stored = xlsx_file("名单", ["姓名"], [[value]])
    cell = openpyxl.load_workbook(stored).active["A2"]
    stored.close()

    # A text cell: Excel never runs it, and quotePrefix keeps it text when someone edits it.
    assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)


# The summary workbook, printed


@pytest.fixture
def many_recipients():
    campaign = CampaignFactory()
    for number in range(60):
        recipient = RecipientFactory(name=f"受赠单位{number:02d}")
        campaign.recipients.add(recipient)
        DonationFactory(campaign=campaign, recipient=recipient, amount=Decimal(number + 1))


def test_summary_workbook_prints_on_a4_fit_to_width_with_headers_repeated(
    client, carol, many_recipients
):
    client.force_login(carol)

    book = workbook(client.get("/reports/summary.xlsx"))

    for sheet in book.worksheets:
        assert sheet.page_setup.paperSize == 9, sheet.title  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert book["按受赠方"].print_title_rows == "$1:$1"
    assert book["汇总"].print_title_rows == "$6:$6"


def test_summary_workbook_puts_a_chart_under_its_table_on_a_page_of_its_own(
    client, carol, many_recipients
):
    client.force_login(carol)

    book = workbook(client.get("/reports/summary.xlsx"))

    sheet = book["按受赠方"]
    (chart,) = sheet._charts
    # 60 rows and the header: the table takes more than a page, so the chart starts a new one.
    assert chart.anchor._from.row == 62  # zero-based: row 63, under the table and a blank row
    assert chart.anchor._from.col == 0
    assert [brk.id for brk in sheet.row_breaks.brk] == [62]
