"""Events demo data (`yunghap demo`): twelve events over this month and the next — national ones of the
central federation and regional ones, of every kind — with their sessions and registrations made through
`registration.register`, among them one full event with a waiting list and an open seat offer to the
`firm` login. Deterministic for a seed, and skipped when demo events already exist."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yunghap.accounts.models import Role, RoleGrant, User
from yunghap.network.models import Federation, Firm, Membership

from . import registration
from .models import Attendance, Certificate, Event, EventSession, Registration

PREFIX = "demo-"
EVENT_COUNT = 12
TITLES: dict[str, list[str]] = {
    Event.Kind.COURSE: ["융합 기술사업화 실무 과정", "스마트공장 도입 실무 교육"],
    Event.Kind.SEMINAR: ["금형·센서 융합 기술세미나", "이차전지 소재 기술세미나"],
    Event.Kind.WORKSHOP: ["협력체 과제 기획 워크숍", "기술 수요·제공 매칭 워크숍"],
    Event.Kind.NATIONAL: ["전국 이업종교류 한마당"],
    Event.Kind.COMPETITION: ["융합 아이디어 경진대회"],
    Event.Kind.SYMPOSIUM: ["중소기업 융합 심포지엄"],
    Event.Kind.JOB_FAIR: ["융합기업 채용박람회"],
}
PLACES = ["중소기업중앙회 2층 대회의실", "지역 연합회 교육장", "테크노파크 세미나실", "벡스코 3층 컨벤션홀"]
FAMILY = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"]
GIVEN = ["민준", "서연", "도윤", "하은", "지호", "수아", "예준", "지유", "시우", "채원"]


def build_demo(*, seed: int, stdout: Any) -> None:
    if Event.objects.filter(code__startswith=PREFIX).exists():
        stdout.write("교육·행사: 시연 행사가 이미 있어 만들지 않았습니다.")
        return
    if not Firm.objects.exists():
        stdout.write("교육·행사: 회원사가 없어 시연 행사를 만들지 않았습니다.")
        return
    with transaction.atomic():
        summary = _build(random.Random(seed * 17 + 11))
        held = _past_courses(random.Random(seed * 19 + 5))
    stdout.write(
        f"교육·행사: 행사 {summary['events']}건(회차 {summary['sessions']}건), 신청 {summary['registrations']}건 "
        f"(대기 {summary['waiting']}건, 좌석 제안 {summary['offered']}건), 지난 교육 {held}건"
    )
    # What happened at the events already held: attendance (hence completions and certificates), then the
    # satisfaction answers and the yearly figures the statistics pages read.
    from .demo_attendance import build_attendance_demo
    from .demo_feedback import build_feedback_demo

    build_attendance_demo(seed=seed, stdout=stdout)
    _firm_login_completes()
    build_feedback_demo(seed=seed, stdout=stdout)


# Courses already held (weeks and a year ago), so that completions, certificates, education histories,
# satisfaction results and the yearly statistics have something to show.
PAST_COURSES = [
    (Event.Kind.COURSE, "협업 기반 신제품 개발 실무 과정", 40, 3),
    (Event.Kind.SEMINAR, "스마트공장 공정 데이터 활용 기술세미나", 21, 1),
    (Event.Kind.COURSE, "이업종 교류회 리더 양성 과정", 380, 2),
]


def _past_courses(rng: random.Random) -> int:
    firm_user, own_firm = _firm_user()
    firms = list(Firm.objects.filter(status=Firm.Status.ACTIVE).order_by("brn")[:300])
    if not firms:
        return 0
    for n, (kind, title, days_ago, session_count) in enumerate(PAST_COURSES):
        first_day = timezone.localdate() - datetime.timedelta(days=days_ago)
        opens = first_day - datetime.timedelta(days=30)
        event = Event.objects.create(
            code=f"{PREFIX}past-{n + 1:02d}",
            title=title,
            kind=kind,
            organiser=None,
            capacity=30,
            registration_opens=opens,
            registration_closes=first_day - datetime.timedelta(days=1),
        )
        for k in range(session_count):
            start = _at(first_day + datetime.timedelta(days=k), 10)
            EventSession.objects.create(
                event=event,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=4),
                place=PLACES[n % len(PLACES)],
            )
        moment = _at(opens, 9)
        for k in range(rng.randint(12, 20)):
            moment += datetime.timedelta(hours=rng.randint(1, 30))
            registration.register(
                event,
                name=_person(rng),
                email=f"past{n + 1:02d}{k + 1:02d}@participants.demo.yunghap.example",
                firm=firms[rng.randrange(len(firms))],
                at=moment,
            )
        if n == 0 and firm_user is not None and own_firm is not None:
            registration.register(
                event,
                name=firm_user.get_full_name() or firm_user.username,
                email=firm_user.email,
                firm=own_firm,
                user=firm_user,
                at=moment + datetime.timedelta(hours=1),
            )
    return len(PAST_COURSES)


def _firm_login_completes() -> None:
    """The `firm` login attended the first past course in full: its history shows a completion and the
    certificate to download and verify."""
    from .attendance_services import record_attendance

    firm_user, _firm = _firm_user()
    mine = Registration.objects.filter(event__code=f"{PREFIX}past-01", user=firm_user).first()
    if mine is None or mine.completed:
        return
    for session in mine.event.sessions.order_by("starts_at"):
        record_attendance(
            mine,
            session,
            minutes_present=int((session.ends_at - session.starts_at).total_seconds()) // 60,
            late=False,
            left_early=False,
            method=Attendance.Method.LIST,
            actor=None,
            at=session.ends_at,
        )


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _person(rng: random.Random) -> str:
    return rng.choice(FAMILY) + rng.choice(GIVEN)


def _firm_user() -> tuple[User | None, Firm | None]:
    user = User.objects.filter(username="firm").first()
    if user is None:
        return None, None
    grant = RoleGrant.objects.filter(user=user, role=Role.FIRM_USER).select_related("firm").first()
    return user, grant.firm if grant else None


def _build(rng: random.Random) -> dict[str, int]:
    today = timezone.localdate()
    month = today.replace(day=1)
    regions = list(Federation.objects.order_by("code"))
    kinds = list(TITLES)
    member_ids = sorted(set(Membership.objects.current(today).values_list("firm_id", flat=True)))
    summary = {"events": 0, "sessions": 0, "registrations": 0, "waiting": 0, "offered": 0}
    firm_user, own_firm = _firm_user()
    plans: list[dict[str, Any]] = []
    for n in range(EVENT_COUNT):
        national = n % 3 == 0
        kind = Event.Kind.NATIONAL if n == 0 else kinds[n % len(kinds)]
        organiser = None if national or not regions else regions[rng.randrange(len(regions))]
        # Over this month and the next: some sessions already held, most ahead.
        offset = rng.randint(-5, 50) if n else 12
        first_day = max(month, today + datetime.timedelta(days=offset))
        plans.append({"n": n, "kind": kind, "organiser": organiser, "first_day": first_day})
    for plan in plans:
        n, kind, organiser, first_day = plan["n"], plan["kind"], plan["organiser"], plan["first_day"]
        audience: dict[str, Any] = {"audience": Event.Audience.EVERYONE}
        if organiser is not None and n % 2 == 0:
            audience = {"audience": Event.Audience.REGION, "audience_region": organiser}
        elif organiser is None and n % 4 == 3:
            audience = {"audience": Event.Audience.MEMBERS}
        full = n == 0
        opens = min(today, first_day) - datetime.timedelta(days=20)
        closes = max(today + datetime.timedelta(days=3), first_day - datetime.timedelta(days=1))
        event = Event.objects.create(
            code=f"{PREFIX}{month:%Y%m}-{n + 1:02d}",
            title=f"{rng.choice(TITLES[kind])} {month:%Y}-{n + 1:02d}",
            kind=kind,
            organiser=organiser,
            capacity=3 if full else rng.choice([20, 30, 40, 60]),
            registration_opens=opens,
            registration_closes=closes,
            **audience,
        )
        summary["events"] += 1
        for k in range(1 if n % 3 else 2):
            day = first_day + datetime.timedelta(days=7 * k)
            start = _at(day, 14 if n % 2 else 10)
            online = n % 5 == 4
            EventSession.objects.create(
                event=event,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=3),
                place="" if online else rng.choice(PLACES),
                online_link="https://meet.demo.yunghap.example/" + event.code if online else "",
            )
            summary["sessions"] += 1
        candidates = Firm.objects.filter(status=Firm.Status.ACTIVE)
        if audience["audience"] == Event.Audience.REGION:
            candidates = candidates.filter(federation=organiser)
        elif audience["audience"] == Event.Audience.MEMBERS:
            candidates = candidates.filter(pk__in=member_ids)
        firms = list(candidates.order_by("brn")[:200])
        if not firms:
            continue
        count = 5 if full else rng.randint(2, 8)
        moment = _at(opens, 9)
        for k in range(count):
            firm = firms[rng.randrange(len(firms))]
            moment += datetime.timedelta(hours=rng.randint(1, 20))
            try:
                registration.register(
                    event,
                    name=_person(rng),
                    email=f"p{n + 1:02d}{k + 1:02d}@participants.demo.yunghap.example",
                    firm=firm,
                    at=min(moment, timezone.now()),
                )
            except ValidationError:
                continue  # a firm outside the audience on that day: the demo simply has one fewer
            summary["registrations"] += 1
            if full and k == 2 and firm_user is not None:
                # The `firm` login is first in line when the event is full.
                moment += datetime.timedelta(hours=1)
                registration.register(
                    event,
                    name=firm_user.get_full_name() or firm_user.username,
                    email=firm_user.email,
                    firm=own_firm,
                    user=firm_user,
                    at=min(moment, timezone.now()),
                )
                summary["registrations"] += 1
        if full:
            # One confirmed person cancels: the seat is offered to the first in line, open for 48 hours.
            first = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).order_by(
                "queue_position"
            )[0]
            registration.cancel(first)
    summary["waiting"] = Registration.objects.filter(
        event__code__startswith=PREFIX, status=Registration.Status.WAITING
    ).count()
    summary["offered"] = Registration.objects.filter(
        event__code__startswith=PREFIX, status=Registration.Status.OFFERED
    ).count()
    if firm_user is not None and own_firm is not None:
        # The `firm` login also holds a confirmed seat at a national event ahead.
        upcoming = (
            Event.objects.filter(
                code__startswith=PREFIX, organiser__isnull=True, audience=Event.Audience.EVERYONE
            )
            .exclude(registrations__user=firm_user)
            .order_by("code")
            .first()
        )
        if upcoming is not None:
            registration.register(
                upcoming,
                name=firm_user.get_full_name() or firm_user.username,
                email=firm_user.email,
                firm=own_firm,
                user=firm_user,
                at=_at(upcoming.registration_opens, 12),
            )
            summary["registrations"] += 1
    return summary


def reset_demo() -> None:
    """Delete every event record before `yunghap demo --reset` deletes the network: registrations protect
    their firms, events their organising federation and audience (groups, consortia), certificates their
    registrations."""
    from .models import FeedbackSurvey

    # Survey receipts protect the registrations they acknowledge; the answers go with their survey.
    FeedbackSurvey.objects.all().delete()
    Certificate.objects.all().delete()
    Attendance.objects.all().delete()
    Registration.objects.all().delete()
    Event.objects.all().delete()
