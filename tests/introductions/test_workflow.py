"""The introduction state machine: every move from every state by every kind of actor, and time's moves."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from tests.factories import GroupFactory, make_user
from yunghap.accounts.models import Role
from yunghap.introductions import services
from yunghap.introductions.models import Introduction, IntroductionEvent
from yunghap.introductions.workflow import TRANSITIONS, Actor, Outcome, State

TODAY = services.today


def perform(action: str, intro: Introduction, user):
    """Make `action` through the public service a view would call, with valid input."""
    if action == "send":
        return services.send_introduction(intro, actor=user)
    if action in {"accept", "decline"}:
        return services.answer_introduction(intro, actor=user, accept=action == "accept", message="네")
    if action == "extend":
        return services.extend_introduction(
            intro, actor=user, respond_by=TODAY() + datetime.timedelta(days=7)
        )
    if action == "schedule_meeting":
        return services.schedule_meeting(
            intro, actor=user, meeting_at=timezone.now() + datetime.timedelta(days=3), place="판교"
        )
    if action == "record_meeting":
        return services.record_meeting(intro, actor=user, met_on=TODAY(), note="시제품 검토")
    if action == "record_outcome":
        return services.record_outcome(intro, actor=user, outcome=Outcome.NDA, note="NDA 체결")
    if action == "record_follow_up":
        return services.record_follow_up(
            intro, actor=user, outcome=Outcome.JOINT_DEVELOPMENT, note="과제 신청"
        )
    if action == "withdraw":
        return services.withdraw_introduction(intro, actor=user, reason="사정 변경")
    if action == "close":
        return services.close_introduction(intro, actor=user)
    # Time's own moves have no user-facing service; the table is still what refuses people.
    return services._apply(intro, action, actor=user)


def actors(world):
    outsider = make_user("coord-out", Role.COORDINATOR, group=GroupFactory())
    return {
        "coordinator": (world.coordinator, Actor.COORDINATOR),
        "seeker": (world.seeker_user, Actor.PARTY),
        "partner": (world.partner_user, Actor.PARTY),
        "stranger": (world.stranger_user, None),
        "outside-coordinator": (outsider, None),
        "system": (None, Actor.SYSTEM),
    }


def fresh(world, state: str) -> Introduction:
    return Introduction.objects.create(
        coordinator=world.coordinator,
        seeker=world.seeker,
        partner=world.partner,
        need=world.need,
        state=state,
        respond_by=TODAY() + datetime.timedelta(days=5),
    )


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_every_move_from_every_state_by_every_actor(world, action):
    transition = TRANSITIONS[action]
    for name, (user, kind) in actors(world).items():
        for state in State.values:
            intro = fresh(world, state)
            # Firms take part only once the request has been sent to them.
            effective = None if (kind == Actor.PARTY and state == State.PROPOSED) else kind
            where = f"{action} by {name} from {state}"
            if effective not in transition.actors:
                with pytest.raises(PermissionDenied, match="권한이 없습니다|당사자 기업 담당자만"):
                    perform(action, intro, user)
                assert Introduction.objects.get(pk=intro.pk).state == state, where
            elif state not in transition.sources:
                with pytest.raises(
                    ValidationError, match="상태에서는 .* 처리를 할 수 없습니다|이미 응답했습니다"
                ):
                    perform(action, intro, user)
                assert Introduction.objects.get(pk=intro.pk).state == state, where
            else:
                perform(action, intro, user)
                expected = state if transition.needs_both_parties else transition.target
                assert Introduction.objects.get(pk=intro.pk).state == expected, where
                assert IntroductionEvent.objects.filter(introduction=intro, action=action).exists(), where


def test_the_whole_way_from_request_to_closed(world, intro):
    assert intro.state == State.AWAITING and intro.sent_at
    services.answer_introduction(intro, actor=world.seeker_user, accept=True)
    assert intro.state == State.AWAITING and not intro.contacts_released
    services.answer_introduction(intro, actor=world.partner_user, accept=True, message="좋습니다")
    assert intro.state == State.ACCEPTED and intro.contacts_released
    services.schedule_meeting(
        intro, actor=world.partner_user, meeting_at=timezone.now() + datetime.timedelta(days=2)
    )
    services.record_meeting(intro, actor=world.coordinator, met_on=TODAY())
    services.record_outcome(intro, actor=world.coordinator, outcome=Outcome.CONSORTIUM)
    assert intro.follow_up_due_on == services.add_months(TODAY(), 6)
    services.run_due_transitions(on=intro.follow_up_due_on - datetime.timedelta(days=1))
    intro.refresh_from_db()
    assert intro.state == State.OUTCOME_RECORDED
    assert services.run_due_transitions(on=intro.follow_up_due_on) == {"expired": 0, "follow_up_due": 1}
    intro.refresh_from_db()
    assert intro.state == State.FOLLOW_UP_DUE
    services.record_follow_up(
        intro, actor=world.seeker_user, outcome=Outcome.JOINT_DEVELOPMENT, note="R&D 과제 선정"
    )
    assert intro.state == State.CLOSED and intro.closed_at
    assert [e.action for e in intro.events.all()] == [
        "create",
        "send",
        "accept",
        "accept",
        "schedule_meeting",
        "record_meeting",
        "record_outcome",
        "follow_up_due",
        "record_follow_up",
    ]


def test_either_firm_declining_ends_it(world, intro):
    services.answer_introduction(intro, actor=world.seeker_user, accept=True)
    services.answer_introduction(intro, actor=world.partner_user, accept=False, message="여력이 없습니다")
    assert intro.state == State.DECLINED and not intro.contacts_released
    assert intro.partner_message == "여력이 없습니다"


def test_a_firm_answers_once(world, intro):
    services.answer_introduction(intro, actor=world.seeker_user, accept=True)
    with pytest.raises(ValidationError, match="이미 응답했습니다"):
        services.answer_introduction(intro, actor=world.seeker_user, accept=False)
    assert Introduction.objects.get(pk=intro.pk).seeker_answer == Introduction.Answer.ACCEPTED


def test_unanswered_requests_expire_after_the_deadline_not_on_it(world, intro):
    services.answer_introduction(intro, actor=world.seeker_user, accept=True)
    assert services.run_due_transitions(on=intro.respond_by) == {"expired": 0, "follow_up_due": 0}
    assert services.run_due_transitions(on=intro.respond_by + datetime.timedelta(days=1))["expired"] == 1
    intro.refresh_from_db()
    assert intro.state == State.EXPIRED
    with pytest.raises(ValidationError, match="처리를 할 수 없습니다|기한"):
        services.answer_introduction(intro, actor=world.partner_user, accept=True)
    # The coordinator may ask again with a new deadline; the answer already given stands.
    services.extend_introduction(
        intro, actor=world.coordinator, respond_by=TODAY() + datetime.timedelta(days=10)
    )
    assert intro.state == State.AWAITING and intro.seeker_answer == Introduction.Answer.ACCEPTED
    services.answer_introduction(intro, actor=world.partner_user, accept=True)
    assert intro.state == State.ACCEPTED


def test_a_late_answer_is_refused_even_before_the_expiry_run(world, intro):
    Introduction.objects.filter(pk=intro.pk).update(respond_by=TODAY() - datetime.timedelta(days=1))
    intro.refresh_from_db()
    with pytest.raises(ValidationError, match="응답 기한"):
        services.answer_introduction(intro, actor=world.partner_user, accept=True)


def test_expire_command_and_date_option(world, intro, capsys):
    call_command(
        "expire_introductions", "--date", (intro.respond_by + datetime.timedelta(days=1)).isoformat()
    )
    assert "만료 1건" in capsys.readouterr().out
    assert Introduction.objects.get(pk=intro.pk).state == State.EXPIRED


def test_expiry_task_runs_the_same_rules(world, intro):
    from yunghap.introductions.tasks import run_due_introduction_transitions

    Introduction.objects.filter(pk=intro.pk).update(respond_by=TODAY() - datetime.timedelta(days=1))
    result = run_due_introduction_transitions.enqueue()
    assert result.return_value == {"expired": 1, "follow_up_due": 0}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 1, 15), datetime.date(2026, 7, 15)),
        (datetime.date(2026, 8, 31), datetime.date(2027, 2, 28)),
        (datetime.date(2027, 8, 31), datetime.date(2028, 2, 29)),
        (datetime.date(2026, 12, 1), datetime.date(2027, 6, 1)),
    ],
)
def test_follow_up_falls_six_calendar_months_later(day, expected):
    assert services.add_months(day, 6) == expected


def test_creating_checks_caseload_duplicates_and_deadline(world, intro):
    with pytest.raises(ValidationError, match="이미 진행 중인 소개"):  # the same pair for the same need
        services.create_introduction(
            actor=world.coordinator, seeker=world.seeker, partner=world.partner, need=world.need
        )
    # The partner's coordinator cannot introduce on the seeker's behalf.
    with pytest.raises(PermissionDenied, match="담당 교류회의 회원사에 대해서만"):
        services.create_introduction(
            actor=world.other_coordinator, seeker=world.seeker, partner=world.partner, need=world.need
        )
    with pytest.raises(ValidationError, match="같은 기업끼리는"):
        services.create_introduction(actor=world.coordinator, seeker=world.seeker, partner=world.seeker)
    with pytest.raises(ValidationError, match="응답 기한은 오늘 이후"):
        services.create_introduction(
            actor=world.coordinator, seeker=world.seeker, partner=world.stranger_firm, respond_by=TODAY()
        )
    world.stranger_firm.status = "closed"
    world.stranger_firm.save()
    with pytest.raises(ValidationError, match="폐업한 기업"):
        services.create_introduction(
            actor=world.coordinator, seeker=world.seeker, partner=world.stranger_firm
        )
