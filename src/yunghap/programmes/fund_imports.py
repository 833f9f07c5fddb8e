"""`yunghap import budgets|deposits|payments|spending FILE --call CODE`: the post-award money in bulk.

`ref` is the application's reference in its call; only selected applications that have an agreement are
accepted, and nothing is written on a settled agreement. The registry's import rules hold (UTF-8, CP949 or
XLSX; a dry run lists every row's error in Korean; all or nothing). The rules are those of the web forms:
`funds.payment_breach` for payments, `funds.spending_ineligibility` for spending (kept, with reasons).

Re-import changes nothing. The natural keys (docs/decisions.md):
- budgets: (ref, category). A ref's rows are its whole budget: they must add up to the application's
  government, cash and in-kind totals, or the file is refused listing that ref's rows; a stored line
  with other amounts is updated, a stored line the file leaves out is removed.
- deposits (ref, deposited_on, firm_cash_krw), payments (ref, paid_on, government_krw), spending (ref,
  spent_on, category, amount_krw, payee, evidence): money rows have no number of their own, so the n-th
  row of the file with a key matches the n-th stored row with that key; only rows beyond the stored
  count are created. Two equal deposits the same day are two rows of the file.
"""

from __future__ import annotations

import argparse
import datetime
from collections import Counter, defaultdict
from typing import Any

from django import forms
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.core.imports import (
    Column,
    Importer,
    PlanChanged,
    RowError,
    RowPlan,
    RowReader,
    cell_date,
    cell_int,
    cell_text,
    register,
)

from . import funds
from .fund_services import MAX_AMOUNT, payment_breach_now
from .models import (
    Agreement,
    AgreementBudgetLine,
    Call,
    CostCategory,
    Deposit,
    GovernmentPayment,
    Spending,
)

Rows = list[tuple[int, dict[str, Any]]]


def _ref_column() -> Column:
    return Column(
        "ref",
        "접수번호",
        ("신청번호", "접수 번호"),
        help=gettext_lazy("공모 안에서 선정된 신청서의 접수번호 (협약이 있어야 합니다)"),
        format=gettext_lazy("40자 이내"),
        example="2026-001",
    )


def _money_column(key: str, label: str, aliases: tuple[str, ...], help: Any, example: int) -> Column:
    return Column(
        key,
        label,
        aliases,
        help=help,
        format=gettext_lazy("정수(원), 천 단위 쉼표 가능"),
        example=example,
    )


def _money(value: Any) -> int:
    number = cell_int(value, minimum=0)
    if number is not None and number > MAX_AMOUNT:
        raise ValueError(_("값이 너무 큽니다: %(value)s") % {"value": number})
    return number or 0


def _positive(value: Any) -> int:
    number = cell_int(value, minimum=1)
    if number is not None and number > MAX_AMOUNT:
        raise ValueError(_("값이 너무 큽니다: %(value)s") % {"value": number})
    return number or 0


class FundImporter(Importer):
    """What the four kinds share: the `--call` option and the agreements of its selected applications."""

    affects = frozenset()  # the statistics and the matching index do not read post-award money

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--call", help="공모 코드 (필수)")

    @classmethod
    def option_fields(cls) -> dict[str, Any]:
        return {"call": forms.CharField(label=gettext_lazy("공모 코드"), max_length=32)}

    def check_options(self) -> list[RowError]:
        code = cell_text(self.options.get("call"))
        if not code:
            return [RowError(0, "call", _("--call로 공모 코드를 지정해야 합니다."))]
        call = Call.objects.filter(code=code).first()
        if call is None:
            return [RowError(0, "call", _("등록되지 않은 공모 코드입니다: '%(code)s'") % {"code": code})]
        self.call: Call = call
        return []

    def agreements(self) -> dict[str, Agreement]:
        """ref → the agreement of the call's selected application with that ref."""
        return {
            agreement.application.ref: agreement
            for agreement in Agreement.objects.filter(
                application__call=self.call, result__outcome="selected"
            ).select_related("application")
        }

    def dated_amounts(
        self, rows: Rows, errors: list[RowError], day_column: str, amount_column: str
    ) -> list[tuple[RowReader, dict[str, Any]]]:
        """The rows of a deposit or a payment: a ref of the call, a day and a positive amount in won."""
        found = self.agreements()
        read = []
        for number, values in rows:
            reader = RowReader(number, values, errors)
            ref = reader.text("ref", required=True, max_length=40)
            agreement = self.agreement_of(reader, ref, found)
            day = reader.parse(day_column, cell_date, required=True)
            amount = reader.parse(amount_column, _positive, required=True, default=0)
            if reader.ok and agreement is not None:
                read.append((reader, {"ref": ref, "agreement": agreement, "day": day, "amount": amount}))
        return read

    def agreement_of(self, reader: RowReader, ref: str, found: dict[str, Agreement]) -> Agreement | None:
        if not ref:
            return None
        agreement = found.get(ref)
        if agreement is None:
            reader.error(
                "ref",
                _("협약이 없는 접수번호입니다(선정된 신청서만 가능): '%(ref)s'") % {"ref": ref},
            )
            return None
        if agreement.status == Agreement.Status.SETTLED:
            reader.error("ref", _("정산이 완료된 협약입니다: '%(ref)s'") % {"ref": ref})
            return None
        return agreement

    def categories(self) -> dict[str, CostCategory]:
        """Code and Korean name (as written, and lower-cased code) → the call edition's category."""
        found: dict[str, CostCategory] = {}
        for category in CostCategory.objects.filter(edition=self.call.cost_category_edition):
            found[category.code.lower()] = category
            found[category.name] = category
        return found

    def category_of(self, reader: RowReader, cats: dict[str, CostCategory]) -> CostCategory | None:
        text = reader.text("category", required=True, max_length=50)
        if not text:
            return None
        category = cats.get(text) or cats.get(text.lower())
        if category is None:
            reader.error(
                "category", _("알 수 없는 비목입니다: '%(value)s' (비목 코드 또는 비목명)") % {"value": text}
            )
        return category

    @property
    def actor_or_none(self) -> Any:
        return self.actor if getattr(self.actor, "pk", None) else None

    def audit_details(self, plans: list[RowPlan]) -> dict[str, Any]:
        refs = sorted({p.payload["ref"] for p in plans if p.action != "unchanged" and p.payload})
        return {"call": self.call.code, "keys": refs[:200], "keys_truncated": len(refs) > 200}


def _match_stored(keys: list[tuple[Any, ...]], stored: Counter[tuple[Any, ...]]) -> list[bool]:
    """For each key in file order: is it matched by a stored row (the n-th of the file ↔ the n-th stored)?"""
    left = Counter(stored)
    matched = []
    for key in keys:
        if left[key] > 0:
            left[key] -= 1
            matched.append(True)
        else:
            matched.append(False)
    return matched


# --- budgets ------------------------------------------------------------------------------------------------


@register
class BudgetImporter(FundImporter):
    kind = "budgets"
    label = gettext_lazy("협약 비목별 예산")
    columns = [
        _ref_column(),
        Column(
            "category",
            "비목",
            ("비목 코드", "비목명"),
            help=gettext_lazy("비목 코드(personnel 등) 또는 비목명(인건비 등)"),
            example="personnel",
        ),
        _money_column(
            "government_krw", "정부지원금", ("정부지원금(원)",), gettext_lazy("이 비목의 정부지원금"), 7500000
        ),
        _money_column(
            "firm_cash_krw",
            "기업부담 현금",
            ("기업부담 현금(원)", "현금"),
            gettext_lazy("이 비목의 기업부담 현금"),
            2000000,
        ),
        _money_column(
            "firm_inkind_krw",
            "기업부담 현물",
            ("기업부담 현물(원)", "현물"),
            gettext_lazy("이 비목의 기업부담 현물"),
            3000000,
        ),
    ]

    def plan(self, rows: Rows) -> tuple[list[RowPlan], list[RowError]]:
        errors: list[RowError] = []
        found = self.agreements()
        cats = self.categories()
        by_ref: dict[str, list[tuple[RowReader, dict[str, Any]]]] = defaultdict(list)
        seen: dict[tuple[str, str], int] = {}
        for number, values in rows:
            reader = RowReader(number, values, errors)
            ref = reader.text("ref", required=True, max_length=40)
            agreement = self.agreement_of(reader, ref, found)
            category = self.category_of(reader, cats)
            amounts = tuple(
                reader.parse(key, _money, default=0)
                for key in ("government_krw", "firm_cash_krw", "firm_inkind_krw")
            )
            if agreement is not None and category is not None:
                key = (ref, category.code)
                if key in seen:
                    reader.error(
                        "category",
                        _("같은 접수번호·비목의 행이 이미 있습니다(행 %(first)s).") % {"first": seen[key]},
                    )
                else:
                    seen[key] = number
            if reader.ok and agreement is not None and category is not None:
                by_ref[ref].append(
                    (reader, {"ref": ref, "agreement": agreement, "category": category, "amounts": amounts})
                )
        plans: list[RowPlan] = []
        stored: dict[int, dict[str, tuple[int, int, int]]] = defaultdict(dict)
        for agreement_id, code, g, c, k in AgreementBudgetLine.objects.filter(
            agreement__application__call=self.call
        ).values_list("agreement_id", "category__code", "government_krw", "firm_cash_krw", "firm_inkind_krw"):
            stored[agreement_id][code] = (g, c, k)
        for ref, items in by_ref.items():
            application = items[0][1]["agreement"].application
            totals = tuple(sum(item["amounts"][i] for _r, item in items) for i in range(3))
            wanted = (application.government_krw, application.firm_cash_krw, application.firm_inkind_krw)
            if totals != wanted:
                numbers = ", ".join(str(reader.number) for reader, _item in items)
                for reader, _item in items:
                    reader.error(
                        "",
                        _(
                            "접수번호 %(ref)s의 비목 합계(정부 %(g)s원, 현금 %(c)s원, 현물 %(k)s원)가 신청서의 금액"
                            "(정부 %(wg)s원, 현금 %(wc)s원, 현물 %(wk)s원)과 다릅니다(행 %(rows)s)."
                        )
                        % {
                            "ref": ref,
                            "g": f"{totals[0]:,}",
                            "c": f"{totals[1]:,}",
                            "k": f"{totals[2]:,}",
                            "wg": f"{wanted[0]:,}",
                            "wc": f"{wanted[1]:,}",
                            "wk": f"{wanted[2]:,}",
                            "rows": numbers,
                        },
                    )
                continue
            agreement = items[0][1]["agreement"]
            lines = stored.get(agreement.pk, {})
            codes = {item["category"].code for _r, item in items}
            removed = sorted(set(lines) - codes)
            for reader, item in items:
                old = lines.get(item["category"].code)
                payload = {**item, "removed": removed}
                if old is None:
                    plans.append(RowPlan(reader.number, "create", payload))
                elif old == item["amounts"] and not removed:
                    plans.append(RowPlan(reader.number, "unchanged"))
                else:
                    changes = {
                        key: (o, n)
                        for key, o, n in zip(
                            ("government_krw", "firm_cash_krw", "firm_inkind_krw"),
                            old,
                            item["amounts"],
                            strict=True,
                        )
                        if o != n
                    }
                    plans.append(RowPlan(reader.number, "update", payload, changes))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        done: set[int] = set()
        for plan in plans:
            if plan.action == "unchanged":
                continue
            item = plan.payload
            agreement = Agreement.objects.select_for_update().get(pk=item["agreement"].pk)
            if agreement.pk not in done and item["removed"]:
                AgreementBudgetLine.objects.filter(
                    agreement=agreement, category__code__in=item["removed"]
                ).delete()
            done.add(agreement.pk)
            g, c, k = item["amounts"]
            AgreementBudgetLine.objects.update_or_create(
                agreement=agreement,
                category=item["category"],
                defaults={"government_krw": g, "firm_cash_krw": c, "firm_inkind_krw": k},
            )


# --- deposits and payments ----------------------------------------------------------------------------------


@register
class DepositImporter(FundImporter):
    kind = "deposits"
    label = gettext_lazy("기업부담금 입금")
    columns = [
        _ref_column(),
        Column(
            "deposited_on",
            "입금일",
            ("입금 일자",),
            help=gettext_lazy("사업비 계좌에 입금된 날"),
            format="YYYY-MM-DD",
            example="2026-07-15",
        ),
        _money_column(
            "firm_cash_krw",
            "입금액",
            ("입금액(원)", "기업부담 현금"),
            gettext_lazy("입금된 기업부담 현금"),
            2000000,
        ),
    ]

    def plan(self, rows: Rows) -> tuple[list[RowPlan], list[RowError]]:
        errors: list[RowError] = []
        read = self.dated_amounts(rows, errors, "deposited_on", "firm_cash_krw")
        stored = Counter(
            (ref, day, amount)
            for ref, day, amount in Deposit.objects.filter(
                agreement__application__call=self.call
            ).values_list("agreement__application__ref", "deposited_on", "firm_cash_krw")
        )
        keys = [(item["ref"], item["day"], item["amount"]) for _r, item in read]
        plans = [
            RowPlan(reader.number, "unchanged" if matched else "create", None if matched else item)
            for (reader, item), matched in zip(read, _match_stored(keys, stored), strict=True)
        ]
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        for pk in sorted({p.payload["agreement"].pk for p in plans if p.action == "create"}):
            Agreement.objects.select_for_update().get(pk=pk)
        Deposit.objects.bulk_create(
            [
                Deposit(
                    agreement=p.payload["agreement"],
                    deposited_on=p.payload["day"],
                    firm_cash_krw=p.payload["amount"],
                    recorded_by=self.actor_or_none,
                )
                for p in plans
                if p.action == "create"
            ],
            batch_size=2000,
        )


@register
class PaymentImporter(FundImporter):
    kind = "payments"
    label = gettext_lazy("정부지원금 지급")
    columns = [
        _ref_column(),
        Column(
            "paid_on",
            "지급일",
            ("지급 일자",),
            help=gettext_lazy("정부지원금이 지급된 날"),
            format="YYYY-MM-DD",
            example="2026-08-01",
        ),
        _money_column(
            "government_krw",
            "지급액",
            ("지급액(원)", "정부지원금"),
            gettext_lazy("지급된 정부지원금"),
            7500000,
        ),
    ]

    def plan(self, rows: Rows) -> tuple[list[RowPlan], list[RowError]]:
        errors: list[RowError] = []
        read = self.dated_amounts(rows, errors, "paid_on", "government_krw")
        ids = [item["agreement"].pk for _r, item in read]
        deposits: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
        for agreement_id, day, amount in Deposit.objects.filter(agreement_id__in=ids).values_list(
            "agreement_id", "deposited_on", "firm_cash_krw"
        ):
            deposits[agreement_id].append((day, amount))
        paid: dict[int, int] = defaultdict(int)
        for agreement_id, total in (
            GovernmentPayment.objects.filter(agreement_id__in=ids)
            .values("agreement_id")
            .annotate(total=Sum("government_krw"))
            .order_by()
            .values_list("agreement_id", "total")
        ):
            paid[agreement_id] = int(total or 0)
        stored = Counter(
            GovernmentPayment.objects.filter(agreement_id__in=ids).values_list(
                "agreement__application__ref", "paid_on", "government_krw"
            )
        )
        keys = [(item["ref"], item["day"], item["amount"]) for _r, item in read]
        plans = []
        for (reader, item), matched in zip(read, _match_stored(keys, stored), strict=True):
            if matched:
                plans.append(RowPlan(reader.number, "unchanged"))
                continue
            agreement = item["agreement"]
            # The rule of the web form, with the payments so far: stored ones and the earlier rows of the file.
            breach = funds.payment_breach(
                grant_krw=agreement.government_krw,
                firm_cash_krw=agreement.firm_cash_krw,
                deposits=deposits[agreement.pk],
                paid_so_far_krw=paid[agreement.pk],
                paid_on=item["day"],
                amount_krw=item["amount"],
            )
            if breach is not None:
                reader.error("government_krw", f"{item['ref']}: {breach.message}")
                continue
            paid[agreement.pk] += item["amount"]
            plans.append(RowPlan(reader.number, "create", item))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        # The check ran without locks: lock the agreements, then check again against what is stored now.
        created = [p for p in plans if p.action == "create"]
        for pk in sorted({p.payload["agreement"].pk for p in created}):
            Agreement.objects.select_for_update().get(pk=pk)
        for plan in created:
            item = plan.payload
            breach = payment_breach_now(item["agreement"], paid_on=item["day"], amount_krw=item["amount"])
            if breach is not None:
                raise PlanChanged([RowError(plan.row, "government_krw", f"{item['ref']}: {breach.message}")])
            GovernmentPayment.objects.create(
                agreement=item["agreement"],
                paid_on=item["day"],
                government_krw=item["amount"],
                recorded_by=self.actor_or_none,
            )


# --- spending -------------------------------------------------------------------------------------------------


@register
class SpendingImporter(FundImporter):
    kind = "spending"
    label = gettext_lazy("집행 내역")
    columns = [
        _ref_column(),
        Column(
            "spent_on",
            "집행일",
            ("집행 일자",),
            help=gettext_lazy("집행한 날 (협약 기간 밖이면 불인정으로 기록)"),
            format="YYYY-MM-DD",
            example="2026-09-10",
        ),
        Column(
            "category",
            "비목",
            ("비목 코드", "비목명"),
            help=gettext_lazy("비목 코드 또는 비목명"),
            example="materials",
        ),
        _money_column(
            "amount_krw",
            "집행액",
            ("집행액(원)", "금액"),
            gettext_lazy("집행한 금액 (0보다 커야 함)"),
            1200000,
        ),
        Column("payee", "지급처", ("거래처",), help=gettext_lazy("대금을 받은 곳"), example="(주)한빛소재"),
        Column(
            "evidence",
            "증빙",
            ("증빙번호", "증빙 문서번호"),
            help=gettext_lazy("증빙 문서번호 (비우면 증빙 없음: 불인정으로 기록)"),
            example="세금계산서 20260910-001",
        ),
    ]

    def plan(self, rows: Rows) -> tuple[list[RowPlan], list[RowError]]:
        errors: list[RowError] = []
        found = self.agreements()
        cats = self.categories()
        read = []
        for number, values in rows:
            reader = RowReader(number, values, errors)
            ref = reader.text("ref", required=True, max_length=40)
            agreement = self.agreement_of(reader, ref, found)
            day = reader.parse("spent_on", cell_date, required=True)
            category = self.category_of(reader, cats)
            amount = reader.parse("amount_krw", _positive, required=True, default=0)
            payee = reader.text("payee", required=True, max_length=200)
            evidence = reader.text("evidence", max_length=200)
            if reader.ok and agreement is not None and category is not None:
                item = {
                    "ref": ref,
                    "agreement": agreement,
                    "day": day,
                    "category": category,
                    "amount": amount,
                    "payee": payee,
                    "evidence": evidence,
                    "reasons": funds.spending_ineligibility(
                        spent_on=day,
                        starts_on=agreement.starts_on,
                        ends_on=agreement.ends_on,
                        evidence=bool(evidence),
                    ),
                }
                read.append((reader, item))
        ids = sorted({item["agreement"].pk for _r, item in read})
        stored = Counter(
            Spending.objects.filter(agreement_id__in=ids).values_list(
                "agreement__application__ref", "spent_on", "category__code", "amount_krw", "payee", "evidence"
            )
        )
        keys = [
            (item["ref"], item["day"], item["category"].code, item["amount"], item["payee"], item["evidence"])
            for _r, item in read
        ]
        plans = [
            RowPlan(reader.number, "unchanged" if matched else "create", None if matched else item)
            for (reader, item), matched in zip(read, _match_stored(keys, stored), strict=True)
        ]
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        for pk in sorted({p.payload["agreement"].pk for p in plans if p.action == "create"}):
            Agreement.objects.select_for_update().get(pk=pk)
        Spending.objects.bulk_create(
            [
                Spending(
                    agreement=p.payload["agreement"],
                    category=p.payload["category"],
                    spent_on=p.payload["day"],
                    amount_krw=p.payload["amount"],
                    payee=p.payload["payee"],
                    evidence=p.payload["evidence"],
                    ineligible_reasons=p.payload["reasons"],
                    recorded_by=self.actor_or_none,
                )
                for p in plans
                if p.action == "create"
            ],
            batch_size=2000,
        )
