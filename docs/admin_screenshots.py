"""Take the admin's and the error pages' screenshots in docs/screenshots with the system Chromium,
logged in as each demo account (`manage.py demo_accounts`). Run against a server with the demo
data and DEBUG off (Django shows its own debug pages for errors when DEBUG is on):

    .venv/bin/python docs/admin_screenshots.py http://127.0.0.1:8000 [name-filter]

Needs Playwright in the venv (not a project dependency) and /usr/bin/chromium. The 500 page is
not reachable on a healthy server: it is rendered here by Django's handler (with the settings of
the environment, DJANGO_SETTINGS_MODULE) and shown on the server's origin for its stylesheets.
"""

import os
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).parent / "screenshots"
PASSWORD = "demo-2020-lyg"
WIDTHS = (1280, 390)
# name, login (None: anonymous), path
PAGES = [
    ("admin-index-clerk", "clerk", "/admin/"),
    ("admin-index-staff", "staff", "/admin/"),
    ("admin-donations", "staff", "/admin/campaigns/donation/"),
    ("admin-suggestions", "staff", "/admin/suggestions/suggestion/"),
    ("admin-members-clerk", "clerk", "/admin/members/member/"),
    ("admin-donation-goods", "clerk", "/admin/campaigns/donation/add/?form=goods"),
    ("admin-history", "staff", "history"),  # the first suggestion's history, found below
    # The import page links to its template; a campaign's words and the bodies counted apart.
    ("admin-donation-import", "clerk", "/admin/campaigns/donation/import/"),
    ("admin-campaign-volunteer", "staff", "/admin/campaigns/campaign/3/change/"),
    ("admin-campaign-donation", "staff", "/admin/campaigns/campaign/1/change/"),
    ("admin-roll-wording", "staff", "/admin/honours/rollcategorywording/"),
    ("error-404", None, "/no-such-page/"),
    ("error-403", "member", "/admin/"),
    ("error-403-csrf", None, "csrf"),
    ("error-500", None, "500"),
]


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")


def history_path(page, base):
    """The history page of the suggestion with the most changes in the demo: the first one
    forwarded."""
    page.goto(f"{base}/admin/suggestions/suggestion/?state__exact=forwarded")
    link = page.locator("#result_list tbody tr a").first.get_attribute("href")
    return f"{link.split('?')[0].removesuffix('change/')}history/"


def csrf_failure(page, base):
    """The login form posted with a CSRF token that no longer matches its cookie."""
    page.goto(f"{base}/accounts/login/")
    page.context.clear_cookies()
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")


RENDER_500 = """
import django
django.setup()
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error
translation.activate("zh-hans")
print(server_error(RequestFactory().get("/")).content.decode())
"""


def server_error_page() -> str:
    return subprocess.run(
        [sys.executable, "-c", RENDER_500],
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "branch_portal.settings", **os.environ},
    ).stdout


def main(base, name_filter=""):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        for name, login, path in PAGES:
            for width in WIDTHS:
                shot = f"{name}-zh-{width}"
                if name_filter not in shot:
                    continue
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                if login:
                    log_in(page, base, login)
                if path == "history":
                    page.goto(base + history_path(page, base))
                elif path == "csrf":
                    csrf_failure(page, base)
                elif path == "500":
                    # Any HTML page of the origin (a 404), for the stylesheets' URLs.
                    page.goto(f"{base}/no-such-page/")
                    page.set_content(server_error_page())
                else:
                    page.goto(base + path)
                page.screenshot(path=OUT / f"{shot}.png", full_page=True)
                context.close()
                print(OUT / f"{shot}.png")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
