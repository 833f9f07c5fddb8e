"""Competition demo data (`yunghap demo`, after the events' demo): one judged competition — entries by groups
and consortia, reviewers of the programmes' pool assigned without conflicts, every score sheet, the awards.

It uses the first competition event without a competition (from the events' demo), or else creates one
directly (kind competition, for everyone, one session; code `comp-demo-<year>`). Its entry window has closed,
so the ranking and the awards show. Deterministic for a seed; skipped when a competition exists."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from yunghap.accounts.models import Role, RoleGrant
from yunghap.core.audit import record_bulk_change
from yunghap.events.models import Event, EventSession
from yunghap.network.models import ExchangeGroup
from yunghap.programmes.models import Agreement, Consortium

from . import services
from .models import Award, Competition, Criterion, Entry, Prize, ReviewerAssignment, Score, ScoreSheet
from .ranking import sheet_total

CODE_PREFIX = "comp-demo-"
CRITERIA = [("기술성", 40, 10), ("사업성", 30, 10), ("협력 효과", 30, 10)]
PRIZES = [(1, "대상"), (2, "최우수상"), (3, "우수상")]
COMMENTS = [
    "이종 업종의 기술 결합이 분명하고 시제품 단계까지 진척되었습니다.",
    "시장 규모와 판로 계획이 구체적입니다.",
    "참여 기업 간 역할 분담이 명확하고 공동 성과가 기대됩니다.",
    "협력 구조는 좋으나 사업화 일정이 다소 낙관적입니다.",
]


def build_demo(*, seed: int, stdout: Any) -> None:
    if Competition.objects.exists():
        stdout.write("경진대회: 경진대회가 이미 있어 시연 데이터를 만들지 않았습니다.")
        return
    if not services.reviewer_pool().exists():
        stdout.write("경진대회: 평가위원이 없어 시연 데이터를 만들지 않았습니다.")
        return
    with transaction.atomic():
        summary = _build(random.Random(seed * 17 + 11))
    record_bulk_change(None, "competitions.demo", "competitions.competition", summary)
    stdout.write(
        f"경진대회: {summary['event']} 출품작 {summary['entries']}건, 평가 {summary['sheets']}건, "
        f"수상 {summary['awards']}건"
    )


def _event(today: datetime.date) -> Event:
    event = Event.objects.filter(kind=Event.Kind.COMPETITION, competition__isnull=True).order_by("pk").first()
    if event is not None:
        return event
    event = Event.objects.create(
        code=f"{CODE_PREFIX}{today.year}",
        title=f"{today.year} 이업종교류경진대회",
        kind=Event.Kind.COMPETITION,
        audience=Event.Audience.EVERYONE,
        capacity=300,
        registration_opens=today - datetime.timedelta(days=60),
        registration_closes=today + datetime.timedelta(days=14),
    )
    start = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=21), datetime.time(13))
    )
    EventSession.objects.create(
        event=event,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        place="서울 여의도 중소기업중앙회",
    )
    return event


def _build(rng: random.Random) -> dict[str, Any]:
    today = timezone.localdate()
    event = _event(today)
    competition = Competition.objects.create(
        event=event,
        entry_opens=today - datetime.timedelta(days=45),
        entry_closes=today - datetime.timedelta(days=7),
        reviews_per_entry=3,
    )
    Criterion.objects.bulk_create(
        Criterion(competition=competition, position=i, name=n, weight=w, max_points=m)
        for i, (n, w, m) in enumerate(CRITERIA, start=1)
    )
    Prize.objects.bulk_create(Prize(competition=competition, rank=r, name=n) for r, n in PRIZES)
    criteria = list(competition.criteria.all())

    officers = dict(
        RoleGrant.objects.filter(role=Role.GROUP_OFFICER, group__isnull=False)
        .order_by("pk")
        .values_list("group_id", "user_id")
    )
    groups = list(ExchangeGroup.objects.filter(pk__in=list(officers)).order_by("pk")[:4])
    if len(groups) < 4:
        groups += list(
            ExchangeGroup.objects.filter(status=ExchangeGroup.Status.ACTIVE)
            .exclude(pk__in=[g.pk for g in groups])
            .order_by("pk")[: 4 - len(groups)]
        )
    # A consortium whose agreement ended well first (its entry can become a success story), then others.
    settled = Consortium.objects.filter(
        application__agreement__status=Agreement.Status.SETTLED,
        application__agreement__grade__in=[Agreement.Grade.EXCELLENT, Agreement.Grade.FAIR],
    ).order_by("pk")
    consortia = list(settled[:1]) + list(
        Consortium.objects.exclude(pk__in=settled.values("pk"))
        .filter(application__isnull=False)
        .order_by("pk")[:2]
    )
    opened = timezone.make_aware(datetime.datetime.combine(competition.entry_opens, datetime.time(9)))
    entries = []
    entrants: list[Any] = [*consortia, *groups]
    for n, entrant in enumerate(entrants):
        is_group = isinstance(entrant, ExchangeGroup)
        entries.append(
            Entry.objects.create(
                competition=competition,
                group=entrant if is_group else None,
                consortium=None if is_group else entrant,
                title=f"{entrant.name} 융합 제품 공동개발",
                summary=f"{entrant.name}의 이업종 기술 융합 성과를 출품합니다.",
                status=Entry.Status.SUBMITTED,
                created_by_id=officers.get(entrant.pk) if is_group else None,
                submitted_by_id=officers.get(entrant.pk) if is_group else None,
                submitted_at=opened + datetime.timedelta(days=n, hours=rng.randint(0, 8)),
            )
        )
    pairs = services.plan_for(competition)
    ReviewerAssignment.objects.bulk_create(
        ReviewerAssignment(entry_id=e, reviewer_id=r, method=ReviewerAssignment.Method.AUTO) for e, r in pairs
    )
    sheets = 0
    strength = {e.pk: rng.randint(5, 9) for e in entries}
    for item in ReviewerAssignment.objects.filter(entry__competition=competition).order_by("pk"):
        points = [
            Decimal(min(c.max_points, max(0, strength[item.entry_id] + rng.randint(-1, 1)))) for c in criteria
        ]
        sheet = ScoreSheet.objects.create(
            assignment=item,
            total=sheet_total((p, c.weight, c.max_points) for p, c in zip(points, criteria, strict=True)),
            submitted_at=timezone.now(),
        )
        Score.objects.bulk_create(
            Score(sheet=sheet, criterion=c, points=p, comment=rng.choice(COMMENTS))
            for p, c in zip(points, criteria, strict=True)
        )
        sheets += 1
    awards = 0
    for prize, ranked, entry in services.planned_awards(competition):
        if ranked.rank is None or ranked.score is None:
            continue
        Award.objects.create(
            competition=competition, rank=ranked.rank, prize_name=prize.name, entry=entry, score=ranked.score
        )
        awards += 1
    return {"event": event.code, "entries": len(entries), "sheets": sheets, "awards": awards}


def reset_demo() -> None:
    """Delete the competitions (their entries protect groups and consortia, their assignments reviewers)
    before `--reset` deletes the network; called first by `programmes.demo.reset_demo`."""
    Award.objects.all().delete()  # a queryset delete: the frozen award's own delete() is not called
    Score.objects.all().delete()
    ScoreSheet.objects.all().delete()
    ReviewerAssignment.objects.all().delete()
    Entry.objects.all().delete()
    Competition.objects.all().delete()  # criteria and prizes cascade
