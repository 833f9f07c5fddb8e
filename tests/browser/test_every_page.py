"""Every page of the project in Chromium, at 1366 and 390 px wide: no horizontal scroll, Korean that breaks
between words, breadcrumbs, and no serious or critical axe-core violation.

The list of pages is the permission matrix (tests/test_permission_matrix.py): each GET URL is visited as the
first persona (in VISITORS order) for whom its cell is "200", in the matrix's own fixture world. A URL that is
not a page (a file, JSON, an htmx fragment) must be named in NOT_PAGES with why, so a new page cannot escape.
Screenshots go to $BROWSER_SCREENSHOTS (or pytest's tmp dir): `<persona>--<url name>-<width>.png`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.browser.support import axe_violations, login
from tests.test_permission_matrix import MATRIX, world  # noqa: F401  (the fixture)
from tests.web.conftest import network  # noqa: F401  (the fixture world needs)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 390)
# Anonymous first, so that public pages are seen as the public sees them; then the roles with the widest views.
VISITORS = [
    "anon",
    "central",
    "seoul",
    "officer",
    "firm",
    "coordinator",
    "former",
    "tworoles",
    "busan",
    "reviewer",
]
USERNAMES = {"firm": "firmuser", "coordinator": "coord"}
# GET URLs that answer 200 with something other than a page of the site.
NOT_PAGES = {
    "portal:notice_feed": "the notices' RSS 2.0 feed (XML)",
    "portal:sitemap": "sitemap.xml",
    "portal:robots": "robots.txt (plain text)",
    "portal:attachment": "a notice's or library item's attached file",
    "javascript_catalog": "JavaScript",
    "core:notifications_unread": "JSON for the header's badge",
    "accounts:session_status": "JSON for the session countdown",
    "transfer:export": "a CSV file",
    "accesslog:download": "an XLSX file",
    "activities:outcome_evidence": "the evidence file (PDF)",
    "transfer:import_progress": "an htmx fragment of the import page",
    "transfer:import_errors": "the rows with errors as a CSV file",
    "transfer:import_template": "an import kind's XLSX template",
    "matching:review_count": "an htmx fragment: the menu badge's count",
    "programmes:call_applications_download": "a call's applications as an XLSX or CSV file",
    "programmes:selection_record_download": "the selection record as an XLSX file",
    "programmes:spending_evidence": "a spending's evidence file",
    "programmes:report_file": "a progress report's file",
    "programmes:call_settlement_download": "a call's settlement as an XLSX or CSV file",
    "events:participants_export": "an event's participants as an XLSX file",
    "events:certificate_download": "a completion certificate (PDF)",
    "proposals:attachment": "a proposal's attachment (PDF)",
    "events:region_feed": "a region's events as an iCalendar file",
    "events:user_feed": "a user's events as an iCalendar file",
}
# axe-core runs in full at the first width; at the phone width, again with the rules whose outcome the layout
# can change (the rest look at markup, which is the same at both widths). It is most of the test's time.
LAYOUT_RULES = (
    "scrollable-region-focusable",
    "color-contrast",
    "link-in-text-block",
    "target-size",
    "meta-viewport",
    "nested-interactive",
)
# Error pages in the shell, seen like any other page (their content is tested in tests/web/test_error_pages.py).
ERROR_PAGES = [
    ("not-found", "central", "/groups/no-such-group/", 404),
    ("forbidden", "firm", "/groups/seoul-a/edit/", 403),
]

OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  // The widest offenders that are not inside a box of their own that scrolls.
  const inScrollBox = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && !inScrollBox(el)) {
      out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''} right=${Math.round(r.right)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, offenders: out.slice(-8)};
}"""

BREADCRUMB_JS = """() => {
  const items = [...document.querySelectorAll('nav.krds-breadcrumb-wrap ol > li')];
  const last = items[items.length - 1];
  const current = last && (last.getAttribute('aria-current') === 'page' || last.querySelector('[aria-current=page]'));
  return {count: items.length, lastCurrent: !!current, texts: items.map((li) => li.innerText.trim())};
}"""


def pages_to_visit(w: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(persona, url name, path) for every GET page of the matrix answering 200 to someone."""
    visits = []
    for name, (kwargs_of, get_expected, _post) in MATRIX.items():
        persona = next((p for p in VISITORS if get_expected.get(p) == "200"), None)
        if persona is None or name in NOT_PAGES:
            continue
        visits.append((persona, name, reverse(name, kwargs=kwargs_of(w) if kwargs_of else None)))
    return visits


def screenshot_dir(tmp_path_factory: Any) -> Path:
    target = os.environ.get("BROWSER_SCREENSHOTS")
    path = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def check_page(page: Any, label: str, width: int, shots: Path) -> list[str]:
    problems = []
    overflow = page.evaluate(OVERFLOW_JS)
    if overflow:
        problems.append(
            f"{label} @{width}: horizontal scroll ({overflow['scrollWidth']} > {overflow['width']}) "
            f"{overflow['offenders']}"
        )
    if page.evaluate("getComputedStyle(document.body).wordBreak") != "keep-all":
        problems.append(f"{label} @{width}: body is not word-break: keep-all")
    for violation in axe_violations(page, rules=() if width == WIDTHS[0] else LAYOUT_RULES):
        targets = [n["target"] for n in violation["nodes"]][:4]
        problems.append(f"{label} @{width}: axe {violation['id']} ({violation['impact']}) {targets}")
    page.screenshot(path=str(shots / f"{label}-{width}.png"), full_page=True)
    return problems


def test_every_page_at_both_widths(browser, live_server, world, tmp_path_factory):  # noqa: F811
    shots = screenshot_dir(tmp_path_factory)
    visits = pages_to_visit(world) + [(p, n, path) for n, p, path, _s in ERROR_PAGES]
    expected_status = {n: s for n, _p, _path, s in ERROR_PAGES}
    problems: list[str] = []
    breadcrumbs: list[str] = []
    seen = 0
    timings: list[tuple[float, str]] = []
    for persona in dict.fromkeys(p for p, _n, _u in visits):
        context = browser.new_context(locale="ko-KR", viewport={"width": WIDTHS[0], "height": 900})
        context.set_default_timeout(15_000)
        page = context.new_page()
        if persona != "anon":
            username = USERNAMES.get(persona, persona)
            login(page, live_server, username, f"pw-{username}-2026!")
        for _p, name, path in (v for v in visits if v[0] == persona):
            label = f"{persona}--{name.replace(':', '-')}"
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            started = time.monotonic()
            response = page.goto(f"{live_server.url}{path}")
            wanted = expected_status.get(name, 200)
            assert response.status == wanted, f"{path} as {persona}: {response.status}, not {wanted}"
            assert "<html" in page.content(), f"{name} is not a page: add it to NOT_PAGES"
            if name not in ("network:home", "portal:home"):
                crumbs = page.evaluate(BREADCRUMB_JS)
                if crumbs["count"] < 2 or not crumbs["lastCurrent"]:
                    breadcrumbs.append(
                        f"{name} ({path}): {crumbs['texts']} last current={crumbs['lastCurrent']}"
                    )
            for width in WIDTHS:
                if width != WIDTHS[0]:
                    page.set_viewport_size({"width": width, "height": 900})
                    page.wait_for_timeout(200)  # shell.js re-fits tables 100 ms after a resize
                problems += check_page(page, label, width, shots)
            seen += 1
            timings.append((time.monotonic() - started, label))
        context.close()
    print("slowest:", sorted(timings, reverse=True)[:8], "total", sum(t for t, _l in timings))
    assert seen >= len(MATRIX) // 2, f"only {seen} pages visited"
    problems += [f"breadcrumbs: {b}" for b in breadcrumbs]
    assert not problems, f"{len(problems)} problems on {seen} pages (screenshots in {shots}):\n" + "\n".join(
        problems
    )
