"""Notifications are a message code with parameters, shown in the reader's language (core.messages_catalogue)."""

from __future__ import annotations

import importlib

import pytest
from django.core import mail
from django.urls import reverse

from yunghap.accounts.models import User
from yunghap.core import messages_catalogue
from yunghap.core.messenger import notify
from yunghap.core.models import Notification


@pytest.fixture
def reader(db):
    return User.objects.create_user(
        username="reader", password="pw-reader-2026!", name="김혜민", email="reader@example.kr"
    )


def test_a_notification_is_stored_as_code_and_params_with_the_korean_text(reader):
    (row,) = notify([reader], code="posting.approved", params={"title": "센서 모듈"}, link="/x/", email=False)
    row.refresh_from_db()
    assert (row.code, row.params) == ("posting.approved", {"title": "센서 모듈"})
    assert row.message == "게시글 '센서 모듈'이 승인되었습니다."


def test_the_list_shows_it_in_the_readers_language(client, reader):
    notify(
        [reader],
        code="membership_request.accepted",
        params={"firm": "스마트산업(주)", "group": "테헤란"},
        email=False,
    )
    client.force_login(reader)
    korean = client.get(reverse("core:notifications")).content.decode()
    assert "스마트산업(주)가 테헤란 가입 요청을 수락했습니다." in korean
    assert "이(가)" not in korean
    client.cookies["django_language"] = "en"
    english = client.get(reverse("core:notifications")).content.decode()
    assert "스마트산업(주) accepted the request to join 테헤란." in english


def test_mail_goes_in_the_recipients_language(reader, django_capture_on_commit_callbacks):
    other = User.objects.create_user(username="en", name="Jane Doe", email="jane@example.com", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify([reader, other], code="posting.approved", params={"title": "Sensor"}, link="/p/")
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert bodies["reader@example.kr"].startswith("게시글 'Sensor'가 승인되었습니다.")
    assert bodies["jane@example.com"].startswith("The post 'Sensor' was approved.")
    # Stored once, in Korean, whatever the recipients' languages.
    assert set(Notification.objects.values_list("message", flat=True)) == {
        "게시글 'Sensor'가 승인되었습니다."
    }


def test_nested_messages_and_unknown_codes(reader):
    assert messages_catalogue.render(
        "survey.reminder",
        {"year": 2026, "group": "테헤란", "deadline": messages_catalogue.message("survey.no_deadline")},
    ).endswith("마감일: 미정")
    assert messages_catalogue.render("gone.code", {}, fallback="옛 문구") == "옛 문구"
    with pytest.raises(ValueError):
        notify([reader], code="no.such.code")
    old = Notification.objects.create(recipient=reader, verb="notice", message="코드 없는 옛 알림")
    assert old.text == "코드 없는 옛 알림"


def test_a_code_cannot_be_defined_twice_with_another_text():
    messages_catalogue.define("test.once", "하나")
    messages_catalogue.define("test.once", "하나")
    with pytest.raises(ValueError):
        messages_catalogue.define("test.once", "둘")


def test_every_defined_code_renders_in_both_languages():
    for code in messages_catalogue.codes():
        for language in ("ko", "en"):
            template = messages_catalogue.template_of(code)
            assert messages_catalogue.render(code, _dummy(str(template)), language=language)


def _dummy(template):
    import re

    return {name: (1 if kind == "d" else "x") for name, kind in re.findall(r"%\((\w+)\)([sd])", template)}


def test_the_migration_reads_old_texts_back_into_codes():
    migration = importlib.import_module("yunghap.core.migrations.0007_notification_message_code")
    assert migration.read_back(
        "(주)스마트산업의 게시글 '센서'이(가) 검토를 기다립니다.", "posting.review_requested"
    ) == (
        "posting.review_requested",
        {"firm": "(주)스마트산업", "title": "센서"},
    )
    assert migration.read_back(
        "저장한 검색 '광학'에 맞는 새 게시글 12건: 'a', 'b' 외 2건", "saved_search.match"
    ) == ("saved_search.match_more", {"name": "광학", "count": 12, "titles": "'a', 'b'", "more": 2})
    assert migration.read_back(
        "A사이(가) A사–B사 소개를 수락했습니다. 상대 기업의 응답을 기다립니다.", "introduction.accept"
    ) == (
        "introduction.accept.partial",
        {"actor_firm": "A사", "seeker": "A사", "partner": "B사"},
    )
    code, params = migration.read_back(
        "2026년 실태조사에 테헤란의 응답을 제출해 주세요. 마감일: 미정", "survey.reminder"
    )
    assert params["deadline"] == {"code": "survey.no_deadline", "params": {}}
    assert migration.read_back("알 수 없는 문구", "notice") is None


def test_choosing_english_keeps_it_for_the_users_mail(client, reader, django_capture_on_commit_callbacks):
    client.force_login(reader)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.language == "en"
    with django_capture_on_commit_callbacks(execute=True):
        notify([reader], code="posting.approved", params={"title": "Sensor"})
    assert mail.outbox[-1].body.startswith("The post 'Sensor' was approved.")
    client.get(reverse("set_language"), {"language": "ko"})  # a GET changes nothing
    reader.refresh_from_db()
    assert reader.language == "en"
