"""Deleting ledger records asks first, keeps the record as deleted (audited), and can be undone for a while."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.helpers import at_once
from tests.write_once_support import COMMITTED_ROWS, messages_of, postgres_only, token_of
from yunghap.activities import services
from yunghap.activities.models import Attendance, Meeting, Outcome, Trade
from yunghap.core.models import AuditLog
from yunghap.insights.figures import ensure_fresh
from yunghap.insights.models import GroupMonth, StaleGroup
from yunghap.surveys.selectors import ledger_year_figures

DAY = datetime.date(2024, 3, 14)


def _token(page) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', page.content.decode())
    assert match, "the confirmation page carries a one-time token"
    return match.group(1)


@pytest.fixture
def meeting(ledger):
    return services.record_meeting(
        ledger.group, actor=None, held_on=DAY, present_firm_ids=[ledger.alpha.pk, ledger.beta.pk]
    )


def _march_meetings(group) -> int:
    ensure_fresh()
    row = GroupMonth.objects.filter(group=group, month=datetime.date(2024, 3, 1)).first()
    return row.meetings if row else 0


def test_deleting_a_meeting_asks_first_then_undo_brings_it_back(client, ledger, officer, meeting):
    client.force_login(officer)
    assert _march_meetings(ledger.group) == 1
    url = reverse("activities:meeting_delete", args=[meeting.pk])

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    # Exactly what will happen, counted from the rows: the sheet lists the three members of that day.
    assert "2024-03-14 월례회 모임 1건과 출석 기록 3건을 삭제합니다." in text
    assert "24시간 안에는 되돌릴 수 있습니다" in text
    assert Meeting.objects.filter(pk=meeting.pk).exists(), "showing the question deletes nothing"

    # A POST without the page's token does nothing.
    refused = client.post(url, {})
    assert refused.status_code == 400 and Meeting.objects.filter(pk=meeting.pk).exists()

    token = _token(page)
    done = client.post(url, {"form_token": token})
    assert done.status_code == 302
    assert done["Location"] == reverse("activities:meeting_list", args=[ledger.group.code])
    listing = client.get(done["Location"]).content.decode()
    restore_url = reverse("activities:entry_restore", args=["meeting", meeting.pk])
    assert (
        "모임 기록을 삭제했습니다." in listing
        and f'href="{restore_url}"' in listing
        and "되돌리기" in listing
    )
    assert "2024-03-14" not in listing

    # Kept as deleted, with its attendance, an audit row, and out of every reader.
    kept = Meeting.all_objects.get(pk=meeting.pk)
    assert kept.deleted_at is not None and kept.deleted_by == officer
    assert Attendance.objects.filter(meeting=kept).count() == 3
    assert not Attendance.objects.live().filter(meeting=kept).exists()
    audit = AuditLog.objects.get(action="meeting.delete")
    assert audit.actor == officer and audit.changes["attendance"] == 3
    assert StaleGroup.objects.filter(group_id=ledger.group.pk).exists()
    assert _march_meetings(ledger.group) == 0
    assert ledger_year_figures(2024, [ledger.group.pk])[ledger.group.pk]["meetings"] == 0
    assert client.get(reverse("activities:meeting_detail", args=[meeting.pk])).status_code == 404
    ledger_page = client.get(reverse("activities:group_ledger", args=[ledger.group.code])).content.decode()
    assert 'id="recently-deleted"' in ledger_page and f'href="{restore_url}"' in ledger_page

    # The same page posted again deletes nothing more and says so.
    again = client.post(url, {"form_token": token})
    assert again.status_code == 302
    assert AuditLog.objects.filter(action="meeting.delete").count() == 1
    assert "이미 처리된 요청입니다" in client.get(again["Location"]).content.decode()

    # Undo: asks, then restores; audited, statistics follow.
    ask = client.get(restore_url)
    assert ask.status_code == 200
    assert "2024-03-14 월례회 모임 1건과 출석 기록 3건을 되돌립니다." in ask.content.decode()
    restored = client.post(restore_url, {"form_token": _token(ask)})
    assert restored.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).present_count == 2
    assert AuditLog.objects.filter(action="meeting.restore", actor=officer).count() == 1
    assert StaleGroup.objects.filter(group_id=ledger.group.pk).exists()
    assert _march_meetings(ledger.group) == 1
    assert "2024-03-14" in client.get(restored["Location"]).content.decode()
    assert client.get(restore_url).status_code == 404, "nothing left to restore"


def test_undo_after_the_window_is_refused_in_korean(client, ledger, officer, meeting, settings):
    settings.LEDGER_UNDO_HOURS = 24
    services.delete_entry(meeting, actor=officer, now=timezone.now() - datetime.timedelta(hours=25))
    with pytest.raises(services.ValidationError) as refused:
        services.restore_entry(meeting, actor=officer)
    assert refused.value.code == "undo_expired"
    assert "삭제한 지 24시간이 지나 되돌릴 수 없습니다" in refused.value.messages[0]

    client.force_login(officer)
    url = reverse("activities:entry_restore", args=["meeting", meeting.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "삭제한 지 24시간이 지나 되돌릴 수 없습니다" in page.content.decode()
    assert 'id="confirm-form"' not in page.content.decode()
    # Posted anyway (an old page): refused with the same message, nothing restored.
    response = client.post(url, {"form_token": "y" * 32}, follow=True)
    assert "삭제한 지 24시간이 지나 되돌릴 수 없습니다" in response.content.decode()
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    # Not listed as recently deleted any more.
    ledger_page = client.get(reverse("activities:group_ledger", args=[ledger.group.code])).content.decode()
    assert 'id="recently-deleted"' not in ledger_page


def test_a_meeting_recorded_again_blocks_the_undo(ledger, meeting):
    services.delete_entry(meeting, actor=None)
    services.record_meeting(ledger.group, actor=None, held_on=DAY, present_firm_ids=[ledger.alpha.pk])
    with pytest.raises(services.ValidationError) as refused:
        services.restore_entry(meeting, actor=None)
    assert refused.value.code == "duplicate"


def test_two_tabs_delete_once(ledger, meeting):
    services.delete_entry(meeting, actor=None)
    with pytest.raises(services.ValidationError) as refused:
        services.delete_entry(meeting, actor=None)
    assert refused.value.code == "deleted"
    assert AuditLog.objects.filter(action="meeting.delete").count() == 1


def test_trade_and_outcome_delete_and_undo(client, ledger, officer):
    trade = services.record_trade(
        ledger.group,
        actor=None,
        buyer=ledger.alpha,
        seller=ledger.beta,
        item="금형",
        amount_krw=1_500_000,
        traded_on=DAY,
    )
    outcome = services.record_outcome(
        ledger.group,
        actor=None,
        kind="patent",
        title="센서 특허",
        achieved_on=DAY,
        firms=[ledger.alpha, ledger.beta],
    )
    client.force_login(officer)
    trade_url = reverse("activities:entry_delete", args=["trade", trade.pk])
    page = client.get(trade_url)
    assert "2024-03-14 금형(1,500,000원) 회원간 수발주 기록 1건을 삭제합니다." in page.content.decode()
    client.post(trade_url, {"form_token": _token(page)})
    totals = client.get(reverse("activities:trade_list", args=[ledger.group.code])).content.decode()
    assert "모두 0건, 0원" in totals
    outcome_url = reverse("activities:entry_delete", args=["outcome", outcome.pk])
    page = client.get(outcome_url)
    assert "‘센서 특허’(참여 회원사 2곳) 융합기술개발 실적 1건을 삭제합니다." in page.content.decode()
    client.post(outcome_url, {"form_token": _token(page)})
    assert not ledger.alpha.outcomes.exists(), "related managers leave deleted results out"
    assert ledger_year_figures(2024, [ledger.group.pk])[ledger.group.pk]["rnd_results"] == 0

    for kind, model, entry in (("trade", Trade, trade), ("outcome", Outcome, outcome)):
        url = reverse("activities:entry_restore", args=[kind, entry.pk])
        client.post(url, {"form_token": _token(client.get(url))})
        assert model.objects.filter(pk=entry.pk).exists()
    assert ledger.alpha.outcomes.count() == 1


def test_those_who_may_not_record_may_not_undo(client, ledger, meeting, member_user, other_officer):
    services.delete_entry(meeting, actor=None)
    url = reverse("activities:entry_restore", args=["meeting", meeting.pk])
    client.force_login(member_user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"form_token": "z" * 32}).status_code == 403
    client.force_login(other_officer)
    assert client.get(url).status_code == 404
    ledger_page = client.get(reverse("activities:group_ledger", args=[ledger.group.code]))
    assert ledger_page.status_code == 404
    client.force_login(member_user)
    page = client.get(reverse("activities:group_ledger", args=[ledger.group.code])).content.decode()
    assert 'id="recently-deleted"' not in page
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


@postgres_only
@COMMITTED_ROWS
def test_two_tabs_deleting_one_meeting_at_once_delete_it_once(ledger, officer, seoul_staff):
    meeting = services.record_meeting(
        ledger.group, actor=None, held_on=DAY, present_firm_ids=[ledger.alpha.pk]
    )
    url = reverse("activities:meeting_delete", args=[meeting.pk])
    mine, theirs = Client(), Client()
    mine.force_login(officer)
    theirs.force_login(seoul_staff)
    my_token, their_token = token_of(mine.get(url)), token_of(theirs.get(url))
    results = at_once(
        lambda: mine.post(url, {"form_token": my_token}),
        lambda: theirs.post(url, {"form_token": their_token}),
    )
    assert [getattr(r, "status_code", r) for r in results] == [302, 302]
    said = [m for r in results for m in messages_of(r)]
    assert sum("모임 기록을 삭제했습니다." in m for m in said) == 1
    assert sum("이미 삭제된 기록입니다." in m for m in said) == 1
    assert AuditLog.objects.filter(action="meeting.delete").count() == 1
    assert not Meeting.objects.exists() and Meeting.all_objects.count() == 1


def test_with_no_undo_window_records_are_kept_but_not_restorable(client, ledger, officer, meeting, settings):
    settings.LEDGER_UNDO_HOURS = 0
    client.force_login(officer)
    url = reverse("activities:meeting_delete", args=[meeting.pk])
    page = client.get(url)
    assert "삭제한 기록은 되돌릴 수 없습니다(삭제 기록으로 보관됩니다)." in page.content.decode()
    done = client.post(url, {"form_token": _token(page)}, follow=True)
    assert "모임 기록을 삭제했습니다." in done.content.decode() and "되돌리기" not in done.content.decode()
    assert Meeting.all_objects.filter(pk=meeting.pk, deleted_at__isnull=False).exists()
    with pytest.raises(services.ValidationError):
        services.restore_entry(meeting, actor=officer)
