"""The login form speaks Korean of its own: no "사용자 이름와/과 비밀번호"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yunghap.accounts.models import User

LOGIN = "/accounts/login/"


@pytest.fixture
def member(db):
    return User.objects.create_user(username="member", password="pw-member-2026!", name="김혜민")


def test_wrong_password(client, member):
    body = client.post(LOGIN, {"username": "member", "password": "wrong"}).content.decode()
    assert "아이디 또는 비밀번호가 맞지 않습니다." in body
    assert "와/과" not in body and "사용자 이름" not in body


def test_empty_fields(client, db):
    body = client.post(LOGIN, {"username": "", "password": ""}).content.decode()
    assert "아이디를 입력해 주세요." in body and "비밀번호를 입력해 주세요." in body


def test_inactive_account_with_the_right_password_is_told_so(client, member):
    member.is_active = False
    member.save()
    body = client.post(LOGIN, {"username": "member", "password": "pw-member-2026!"}).content.decode()
    assert "사용이 중지된 계정입니다." in body
    wrong = client.post(LOGIN, {"username": "member", "password": "nope"}).content.decode()
    assert "사용이 중지된 계정입니다." not in wrong  # the right password is needed to learn it


def test_locked_account(client, member, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(LOGIN, {"username": "member", "password": "wrong"})
    locked = client.post(LOGIN, {"username": "member", "password": "pw-member-2026!"})
    assert locked.status_code == 429
    assert "비밀번호를 2번 틀려 이 계정은" in locked.content.decode()


def test_english_login_errors(client, member):
    client.cookies["django_language"] = "en"
    body = client.post(LOGIN, {"username": "member", "password": "wrong"}).content.decode()
    assert "The username or password is wrong." in body
    assert reverse("accounts:login") == LOGIN
