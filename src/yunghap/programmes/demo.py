"""Demo data of the programmes (called by `yunghap demo` after the network exists).

Ten promising topics over the growth engines (proposed, accepted, rejected and leading), proposed by demo
firms and groups; the call `2026-rnd`, open today with the plan's rules and three leading topics, and the
closed `2025-rnd`; fifteen applications of `2026-rnd` led by member firms with partners from other
industries — most eligible, three breaking a rule (over the grant cap, too little cash, one industry only),
one draft whose partner has not answered yet; eight reviewers (one with a conflict of interest, one who
declared one), five conflict-free assignments per eligible application, reviews for most of them (two
applications are still short of reviews, so the selection shows `incomplete_review`); no decision yet:
staff confirm the selection in the demo.

Built with the models and the shared rules: eligibility is what `rules.check_application` finds (stored by
`eligibility.apply_breaches`), assignments avoid every pair `conflicts.conflict_map` reports, leading
topics go through `designation.designate_leading`. Deterministic (a seeded `random.Random`, firms chosen by
registration number, never by database id) and idempotent: a second run finds the calls and changes
nothing. Dates count from the day the demo runs, so that `2026-rnd` is open when people try it.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from yunghap.accounts.models import Role, RoleGrant, User
from yunghap.core.audit import record_bulk_change
from yunghap.network.demo import DEMO_PASSWORD
from yunghap.network.models import ExchangeGroup, Firm, Membership

from .conflicts import conflict_map
from .designation import designate_leading
from .eligibility import apply_breaches
from .models import (
    Agreement,
    Application,
    ApplicationBudgetLine,
    ApplicationRevision,
    Call,
    CallRevision,
    Consortium,
    ConsortiumMember,
    CostCategory,
    DeclaredConflict,
    GrowthEngine,
    PrePlanningNote,
    Review,
    ReviewAssignment,
    Reviewer,
    SelectionDecision,
    SelectionResult,
    Topic,
)
from .rules import check_application

CALL_CODE = "2026-rnd"
EARLIER_CALL_CODE = "2025-rnd"
PARTNER_USERNAME = "partner"
REVIEWER_USERNAMES = ("reviewer", *(f"reviewer{n}" for n in range(2, 9)))
APPLICATIONS = 15
REVIEWS_PER_APPLICATION = 5

# code, title, engine, capabilities (matching vocabulary), summary, status, proposer
TOPICS: list[tuple[str, str, str, list[str], str, str, str]] = [
    (
        "demo-t01",
        "협동로봇 기반 소형 부품 자동 조립 셀",
        "NGE09-09",
        ["로봇 응용", "AI 비전", "자동화 설비"],
        "다품종 소량 생산 중소기업이 쓸 수 있는 협동로봇 조립 셀을 금형·전자·SW 기업이 함께 개발합니다.",
        "leading",
        "firm",
    ),
    (
        "demo-t02",
        "IoT 센서 기반 공장 에너지 절감 시스템",
        "NGE09-08",
        ["센서", "IoT 모듈", "빅데이터 분석"],
        "설비별 전력·압축공기 사용량을 센서로 재고 낭비를 찾아 알려 주는 시스템을 개발합니다.",
        "leading",
        "group",
    ),
    (
        "demo-t03",
        "전기차 배터리 팩 경량 하우징 개발",
        "NGE09-05",
        ["배터리 팩", "경량화 소재", "금형"],
        "알루미늄·복합소재 하우징으로 배터리 팩 무게를 줄이고 방열 성능을 높입니다.",
        "leading",
        "coordinator",
    ),
    (
        "demo-t04",
        "LED 조명 방열 모듈 국산화",
        "NGE09-04",
        ["주조", "전력변환"],
        "다이캐스팅 방열판과 전원 모듈을 함께 설계해 수입 부품을 대체합니다.",
        "leading-2025",
        "group",
    ),
    (
        "demo-t05",
        "고도 정수용 세라믹 필터 공정 개선",
        "NGE09-03",
        ["시험 분석", "정밀 계측"],
        "세라믹 분리막의 소성 공정을 개선해 불량률을 낮추고 성능 시험 체계를 갖춥니다.",
        "accepted",
        "firm",
    ),
    (
        "demo-t06",
        "재택 건강관리용 웨어러블 센서",
        "NGE09-13",
        ["센서", "모바일 앱"],
        "심박·활동량을 재는 착용형 센서와 보호자용 앱을 함께 개발합니다.",
        "accepted",
        "coordinator",
    ),
    (
        "demo-t07",
        "기능성 원단을 적용한 스마트 작업복",
        "NGE09-10",
        ["기능성 원단", "IoT 모듈"],
        "고온 작업장용 냉각 원단에 체온 감지 모듈을 붙인 작업복을 만듭니다.",
        "proposed",
        "firm",
    ),
    (
        "demo-t08",
        "전통 발효식품 품질 관리 시스템",
        "NGE09-12",
        ["정밀 계측", "빅데이터 분석"],
        "발효 온도·습도 자료를 모아 품질 편차를 줄이는 관리 시스템을 개발합니다.",
        "proposed",
        "group",
    ),
    (
        "demo-t09",
        "MICE 행사 예약 모바일 앱",
        "NGE09-17",
        ["모바일 앱"],
        "지역 전시·회의 시설의 예약 앱을 만듭니다.",
        "rejected",
        "firm",
    ),
    (
        "demo-t10",
        "태양광 패널 세척 로봇",
        "NGE09-01",
        ["로봇 응용", "모터 제어"],
        "대형 태양광 발전소 패널을 물 없이 세척하는 주행 로봇을 개발합니다.",
        "rejected",
        "coordinator",
    ),
]
SCREENING_NOTES = {
    "accepted": "신성장동력 분야에 부합하고 이업종 협력이 가능한 과제입니다.",
    "rejected": "이업종 중소기업의 기술 융합 과제로 보기 어렵습니다.",
    "leading": "선도과제로 지정합니다.",
}
# Per leading topic: how the consortia name their projects.
APPLICATION_TITLES = {
    "demo-t01": [
        "{lead} 협동로봇 조립 셀 공동개발",
        "비전 검사 연계 자동 조립 라인",
        "소형 부품 픽앤플레이스 셀",
    ],
    "demo-t02": [
        "{lead} 공장 에너지 모니터링 시스템",
        "압축공기 누설 감지 IoT 센서",
        "설비별 전력 절감 플랫폼",
    ],
    "demo-t03": ["{lead} 배터리 팩 경량 하우징", "복합소재 배터리 케이스 개발", "방열 일체형 팩 하우징"],
}
REVIEWERS: list[tuple[str, str, list[str]]] = [
    ("이도윤", "한국산업기술대학교 기계공학과", ["NGE09-09", "NGE09-08"]),
    ("박서연", "한국생산기술연구원", ["NGE09-09", "NGE09-05"]),
    ("최민준", "전자부품연구원", ["NGE09-08", "NGE09-07"]),
    ("정하은", "서울과학기술대학교 신소재공학과", ["NGE09-05", "NGE09-10"]),
    ("강지훈", "한국기계연구원", ["NGE09-09", "NGE09-05"]),
    ("윤수아", "중소기업기술정보진흥원", ["NGE09-08", "NGE09-16"]),
    ("임태현", "KAIST 산업및시스템공학과", ["NGE09-08", "NGE09-09"]),
    ("한예린", "", ["NGE09-05", "NGE09-04"]),  # affiliated with a member firm: conflicts follow
]
COMMENTS = [
    "핵심 기술의 차별성이 분명하고 참여기업 간 역할 분담이 구체적입니다.",
    "시장 분석은 충실하나 양산 단계의 원가 검토를 보완하면 좋겠습니다.",
    "이업종 협력 구성이 과제 목표에 잘 맞습니다. 일정이 다소 촉박합니다.",
    "기술 목표가 정량적으로 제시되어 있으나 시험 인증 계획이 부족합니다.",
    "주관기업의 보유 기술 수준이 높고 사업화 가능성이 큽니다.",
    "예산 편성이 적절하며 기업부담금 현금 비율도 충분합니다.",
]
NOTES = [
    "선도과제 요구 역량 중 비전 검사 경험이 있는 참여기업을 한 곳 더 검토해 보시기 바랍니다.",
    "기업부담금 중 현금 비율이 기준(20%)에 가깝습니다. 현물 계상 항목을 다시 확인해 주세요.",
    "참여기업 수락이 끝나야 제출할 수 있습니다. 다음 교류회 정례회의에서 함께 논의합시다.",
]


def _round(amount: float, unit: int = 10_000) -> int:
    return int(amount // unit) * unit


def _split(total: int, weights: list[tuple[str, float]]) -> dict[str, int]:
    """`total` over categories by weight, in 10,000 won; the last takes the remainder (sums stay exact)."""
    parts: dict[str, int] = {}
    left = total
    for code, weight in weights[:-1]:
        parts[code] = _round(total * weight)
        left -= parts[code]
    parts[weights[-1][0]] = left
    return parts


class _Pool:
    """Current members of active groups, each firm used at most once in the call (firm_limit is 1)."""

    def __init__(self) -> None:
        self.division: dict[int, str] = {}
        self.brn: dict[int, str] = {}
        self.groups: dict[int, set[int]] = defaultdict(set)
        self.members_of: dict[int, set[int]] = defaultdict(set)
        rows = (
            Membership.objects.current()
            .filter(group__status=ExchangeGroup.Status.ACTIVE, firm__status=Firm.Status.ACTIVE)
            .exclude(firm__industry__isnull=True)
            .values_list("firm_id", "group_id", "firm__industry__code", "firm__brn")
        )
        for firm_id, group_id, division, brn in rows:
            self.division[firm_id] = division
            self.brn[firm_id] = brn
            self.groups[firm_id].add(group_id)
            self.members_of[group_id].add(firm_id)
        self.used: set[int] = set()

    def ordered(self, firm_ids: Any) -> list[int]:
        return sorted((f for f in firm_ids if f in self.division), key=self.brn.__getitem__)

    def take(self, rng: random.Random, candidates: list[int], *, avoid: set[str], same: str = "") -> int:
        """A free firm of `candidates` (in registration-number order) whose division is `same`, or none of
        `avoid`."""
        free = [
            f
            for f in candidates
            if f not in self.used and (self.division[f] == same if same else self.division[f] not in avoid)
        ]
        firm_id = rng.choice(free)
        self.used.add(firm_id)
        return firm_id


def build_demo(*, seed: int, stdout: Any) -> None:
    if Call.objects.filter(code__in=[CALL_CODE, EARLIER_CALL_CODE]).exists():
        stdout.write(f"지원사업: 공모 {CALL_CODE}가 이미 있어 시연 데이터를 만들지 않았습니다.")
        return
    with transaction.atomic():
        summary = _build(random.Random(seed * 11 + 9))
    stdout.write(
        f"지원사업: 유망과제 {summary['topics']}개(선도과제 {summary['leading']}개), "
        f"공모 {CALL_CODE}(접수 중)·{EARLIER_CALL_CODE}(마감), 신청서 {summary['applications']}건 "
        f"(적격 {summary['eligible']}, 부적격 {summary['ineligible']}, 작성 중 {summary['drafts']}), "
        f"평가위원 {summary['reviewers']}명, 배정 {summary['assignments']}건, 평가 {summary['reviews']}건"
    )
    stdout.write(
        f"  지원사업 시연 계정: firm(주관기업 {summary['lead']}), {PARTNER_USERNAME}(참여기업 "
        f"{summary['partner']}), coordinator(담당 협력체·사전 기술기획), "
        f"{', '.join(REVIEWER_USERNAMES[:2])}…{REVIEWER_USERNAMES[-1]}(평가위원), central(선정 확정)"
    )
    from .demo_agreements import build_agreements_demo

    build_agreements_demo(stdout)
    # Reports, grades, results and follow-ups over the agreements made so far (helper 3, issue 10).
    from .demo_progress import build_demo_progress_for_all

    with transaction.atomic():
        progress = build_demo_progress_for_all(seed)
    if progress["reports"]:
        stdout.write(
            f"  보고·성과: 보고 {progress['reports']}건, 평가 {progress['graded']}건, "
            f"성과 지표 {progress['indicators']}건, 추적조사 응답 {progress['followups']}건"
        )
    # The money of the same agreements: deposits, payments, spending and one closed settlement (issue 10).
    from .demo_funds import build_funds_demo

    with transaction.atomic():
        funds = build_funds_demo(
            Agreement.objects.filter(application__call__code=EARLIER_CALL_CODE).order_by("application__ref"),
            random.Random(seed * 13 + 5),
        )
    if funds["agreements"]:
        stdout.write(
            f"  사업비: 협약 {funds['agreements']}건의 입금·지급·집행 {funds['spending']}건, 정산 확정 {funds['settled']}건"
        )


def _build(rng: random.Random) -> dict[str, Any]:
    from yunghap.matching.demo import build_vocabulary
    from yunghap.matching.models import Capability

    build_vocabulary()  # the matching demo runs after this one; its vocabulary insert ignores what exists
    capabilities = {c.name: c for c in Capability.objects.all()}
    engines = {e.code: e for e in GrowthEngine.objects.all()}
    users = {
        u.username: u for u in User.objects.filter(username__in=["central", "firm", "officer", "coordinator"])
    }
    central = users.get("central")
    grants = RoleGrant.objects.filter(user__in=users.values())
    firm_user_firm = (
        grants.filter(user__username="firm", role=Role.FIRM_USER).values_list("firm_id", flat=True).first()
    )
    officer_group = grants.filter(user__username="officer").values_list("group_id", flat=True).first()
    coordinated = set(grants.filter(user__username="coordinator").values_list("group_id", flat=True))
    today = timezone.localdate()
    now = timezone.now()
    pool = _Pool()

    # --- the calls ----------------------------------------------------------------------------------------
    earlier = Call.objects.create(
        code=EARLIER_CALL_CODE,
        title="2025년 이업종 융합 R&D 지원사업",
        description="프로젝트 단위협력체의 이업종 융합 기술개발을 지원합니다 (2025년, 접수 마감).",
        opens_on=datetime.date(2025, 4, 1),
        closes_on=datetime.date(2025, 4, 30),
        published_at=datetime.datetime(2025, 3, 25, 10, 0, tzinfo=timezone.get_default_timezone()),
        created_by=central,
    )
    opens_on = today - datetime.timedelta(days=20)
    call = Call.objects.create(
        code=CALL_CODE,
        title="2026년 이업종 융합 R&D 지원사업",
        description=(
            "신성장동력 분야 선도과제에 도전하는 프로젝트 단위협력체를 모집합니다. 협력체당 정부지원금 "
            "2천만 원 이내(정부 75% 이하, 기업 25% 이상), 50개 협력체, 총 10억 원."
        ),
        opens_on=opens_on,
        closes_on=today + datetime.timedelta(days=25),
        published_at=datetime.datetime.combine(
            opens_on - datetime.timedelta(days=7), datetime.time(10), tzinfo=timezone.get_default_timezone()
        ),
        created_by=central,
    )
    CallRevision.objects.bulk_create(
        [
            CallRevision(call=c, number=1, rules=c.rules_snapshot(), created_by=central)
            for c in (earlier, call)
        ]
    )

    # --- topics -------------------------------------------------------------------------------------------
    proposers = {
        "firm": {"proposed_by": users.get("firm"), "proposer_firm_id": firm_user_firm},
        "group": {"proposed_by": users.get("officer"), "proposer_group_id": officer_group},
        "coordinator": {
            "proposed_by": users.get("coordinator"),
            "proposer_group_id": min(coordinated, default=None),
        },
    }
    topics: dict[str, Topic] = {}
    for code, title, engine, needed, summary, status, proposer in TOPICS:
        stored = Topic.Status.ACCEPTED if status.startswith("leading") else status
        screened = stored != Topic.Status.PROPOSED
        topic = Topic.objects.create(
            code=code,
            title=title,
            growth_engine=engines[engine],
            summary=summary,
            status=stored,
            screening_note=SCREENING_NOTES.get(stored, "") if screened else "",
            screened_by=central if screened else None,
            screened_at=now - datetime.timedelta(days=40) if screened else None,
            **proposers[proposer],
        )
        topic.capabilities.set([capabilities[name] for name in needed if name in capabilities])
        topics[code] = topic
        if status == "leading":
            designate_leading(topic, call, actor=central)
        elif status == "leading-2025":
            designate_leading(topic, earlier, actor=central)
    leading = [topics[code] for code in ("demo-t01", "demo-t02", "demo-t03")]

    # --- consortia and applications -----------------------------------------------------------------------
    caseload = pool.ordered({f for g in coordinated for f in pool.members_of[g]})
    everyone = pool.ordered(pool.division)
    leads: list[int] = []
    if firm_user_firm in pool.division:
        leads.append(firm_user_firm)
        pool.used.add(firm_user_firm)
    while len(leads) < 5 and [f for f in caseload if f not in pool.used]:
        leads.append(pool.take(rng, caseload, avoid=set()))
    while len(leads) < APPLICATIONS:
        leads.append(pool.take(rng, everyone, avoid=set()))
    # Which application breaks which rule (the rest are eligible); the draft's partner has not answered.
    # The draft is led by a caseload firm, so the coordinator sees a partner still to answer.
    kinds = ["eligible"] * APPLICATIONS
    kinds[3], kinds[7], kinds[10], kinds[4] = "grant_cap", "cash_share", "divisions", "draft"
    firms = {f.pk: f for f in Firm.objects.filter(pk__in=leads).only("id", "name")}
    categories = list(CostCategory.objects.filter(edition=call.cost_category_edition).order_by("sort_order"))
    codes = {c.code for c in categories}
    applications: list[Application] = []
    first_partner = None
    for index, (lead_id, kind) in enumerate(zip(leads, kinds, strict=True)):
        topic = leading[index % len(leading)]
        lead_division = pool.division[lead_id]
        partner_ids: list[int] = []
        seen = {lead_division}
        for _n in range(2 if index % 3 else 3):
            if kind == "divisions":
                partner_ids.append(pool.take(rng, everyone, avoid=set(), same=lead_division))
            else:
                partner = pool.take(rng, everyone, avoid=seen)
                seen.add(pool.division[partner])
                partner_ids.append(partner)
        if index == 0:
            first_partner = partner_ids[0]
        lead_name = firms[lead_id].name
        consortium = Consortium.objects.create(
            call=call,
            lead_id=lead_id,
            name=f"{lead_name} 컨소시엄",
            created_by=users.get("firm") if index == 0 else None,
        )
        places = [
            ConsortiumMember(
                consortium=consortium,
                firm_id=lead_id,
                role=ConsortiumMember.Role.LEAD,
                state=ConsortiumMember.State.ACCEPTED,
            )
        ]
        for n, partner_id in enumerate(partner_ids):
            waiting = kind == "draft" and n == len(partner_ids) - 1
            places.append(
                ConsortiumMember(
                    consortium=consortium,
                    firm_id=partner_id,
                    role=ConsortiumMember.Role.PARTNER,
                    state=ConsortiumMember.State.INVITED if waiting else ConsortiumMember.State.ACCEPTED,
                    responded_at=None if waiting else now - datetime.timedelta(days=18 - index),
                )
            )
        ConsortiumMember.objects.bulk_create(places)

        government = rng.randrange(12_000_000, 20_000_001, 500_000)
        firm_share = _round(government / 3) + rng.randrange(500_000, 3_000_001, 500_000)
        cash = _round(firm_share * rng.uniform(0.3, 0.55))
        if kind == "grant_cap":
            government = 24_000_000
            firm_share = 9_000_000
            cash = 3_000_000
        elif kind == "cash_share":
            cash = _round(firm_share * 0.1)
        inkind = firm_share - cash
        submitted = kind != "draft"
        titles = APPLICATION_TITLES[topic.code]
        application = Application.objects.create(
            call=call,
            consortium=consortium,
            ref=f"{CALL_CODE}-{index + 1:03d}",
            title=titles[(index // len(leading)) % len(titles)].format(lead=lead_name),
            topic=topic,
            starts_on=call.closes_on + datetime.timedelta(days=60),
            ends_on=call.closes_on + datetime.timedelta(days=60 + 364),
            summary=f"{topic.title} 선도과제에 {lead_name} 등 {len(places)}개 이업종 기업이 함께 도전합니다. "
            + topic.summary,
            plan="1차년도: 요구사양 정의와 시제품 설계\n2차년도: 시제품 제작·시험 평가와 사업화 준비",
            government_krw=government,
            firm_cash_krw=cash,
            firm_inkind_krw=inkind,
            status=Application.Status.SUBMITTED if submitted else Application.Status.DRAFT,
            submitted_at=(
                datetime.datetime.combine(
                    opens_on + datetime.timedelta(days=1 + index),
                    datetime.time(10, 30),
                    tzinfo=timezone.get_default_timezone(),
                )
                if submitted
                else None
            ),
            submitted_by=users.get("firm") if submitted and index == 0 else None,
            created_by=users.get("firm") if index == 0 else None,
        )
        lines: dict[str, dict[str, int]] = defaultdict(dict)
        for source, amount, weights in (
            (
                "government_krw",
                government,
                [
                    ("personnel", 0.4),
                    ("materials", 0.25),
                    ("equipment", 0.15),
                    ("activity", 0.1),
                    ("indirect", 0.1),
                ],
            ),
            ("firm_cash_krw", cash, [("personnel", 0.5), ("materials", 0.5)]),
            ("firm_inkind_krw", inkind, [("personnel", 0.7), ("equipment", 0.3)]),
        ):
            for code, part in _split(amount, [w for w in weights if w[0] in codes]).items():
                lines[code][source] = part
        ApplicationBudgetLine.objects.bulk_create(
            [
                ApplicationBudgetLine(application=application, category=c, **lines[c.code])
                for c in categories
                if c.code in lines
            ]
        )
        ApplicationRevision.objects.create(
            application=application,
            number=1,
            snapshot={
                "title": application.title,
                "topic": topic.code,
                "summary": application.summary,
                "government_krw": government,
                "firm_cash_krw": cash,
                "firm_inkind_krw": inkind,
                "status": application.status,
            },
            saved_by=application.created_by,
        )
        applications.append(application)
    # Eligibility in submission order, exactly as the rules find it.
    for application in applications:
        if application.status == Application.Status.SUBMITTED:
            fields = apply_breaches(application, check_application(application), revision=call.revision)
            application.save(update_fields=fields)

    # --- logins: the partner firm's user, the reviewers ---------------------------------------------------
    hashed = make_password(DEMO_PASSWORD)
    assert first_partner is not None
    partner_firm = Firm.objects.get(pk=first_partner)
    partner_user = _login(PARTNER_USERNAME, partner_firm.representative or "참여기업 담당자", hashed)
    RoleGrant.objects.filter(user=partner_user).delete()
    RoleGrant.objects.create(user=partner_user, role=Role.FIRM_USER, firm=partner_firm)
    # The conflicted reviewer works for a firm that shares a group with the second application's lead.
    mates = pool.ordered(
        f
        for g in pool.groups[applications[1].consortium.lead_id]
        for f in pool.members_of[g]
        if f not in pool.used
    )
    conflicted_firm = Firm.objects.get(pk=mates[0]) if mates else None
    reviewers: list[Reviewer] = []
    for username, (name, affiliation, expertise) in zip(REVIEWER_USERNAMES, REVIEWERS, strict=True):
        user = User.objects.filter(username=username).first() or _login(username, name, hashed)
        if not RoleGrant.objects.filter(user=user, role=Role.REVIEWER).exists():
            RoleGrant.objects.create(user=user, role=Role.REVIEWER)
        firm = conflicted_firm if not affiliation else None
        reviewer, _created = Reviewer.objects.get_or_create(
            user=user,
            defaults={"affiliation": firm, "affiliation_name": affiliation or (firm.name if firm else "")},
        )
        reviewer.expertise_engines.set([engines[c] for c in expertise])
        reviewers.append(reviewer)
    DeclaredConflict.objects.create(
        reviewer=reviewers[2],
        firm_id=applications[2].consortium.lead_id,
        reason="주관기업 대표와 공동 연구를 한 적이 있습니다.",
    )

    # --- assignments without conflicts, load balanced; reviews for most -------------------------------------
    eligible = [a for a in applications if a.eligibility == Application.Eligibility.ELIGIBLE]
    conflicts = conflict_map(reviewers, eligible)
    load = {r.pk: 0 for r in reviewers}
    order = {r.pk: n for n, r in enumerate(reviewers)}
    short = {eligible[-1].pk, eligible[-2].pk} if len(eligible) > 2 else set()
    assignments, reviews = [], []
    for application in eligible:
        free = [r for r in reviewers if (r.pk, application.pk) not in conflicts]
        free.sort(key=lambda r: (load[r.pk], (order[r.pk] - application.pk) % len(reviewers)))
        chosen = sorted(free[:REVIEWS_PER_APPLICATION], key=lambda r: r.user.username == "reviewer")
        quality = rng.uniform(0.6, 0.9)
        for n, reviewer in enumerate(chosen):
            load[reviewer.pk] += 1
            done = application.pk not in short or n < 3
            assignment = ReviewAssignment(
                application=application,
                reviewer=reviewer,
                method=ReviewAssignment.Method.AUTO,
                state=(
                    ReviewAssignment.State.SUBMITTED
                    if done
                    else (ReviewAssignment.State.OPEN if n == 3 else ReviewAssignment.State.ASSIGNED)
                ),
                assigned_by=central,
                declared_at=now - datetime.timedelta(days=3) if done or n == 3 else None,
            )
            assignments.append(assignment)
            if done:
                points = {c["code"]: c["points"] for c in call.criteria}
                scores = {
                    code: max(0, min(top, round(top * (quality + rng.uniform(-0.1, 0.1)))))
                    for code, top in points.items()
                }
                reviews.append((assignment, scores, rng.choice(COMMENTS)))
    ReviewAssignment.objects.bulk_create(assignments)
    Review.objects.bulk_create(
        [
            Review(
                assignment=assignment,
                application_id=assignment.application_id,
                reviewer=assignment.reviewer,
                score=Decimal(sum(scores.values())),
                criterion_scores=scores,
                comment=comment,
                submitted_at=now - datetime.timedelta(days=1, minutes=n),
            )
            for n, (assignment, scores, comment) in enumerate(reviews)
        ]
    )

    # --- the coordinator's pre-planning notes ---------------------------------------------------------------
    coordinator = users.get("coordinator")
    ours = [a for a in applications if a.consortium.lead_id in caseload]
    drafts = [a for a in ours if a.status == Application.Status.DRAFT]
    noted = [*[a for a in ours if a.status != Application.Status.DRAFT][:2], *drafts[:1]]
    PrePlanningNote.objects.bulk_create(
        [
            PrePlanningNote(application=a, consortium_id=a.consortium_id, author=coordinator, body=NOTES[n])
            for n, a in enumerate(noted)
        ]
    )
    record_bulk_change(
        central,
        "programmes.demo",
        "programmes.call",
        {"calls": [EARLIER_CALL_CODE, CALL_CODE], "applications": len(applications), "reviews": len(reviews)},
    )
    return {
        "topics": len(topics),
        "leading": Topic.objects.filter(status=Topic.Status.LEADING).count(),
        "applications": len(applications),
        "eligible": len(eligible),
        "ineligible": sum(a.eligibility == Application.Eligibility.INELIGIBLE for a in applications),
        "drafts": sum(a.status == Application.Status.DRAFT for a in applications),
        "reviewers": len(reviewers),
        "assignments": len(assignments),
        "reviews": len(reviews),
        "lead": firms[leads[0]].name,
        "partner": partner_firm.name,
    }


def _login(username: str, name: str, hashed: str) -> User:
    user, _created = User.objects.get_or_create(username=username)
    user.name, user.email, user.password, user.is_active = (
        name,
        f"{username}@demo.yunghap.example",
        hashed,
        True,
    )
    user.save(update_fields=["name", "email", "password", "is_active"])
    return user


def reset_demo() -> None:
    """Delete every programme record that holds a firm (for `yunghap demo --reset`, before the network
    goes): the firms are protected while consortia name them."""
    from yunghap.activities.models import Outcome
    from yunghap.competitions.demo import reset_demo as reset_competitions
    from yunghap.stories.demo import reset_demo as reset_stories

    from .models import Agreement, Deposit, GovernmentPayment, Receivable, Repayment, Settlement, Spending

    reset_competitions()  # competition entries protect consortia and reviewers
    reset_stories()  # success stories protect agreements: they go first
    # The money and the ledger results protect their agreement; the agreements protect their results.
    Repayment.objects.all().delete()
    Receivable.objects.all().delete()
    Settlement.objects.all().delete()
    Spending.objects.all().delete()
    GovernmentPayment.objects.all().delete()
    Deposit.objects.all().delete()
    Outcome.all_objects.filter(agreement__isnull=False).delete()
    Agreement.objects.all().delete()
    SelectionResult.objects.all().delete()
    SelectionDecision.objects.all().delete()
    Review.objects.all().delete()
    ReviewAssignment.objects.all().delete()
    Application.objects.all().delete()
    Consortium.objects.all().delete()
    DeclaredConflict.objects.all().delete()
    Reviewer.objects.all().delete()
    CallRevision.objects.all().delete()
    Call.objects.all().delete()
    Topic.objects.all().delete()
