"""Browser journeys and load with writes, against a live server on the test database.

Run with `make e2e` (CI runs it after `make test`): Playwright from PyPI drives Debian's Chromium
(/usr/bin/chromium, or CHROMIUM_PATH); a browser that downloads itself is not used. Screenshots go
to var/e2e-screenshots/ (E2E_SCREENSHOTS=docs/screenshots retakes the README's).
"""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an event loop in this thread, so Django takes every database call
# here for one made from async code; these are plain sync calls in a test process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "var/e2e-screenshots"))
PASSWORD = "demo-2020-lyg"


@pytest.fixture
def story(transactional_db):
    """The demo data and the demo accounts (clerk, leader, member…), on a database the live
    server can read: committed, and flushed after the test."""
    call_command("load_demo")
    with override_settings(DEBUG=True):
        call_command("demo_accounts", stdout=io.StringIO())


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """A new page at ``width`` px, logged in as ``username`` when given."""
    contexts = []

    def make(username=None, width=1280):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, accept_downloads=True, locale="zh-CN"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if username:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.locator("main button[type=submit]").click()
            page.wait_for_load_state()
        return page

    yield make
    for context in contexts:
        context.close()


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
