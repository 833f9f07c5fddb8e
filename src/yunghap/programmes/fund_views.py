"""Pages of the matching funds and the settlement (입금·지급·집행·정산).

Thin: the rules are `funds` / `settlement` (through `fund_services` and `settlement_services`); every
fetch goes through `Agreement.objects.visible_to` (404 outside it, 403 for a visible page one may not
use). The funds page computes the live settlement on GET and writes nothing; evidence files are served only
through `spending_evidence`, after the same visibility check, never from MEDIA_URL.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.confirm import confirm_page
from yunghap.core.exports import CONTENT_TYPES
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.core.messages_catalogue import render as render_message
from yunghap.core.params import BadParameter

from . import fund_services, message_codes, settlement_services
from .fund_forms import DepositForm, PaymentForm, RepaymentForm, SettlementCloseForm, SpendingForm
from .models import Agreement, Call, ConsortiumMember, CostCategory, Receivable, Settlement, Spending


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related(
            "application__call", "application__consortium__lead"
        ),
        pk=pk,
    )


def reason_texts(spending: Spending, agreement: Agreement) -> list[str]:
    params = {"starts": agreement.starts_on.isoformat(), "ends": agreement.ends_on.isoformat()}
    return [
        render_message(message_codes.rule_message_code(f"funds.{code}"), params, fallback=code)
        for code in spending.ineligible_reasons
    ]


def _funds_page(
    request: HttpRequest,
    agreement: Agreement,
    *,
    deposit_form: DepositForm | None = None,
    payment_form: PaymentForm | None = None,
    spending_form: SpendingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    open_for_records = agreement.status != Agreement.Status.SETTLED
    may_member = open_for_records and fund_services.may_record_member_rows(user, agreement)
    may_pay = open_for_records and fund_services.may_record_payment(user)
    edition = agreement.application.call.cost_category_edition
    if may_member:
        deposit_form = deposit_form or DepositForm()
        spending_form = spending_form or SpendingForm(edition=edition)
    if may_pay:
        payment_form = payment_form or PaymentForm()
    names = {c.code: c.display_name for c in CostCategory.objects.filter(edition=edition)}
    figures = settlement_services.live_settlement(agreement)
    categories = [
        {**row, "name": names.get(row["category"], row["category"])} for row in figures["categories"]
    ]
    spending = [
        {"row": row, "reasons": reason_texts(row, agreement)}
        for row in agreement.spending.select_related("category").order_by("spent_on", "id")
    ]
    members = ConsortiumMember.objects.filter(
        consortium_id=agreement.application.consortium_id, state=ConsortiumMember.State.ACCEPTED
    ).select_related("firm")
    closed = Settlement.objects.filter(agreement=agreement).first()
    return render(
        request,
        "programmes/funds_agreement.html",
        {
            "agreement": agreement,
            "application": agreement.application,
            "members": list(members),
            "deposits": list(agreement.deposits.order_by("deposited_on", "id")),
            "payments": list(agreement.payments.order_by("paid_on", "id")),
            "spending": spending,
            "figures": figures,
            "categories": categories,
            "due_on": settlement_services.due_on(agreement),
            "closed": closed,
            "deposit_form": deposit_form if may_member else None,
            "spending_form": spending_form if may_member else None,
            "payment_form": payment_form if may_pay else None,
            "staff": scope_of(user).staff,
        },
        status=status,
    )


@login_required
@require_GET
def agreement_funds(request: HttpRequest, pk: int) -> HttpResponse:
    return _funds_page(request, _agreement(request, pk))


def _record(
    request: HttpRequest,
    pk: int,
    form_class: Any,
    form_key: str,
    allowed: Any,
    action: Any,
    done: str,
) -> HttpResponse:
    """POST one record from the funds page; an invalid form is shown again on the page (200)."""
    agreement = _agreement(request, pk)
    if not allowed(request.user, agreement):
        raise PermissionDenied(_("이 협약의 자금 내역을 기록할 권한이 없습니다."))
    url = reverse("programmes:agreement_funds", kwargs={"pk": agreement.pk})
    kwargs: dict[str, Any] = {}
    if form_class is SpendingForm:
        kwargs["edition"] = agreement.application.call.cost_category_edition
    form = form_class(request.POST, request.FILES, **kwargs)
    if form.is_valid():
        try:
            onetime.submit_once(request, form, lambda: action(agreement, form.cleaned_data), result_url=url)
        except onetime.AlreadySubmitted as already:
            return already.response(request, url)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(url)
    return _funds_page(request, agreement, **{form_key: form}, status=INVALID_FORM_STATUS)


@login_required
@require_POST
def fund_deposit_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        DepositForm,
        "deposit_form",
        fund_services.may_record_member_rows,
        lambda agreement, data: fund_services.record_deposit(agreement, actor=request.user, **data),
        _("입금을 기록했습니다."),
    )


@login_required
@require_POST
def fund_payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        PaymentForm,
        "payment_form",
        lambda user, agreement: fund_services.may_record_payment(user),
        lambda agreement, data: fund_services.record_payment(agreement, actor=request.user, **data),
        _("정부지원금 지급을 기록했습니다."),
    )


@login_required
@require_POST
def fund_spending_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        SpendingForm,
        "spending_form",
        fund_services.may_record_member_rows,
        lambda agreement, data: fund_services.record_spending(agreement, actor=request.user, **data),
        _("집행 내역을 기록했습니다."),
    )


@login_required
@require_GET
def spending_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file of a spending row, to those who see its agreement (404 otherwise)."""
    spending = get_object_or_404(
        Spending.objects.filter(agreement__in=Agreement.objects.visible_to(request.user)), pk=pk
    )
    if not spending.evidence_file:
        raise Http404
    try:
        handle = spending.evidence_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = (spending.evidence_file.name or "").rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


# --- settlement (staff) -------------------------------------------------------------------------------------


def _staff_agreement(request: HttpRequest, pk: int) -> Agreement:
    agreement = _agreement(request, pk)
    if not settlement_services.may_review(request.user):
        raise PermissionDenied(_("정산 검토는 연합회 직원이 합니다."))
    return agreement


@login_required
@require_GET
def settlement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _staff_agreement(request, pk)
    closed = Settlement.objects.filter(agreement=agreement).select_related("closed_by").first()
    figures = closed.figures if closed else settlement_services.live_settlement(agreement)
    edition = agreement.application.call.cost_category_edition
    names = {c.code: c.display_name for c in CostCategory.objects.filter(edition=edition)}
    receivable = Receivable.objects.filter(settlement=closed).first() if closed else None
    return render(
        request,
        "programmes/settlement_detail.html",
        {
            "agreement": agreement,
            "application": agreement.application,
            "figures": figures,
            "categories": [
                {**row, "name": names.get(row["category"], row["category"])} for row in figures["categories"]
            ],
            "closed": closed,
            "receivable": receivable,
            "due_on": settlement_services.due_on(agreement),
            "ended": timezone.localdate() > agreement.ends_on,
            "may_close": scope_of(request.user).central and closed is None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def settlement_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the settlement: GET asks first (with the figures), POST with its token closes it once."""
    agreement = _staff_agreement(request, pk)
    if not settlement_services.may_close(request.user):
        raise PermissionDenied(_("정산은 중앙회 직원만 확정할 수 있습니다."))
    detail_url = reverse("programmes:settlement_detail", kwargs={"pk": agreement.pk})
    form = SettlementCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request,
                form,
                lambda: settlement_services.close_settlement(
                    agreement, actor=request.user, note=form.cleaned_data["note"]
                ),
                result_url=detail_url,
            )
        except onetime.AlreadySubmitted as already:
            return already.response(request, detail_url)
        except ValidationError as exc:
            (messages.info if getattr(exc, "code", "") == "closed" else messages.error)(
                request, " ".join(exc.messages)
            )
            return redirect(detail_url)
        messages.success(request, _("정산을 확정했습니다."))
        return redirect(detail_url)
    closed = Settlement.objects.filter(agreement=agreement).exists()
    ended = timezone.localdate() > agreement.ends_on
    if closed:
        summary = [settlement_services.closed_message(agreement)]
    elif not ended:
        summary = [
            _("협약 기간(%(ends)s까지)이 끝난 뒤 정산할 수 있습니다.")
            % {"ends": agreement.ends_on.isoformat()}
        ]
    else:
        figures = settlement_services.live_settlement(agreement)
        summary = [
            _("%(ref)s 협약의 정산을 지금의 기록으로 확정합니다.") % {"ref": agreement.application.ref},
            _("인정 집행액 %(eligible)s원, 정부지원금 인정액 %(due)s원, 지급액 %(paid)s원.")
            % {
                "eligible": f"{figures['eligible_krw']:,}",
                "due": f"{figures['government_due_krw']:,}",
                "paid": f"{figures['government_paid_krw']:,}",
            },
            _("환수액 %(recovery)s원.") % {"recovery": f"{figures['recovery_krw']:,}"},
            _(
                "확정하면 협약은 정산 완료가 되어 더 이상 입금·지급·집행을 기록할 수 없고, 환수액이 있으면 환수금으로 관리됩니다."
            ),
        ]
    return confirm_page(
        request,
        form,
        title=_("정산 확정"),
        summary=summary,
        action_label=_("정산 확정"),
        cancel_url=detail_url,
        allowed=not closed and ended,
        crumbs=[(str(agreement.application.ref), detail_url)],
    )


def _staff(request: HttpRequest) -> None:
    if not scope_of(request.user).staff:
        raise PermissionDenied(_("연합회 직원만 볼 수 있습니다."))


@login_required
@require_GET
def settlement_overdue(request: HttpRequest) -> HttpResponse:
    """Settlements past their due date (computed now from the dates; the scheduled command notifies)."""
    _staff(request)
    today = timezone.localdate()
    rows = [
        {
            "agreement": a,
            "due_on": settlement_services.due_on(a),
            "days": (today - settlement_services.due_on(a)).days,
        }
        for a in settlement_services.overdue(today, Agreement.objects.visible_to(request.user))
    ]
    return render(request, "programmes/settlement_overdue.html", {"rows": rows, "today": today})


@login_required
@require_GET
def receivable_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    visible = Agreement.objects.visible_to(request.user)
    receivables = (
        Receivable.objects.filter(settlement__agreement__in=visible)
        .select_related("settlement__agreement__application__call")
        .prefetch_related("repayments")
        .order_by("status", "due_on", "id")
    )
    rows = []
    for receivable in receivables:
        repaid = sum(r.amount_krw for r in receivable.repayments.all())
        rows.append({"receivable": receivable, "repaid": repaid, "left": receivable.amount_krw - repaid})
    return render(
        request,
        "programmes/settlement_receivables.html",
        {"rows": rows, "central": scope_of(request.user).central},
    )


@login_required
@require_http_methods(["GET", "POST"])
def receivable_repay(request: HttpRequest, pk: int) -> HttpResponse:
    visible = Agreement.objects.visible_to(request.user)
    receivable = get_object_or_404(
        Receivable.objects.filter(settlement__agreement__in=visible).select_related(
            "settlement__agreement__application"
        ),
        pk=pk,
    )
    if not scope_of(request.user).central:
        raise PermissionDenied(_("환수금 납부는 중앙회 직원만 기록할 수 있습니다."))
    url = reverse("programmes:receivable_list")
    status = 200
    if request.method == "POST":
        form = RepaymentForm(request.POST)
        if form.is_valid():
            try:
                onetime.submit_once(
                    request,
                    form,
                    lambda: settlement_services.record_repayment(
                        receivable, actor=request.user, **form.cleaned_data
                    ),
                    result_url=url,
                )
            except onetime.AlreadySubmitted as already:
                return already.response(request, url)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("환수금 납부를 기록했습니다."))
                return redirect(url)
        status = INVALID_FORM_STATUS
    else:
        form = RepaymentForm()
    repaid = receivable.repaid_krw()
    return render(
        request,
        "programmes/settlement_repay.html",
        {"receivable": receivable, "form": form, "repaid": repaid, "left": receivable.amount_krw - repaid},
        status=status,
    )


@login_required
@require_GET
def call_settlement_download(request: HttpRequest, code: str) -> HttpResponse:
    """The call's settlement report for staff (XLSX or CSV; the same rows as `yunghap report settlement`)."""
    call = get_object_or_404(Call.objects.visible_to(request.user), code=code)
    _staff(request)
    fmt = str(request.GET.get("format") or "xlsx").strip()
    if fmt not in CONTENT_TYPES:
        raise BadParameter(_("내려받기 형식은 xlsx 또는 csv입니다: '%(value)s'") % {"value": fmt})
    rows = settlement_services.call_settlement_rows(call, request.user)
    response = HttpResponse(settlement_services.report_file(call, rows, fmt), content_type=CONTENT_TYPES[fmt])
    name = f"settlement-{call.code}-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
