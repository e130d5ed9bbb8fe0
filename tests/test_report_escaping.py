"""Text from the records reaches every download as text (issue 13, items 3 and 9): never as PDF
markup (a 500, an embedded server file, a live link) nor as a spreadsheet formula.

``plant`` writes one hostile value into every text field that reaches a report or an admin
export; the tests then read every download the report page links to, and every admin export.
"""

import csv
import datetime
import io
import re
import tempfile
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy
from PIL import Image

from campaigns.models import Donation, Goal, GoodsLine, Posting
from campaigns.resources import AssignmentResource, BloodDonationResource, DonationResource
from honours.models import CareVisit, Citation
from members.models import Branch, Enterprise, Member, Sector
from members.resources import MemberResource
from portal.spreadsheets import (
    FORMULA_STARTS,
    csv_cell,
    neutralise_formula,
    restore_neutralised,
    xlsx_cell,
)
from reports import pdf
from suggestions.models import Forwarding, HigherBody
from suggestions.resources import SuggestionResource
from tests.factories import (
    AssignmentFactory,
    BloodDonationFactory,
    BranchFactory,
    CampaignFactory,
    DonationFactory,
    MemberFactory,
    RecipientFactory,
    SectorFactory,
    SuggestionCallFactory,
    SuggestionFactory,
)
from tests.spreadsheets import CSV, XLSX, export, import_file

pytestmark = pytest.mark.django_db

DAY = datetime.date(2020, 2, 10)
FORMULAS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1"]
MARKUP = ["a<b", "<img src=x>", "<b>bold</b> & <i>", '<a href="http://evil.example/">x</a>']
HOSTILE = FORMULAS + MARKUP
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cut(model, field: str, value: str) -> str:
    return value[: model._meta.get_field(field).max_length]


def plant(value: str, parent: Branch) -> Branch:
    """``value`` in every text field a report or an admin export shows, under a branch of that
    name: names of branches, sectors, members, enterprises, bodies and recipients, titles of
    campaigns, calls, suggestions and citations, goods, stations, places, sites, receipts."""
    branch = BranchFactory(name=value, parent=parent)
    member = MemberFactory(
        name=value,
        branch=branch,
        sector=SectorFactory(name=cut(Sector, "name", value)),
        workplace=value,
        position=value,
    )
    enterprise = Enterprise.objects.create(name=value)
    campaign = CampaignFactory(title=value, summary=value)
    Goal.objects.create(campaign=campaign, metric="amount", target=Decimal(1000))
    recipient = RecipientFactory(name=value)
    campaign.recipients.add(recipient)
    receipt = cut(Donation, "receipt_no", value)
    DonationFactory(campaign=campaign, member=member, recipient=recipient, receipt_no=receipt)
    DonationFactory(campaign=campaign, member=None, donor_name=value, recipient=recipient)
    DonationFactory(campaign=campaign, member=member, enterprise=enterprise, channel="facilitated")
    goods = DonationFactory(
        campaign=campaign, member=member, recipient=recipient, form="goods", amount=None
    )
    GoodsLine.objects.create(
        donation=goods,
        item=value,
        quantity=3,
        unit=cut(GoodsLine, "unit", value),
        estimated_value=Decimal("30.00"),
    )
    BloodDonationFactory(member=member, station=value, campaign__title=value)
    AssignmentFactory(
        member=member,
        posting__place=value,
        posting__district=cut(Posting, "district", value),
        posting__campaign__title=value,
    )
    suggestion = SuggestionFactory(
        title=value,
        branch=branch,
        call=SuggestionCallFactory(title=value, organiser=value),
        state="forwarded",
    )
    Forwarding.objects.create(
        suggestion=suggestion, body=HigherBody.objects.create(name=value), forwarded_on=DAY
    )
    for kind in (Citation.Kind.FRONT_LINE, Citation.Kind.ARTWORK):
        Citation.objects.create(
            kind=kind, member=member, title=value, unit=value, role=value, text=value, date=DAY
        )
    Citation.objects.create(
        kind=Citation.Kind.ENTERPRISE, enterprise=enterprise, title=value, text=value, date=DAY
    )
    visit = CareVisit.objects.create(date=DAY, sites=value, letters_sent=1)
    visit.leaders.set([member])
    visit.visited.set([member])
    return branch


@pytest.fixture
def hostile(committee):
    """One branch per hostile value, holding that value in every text field."""
    return {value: plant(value, committee) for value in HOSTILE}


# PDF


def pdf_pages(content: bytes) -> list:
    return pypdf.PdfReader(io.BytesIO(content)).pages


def squeezed(value: str) -> str:
    # PDF table cells break lines anywhere (and white space is not markup).
    return re.sub(r"\s+", "", value)


def pdf_text(content: bytes) -> str:
    return squeezed("".join(page.extract_text() for page in pdf_pages(content)))


def images(content: bytes) -> list[str]:
    return [image.name for page in pdf_pages(content) for image in page.images]


def links(content: bytes) -> list[str]:
    return [
        str(annotation.get_object().get("/A", {}).get("/URI"))
        for page in pdf_pages(content)
        for annotation in page.get("/Annots") or []
    ]


@pytest.fixture
def server_picture():
    """A picture on the server's disk: what `<img src="…">` in a record would embed. Its path is
    short enough for a member's name."""
    with tempfile.NamedTemporaryFile(suffix=".png") as picture:
        Image.new("RGB", (8, 8), "red").save(picture, format="PNG")
        picture.flush()
        yield picture.name


@pytest.mark.parametrize("value", [*MARKUP, '<img src="PICTURE"/>', "a&amp;b&nbsp;c"])
def test_summary_pdf_shows_markup_in_records_as_text(
    client, carol, committee, server_picture, value
):
    value = value.replace("PICTURE", server_picture)
    plant(value, committee)
    client.force_login(carol)

    response = client.get("/reports/summary.pdf")

    assert response.status_code == 200
    assert images(response.content) == []
    assert links(response.content) == []
    # As typed, in every place that shows it: the tables of money by recipient, goods (item and
    # unit, which holds 10 characters), front line by sector and by branch, bodies, artworks
    # (member, title), enterprises (enterprise, work, citation), care visits (sites, leaders,
    # visited) and campaigns; and the labels of the three charts, when they fit their width
    # (else cut with "…").
    fits = pdf._cut(value, pdf._font_name(), 8, pdf.LABEL_WIDTH - 6) == value
    places = 15 + fits * 3 - (len(value) > 10)
    assert pdf_text(response.content).count(squeezed(value)) == places


@pytest.mark.parametrize("value", HOSTILE)
def test_summary_pdf_of_a_branch_names_it_as_text_in_the_heading(client, carol, committee, value):
    branch = plant(value, committee)
    client.force_login(carol)

    response = client.get("/reports/summary.pdf", {"branch": branch.pk})

    assert response.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert reader.metadata.subject == f"{value}及下属组织"
    assert squeezed(value) in pdf_text(response.content)
    assert (images(response.content), links(response.content)) == ([], [])


def test_report_page_shows_markup_in_records_as_text(client, carol, hostile):
    client.force_login(carol)

    page = client.get("/reports/").content.decode()

    assert "<img src=x>" not in page and '<a href="http://evil' not in page
    assert "&lt;img src=x&gt;" in page and "a&lt;b" in page


# Spreadsheets


def report_downloads(client, query: str) -> list[str]:
    """Every download the report page links to, with the page's own query."""
    page = client.get("/reports/" + query).content.decode()
    found = re.findall(r'href="(/reports/[^"?]+\.(?:csv|xlsx|pdf))\?([^"]*)"', page)
    return sorted({f"{path}?{params.replace('&amp;', '&')}" for path, params in found})


def cells(response) -> list[tuple[str, str, object]]:
    """Every cell of a download, as (where, kind, value): a CSV cell is "csv"; an XLSX cell
    "f" (a formula), "text" (a text cell that stays text: one starting like a formula must
    carry quotePrefix, or Excel makes it one when the cell is edited), "unguarded" (text
    starting like a formula without it) or its openpyxl data type."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
        return [(f"row {r}", "csv", value) for r, row in enumerate(rows, 1) for value in row]
    assert response["Content-Type"] == XLSX_TYPE
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [
        (f"{sheet.title}!{cell.coordinate}", xlsx_kind(cell), cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]


def xlsx_kind(cell) -> str:
    if cell.data_type != "s":
        return cell.data_type
    formula_like = str(cell.value).startswith((*FORMULA_STARTS, "\n"))
    return "unguarded" if formula_like and not cell.quotePrefix else "text"


def live_formulas(found: list[tuple[str, str, object]]) -> list:
    return [
        (where, value)
        for where, kind, value in found
        if kind in ("f", "unguarded") or (kind == "csv" and value.startswith(FORMULA_STARTS))
    ]


def written(value, kind="csv") -> set[str]:
    """How a text is written: neutralised in CSV, as it is in an XLSX text cell (where XML reads
    a carriage return back as a line end)."""
    if kind == "csv":
        return {neutralise_formula(value)}
    return {value, value.replace("\r", "\n")}


def shown(found, value) -> bool:
    return any(cell in written(value, kind) for _where, kind, cell in found)


def test_every_report_spreadsheet_holds_text_never_a_formula(client, carol, hostile):
    client.force_login(carol)
    queries = ["", *(f"?branch={branch.pk}" for branch in hostile.values())]
    downloads = [url for query in queries for url in report_downloads(client, query)]

    everything = {}
    for url in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        if not url.split("?")[0].endswith(".pdf"):
            everything[url] = cells(response)

    formulas = {url: live_formulas(found) for url, found in everything.items()}
    assert {url: bad for url, bad in formulas.items() if bad} == {}
    assert len(everything) == len(queries) * 22  # the summary, its 11 tables, 5 exports × 2
    # The files were read: each value is in the cover of its branch's workbook (the line under
    # the title names the scope), and in the detail exports.
    for value, branch in hostile.items():
        book = everything[f"/reports/summary.xlsx?branch={branch.pk}"]
        cover = {where: cell for where, _type, cell in book}
        assert cover["汇总!A2"] in written(f"{value}及下属组织", "text")
        for name in ("donations", "blood_donations", "assignments", "suggestions", "citations"):
            assert shown(everything[f"/reports/records/{name}.csv?"], value), (name, value)
            assert shown(everything[f"/reports/records/{name}.xlsx?"], value), (name, value)


ADMIN_EXPORTS = [
    ("members_member", MemberResource),
    ("campaigns_donation", DonationResource),
    ("campaigns_blooddonation", BloodDonationResource),
    ("campaigns_assignment", AssignmentResource),
    ("suggestions_suggestion", SuggestionResource),
]


@pytest.mark.parametrize(("name", "resource"), ADMIN_EXPORTS)
def test_admin_exports_and_templates_hold_text_never_a_formula(
    client, alice, hostile, name, resource
):
    client.force_login(alice)
    url = reverse(f"admin:{name}_changelist")

    files = {
        "csv": export(client, url, resource, CSV),
        "xlsx": export(client, url, resource, XLSX),
        "template": client.get(url + "import-template/"),
    }

    found = {kind: cells(response) for kind, response in files.items()}
    assert {kind: live_formulas(c) for kind, c in found.items()} == {
        "csv": [],
        "xlsx": [],
        "template": [],
    }
    for value in HOSTILE:
        assert shown(found["csv"], value) and shown(found["xlsx"], value), value


# The round trip of the admin's files


# Written by defusedcsv (which pretix uses), the first two would come back from an import with
# one apostrophe fewer, the DDE payload with "\|" for "|", and "-1,234.5" would stay as it is;
# nor does it neutralise a leading tab or CR (HOSTILE).
ROUND_TRIP = ["'=1+1", "''-2", "=cmd|' /C calc'!A0", "-1,234.5", "'plain", "''", "'", "", "="]


@pytest.mark.parametrize("value", [*HOSTILE, *ROUND_TRIP, "-", "1-2"])
def test_neutralised_text_is_never_a_formula_and_restores_exactly(value):
    neutral = neutralise_formula(value)

    assert not neutral.startswith(FORMULA_STARTS)
    assert restore_neutralised(neutral) == value


@pytest.mark.parametrize("value", [*HOSTILE, *ROUND_TRIP, "1-2", "蒙太奇"])
def test_csv_cells_are_neutralised_and_xlsx_cells_hold_the_text_as_it_is(value):
    assert (csv_cell(value), xlsx_cell(value)) == (neutralise_formula(value), value)


def test_csv_cells_keep_numbers_and_write_dates_and_blanks_as_text():
    cells = [None, DAY, Decimal("-1.50"), -2, gettext_lazy("=1+1"), "蒙\x0b太"]

    assert [csv_cell(value) for value in cells] == [
        "",
        "2020-02-10",
        Decimal("-1.50"),
        -2,
        "'=1+1",
        "蒙\x0b太",
    ]


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_member_export_reimported_keeps_names_that_start_with_an_apostrophe(
    client, alice, hospital, file_format
):
    for name in ["'=1+1", "''-2", "=1+1", "'plain", "=1|2"]:
        MemberFactory(name=name, branch=hospital)
    client.force_login(alice)
    url = reverse("admin:members_member_changelist")
    exported = export(client, url, MemberResource, file_format).content

    import_file(client, url, exported, "会员.xlsx" if file_format == XLSX else "会员.csv")

    assert sorted(Member.objects.values_list("name", flat=True)) == [
        "''-2",
        "'=1+1",
        "'plain",
        "=1+1",
        "=1|2",
    ]


# Control characters, which XML cannot hold: openpyxl refuses the whole workbook for one.


@pytest.mark.parametrize(
    "url",
    [
        "/reports/summary.xlsx",
        "/reports/records/donations.xlsx",
        "/admin/members/member/",
    ],
)
def test_spreadsheets_show_a_control_character_as_a_replacement(client, alice, committee, url):
    plant("蒙\x0b太\x01奇", committee)
    client.force_login(alice)

    if url.startswith("/admin/"):
        response = export(client, url, MemberResource, XLSX)
    else:
        response = client.get(url)

    assert response.status_code == 200
    assert shown(cells(response), "蒙\ufffd太\ufffd奇")
