"""Ten years of ledger for the demo network: `build_demo(seed=..., stdout=...)`, called by `yunghap demo`.

The ten years are the 120 months ending with last month. Every fact respects membership periods: a
meeting's attendance sheet lists exactly the firms that were members on its day, and trades, results
and activities only involve members of that day. Active groups meet about 11 times a year with most
of them at 70% attendance or more; dormant groups meet less and stopped more than three months ago;
dissolved groups stop when their members leave. Results (융합기술개발 실적) are few, most of them in
new-product-development groups, as in the plan's survey.

Written with `executemany` (`yunghap.network.demo.insert_rows`): ~600,000 attendance rows in seconds.
Deterministic for a seed: randomness never depends on database ids.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.network.demo import insert_rows
from yunghap.network.models import ExchangeGroup, ExchangeType, Membership

from .models import Activity, Attendance, Meeting, Outcome, Trade

MONTHS = 120
PLACES = [
    "회원사 회의실",
    "지역연합회 회의실",
    "테크노파크 세미나실",
    "상공회의소 회의실",
    "호텔 연회장",
    "산업단지공단 교육장",
]
AGENDAS = [
    "회원사 경영 현황 공유",
    "정책자금·지원사업 설명",
    "신규 회원 소개",
    "공동 구매 협의",
    "기술 세미나",
    "해외 전시회 공동 참가 논의",
    "회원사 현장 방문",
    "연간 사업계획 점검",
    "융합 과제 아이디어 토론",
    "인력 채용 정보 교환",
    "품질·인증 사례 발표",
    "스마트공장 도입 경험 공유",
]
TRADE_ITEMS = [
    "금형 가공",
    "포장재",
    "전자부품",
    "소프트웨어 유지보수",
    "시제품 제작",
    "도장 외주",
    "물류 대행",
    "센서 모듈",
    "사출품",
    "시험 분석 용역",
    "인쇄물",
    "산업용 소모품",
    "PCB 조립",
    "디자인 용역",
    "설비 수리",
]
OUTCOME_TITLES = {
    Outcome.Kind.NEW_TECHNOLOGY: ["{a}·{b} 융합 제어 기술", "저전력 {a} 모듈 기술", "{a} 공정 자동화 기술"],
    Outcome.Kind.NEW_PRODUCT: ["{a} 일체형 {b} 제품", "스마트 {a} 시제품", "친환경 {a} 신제품"],
    Outcome.Kind.PATENT: ["{a} 장치 및 방법 특허", "{a}를 이용한 {b} 특허"],
    Outcome.Kind.NEW_MARKET: ["{a} 해외시장 공동 진출", "{a} 공공조달 신규 진입"],
    Outcome.Kind.PROCESS_IMPROVEMENT: ["{a} 공정 불량률 개선", "{a} 생산 리드타임 단축"],
}
OUTCOME_WORDS = [
    "센서",
    "LED",
    "배터리",
    "금형",
    "IoT",
    "의료기기",
    "공조",
    "로봇",
    "포장",
    "식품",
    "필터",
    "드론",
]
ACTIVITY_TITLES = {
    Activity.Kind.HR_EXCHANGE: ["회원사 간 기술인력 교류", "공동 신입사원 교육", "품질 담당자 상호 파견"],
    Activity.Kind.JOINT_PROJECT: ["공동 브랜드 개발", "공동 전시회 참가", "공동 구매 사업", "공동 물류 사업"],
    Activity.Kind.SOCIAL_SERVICE: ["지역 복지관 봉사활동", "연탄 나눔", "장학금 전달", "김장 나눔 행사"],
}


def ledger_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of the 120 months that end with last month."""
    last = today.replace(day=1) - datetime.timedelta(days=1)
    first_month = (last.year * 12 + last.month - 1) - (MONTHS - 1)
    return datetime.date(first_month // 12, first_month % 12 + 1, 1), last


def _months(start: datetime.date) -> list[datetime.date]:
    base = start.year * 12 + start.month - 1
    return [datetime.date((base + k) // 12, (base + k) % 12 + 1, 1) for k in range(MONTHS)]


def _nth_weekday(month: datetime.date, week: int, weekday: int) -> datetime.date:
    first = month + datetime.timedelta(days=(weekday - month.weekday()) % 7)
    return first + datetime.timedelta(weeks=week)


class Periods:
    """Membership periods of one group, for "who was a member that day"."""

    def __init__(self, rows: list[tuple[str, int, datetime.date, datetime.date | None]]) -> None:
        self.rows = sorted(rows)  # by BRN: deterministic whatever the ids

    def on(self, day: datetime.date) -> list[int]:
        seen: dict[int, None] = {}
        for _brn, firm_id, joined, left in self.rows:
            if joined <= day and (left is None or left > day):
                seen[firm_id] = None
        return list(seen)


def build_demo(*, seed: int, stdout: Any, today: datetime.date | None = None) -> dict[str, int]:
    rng = random.Random(f"activities-{seed}")
    today = today or timezone.localdate()
    start, end = ledger_window(today)
    months = _months(start)
    groups = list(ExchangeGroup.objects.order_by("code").values("id", "code", "status", "founded_on"))
    types: dict[int, set[str]] = defaultdict(set)
    for group_id, code in ExchangeType.groups.through.objects.values_list(
        "exchangegroup_id", "exchangetype__code"
    ):
        types[group_id].add(code)
    periods: dict[int, list[Any]] = defaultdict(list)
    for row in Membership.objects.values_list("group_id", "firm__brn", "firm_id", "joined_on", "left_on"):
        periods[row[0]].append(row[1:])

    meetings: list[tuple[Any, ...]] = []
    sheets: dict[tuple[int, datetime.date], list[tuple[int, bool]]] = {}
    trades: list[tuple[Any, ...]] = []
    outcomes: list[tuple[Any, ...]] = []
    outcome_firms: dict[tuple[int, str, datetime.date], list[int]] = {}
    activities: list[tuple[Any, ...]] = []
    activity_firms: dict[tuple[int, str, datetime.date], list[int]] = {}
    newproduct = [g for g in groups if ExchangeType.NEWPRODUCT in types[g["id"]]]
    outcome_groups = set(rng.sample([g["id"] for g in newproduct], min(len(newproduct), 45)))
    outcome_groups |= set(rng.sample([g["id"] for g in groups], min(len(groups), 12)))

    for group in groups:
        gid = group["id"]
        members_of = Periods(periods[gid])
        dormant = group["status"] == ExchangeGroup.Status.DORMANT
        # Most groups keep 70%+ attendance (the plan: 93.3% of groups); a few struggle.
        propensity = rng.uniform(0.74, 0.92) if rng.random() < 0.93 else rng.uniform(0.52, 0.68)
        week, weekday = rng.randint(0, 3), rng.choice([1, 2, 3])
        stop = end
        if dormant:
            # A dormant group has had no meeting for more than three months.
            stop = today - datetime.timedelta(days=rng.randint(120, 540))
        resource = ExchangeType.RESOURCE in types[gid]
        place = rng.choice(PLACES)
        by_year: dict[int, list[datetime.date]] = defaultdict(list)
        for month in months:
            by_year[month.year].append(month)
        for year_months in by_year.values():
            skip = 1 if rng.random() < 0.85 else rng.choice([0, 2])
            if dormant:
                skip += rng.randint(2, 5)
            held = set(rng.sample(year_months, max(0, len(year_months) - skip)))
            for month in year_months:
                if month not in held:
                    continue
                day = _nth_weekday(month, week, weekday)
                if day > stop or (group["founded_on"] and day < group["founded_on"]):
                    continue
                listed = members_of.on(day)
                if not listed:
                    continue
                rate = min(1.0, max(0.2, rng.gauss(propensity, 0.06)))
                sheet = [(firm_id, rng.random() < rate) for firm_id in listed]
                agenda = ", ".join(rng.sample(AGENDAS, 2))
                meetings.append(
                    (gid, Meeting.Kind.MONTHLY, day, place, agenda, "", len(sheet), sum(p for _f, p in sheet))
                )
                sheets[(gid, day)] = sheet
            for _n in range(_poisson(rng, 4.0 if resource else 0.6)):
                day = _random_day(rng, year_months)
                listed = members_of.on(day) if day <= stop else []
                if len(listed) < 2:
                    continue
                buyer, seller = rng.sample(listed, 2)
                amount = int(rng.lognormvariate(17.0, 1.0)) // 10_000 * 10_000
                trades.append((gid, buyer, seller, rng.choice(TRADE_ITEMS), amount, day))
            for kind, mean in (
                (Activity.Kind.HR_EXCHANGE, 0.4),
                (Activity.Kind.JOINT_PROJECT, 0.5 if resource else 0.2),
                (Activity.Kind.SOCIAL_SERVICE, 0.7),
            ):
                for _n in range(_poisson(rng, mean)):
                    day = _random_day(rng, year_months)
                    listed = members_of.on(day) if day <= stop else []
                    key = (gid, str(kind), day)
                    if not listed or key in activity_firms:
                        continue
                    title = rng.choice(ACTIVITY_TITLES[kind])
                    activities.append((gid, kind, title, day, ""))
                    activity_firms[key] = rng.sample(listed, min(len(listed), rng.randint(2, 6)))
            if gid in outcome_groups:
                for _n in range(_poisson(rng, 0.16)):
                    day = _random_day(rng, year_months)
                    listed = members_of.on(day) if day <= stop else []
                    outcome_kind = rng.choice(list(OUTCOME_TITLES))
                    key = (gid, str(outcome_kind), day)
                    if len(listed) < 2 or key in outcome_firms:
                        continue
                    a, b = rng.sample(OUTCOME_WORDS, 2)
                    title = rng.choice(OUTCOME_TITLES[outcome_kind]).format(a=a, b=b)
                    outcomes.append((gid, outcome_kind, title, day, _("회원사 공동 개발 성과"), ""))
                    outcome_firms[key] = rng.sample(listed, rng.randint(2, min(4, len(listed))))

    insert_rows(
        Meeting,
        ["group", "kind", "held_on", "place", "agenda", "minutes", "listed_count", "present_count"],
        meetings,
    )
    meeting_ids = {
        (g, d): pk
        for pk, g, d in Meeting.objects.filter(held_on__gte=start).values_list("id", "group_id", "held_on")
    }
    attendance = [
        (meeting_ids[key], firm_id, present) for key, sheet in sheets.items() for firm_id, present in sheet
    ]
    insert_rows(Attendance, ["meeting", "firm", "present"], attendance)
    insert_rows(Trade, ["group", "buyer", "seller", "item", "amount_krw", "traded_on"], trades)
    _insert_with_firms(Outcome, ["achieved_on", "description", "evidence"], outcomes, outcome_firms, start)
    _insert_with_firms(Activity, ["held_on", "description"], activities, activity_firms, start)
    summary = {
        "meetings": len(meetings),
        "attendance": len(attendance),
        "trades": len(trades),
        "outcomes": len(outcomes),
        "activities": len(activities),
    }
    stdout.write(
        _(
            "활동 실적 %(start)s~%(end)s: 모임 %(meetings)s회, 출석 기록 %(attendance)s건, 수발주 %(trades)s건, "
            "융합기술개발 실적 %(outcomes)s건, 기타 활동 %(activities)s건"
        )
        % {"start": start.isoformat(), "end": end.isoformat(), **{k: f"{v:,}" for k, v in summary.items()}}
    )
    return summary


def _insert_with_firms(
    model: Any,
    columns: list[str],
    rows: list[tuple[Any, ...]],
    firms: dict[tuple[int, str, datetime.date], list[int]],
    start: datetime.date,
) -> None:
    date_field = columns[0]
    insert_rows(model, ["group", "kind", "title", *columns], rows)
    ids = {
        (g, k, d): pk
        for pk, g, k, d in model.objects.filter(**{f"{date_field}__gte": start}).values_list(
            "id", "group_id", "kind", date_field
        )
    }
    through = model.firms.through
    owner = f"{model._meta.model_name}_id"
    links = [(ids[key], firm_id) for key, firm_ids in firms.items() for firm_id in firm_ids if key in ids]
    through.objects.bulk_create([through(**{owner: pk, "firm_id": f}) for pk, f in links], batch_size=2000)


def _random_day(rng: random.Random, months: list[datetime.date]) -> datetime.date:
    month = rng.choice(months)
    return month + datetime.timedelta(days=rng.randint(0, 27))


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: small means only."""
    limit, k, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k
