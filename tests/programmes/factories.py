"""Builders of programme data for tests: a call with its rules, a consortium with its members, an
application with its totals, a reviewer with an assignment and a review."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.factories import make_user
from yunghap.accounts.models import Role
from yunghap.programmes.models import (
    Agreement,
    AgreementBudgetLine,
    Application,
    Call,
    Consortium,
    ConsortiumMember,
    CostCategory,
    GrowthEngine,
    Review,
    ReviewAssignment,
    Reviewer,
    SelectionDecision,
    SelectionResult,
    Topic,
)

_seq = iter(range(1, 10**6))


def make_topic(*, status: str = Topic.Status.LEADING, engine: str = "NGE09-09", **fields: Any) -> Topic:
    n = next(_seq)
    fields.setdefault("code", f"t{n:04d}")
    fields.setdefault("title", f"스마트 센서 융합 과제 {n}")
    fields.setdefault("summary", "이업종 기업이 함께 개발하는 센서 모듈")
    return Topic.objects.create(status=status, growth_engine=GrowthEngine.objects.get(code=engine), **fields)


def make_call(*, published: bool = True, days_open: int = 10, days_left: int = 20, **fields: Any) -> Call:
    """A call with the plan's rules, open today unless told otherwise (its window in KST days)."""
    n = next(_seq)
    today = timezone.localdate()
    fields.setdefault("code", f"c{n:04d}")
    fields.setdefault("title", f"{today.year}년 이업종 융합 R&D 지원사업 {n}")
    fields.setdefault("opens_on", today - datetime.timedelta(days=days_open))
    fields.setdefault("closes_on", today + datetime.timedelta(days=days_left))
    if published:
        fields.setdefault("published_at", timezone.now() - datetime.timedelta(days=days_open + 1))
    return Call.objects.create(**fields)


def make_application(
    call: Call,
    lead: Any,
    partners: list[Any] = (),  # type: ignore[assignment]
    *,
    government: int = 15_000_000,
    cash: int = 2_000_000,
    inkind: int = 3_000_000,
    status: str = Application.Status.SUBMITTED,
    eligibility: str = Application.Eligibility.ELIGIBLE,
    breaches: list[dict[str, Any]] | None = None,
    partner_state: str = ConsortiumMember.State.ACCEPTED,
    submitted_at: datetime.datetime | None = None,
    **fields: Any,
) -> Application:
    consortium = Consortium.objects.create(call=call, lead=lead, name=f"{lead.name} 협력체")
    ConsortiumMember.objects.create(
        consortium=consortium,
        firm=lead,
        role=ConsortiumMember.Role.LEAD,
        state=ConsortiumMember.State.ACCEPTED,
    )
    for firm in partners:
        ConsortiumMember.objects.create(consortium=consortium, firm=firm, state=partner_state)
    n = call.applications.count() + 1
    fields.setdefault("ref", f"{call.code}-{n:03d}")
    fields.setdefault("title", f"{lead.name} 융합 과제")
    if status == Application.Status.SUBMITTED and submitted_at is None:
        submitted_at = timezone.now()
    return Application.objects.create(
        call=call,
        consortium=consortium,
        government_krw=government,
        firm_cash_krw=cash,
        firm_inkind_krw=inkind,
        status=status,
        eligibility=eligibility
        if status == Application.Status.SUBMITTED
        else Application.Eligibility.UNCHECKED,
        breaches=breaches or [],
        rules_revision=call.revision,
        submitted_at=submitted_at,
        **fields,
    )


def make_reviewer(
    username: str | None = None, *, affiliation: Any = None, user: Any = None, **fields: Any
) -> Reviewer:
    if user is None:
        user = make_user(username or f"rev{next(_seq)}", Role.REVIEWER)
    return Reviewer.objects.create(user=user, affiliation=affiliation, **fields)


def assign(
    application: Application, reviewer: Reviewer, *, declared: bool = True, **fields: Any
) -> ReviewAssignment:
    state = ReviewAssignment.State.OPEN if declared else ReviewAssignment.State.ASSIGNED
    return ReviewAssignment.objects.create(
        application=application,
        reviewer=reviewer,
        state=state,
        declared_at=timezone.now() if declared else None,
        **fields,
    )


def make_review(
    application: Application, reviewer: Reviewer, score: Decimal | int | str, **fields: Any
) -> Review:
    assignment = ReviewAssignment.objects.filter(application=application, reviewer=reviewer).first()
    if assignment is None:
        assignment = assign(application, reviewer)
    assignment.state = ReviewAssignment.State.SUBMITTED
    assignment.save(update_fields=["state"])
    fields.setdefault("comment", "기술성과 협력 구성이 적절합니다.")
    return Review.objects.create(
        assignment=assignment,
        application=application,
        reviewer=reviewer,
        score=Decimal(str(score)),
        submitted_at=fields.pop("submitted_at", timezone.now()),
        **fields,
    )


def make_agreement(
    application: Application | None = None,
    *,
    lead: Any = None,
    partners: list[Any] = (),  # type: ignore[assignment]
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    lines: dict[str, tuple[int, int, int]] | None = None,
    **fields: Any,
) -> Agreement:
    """An agreement of a selected application, its budget lines by category code (government, cash,
    in-kind) adding up to the application's totals. Without an application, one is made for `lead`."""
    if application is None:
        from tests.factories import FirmFactory

        application = make_application(make_call(), lead or FirmFactory(), partners)
    call = application.call
    decision, _ = SelectionDecision.objects.get_or_create(
        call=call,
        defaults={
            "decided_at": timezone.now(),
            "rules_revision": call.revision,
            "rules": {},
            "government_total_krw": 0,
            "proposal": {},
        },
    )
    result = SelectionResult.objects.create(
        decision=decision,
        application=application,
        outcome=SelectionResult.Outcome.SELECTED,
        rank=1,
        government_krw=application.government_krw,
    )
    today = timezone.localdate()
    starts_on = starts_on or application.starts_on or today - datetime.timedelta(days=30)
    ends_on = ends_on or application.ends_on or starts_on + datetime.timedelta(days=270)
    if lines is None:
        g, c, k = application.government_krw, application.firm_cash_krw, application.firm_inkind_krw
        lines = {"personnel": (g // 2, c, k), "materials": (g - g // 2, 0, 0)}
    agreement = Agreement.objects.create(
        result=result,
        application=application,
        starts_on=starts_on,
        ends_on=ends_on,
        government_krw=application.government_krw,
        firm_cash_krw=application.firm_cash_krw,
        firm_inkind_krw=application.firm_inkind_krw,
        **fields,
    )
    for code, (g, c, k) in lines.items():
        AgreementBudgetLine.objects.create(
            agreement=agreement,
            category=CostCategory.objects.get(edition=call.cost_category_edition, code=code),
            government_krw=g,
            firm_cash_krw=c,
            firm_inkind_krw=k,
        )
    return agreement
