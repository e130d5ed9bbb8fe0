"""Retake the report's screenshots in docs/screenshots: the page at 1280 and 390 px for the
demo's 2020, as the demo's leader, and the PDF's first page (pdftoppm, with poppler-data for
Chinese). Run against a server with the demo data and accounts (make run):

    .venv/bin/python docs/report_screenshots.py http://127.0.0.1:8000

Needs the system Chromium (/usr/bin/chromium) and Playwright in the venv, as docs/screenshots.py.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).parent / "screenshots"
PERIOD = "?start=2020-01-01&end=2020-12-31"
USER, PASSWORD = "leader", "demo-2020-lyg"  # manage.py demo_accounts (DEBUG only)


def log_in(page, base):
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()


def main(base):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        for width in (1280, 390):
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            log_in(page, base)
            page.goto(base + "/reports/" + PERIOD)
            page.screenshot(path=OUT / f"report-zh-{width}.png", full_page=True)
            if width == 1280:
                pdf = context.request.get(base + "/reports/summary.pdf" + PERIOD).body()
            context.close()
        browser.close()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "summary.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "80",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                source,
                OUT / "report-pdf-page1",
            ],
            check=True,
        )
    print(*(OUT / name for name in ("report-zh-1280.png", "report-zh-390.png")), sep="\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
