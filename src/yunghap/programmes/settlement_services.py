"""The settlement (정산) from the database: computed on every read until staff close it, then frozen.

- `live_settlement(agreement)` feeds `programmes.settlement.compute` from the stored rows (3 queries);
- `settlement_rows(agreements)` does the same for many agreements at once, aggregated in the database by
  agreement and category (a fixed number of queries whatever their number): the report and its download;
- `close_settlement` locks the agreement, freezes the figures in a `Settlement` (once: the one-to-one
  column is the constraint behind the lock), sets the agreement `settled` and opens a `Receivable` for a
  recovery above zero; `record_repayment` records what is paid back;
- `run_settlement_reminders` (the scheduled `yunghap remind_settlements`) moves agreements past their end
  to `ended`, reminds the members before the due date and lists the overdue ones. GET never does this.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_bulk_change, record_change
from yunghap.core.messenger import notify
from yunghap.core.versions import bump_version

from . import message_codes, settlement
from .models import (
    Agreement,
    AgreementBudgetLine,
    ConsortiumMember,
    CostCategory,
    GovernmentPayment,
    Receivable,
    Repayment,
    Settlement,
    Spending,
)
from .rules import won

# Reminders go this many days before the settlement's due date: a month to gather the evidence, and a last
# call a week before. Fixed for every call (a schedule of notices, not a rule of the programme).
REMINDER_DAYS = (30, 7)
# A recovery is due this many days after the settlement is closed, unless staff give another date.
RECOVERY_DUE_DAYS = 30
ELIGIBLE = Q(ineligible_reasons=[])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months, on the month's last day when it is shorter (08-31 + 1 → 09-30)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(agreement: Agreement) -> datetime.date:
    """The settlement is due within the call's months (default 3) after the agreement's last day."""
    return add_months(agreement.ends_on, agreement.application.call.settlement_months)


def may_close(user: Any) -> bool:
    return user is None or scope_of(user).central


def may_review(user: Any) -> bool:
    return scope_of(user).staff


# --- computing ------------------------------------------------------------------------------------------


def _category_order() -> dict[str, int]:
    return {code: order for code, order in CostCategory.objects.values_list("code", "sort_order")}


def settlement_rows(agreements: QuerySet[Agreement]) -> list[dict[str, Any]]:
    """One settlement per agreement (`Settlement.as_dict()` with `ref` and `agreement_id`), ordered by ref.

    Five queries for any number of agreements: the agreements, their budget lines, their spending summed by
    (agreement, category, eligible), their payments summed by agreement, the category order."""
    found = list(
        agreements.order_by("application__ref", "pk").values("pk", "government_krw", "application__ref")
    )
    ids = [row["pk"] for row in found]
    if not ids:
        return []
    lines: dict[int, list[settlement.Line]] = defaultdict(list)
    for agreement_id, code, g, c, k in AgreementBudgetLine.objects.filter(agreement_id__in=ids).values_list(
        "agreement_id", "category__code", "government_krw", "firm_cash_krw", "firm_inkind_krw"
    ):
        lines[agreement_id].append(settlement.Line(code, g, c, k))
    spending: dict[int, list[settlement.SpendingRow]] = defaultdict(list)
    sums = (
        Spending.objects.filter(agreement_id__in=ids)
        .values("agreement_id", "category__code")
        .annotate(all_krw=Sum("amount_krw"), eligible_krw=Sum("amount_krw", filter=ELIGIBLE))
        .order_by()
    )
    for sums_row in sums:
        eligible = int(sums_row["eligible_krw"] or 0)
        rest = int(sums_row["all_krw"] or 0) - eligible
        code = sums_row["category__code"]
        if eligible:
            spending[sums_row["agreement_id"]].append(settlement.SpendingRow(code, eligible, True))
        if rest:
            spending[sums_row["agreement_id"]].append(settlement.SpendingRow(code, rest, False))
    paid = dict(
        GovernmentPayment.objects.filter(agreement_id__in=ids)
        .values("agreement_id")
        .annotate(total=Sum("government_krw"))
        .order_by()
        .values_list("agreement_id", "total")
    )
    order = _category_order()
    rows = []
    for row in found:
        pk = row["pk"]
        result = settlement.compute(
            grant_krw=row["government_krw"],
            lines=lines[pk],
            spending=spending[pk],
            government_paid_krw=int(paid.get(pk) or 0),
            category_order=order,
        )
        rows.append({"ref": row["application__ref"], "agreement_id": pk, **result.as_dict()})
    return rows


def live_settlement(agreement: Agreement) -> dict[str, Any]:
    """The agreement's settlement as computed now (GET computes; nothing is stored)."""
    return settlement_rows(Agreement.objects.filter(pk=agreement.pk))[0]


# --- closing --------------------------------------------------------------------------------------------


def closed_message(agreement: Agreement) -> str:
    return _("%(ref)s 협약의 정산은 이미 확정되었습니다.") % {"ref": agreement.application.ref}


def close_settlement(
    agreement: Agreement, *, actor: Any, note: str = "", recovery_due_on: datetime.date | None = None
) -> Settlement:
    """Freeze the computed settlement, once; a recovery above zero opens a receivable (환수금)."""
    if not may_close(actor):
        raise PermissionDenied(_("정산은 중앙회 직원만 확정할 수 있습니다."))
    today = timezone.localdate()
    with transaction.atomic():
        locked = (
            Agreement.objects.select_for_update().select_related("application__call").get(pk=agreement.pk)
        )
        if Settlement.objects.filter(agreement=locked).exists():
            raise ValidationError(closed_message(locked), code="closed")
        if today <= locked.ends_on:
            raise ValidationError(
                _("협약 기간(%(ends)s까지)이 끝난 뒤 정산할 수 있습니다.")
                % {"ends": locked.ends_on.isoformat()},
                code="not_ended",
            )
        figures = live_settlement(locked)
        try:
            with transaction.atomic():
                closed = Settlement.objects.create(
                    agreement=locked,
                    government_krw=figures["government_krw"],
                    government_paid_krw=figures["government_paid_krw"],
                    spent_krw=figures["spent_krw"],
                    eligible_krw=figures["eligible_krw"],
                    government_due_krw=figures["government_due_krw"],
                    recovery_krw=figures["recovery_krw"],
                    figures={k: v for k, v in figures.items() if k != "agreement_id"},
                    note=note.strip()[:1000],
                    closed_by=actor if getattr(actor, "pk", None) else None,
                    closed_at=timezone.now(),
                )
        except IntegrityError:
            raise ValidationError(closed_message(locked), code="closed") from None
        locked.status = Agreement.Status.SETTLED
        bump_version(locked)
        locked.save(update_fields=["status", "version", "updated_at"])
        receivable = None
        if closed.recovery_krw > 0:
            receivable = Receivable.objects.create(
                settlement=closed,
                amount_krw=closed.recovery_krw,
                due_on=recovery_due_on or today + datetime.timedelta(days=RECOVERY_DUE_DAYS),
            )
        record_change(
            actor,
            "programmes.settlement.close",
            closed,
            {
                "agreement": locked.pk,
                "ref": figures["ref"],
                "government_due_krw": closed.government_due_krw,
                "recovery_krw": closed.recovery_krw,
                "receivable": receivable.pk if receivable else None,
            },
        )
        link = reverse("programmes:agreement_funds", kwargs={"pk": locked.pk})
        params = {
            "ref": figures["ref"],
            "title": locked.application.title,
            "due": won(closed.government_due_krw),
            "recovery": won(closed.recovery_krw),
        }
        users = member_users(locked)
        transaction.on_commit(
            lambda: notify(
                users,
                code=message_codes.SETTLEMENT_CLOSED,
                params=params,
                link=link,
                verb="programmes.settlement.closed",
            )
        )
    return closed


def record_repayment(
    receivable: Receivable, *, actor: Any, paid_on: datetime.date, amount_krw: int
) -> Repayment:
    """A repayment of a receivable (환수금 납부); the receivable is paid when nothing is left."""
    if not may_close(actor):
        raise PermissionDenied(_("환수금 납부는 중앙회 직원만 기록할 수 있습니다."))
    if isinstance(amount_krw, bool) or not isinstance(amount_krw, int) or amount_krw <= 0:
        raise ValidationError({"amount_krw": [_("금액은 0보다 큰 정수(원)여야 합니다.")]}, code="amount")
    with transaction.atomic():
        locked = Receivable.objects.select_for_update().get(pk=receivable.pk)
        left = locked.amount_krw - locked.repaid_krw()
        if amount_krw > left:
            raise ValidationError(
                {
                    "amount_krw": [
                        _("남은 환수금 %(left)s원보다 많이 납부할 수 없습니다.") % {"left": f"{left:,}"}
                    ]
                },
                code="over",
            )
        repayment = Repayment.objects.create(
            receivable=locked,
            paid_on=paid_on,
            amount_krw=amount_krw,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        if amount_krw == left:
            locked.status = Receivable.Status.PAID
            locked.save(update_fields=["status", "updated_at"])
        record_change(
            actor,
            "programmes.receivable.repay",
            locked,
            {"paid_on": paid_on, "amount_krw": amount_krw, "status": locked.status},
        )
    return repayment


# --- the schedule -----------------------------------------------------------------------------------------


def member_users(agreement: Agreement) -> list[Any]:
    from yunghap.matching.review import firm_users

    firm_ids = list(
        ConsortiumMember.objects.filter(
            consortium_id=agreement.application.consortium_id, state=ConsortiumMember.State.ACCEPTED
        ).values_list("firm_id", flat=True)
    )
    return list(firm_users(firm_ids))


def awaiting_settlement() -> QuerySet[Agreement]:
    """Agreements whose period is over and whose settlement is not closed."""
    return Agreement.objects.filter(status=Agreement.Status.ENDED, settlement__isnull=True).select_related(
        "application__call", "application__consortium__lead"
    )


def overdue(
    on: datetime.date | None = None, agreements: QuerySet[Agreement] | None = None
) -> list[Agreement]:
    """Agreements past their end (by date, whatever the stored status) not settled by their due date."""
    on = on or timezone.localdate()
    candidates = (
        (agreements if agreements is not None else Agreement.objects.all())
        .filter(ends_on__lt=on, settlement__isnull=True)
        .exclude(status=Agreement.Status.SETTLED)
        .select_related("application__call", "application__consortium__lead")
    )
    found = [agreement for agreement in candidates if due_on(agreement) < on]
    return sorted(found, key=lambda a: (due_on(a), a.application.ref))


def _reminded(code: str, link: str, days: int) -> bool:
    from yunghap.core.models import Notification

    return Notification.objects.filter(code=code, link=link, params__days=days).exists()


def run_settlement_reminders(on: datetime.date | None = None) -> dict[str, Any]:
    """End the agreements past their period, remind members before the due date, list the overdue ones.

    Idempotent: an agreement ends once, and each reminder (30 and 7 days before) goes once."""
    on = on or timezone.localdate()
    counts: dict[str, Any] = {"ended": 0, "reminded": 0, "overdue": []}
    with transaction.atomic():
        ending = list(
            Agreement.objects.select_for_update()
            .filter(status=Agreement.Status.ACTIVE, ends_on__lt=on)
            .values_list("pk", flat=True)
        )
        if ending:
            Agreement.objects.filter(pk__in=ending).update(
                status=Agreement.Status.ENDED, updated_at=timezone.now()
            )
            record_bulk_change(
                None, "programmes.agreement.end", "programmes.agreement", {"ids": ending[:500]}
            )
        counts["ended"] = len(ending)
        for agreement in awaiting_settlement():
            days = (due_on(agreement) - on).days
            if days not in REMINDER_DAYS:
                continue
            link = reverse("programmes:agreement_funds", kwargs={"pk": agreement.pk})
            if _reminded(message_codes.SETTLEMENT_DUE_SOON, link, days):
                continue
            notify(
                member_users(agreement),
                code=message_codes.SETTLEMENT_DUE_SOON,
                params={
                    "ref": agreement.application.ref,
                    "title": agreement.application.title,
                    "due": due_on(agreement).isoformat(),
                    "days": days,
                },
                link=link,
                verb="programmes.settlement.due_soon",
            )
            counts["reminded"] += 1
    counts["overdue"] = [
        {"ref": a.application.ref, "call": a.application.call.code, "due_on": due_on(a).isoformat()}
        for a in overdue(on)
    ]
    return counts


def iter_refs(rows: Iterable[dict[str, Any]]) -> list[str]:
    return [row["ref"] for row in rows]


# --- the report (`yunghap report settlement --call CODE`, and the staff download on the call) --------------

REPORT_KEYS = (
    "ref",
    "government_krw",
    "government_paid_krw",
    "firm_cash_krw",
    "firm_inkind_krw",
    "spent_krw",
    "eligible_krw",
    "government_due_krw",
    "recovery_krw",
    "categories",
)


def call_settlement_rows(call: Any, user: Any = None) -> list[dict[str, Any]]:
    """The settlement of every agreement of the call (that `user` sees; all for the system), keys of the issue."""
    agreements = Agreement.objects.all() if user is None else Agreement.objects.visible_to(user)
    rows = settlement_rows(agreements.filter(application__call=call))
    return [{key: row[key] for key in REPORT_KEYS} for row in rows]


def report_json(call: Any, rows: list[dict[str, Any]]) -> str:
    import json

    return json.dumps({"call": call.code, "agreements": rows}, ensure_ascii=False, indent=2)


def report_table(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """One line per agreement and category (the agreement's figures repeated), the keys as headers."""
    header = [*REPORT_KEYS[:-1], "category", "budget_krw", "category_spent_krw", "category_eligible_krw"]
    lines: list[list[Any]] = []
    for row in rows:
        head = [row[key] for key in REPORT_KEYS[:-1]]
        for category in row["categories"] or [{}]:
            lines.append(
                [
                    *head,
                    category.get("category", ""),
                    category.get("budget_krw", ""),
                    category.get("spent_krw", ""),
                    category.get("eligible_krw", ""),
                ]
            )
    return header, lines


def report_file(call: Any, rows: list[dict[str, Any]], fmt: str) -> bytes:
    import io

    from yunghap.core.spreadsheets import write_table

    header, lines = report_table(rows)
    buffer = io.BytesIO()
    write_table(header, lines, fmt, buffer, sheet_title=f"settlement {call.code}"[:31])
    return buffer.getvalue()
