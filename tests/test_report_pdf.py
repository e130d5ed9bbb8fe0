"""The PDF leadership forwards as it is (issue 17): Chinese line breaking, charts whose labels
nothing covers, money as the XLSX shows it, no table cut after its header, the committee and
the period on every page."""

import datetime
import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from reportlab.lib.units import mm

from honours.models import Citation
from members import roles
from members.models import Branch, Enterprise
from portal.templatetags.portal_format import Yuan
from reports import datasets, pdf, summary
from reports.datasets import ReportTable
from tests.factories import CampaignFactory, DonationFactory, RecipientFactory, UserFactory

pytestmark = pytest.mark.django_db

CLOSING = "。，、；：？！）》」』】”’…%"
# A 月/日 date cut at a line's end, or its rest at the next line's start.
DATE_CUT_AT_END = re.compile(r"(\d{4}年|\d{1,2}月\d{0,2})$")
DATE_REST_AT_START = re.compile(r"^(\d{1,2}日|月\d)")
STORY = {"start": "2020-01-01", "end": "2020-12-31"}


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def pdf_lines(content: bytes) -> list[str]:
    return [
        line.strip() for page in pdf_pages(content) for line in page.splitlines() if line.strip()
    ]


def broken_rules(lines: list[str]) -> list[str]:
    return [
        line
        for line in lines
        if line[0] in CLOSING or DATE_CUT_AT_END.search(line) or DATE_REST_AT_START.match(line)
    ]


# The rules, on their own


@pytest.fixture(scope="module")
def font():
    return pdf._font_name()


@pytest.mark.parametrize("padding", range(30))
def test_lines_never_start_with_closing_marks_nor_split_dates(font, padding):
    text = (
        "社" * padding
        + "于2020年2月2日完成。随后，在2月22日（星期六）捐款¥1,234.50元，完成率108%。"
    )

    lines = pdf.break_lines(text, font, 9, 20 * 9)

    assert "".join(lines) == text
    assert broken_rules(lines) == []
    for whole in ("2020年2月2日", "2月22日", "¥1,234.50", "108%"):
        assert any(whole in line for line in lines), (whole, lines)


def test_opening_marks_stay_with_what_follows(font):
    lines = pdf.break_lines("社" * 19 + "《致敬》", font, 9, 20 * 9)

    assert lines == ["社" * 19, "《致敬》"]


def test_a_piece_wider_than_the_line_is_cut_by_characters(font):
    lines = pdf.break_lines("A" * 50, font, 10, 60)

    assert "".join(lines) == "A" * 50 and len(lines) > 1


# The PDF


@pytest.fixture
def long_citations(committee):
    """Citations whose dates and full stops fall at every place of a table cell's line."""
    enterprise = Enterprise.objects.create(name="连云港某科技有限公司")
    for padding in range(40):
        Citation.objects.create(
            kind=Citation.Kind.ENTERPRISE,
            enterprise=enterprise,
            title=f"工作{padding}",
            text="社" * padding + "于2020年2月2日开通服务平台。自2月22日起，每日服务群众。",
            date=datetime.date(2020, 2, 10),
        )


def test_pdf_lines_keep_the_chinese_line_breaking_rules(client, carol, long_citations):
    client.force_login(carol)

    content = client.get("/reports/summary.pdf").content

    lines = pdf_lines(content)
    assert sum("2020年2月2日" in line for line in lines) == 40
    assert broken_rules(lines) == []


@pytest.fixture
def story_leader(db):
    """A leader of the story's committee, the one branch at the top of the demo's tree."""
    call_command("load_demo")
    user = UserFactory(username="leader", branch=Branch.objects.get(name="九三学社连云港市委"))
    user.groups.add(Group.objects.get(name=roles.LEADERSHIP))
    return user


def test_story_pdf_breaks_lines_by_the_rules_and_names_scope_and_period_on_every_page(
    client, story_leader
):
    client.force_login(story_leader)

    content = client.get("/reports/summary.pdf", STORY).content

    pages = pdf_pages(content)
    assert broken_rules(pdf_lines(content)) == []
    assert len(pages) > 1
    for page in pages:
        assert "九三学社连云港市委及全部基层组织" in page
        assert "时间：2020年1月1日 – 2020年12月31日" in page


def test_story_pdf_keeps_each_small_table_on_one_page(client, story_leader):
    client.force_login(story_leader)
    data = summary.leadership_summary(
        period=summary.Period(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)),
        branch=None,
        care_visits=True,
    )

    pages = [
        [line.strip() for line in page.splitlines()]
        for page in pdf_pages(client.get("/reports/summary.pdf", STORY).content)
    ]

    checked = []
    for table in datasets.report_tables(data)[1:]:
        if not table.rows or len(table.rows) > 20:
            continue
        # The last page with the table's title as a line (the key figures name some tables'
        # subjects too) holds its header and its last row.
        page = [lines for lines in pages if table.title in lines][-1]
        rest = page[page.index(table.title) :]
        last = str(pdf._text(table.rows[-1][-1]))[:6]
        assert table.headers[0] in rest and last in "".join(rest), table.title
        checked.append(table.key)
    assert len(checked) >= 8


def test_chart_draws_nothing_outside_its_own_box():
    table = ReportTable(
        "money",
        "按受赠方",
        ["受赠方", "社员捐款"],
        [
            ["九三学社王选关怀基金会抗击新冠肺炎专项基金", Yuan("26600.00")],
            ["连云港市红十字会", Yuan("59956.00")],
        ],
        chart=(0, 1),
    )

    drawing = pdf._pdf_chart(table, pdf._font_name())

    x0, y0, x1, y1 = drawing.getBounds()
    # Whatever follows the chart (the table's header) starts under y = 0.
    assert y0 >= 0 and x1 <= drawing.width
    assert y1 <= drawing.height


def test_chart_axis_has_thousands_separators_and_labels_cut_with_an_ellipsis(client, carol):
    campaign = CampaignFactory()
    recipient = RecipientFactory(name="九三学社王选关怀基金会抗击新冠肺炎专项基金的一个很长的名字")
    campaign.recipients.add(recipient)
    DonationFactory(campaign=campaign, recipient=recipient, amount=Decimal("59956"))
    client.force_login(carol)

    text = "".join(pdf_pages(client.get("/reports/summary.pdf").content))

    assert re.search(r"(?<![\d,])[1-6]0,000(?![\d,])", text)
    assert "…" in text and "59,956" in text


def test_pdf_tables_fill_the_page_width(font):
    table = ReportTable(
        "artworks",
        "文艺作品",
        ["社员", "作品", "日期"],
        [["江涛", "《致敬》", datetime.date(2020, 2, 15)]],
    )

    widths = pdf._column_widths(table, [False, False, True], pdf._styles(font)["cell"])

    assert round(sum(widths)) == round(pdf.WIDTH) and pytest.approx(174 * mm) == pdf.WIDTH


def test_a_cell_is_laid_out_once_a_width():
    """A table asks each cell's size several times for one width: the lines are broken once a
    width, and each width keeps its own lines (drawn at the width last asked)."""
    style = pdf._styles(pdf._font_name())["cell"]
    cell = pdf.CJKParagraph("关于全市加快企业复工复产审批的建议 a<b " * 3, style)

    wide = cell.wrap(300, 100)
    laid_out = cell._paragraph
    narrow = cell.wrap(80, 100)
    again = cell.wrap(300, 50)

    assert again == wide and narrow[1] > wide[1]
    assert cell._paragraph is laid_out
    assert cell.wrap(80, 10) == narrow and cell._paragraph is not laid_out
