"""Pages for the signed-in are never cached; every page carries the CSP and Permissions-Policy (issue 7, 5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/firms/",
        "/groups/seoul-a/",
        "/accounts/profile/",
        "/data/export/firms.xlsx",
        "/admin/network/firm/",
    ],
)
def test_pages_and_downloads_for_the_signed_in_send_no_store(network, login, url):
    response = login(network.users["central"]).get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_firm_edit_form_is_not_stored(network, login):
    url = reverse("network:firm_edit", args=[network.member_firm.brn])
    assert "no-store" in login(network.users["seoul"]).get(url)["Cache-Control"]


def test_every_response_has_a_csp_with_a_fresh_nonce_and_a_permissions_policy(client):
    first, second = client.get("/accounts/login/"), client.get("/accounts/login/")
    policy = first["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy and "'unsafe-eval'" not in policy
    assert policy != second["Content-Security-Policy"]  # one nonce per request
    assert first.wsgi_request.csp_nonce in policy
    assert "camera=()" in first["Permissions-Policy"] and "geolocation=()" in first["Permissions-Policy"]


def test_no_template_has_inline_script_or_event_handlers():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "src" / "yunghap"
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        inline = [m for m in re.findall(r"<script\b[^>]*>", text) if "src=" not in m and "nonce=" not in m]
        if inline or re.search(r"\son[a-z]+\s*=", text) or re.search(r"\sstyle\s*=", text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
