"""Builders of agreements made the way staff make them (`agreement_services.create_agreement`): a selected
result of a decided call, budget lines on the application, then the service (reports, payment plan, terms)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.factories import FirmFactory
from tests.programmes.factories import make_application, make_call
from yunghap.programmes import agreement_services
from yunghap.programmes.models import (
    Agreement,
    Application,
    ApplicationBudgetLine,
    CostCategory,
    SelectionDecision,
    SelectionResult,
)


def closed_call(**fields: Any) -> Any:
    today = timezone.localdate()
    fields.setdefault("opens_on", today - datetime.timedelta(days=60))
    fields.setdefault("closes_on", today - datetime.timedelta(days=30))
    fields.setdefault("published_at", timezone.now() - datetime.timedelta(days=61))
    return make_call(**fields)


def select(application: Application, *, outcome: str = SelectionResult.Outcome.SELECTED) -> SelectionResult:
    call = application.call
    decision, _made = SelectionDecision.objects.get_or_create(
        call=call,
        defaults={
            "decided_at": timezone.now(),
            "rules_revision": call.revision,
            "rules": {},
            "government_total_krw": 0,
            "proposal": {},
        },
    )
    return SelectionResult.objects.create(
        decision=decision,
        application=application,
        outcome=outcome,
        rank=1 if outcome == SelectionResult.Outcome.SELECTED else None,
        government_krw=application.government_krw,
    )


def add_lines(application: Application, lines: dict[str, tuple[int, int, int]]) -> None:
    for code, (g, c, k) in lines.items():
        ApplicationBudgetLine.objects.create(
            application=application,
            category=CostCategory.objects.get(edition=application.call.cost_category_edition, code=code),
            government_krw=g,
            firm_cash_krw=c,
            firm_inkind_krw=k,
        )


def selected_application(
    *,
    call: Any = None,
    lead: Any = None,
    partners: list[Any] | None = None,
    lines: dict[str, tuple[int, int, int]] | None = None,
    **fields: Any,
) -> tuple[Application, SelectionResult]:
    """A selected application of a closed call, with budget lines (default: personnel 10,000,000원 and
    materials 5,000,000원 of the grant; cash and in-kind on personnel). `lines={}` for totals only."""
    call = call or closed_call()
    application = make_application(
        call, lead or FirmFactory(), partners if partners is not None else [FirmFactory()], **fields
    )
    if lines is None:
        g, c, k = application.government_krw, application.firm_cash_krw, application.firm_inkind_krw
        lines = {"personnel": (g - 5_000_000, c, k), "materials": (5_000_000, 0, 0)}
    add_lines(application, lines)
    return application, select(application)


def agreed(**kwargs: Any) -> Agreement:
    """An agreement made by the service from a new selected application (see `selected_application`)."""
    _application, result = selected_application(**kwargs)
    return agreement_services.create_agreement(result, actor=None)
