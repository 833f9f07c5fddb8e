"""Finding 10 of issue 7: opening introduction pages never writes; the scheduler records what time did.

A request past its deadline reads as expired everywhere (page, lists, filters, the services that refuse
late answers) from the moment the deadline passes; `yunghap expire_introductions` persists it with its
history row, audit row and notifications.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.helpers import assert_no_writes
from yunghap.core.models import AuditLog, Notification
from yunghap.introductions import services
from yunghap.introductions.models import Introduction, IntroductionEvent
from yunghap.introductions.workflow import State


def _overdue(intro):
    Introduction.objects.filter(pk=intro.pk).update(
        respond_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    intro.refresh_from_db()
    return intro


def _counts():
    return (
        AuditLog.objects.count(),
        Notification.objects.count(),
        IntroductionEvent.objects.count(),
        list(Introduction.objects.values_list("pk", "state", "updated_at").order_by("pk")),
    )


def test_pages_show_an_overdue_request_as_expired_without_writing(client, world, intro, mailoutbox):
    intro = _overdue(intro)
    before = _counts()
    client.force_login(world.coordinator)
    with assert_no_writes():
        detail = client.get(reverse("introductions:detail", args=[intro.pk]))
        caseload = client.get(reverse("introductions:caseload"))
        expired = client.get(reverse("introductions:list"), {"state": State.EXPIRED})
        awaiting = client.get(reverse("introductions:list"), {"state": State.AWAITING})
    assert detail.status_code == caseload.status_code == expired.status_code == 200
    assert 'data-state="expired"' in detail.content.decode()
    assert "응답 기한 경과" in detail.content.decode()
    # The coordinator is offered what an expired request allows: ask again with a new deadline.
    assert "extend" in {t.action for t, _form in detail.context["action_forms"]}
    assert [i.pk for i in expired.context["introductions"]] == [intro.pk]
    assert list(awaiting.context["introductions"]) == []
    assert [i.pk for i in caseload.context["overdue"]] == [intro.pk]

    client.force_login(world.partner_user)
    with assert_no_writes():
        page = client.get(reverse("introductions:detail", args=[intro.pk]))
    assert "accept" not in {t.action for t, _form in page.context["action_forms"]}
    assert _counts() == before
    assert mailoutbox == []


def test_a_late_answer_is_refused_with_the_deadline(world, intro):
    intro = _overdue(intro)
    with pytest.raises(ValidationError) as caught:
        services.answer_introduction(intro, actor=world.partner_user, accept=True)
    assert caught.value.messages == [f"응답 기한({intro.respond_by.isoformat()})이 지났습니다."]
    assert Introduction.objects.get(pk=intro.pk).state == State.AWAITING


def test_the_scheduled_command_persists_and_notifies(world, intro, django_capture_on_commit_callbacks):
    intro = _overdue(intro)
    audit_before = AuditLog.objects.filter(action="introduction.expire").count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_introductions")
    intro.refresh_from_db()
    assert intro.state == State.EXPIRED
    assert AuditLog.objects.filter(action="introduction.expire").count() == audit_before + 1
    assert IntroductionEvent.objects.filter(introduction=intro, action="expire").count() == 1
    assert Notification.objects.filter(verb="introduction.expire").exists()


def test_a_follow_up_due_reads_as_due_and_is_recorded_by_the_scheduler(client, world, intro):
    Introduction.objects.filter(pk=intro.pk).update(
        state=State.OUTCOME_RECORDED, follow_up_due_on=timezone.localdate()
    )
    client.force_login(world.coordinator)
    with assert_no_writes():
        page = client.get(reverse("introductions:detail", args=[intro.pk]))
    assert 'data-state="follow_up_due"' in page.content.decode()
    assert Introduction.objects.get(pk=intro.pk).state == State.OUTCOME_RECORDED
    assert services.run_due_transitions() == {"expired": 0, "follow_up_due": 1}
    assert Introduction.objects.get(pk=intro.pk).state == State.FOLLOW_UP_DUE
