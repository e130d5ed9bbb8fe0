"""The leadership report: every figure from the records, the same in HTML, XLSX, CSV and PDF;
period and subtree filters; scoping of every download; streamed detail exports."""

import csv
import datetime
import io
import re
import tracemalloc
from collections import deque
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pypdf
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Donation, Goal, GoodsLine
from honours.models import CareVisit, Citation
from members.models import Enterprise
from portal.spreadsheets import CSV_CHUNK, csv_chunks, xlsx_file
from reports import datasets, exports, summary, views
from tests.factories import (
    AssignmentFactory,
    BloodDonationFactory,
    CampaignFactory,
    DonationFactory,
    MemberFactory,
    RecipientFactory,
    SuggestionFactory,
    UserFactory,
)
from tests.pages import shows, text

pytestmark = pytest.mark.django_db

URL = "/reports/"
FEB = datetime.date(2020, 2, 1)


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def csv_rows(content: bytes):
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def leader(carol):
    return carol


def test_story_figures_in_every_format(client, leader):
    call_command("load_demo")
    client.force_login(leader)

    page = text(client.get(URL))
    xlsx = openpyxl.load_workbook(io.BytesIO(client.get("/reports/summary.xlsx").content))
    pdf = pdf_text(client.get("/reports/summary.pdf").content)
    money_csv = csv_rows(client.get("/reports/tables/money_by_recipient.csv").content)
    goods_csv = csv_rows(client.get("/reports/tables/goods.csv").content)

    key = {row[0].value: row[1].value for row in xlsx["汇总"].iter_rows(min_row=6)}
    assert key["社员捐款"] == Decimal("86556.00")
    assert key["社员另捐其他机构（另计）"] == Decimal("1000.00")
    assert key["社员促成捐赠（另计）"] == Decimal("1000000.00")
    assert key["捐赠物资估值"] == Decimal("9800.00")
    assert key["献血人数"] == 12 and key["下沉人数"] == 13
    assert key["一线社员"] == 59
    assert (key["收到建议"], key["报送上级的建议"]) == (62, 40)
    assert (key["文艺作品"], key["组织关怀"], key["寄送慰问信"]) == (3, 1, 59)
    assert [r[:3] for r in money_csv[1:]] == [
        ["连云港市红十字会", "", "59956.00"],
        ["九三学社王选关怀基金会抗击新冠肺炎专项基金", "", "26600.00"],
        ["江苏省慈善总会", "是", "1000.00"],
    ]
    assert {(r[0], r[1], r[2]) for r in goods_csv[1:]} >= {
        ("一次性医用外科口罩", "只", "250"),
        ("医用手套", "副", "400"),
        ("牛奶", "箱", "38"),
        ("八宝粥", "箱", "42"),
        ("方便面", "箱", "8"),
        ("火腿肠", "箱", "2"),
        ("蔬菜", "斤", "300"),
        ("防护服", "套", "225"),
    }
    assert key["服务时长（小时）"] == key["经工作人员确认的时长（小时）"] == 2184
    goals = {row[0].value: row[5].value for row in xlsx["活动：目标与进展"].iter_rows(min_row=2)}
    assert goals["缴纳“特殊社费” 支援疫情防控"] == 108
    for figure in ["86,556", "59,956", "26,600", "1,000,000", "9,800"]:
        assert figure in page
        assert figure in pdf
    compact = pdf.replace(" ", "")  # the PDF wraps Chinese anywhere in a line
    for words in ["社员奉献与活动情况汇总", "《致敬》", "2020年2月22日", "陈丹、刘保、孟尔旺"]:
        assert words in compact
    assert "第 1 页" in pdf


def test_every_records_report_from_the_tallies_equals_one_counted_from_the_records():
    """The whole committee over every day reads its money, goods, each campaign's volunteers and
    the suggestions' counts from the tallies; the same records as a period from year 1 are
    counted from the records: every figure must be equal."""
    call_command("load_demo")
    DonationFactory(form="goods", amount=None, state="pledged")  # no line: counted nowhere
    figures = [
        "money",
        "goods",
        "goods_value",
        "money_by_recipient",
        "campaigns",
        "headline",
        "suggestions",
        "suggestions_by_body",
    ]

    def report(period):
        data = summary.leadership_summary(period=period, branch=None, care_visits=True)
        return {name: data[name] for name in figures}

    tallied = report(summary.Period())
    counted = report(summary.Period(start=datetime.date(datetime.MINYEAR, 1, 1)))

    assert tallied == counted
    assert tallied["money"]["members_own"] == Decimal("86556.00")


def test_xlsx_numbers_are_numbers_with_formats_charts_and_frozen_headers(client, leader):
    campaign = CampaignFactory()
    recipient = RecipientFactory()
    campaign.recipients.add(recipient)
    DonationFactory(campaign=campaign, recipient=recipient, amount=Decimal("1234.50"))
    client.force_login(leader)

    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/summary.xlsx").content))
    sheet = book["按受赠方"]

    assert sheet["A1"].value == "受赠方"
    assert (sheet["C2"].value, sheet["C2"].number_format) == (Decimal("1234.50"), '"¥"#,##0.00')
    assert sheet.freeze_panes == "A2"
    assert len(sheet._charts) == 1


def test_figures_exact_for_period_and_subtree(client, alice, hospital, hospital_group, haizhou):
    campaign = CampaignFactory(starts_on=datetime.date(2020, 1, 1), ends_on=None)
    recipient = RecipientFactory()
    campaign.recipients.add(recipient)
    for branch, amount, day in [
        (hospital, "100.10", FEB),
        (hospital_group, "0.01", FEB),
        (haizhou, "5000", FEB),
        (hospital, "7", datetime.date(2020, 5, 1)),  # outside the period
    ]:
        DonationFactory(
            campaign=campaign,
            recipient=recipient,
            member=MemberFactory(branch=branch),
            amount=Decimal(amount),
            date=day,
        )

    data = summary.leadership_summary(
        period=summary.Period(datetime.date(2020, 2, 1), datetime.date(2020, 2, 29)),
        branch=hospital,
        care_visits=True,
    )

    assert data["money"]["members_own"] == Decimal("100.11")
    assert data["money"]["member_donors"] == 2
    assert data["campaigns"][0]["goals"] == []


def test_clerk_downloads_only_own_subtree(client, bob, hospital, haizhou, zhao_li, outsider):
    DonationFactory(member=zhao_li, amount=Decimal("11.00"), receipt_no="R-MINE")
    DonationFactory(member=outsider, amount=Decimal("99999.00"), receipt_no="R-THEIRS")
    BloodDonationFactory(member=outsider, station="海州血站")
    client.force_login(bob)

    forged = text(client.get(URL, {"branch": haizhou.pk}))
    records = streamed(client.get("/reports/records/donations.csv", {"branch": haizhou.pk}))
    blood = streamed(client.get("/reports/records/blood_donations.csv"))
    pdf = pdf_text(client.get("/reports/summary.pdf", {"branch": haizhou.pk}).content)

    assert "R-MINE" in records.decode("utf-8-sig")
    for content in (forged, records.decode("utf-8-sig"), blood.decode("utf-8-sig"), pdf):
        assert not shows(content, "99,999") and not shows(content, "99999")
        assert "R-THEIRS" not in content and "寇晶磊" not in content and "海州血站" not in content


@pytest.mark.parametrize(
    "path", ["/reports/", "/reports/summary.pdf", "/reports/records/donations.csv"]
)
def test_report_refused_to_members_and_visitors(client, path, zhao_li):
    zhao_li.user = UserFactory(username="zhaoli", is_staff=False)
    zhao_li.save()

    anonymous = client.get(path)
    client.force_login(zhao_li.user)
    member = client.get(path)

    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert member.status_code == 403


def test_csv_is_formula_safe(client, leader):
    campaign = CampaignFactory()
    recipient = RecipientFactory(name='=HYPERLINK("x")')
    DonationFactory(campaign=campaign, recipient=recipient)
    client.force_login(leader)

    table = csv_rows(client.get("/reports/tables/money_by_recipient.csv").content)
    records = csv_rows(streamed(client.get("/reports/records/donations.csv")))

    assert table[1][0] == '\'=HYPERLINK("x")'
    assert records[1][6] == '\'=HYPERLINK("x")'


def test_detail_export_streams_and_splits_sheets_at_the_row_limit(client, leader):
    for day in range(5):
        DonationFactory(date=FEB + datetime.timedelta(days=day))
    queryset = summary.records(summary.Period(), None)["donations"]

    response = exports.xlsx_response(exports.EXPORTS["donations"], queryset, "x", max_rows=3)
    book = openpyxl.load_workbook(io.BytesIO(streamed(response)))
    response.close()

    assert book.sheetnames == ["捐赠", "捐赠 (2)", "捐赠 (3)"]
    assert [sheet.max_row for sheet in book.worksheets] == [3, 3, 2]
    assert book.worksheets[0]["A2"].value.date() == FEB


def test_detail_export_csv_has_every_row_in_order(client, leader):
    for day in range(30):
        DonationFactory(date=FEB + datetime.timedelta(days=day % 28), receipt_no=f"N{day}")
    client.force_login(leader)

    rows = csv_rows(streamed(client.get("/reports/records/donations.csv")))

    assert len(rows) == 31
    assert rows[0][:3] == ["日期", "活动", "社员"]
    assert [row[-1] for row in rows[1:]] == [f"N{day}" for day in range(30)]
    assert Donation.objects.count() == 30


def test_csv_writer_reads_rows_only_as_its_pieces_are_taken():
    read = []

    def thousand():
        for number in range(1000):
            read.append(number)
            yield ["名" * 998, number % 10]

    pieces = csv_chunks(["姓名", "数"], thousand())
    bom, first = next(pieces), next(pieces)

    # A row is 1,002 characters with its line end; a piece goes out once it holds more than
    # CSV_CHUNK of them, headers included.
    assert bom == b"\xef\xbb\xbf"
    assert first.startswith(("姓名,数\r\n" + "名" * 998 + ",0\r\n").encode())
    assert len(read) == (CSV_CHUNK - len("姓名,数\r\n")) // 1002 + 1


def peak_memory(write) -> int:
    tracemalloc.start()
    try:
        write()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def rows(count: int):
    return ([f"社员{number}", number, FEB, Decimal("1.50"), None] for number in range(count))


def test_spreadsheet_writers_memory_does_not_grow_with_the_rows():
    headers = ["姓名", "编号", "日期", "金额", "备注"]

    def csv_file(count):
        # Each piece is sent and forgotten, as a streaming response does.
        return lambda: deque(csv_chunks(headers, rows(count)), maxlen=0)

    def xlsx(count):
        return lambda: xlsx_file("捐赠", headers, rows(count)).close()

    csv_few, csv_many = peak_memory(csv_file(5_000)), peak_memory(csv_file(50_000))
    xlsx_few, xlsx_many = peak_memory(xlsx(500)), peak_memory(xlsx(5_000))

    # Ten times the rows, not 100 KB more: no writer holds its rows or its file in memory.
    assert csv_many - csv_few < 100_000
    assert xlsx_many - xlsx_few < 100_000


@pytest.mark.parametrize("care_visits", [True, False])
def test_report_tables_in_the_report_order(care_visits):
    data = summary.leadership_summary(period=summary.Period(), branch=None, care_visits=care_visits)

    keys = [table.key for table in datasets.report_tables(data)]

    assert keys == [
        "summary",
        "branches",
        "campaigns",
        "money_by_recipient",
        "goods",
        "front_line_by_sector",
        "front_line_by_branch",
        "suggestions_by_body",
        "artworks",
        "enterprise_work",
    ] + (["care_visits"] if care_visits else [])


def test_bad_period_is_named_and_ignored(client, leader):
    client.force_login(leader)

    response = client.get(URL, {"start": "2020-03-01", "end": "2020-02-01"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"end": ["结束日期不能早于开始日期。"]}


def test_summary_queries_do_not_grow(client, leader):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    client.force_login(leader)
    DonationFactory()
    SuggestionFactory()
    queries()  # the first request fills per-process caches (content types, translations)
    few = queries()
    for _ in range(10):
        DonationFactory()
        BloodDonationFactory()
        SuggestionFactory()

    assert few == queries()


def test_page_and_files_do_not_read_what_only_the_briefing_tells(client, leader):
    """The places with every posted member's name, the stations, citations and titles are read
    for the Word briefing alone: at national scale the names were a tenth of the report's time."""
    client.force_login(leader)
    AssignmentFactory()

    def reads_posted_names(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return any(
            "campaigns_assignment" in q["sql"] and '"members_member"."name"' in q["sql"]
            for q in captured
        )

    assert [reads_posted_names(URL + path) for path in ("", "summary.xlsx", "summary.pdf")] == [
        False,
        False,
        False,
    ]
    assert reads_posted_names(URL + "briefing.docx")


def test_branch_report_names_only_visited_members_of_the_branch(
    client, alice, hospital, zhao_li, outsider
):
    visit = CareVisit.objects.create(date=FEB, sites="医院")
    visit.visited.set([zhao_li, outsider])
    client.force_login(alice)

    page = text(client.get(URL, {"branch": hospital.pk}))

    assert "赵丽" in page and "寇晶磊" not in page


@pytest.fixture
def care_visit(committee, zhao_li):
    """A visit to bob's own member: even so, clerks do not view care visits (members/roles.py,
    members/roles.py): they are the committee's records."""
    leader = MemberFactory(name="领导金丝雀", branch=committee)
    DonationFactory(member=zhao_li, receipt_no="R-ZHAO")  # so that bob's files are not empty
    visit = CareVisit.objects.create(date=FEB, sites="金丝雀慰问点", letters_sent=7)
    visit.leaders.set([leader])
    visit.visited.set([zhao_li])
    return visit


CARE_VISIT_WORDS = ["金丝雀慰问点", "领导金丝雀", "组织关怀", "寄送慰问信", "慰问社员"]


def report_files(client) -> dict[str, str]:
    """The report page and every download it links to, as text (XLSX cells, PDF text)."""
    page = client.get(URL)
    files = {URL: text(page)}
    for url in sorted(
        set(re.findall(r'href="(/reports/[^"?]+\.(?:csv|xlsx|pdf))', page.content.decode()))
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        content = streamed(response) if response.streaming else response.content
        if url.endswith(".pdf"):
            files[url] = pdf_text(content).replace(" ", "")
        elif url.endswith(".xlsx"):
            book = openpyxl.load_workbook(io.BytesIO(content))
            files[url] = "\n".join(
                str(cell) for sheet in book.worksheets for row in sheet.values for cell in row
            )
        else:
            files[url] = content.decode("utf-8-sig")
    return files


def test_clerk_report_holds_no_care_visit(client, bob, care_visit):
    client.force_login(bob)

    files = report_files(client)
    care_table = client.get("/reports/tables/care_visits.csv")

    assert {url: [w for w in CARE_VISIT_WORDS if w in body] for url, body in files.items()} == {
        url: [] for url in files
    }
    assert "R-ZHAO" in files["/reports/records/donations.csv"]
    assert care_table.status_code == 404


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_committee_report_holds_care_visits(client, who, request, care_visit):
    client.force_login(request.getfixturevalue(who))

    files = report_files(client)

    for url in (URL, "/reports/summary.xlsx", "/reports/summary.pdf"):
        assert [w for w in CARE_VISIT_WORDS if w in files[url]] == CARE_VISIT_WORDS, url
    assert csv_rows(client.get("/reports/tables/care_visits.csv").content)[1] == [
        "2020-02-01",
        "金丝雀慰问点",
        "领导金丝雀",
        "赵丽",
        "7",
    ]


def test_pdf_with_many_recipients_fits_its_chart_on_a_page(client, leader):
    """Found by the benchmark: 30 recipients made a chart taller than an A4 page (LayoutError)."""
    campaign = CampaignFactory()
    for number in range(40):
        DonationFactory(campaign=campaign, recipient=RecipientFactory(name=f"受赠单位{number:02d}"))
    client.force_login(leader)

    response = client.get("/reports/summary.pdf")

    assert response.status_code == 200
    assert "受赠单位39" in pdf_text(response.content).replace(" ", "")


# Report correctness (issue 16)


@pytest.fixture
def committee_records(committee, hospital, haizhou):
    """Records of the whole committee that no branch holds (an outside donor's gift, goods
    given without a member, an enterprise's work) beside a hospital member's gift."""
    campaign = CampaignFactory(organiser=committee, title="洪灾救助")
    recipient = RecipientFactory(name="某市红十字会")
    campaign.recipients.add(recipient)
    DonationFactory(
        campaign=campaign,
        recipient=recipient,
        member=MemberFactory(branch=hospital),
        amount=Decimal("100.00"),
    )
    DonationFactory(
        campaign=campaign, recipient=recipient, member=None, donor_name="社外人士", amount=500
    )
    goods = DonationFactory(
        campaign=campaign,
        recipient=recipient,
        member=None,
        donor_name="某商会",
        form="goods",
        amount=None,
    )
    GoodsLine.objects.create(
        donation=goods, item="矿泉水", quantity=100, unit="箱", estimated_value=Decimal("9800")
    )
    Citation.objects.create(
        kind=Citation.Kind.ENTERPRISE,
        enterprise=Enterprise.objects.create(name="某科技公司"),
        title="抢修平台",
        text="开发救灾平台。",
        date=FEB,
    )
    return campaign


def key_figures_csv(client, **query) -> dict:
    return {
        row[0]: row[1]
        for row in csv_rows(client.get("/reports/tables/summary.csv", query).content)[1:]
    }


def test_committee_top_branch_is_the_whole_committee(client, leader, committee, committee_records):
    client.force_login(leader)

    whole = key_figures_csv(client)
    top = key_figures_csv(client, branch=committee.pk)
    page = text(client.get(URL, {"branch": committee.pk}))

    assert top == whole
    assert [top[k] for k in ("社员捐款", "其他捐赠人", "捐赠物资估值", "企业贡献")] == [
        "100.00",
        "500.00",
        "9800.00",
        "1",
    ]
    assert "市委及全部基层组织" in page and "不属于任何组织" not in page


def test_branch_heading_says_what_its_scope_holds_and_leaves_out(
    client, leader, hospital, committee_records
):
    client.force_login(leader)

    figures = key_figures_csv(client, branch=hospital.pk)
    page = text(client.get(URL, {"branch": hospital.pk}))
    pdf = pdf_text(client.get("/reports/summary.pdf", {"branch": hospital.pk}).content)

    assert [figures[k] for k in ("社员捐款", "其他捐赠人", "捐赠物资估值", "企业贡献")] == [
        "100.00",
        "0.00",
        "0.00",
        "0",
    ]
    note = (
        "统计医院支社及其下属组织社员的记录，以及这些组织的建议。非社员捐赠人的捐赠、"
        "未记社员的捐赠和社员企业的贡献不属于任何组织，只计入市委会及全部基层组织的报告。"
    )
    assert "医院支社及下属组织" in page and note in page
    assert note in pdf.replace(" ", "")


def test_confirmed_hours_in_every_format(client, leader):
    AssignmentFactory(hours_logged=Decimal("8.5"), confirmed=True)
    AssignmentFactory(hours_logged=Decimal("3.0"), confirmed=False)
    client.force_login(leader)

    page = text(client.get(URL))
    figures = key_figures_csv(client)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/summary.xlsx").content))
    pdf = pdf_text(client.get("/reports/summary.pdf").content).replace(" ", "")

    assert (figures["服务时长（小时）"], figures["经工作人员确认的时长（小时）"]) == ("11.5", "8.5")
    cover = {row[0].value: row[1] for row in book["汇总"].iter_rows(min_row=6)}
    confirmed = cover["经工作人员确认的时长（小时）"]
    assert (confirmed.value, confirmed.number_format) == (8.5, "#,##0.0#")
    assert "经工作人员确认的时长（小时）8.5小时" in pdf
    assert "经工作人员确认的时长（小时） 8.5 共登记 11.5" in page


def test_counts_are_whole_and_money_keeps_its_cents_in_every_format(client, leader):
    campaign = CampaignFactory(kind="blood", title="献血活动", starts_on=datetime.date(2020, 1, 2))
    Goal.objects.create(campaign=campaign, metric="donors", target=Decimal("10"))
    drive = CampaignFactory(title="募捐活动")
    recipient = RecipientFactory()
    drive.recipients.add(recipient)
    Goal.objects.create(campaign=drive, metric="amount", target=Decimal("228"))
    DonationFactory(campaign=drive, recipient=recipient, amount=Decimal("1050.50"))
    client.force_login(leader)

    goals = csv_rows(client.get("/reports/tables/campaigns.csv").content)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/summary.xlsx").content))
    pdf = pdf_text(client.get("/reports/summary.pdf").content)
    page = text(client.get(URL))

    # (The goal's label is left out: the glossary names it.)
    assert [row[:2] + row[3:] for row in goals[1:]] == [
        ["献血活动", "献血活动", "10", "0", "0"],
        ["募捐活动", "捐赠活动", "228.00", "1050.50", "460"],
    ]
    sheet = book["活动：目标与进展"]
    assert [(c.value, c.number_format) for c in sheet[2][3:6]] == [
        (10, "#,##0"),
        (0, "#,##0"),
        (0, "#,##0"),
    ]
    assert [(c.value, c.number_format) for c in sheet[3][3:5]] == [
        (228, '"¥"#,##0.00'),
        (1050.5, '"¥"#,##0.00'),
    ]
    assert "¥1,050.50" in pdf and "¥228.00" in pdf and "1,050.5 " not in pdf
    assert "1,050.50 元" in page and not shows(page, "1,050.5")


def test_quick_periods_offer_each_campaigns_period_and_its_last_complete_year():
    past = CampaignFactory(
        title="特殊社费",
        starts_on=datetime.date(2020, 1, 28),
        ends_on=datetime.date(2020, 3, 31),
    )
    running = CampaignFactory(title="常年募捐", starts_on=datetime.date(2026, 5, 1), ends_on=None)
    today = datetime.date(2026, 12, 7)

    periods, campaigns = views.quick_periods(today, [running, past])

    assert [(p["label"], p["start"], p["end"]) for p in periods] == [
        ("本年", datetime.date(2026, 1, 1), today),
        ("上一年", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        ("2020年", datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)),
        ("近三个月", datetime.date(2026, 9, 7), today),
        ("全部时间", None, None),
    ]
    assert [(p["label"], p["start"], p["end"]) for p in campaigns] == [
        ("常年募捐", datetime.date(2026, 5, 1), today),
        ("特殊社费", datetime.date(2020, 1, 28), datetime.date(2020, 3, 31)),
    ]


def test_report_page_links_a_past_campaigns_period(client, leader):
    CampaignFactory(title="特殊社费", starts_on=datetime.date(2020, 1, 28))
    client.force_login(leader)

    page = client.get(URL).content.decode()

    assert '?start=2020-01-28&amp;end=2020-03-31&amp;branch=">特殊社费</a>' in page


# The leadership's report (issue 17)


def test_headline_figures_beside_the_same_period_a_year_before(client, leader):
    campaign = CampaignFactory(starts_on=datetime.date(2019, 1, 1), ends_on=None)
    recipient = RecipientFactory()
    campaign.recipients.add(recipient)
    for amount, day in [("300.00", "2019-02-10"), ("1000.50", "2020-02-10"), ("7", "2020-03-01")]:
        DonationFactory(
            campaign=campaign,
            recipient=recipient,
            amount=Decimal(amount),
            date=datetime.date.fromisoformat(day),
        )
    client.force_login(leader)
    query = {"start": "2020-02-01", "end": "2020-02-29"}

    table = csv_rows(client.get("/reports/tables/summary.csv", query).content)
    page = text(client.get(URL, query))

    assert table[0] == ["项目", "数值", "单位", "上年同期"]
    assert table[1] == ["社员捐款", "1000.50", "元", "300.00"]
    assert "社员捐款 1,000.50 元 上年同期：300 元" in page


def test_headline_of_a_period_from_year_one_has_no_year_before(client, leader):
    """Found by tests/test_bad_input.py: the year before year 1 was a 500."""
    client.force_login(leader)

    response = client.get(URL, {"start": "0001-01-01"})

    assert response.status_code == 200
    assert response.context["summary"]["headline_year_before"] is None


def test_headline_has_no_year_before_for_all_records(client, leader):
    DonationFactory()
    client.force_login(leader)

    table = csv_rows(client.get("/reports/tables/summary.csv").content)

    assert table[0] == ["项目", "数值", "单位"]


def test_branches_ranked_by_money_each_with_the_branches_below_it(
    client, leader, committee, hospital, hospital_group, haizhou
):
    campaign = CampaignFactory(organiser=committee)
    recipient = RecipientFactory()
    campaign.recipients.add(recipient)
    for branch, amount in [
        (committee, "50"),
        (hospital, "100"),
        (hospital_group, "250.50"),
        (haizhou, "200"),
    ]:
        DonationFactory(
            campaign=campaign,
            recipient=recipient,
            member=MemberFactory(branch=branch),
            amount=Decimal(amount),
        )
    BloodDonationFactory(member=MemberFactory(branch=haizhou), campaign__organiser=committee)
    SuggestionFactory(branch=hospital_group)
    client.force_login(leader)

    whole = csv_rows(client.get("/reports/tables/branches.csv").content)
    hospital_only = csv_rows(
        client.get("/reports/tables/branches.csv", {"branch": hospital.pk}).content
    )

    assert whole == [
        ["名次", "所属组织", "社员捐款", "捐赠人数", "献血人数", "下沉人数", "收到建议"],
        ["1", "医院支社", "350.50", "2", "0", "0", "1"],
        ["2", "海州支社", "200.00", "1", "1", "0", "0"],
        ["3", "市委（本级）", "50.00", "1", "0", "0", "0"],
    ]
    assert hospital_only[1:] == [
        ["1", "医院小组", "250.50", "1", "0", "0", "1"],
        ["2", "医院支社（本级）", "100.00", "1", "0", "0", "0"],
    ]


def test_download_names_carry_the_period_and_the_scope(client, leader, committee, hospital):
    client.force_login(leader)
    query = {"start": "2020-01-01", "end": "2020-12-31"}

    pdf = client.get("/reports/summary.pdf", query)
    table = client.get("/reports/tables/goods.csv", {**query, "branch": hospital.pk})
    records = client.get("/reports/records/donations.xlsx", {"start": "2020-01-01"})
    records.close()

    assert pdf["Content-Disposition"] == "attachment; filename*=utf-8''" + quote(
        "社员奉献与活动情况汇总-市委-20200101-20201231.pdf"
    )
    assert table["Content-Disposition"].endswith(quote("物资明细-医院支社-20200101-20201231.csv"))
    assert records["Content-Disposition"].endswith(quote("捐赠-市委-20200101-.xlsx"))
