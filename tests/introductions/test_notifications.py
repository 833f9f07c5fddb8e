"""Each step tells the people it concerns, in the app always and by e-mail after commit."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from yunghap.core.messenger import notify, unread_count
from yunghap.core.models import Notification
from yunghap.introductions import services
from yunghap.introductions.workflow import Outcome


def received(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("verb", flat=True))


def test_sending_asks_both_firms_and_mails_after_commit(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    world.partner_user.email = "partner-user@mold.example"
    world.partner_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        intro = services.create_introduction(
            actor=world.coordinator, seeker=world.seeker, partner=world.partner, need=world.need
        )
    assert received(world.seeker_user) == ["introduction.send"]
    assert received(world.partner_user) == ["introduction.send"]
    assert received(world.coordinator) == [] and received(world.stranger_user) == []
    note = Notification.objects.get(recipient=world.partner_user)
    assert note.link == reverse("introductions:detail", args=[intro.pk])
    assert intro.respond_by.isoformat() in note.message
    assert [m.to for m in mailoutbox] == [["partner-user@mold.example"]]
    assert note.link in mailoutbox[0].body


def test_no_mail_when_the_change_rolls_back(world, django_capture_on_commit_callbacks, mailoutbox):
    from django.db import transaction

    world.seeker_user.email = "s@example.com"
    world.seeker_user.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify([world.seeker_user], message="취소될 알림", link="/")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and mailoutbox == []
    assert not Notification.objects.filter(message="취소될 알림").exists()


def test_each_step_notifies_those_concerned_but_not_the_actor(world, intro):
    Notification.objects.all().delete()
    services.answer_introduction(intro, actor=world.seeker_user, accept=True)
    assert received(world.coordinator) == ["introduction.accept"]
    assert received(world.partner_user) == ["introduction.accept"]
    assert received(world.seeker_user) == []

    Notification.objects.all().delete()
    services.answer_introduction(intro, actor=world.partner_user, accept=True)
    assert received(world.coordinator) == ["introduction.accept"] and received(world.seeker_user) == [
        "introduction.accept"
    ]
    assert "연락처" in Notification.objects.get(recipient=world.seeker_user).message

    Notification.objects.all().delete()
    services.schedule_meeting(
        intro, actor=world.coordinator, meeting_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"seeker", "partner"}

    services.record_meeting(intro, actor=world.seeker_user, met_on=datetime.date.today())
    assert received(world.coordinator)[-1] == "introduction.record_meeting"
    services.record_outcome(intro, actor=world.coordinator, outcome=Outcome.TRADE)
    assert received(world.partner_user)[0] == "introduction.record_outcome"

    Notification.objects.all().delete()
    services.run_due_transitions(on=intro.follow_up_due_on)
    assert received(world.coordinator) == ["introduction.follow_up_due"]
    assert received(world.seeker_user) == ["introduction.follow_up_due"]
    assert received(world.partner_user) == ["introduction.follow_up_due"]


def test_decline_and_expiry_notify(world, intro):
    Notification.objects.all().delete()
    services.answer_introduction(intro, actor=world.partner_user, accept=False)
    assert received(world.coordinator) == ["introduction.decline"] and received(world.seeker_user) == [
        "introduction.decline"
    ]

    other = services.create_introduction(
        actor=world.coordinator, seeker=world.seeker, partner=world.stranger_firm
    )
    Notification.objects.all().delete()
    services.run_due_transitions(on=other.respond_by + datetime.timedelta(days=1))
    assert received(world.coordinator) == ["introduction.expire"]
    assert received(world.stranger_user) == ["introduction.expire"]


def test_notification_page_unread_count_and_open(client, world, intro):
    client.force_login(world.partner_user)
    assert client.get(reverse("core:notifications_unread")).json() == {"unread": 1}
    page = client.get(reverse("core:notifications"))
    assert world.seeker.name in page.content.decode()
    note = Notification.objects.get(recipient=world.partner_user)
    response = client.post(reverse("core:notification_open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == note.link
    assert unread_count(world.partner_user) == 0
    # Someone else's notification is not there to open.
    client.force_login(world.stranger_user)
    assert client.post(reverse("core:notification_open", args=[note.pk])).status_code == 404


def test_notify_skips_inactive_and_duplicate_users(world):
    world.stranger_user.is_active = False
    world.stranger_user.save()
    rows = notify([world.seeker_user, world.seeker_user, world.stranger_user, None], message="안내", link="")
    assert [r.recipient for r in rows] == [world.seeker_user]
