"""The agreements (협약, helper 1) of the permission matrix's world.

An agreement of a closed, decided call led by the firm persona's firm (새영테크) with the Seoul chair firm
and the other Seoul group's firm as partners, nobody has confirmed it yet; one milestone; one change request
of the lead waiting for staff (a goals change)."""

from __future__ import annotations

import datetime
from typing import Any

from tests.programmes.agreement_factories import agreed, closed_call
from yunghap.network.models import Firm
from yunghap.programmes import agreement_services


def add_agreements(w: dict[str, Any], network: Any) -> dict[str, Any]:
    users = w["users"]
    call = closed_call(code="c-agreed")
    agreement = agreed(
        call=call,
        lead=network.member_firm,
        partners=[network.chair_firm, Firm.objects.get(name="구로전자")],
        ref="c-agreed-001",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2027, 6, 30),
    )
    milestone = agreement_services.add_milestone(
        agreement,
        actor=users["central"],
        title="시제품 설계",
        deliverable="설계 도면 1식",
        due_on=datetime.date(2026, 6, 30),
    )
    change = agreement_services.submit_change(
        agreement,
        actor=users["firm"],
        reason="시장 조사 결과를 반영",
        items=[("goals", {"goals": "센서 모듈 시제품과 양산 설계"})],
    )
    return {"agreed": agreement, "agreed_milestone": milestone, "agreed_change": change}
