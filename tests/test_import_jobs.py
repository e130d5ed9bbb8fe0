"""An import's page (issue 15, target 5): the upload returns at once with the page of its job,
which shows the worker's progress (rows done of rows) while it runs, reloading itself, then the
preview and its confirmation, or the result; the same on every reload; its uploader's only.

Jobs run at once in tests (tests/settings.py): the pages of a job still running are shown from
its record as a worker leaves it (tests/test_jobs.py runs real workers).
"""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Donation
from portal.models import PendingImport
from tests.factories import CampaignFactory, RecipientFactory, UserFactory
from tests.pages import text
from tests.spreadsheets import DONATION_HEADERS, MEMBER_HEADERS, confirm, csv_bytes, preview

URL = "/admin/members/member/"
ROWS = [
    ["王芳", "", "女", "医院支社", "", "", "", "13812345678", "", "", "", "否"],
    ["刘强", "", "男", "医院支社", "", "", "", "13812345679", "", "", "", "否"],
]


@pytest.fixture
def running(alice):
    """An import a worker is halfway through."""
    return PendingImport.objects.create(
        uploaded_by=alice.pk,
        model="members.Member",
        file_name="会员.csv",
        data=b"...",
        state=PendingImport.State.IMPORTING,
        runner=uuid.uuid4(),
        heartbeat_at=timezone.now(),
        phase="saving",
        rows_done=1200,
        rows_total=5000,
    )


def test_upload_answers_with_its_jobs_page_showing_the_preview(client, alice, hospital):
    client.force_login(alice)

    page = preview(client, URL, csv_bytes(MEMBER_HEADERS, ROWS), "会员.csv")
    again = client.get(page.wsgi_request.path)

    job = PendingImport.objects.get()
    assert page.wsgi_request.path == f"{URL}import/{job.pk}/"
    assert job.state == "awaiting"
    assert "所有行均有效：新增 2 条，修改 0 条，0 条无变化（保持不变）。" in text(page)
    assert text(again) == text(page)
    assert 'http-equiv="refresh"' not in page.content.decode()


def test_import_page_shows_the_workers_progress_and_reloads_itself(client, alice, running):
    client.force_login(alice)

    page = client.get(f"{URL}import/{running.pk}/")

    html = page.content.decode()
    assert "正在保存记录: 1200 / 5000 行" in text(page)
    assert '<progress class="job-progress" value="1200" max="5000">24 %</progress>' in html
    assert '<meta http-equiv="refresh" content="2">' in html


def test_import_page_of_a_job_no_worker_took_yet_says_it_waits(client, alice, running):
    PendingImport.objects.filter(pk=running.pk).update(runner=None, heartbeat_at=None)
    client.force_login(alice)

    page = client.get(f"{URL}import/{running.pk}/")

    assert "正在等待后台处理。" in text(page)


def test_import_page_is_its_uploaders_only(client, alice, bob, carol, running):
    other_staff = UserFactory(username="staff-2", is_superuser=True)
    url = f"{URL}import/{running.pk}/"
    answers = {}
    for user in (other_staff, bob, carol):
        client.force_login(user)
        answers[user.username] = client.get(url).status_code

    assert answers == {"staff-2": 404, "bob": 404, "carol": 403}


def test_import_page_of_a_forged_id_is_not_found(client, alice):
    client.force_login(alice)

    assert client.get(f"{URL}import/not-a-job/").status_code == 404


def donation_rows(count, prefix, zhao_li, drive, red_cross):
    row = {
        "姓名": zhao_li.name,
        "手机": zhao_li.phone,
        "活动": drive.slug,
        "日期": "2020-02-03",
        "形式": "钱款",
        "金额（元）": "10",
        "受赠方": red_cross.name,
    }
    return [
        [{**row, "收据号": f"{prefix}{number}"}.get(header, "") for header in DONATION_HEADERS]
        for number in range(count)
    ]


def test_import_queries_do_not_grow_with_the_rows(client, alice, zhao_li):
    """Checked as a set: one query per lookup and per rule for the whole file, never per row;
    and written in bulk."""
    drive = CampaignFactory(kind="donation", slug="drive")
    red_cross = RecipientFactory(name="红十字会")
    client.force_login(alice)
    counted = []
    # A first file warms what a process looks up once (permissions, content types).
    for count, prefix in ((1, "W"), (3, "A"), (60, "B")):
        rows = donation_rows(count, prefix, zhao_li, drive, red_cross)
        with CaptureQueriesContext(connection) as checking:
            page = preview(client, "/admin/campaigns/donation/", csv_bytes(DONATION_HEADERS, rows))
        with CaptureQueriesContext(connection) as importing:
            confirm(client, "/admin/campaigns/donation/", page)
        counted.append((len(checking), len(importing)))

    assert counted[1] == counted[2]
    assert Donation.objects.count() == 64
