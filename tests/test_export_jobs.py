"""Long detail exports as background jobs (issue 15, target 6): past ``EXPORT_JOB_ROWS`` rows the
request only queues the export and answers with its page; a worker writes the file into the
default storage; the page then links to it, for its requester only, until it expires.

Jobs run at once in tests (tests/settings.py); the worker's machinery is tested in
tests/test_jobs.py.
"""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import content_disposition_header

from campaigns.models import GoodsLine
from campaigns.resources import DonationResource
from members.resources import MemberResource
from portal.models import ExportJob
from portal.spreadsheets import xlsx_file
from reports.exports import write_export
from tests.factories import DonationFactory, MemberFactory, UserFactory
from tests.pages import text
from tests.spreadsheets import CSV, csv_rows, export

URL = "/reports/records/donations.xlsx"


def read_all(response) -> bytes:
    """A file response's content, its file closed (``response.close()`` would also end the
    request, and with it the test's database connection)."""
    content = b"".join(response.streaming_content)
    for close in response._resource_closers:
        close()
    return content


def download_url(job):
    return f"/reports/exports/{job.pk}/download"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_JOB_ROWS = 2
    return tmp_path


@pytest.fixture
def three_gifts(hospital):
    member = MemberFactory(name="赵丽", branch=hospital)
    return [
        DonationFactory(member=member, receipt_no=f"=R{number}", date=datetime.date(2020, 2, n))
        for number, n in enumerate((1, 2, 3))
    ]


def test_export_longer_than_the_limit_is_written_by_a_job_and_linked_from_its_page(
    client, alice, three_gifts
):
    client.force_login(alice)

    asked = client.get(URL)
    page = client.get(asked.url)
    download = client.get(download_url(page.context["job"]))

    job = ExportJob.objects.get()
    assert asked.status_code == 302
    assert asked.url == f"/reports/exports/{job.pk}/"
    assert (job.state, job.rows_done, job.rows_total, job.requested_by) == ("done", 3, 3, alice.pk)
    assert "下载 捐赠-全部组织-全部记录.xlsx" in text(page)
    assert download["Content-Disposition"] == content_disposition_header(
        True, "捐赠-全部组织-全部记录.xlsx"
    )
    content = read_all(download)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [row[0] for row in rows[1:]] == [datetime.datetime(2020, 2, day) for day in (1, 2, 3)]
    # Formula-safe as every other download (portal/spreadsheets.py): text, never a formula.
    assert sorted(row[-1] for row in rows[1:]) == ["=R0", "=R1", "=R2"]
    assert {sheet.cell(row, len(rows[0])).data_type for row in (2, 3, 4)} == {"s"}


def test_export_job_writes_csv_too(client, alice, three_gifts):
    client.force_login(alice)

    page = client.get(client.get("/reports/records/donations.csv").url)
    content = read_all(client.get(download_url(page.context["job"])))

    assert content.startswith("\ufeff日期,".encode())
    assert content.count(b"\r\n") == 4


def test_export_at_the_limit_is_sent_at_once(client, alice, three_gifts, settings):
    settings.EXPORT_JOB_ROWS = 3
    client.force_login(alice)

    response = client.get(URL)
    read_all(response)

    assert (response.status_code, ExportJob.objects.count()) == (200, 0)


def test_export_page_and_file_are_their_requesters_only(client, alice, three_gifts):
    client.force_login(alice)
    page_url = client.get(URL).url
    job = ExportJob.objects.get()
    colleague = UserFactory(username="staff-2", is_staff=True, is_superuser=True)
    client.force_login(colleague)

    answers = [client.get(page_url).status_code, client.get(download_url(job)).status_code]

    assert answers == [404, 404]


def test_expired_export_is_deleted_with_its_file(client, alice, three_gifts, settings):
    client.force_login(alice)
    client.get(URL)
    old = ExportJob.objects.get()
    assert default_storage.exists(old.file)
    long_ago = timezone.now() - datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS + 1)
    ExportJob.objects.update(changed_at=long_ago)

    client.get(URL)  # any new export deletes the expired ones

    assert ExportJob.objects.filter(pk=old.pk).exists() is False
    assert default_storage.exists(old.file) is False
    assert client.get(f"/reports/exports/{old.pk}/download").status_code == 404


def test_export_job_refuses_a_user_who_lost_the_branch_meanwhile(client, bob, three_gifts):
    client.force_login(bob)
    job = ExportJob.objects.create(
        requested_by=bob.pk,
        kind="records",
        params={"key": "donations", "start": None, "end": None, "branch": None},
        title="捐赠",
        file_name="x.xlsx",
        file_format="xlsx",
        rows_total=3,
    )

    write_export.call(str(job.pk))  # a clerk may never export every branch

    job.refresh_from_db()
    assert (job.state, job.file) == ("failed", "")
    assert job.message == "你已无权查看这些记录，未生成任何文件。"


def test_streamed_xlsx_continues_on_further_sheets_with_their_headers():
    rows = ([number, f"名{number}"] for number in range(5))

    with xlsx_file("捐赠", ["编号", "姓名"], rows, max_rows=3) as stored:
        book = openpyxl.load_workbook(stored)

    assert book.sheetnames == ["捐赠", "捐赠 (2)", "捐赠 (3)"]
    assert [[c.value for c in row] for row in book["捐赠 (3)"].iter_rows()] == [
        ["编号", "姓名"],
        [4, "名4"],
    ]
    assert book["捐赠"].freeze_panes == "A2"


def test_streamed_xlsx_types_its_cells_and_keeps_formula_text_as_text():
    moment = timezone.make_aware(datetime.datetime(2020, 2, 5, 9, 30))
    row = [datetime.date(2020, 2, 5), moment, 1.5, 7, True, None, " 前后空格 ", "=1+1", "a<b&c"]

    with xlsx_file("表", list("ABCDEFGHI"), [row]) as stored:
        sheet = openpyxl.load_workbook(stored).active
        cells = [cell.value for cell in sheet[2]]
        stored.seek(0)
        sheet_xml = zipfile.ZipFile(stored).read("xl/worksheets/sheet1.xml").decode()

    assert cells == [
        datetime.datetime(2020, 2, 5),
        datetime.datetime(2020, 2, 5, 9, 30),
        1.5,
        7,
        True,
        None,
        " 前后空格 ",
        "=1+1",  # text, shown as it is: no apostrophe in an XLSX
        "a<b&c",
    ]
    assert "<f>" not in sheet_xml  # no cell is ever a formula
    # ... and the one that starts like a formula stays text when someone edits it in Excel.
    assert sheet["H2"].quotePrefix is True


def test_admin_export_longer_than_the_limit_is_a_job_holding_only_the_users_branches(
    client, bob, zhao_li, group_member, outsider, hospital
):
    MemberFactory(name="李明", branch=hospital, phone="13900002222")
    client.force_login(bob)

    asked = export(client, "/admin/members/member/", MemberResource, CSV)
    page = client.get(asked.url)
    content = read_all(client.get(asked.url + "download/"))

    job = ExportJob.objects.get()
    assert asked.url == f"/admin/members/member/export/{job.pk}/"
    assert (job.state, job.kind, job.rows_total) == ("done", "admin", 3)
    assert f"下载 {job.file_name}" in text(page)
    rows = csv_rows(content)
    assert sorted(row[0] for row in rows[1:]) == ["李明", "赵丽", "陈丹"]
    assert "寇晶磊".encode() not in content


def test_admin_export_page_is_its_requesters_only(client, alice, bob, zhao_li, group_member):
    MemberFactory(name="李明", branch=zhao_li.branch)
    client.force_login(alice)
    page_url = export(client, "/admin/members/member/", MemberResource, CSV).url
    client.force_login(bob)

    answers = [client.get(page_url).status_code, client.get(page_url + "download/").status_code]

    assert answers == [404, 404]


@pytest.mark.parametrize("count", [10, 250])
def test_admin_export_reads_its_rows_in_one_pass(client, alice, hospital, settings, count):
    """django-import-export paged a queryset with prefetches by OFFSET, 100 rows a page: the
    queries (and the time, with the square of the rows) grew with the rows."""
    settings.EXPORT_JOB_ROWS = 1000
    member = MemberFactory(name="赵丽", branch=hospital)
    for number in range(count):
        donation = DonationFactory(member=member, form="goods", amount=None)
        GoodsLine.objects.create(donation=donation, item="口罩", quantity=number + 1, unit="只")
    client.force_login(alice)

    with CaptureQueriesContext(connection) as queries:
        response = export(client, "/admin/campaigns/donation/", DonationResource, CSV)

    assert len(csv_rows(response.content)) == count + 1
    reads = [q for q in queries.captured_queries if "campaigns_goodsline" in q["sql"]]
    assert len(reads) == 1
