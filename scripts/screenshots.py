"""Screenshots of chosen pages at 1366 and 390 px for the docs (before/after a change of look).

Run against a running demo server with the second factor off for staff:
    OTP_REQUIRED_FOR_STAFF=0 make run   # in one shell
    .venv/bin/python scripts/screenshots.py docs/screenshots/after   # in another

Each page is signed in as the login named in PAGES; files are `<name>-<width>.png`.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "yunghap-demo-2026"  # noqa: S105  (the printed demo password)
WIDTHS = (1366, 390)
# (file name, login, path): five screens a user meets every week.
PAGES = [
    ("meeting-form", "officer", "/activities/groups/seoul-001/meetings/new/"),
    ("survey-answer", "officer", "/surveys/2026/answer/"),
    ("data", "seoul", "/data/"),
    ("statistics", "seoul", "/statistics/"),
    ("introductions", "coordinator", "/introductions/"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        for name, login, path in PAGES:
            for width in WIDTHS:
                context = browser.new_context(locale="ko-KR", viewport={"width": width, "height": 900})
                page = context.new_page()
                page.goto(f"{args.base}/accounts/login/")
                page.fill("input[name=username]", login)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]:not([name=language])")
                page.goto(f"{args.base}{path}")
                target = args.out / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
                context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
