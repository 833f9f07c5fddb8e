"""The ledger's rules, through the service functions every screen and import goes through."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from yunghap.activities import services
from yunghap.activities.models import Activity, Attendance, Meeting, Outcome, Trade
from yunghap.core.models import AuditLog

TODAY = datetime.date(2026, 11, 27)
DAY = datetime.date(2024, 3, 14)  # all three members current
AFTER_GAMMA_LEFT = datetime.date(2025, 3, 13)


def test_meeting_lists_every_member_of_the_day_and_computes_the_rate(ledger, officer):
    meeting = services.record_meeting(
        ledger.group,
        actor=officer,
        held_on=DAY,
        place="회의실",
        present_firm_ids=[ledger.alpha.pk, ledger.beta.pk],
        today=TODAY,
    )
    sheet = dict(meeting.attendances.values_list("firm_id", "present"))
    assert sheet == {ledger.alpha.pk: True, ledger.beta.pk: True, ledger.gamma.pk: False}
    assert (meeting.listed_count, meeting.present_count) == (3, 2)
    assert meeting.attendance_rate == pytest.approx(66.667, abs=0.01)
    assert AuditLog.objects.filter(action="meeting.create", object_id=str(meeting.pk)).count() == 1


def test_a_firm_that_has_left_is_not_listed_and_cannot_attend(ledger, officer):
    meeting = services.record_meeting(
        ledger.group, actor=officer, held_on=AFTER_GAMMA_LEFT, present_firm_ids=[ledger.alpha.pk], today=TODAY
    )
    assert set(meeting.attendances.values_list("firm_id", flat=True)) == {ledger.alpha.pk, ledger.beta.pk}
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(
            ledger.group,
            actor=officer,
            kind="special",
            held_on=AFTER_GAMMA_LEFT,
            present_firm_ids=[ledger.gamma.pk],
            today=TODAY,
        )
    assert "마바소프트" in str(exc.value.message_dict["present_firm_ids"])
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize("outsider_attr", ["outsider"])
def test_attendance_of_a_non_member_is_refused_and_nothing_written(ledger, officer, outsider_attr):
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(
            ledger.group,
            actor=officer,
            held_on=DAY,
            present_firm_ids=[getattr(ledger, outsider_attr).pk],
            today=TODAY,
        )
    # A firm never in this group (here another region's) is not named (issue 7, finding 3).
    assert exc.value.message_dict["present_firm_ids"] == ["선택할 수 없는 회원사가 있습니다(1곳)."]
    assert Meeting.objects.count() == 0 and Attendance.objects.count() == 0


def test_future_meeting_refused(ledger, officer):
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(
            ledger.group, actor=officer, held_on=TODAY + datetime.timedelta(days=1), today=TODAY
        )
    assert "오늘 이후" in exc.value.message_dict["held_on"][0]
    assert Meeting.objects.count() == 0


def test_same_day_same_kind_twice_refused(ledger, officer):
    services.record_meeting(ledger.group, actor=officer, held_on=DAY, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(ledger.group, actor=officer, held_on=DAY, today=TODAY)
    assert "이미 기록" in exc.value.message_dict["held_on"][0]


def test_update_meeting_changes_presence_and_redraws_sheet_on_new_date(ledger, officer):
    meeting = services.record_meeting(
        ledger.group,
        actor=officer,
        held_on=DAY,
        present_firm_ids=[ledger.gamma.pk, ledger.alpha.pk],
        today=TODAY,
    )
    services.update_meeting(meeting, actor=officer, held_on=AFTER_GAMMA_LEFT, today=TODAY)
    meeting.refresh_from_db()
    assert dict(meeting.attendances.values_list("firm_id", "present")) == {
        ledger.alpha.pk: True,
        ledger.beta.pk: False,
    }
    assert (meeting.listed_count, meeting.present_count) == (2, 1)
    services.update_meeting(meeting, actor=officer, present_firm_ids=[ledger.beta.pk], today=TODAY)
    meeting.refresh_from_db()
    assert meeting.present_count == 1
    assert meeting.attendances.get(present=True).firm == ledger.beta


def test_refresh_attendance_counts_matches_rows(ledger, officer):
    meeting = services.record_meeting(
        ledger.group, actor=officer, held_on=DAY, present_firm_ids=[ledger.alpha.pk], today=TODAY
    )
    Meeting.objects.filter(pk=meeting.pk).update(listed_count=0, present_count=0)
    Meeting.objects.refresh_attendance_counts()
    meeting.refresh_from_db()
    assert (meeting.listed_count, meeting.present_count) == (3, 1)
    assert Meeting.objects.attendance_totals() == {"meetings": 1, "listed": 3, "present": 1}


def test_trade_between_members(ledger, officer):
    trade = services.record_trade(
        ledger.group,
        actor=officer,
        buyer=ledger.alpha,
        seller=ledger.beta,
        item="금형",
        amount_krw=1_500_000,
        traded_on=DAY,
        today=TODAY,
    )
    assert Trade.objects.get() == trade


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"seller": "outsider"}, "seller", "선택할 수 없는 회원사"),
        ({"seller": "gamma", "traded_on": AFTER_GAMMA_LEFT}, "seller", "회원이 아니었던"),
        ({"amount_krw": -1}, "amount_krw", "0원 이상"),
        ({"seller": "alpha"}, "seller", "같을 수 없습니다"),
        ({"traded_on": TODAY + datetime.timedelta(days=3)}, "traded_on", "오늘 이후"),
    ],
)
def test_bad_trades_refused(ledger, officer, change, field, text):
    values = {
        "buyer": ledger.alpha,
        "seller": ledger.beta,
        "item": "금형",
        "amount_krw": 1000,
        "traded_on": DAY,
    }
    for key, value in change.items():
        values[key] = getattr(ledger, value) if isinstance(value, str) else value
    with pytest.raises(ValidationError) as exc:
        services.record_trade(ledger.group, actor=officer, today=TODAY, **values)
    assert text in " ".join(exc.value.message_dict[field])
    assert Trade.objects.count() == 0


def test_outcome_with_evidence_and_members(ledger, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("특허증.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    outcome = services.record_outcome(
        ledger.group,
        actor=officer,
        kind="patent",
        title="센서 특허",
        achieved_on=DAY,
        firms=[ledger.alpha, ledger.beta],
        evidence=pdf,
        today=TODAY,
    )
    assert set(outcome.firms.all()) == {ledger.alpha, ledger.beta}
    assert outcome.evidence.read().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("name", "content", "text"),
    [("run.exe", b"MZ....", "허용되지 않는"), ("fake.pdf", b"MZ....", "맞지 않습니다")],
)
def test_outcome_evidence_type_checked(ledger, officer, name, content, text):
    with pytest.raises(ValidationError) as exc:
        services.record_outcome(
            ledger.group,
            actor=officer,
            kind="patent",
            title="특허",
            achieved_on=DAY,
            firms=[ledger.alpha],
            evidence=SimpleUploadedFile(name, content),
            today=TODAY,
        )
    assert text in exc.value.message_dict["evidence"][0]
    assert Outcome.objects.count() == 0


def test_outcome_with_non_member_refused(ledger, officer):
    with pytest.raises(ValidationError) as exc:
        services.record_outcome(
            ledger.group,
            actor=officer,
            kind="new_product",
            title="신제품",
            achieved_on=DAY,
            firms=[ledger.alpha, ledger.outsider],
            today=TODAY,
        )
    assert set(exc.value.message_dict) == {"firms"}
    assert Outcome.objects.count() == 0


def test_activity_firms_optional_but_must_be_members(ledger, officer):
    activity = services.record_activity(
        ledger.group, actor=officer, kind="social_service", title="연탄 나눔", held_on=DAY, today=TODAY
    )
    assert activity.firms.count() == 0
    with pytest.raises(ValidationError) as exc:
        services.record_activity(
            ledger.group,
            actor=officer,
            kind="joint_project",
            title="공동 전시",
            held_on=DAY,
            firms=[ledger.outsider],
            today=TODAY,
        )
    assert set(exc.value.message_dict) == {"firms"}
    assert Activity.objects.count() == 1
