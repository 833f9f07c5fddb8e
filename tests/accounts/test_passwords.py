"""Password policy (Korean safety standard), change while signed in, and reset by e-mail."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError

from tests.factories import make_user
from yunghap.accounts.models import Role
from yunghap.accounts.validators import CharacterClassValidator, character_kinds
from yunghap.core.models import AuditLog

# --- the rule ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "kinds"),
    [("abcdefgh", 1), ("abcDEF", 2), ("abc123!", 3), ("Abc123!", 4), ("비밀번호123", 2), ("a b", 2)],
)
def test_character_kinds(password, kinds):
    assert character_kinds(password) == kinds


@pytest.mark.parametrize(
    "password",
    ["yunghap-demo-2026", "abcdefgh12", "ABCDEFGHI!", "abcd12!@", "Abcdef12", "교류회비밀번호2026"],
)
def test_passwords_that_meet_the_standard(password):
    CharacterClassValidator().validate(password)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("abcdefghijkl", "password_too_simple"),  # 12 characters of one kind
        ("abcdefg12", "password_too_simple"),  # 9 characters of two kinds
        ("abcd12!", "password_too_short"),  # 7 characters of three kinds
        ("Ab1!", "password_too_short"),
    ],
)
def test_passwords_that_do_not(password, code):
    with pytest.raises(ValidationError) as caught:
        CharacterClassValidator().validate(password)
    assert caught.value.code == code
    assert "2종류 이상을 섞어 10자 이상, 또는 3종류 이상을 섞어 8자 이상" in caught.value.messages[0]


@pytest.mark.django_db
def test_the_demo_password_passes_all_configured_validators():
    validate_password("yunghap-demo-2026")
    with pytest.raises(ValidationError) as caught:
        validate_password("abcdefg12")
    assert any("문자 종류가 2가지" in message for message in caught.value.messages)


# --- change -----------------------------------------------------------------------------------------------


@pytest.fixture
def user(db):
    user = make_user("pwuser", Role.FIRM_USER)
    user.email = "pwuser@firm.example"
    user.save()
    return user


OLD = "pw-pwuser-2026!"
NEW = "새-비밀번호-2026"


def test_profile_links_to_password_change_and_login_to_reset(client, user):
    client.force_login(user)
    assert 'href="/accounts/password/change/"' in client.get("/accounts/profile/").content.decode()
    client.logout()
    assert 'href="/accounts/password/reset/"' in client.get("/accounts/login/").content.decode()


def test_change_password_checks_the_policy_and_ends_other_sessions(client, user, django_user_model):
    from django.test import Client

    other = Client()
    other.force_login(user)
    client.force_login(user)
    weak = client.post(
        "/accounts/password/change/",
        {"old_password": OLD, "new_password1": "abcdefg12", "new_password2": "abcdefg12"},
    )
    assert weak.status_code == 200
    assert "2종류 이상을 섞어 10자 이상" in weak.content.decode()
    response = client.post(
        "/accounts/password/change/", {"old_password": OLD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/done/"
    assert client.get("/accounts/profile/").status_code == 200  # this session stays signed in
    assert other.get("/accounts/profile/").status_code == 302  # the other one has ended
    assert django_user_model.objects.get(pk=user.pk).check_password(NEW)
    row = AuditLog.objects.get(action="user.password_change")
    assert row.object_id == str(user.pk) and NEW not in str(row.changes)


# --- reset ------------------------------------------------------------------------------------------------


def test_reset_flow_by_e_mail(client, user, django_user_model, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves after commit, from a task
        response = client.post("/accounts/password/reset/", {"email": "PWUSER@firm.example"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pwuser@firm.example"]
    assert message.subject == "[융합] 비밀번호 재설정 안내"
    assert "비밀번호 재설정을 요청하셨습니다" in message.body
    assert "아이디: pwuser" in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body).group(1)

    form = client.get(link, follow=True)  # Django moves the token into the session and redirects
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0]
    assert "새 비밀번호 정하기" in form.content.decode()
    weak = client.post(set_url, {"new_password1": "short1!", "new_password2": "short1!"})
    assert "비밀번호가 너무 짧습니다" in weak.content.decode()
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == "/accounts/password/reset/complete/"
    assert django_user_model.objects.get(pk=user.pk).check_password(NEW)
    assert AuditLog.objects.filter(action="user.password_reset", object_id=str(user.pk)).count() == 1

    again = client.get(link, follow=True)  # a used link is void
    assert "재설정 링크가 올바르지 않거나 이미 쓰였거나" in again.content.decode()
    signed_in = client.post("/accounts/login/", {"username": "pwuser", "password": NEW})
    assert signed_in.status_code == 302


def test_reset_does_not_reveal_whether_an_address_exists(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password/reset/", {"email": "pwuser@firm.example"})
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@nowhere.example"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    page = client.get(unknown["Location"]).content.decode()
    assert "입력한 주소가 계정에 등록되어 있으면" in page


def test_reset_page_renders_in_krds(client):
    html = client.get("/accounts/password/reset/").content.decode()
    assert 'class="krds-input"' in html and "재설정 링크 받기" in html
