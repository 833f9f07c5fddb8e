"""Coaching demo data (`yunghap demo`): the `coordinator` login's sessions with its groups and their
consortia — one group quiet for more than 60 days, next steps due and overdue, a pre-planning session with
its note — and two mentoring pairs (one active with the `firm` login's firm as the junior, one ended with
both reviews). Deterministic for a seed, and skipped when the coordinator already has sessions."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from yunghap.accounts.models import Role, RoleGrant, User
from yunghap.core.audit import record_bulk_change
from yunghap.network.models import Firm, Membership
from yunghap.programmes.models import Consortium, PrePlanningNote

from .mentoring import eligible_senior_ids
from .models import CoachingSession, MentoringSession, Mentorship, MentorshipReview, NextStep

NOTES: dict[str, str] = {
    CoachingSession.Kind.SEMINAR: "회원사 대상 기술 세미나: 센서·금형 융합 사례를 나누었습니다.",
    CoachingSession.Kind.MATCHING: "기술 수요 두 건에 맞는 다른 업종 파트너 후보를 함께 검토했습니다.",
    CoachingSession.Kind.SITE_VISIT: "생산 현장을 방문해 공정 개선 과제를 정리했습니다.",
    CoachingSession.Kind.PRE_PLANNING: "신청 전 기술 기획: 목표 사양, 역할 분담, 비목별 예산을 함께 짰습니다.",
    CoachingSession.Kind.OTHER: "교류회 월례회에 참석해 지원사업 일정을 안내했습니다.",
}
STEPS = ["파트너 후보 두 곳 연락", "시제품 사양서 초안 받기", "예산표 검토", "다음 세미나 장소 정하기"]


def build_demo(*, seed: int, stdout: Any) -> None:
    coordinator = User.objects.filter(username="coordinator").first()
    if coordinator is None:
        stdout.write("코칭: coordinator 계정이 없어 시연 데이터를 만들지 않았습니다.")
        return
    if CoachingSession.objects.filter(coordinator=coordinator).exists():
        stdout.write("코칭: 코칭 기록이 이미 있어 시연 데이터를 만들지 않았습니다.")
        return
    with transaction.atomic():
        summary = _build(random.Random(seed * 13 + 4), coordinator)
    stdout.write(
        f"코칭: coordinator의 코칭 기록 {summary['sessions']}건(다음 할 일 {summary['steps']}건, "
        f"60일 넘게 연락 없는 교류회 {summary['quiet']}곳), 멘토링 {summary['pairs']}쌍"
    )


def _build(rng: random.Random, coordinator: User) -> dict[str, int]:
    today = timezone.localdate()
    group_ids = sorted(
        RoleGrant.objects.filter(user=coordinator, role=Role.COORDINATOR).values_list("group_id", flat=True)
    )
    members = Membership.objects.current().filter(group_id__in=group_ids)
    member_ids = sorted(set(members.values_list("firm_id", flat=True)))
    consortia = list(Consortium.objects.filter(lead_id__in=member_ids).order_by("pk")[:6])
    sessions: list[CoachingSession] = []
    kinds = [k for k in CoachingSession.Kind.values if k != CoachingSession.Kind.PRE_PLANNING]
    quiet = 0
    for n, group_id in enumerate(group_ids):
        # The first group has been quiet for three months; the others had a session lately.
        days = [95, 130] if n == 0 else [rng.randint(3, 40), rng.randint(45, 120)]
        quiet += n == 0
        for d in days:
            kind = rng.choice(kinds)
            sessions.append(
                CoachingSession(
                    coordinator=coordinator,
                    group_id=group_id,
                    held_on=today - datetime.timedelta(days=d),
                    kind=kind,
                    notes=NOTES[kind],
                )
            )
    for n, consortium in enumerate(consortia):
        sessions.append(
            CoachingSession(
                coordinator=coordinator,
                consortium=consortium,
                held_on=today - datetime.timedelta(days=5 + 20 * n),
                kind=CoachingSession.Kind.PRE_PLANNING,
                notes=NOTES[CoachingSession.Kind.PRE_PLANNING],
            )
        )
    for firm_id in member_ids[:3]:
        sessions.append(
            CoachingSession(
                coordinator=coordinator,
                firm_id=firm_id,
                held_on=today - datetime.timedelta(days=rng.randint(1, 30)),
                kind=CoachingSession.Kind.SITE_VISIT,
                notes=NOTES[CoachingSession.Kind.SITE_VISIT],
            )
        )
    CoachingSession.objects.bulk_create(sessions)
    steps = []
    for n, session in enumerate(s for s in sessions if s.held_on > today - datetime.timedelta(days=60)):
        # Due dates from ten days ago (overdue) to three weeks ahead; every fourth one done.
        due = today + datetime.timedelta(days=(n * 7) % 31 - 10)
        steps.append(NextStep(session=session, text=STEPS[n % len(STEPS)], due_on=due, done=n % 4 == 3))
    NextStep.objects.bulk_create(steps)
    for session in sessions:
        if session.consortium_id is not None and session.held_on > today - datetime.timedelta(days=30):
            application = getattr(session.consortium, "application", None)
            session.pre_planning_note = PrePlanningNote.objects.create(
                consortium_id=session.consortium_id,
                application=application,
                author=coordinator,
                body="코칭에서: 목표 사양을 숫자로 적고, 참여기업별 역할을 예산 비목과 맞추어 보세요.",
            )
            session.save(update_fields=["pre_planning_note"])
    pairs = _pairs(rng, coordinator, member_ids, today)
    record_bulk_change(
        None,
        "coaching.demo",
        "coaching.coachingsession",
        {"sessions": len(sessions), "steps": len(steps), "pairs": pairs},
    )
    return {"sessions": len(sessions), "steps": len(steps), "quiet": quiet, "pairs": pairs}


def _pairs(rng: random.Random, coordinator: User, member_ids: list[int], today: datetime.date) -> int:
    firm_login = (
        RoleGrant.objects.filter(user__username="firm", role=Role.FIRM_USER)
        .values_list("firm_id", flat=True)
        .first()
    )
    seniors = sorted(eligible_senior_ids(member_ids) - {firm_login})
    juniors = [pk for pk in member_ids if pk not in seniors]
    if firm_login is not None and firm_login in member_ids:
        juniors = [firm_login, *[pk for pk in juniors if pk != firm_login]]
    firms = Firm.objects.in_bulk([*seniors[:2], *juniors[:2]])
    if len(seniors) < 2 or len(juniors) < 2:
        return 0
    active = Mentorship.objects.create(
        senior=firms[seniors[0]],
        junior=firms[juniors[0]],
        starts_on=today - datetime.timedelta(days=40),
        ends_on=today + datetime.timedelta(days=140),
        goals="시제품 인증 준비와 공공조달 진입 경험 전수",
        state=Mentorship.State.ACTIVE,
        proposed_by=coordinator,
    )
    MentoringSession.objects.create(
        mentorship=active,
        firm=active.senior,
        held_on=today - datetime.timedelta(days=20),
        notes="인증 시험 항목과 준비 기간을 함께 검토했습니다.",
    )
    ended = Mentorship.objects.create(
        senior=firms[seniors[1]],
        junior=firms[juniors[1]],
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today - datetime.timedelta(days=30),
        goals="융합 R&D 과제 기획과 협약 이행 노하우",
        state=Mentorship.State.ENDED,
        proposed_by=coordinator,
    )
    MentoringSession.objects.create(
        mentorship=ended,
        firm=ended.junior,
        held_on=today - datetime.timedelta(days=200),
        notes="과제 기획서 초안을 선배 기업과 검토했습니다.",
    )
    MentorshipReview.objects.bulk_create(
        [
            MentorshipReview(mentorship=ended, firm=ended.senior, body="후배 기업이 빠르게 배웠습니다."),
            MentorshipReview(mentorship=ended, firm=ended.junior, body="기획서 쓰는 법을 배웠습니다."),
        ]
    )
    del rng
    return 2


def reset_demo() -> None:
    """Delete the coaching records (they protect firms and groups) before `--reset` deletes the network."""
    MentorshipReview.objects.all().delete()
    MentoringSession.objects.all().delete()
    Mentorship.objects.all().delete()
    CoachingSession.objects.all().delete()
