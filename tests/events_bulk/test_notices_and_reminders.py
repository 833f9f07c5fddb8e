"""Notice preferences applied in `notices.tell` (reminder/change respect them, essential always go, people
without an account always get mail) and `yunghap remind_events` sending each reminder exactly once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.events.factories import kst, make_event
from tests.factories import make_user
from yunghap.core.models import Notification
from yunghap.events import message_codes as codes
from yunghap.events.models import EventReminder, NoticePreference, Registration
from yunghap.events.notices import tell
from yunghap.events.registration import cancel, register
from yunghap.events.reminders import send_reminders

pytestmark = pytest.mark.django_db

DAY_BEFORE = kst("2026-03-19 18:00")  # the first session is 2026-03-20 14:00 KST


def person(username, **preference):
    user = make_user(username)
    user.email = f"{username}@naver.com"
    user.save()
    if preference:
        NoticePreference.objects.create(user=user, **preference)
    return user


def registered(event, user, at="2026-03-02 10:00"):
    return register(event, name=user.username, email=user.email, user=user, at=kst(at))


def codes_of(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("code", flat=True))


def test_reminder_off_means_no_reminder_but_essential_notices_still_go(mailoutbox):
    event = make_event(capacity=5)
    quiet = person("quiet", reminders=False)
    registration = registered(event, quiet)
    assert codes_of(quiet) == [codes.REGISTRATION_CONFIRMED]
    assert tell(registration, codes.EVENT_REMINDER, kind="reminder", starts="x", place="y") is False
    assert codes_of(quiet) == [codes.REGISTRATION_CONFIRMED]
    cancel(registration, now=kst("2026-03-05 10:00"))
    assert codes_of(quiet) == [codes.REGISTRATION_CONFIRMED, codes.REGISTRATION_CANCELLED]


def test_change_off_and_email_off_are_applied(mailoutbox, django_capture_on_commit_callbacks):
    event = make_event(capacity=5)
    no_change = registered(event, person("nochange", changes=False))
    in_app_only = registered(event, person("inapp", email=False))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            tell(no_change, codes.SESSION_CHANGED_BY_IMPORT, kind="change", starts="a", ends="b", place="c")
            is False
        )
        assert tell(
            in_app_only, codes.SESSION_CHANGED_BY_IMPORT, kind="change", starts="a", ends="b", place="c"
        )
    assert codes_of(no_change.user)[-1] == codes.REGISTRATION_CONFIRMED
    assert codes_of(in_app_only.user)[-1] == codes.SESSION_CHANGED_BY_IMPORT
    assert mailoutbox == []  # the in-app-only user asked for no e-mail copy


def test_people_without_an_account_always_get_the_reminder_by_mail(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=5)
    register(event, name="김민준", email="minjun@naver.com", at=kst("2026-03-02 10:00"))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = send_reminders(DAY_BEFORE)
    assert counts == {"events": 1, "sent": 1, "turned_off": 0, "already": 0}
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["minjun@naver.com"]
    assert "내일 2026-03-20 14:00에" in mailoutbox[0].body and "서울 중소기업중앙회 2층" in mailoutbox[0].body


def test_remind_events_reminds_confirmed_registrations_exactly_once(capsys):
    event = make_event(capacity=2)
    make_event(capacity=2, first_session="2026-03-21 14:00")  # not tomorrow: no reminder
    wanted = registered(event, person("wanted"))
    off = registered(event, person("off", reminders=False), at="2026-03-02 10:01")
    waiting = registered(event, person("waiting"), at="2026-03-02 10:02")
    assert waiting.status == Registration.Status.WAITING
    call_command("remind_events", "--at", "2026-03-19 18:00")
    assert capsys.readouterr().out.strip() == "행사 1건: 전날 알림 1건 보냄, 알림 끔 1건, 이미 보냄 0건"
    call_command("remind_events", "--at", "2026-03-19 23:59")
    assert capsys.readouterr().out.strip() == "행사 1건: 전날 알림 0건 보냄, 알림 끔 0건, 이미 보냄 2건"
    assert codes_of(wanted.user).count(codes.EVENT_REMINDER) == 1
    assert codes.EVENT_REMINDER not in codes_of(off.user) + codes_of(waiting.user)
    assert EventReminder.objects.filter(registration=wanted, delivered=True).count() == 1
    assert EventReminder.objects.filter(registration=off, delivered=False).count() == 1
    assert not EventReminder.objects.filter(registration=waiting).exists()


def test_no_reminder_on_the_day_itself_or_two_days_before():
    event = make_event(capacity=2)
    register(event, name="김민준", email="minjun@naver.com", at=kst("2026-03-02 10:00"))
    assert send_reminders(kst("2026-03-18 23:59"))["events"] == 0
    assert send_reminders(kst("2026-03-20 00:00"))["events"] == 0
    assert send_reminders(kst("2026-03-19 00:00"))["sent"] == 1


def test_settings_page_saves_preferences_and_checks_the_version(client):
    user = person("settings")
    client.force_login(user)
    url = reverse("events:notice_settings")
    page = client.get(url)
    assert page.status_code == 200 and "행사 전날 알림 받기" in page.content.decode()
    assert not NoticePreference.objects.exists()  # a GET writes nothing
    response = client.post(url, {"changes": "on", "email": "on", "version": "1"})
    assert response.status_code == 302
    preference = NoticePreference.objects.get(user=user)
    assert (preference.reminders, preference.changes, preference.email, preference.version) == (
        False,
        True,
        True,
        2,
    )
    stale = client.post(url, {"reminders": "on", "version": "1"})
    assert stale.status_code == 200
    assert "다른 사용자가 먼저 이 정보를 수정했습니다" in stale.content.decode()
    assert NoticePreference.objects.get(user=user).reminders is False
