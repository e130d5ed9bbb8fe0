"""The background job machinery (issue 15, target 7), with django-tasks-db's database backend and
a real worker process (``manage.py db_worker``) on the test database: the worker shows how far
it got while it works, an import is all or nothing, and a worker that dies (killed, or stopped
by signals) leaves nothing behind and its job marked failed with a message.

Elsewhere tests run jobs at once, inside the request (tests/settings.py); here the tasks are
queued on the "database" backend, as production queues them, and real transactions commit.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from campaigns.models import Donation
from portal import imports, jobs
from portal.models import PendingImport
from tests.factories import CampaignFactory, MemberFactory, RecipientFactory, UserFactory
from tests.spreadsheets import DONATION_HEADERS, csv_bytes

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 6_000
BASE_DIR = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The test database, as the worker process reads it from DATABASE_URL."""
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "", safe="")
    password = f":{urllib.parse.quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = urllib.parse.quote(db["HOST"] or "", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    """Start a worker of the "database" queue; stop (or kill) it afterwards."""
    started = []

    def start():
        log = (tmp_path / "worker.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--backend", "database"]
            + ["--no-reload", "--no-startup-delay", "--interval", "0.2"],
            cwd=BASE_DIR,
            env={
                **os.environ,
                "DATABASE_URL": database_url(),
                "DJANGO_SETTINGS_MODULE": "tests.settings",
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        log.close()


@pytest.fixture
def upload(db):
    """An upload of ROWS money gifts of one member, each with a receipt number of its own."""
    staff = UserFactory(username="staff-jobs", is_superuser=True)
    member = MemberFactory(name="赵丽", phone="13900001111")
    campaign = CampaignFactory(
        kind="donation",
        slug="drive",
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2020, 12, 31),
    )
    recipient = RecipientFactory(name="红十字会")
    row = {
        "姓名": member.name,
        "手机": member.phone,
        "活动": campaign.slug,
        "日期": "2020-02-05",
        "形式": "钱款",
        "金额（元）": "100.50",
        "受赠方": recipient.name,
    }
    rows = [
        [{**row, "收据号": f"R{number}"}.get(header, "") for header in DONATION_HEADERS]
        for number in range(ROWS)
    ]

    def make(state):
        return PendingImport.objects.create(
            uploaded_by=staff.pk,
            model="campaigns.Donation",
            file_name="捐赠.csv",
            file_format="csv",
            data=csv_bytes(DONATION_HEADERS, rows),
            state=state,
            language="zh-hans",
        )

    make.staff = staff
    return make


def queue(task, job):
    """Queue ``task`` for ``job`` on the database backend, as production's default does."""
    result = task.using(backend="database").enqueue(str(job.pk))
    PendingImport.objects.filter(pk=job.pk).update(task_id=jobs.task_reference(result))


def follow(job, *, until, timeout=180):
    """What the job's record said every tenth of a second (state, phase, rows done, rows) until
    ``until(job)`` holds."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.append((job.state, job.phase, job.rows_done, job.rows_total))
        if until(job):
            return seen
        time.sleep(0.1)
    raise AssertionError(f"the job never got there: {seen[-5:]}")


@pytest.fixture
def slow_saving():
    """Each donation written takes a third of a millisecond more (a trigger in the real
    database): the saving phase then spans several progress beats on any machine, where a fast
    one saved the file between two beats and no beat saw it."""
    with connection.cursor() as cursor:
        # Replaced, not just created: a run killed before the teardown leaves them behind.
        cursor.execute(
            "CREATE OR REPLACE FUNCTION test_slow_row() RETURNS trigger AS $$ "
            "BEGIN PERFORM pg_sleep(0.0003); RETURN NULL; END $$ LANGUAGE plpgsql; "
            "DROP TRIGGER IF EXISTS test_slow_donation ON campaigns_donation; "
            "CREATE TRIGGER test_slow_donation AFTER INSERT ON campaigns_donation "
            "FOR EACH ROW EXECUTE FUNCTION test_slow_row()"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER IF EXISTS test_slow_donation ON campaigns_donation; "
            "DROP FUNCTION IF EXISTS test_slow_row()"
        )


def test_worker_checks_then_imports_an_upload_showing_its_progress(upload, worker, slow_saving):
    job = upload(PendingImport.State.CHECKING)
    queue(imports.check_upload, job)
    worker()

    checking = follow(job, until=lambda job: not job.running)
    PendingImport.objects.filter(pk=job.pk).update(state=PendingImport.State.IMPORTING)
    queue(imports.import_upload, job)
    importing = follow(job, until=lambda job: not job.running)

    midway = [(state, phase) for state, phase, done, total in checking + importing if done > 0]
    assert ("checking", imports.CHECKING) in midway
    assert ("importing", imports.SAVING) in midway
    assert (job.state, job.rows_total, job.message) == ("imported", ROWS, "")
    assert imports.Outcome.from_json(job.result).totals == {
        "new": ROWS,
        "update": 0,
        "skip": 0,
        "duplicate": 0,
    }
    assert (Donation.objects.count(), Donation.history.count()) == (ROWS, ROWS)
    assert bytes(job.data) == b""


def test_worker_killed_mid_import_leaves_nothing_and_its_job_is_marked_failed(
    upload, worker, settings
):
    settings.JOB_STALE_SECONDS = 1
    job = upload(PendingImport.State.IMPORTING)
    queue(imports.import_upload, job)
    process = worker()
    follow(job, until=lambda job: job.rows_done > 0)

    process.kill()
    process.wait(timeout=30)
    time.sleep(settings.JOB_BEAT_SECONDS + 1)
    client = Client()
    client.force_login(upload.staff)
    page = client.get(f"/admin/campaigns/donation/import/{job.pk}/")

    job.refresh_from_db()
    assert (job.state, bytes(job.data)) == ("failed", b"")
    assert job.message == (
        "执行此任务的后台进程在任务完成前停止（被重启或所在机器故障），未保留任何结果。"
    )
    assert page.context["job"].state == "failed"
    assert job.message in page.content.decode()
    assert (Donation.objects.count(), Donation.history.count()) == (0, 0)


def test_worker_stopped_by_signals_mid_import_leaves_nothing_and_says_so(upload, worker):
    job = upload(PendingImport.State.IMPORTING)
    queue(imports.import_upload, job)
    process = worker()
    follow(job, until=lambda job: job.rows_done > 0)

    # The first signal asks the worker to stop after its task; the second stops the task.
    process.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)

    job.refresh_from_db()
    assert (job.state, job.runner) == ("failed", None)
    assert job.message == "后台进程在任务完成前被停止，未保留任何结果。"
    assert (Donation.objects.count(), Donation.history.count()) == (0, 0)


def test_job_queued_but_never_taken_is_marked_failed_once_its_task_is_gone(upload, settings):
    settings.JOB_STALE_SECONDS = 1
    job = upload(PendingImport.State.CHECKING)
    queue(imports.check_upload, job)
    PendingImport.objects.filter(pk=job.pk).update(
        changed_at=job.changed_at - datetime.timedelta(seconds=5)
    )
    job.refresh_from_db()

    waiting = jobs.check_alive(job).state
    DBTaskResult.objects.all().delete()  # its task pruned, as if the queue lost it
    gone = jobs.check_alive(job).state

    assert (waiting, gone) == ("checking", "failed")
