"""Agreements (협약): made from selected applications, confirmed by every member firm, changed by requests.

Every writer here takes one transaction, locks the row it changes (`select_for_update`), writes one audit
row and sends its notifications after the commit. Who may do what:

- central staff make agreements (`create_agreement`, `create_agreements`) and decide change requests;
- each accepted member firm's users confirm the agreement for their firm (`confirm_agreement`): it is in
  force once every accepted member has confirmed (`is_in_force`);
- the lead firm's users (주관기업) and central staff keep the milestones; the lead firm's users request
  changes (`submit_change`) and may withdraw a pending one; the moves are `change_requests.TRANSITIONS`.

The period is the application's; an application with no period (an import may give totals only) gets the
call's default: from the day the agreement is made, `Call.agreement_months` months. Amounts are the
application's totals; budget lines are copied from the application's lines — when it has none the
agreement has no lines (`budget_lines_missing`) until `yunghap import budgets` gives them.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_change
from yunghap.core.messenger import notify

from . import change_requests as cr
from . import message_codes
from .models import (
    Agreement,
    AgreementBudgetLine,
    AgreementConfirmation,
    AgreementTerms,
    Call,
    ChangeItem,
    ChangeRequest,
    ConsortiumMember,
    CostCategory,
    Milestone,
    PaymentInstalment,
    Report,
    SelectionResult,
)


# --- who ---------------------------------------------------------------------------------------------------
def can_manage(user: Any) -> bool:
    """Central staff make agreements and decide change requests."""
    return scope_of(user).central


def member_firm_ids(agreement: Agreement, user: Any) -> list[int]:
    """The user's firms that are accepted members of the agreement's consortium."""
    firms = scope_of(user).firm_ids
    if not firms:
        return []
    return sorted(
        ConsortiumMember.objects.filter(
            consortium_id=agreement.application.consortium_id,
            firm_id__in=firms,
            state=ConsortiumMember.State.ACCEPTED,
        ).values_list("firm_id", flat=True)
    )


def is_lead_user(agreement: Agreement, user: Any) -> bool:
    return agreement.application.consortium.lead_id in scope_of(user).firm_ids


def roles_of(agreement: Agreement, user: Any) -> set[str]:
    """The change-request roles (`change_requests.LEAD`, `CENTRAL`) the user holds on this agreement."""
    roles = set()
    if is_lead_user(agreement, user):
        roles.add(cr.LEAD)
    if scope_of(user).central:
        roles.add(cr.CENTRAL)
    return roles


def _users_of_firms(firm_ids: list[int]) -> list[Any]:
    from yunghap.accounts.models import Role, User

    return list(
        User.objects.filter(
            is_active=True, grants__role=Role.FIRM_USER, grants__firm_id__in=firm_ids
        ).distinct()
    )


def _central_users() -> list[Any]:
    from yunghap.accounts.models import Role, User

    return list(User.objects.filter(is_active=True, grants__role=Role.CENTRAL_STAFF).distinct())


# --- reading -----------------------------------------------------------------------------------------------
def budget_lines_missing(agreement: Agreement) -> bool:
    """The agreement has no budget lines yet (its application had totals only): `yunghap import budgets`."""
    return not agreement.budget_lines.exists()


def pending_results(call: Call) -> QuerySet[SelectionResult]:
    """The call's selected results that have no agreement yet (what the bulk creation will make)."""
    return SelectionResult.objects.filter(
        decision__call=call, outcome=SelectionResult.Outcome.SELECTED, agreement__isnull=True
    ).order_by("rank", "id")


@dataclass(frozen=True)
class ConfirmationRow:
    member: ConsortiumMember
    confirmation: AgreementConfirmation | None


def confirmation_rows(agreement: Agreement) -> list[ConfirmationRow]:
    """One row per accepted member (lead first): who confirmed and when, or not yet."""
    confirmations = {c.firm_id: c for c in agreement.confirmations.select_related("confirmed_by").all()}
    members = ConsortiumMember.objects.filter(
        consortium_id=agreement.application.consortium_id, state=ConsortiumMember.State.ACCEPTED
    ).select_related("firm")
    return [
        ConfirmationRow(m, confirmations.get(m.firm_id))
        for m in sorted(members, key=lambda m: (m.role != ConsortiumMember.Role.LEAD, m.pk))
    ]


def is_in_force(agreement: Agreement) -> bool:
    """In force (발효) once every accepted member firm has confirmed."""
    rows = confirmation_rows(agreement)
    return bool(rows) and all(row.confirmation is not None for row in rows)


# --- the schedule ------------------------------------------------------------------------------------------
def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_period(call: Call, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The call's default period: from `today`, `agreement_months` months (ending the day before)."""
    return today, add_months(today, call.agreement_months) - datetime.timedelta(days=1)


def interim_due_dates(starts_on: datetime.date, ends_on: datetime.date, count: int) -> list[datetime.date]:
    """`count` interim reports evenly spread over the period (one: its midpoint)."""
    length = (ends_on - starts_on).days
    return [starts_on + datetime.timedelta(days=length * k // (count + 1)) for k in range(1, count + 1)]


def final_due_date(call: Call, ends_on: datetime.date) -> datetime.date:
    return ends_on + datetime.timedelta(days=call.final_report_days)


def instalment_plan(
    grant_krw: int, starts_on: datetime.date, ends_on: datetime.date, count: int
) -> list[tuple[datetime.date, int]]:
    """The default payment plan: `count` instalments of the grant, equal but for the won left over (paid
    with the first), the first on the start day and the others evenly through the period."""
    count = max(1, count)
    share, left = divmod(grant_krw, count)
    length = (ends_on - starts_on).days
    return [
        (starts_on + datetime.timedelta(days=length * k // count), share + (left if k == 0 else 0))
        for k in range(count)
    ]


# --- making agreements -------------------------------------------------------------------------------------
def create_agreement(result: SelectionResult, *, actor: Any) -> Agreement:
    """The agreement of a selected result, made once: a second call (or a parallel one, which waits on the
    result's lock) returns the agreement already made. `actor` None: the system (demo, scripts)."""
    if actor is not None and not can_manage(actor):
        raise PermissionDenied(_("협약은 중앙회 직원만 체결할 수 있습니다."))
    with transaction.atomic():
        locked = (
            SelectionResult.objects.select_for_update().select_related("decision__call").get(pk=result.pk)
        )
        existing = Agreement.objects.filter(result=locked).first()
        if existing is not None:
            return existing
        if locked.outcome != SelectionResult.Outcome.SELECTED:
            raise ValidationError(_("선정된 신청서만 협약을 체결할 수 있습니다."), code="not_selected")
        application = locked.application
        call = locked.decision.call
        if application.starts_on and application.ends_on:
            starts_on, ends_on = application.starts_on, application.ends_on
        else:
            starts_on, ends_on = default_period(call, timezone.localdate())
        try:
            with transaction.atomic():
                agreement = Agreement.objects.create(
                    result=locked,
                    application=application,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    government_krw=application.government_krw,
                    firm_cash_krw=application.firm_cash_krw,
                    firm_inkind_krw=application.firm_inkind_krw,
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
        except IntegrityError:  # the one-to-one on the result: made meanwhile (only without the lock)
            return Agreement.objects.get(result=locked)
        AgreementBudgetLine.objects.bulk_create(
            [
                AgreementBudgetLine(
                    agreement=agreement,
                    category_id=line.category_id,
                    government_krw=line.government_krw,
                    firm_cash_krw=line.firm_cash_krw,
                    firm_inkind_krw=line.firm_inkind_krw,
                )
                for line in application.budget_lines.all()
            ]
        )
        AgreementTerms.objects.create(agreement=agreement, goals=application.summary)
        PaymentInstalment.objects.bulk_create(
            [
                PaymentInstalment(agreement=agreement, seq=n, planned_on=day, government_krw=amount)
                for n, (day, amount) in enumerate(
                    instalment_plan(agreement.government_krw, starts_on, ends_on, call.payment_instalments),
                    start=1,
                )
            ]
        )
        reports = [
            Report(agreement=agreement, kind=Report.Kind.INTERIM, seq=n, due_on=day)
            for n, day in enumerate(interim_due_dates(starts_on, ends_on, call.interim_reports), start=1)
        ]
        reports.append(
            Report(agreement=agreement, kind=Report.Kind.FINAL, seq=1, due_on=final_due_date(call, ends_on))
        )
        Report.objects.bulk_create(reports)
        record_change(
            actor, "programmes.agreement.create", agreement, {"ref": application.ref, **snapshot(agreement)}
        )
        members = list(
            ConsortiumMember.objects.filter(
                consortium_id=application.consortium_id, state=ConsortiumMember.State.ACCEPTED
            ).values_list("firm_id", flat=True)
        )
        users = _users_of_firms(members)
        params = {"ref": application.ref, "title": application.title}
        link = reverse("programmes:agreement_detail", kwargs={"pk": agreement.pk})
        transaction.on_commit(
            lambda: notify(users, code=message_codes.AGREEMENT_CREATED, params=params, link=link, email=False)
        )
    return agreement


def create_agreements(call: Call, *, actor: Any) -> list[Agreement]:
    """The agreements of every selected result of `call` that has none yet (the bulk "협약 체결")."""
    if actor is not None and not can_manage(actor):
        raise PermissionDenied(_("협약은 중앙회 직원만 체결할 수 있습니다."))
    with transaction.atomic():
        return [create_agreement(result, actor=actor) for result in pending_results(call)]


# --- confirming --------------------------------------------------------------------------------------------
def confirm_agreement(agreement: Agreement, *, actor: Any) -> list[AgreementConfirmation]:
    """Confirm the agreement for each of the actor's member firms that has not confirmed yet. Two parallel
    clicks: the second waits on the agreement's lock and finds the confirmation (the unique constraint is
    the backstop); it confirms nothing and is told so."""
    with transaction.atomic():
        locked = (
            Agreement.objects.select_for_update()
            .select_related("application__consortium")
            .get(pk=agreement.pk)
        )
        firms = member_firm_ids(locked, actor)
        if not firms:
            raise PermissionDenied(_("협약은 협력체 참여기업의 사용자가 확인합니다."))
        if locked.status != Agreement.Status.ACTIVE:
            raise ValidationError(_("수행 중인 협약만 확인할 수 있습니다."), code="not_active")
        done = set(
            AgreementConfirmation.objects.filter(agreement=locked, firm_id__in=firms).values_list(
                "firm_id", flat=True
            )
        )
        todo = [f for f in firms if f not in done]
        if not todo:
            raise ValidationError(_("이미 협약을 확인했습니다."), code="confirmed")
        now = timezone.now()
        made = []
        for firm_id in todo:
            try:
                with transaction.atomic():
                    made.append(
                        AgreementConfirmation.objects.create(
                            agreement=locked, firm_id=firm_id, confirmed_by=actor, confirmed_at=now
                        )
                    )
            except IntegrityError:
                continue
        if not made:
            raise ValidationError(_("이미 협약을 확인했습니다."), code="confirmed")
        record_change(actor, "programmes.agreement.confirm", locked, {"firms": [c.firm_id for c in made]})
    return made


# --- milestones --------------------------------------------------------------------------------------------
def can_keep_milestones(agreement: Agreement, user: Any) -> bool:
    return scope_of(user).central or is_lead_user(agreement, user)


def add_milestone(
    agreement: Agreement, *, actor: Any, title: str, deliverable: str, due_on: datetime.date
) -> Milestone:
    if not can_keep_milestones(agreement, actor):
        raise PermissionDenied(_("단계별 목표는 주관기업과 중앙회 직원이 관리합니다."))
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if not (locked.starts_on <= due_on <= locked.ends_on):
            raise ValidationError(
                {
                    "due_on": _("완료 예정일은 협약 기간(%(starts)s ~ %(ends)s) 안이어야 합니다.")
                    % {"starts": locked.starts_on.isoformat(), "ends": locked.ends_on.isoformat()}
                }
            )
        milestone = Milestone.objects.create(
            agreement=locked, title=title.strip(), deliverable=deliverable.strip(), due_on=due_on
        )
        record_change(
            actor,
            "programmes.agreement.milestone_add",
            locked,
            {
                "milestone": milestone.pk,
                "title": milestone.title,
                "deliverable": milestone.deliverable,
                "due_on": due_on,
            },
        )
    return milestone


def set_milestone_done(milestone: Milestone, *, actor: Any, done: bool) -> Milestone:
    if not can_keep_milestones(milestone.agreement, actor):
        raise PermissionDenied(_("단계별 목표는 주관기업과 중앙회 직원이 관리합니다."))
    with transaction.atomic():
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if locked.done == done:
            return locked
        locked.done = done
        locked.done_at = timezone.now() if done else None
        locked.done_by = actor if done else None
        locked.save(update_fields=["done", "done_at", "done_by"])
        record_change(
            actor,
            "programmes.agreement.milestone_done",
            locked.agreement,
            {"milestone": locked.pk, "done": done},
        )
    return locked


# --- change requests ---------------------------------------------------------------------------------------
def snapshot(agreement: Agreement) -> dict[str, Any]:
    """The agreement's changeable state as JSON: period, budget lines, members, goals, contacts, account."""
    terms = AgreementTerms.objects.filter(agreement=agreement).first()
    lines = {
        line.category.code: {s: getattr(line, s) for s in cr.SOURCES}
        for line in agreement.budget_lines.select_related("category").order_by("category__sort_order")
    }
    members = [
        {"firm": m.firm_id, "name": m.firm.name, "role": m.role}
        for m in ConsortiumMember.objects.filter(
            consortium_id=agreement.application.consortium_id, state=ConsortiumMember.State.ACCEPTED
        )
        .select_related("firm")
        .order_by("role", "id")
    ]
    data: dict[str, Any] = {
        "starts_on": agreement.starts_on.isoformat(),
        "ends_on": agreement.ends_on.isoformat(),
        "budget_lines": lines,
        "members": members,
    }
    if terms is not None:
        data["goals"] = terms.goals
        for name in (*cr.CONTACT_FIELDS, *cr.ACCOUNT_FIELDS):
            data[name] = getattr(terms, name)
    return data


def _line_totals(agreement: Agreement) -> dict[str, AgreementBudgetLine]:
    return {line.category.code: line for line in agreement.budget_lines.select_related("category")}


def transfer_needs_approval(agreement: Agreement, values: dict[str, Any]) -> bool:
    """The free-margin rule for one transfer of this agreement (the form and the service call it)."""
    lines = _line_totals(agreement)
    giving = lines.get(values["from"])
    receiving = lines.get(values["to"])
    call = agreement.application.call
    return not cr.within_free_margin(
        int(values["amount_krw"]),
        giving.total_krw if giving else 0,
        receiving.total_krw if receiving else 0,
        call.free_transfer_percent,
    )


def check_item(agreement: Agreement, kind: str, values: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    """Check one item against the agreement as it is now; returns (needs approval, old values). Raises a
    ValidationError with the Korean reason. Reads only (the form calls it too)."""
    terms = AgreementTerms.objects.filter(agreement=agreement).first() or AgreementTerms(agreement=agreement)
    if kind not in cr.KINDS:
        raise ValidationError(_("알 수 없는 변경 구분입니다: %(kind)s") % {"kind": kind}, code="kind")
    if kind == cr.PERIOD:
        starts = datetime.date.fromisoformat(values["starts_on"])
        ends = datetime.date.fromisoformat(values["ends_on"])
        if ends < starts:
            raise ValidationError(_("협약 종료일은 시작일보다 빠를 수 없습니다."), code="period")
        return True, {"starts_on": agreement.starts_on.isoformat(), "ends_on": agreement.ends_on.isoformat()}
    if kind == cr.GOALS:
        if not str(values.get("goals", "")).strip():
            raise ValidationError(_("사업 목표를 입력해 주세요."), code="goals")
        return True, {"goals": terms.goals}
    if kind == cr.CONTACTS:
        return False, {name: getattr(terms, name) for name in cr.CONTACT_FIELDS}
    if kind == cr.ACCOUNT:
        return False, {name: getattr(terms, name) for name in cr.ACCOUNT_FIELDS}
    if kind == cr.MEMBERS:
        consortium = agreement.application.consortium
        current = set(
            ConsortiumMember.objects.filter(
                consortium=consortium, state=ConsortiumMember.State.ACCEPTED
            ).values_list("firm_id", flat=True)
        )
        add = [int(f) for f in values.get("add", [])]
        remove = [int(f) for f in values.get("remove", [])]
        if not add and not remove:
            raise ValidationError(_("추가하거나 뺄 참여기업을 고르세요."), code="members")
        if consortium.lead_id in remove:
            raise ValidationError(_("주관기업은 뺄 수 없습니다."), code="members")
        if any(f in current for f in add):
            raise ValidationError(_("이미 협력체에 있는 기업은 추가할 수 없습니다."), code="members")
        if any(f not in current for f in remove):
            raise ValidationError(_("협력체에 없는 기업은 뺄 수 없습니다."), code="members")
        return True, {"members": sorted(current)}
    # budget transfer
    source = values.get("source")
    amount = int(values.get("amount_krw", 0))
    if source not in cr.SOURCES:
        raise ValidationError(_("재원을 고르세요."), code="source")
    if values.get("from") == values.get("to"):
        raise ValidationError(_("같은 비목으로는 옮길 수 없습니다."), code="transfer")
    if amount <= 0:
        raise ValidationError(_("옮길 금액은 1원 이상이어야 합니다."), code="transfer")
    edition = agreement.application.call.cost_category_edition
    codes = set(CostCategory.objects.filter(edition=edition).values_list("code", flat=True))
    if values.get("from") not in codes or values.get("to") not in codes:
        raise ValidationError(_("알 수 없는 비목입니다."), code="transfer")
    lines = _line_totals(agreement)
    giving = lines.get(values["from"])
    available = getattr(giving, source) if giving else 0
    if amount > available:
        raise ValidationError(
            _("%(category)s의 %(source)s은(는) %(available)s원으로, %(amount)s원을 옮길 수 없습니다.")
            % {
                "category": giving.category.display_name if giving else values["from"],
                "source": cr.SOURCE_LABELS[source],
                "available": f"{available:,}",
                "amount": f"{amount:,}",
            },
            code="transfer",
        )
    receiving_category = CostCategory.objects.get(edition=edition, code=values["to"])
    if source == "firm_inkind_krw" and not receiving_category.inkind_allowed:
        raise ValidationError(
            _("%(category)s에는 현물을 계상할 수 없습니다.") % {"category": receiving_category.display_name},
            code="transfer",
        )
    receiving = lines.get(values["to"])
    old = {
        "from": {s: getattr(giving, s) for s in cr.SOURCES} if giving else {},
        "to": {s: getattr(receiving, s) for s in cr.SOURCES} if receiving else {},
    }
    return transfer_needs_approval(agreement, values), old


def _apply_item(agreement: Agreement, item: ChangeItem, actor: Any) -> None:
    values = item.values
    terms, _created = AgreementTerms.objects.get_or_create(agreement=agreement)
    if item.kind == cr.PERIOD:
        agreement.starts_on = datetime.date.fromisoformat(values["starts_on"])
        agreement.ends_on = datetime.date.fromisoformat(values["ends_on"])
        agreement.save(update_fields=["starts_on", "ends_on", "updated_at"])
        # The final report moves with the end (while it is still to be handed in).
        Report.objects.filter(
            agreement=agreement,
            kind=Report.Kind.FINAL,
            status__in=[Report.Status.SCHEDULED, Report.Status.RETURNED],
        ).update(due_on=final_due_date(agreement.application.call, agreement.ends_on))
    elif item.kind == cr.GOALS:
        terms.goals = str(values["goals"]).strip()
        terms.save(update_fields=["goals"])
    elif item.kind in (cr.CONTACTS, cr.ACCOUNT):
        names = cr.CONTACT_FIELDS if item.kind == cr.CONTACTS else cr.ACCOUNT_FIELDS
        for name in names:
            setattr(terms, name, str(values.get(name, "")).strip())
        terms.save(update_fields=list(names))
    elif item.kind == cr.MEMBERS:
        consortium = agreement.application.consortium
        now = timezone.now()
        for firm_id in values.get("add", []):
            place, created = ConsortiumMember.objects.get_or_create(
                consortium=consortium,
                firm_id=int(firm_id),
                defaults={
                    "role": ConsortiumMember.Role.PARTNER,
                    "state": ConsortiumMember.State.ACCEPTED,
                    "invited_by": actor,
                    "responded_at": now,
                },
            )
            if not created:
                place.state = ConsortiumMember.State.ACCEPTED
                place.responded_at = now
                place.save(update_fields=["state", "responded_at", "updated_at"])
        # A partner leaving keeps its row (and its confirmation), marked declined: history stays.
        ConsortiumMember.objects.filter(
            consortium=consortium,
            firm_id__in=[int(f) for f in values.get("remove", [])],
            role=ConsortiumMember.Role.PARTNER,
        ).update(state=ConsortiumMember.State.DECLINED, responded_at=now, updated_at=now)
    elif item.kind == cr.BUDGET_TRANSFER:
        source, amount = values["source"], int(values["amount_krw"])
        edition = agreement.application.call.cost_category_edition
        giving = AgreementBudgetLine.objects.select_for_update().get(
            agreement=agreement, category__edition=edition, category__code=values["from"]
        )
        receiving, _made = AgreementBudgetLine.objects.get_or_create(
            agreement=agreement, category=CostCategory.objects.get(edition=edition, code=values["to"])
        )
        receiving = AgreementBudgetLine.objects.select_for_update().get(pk=receiving.pk)
        setattr(giving, source, getattr(giving, source) - amount)
        setattr(receiving, source, getattr(receiving, source) + amount)
        giving.save(update_fields=[source])
        receiving.save(update_fields=[source])


def _count_version(agreement: Agreement, kinds: list[str]) -> None:
    """Changes of the agreement row or its budget lines are a new version of the agreement (edit forms
    read before, such as the payment plan's, are then stale); terms and members are rows of their own."""
    if any(kind in (cr.PERIOD, cr.BUDGET_TRANSFER) for kind in kinds):
        agreement.version += 1
        Agreement.objects.filter(pk=agreement.pk).update(version=agreement.version)


def _next_number(agreement: Agreement) -> int:
    return int(ChangeRequest.objects.filter(agreement=agreement).aggregate(n=Max("number"))["n"] or 0) + 1


def _check_move(
    request: ChangeRequest | None, action: str, actor: Any, agreement: Agreement
) -> cr.Transition:
    source = request.state if request is not None else cr.NEW
    move = cr.find(source, action)
    if move is None:
        raise ValidationError(
            _("%(state)s 상태의 변경 신청에는 할 수 없는 처리입니다.")
            % {"state": request.get_state_display() if request is not None else _("새")},
            code="state",
        )
    if move.who not in roles_of(agreement, actor):
        if move.who == cr.CENTRAL:
            raise PermissionDenied(_("협약 변경 승인·반려는 중앙회 직원이 합니다."))
        raise PermissionDenied(_("협약 변경은 주관기업이 신청합니다."))
    return move


def submit_change(
    agreement: Agreement, *, actor: Any, reason: str, items: list[tuple[str, dict[str, Any]]]
) -> ChangeRequest:
    """Store a change request with its items. Only notice items: they apply now (in effect); any approval
    item: the request waits for staff."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("변경 사유를 입력해 주세요.")})
    if not items:
        raise ValidationError(_("바꿀 내용이 없습니다. 바꿀 항목을 하나 이상 입력해 주세요."), code="empty")
    with transaction.atomic():
        locked = (
            Agreement.objects.select_for_update()
            .select_related("application__consortium", "application__call")
            .get(pk=agreement.pk)
        )
        if locked.status != Agreement.Status.ACTIVE:
            raise ValidationError(_("수행 중인 협약만 변경을 신청할 수 있습니다."), code="not_active")
        checked = [(kind, values, *check_item(locked, kind, values)) for kind, values in items]
        needs_approval = any(approval for _k, _v, approval, _old in checked)
        move = _check_move(
            None, cr.SUBMIT_FOR_APPROVAL if needs_approval else cr.SUBMIT_NOTICE, actor, locked
        )
        now = timezone.now()
        request = ChangeRequest.objects.create(
            agreement=locked,
            number=_next_number(locked),
            state=move.target,
            reason=reason,
            needs_approval=needs_approval,
            requested_by=actor,
            requested_at=now,
            before=snapshot(locked),
        )
        made = ChangeItem.objects.bulk_create(
            [
                ChangeItem(request=request, kind=kind, approval=approval, values=values, old_values=old)
                for kind, values, approval, old in checked
            ]
        )
        if not needs_approval:
            for item in made:
                _apply_item(locked, item, actor)
            _count_version(locked, [item.kind for item in made])
            request.after = snapshot(locked)
            request.decided_at = now
            request.save(update_fields=["after", "decided_at"])
        record_change(
            actor,
            "programmes.agreement.change_submit",
            locked,
            {
                "request": request.number,
                "state": request.state,
                "items": [[k, v] for k, v, _a, _o in checked],
            },
        )
        if needs_approval:
            staff = _central_users()
            params = {"ref": locked.application.ref, "number": request.number}
            link = reverse("programmes:agreement_change_detail", kwargs={"pk": request.pk})
            transaction.on_commit(
                lambda: notify(
                    staff,
                    code=message_codes.AGREEMENT_CHANGE_SUBMITTED,
                    params=params,
                    link=link,
                    email=False,
                )
            )
    return request


def decide_change(request: ChangeRequest, *, actor: Any, approve: bool, reason: str = "") -> ChangeRequest:
    """Approve (apply every item, checked again against the agreement as it is now) or reject (with a
    reason) a pending request."""
    reason = (reason or "").strip()
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update()
            .select_related("application__consortium", "application__call")
            .get(pk=request.agreement_id)
        )
        locked = ChangeRequest.objects.select_for_update().get(pk=request.pk)
        move = _check_move(locked, cr.APPROVE if approve else cr.REJECT, actor, agreement)
        if not approve and not reason:
            raise ValidationError({"reason": _("반려 사유를 입력해 주세요.")})
        if approve:
            items = list(locked.items.all())
            for item in items:
                check_item(agreement, item.kind, item.values)
            for item in items:
                _apply_item(agreement, item, actor)
            _count_version(agreement, [i.kind for i in items])
            locked.after = snapshot(agreement)
        locked.state = move.target
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        locked.version += 1
        locked.save(
            update_fields=["state", "decided_by", "decided_at", "decision_reason", "after", "version"]
        )
        record_change(
            actor,
            "programmes.agreement.change_" + move.action,
            agreement,
            {"request": locked.number, "state": locked.state, "reason": reason},
        )
        users = _users_of_firms([agreement.application.consortium.lead_id])
        params = {"ref": agreement.application.ref, "number": locked.number, "reason": reason}
        code = message_codes.AGREEMENT_CHANGE_APPROVED if approve else message_codes.AGREEMENT_CHANGE_REJECTED
        link = reverse("programmes:agreement_change_detail", kwargs={"pk": locked.pk})
        transaction.on_commit(lambda: notify(users, code=code, params=params, link=link, email=False))
    return locked


def withdraw_change(request: ChangeRequest, *, actor: Any) -> ChangeRequest:
    with transaction.atomic():
        agreement = (
            Agreement.objects.select_for_update()
            .select_related("application__consortium")
            .get(pk=request.agreement_id)
        )
        locked = ChangeRequest.objects.select_for_update().get(pk=request.pk)
        move = _check_move(locked, cr.WITHDRAW, actor, agreement)
        locked.state = move.target
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["state", "decided_by", "decided_at", "version"])
        record_change(actor, "programmes.agreement.change_withdraw", agreement, {"request": locked.number})
    return locked


# --- the payment plan --------------------------------------------------------------------------------------
def payment_plan_errors(grant_krw: int, rows: list[tuple[datetime.date, int]]) -> list[str]:
    """What is wrong with a payment plan (the form and the service ask this one function): at least one
    instalment, none negative, adding up to the grant exactly."""
    if not rows:
        return [_("지급 계획에 회차가 하나 이상 있어야 합니다.")]
    errors = []
    if any(amount < 0 for _day, amount in rows):
        errors.append(_("지급 예정액은 0원 이상이어야 합니다."))
    total = sum(amount for _day, amount in rows)
    if total != grant_krw:
        errors.append(
            _("지급 예정액 합계 %(total)s원이 정부지원금 %(grant)s원과 같아야 합니다.")
            % {"total": f"{total:,}", "grant": f"{grant_krw:,}"}
        )
    return errors


def set_payment_plan(
    agreement: Agreement,
    *,
    actor: Any,
    rows: list[tuple[datetime.date, int]],
    expected_version: int | None = None,
) -> Agreement:
    """Replace the payment plan (central staff), checked against the agreement's version."""
    from yunghap.core.versions import bump_version, lock_version

    if not can_manage(actor):
        raise PermissionDenied(_("지급 계획은 중앙회 직원이 정합니다."))
    with transaction.atomic():
        lock_version(agreement, expected_version)
        errors = payment_plan_errors(agreement.government_krw, rows)
        if errors:
            raise ValidationError(errors, code="payment_plan")
        rows = sorted(rows)
        before = [[i.planned_on.isoformat(), i.government_krw] for i in agreement.instalments.all()]
        after = [[day.isoformat(), amount] for day, amount in rows]
        if before == after:
            return agreement
        agreement.instalments.all().delete()
        PaymentInstalment.objects.bulk_create(
            [
                PaymentInstalment(agreement=agreement, seq=n, planned_on=day, government_krw=amount)
                for n, (day, amount) in enumerate(rows, start=1)
            ]
        )
        bump_version(agreement)
        agreement.save(update_fields=["version", "updated_at"])
        record_change(
            actor,
            "programmes.agreement.update",
            agreement,
            {"payment_plan": {"before": before, "after": after}},
        )
    return agreement
