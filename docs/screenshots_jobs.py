"""Take the screenshots of the background jobs' pages (an import's preview, its errors, its
progress and its result; a long export's page) with the system Chromium, against a running
server with the demo data, a worker (`manage.py db_worker`) and EXPORT_JOB_ROWS=10, on the
database of DATABASE_URL (this script makes the upload files from its records and writes one
job's progress itself, to show a job halfway):

    DATABASE_URL=… .venv/bin/python docs/screenshots_jobs.py http://127.0.0.1:8000

Needs `pip install playwright` in the venv (not a project dependency) and /usr/bin/chromium.
"""

import csv
import io
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import django
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_portal.settings")
# Playwright's sync API runs an event loop; this script's few queries are not served from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
django.setup()

from django.utils import timezone  # noqa: E402

from campaigns.models import Campaign, Recipient  # noqa: E402
from members.models import Member, User  # noqa: E402
from portal.models import PendingImport  # noqa: E402

OUT = Path(__file__).parent / "screenshots"
PASSWORD = "demo-2020-lyg"
HEADERS = ["记录编号", "姓名", "手机", "社员编号", "活动", "日期", "形式", "金额（元）"]
HEADERS += ["方式", "企业", "社外捐赠人", "受赠单位", "匿名", "收据号", "状态"]


def donation_file(count: int, bad: bool = False) -> Path:
    campaign = Campaign.objects.filter(kind="donation").first()
    recipient = Recipient.objects.first()
    members = list(Member.objects.exclude(phone="").values_list("name", "phone")[:40])
    stamp = uuid.uuid4().hex[:6]
    rows = []
    for n in range(count):
        name, phone = members[n % len(members)]
        amount = "五百" if bad and n in (3, 7) else f"{100 + n}.00"
        day = "2020/4/1" if bad and n == 5 else "2020/2/5"
        rows.append(
            ["", name, phone, "", campaign.slug, day, "钱款", amount, "直接", "", ""]
            + [recipient.name, "否", f"S{stamp}-{n}", "已收到"]
        )
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([HEADERS, *rows])
    path = Path(tempfile.mkdtemp()) / ("捐赠-有错误.csv" if bad else "捐赠.csv")
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def shoot(browser, base, name, path, width, *, login, action=None):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(base + "/admin/login/")
    page.fill("#id_username", login)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    if action is None:
        page.goto(base + path)
    else:
        action(page)
    page.screenshot(path=OUT / f"{name}.png", full_page=True)
    print(OUT / f"{name}.png")
    url = page.url
    page.close()
    return url


def upload(base, file):
    def act(page):
        page.goto(base + "/admin/campaigns/donation/import/")
        page.set_input_files("#id_import_file", str(file))
        page.select_option("#id_format", label="csv")
        page.click("input[type=submit]")
        # The worker checks the file; the page reloads itself until it is done.
        page.wait_for_selector(".job-awaiting, .job-invalid", timeout=60_000)

    return act


def confirm(page):
    page.click("input[name=confirm]")
    page.wait_for_selector(".job-imported, .job-failed", timeout=60_000)


def main(base):
    clerk = User.objects.get(username="clerk")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        good, bad = donation_file(1200), donation_file(12, bad=True)
        for width in (1280, 390):
            shoot(
                browser, base, f"import-preview-zh-{width}", "", width,
                login="staff", action=upload(base, good),
            )  # fmt: skip
            shoot(
                browser, base, f"import-errors-zh-{width}", "", width,
                login="staff", action=upload(base, bad),
            )  # fmt: skip

        def imported(page):
            upload(base, donation_file(1200))(page)
            confirm(page)

        shoot(browser, base, "import-done-zh-1280", "", 1280, login="staff", action=imported)

        # A job halfway, as a worker leaves its record between two heartbeats.
        halfway = PendingImport.objects.create(
            uploaded_by=clerk.pk,
            model="campaigns.Donation",
            file_name="捐赠-2020年2月.xlsx",
            file_format="xlsx",
            data=b"",
            state=PendingImport.State.IMPORTING,
            runner=uuid.uuid4(),
            heartbeat_at=timezone.now(),
            phase="saving",
            rows_done=31_000,
            rows_total=50_000,
        )
        for width in (1280, 390):
            shoot(
                browser, base, f"import-progress-zh-{width}",
                f"/admin/campaigns/donation/import/{halfway.pk}/", width, login="clerk",
            )  # fmt: skip
        halfway.delete()

        for width in (1280, 390):

            def export(page):
                page.goto(base + "/reports/records/donations.xlsx")
                page.wait_for_selector(".job-done", timeout=60_000)
                time.sleep(0.2)

            shoot(
                browser, base, f"export-ready-zh-{width}", "", width, login="leader", action=export
            )
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
