"""No text shows a combined particle ("이(가)", "와/과"): a particle mark may only follow a placeholder that
`core.korean.fill` resolves ("%(firm)s이(가)", "'%(title)s'이(가)")."""

from __future__ import annotations

import re
from pathlib import Path

import yunghap

ROOT = Path(yunghap.__file__).resolve().parent
COMBINED = re.compile(
    r"(이\(가\)|가\(이\)|와\(과\)|과\(와\)|을\(를\)|를\(을\)|은\(는\)|는\(은\)|\(으\)로|와/과|과/와|이/가|을/를|은/는)"
)
PLACEHOLDER_BEFORE = re.compile(r"%\(\w+\)s[)\]'\"’”」』]*$")
SKIP = {"core/korean.py", "core/templatetags/korean.py"}


def offenders() -> list[str]:
    found = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT).as_posix()
        if path.suffix not in {".py", ".html", ".txt", ".js"} or relative in SKIP:
            continue
        if relative.startswith(("locale/", "static/vendor/")) or "/migrations/" in relative:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if path.suffix == ".py" and "#" in line:
                line = line[: line.index("#")]  # comments may talk about particles
            for match in COMBINED.finditer(line):
                if not PLACEHOLDER_BEFORE.search(line[: match.start()]):
                    found.append(f"{relative}:{number}: {line.strip()[:120]}")
    return found


def test_combined_particles_only_after_placeholders():
    assert offenders() == []


def test_django_login_error_is_not_shown(client, db):
    body = client.post("/accounts/login/", {"username": "x", "password": "y"}).content.decode()
    assert "와/과" not in body and "이(가)" not in body
