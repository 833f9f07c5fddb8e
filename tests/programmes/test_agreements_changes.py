"""Agreement change requests (협약 변경): the state machine as data — every allowed and refused move and
who may make it — the free margin at its boundary, and what each kind of change does on approval."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import FirmFactory, make_user
from tests.programmes.agreement_factories import agreed
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog
from yunghap.programmes import agreement_services as services
from yunghap.programmes import change_requests as cr
from yunghap.programmes.models import ChangeRequest, ConsortiumMember, Report

pytestmark = pytest.mark.django_db

State = ChangeRequest.State


def _world():
    lead, partner = FirmFactory(), FirmFactory()
    agreement = agreed(
        lead=lead,
        partners=[partner],
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        # personnel 10,000,000 + materials 5,000,000 of the grant; personnel cash 2,000,000, in-kind 3,000,000
    )
    people = {
        cr.LEAD: make_user(f"lead{lead.pk}", Role.FIRM_USER, firm=lead),
        "partner": make_user(f"partner{partner.pk}", Role.FIRM_USER, firm=partner),
        cr.CENTRAL: make_user(f"central{lead.pk}", Role.CENTRAL_STAFF),
        "regional": make_user(f"seoul{lead.pk}", Role.REGIONAL_STAFF, federation=lead.federation),
    }
    return agreement, people


GOALS = [(cr.GOALS, {"goals": "새 목표"})]
CONTACTS = [
    (cr.CONTACTS, {"contact_name": "홍길동", "contact_phone": "02-123-4567", "contact_email": "a@b.kr"})
]


def test_the_table_is_what_the_issue_says():
    assert [(t.source, t.action, t.target, t.who) for t in cr.TRANSITIONS] == [
        ("new", "submit_notice", "in_effect", "lead"),
        ("new", "submit_for_approval", "pending", "lead"),
        ("pending", "approve", "approved", "central"),
        ("pending", "reject", "rejected", "central"),
        ("pending", "withdraw", "withdrawn", "lead"),
    ]
    assert {kind: needs for kind, needs in cr.KINDS.items()} == {
        "members": True,
        "goals": True,
        "period": True,
        "budget_transfer": None,
        "contacts": False,
        "account": False,
    }


def _request_in(state: str, agreement, people) -> ChangeRequest | None:
    """A request of `agreement` brought to `state` by the services themselves."""
    if state == cr.NEW:
        return None
    if state == State.IN_EFFECT:
        return services.submit_change(agreement, actor=people[cr.LEAD], reason="연락처", items=CONTACTS)
    request = services.submit_change(agreement, actor=people[cr.LEAD], reason="목표", items=GOALS)
    if state == State.APPROVED:
        services.decide_change(request, actor=people[cr.CENTRAL], approve=True)
    elif state == State.REJECTED:
        services.decide_change(request, actor=people[cr.CENTRAL], approve=False, reason="근거 부족")
    elif state == State.WITHDRAWN:
        services.withdraw_change(request, actor=people[cr.LEAD])
    request.refresh_from_db()
    assert request.state == state
    return request


def _do(action: str, request, agreement, actor):
    if action == cr.SUBMIT_NOTICE:
        return services.submit_change(agreement, actor=actor, reason="연락처", items=CONTACTS)
    if action == cr.SUBMIT_FOR_APPROVAL:
        return services.submit_change(agreement, actor=actor, reason="목표", items=GOALS)
    if action == cr.APPROVE:
        return services.decide_change(request, actor=actor, approve=True)
    if action == cr.REJECT:
        return services.decide_change(request, actor=actor, approve=False, reason="사유")
    return services.withdraw_change(request, actor=actor)


# Submitting makes a new request whatever state the others are in: the `new` actions are tried once.
CASES = [
    (state, action, who)
    for state in cr.STATES
    for action in cr.ACTIONS
    for who in (cr.LEAD, "partner", cr.CENTRAL, "regional")
    if (state == cr.NEW) == (action in (cr.SUBMIT_NOTICE, cr.SUBMIT_FOR_APPROVAL))
]


@pytest.mark.parametrize(("state", "action", "who"), CASES)
def test_every_move_of_every_state_by_every_kind_of_actor(state, action, who):
    agreement, people = _world()
    request = _request_in(state, agreement, people)
    move = cr.find(state, action)
    allowed = move is not None and move.who == who
    if allowed:
        result = _do(action, request, agreement, people[who])
        assert result.state == move.target
        return
    with pytest.raises((PermissionDenied, ValidationError)) as refused:
        _do(action, request, agreement, people[who])
    if move is None:
        assert refused.type is ValidationError
        assert refused.value.messages == [
            f"{ChangeRequest.State(state).label} 상태의 변경 신청에는 할 수 없는 처리입니다."
        ]
    else:
        assert refused.type is PermissionDenied
        assert str(refused.value) == (
            "협약 변경 승인·반려는 중앙회 직원이 합니다."
            if move.who == cr.CENTRAL
            else "협약 변경은 주관기업이 신청합니다."
        )
    if request is not None:
        request.refresh_from_db()
        assert request.state == state


# --- the free margin ---------------------------------------------------------------------------------------
def test_the_free_margin_rule_at_its_boundary():
    percent = Decimal("20")
    assert cr.within_free_margin(2_000_000, 10_000_000, 10_000_000, percent)
    assert not cr.within_free_margin(2_000_001, 10_000_000, 10_000_000, percent)
    # Measured on both categories: the smaller one decides.
    assert cr.within_free_margin(1_000_000, 15_000_000, 5_000_000, percent)
    assert not cr.within_free_margin(1_000_001, 15_000_000, 5_000_000, percent)
    # A category with no budget receives nothing freely; nothing is not a transfer.
    assert not cr.within_free_margin(1, 15_000_000, 0, percent)
    assert not cr.within_free_margin(0, 15_000_000, 15_000_000, percent)


def _transfer(amount: int, source: str = "government_krw", to: str = "materials"):
    return [(cr.BUDGET_TRANSFER, {"from": "personnel", "to": to, "source": source, "amount_krw": amount})]


def test_exactly_the_margin_is_a_notice_and_takes_effect_at_once():
    agreement, people = _world()
    # personnel 15,000,000 in all, materials 5,000,000: 20 % of the smaller is 1,000,000원.
    request = services.submit_change(
        agreement, actor=people[cr.LEAD], reason="재료비 부족", items=_transfer(1_000_000)
    )
    assert request.state == State.IN_EFFECT and not request.needs_approval
    lines = {line.category.code: line for line in agreement.budget_lines.select_related("category")}
    assert lines["personnel"].government_krw == 9_000_000
    assert lines["materials"].government_krw == 6_000_000
    assert request.before["budget_lines"]["materials"]["government_krw"] == 5_000_000
    assert request.after["budget_lines"]["materials"]["government_krw"] == 6_000_000


def test_one_won_over_the_margin_waits_for_approval_and_then_moves_the_money():
    agreement, people = _world()
    request = services.submit_change(
        agreement, actor=people[cr.LEAD], reason="재료비 부족", items=_transfer(1_000_001)
    )
    assert request.state == State.PENDING and request.needs_approval
    assert request.items.get().approval is True
    line = agreement.budget_lines.get(category__code="materials")
    assert line.government_krw == 5_000_000  # nothing moves before the approval
    services.decide_change(request, actor=people[cr.CENTRAL], approve=True)
    totals = {s: sum(getattr(line, s) for line in agreement.budget_lines.all()) for s in cr.SOURCES}
    assert totals == {"government_krw": 15_000_000, "firm_cash_krw": 2_000_000, "firm_inkind_krw": 3_000_000}
    assert agreement.budget_lines.get(category__code="materials").government_krw == 6_000_001


def test_the_call_decides_the_margin(settings):
    agreement, people = _world()
    call = agreement.application.call
    call.free_transfer_percent = Decimal("10")
    call.save(update_fields=["free_transfer_percent"])
    agreement.refresh_from_db()
    assert services.transfer_needs_approval(agreement, _transfer(500_001)[0][1])
    assert not services.transfer_needs_approval(agreement, _transfer(500_000)[0][1])


def test_a_transfer_into_a_new_category_needs_approval_and_creates_its_line():
    agreement, people = _world()
    request = services.submit_change(
        agreement, actor=people[cr.LEAD], reason="장비", items=_transfer(100_000, to="equipment")
    )
    assert request.state == State.PENDING
    services.decide_change(request, actor=people[cr.CENTRAL], approve=True)
    assert agreement.budget_lines.get(category__code="equipment").government_krw == 100_000


def test_a_transfer_beyond_what_the_category_holds_is_refused():
    agreement, people = _world()
    with pytest.raises(ValidationError) as refused:
        services.submit_change(
            agreement, actor=people[cr.LEAD], reason="x", items=_transfer(2_000_001, source="firm_cash_krw")
        )
    assert refused.value.messages == [
        "인건비의 기업부담 현금은(는) 2,000,000원으로, 2,000,001원을 옮길 수 없습니다."
    ]
    assert not ChangeRequest.objects.exists()


# --- what approval does --------------------------------------------------------------------------------
def test_a_period_change_moves_the_dates_and_the_final_reports_due_date():
    agreement, people = _world()
    final = agreement.reports.get(kind=Report.Kind.FINAL)
    assert final.due_on == datetime.date(2027, 1, 30)
    request = services.submit_change(
        agreement,
        actor=people[cr.LEAD],
        reason="시험 일정 지연",
        items=[(cr.PERIOD, {"starts_on": "2026-01-01", "ends_on": "2027-03-31"})],
    )
    agreement.refresh_from_db()
    assert agreement.ends_on == datetime.date(2026, 12, 31)  # waits for staff
    services.decide_change(request, actor=people[cr.CENTRAL], approve=True)
    agreement.refresh_from_db()
    assert agreement.ends_on == datetime.date(2027, 3, 31)
    final.refresh_from_db()
    assert final.due_on == datetime.date(2027, 4, 30)
    request.refresh_from_db()
    assert request.before["ends_on"] == "2026-12-31" and request.after["ends_on"] == "2027-03-31"


def test_a_mixed_request_waits_and_a_rejection_changes_nothing():
    agreement, people = _world()
    request = services.submit_change(
        agreement, actor=people[cr.LEAD], reason="여러 변경", items=[*CONTACTS, *GOALS]
    )
    assert request.state == State.PENDING
    assert [(i.kind, i.approval) for i in request.items.all()] == [("contacts", False), ("goals", True)]
    assert agreement.terms.contact_name == ""  # the notice item waits with the request
    with pytest.raises(ValidationError) as refused:
        services.decide_change(request, actor=people[cr.CENTRAL], approve=False)
    assert refused.value.message_dict == {"reason": ["반려 사유를 입력해 주세요."]}
    services.decide_change(request, actor=people[cr.CENTRAL], approve=False, reason="목표 근거 부족")
    agreement.terms.refresh_from_db()
    assert (agreement.terms.contact_name, agreement.terms.goals) == ("", agreement.application.summary)
    request.refresh_from_db()
    assert (request.state, request.decision_reason) == (State.REJECTED, "목표 근거 부족")


def test_members_change_adds_and_removes_partners_on_approval():
    agreement, people = _world()
    consortium = agreement.application.consortium
    partner = consortium.members.get(role="partner").firm
    newcomer = FirmFactory()
    request = services.submit_change(
        agreement,
        actor=people[cr.LEAD],
        reason="참여기업 교체",
        items=[(cr.MEMBERS, {"add": [newcomer.pk], "remove": [partner.pk]})],
    )
    services.decide_change(request, actor=people[cr.CENTRAL], approve=True)
    states = dict(consortium.members.values_list("firm_id", "state"))
    assert states[newcomer.pk] == ConsortiumMember.State.ACCEPTED
    assert states[partner.pk] == ConsortiumMember.State.DECLINED
    # The newcomer has not confirmed: the agreement is not in force until it does.
    assert [row.member.firm_id for row in services.confirmation_rows(agreement)][-1] == newcomer.pk


def test_the_lead_cannot_be_removed():
    agreement, people = _world()
    with pytest.raises(ValidationError) as refused:
        services.submit_change(
            agreement,
            actor=people[cr.LEAD],
            reason="x",
            items=[(cr.MEMBERS, {"add": [], "remove": [agreement.application.consortium.lead_id]})],
        )
    assert refused.value.messages == ["주관기업은 뺄 수 없습니다."]


def test_history_is_kept_with_audit_rows():
    agreement, people = _world()
    first = services.submit_change(agreement, actor=people[cr.LEAD], reason="연락처", items=CONTACTS)
    second = services.submit_change(agreement, actor=people[cr.LEAD], reason="목표", items=GOALS)
    services.decide_change(second, actor=people[cr.CENTRAL], approve=True)
    assert [r.number for r in agreement.change_requests.all()] == [2, 1]
    assert first.items.get().old_values == {"contact_name": "", "contact_phone": "", "contact_email": ""}
    actions = list(
        AuditLog.objects.filter(object_type="programmes.agreement", object_id=str(agreement.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "programmes.agreement.create",
        "programmes.agreement.change_submit",
        "programmes.agreement.change_submit",
        "programmes.agreement.change_approve",
    ]
