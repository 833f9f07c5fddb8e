"""Demo agreements (협약): the closed call `2025-rnd` gets six selected applications, its selection and
their agreements, made by the service as staff would (`agreement_services.create_agreement`).

- 2025-rnd-001 is led by the demo `firm` user's firm with the `partner` user's firm as partner; it runs
  2025-09-01 ~ 2027-02-28, every member has confirmed, one change request was approved (a budget transfer
  beyond the free margin) and one waits for staff (a longer period);
- 2025-rnd-002 … 006 ran 2025-06-01 ~ 2026-05-31 and have ended (status 종료(정산 대기)).

Deterministic (firms in registration-number order) and idempotent: nothing is made when the call already
has a selection.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from yunghap.accounts.models import Role, RoleGrant, User
from yunghap.network.models import Firm

from . import agreement_services as services
from . import change_requests as cr
from .eligibility import apply_breaches
from .models import (
    Agreement,
    AgreementConfirmation,
    AgreementTerms,
    Application,
    ApplicationBudgetLine,
    Call,
    Consortium,
    ConsortiumMember,
    CostCategory,
    SelectionDecision,
    SelectionResult,
)
from .rules import check_application

CALL_CODE = "2025-rnd"
ENDED = (datetime.date(2025, 6, 1), datetime.date(2026, 5, 31))
RUNNING = (datetime.date(2025, 9, 1), datetime.date(2027, 2, 28))
TITLES = [
    "스마트 공장용 무선 진동 센서 모듈 개발",
    "폐플라스틱 재생 원료 사출 부품 상용화",
    "농산물 저온 유통 IoT 모니터링 장치",
    "경량 복합소재 전동 휠체어 프레임",
    "식품 공정 비전 검사 장비 국산화",
    "해양 부유물 수거 드론 시제품",
]


def _firm_of(username: str) -> int | None:
    return (
        RoleGrant.objects.filter(user__username=username, role=Role.FIRM_USER)
        .values_list("firm_id", flat=True)
        .first()
    )


def build_agreements_demo(stdout: Any) -> None:
    call = Call.objects.filter(code=CALL_CODE).first()
    if call is None:
        stdout.write(f"협약: 공모 {CALL_CODE}가 없어 시연 협약을 만들지 않았습니다.")
        return
    if SelectionDecision.objects.filter(call=call).exists():
        stdout.write(f"협약: 공모 {CALL_CODE}의 선정 결과가 이미 있어 시연 협약을 만들지 않았습니다.")
        return
    with transaction.atomic():
        made = _build(call)
    stdout.write(
        f"협약: 공모 {CALL_CODE} 선정 {made['agreements']}건의 협약(종료 {made['ended']}건, 수행 중 1건), "
        f"모든 참여기업 확인, 변경 신청 승인 1건·승인 대기 1건. firm(주관기업 {made['lead']}), "
        f"partner(참여기업 {made['partner']}), central(변경 승인)"
    )


def _build(call: Call) -> dict[str, Any]:
    central = User.objects.filter(username="central").first()
    firm_user = User.objects.filter(username="firm").first()
    own_firm, partner_firm = _firm_of("firm"), _firm_of("partner")
    industry = dict(
        Firm.objects.filter(status="active", industry__isnull=False).values_list("pk", "industry__code")
    )
    pool = [
        pk
        for pk in Firm.objects.filter(status="active", industry__isnull=False)
        .exclude(pk__in=[f for f in (own_firm, partner_firm) if f is not None])
        .order_by("brn")
        .values_list("pk", flat=True)[:200]
    ]

    def take(avoid: set[str]) -> int:
        # The next firm (registration-number order) of an industry the consortium does not have yet.
        for n, pk in enumerate(pool):
            if industry[pk] not in avoid:
                return pool.pop(n)
        return pool.pop(0)

    consortia: list[tuple[int, list[int]]] = []
    for index in range(len(TITLES)):
        lead_id = own_firm if index == 0 and own_firm is not None else take(set())
        firms = [lead_id]
        if index == 0 and partner_firm is not None:
            firms.append(partner_firm)
        while len(firms) < 3:
            firms.append(take({industry.get(f, "") for f in firms}))
        consortia.append((lead_id, firms[1:]))
    leads = [lead for lead, _partners in consortia]
    categories = {c.code: c for c in CostCategory.objects.filter(edition=call.cost_category_edition)}
    decision = SelectionDecision.objects.create(
        call=call,
        decided_by=central,
        decided_at=datetime.datetime(2025, 5, 20, 14, 0, tzinfo=timezone.get_default_timezone()),
        rules_revision=call.revision,
        rules=call.rules_snapshot(),
        government_total_krw=0,
        proposal={"note": "demo"},
        note="2025-05-20 선정평가위원회 의결(시연)",
    )
    agreements: list[Agreement] = []
    total = 0
    for index, (lead_id, partners) in enumerate(consortia):
        consortium = Consortium.objects.create(call=call, lead_id=lead_id, name=f"{TITLES[index][:8]} 협력체")
        ConsortiumMember.objects.bulk_create(
            [
                ConsortiumMember(
                    consortium=consortium,
                    firm_id=lead_id,
                    role=ConsortiumMember.Role.LEAD,
                    state=ConsortiumMember.State.ACCEPTED,
                ),
                *(
                    ConsortiumMember(
                        consortium=consortium,
                        firm_id=firm_id,
                        role=ConsortiumMember.Role.PARTNER,
                        state=ConsortiumMember.State.ACCEPTED,
                    )
                    for firm_id in partners
                ),
            ]
        )
        starts_on, ends_on = RUNNING if index == 0 else ENDED
        # Within the call's rules: government at most 75 %, the firms' cash at least 20 % of their share.
        government = 15_000_000 + index * 500_000
        firm_share = government // 3 + 1_000_000
        cash = firm_share // 2
        inkind = firm_share - cash
        application = Application.objects.create(
            call=call,
            consortium=consortium,
            ref=f"{CALL_CODE}-{index + 1:03d}",
            title=TITLES[index],
            starts_on=starts_on,
            ends_on=ends_on,
            summary=f"{TITLES[index]}: 이업종 기업 {1 + len(partners)}곳이 함께 시제품을 만들고 사업화합니다.",
            government_krw=government,
            firm_cash_krw=cash,
            firm_inkind_krw=inkind,
            status=Application.Status.SUBMITTED,
            eligibility=Application.Eligibility.ELIGIBLE,
            rules_revision=call.revision,
            submitted_at=datetime.datetime(
                2025, 4, 10 + index, 10, 0, tzinfo=timezone.get_default_timezone()
            ),
        )
        lines = {
            "personnel": (government // 2, cash, inkind),
            "materials": (government * 3 // 10, 0, 0),
            "equipment": (government - government // 2 - government * 3 // 10, 0, 0),
        }
        ApplicationBudgetLine.objects.bulk_create(
            [
                ApplicationBudgetLine(
                    application=application,
                    category=categories[code],
                    government_krw=g,
                    firm_cash_krw=c,
                    firm_inkind_krw=k,
                )
                for code, (g, c, k) in lines.items()
            ]
        )
        fields = apply_breaches(application, check_application(application), revision=call.revision)
        application.save(update_fields=[*fields, "updated_at"])
        result = SelectionResult.objects.create(
            decision=decision,
            application=application,
            outcome=SelectionResult.Outcome.SELECTED,
            rank=index + 1,
            score=90 - index,
            government_krw=government,
        )
        total += government
        agreement = services.create_agreement(result, actor=central)
        AgreementTerms.objects.filter(agreement=agreement).update(
            contact_name="과제 담당자", contact_phone="02-****-1234", bank_name="기업은행"
        )
        # Every member confirmed at the start (firms without a demo login confirmed in person).
        AgreementConfirmation.objects.bulk_create(
            [
                AgreementConfirmation(
                    agreement=agreement,
                    firm_id=firm_id,
                    confirmed_by=firm_user if firm_id == own_firm else None,
                    confirmed_at=datetime.datetime.combine(
                        starts_on, datetime.time(10), tzinfo=timezone.get_default_timezone()
                    ),
                )
                for firm_id in [lead_id, *partners]
            ]
        )
        agreements.append(agreement)
    SelectionDecision.objects.filter(pk=decision.pk).update(government_total_krw=total)

    running = agreements[0]
    if firm_user is not None and own_firm is not None and central is not None:
        # Approved: more materials than the free margin allows (20 % of the smaller category).
        moved = services.submit_change(
            running,
            actor=firm_user,
            reason="시제품 재료 단가 상승으로 재료비를 늘립니다.",
            items=[
                (
                    cr.BUDGET_TRANSFER,
                    {
                        "from": "personnel",
                        "to": "materials",
                        "source": "government_krw",
                        "amount_krw": 2_000_000,
                    },
                )
            ],
        )
        services.decide_change(moved, actor=central, approve=True, reason="단가 상승 근거 확인")
        services.submit_change(
            running,
            actor=firm_user,
            reason="신뢰성 시험 기관 일정이 밀려 협약 기간을 2개월 늘립니다.",
            items=[(cr.PERIOD, {"starts_on": RUNNING[0].isoformat(), "ends_on": "2027-04-30"})],
        )
    ended = [a.pk for a in agreements[1:]]
    Agreement.objects.filter(pk__in=ended).update(status=Agreement.Status.ENDED)
    names = dict(Firm.objects.filter(pk__in=[leads[0], partner_firm or 0]).values_list("pk", "name"))
    return {
        "agreements": len(agreements),
        "ended": len(ended),
        "lead": names.get(leads[0], ""),
        "partner": names.get(partner_firm or 0, ""),
    }
