"""Recording the matching funds after the award (입금·지급·집행): the firms' cash deposits, the government's
payments and the members' spending.

Every write locks the agreement's row (`select_for_update`) first, so two payments recorded at once are
checked one after the other against `funds.payment_breach` (never beyond the grant, never before the whole
cash share is deposited); the rule functions are those of `programmes.funds`, the same ones the imports
(`fund_imports`) call. Nothing is recorded on a settled agreement: its settlement froze the figures.

Who records: the consortium's member firms' users (deposits and spending) and central staff (everything,
payments only by them). Regional staff and coordinators read.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_change

from . import funds
from .models import Agreement, ConsortiumMember, CostCategory, Deposit, GovernmentPayment, Spending
from .rules import Breach

# Evidence files (증빙 파일): at most 10 MB, PDF, images or a spreadsheet whose content matches the name.
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG",),
    "xlsx": (b"PK\x03\x04",),
}
MAX_AMOUNT = 10**15  # far beyond any programme, well inside a bigint


def settled_message() -> str:
    return _("정산이 완료된 협약에는 더 이상 기록할 수 없습니다.")


# --- who may do what --------------------------------------------------------------------------------------


def member_firm_ids(agreement: Agreement) -> set[int]:
    """The accepted member firms of the agreement's consortium."""
    return set(
        ConsortiumMember.objects.filter(
            consortium_id=agreement.application.consortium_id, state=ConsortiumMember.State.ACCEPTED
        ).values_list("firm_id", flat=True)
    )


def is_member(user: Any, agreement: Agreement) -> bool:
    firms = scope_of(user).firm_ids
    return bool(firms and firms & member_firm_ids(agreement))


def may_record_member_rows(user: Any, agreement: Agreement) -> bool:
    """Deposits and spending: the consortium's firms' users and central staff (None: the system)."""
    return user is None or scope_of(user).central or is_member(user, agreement)


def may_record_payment(user: Any) -> bool:
    return user is None or scope_of(user).central


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _lock(agreement: Agreement) -> Agreement:
    locked = Agreement.objects.select_for_update().select_related("application__call").get(pk=agreement.pk)
    if locked.status == Agreement.Status.SETTLED:
        raise ValidationError(settled_message(), code="settled")
    return locked


def _amount(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError({field: [_("금액은 0보다 큰 정수(원)여야 합니다.")]}, code="amount")
    if value > MAX_AMOUNT:
        raise ValidationError({field: [_("금액이 너무 큽니다.")]}, code="amount")
    return value


def raise_breach(breach: Breach, field: str | None = None) -> None:
    message = breach.message
    raise ValidationError({field: [message]} if field else message, code=breach.code)


# --- deposits --------------------------------------------------------------------------------------------


def record_deposit(
    agreement: Agreement, *, actor: Any, deposited_on: datetime.date, firm_cash_krw: int, evidence: str = ""
) -> Deposit:
    """The firms' cash share paid into the project account (기업부담금 입금)."""
    if not may_record_member_rows(actor, agreement):
        raise PermissionDenied(_("협력체 참여기업과 중앙회 직원만 입금을 기록할 수 있습니다."))
    _amount(firm_cash_krw, "firm_cash_krw")
    with transaction.atomic():
        locked = _lock(agreement)
        deposit = Deposit.objects.create(
            agreement=locked,
            deposited_on=deposited_on,
            firm_cash_krw=firm_cash_krw,
            evidence=evidence.strip()[:200],
            recorded_by=_actor(actor),
        )
        record_change(
            actor,
            "programmes.deposit.record",
            deposit,
            {"agreement": locked.pk, "deposited_on": deposited_on, "firm_cash_krw": firm_cash_krw},
        )
    return deposit


# --- government payments ---------------------------------------------------------------------------------


def deposits_of(agreement: Agreement) -> list[tuple[datetime.date, int]]:
    return list(agreement.deposits.values_list("deposited_on", "firm_cash_krw"))


def paid_so_far(agreement: Agreement) -> int:
    return int(agreement.payments.aggregate(total=Sum("government_krw"))["total"] or 0)


def payment_breach_now(agreement: Agreement, *, paid_on: datetime.date, amount_krw: int) -> Breach | None:
    """`funds.payment_breach` over the agreement's stored deposits and payments."""
    return funds.payment_breach(
        grant_krw=agreement.government_krw,
        firm_cash_krw=agreement.firm_cash_krw,
        deposits=deposits_of(agreement),
        paid_so_far_krw=paid_so_far(agreement),
        paid_on=paid_on,
        amount_krw=amount_krw,
    )


def record_payment(
    agreement: Agreement, *, actor: Any, paid_on: datetime.date, government_krw: int
) -> GovernmentPayment:
    """A payment of the grant (정부지원금 지급), refused with the rule's message when it breaks one."""
    if not may_record_payment(actor):
        raise PermissionDenied(_("정부지원금 지급은 중앙회 직원만 기록할 수 있습니다."))
    _amount(government_krw, "government_krw")
    with transaction.atomic():
        locked = _lock(agreement)
        breach = payment_breach_now(locked, paid_on=paid_on, amount_krw=government_krw)
        if breach is not None:
            raise_breach(breach)
        payment = GovernmentPayment.objects.create(
            agreement=locked, paid_on=paid_on, government_krw=government_krw, recorded_by=_actor(actor)
        )
        record_change(
            actor,
            "programmes.payment.record",
            payment,
            {"agreement": locked.pk, "paid_on": paid_on, "government_krw": government_krw},
        )
    return payment


# --- spending --------------------------------------------------------------------------------------------


def validate_evidence_file(upload: Any) -> None:
    """Size and type before any work: at most 10 MB, PDF/JPG/PNG/XLSX whose first bytes match the name."""
    if not upload:
        return
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {"evidence_file": [_("증빙 파일은 10MB 이하여야 합니다.")]}, code="evidence_size"
        )
    extension = Path(upload.name or "").suffix.lower().lstrip(".")
    signatures = EVIDENCE_SIGNATURES.get(extension)
    if signatures is None:
        raise ValidationError(
            {"evidence_file": [_("증빙 파일은 PDF, JPG, PNG, XLSX 형식만 올릴 수 있습니다.")]},
            code="evidence_type",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(
            {"evidence_file": [_("파일 내용이 확장자(%(ext)s)와 맞지 않습니다.") % {"ext": extension}]},
            code="evidence_type",
        )


def category_of(agreement: Agreement, category: CostCategory | str) -> CostCategory:
    """A cost category of the agreement's edition, by object, code or Korean name."""
    edition = agreement.application.call.cost_category_edition
    if isinstance(category, CostCategory):
        if category.edition == edition:
            return category
    else:
        text = str(category).strip()
        found = CostCategory.objects.filter(edition=edition, code=text).first()
        found = found or CostCategory.objects.filter(edition=edition, name=text).first()
        if found is not None:
            return found
    raise ValidationError(
        {"category": [_("이 협약의 비목(%(edition)s 기준)이 아닙니다.") % {"edition": edition}]},
        code="category",
    )


def spending_reasons(
    agreement: Agreement, *, spent_on: datetime.date, evidence: str, has_file: bool
) -> list[str]:
    return funds.spending_ineligibility(
        spent_on=spent_on,
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        evidence=bool(evidence.strip()) or has_file,
    )


def record_spending(
    agreement: Agreement,
    *,
    actor: Any,
    category: CostCategory | str,
    spent_on: datetime.date,
    amount_krw: int,
    payee: str,
    evidence: str = "",
    evidence_file: Any = None,
) -> Spending:
    """One spending (집행). Outside the period or without evidence it is kept, with its reason codes."""
    if not may_record_member_rows(actor, agreement):
        raise PermissionDenied(_("협력체 참여기업과 중앙회 직원만 집행 내역을 기록할 수 있습니다."))
    validate_evidence_file(evidence_file)
    _amount(amount_krw, "amount_krw")
    payee = payee.strip()
    if not payee:
        raise ValidationError({"payee": [_("지급처를 입력해 주세요.")]}, code="payee")
    with transaction.atomic():
        locked = _lock(agreement)
        cost_category = category_of(locked, category)
        reasons = spending_reasons(locked, spent_on=spent_on, evidence=evidence, has_file=bool(evidence_file))
        spending = Spending(
            agreement=locked,
            category=cost_category,
            spent_on=spent_on,
            amount_krw=amount_krw,
            payee=payee[:200],
            evidence=evidence.strip()[:200],
            ineligible_reasons=reasons,
            recorded_by=_actor(actor),
        )
        if evidence_file:
            spending.evidence_file.save(Path(evidence_file.name).name, evidence_file, save=False)
        spending.save()
        record_change(
            actor,
            "programmes.spending.record",
            spending,
            {
                "agreement": locked.pk,
                "category": cost_category.code,
                "spent_on": spent_on,
                "amount_krw": amount_krw,
                "ineligible_reasons": reasons,
            },
        )
    return spending
