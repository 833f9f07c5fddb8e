"""A funded consortium with its whole chain, for the chain, funnel and success-story tests: the web tests'
network (tests/web/conftest.py), an introduction between two Seoul members, their consortium's
application, agreement (settled, 우수), a deposit, a payment, a final report and a ledger result."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tests.programmes.factories import make_agreement, make_application, make_call, make_topic
from yunghap.activities.models import Outcome
from yunghap.introductions.models import Introduction
from yunghap.introductions.workflow import State
from yunghap.network.models import Firm
from yunghap.programmes.models import Agreement, Deposit, GovernmentPayment, Report


@dataclass
class Funded:
    introduction: Introduction
    agreement: Agreement
    outcome: Outcome

    @property
    def application(self) -> Any:
        return self.agreement.application


def make_introduction(
    seeker: Firm, partner: Firm, *, sent_at: datetime.datetime, **fields: Any
) -> Introduction:
    fields.setdefault("state", State.ACCEPTED)
    return Introduction.objects.create(
        seeker=seeker,
        partner=partner,
        sent_at=sent_at,
        respond_by=(sent_at + datetime.timedelta(days=14)).date(),
        **fields,
    )


def make_funded(
    network: Any,
    *,
    year: int | None = None,
    status: str = Agreement.Status.SETTLED,
    grade: str = Agreement.Grade.EXCELLENT,
    code: str | None = None,
) -> Funded:
    """새영테크 (lead) + 광빛차체 (both Seoul group) + 구로전자 (the other Seoul group)."""
    year = year or timezone.localdate().year - 1
    opens = datetime.date(year, 3, 1)
    call = (
        make_call(code=code, opens_on=opens, closes_on=opens + datetime.timedelta(days=30))
        if code
        else make_call(opens_on=opens, closes_on=opens + datetime.timedelta(days=30))
    )
    sent = timezone.make_aware(datetime.datetime(year, 2, 10, 10, 0))
    introduction = make_introduction(network.member_firm, network.chair_firm, sent_at=sent)
    other = Firm.objects.get(name="구로전자")
    application = make_application(
        call,
        network.member_firm,
        [network.chair_firm, other],
        topic=make_topic(),
        submitted_at=timezone.make_aware(datetime.datetime(year, 3, 20, 9, 0)),
        starts_on=datetime.date(year, 5, 1),
        ends_on=datetime.date(year, 12, 31),
    )
    agreement = make_agreement(application, status=status, grade=grade)
    Deposit.objects.create(
        agreement=agreement, deposited_on=datetime.date(year, 5, 3), firm_cash_krw=2_000_000
    )
    GovernmentPayment.objects.create(
        agreement=agreement, paid_on=datetime.date(year, 5, 10), government_krw=15_000_000
    )
    Report.objects.create(
        agreement=agreement,
        kind=Report.Kind.FINAL,
        seq=1,
        due_on=datetime.date(year + 1, 1, 31),
        status=Report.Status.ACCEPTED,
    )
    outcome = Outcome.objects.create(
        group=network.seoul_group,
        kind=Outcome.Kind.PATENT,
        title="IoT 센서 하우징 특허 출원",
        achieved_on=datetime.date(year, 11, 20),
        agreement=agreement,
    )
    outcome.firms.set([network.member_firm, network.chair_firm])
    return Funded(introduction, agreement, outcome)
