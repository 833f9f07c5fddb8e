"""The vendored front-end assets are complete, and Django's admin is for central staff only."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_vendor_script():
    spec = importlib.util.spec_from_file_location("vendor_assets", ROOT / "scripts" / "vendor_assets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vendor_script_copies_krds_with_every_file_its_css_refers_to(tmp_path):
    vendor = load_vendor_script()
    copied = vendor.copy_assets(vendor_dir=tmp_path)
    assert (tmp_path / "htmx" / "htmx.min.js").exists() and (tmp_path / "axe-core" / "axe.min.js").exists()
    css_path = tmp_path / "krds" / "css" / "component" / "output.css"
    css = css_path.read_text(encoding="utf-8")
    references = set(re.findall(r"url\(([^)]+)\)", css)) | set(re.findall(r'@import "([^"]+)"', css))
    local = {r.strip("'\"") for r in references if not r.strip("'\"").startswith("data:")}
    assert local, "KRDS's stylesheet should refer to its icons"
    missing = [r for r in local if not (css_path.parent / r).resolve().exists()]
    assert missing == []
    assert not any(r.startswith(("http:", "https:", "//")) for r in local)  # no CDN
    assert len(copied) == len(vendor.ASSETS)
    # Our stylesheet declares the Hangul font KRDS ships but does not declare itself.
    site_css = (ROOT / "src" / "yunghap" / "static" / "yunghap" / "site.css").read_text(encoding="utf-8")
    for font in re.findall(r'url\("\.\./vendor/krds/fonts/([^"]+)"\)', site_css):
        assert (tmp_path / "krds" / "fonts" / font).exists()


def test_vendor_script_reports_missing_packages(tmp_path):
    vendor = load_vendor_script()
    with pytest.raises(FileNotFoundError, match="npm ci"):
        vendor.copy_assets(node_modules=tmp_path / "nothing", vendor_dir=tmp_path / "out")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/rolegrant/",
        "/admin/network/exchangegroup/",
        "/admin/network/firm/",
        "/admin/network/membership/",
        "/admin/network/federation/",
    ],
)
def test_admin_is_for_central_staff_only(network, login, path):
    assert login(network.users["central"]).get(path).status_code == 200
    for role in ("seoul", "officer"):
        response = login(network.users[role]).get(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_user_admin_shows_role_grants_inline(network, login):
    user = network.users["officer"]
    html = login(network.users["central"]).get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert "grants-TOTAL_FORMS" in html and "테헤란기술교류회" in html
