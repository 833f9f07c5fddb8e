"""Real-browser fixtures: Python Playwright driving Debian's Chromium against pytest-django's live server.

Never a browser download: the executable is /usr/bin/chromium (or $CHROMIUM). If it cannot start, the
tests fail — CI must not pass by skipping them.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it are
# still plain synchronous calls, so Django's async-safety guard would be a false alarm here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROJECT_DIR = Path(__file__).resolve().parents[2]
AXE_JS = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"Chromium not found at {path}: install Debian's chromium (apt-get install -y chromium)")
    return path


# The one Playwright driver of the test process: a second `sync_playwright()` in the same thread fails
# ("Sync API inside the asyncio loop"), so a test that needs a Chromium with other flags (a fake camera)
# launches it from this driver (`launch_chromium`) and asks for the `browser` fixture to have it started.
_DRIVER: dict[str, Any] = {}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        _DRIVER["playwright"] = playwright
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        _DRIVER.clear()


def launch_chromium(*extra_args: str) -> Any:
    """Another Chromium with `extra_args`, from the session's driver (request the `browser` fixture first)."""
    return _DRIVER["playwright"].chromium.launch(
        executable_path=chromium_path(), headless=True, args=[*CHROMIUM_ARGS, *extra_args]
    )


@pytest.fixture
def page(browser, live_server, settings):
    # The live server thread serves static files through the staticfiles handler; uploaded files are not needed.
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def login(page: Any, live_server: Any, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url, f"login failed for {username}"


@functools.cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(
    page: Any, impacts: tuple[str, ...] = ("serious", "critical"), rules: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """Run axe-core (from npm, no CDN) in the page and return its violations of the given impacts
    (only `rules`, when given)."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core not found at {AXE_JS}: run `npm ci` in the project")
    # Evaluated through the DevTools protocol, not added as an inline <script>: the Content-Security-Policy
    # rightly blocks inline scripts, and the tests must see the pages under the real policy.
    # Once per document: a second run on the same page (another width) reuses it.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": list(rules)}
    result = page.evaluate("async (options) => await axe.run(document, options)", options)
    return [v for v in result["violations"] if v.get("impact") in impacts]


CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${location.pathname} ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
});
"""


def watch_csp(page: Any) -> list[str]:
    """Collect Content-Security-Policy violations (events and console reports) of every page from now on."""
    console: list[str] = []
    page.add_init_script(CSP_LISTENER)
    page.on(
        "console",
        lambda message: (
            console.append(f"{page.url} {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return console


def csp_violations(page: Any, console: list[str]) -> list[str]:
    return list(console) + list(page.evaluate("window.__cspViolations || []"))


def axe_check(page: Any) -> None:
    violations = axe_violations(page)
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    )
    assert not violations, f"axe-core found serious/critical violations on {page.url}:\n{details}"
