"""The error pages (400, 403, 404, 405, 500, 503) with DEBUG off, as people meet them: one Korean design in the
site's shell, saying what happened, with the ways back (home, the previous page, whom to contact); English
when the language is switched."""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from tests.factories import make_user
from yunghap.accounts.models import Role

pytestmark = pytest.mark.django_db

HOME = 'id="error-home" href="/"'


@pytest.fixture(autouse=True)
def _production_errors(settings):
    settings.DEBUG = False
    settings.SITE_EMAIL = "help@federation.example"
    settings.SITE_PHONE = "02-123-4567"


def page_of(response):
    html = response.content.decode()
    assert '<html lang="' in html and 'id="krds-header"' in html and 'id="krds-footer"' in html
    assert "Traceback" not in html and "Django" not in html
    assert HOME in html, "no way home"
    assert 'href="mailto:help@federation.example"' in html and "02-123-4567" in html, "no contact"
    assert 'aria-current="page"' in html  # its own breadcrumb after 홈
    return html


def test_404_is_a_korean_page_with_the_way_back(client):
    client.force_login(make_user("central", Role.CENTRAL_STAFF))
    response = client.get("/groups/no-such-group/", HTTP_REFERER="http://testserver/groups/?page=2")
    assert response.status_code == 404
    html = page_of(response)
    assert "<h1>페이지를 찾을 수 없습니다</h1>" in html and "오류 코드 404" in html
    assert 'id="error-back" href="/groups/?page=2"' in html  # the previous page
    # A URL that matches no pattern at all, from another site: no "previous page" to another host.
    response = client.get("/no/such/page/", HTTP_REFERER="https://elsewhere.example/x")
    assert response.status_code == 404
    assert 'id="error-back"' not in page_of(response)


def test_403_says_what_to_do_in_korean(client, network):
    # A member firm's user sees its group but may not change it (the permission matrix's 403).
    client.force_login(network.users["firm"])
    response = client.get(f"/groups/{network.seoul_group.code}/edit/")
    assert response.status_code == 403
    html = page_of(response)
    assert "<h1>이 페이지를 볼 권한이 없습니다</h1>" in html and "연합회 담당자에게 요청해 주세요" in html


def test_405_has_a_body_and_keeps_allow(client):
    client.force_login(make_user("central", Role.CENTRAL_STAFF))
    response = client.get("/accounts/logout/")
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    html = page_of(response)
    assert "<h1>이 방식으로는 요청할 수 없습니다</h1>" in html


def test_400_shows_the_reason(client):
    client.force_login(make_user("central", Role.CENTRAL_STAFF))
    response = client.get("/firms/", {"q": "a\x00b"})
    assert response.status_code == 400
    html = page_of(response)
    assert "<h1>요청을 처리할 수 없습니다</h1>" in html
    assert "요청에 쓸 수 없는 문자(NUL)가 들어 있습니다." in html
    # A request Django refuses itself (a host not allowed) is the same page.
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "<h1>요청을 처리할 수 없습니다</h1>" in page_of(response)


@pytest.mark.urls("tests.web.error_urls")
def test_500_is_a_korean_page_that_asks_nothing_of_the_database():
    client = Client(raise_request_exception=False)
    client.force_login(make_user("central", Role.CENTRAL_STAFF))
    response = client.get("/boom/")
    assert response.status_code == 500
    html = page_of(response)
    assert "<h1>일시적인 오류가 발생했습니다</h1>" in html and "a bug" not in html


def test_503_when_the_database_is_down_is_the_same_design():
    client = Client(raise_request_exception=False)
    client.force_login(make_user("central", Role.CENTRAL_STAFF))

    def fail(self, *args, **kwargs):
        raise OperationalError("database is locked")

    with mock.patch.object(CursorWrapper, "execute", fail):
        response = client.get("/groups/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    html = page_of(response)
    assert "<h1>잠시 후 다시 시도해 주세요</h1>" in html and "30초쯤 뒤에" in html


def test_csrf_failure_is_a_korean_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = page_of(response)
    assert "보안 확인 값이 맞지 않아 보내지 못했습니다." in html


def test_error_pages_are_english_when_the_language_is_switched(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(make_user("central", Role.CENTRAL_STAFF))
    html = page_of(client.get("/groups/no-such-group/"))
    assert '<html lang="en">' in html and "<h1>Page not found</h1>" in html and "Back to home" in html
    html = page_of(client.get("/accounts/logout/"))
    assert "<h1>This request method is not allowed here</h1>" in html
