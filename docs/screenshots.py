"""Take the screenshots in docs/screenshots with the system Chromium (a browser that downloads
itself cannot here). Run against a server with the demo data:

    .venv/bin/python docs/screenshots.py http://127.0.0.1:8000 [name-filter]

Needs `pip install playwright` in the venv (not a project dependency) and /usr/bin/chromium.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).parent / "screenshots"
PAGES = [
    # name, path, width
    ("home-zh-1280", "/", 1280),
    ("home-zh-390", "/", 390),
    ("campaign-donation-zh-1280", "/campaigns/special-dues-2020/", 1280),
    ("campaign-donation-zh-390", "/campaigns/special-dues-2020/", 390),
    ("campaign-blood-zh-1280", "/campaigns/blood-drive-2020/", 1280),
    ("campaign-volunteer-zh-390", "/campaigns/joint-prevention-2020/", 390),
    ("campaign-volunteer-zh-1280", "/campaigns/joint-prevention-2020/", 1280),
    ("suggestions-zh-1280", "/suggestions/", 1280),
    ("suggestions-zh-390", "/suggestions/", 390),
    ("honour-roll-zh-1280", "/honour-roll/", 1280),
    ("honour-roll-zh-390", "/honour-roll/?category=artworks", 390),
]


def main(base, name_filter=""):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        for name, path, width in PAGES:
            if name_filter not in name:
                continue
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(base + path)
            page.screenshot(path=OUT / f"{name}.png", full_page=True)
            page.close()
            print(OUT / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
