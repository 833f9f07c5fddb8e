"""Recording a call's selection (선정 확정): once per call, with who, when and the rule set it applied.

`decide_selection` locks the call's row, computes the proposal under that lock (`selection.propose`) and
stores it as a `SelectionDecision` with one `SelectionResult` per submitted application. Two staff
confirming at once: the second waits on the lock, then finds the decision and is refused ("이미 확정되었습니다");
the decision's one-to-one column on the call is the constraint behind the lock.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.core.audit import record_change

from . import selection
from .models import Application, Call, SelectionDecision, SelectionResult
from .rules import CallRules


def already_decided_message(call: Call) -> str:
    return _("%(call)s 공모의 선정 결과는 이미 확정되었습니다.") % {"call": call.code}


def can_decide(user: Any) -> bool:
    from yunghap.accounts.scope import scope_of

    return scope_of(user).central


def decide_selection(call: Call, *, actor: Any, note: str = "") -> SelectionDecision:
    """Record the selection of `call` as proposed now. `actor` None: the system (`yunghap select --commit`)."""
    if actor is not None and not can_decide(actor):
        raise ValidationError(_("선정 결과는 중앙회 직원만 확정할 수 있습니다."), code="forbidden")
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if SelectionDecision.objects.filter(call=locked).exists():
            raise ValidationError(already_decided_message(locked), code="decided")
        if locked.published_at is None:
            raise ValidationError(_("공개되지 않은 공모는 선정할 수 없습니다."), code="unpublished")
        if locked.is_open():
            raise ValidationError(
                _("접수 중인 공모는 선정을 확정할 수 없습니다(접수 마감일 %(date)s 이후 확정).")
                % {"date": locked.closes_on.isoformat()},
                code="open",
            )
        rules = CallRules.of(locked)
        rows = selection.rows_of(locked)
        proposal = selection.select(rows, rules, call=locked.code)
        try:
            with transaction.atomic():
                decision = SelectionDecision.objects.create(
                    call=locked,
                    decided_by=actor if getattr(actor, "pk", None) else None,
                    decided_at=timezone.now(),
                    rules_revision=locked.revision,
                    rules=locked.rules_snapshot(),
                    government_total_krw=proposal["government_total_krw"],
                    proposal=selection.proposal_data(proposal),
                    note=note.strip(),
                )
        except IntegrityError:
            raise ValidationError(already_decided_message(locked), code="decided") from None
        ids = dict(
            Application.objects.filter(call=locked, status=Application.Status.SUBMITTED).values_list(
                "ref", "pk"
            )
        )
        results = []
        for outcome in selection.outcomes(rows, rules):
            results.append(
                SelectionResult(
                    decision=decision,
                    application_id=ids[outcome.ref],
                    outcome=outcome.outcome,
                    rank=outcome.rank,
                    score=outcome.score,
                    government_krw=outcome.government_krw,
                    reason=outcome.reason,
                    rules=list(outcome.rules),
                )
            )
        SelectionResult.objects.bulk_create(results, batch_size=1000)
        record_change(
            actor,
            "programmes.selection.decide",
            decision,
            {
                "call": locked.code,
                "rules_revision": locked.revision,
                "selected": len(proposal["selected"]),
                "government_total_krw": proposal["government_total_krw"],
                "note": decision.note,
            },
        )
    return decision
