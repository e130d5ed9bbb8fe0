"""Take the screenshots in docs/screenshots with the system Chromium (a browser that downloads
itself cannot here). Run against a server with the demo data and the demo accounts:

    .venv/bin/python docs/screenshots.py http://127.0.0.1:8000 [name-filter]

The open campaigns (how to take part, signing up) are not in the story, whose campaigns ended in
2020: add them first with ``manage.py shell < docs/screenshot_data.py`` (on a scratch database).
Printouts are printed to PDF by Chromium (A4) and their first pages drawn as PNG with
``pdftoppm`` (poppler-utils, with poppler-data for Chinese).

Needs `pip install playwright` in the venv (the development extra has it) and /usr/bin/chromium.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).parent / "screenshots"
PASSWORD = "demo-2020-lyg"  # the demo accounts' (manage.py demo_accounts)
# A path with {suggestion}: the first public suggestion's page, found on the overview.
PAGES = [
    # name, path, width, login
    ("home-zh-1280", "/", 1280, None),
    ("home-zh-390", "/", 390, None),
    ("campaign-donation-zh-1280", "/campaigns/special-dues-2020/", 1280, None),
    ("campaign-donation-zh-390", "/campaigns/special-dues-2020/", 390, None),
    ("campaign-blood-zh-1280", "/campaigns/blood-drive-2020/", 1280, None),
    ("campaign-blood-zh-390", "/campaigns/blood-drive-2020/", 390, None),
    ("campaign-volunteer-zh-1280", "/campaigns/joint-prevention-2020/", 1280, None),
    ("campaign-volunteer-zh-390", "/campaigns/joint-prevention-2020/", 390, None),
    ("campaign-open-donation-zh-1280", "/campaigns/winter-giving/", 1280, None),
    ("campaign-open-donation-zh-390", "/campaigns/winter-giving/", 390, None),
    ("campaign-open-volunteer-member-zh-1280", "/campaigns/spring-volunteers/", 1280, "member"),
    ("campaign-open-volunteer-member-zh-390", "/campaigns/spring-volunteers/", 390, "member"),
    ("suggestions-zh-1280", "/suggestions/", 1280, None),
    ("suggestions-zh-390", "/suggestions/", 390, None),
    ("suggestion-detail-zh-1280", "{suggestion}", 1280, None),
    ("suggestion-detail-zh-390", "{suggestion}", 390, None),
    ("suggestions-mine-zh-1280", "/suggestions/mine/", 1280, "member"),
    ("suggestions-mine-zh-390", "/suggestions/mine/", 390, "member"),
    ("suggestion-new-zh-390", "/suggestions/new/", 390, "member"),
    ("honour-roll-zh-1280", "/honour-roll/", 1280, None),
    ("honour-roll-zh-390", "/honour-roll/", 390, None),
    ("honour-roll-artworks-zh-1280", "/honour-roll/?category=artworks", 1280, None),
    ("honour-roll-artworks-zh-390", "/honour-roll/?category=artworks", 390, None),
    ("honour-roll-empty-zh-1280", "/honour-roll/?q=nobodyhere", 1280, None),
    ("honour-roll-empty-zh-390", "/honour-roll/?q=nobodyhere", 390, None),
    ("me-zh-1280", "/me/", 1280, "member"),
    ("me-zh-390", "/me/", 390, "member"),
]
# name, path: printed on A4; its first two pages kept as PNG.
PRINTS = [
    ("campaign-donation-print", "/campaigns/special-dues-2020/"),
    ("honour-roll-print", "/honour-roll/print/"),
]
# name, path: the share pictures as a chat app fetches them.
PICTURES = [
    ("share-donation-wide", "/campaigns/special-dues-2020/share-wide.png"),
    ("share-donation-square", "/campaigns/special-dues-2020/share-square.png"),
]


def open_page(browser, base, width, login):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    if login:
        page.goto(base + "/accounts/login/")
        page.fill("#id_username", login)
        page.fill("#id_password", PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()
    return context, page


def show(page, base, path):
    if path == "{suggestion}":
        page.goto(base + "/suggestions/")
        path = page.locator(".suggestion-titles a").first.get_attribute("href")
    page.goto(base + path)
    # A full-page shot does not scroll: lazy pictures below the fold would stay blank.
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading='eager')")
    page.wait_for_load_state("networkidle")


def main(base, name_filter=""):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        for name, path, width, login in PAGES:
            if name_filter not in name:
                continue
            context, page = open_page(browser, base, width, login)
            show(page, base, path)
            page.screenshot(path=OUT / f"{name}.png", full_page=True)
            context.close()
            print(OUT / f"{name}.png")
        for name, path in PRINTS:
            if name_filter not in name:
                continue
            context, page = open_page(browser, base, 1280, None)
            show(page, base, path)
            with tempfile.TemporaryDirectory() as folder:
                pdf = Path(folder) / "print.pdf"
                page.pdf(path=str(pdf), format="A4")
                prefix = OUT / f"{name}-page"
                subprocess.run(
                    ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", pdf, prefix], check=True
                )
            context.close()
            print(*sorted(OUT.glob(f"{name}-page*.png")), sep="\n")
        for name, path in PICTURES:
            if name_filter not in name:
                continue
            context, page = open_page(browser, base, 1280, None)
            picture = page.request.get(base + path)
            (OUT / f"{name}.png").write_bytes(picture.body())
            context.close()
            print(OUT / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
