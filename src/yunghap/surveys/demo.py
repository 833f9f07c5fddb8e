"""The 2009 survey of the plan, and this year's survey in progress, for `yunghap demo`.

2009: 195 of the 274 groups answered, and the report must give the plan's published table exactly —
정보교환 163 (83.6%), 자원협력 60 (30.8%), 신제품개발 47 (24.1%); 46 groups (23.6%) with 72 R&D results;
2,145 meetings (11.0 a year on average); 182 groups (93.3%) at 70% attendance or more. Each answer starts
from what the ledger recorded for that group in 2009 and is then nudged until the totals are the plan's,
so most answers agree with the ledger and a few do not (as on real paper forms).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from yunghap.accounts.models import Role, RoleGrant
from yunghap.network.models import ExchangeGroup, Membership

from .models import Survey, SurveyResponse
from .selectors import ledger_year_figures

PLAN_YEAR = 2009
PLAN = {
    "respondents": 195,
    "info": 163,
    "resource": 60,
    "newproduct": 47,
    "with_rnd": 46,
    "rnd_results": 72,
    "meetings": 2145,
    "attendance_70": 182,
}


def _pick(
    rng: random.Random,
    ids: list[int],
    count: int,
    preferred: set[int],
    avoid: frozenset[int] | set[int] = frozenset(),
) -> set[int]:
    """`count` ids: the preferred first (avoiding `avoid` where possible), in a seeded order."""
    order = sorted(ids, key=lambda i: (i not in preferred, i in avoid, rng.random()))
    return set(order[:count])


def _spread(rng: random.Random, values: dict[int, int], target: int, low: int, high: int) -> None:
    """Move values by ±1 (within [low, high]) until they sum to `target`."""
    keys = sorted(values)
    while sum(values.values()) != target:
        step = 1 if sum(values.values()) < target else -1
        movable = [k for k in keys if low <= values[k] + step <= high]
        if not movable:
            raise ValueError("cannot reach the target within the bounds")
        values[rng.choice(movable)] += step


def plan_answers(seed: int) -> dict[int, dict[str, Any]]:
    """The 195 answers of 2009 (by group id), from the ledger and the group's types, hitting the plan."""
    rng = random.Random(seed * 31 + PLAN_YEAR)
    spring = datetime.date(PLAN_YEAR, 3, 31)
    # Unit groups founded before 2009 that had members when the survey ran.
    candidates = sorted(
        ExchangeGroup.objects.filter(
            kind=ExchangeGroup.Kind.UNIT,
            founded_on__lt=datetime.date(PLAN_YEAR, 1, 1),
            id__in=Membership.objects.current(spring).values("group_id"),
        ).values_list("id", flat=True)
    )
    if len(candidates) < PLAN["respondents"]:
        raise ValueError(f"only {len(candidates)} groups could answer the {PLAN_YEAR} survey")
    ids = sorted(rng.sample(candidates, PLAN["respondents"]))
    ledger = ledger_year_figures(PLAN_YEAR, ids)
    through = ExchangeGroup.exchange_types.through
    types: dict[str, set[int]] = {"info": set(), "resource": set(), "newproduct": set()}
    for gid, code in through.objects.filter(exchangegroup_id__in=ids).values_list(
        "exchangegroup_id", "exchangetype__code"
    ):
        types.setdefault(code, set()).add(gid)

    meetings = {gid: min(24, ledger[gid]["meetings"]) or rng.choice([10, 11, 11, 12]) for gid in ids}
    _spread(rng, meetings, PLAN["meetings"], 4, 24)

    rates: dict[int, Decimal] = {}
    for gid in ids:
        seen = ledger[gid]["attendance_rate"]
        rates[gid] = seen if seen is not None else Decimal(rng.randint(720, 960)) / 10
    below = PLAN["respondents"] - PLAN["attendance_70"]
    lowest = sorted(ids, key=lambda g: (rates[g], g))[:below]
    for gid in ids:
        if gid in lowest:
            if rates[gid] >= 70:
                rates[gid] = Decimal(rng.randint(550, 695)) / 10
        elif rates[gid] < 70:
            rates[gid] = Decimal(rng.randint(700, 760)) / 10

    with_results = {g for g in ids if ledger[g]["rnd_results"]}
    rnd_groups = _pick(rng, ids, PLAN["with_rnd"], with_results)
    results = {gid: min(6, max(1, ledger[gid]["rnd_results"])) for gid in rnd_groups}
    _spread(rng, results, PLAN["rnd_results"], 1, 6)

    info = _pick(rng, ids, PLAN["info"], types["info"])
    # Groups without information exchange answered at least one other purpose.
    resource = _pick(rng, ids, PLAN["resource"], types["resource"] | (set(ids) - info))
    newproduct_preferred = types["newproduct"] | rnd_groups | (set(ids) - info - resource)
    newproduct = _pick(rng, ids, PLAN["newproduct"], newproduct_preferred)

    answers = {}
    for gid in ids:
        seen = ledger[gid]
        answers[gid] = {
            "members": seen["members"],
            "meetings": meetings[gid],
            "attendance_rate": rates[gid].quantize(Decimal("0.1")),
            "purpose_info": gid in info,
            "purpose_resource": gid in resource,
            "purpose_newproduct": gid in newproduct,
            "rnd_results": results.get(gid, 0),
            "trades_count": seen["trades_count"],
            "trades_amount_krw": seen["trades_amount_krw"],
            "joint_projects": seen["joint_projects"],
        }
    return answers


def build_plan_survey(seed: int) -> Survey:
    survey, _created = Survey.objects.update_or_create(
        year=PLAN_YEAR,
        defaults={
            "status": Survey.Status.CLOSED,
            "opened_on": datetime.date(PLAN_YEAR, 3, 2),
            "deadline": datetime.date(PLAN_YEAR, 3, 31),
        },
    )
    SurveyResponse.objects.filter(survey=survey).delete()
    tz = timezone.get_current_timezone()
    rng = random.Random(seed)
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                survey=survey,
                group_id=gid,
                status=SurveyResponse.Status.SUBMITTED,
                source=SurveyResponse.Source.IMPORT,
                submitted_at=datetime.datetime(PLAN_YEAR, 3, rng.randint(5, 31), 10, 0, tzinfo=tz),
                **values,
            )
            for gid, values in sorted(plan_answers(seed).items())
        ]
    )
    return survey


def build_current_survey(seed: int) -> Survey:
    """This year's survey, open: a few answers submitted, a few drafts, the demo officer's group untouched."""
    today = timezone.localdate()
    survey, _created = Survey.objects.update_or_create(
        year=today.year,
        defaults={
            "status": Survey.Status.OPEN,
            "opened_on": today - datetime.timedelta(days=14),
            "deadline": today + datetime.timedelta(days=30),
        },
    )
    SurveyResponse.objects.filter(survey=survey).delete()
    officer_groups = set(RoleGrant.objects.filter(role=Role.GROUP_OFFICER).values_list("group_id", flat=True))
    rng = random.Random(seed + today.year)
    pool = sorted(
        ExchangeGroup.objects.filter(kind=ExchangeGroup.Kind.UNIT, status=ExchangeGroup.Status.ACTIVE)
        .exclude(id__in=officer_groups)
        .values_list("id", flat=True)
    )
    picked = sorted(rng.sample(pool, min(len(pool), 60)))
    ledger = ledger_year_figures(today.year, picked)
    types: dict[int, set[str]] = {}
    for gid, code in ExchangeGroup.exchange_types.through.objects.filter(
        exchangegroup_id__in=picked
    ).values_list("exchangegroup_id", "exchangetype__code"):
        types.setdefault(gid, set()).add(code)
    now = timezone.now()
    rows = []
    for position, gid in enumerate(picked):
        seen = ledger[gid]
        submitted = position % 3 != 0  # two in three submitted, the rest still drafts
        # A few answers overstate the year, as paper answers do, so the ledger check has work to show.
        overstated = submitted and position % 10 == 1
        rows.append(
            SurveyResponse(
                survey=survey,
                group_id=gid,
                status=SurveyResponse.Status.SUBMITTED if submitted else SurveyResponse.Status.DRAFT,
                source=SurveyResponse.Source.WEB,
                submitted_at=now if submitted else None,
                members=seen["members"],
                meetings=seen["meetings"] + (4 if overstated else 0),
                attendance_rate=seen["attendance_rate"]
                if seen["attendance_rate"] is not None
                else Decimal("80.0"),
                purpose_info="info" in types.get(gid, set()),
                purpose_resource="resource" in types.get(gid, set()),
                purpose_newproduct="newproduct" in types.get(gid, set()),
                rnd_results=seen["rnd_results"] + (1 if overstated else 0),
                trades_count=seen["trades_count"],
                trades_amount_krw=seen["trades_amount_krw"],
                joint_projects=seen["joint_projects"],
                difficulties=rng.choice(["", "회원사 참여 저조", "공동 R&D 자금 부족", "전문가 연계 필요"]),
            )
        )
    SurveyResponse.objects.bulk_create(rows)
    return survey


def build_demo(*, seed: int, stdout: Any) -> None:
    plan = build_plan_survey(seed)
    current = build_current_survey(seed)
    responses = SurveyResponse.objects.filter(survey=current)
    stdout.write(
        f"실태조사: {plan.year}년 응답 {plan.responses.count()}개 교류회, "
        f"{current.year}년 조사 진행 중 (제출 {responses.filter(status='submitted').count()}, "
        f"작성 중 {responses.filter(status='draft').count()})"
    )
