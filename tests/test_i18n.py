"""English is served from the catalogue: main pages switch to English, and no Korean source string is left
untranslated (a new string without an English msgstr fails here, not in front of a user)."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils import translation

from tests.browser.support import login
from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user
from yunghap.accounts.models import Role

LOCALE_DIR = Path(__file__).resolve().parents[1] / "src" / "yunghap" / "locale" / "en" / "LC_MESSAGES"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


class _TextOf(HTMLParser):
    """Collects the text inside every <nav> and <h1>, the parts of a page that must be in the chosen language."""

    TAGS = {"nav", "h1"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.TAGS:
            self.depth += 1
        if self.depth:
            # Labels for screen readers are part of the interface too.
            self.parts.extend(value for name, value in attrs if name in {"aria-label", "title"} and value)

    def handle_endtag(self, tag):
        if tag in self.TAGS and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def nav_and_headings(html: str) -> str:
    parser = _TextOf()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def switch_to_english(client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"


@pytest.fixture(autouse=True)
def _reset_language():
    # The view activates English in this thread; later tests expect the Korean default.
    yield
    translation.activate("ko")


@pytest.fixture
def central_client(client):
    # Names are English on purpose: group and firm names are data, not interface text.
    group = GroupFactory(name="Alpha Makers", code="alpha")
    MembershipFactory(group=group, firm=FirmFactory(name="Beta Tools"))
    user = make_user("c", Role.CENTRAL_STAFF)
    client.force_login(user)
    switch_to_english(client)
    return client, group


@pytest.mark.django_db
def test_login_page_is_english_after_choosing_english(client):
    switch_to_english(client)
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page and "Username" in page and "Password" in page
    assert "아이디" not in page
    assert not HANGUL.search(nav_and_headings(page)), nav_and_headings(page)


@pytest.mark.django_db
def test_login_page_stays_korean_by_default(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="ko">' in page and "아이디" in page and "Username" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", ["Home", "Exchange groups", "Member firms"]),
        ("/groups/", ["Exchange groups", "Alpha Makers", "Current member firms"]),
        ("/groups/alpha/", ["Alpha Makers", "Founded", "Beta Tools", "Industry mix"]),
        # Importer labels are class attributes: translated lazily, or they would stay in the start-up language.
        ("/data/", ["Import and export data", "Columns of the Meetings and attendance file"]),
    ],
)
def test_main_pages_for_central_staff_are_english(central_client, path, expected):
    client, _group = central_client
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    for text in expected:
        assert text in page, text
    assert "Main menu" in page and "Log out" in page
    shown = nav_and_headings(page)
    assert shown, "the page should have a menu and a heading"
    assert not HANGUL.search(shown), shown


@pytest.mark.django_db
def test_attendance_counter_text_is_in_the_javascript_catalogue(client):
    switch_to_english(client)
    catalogue = client.get("/jsi18n/").content.decode()
    assert "Present: %(ticked)s / %(total)s firms (%(rate)s)" in catalogue


def _entries(po_text: str) -> list[dict[str, str]]:
    """Parses a .po file into entries: msgid, msgid_plural, msgstr, msgstr[n], flags (obsolete ones skipped)."""
    entries, current, key = [], None, None
    for raw in po_text.splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append(current)
            current, key = None, None
            continue
        if line.startswith("#~"):
            continue
        if current is None:
            current = {"flags": ""}
        if line.startswith("#,"):
            current["flags"] += line[2:]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += _unquote(line)
        else:
            key, _space, value = line.partition(" ")
            current[key] = _unquote(value)
    return entries


def _unquote(quoted: str) -> str:
    return quoted[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_catalogue_has_no_untranslated_or_fuzzy_entries(domain):
    po = LOCALE_DIR / f"{domain}.po"
    entries = [e for e in _entries(po.read_text(encoding="utf-8")) if e.get("msgid")]
    assert entries, f"{po} has no messages"
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in entries if not all(_translations(e))]
    assert fuzzy == [], f"fuzzy in {po.name}: {fuzzy[:10]}"
    assert untranslated == [], f"untranslated in {po.name}: {untranslated[:10]}"
    korean_left = [
        e["msgid"] for e in entries if HANGUL.search(e.get("msgstr", "")) and HANGUL.search(e["msgid"])
    ]
    # A msgstr may quote Korean input the user types (e.g. "예/아니오"), but never be a copy of the msgid.
    assert [m for m in korean_left if m == next(e["msgstr"] for e in entries if e["msgid"] == m)] == []


def _translations(entry: dict[str, str]) -> list[str]:
    if "msgid_plural" in entry:
        return [entry.get("msgstr[0]", ""), entry.get("msgstr[1]", "")]
    return [entry.get("msgstr", "")]


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_catalogue_matches_its_source(domain):
    # The .mo files are committed; a .po edited without compilemessages would serve stale English.
    import gettext

    po, mo = LOCALE_DIR / f"{domain}.po", LOCALE_DIR / f"{domain}.mo"
    assert mo.exists(), f"{mo} missing: run `make messages`"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in _entries(po.read_text(encoding="utf-8")):
        if not entry.get("msgid"):
            continue
        key = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        if "msgid_plural" in entry:
            got = [compiled.ngettext(key, entry["msgid_plural"], n) for n in (1, 2)]
        else:
            got = [compiled.gettext(key)]
        if got != _translations(entry):
            stale.append(entry["msgid"])
    assert stale == [], f"{mo.name} is stale, run `make messages`: {stale[:5]}"


@pytest.mark.browser
def test_attendance_counter_speaks_english_in_the_browser(transactional_db, page, live_server):
    group = GroupFactory(name="Gamma Circle", code="gamma")
    for name in ("Delta Parts", "Epsilon Labs"):
        MembershipFactory(group=group, firm=FirmFactory(name=name), joined_on=datetime.date(2020, 1, 1))
    make_user("officer", Role.GROUP_OFFICER, group=group)
    login(page, live_server, "officer", "pw-officer-2026!")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/activities/groups/gamma/meetings/new/?held_on=2025-03-13")
    page.get_by_role("button", name="Mark all present").click()
    assert page.locator("#attendance-count").inner_text() == "Present: 2 / 2 firms (100.0%)"


@pytest.mark.django_db
def test_korean_first_whatever_the_browser_asks(client):
    """An English-language browser still gets Korean until the user picks English."""
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="ko"' in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ko-KR")
    assert 'lang="en"' in page.content.decode()
