"""Pages of agreements (협약): the list and the agreement page (everyone who sees it), the bulk creation on a
decided call (central staff), the member firms' confirmation, milestones (lead firm, central staff) and
change requests (lead firm requests, central staff decide).

Thin: the rules are `agreement_services` and `change_requests`; agreements are fetched only through
`Agreement.objects.visible_to` (404 outside it, 403 for a visible agreement one may not change).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.confirm import ConfirmForm, confirm_page
from yunghap.core.versions import StaleEdit

from . import agreement_services as services
from . import change_requests as cr
from .agreement_forms import ChangeRequestForm, DecideForm, MilestoneForm, PaymentPlanForm
from .models import Agreement, AgreementTerms, Call, ChangeRequest, CostCategory, Milestone, SelectionDecision


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related(
            "application__call", "application__consortium__lead", "result"
        ),
        pk=pk,
    )


def _change_request(request: HttpRequest, pk: int) -> ChangeRequest:
    return get_object_or_404(
        ChangeRequest.objects.filter(agreement__in=Agreement.objects.visible_to(request.user)).select_related(
            "agreement__application__call", "agreement__application__consortium", "requested_by", "decided_by"
        ),
        pk=pk,
    )


def _detail_url(agreement: Agreement) -> str:
    return reverse("programmes:agreement_detail", kwargs={"pk": agreement.pk})


def _crumbs(agreement: Agreement | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("협약"), reverse("programmes:agreement_list"))]
    if agreement is not None:
        crumbs.append((agreement.application.title, _detail_url(agreement)))
    return crumbs


@login_required
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    """The agreements the reader sees, by call; `?call=CODE` keeps one call."""
    agreements = Agreement.objects.visible_to(request.user).select_related(
        "application__call", "application__consortium__lead"
    )
    code = request.GET.get("call", "").strip()[:32]
    if code:
        agreements = agreements.filter(application__call__code=code)
    page = Paginator(agreements.order_by("-starts_on", "application__ref"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "programmes/agreement_list.html",
        {
            "page_obj": page,
            "agreements": page.object_list,
            "call_code": code,
            "central": scope_of(request.user).central,
        },
    )


def _budget(agreement: Agreement) -> dict[str, Any]:
    rows = []
    totals = {s: 0 for s in cr.SOURCES}
    for line in agreement.budget_lines.select_related("category").order_by("category__sort_order"):
        rows.append(line)
        for s in cr.SOURCES:
            totals[s] += getattr(line, s)
    return {"rows": rows, "totals": totals, "total": sum(totals.values())}


@login_required
@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    scope = scope_of(request.user)
    confirmations = services.confirmation_rows(agreement)
    own = services.member_firm_ids(agreement, request.user)
    to_confirm = [row for row in confirmations if row.member.firm_id in own and row.confirmation is None]
    requests = list(
        agreement.change_requests.select_related("requested_by", "decided_by")
        .prefetch_related("items")
        .order_by("-number")
    )
    is_lead = services.is_lead_user(agreement, request.user)
    return render(
        request,
        "programmes/agreement_detail.html",
        {
            "agreement": agreement,
            "application": agreement.application,
            "terms": AgreementTerms.objects.filter(agreement=agreement).first(),
            "budget": _budget(agreement),
            "lines_missing": services.budget_lines_missing(agreement),
            "instalments": list(agreement.instalments.all()),
            "instalments_total": sum(i.government_krw for i in agreement.instalments.all()),
            "milestones": list(agreement.milestones.all()),
            "reports": list(agreement.reports.order_by("due_on", "kind", "seq")),
            "confirmations": confirmations,
            "in_force": bool(confirmations) and all(row.confirmation for row in confirmations),
            "can_confirm": bool(to_confirm) and agreement.status == Agreement.Status.ACTIVE,
            "can_keep_milestones": scope.central or is_lead,
            "central": scope.central,
            "can_request_change": is_lead and agreement.status == Agreement.Status.ACTIVE,
            "change_requests": requests,
            "kind_labels": cr.KIND_LABELS,
            "crumbs": _crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_agreements_create(request: HttpRequest, code: str) -> HttpResponse:
    """협약 체결: the agreements of every selected application of a decided call that has none. Asks first."""
    call = get_object_or_404(Call.objects.visible_to(request.user), code=code)
    if not services.can_manage(request.user):
        raise PermissionDenied(_("협약은 중앙회 직원만 체결할 수 있습니다."))
    done_url = reverse("programmes:agreement_list") + f"?call={call.code}"
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            made = onetime.submit_once(
                request,
                form,
                lambda: services.create_agreements(call, actor=request.user),
                result_url=done_url,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, done_url)
        messages.success(request, _("협약 %(n)s건을 체결했습니다.") % {"n": len(made)})
        return redirect(done_url)
    decided = SelectionDecision.objects.filter(call=call).exists()
    pending = list(services.pending_results(call).select_related("application"))
    missing = sum(1 for result in pending if not result.application.budget_lines.exists())
    if not decided:
        summary = [_("%(call)s 공모의 선정 결과가 아직 확정되지 않았습니다.") % {"call": call.code}]
    elif not pending:
        summary = [_("협약을 체결할 선정 신청서가 없습니다(모두 협약을 체결했습니다).")]
    else:
        summary = [
            _("%(call)s 공모의 선정 신청서 중 협약이 없는 %(n)s건의 협약을 체결합니다.")
            % {"call": call, "n": len(pending)},
            _(
                "협약 기간은 신청서의 사업 기간(없으면 체결일부터 %(months)s개월), 금액과 비목별 예산은 신청서의 것을 그대로 씁니다."
            )
            % {"months": call.agreement_months},
            _(
                "중간보고 %(interim)s회와 최종보고(종료 후 %(days)s일 이내), 정부지원금 %(instalments)s회 지급 계획을 함께 만듭니다."
            )
            % {
                "interim": call.interim_reports,
                "days": call.final_report_days,
                "instalments": call.payment_instalments,
            },
        ]
        if missing:
            summary.append(
                _(
                    "그중 %(n)s건은 신청서에 비목별 예산이 없어, 협약의 비목별 예산은 `yunghap import budgets`로 등록해야 합니다."
                )
                % {"n": missing}
            )
        summary.append(_("참여기업은 협약 내용을 확인해야 하며, 모든 참여기업이 확인하면 협약이 발효됩니다."))
    return confirm_page(
        request,
        form,
        title=_("협약 체결"),
        summary=summary,
        action_label=_("협약 %(n)s건 체결") % {"n": len(pending)},
        cancel_url=reverse("programmes:call_detail", kwargs={"code": call.code}),
        danger=False,
        allowed=decided and bool(pending),
        crumbs=[(str(call), reverse("programmes:call_detail", kwargs={"code": call.code}))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """A member firm's confirmation: GET asks first, POST (with its token) confirms, once."""
    agreement = _agreement(request, pk)
    firms = services.member_firm_ids(agreement, request.user)
    if not firms:
        raise PermissionDenied(_("협약은 협력체 참여기업의 사용자가 확인합니다."))
    url = _detail_url(agreement)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request,
                form,
                lambda: services.confirm_agreement(agreement, actor=request.user),
                result_url=url,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, url)
        except ValidationError as exc:
            messages.info(request, " ".join(exc.messages))
            return redirect(url)
        messages.success(request, _("협약을 확인했습니다."))
        return redirect(url)
    confirmed = {row.member.firm_id for row in services.confirmation_rows(agreement) if row.confirmation}
    todo = [f for f in firms if f not in confirmed]
    allowed = bool(todo) and agreement.status == Agreement.Status.ACTIVE
    if not todo:
        summary = [_("이미 협약을 확인했습니다.")]
    elif not allowed:
        summary = [_("수행 중인 협약만 확인할 수 있습니다.")]
    else:
        summary = [
            _("%(title)s 협약(%(starts)s ~ %(ends)s, 정부지원금 %(grant)s원)의 내용을 확인합니다.")
            % {
                "title": agreement.application.title,
                "starts": agreement.starts_on.isoformat(),
                "ends": agreement.ends_on.isoformat(),
                "grant": f"{agreement.government_krw:,}",
            },
            _(
                "확인은 기업을 대표해 한 번만 하며, 취소할 수 없습니다. 모든 참여기업이 확인하면 협약이 발효됩니다."
            ),
        ]
    return confirm_page(
        request,
        form,
        title=_("협약 확인"),
        summary=summary,
        action_label=_("협약 내용 확인"),
        cancel_url=url,
        danger=False,
        allowed=allowed,
        crumbs=_crumbs(agreement),
    )


def _keeper(request: HttpRequest, agreement: Agreement) -> None:
    if not services.can_keep_milestones(agreement, request.user):
        raise PermissionDenied(_("단계별 목표는 주관기업과 중앙회 직원이 관리합니다."))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    _keeper(request, agreement)
    url = _detail_url(agreement)
    form = MilestoneForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request,
                form,
                lambda: services.add_milestone(agreement, actor=request.user, **form.cleaned_data),
                result_url=url,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, url)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("단계별 목표를 추가했습니다."))
            return redirect(url)
    return render(
        request,
        "programmes/agreement_milestone_form.html",
        {"agreement": agreement, "form": form, "crumbs": _crumbs(agreement)},
    )


@login_required
@require_POST
def agreement_milestone_done(request: HttpRequest, pk: int, milestone: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    item = get_object_or_404(Milestone.objects.filter(agreement=agreement), pk=milestone)
    _keeper(request, agreement)
    done = request.POST.get("done", "1") != "0"
    services.set_milestone_done(item, actor=request.user, done=done)
    messages.success(request, _("완료로 표시했습니다.") if done else _("완료 표시를 취소했습니다."))
    return redirect(_detail_url(agreement))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_change_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A change request of the lead firm: the form starts from the agreement as it is."""
    agreement = _agreement(request, pk)
    if not services.is_lead_user(agreement, request.user):
        raise PermissionDenied(_("협약 변경은 주관기업이 신청합니다."))
    if agreement.status != Agreement.Status.ACTIVE:
        raise PermissionDenied(_("수행 중인 협약만 변경을 신청할 수 있습니다."))
    form = ChangeRequestForm(request.POST if request.method == "POST" else None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            made = onetime.submit_once(
                request,
                form,
                lambda: services.submit_change(
                    agreement, actor=request.user, reason=form.cleaned_data["reason"], items=form.items
                ),
                result_url=lambda r: reverse("programmes:agreement_change_detail", kwargs={"pk": r.pk}),
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, _detail_url(agreement))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if made.state == ChangeRequest.State.IN_EFFECT:
                messages.success(request, _("통보 사항이라 변경 내용을 바로 반영했습니다."))
            else:
                messages.success(request, _("변경 신청을 접수했습니다. 중앙회 승인 후 반영됩니다."))
            return redirect("programmes:agreement_change_detail", pk=made.pk)
    lines = {line.category.code: line for line in agreement.budget_lines.select_related("category")}
    return render(
        request,
        "programmes/agreement_change_form.html",
        {
            "agreement": agreement,
            "form": form,
            "lines": [
                lines[c.code]
                for c in CostCategory.objects.filter(edition=agreement.application.call.cost_category_edition)
                if c.code in lines
            ],
            "percent": agreement.application.call.free_transfer_percent,
            "crumbs": _crumbs(agreement),
        },
    )


def _won(value: Any) -> str:
    return _("%(amount)s원") % {"amount": f"{int(value or 0):,}"}


def _item_lines(
    kind: str, old: dict[str, Any], new: dict[str, Any], edition: str
) -> list[tuple[str, str, str]]:
    """(what, before, after) in words, for the page: the stored values are codes and ids."""
    if kind == cr.PERIOD:
        return [
            (_("협약 시작일"), old.get("starts_on", ""), new.get("starts_on", "")),
            (_("협약 종료일"), old.get("ends_on", ""), new.get("ends_on", "")),
        ]
    if kind in (cr.GOALS, cr.CONTACTS, cr.ACCOUNT):
        names = {cr.GOALS: ("goals",), cr.CONTACTS: cr.CONTACT_FIELDS, cr.ACCOUNT: cr.ACCOUNT_FIELDS}[kind]
        return [
            (
                str(getattr(AgreementTerms._meta.get_field(n), "verbose_name", n)),
                str(old.get(n, "")),
                str(new.get(n, "")),
            )
            for n in names
        ]
    if kind == cr.MEMBERS:
        from yunghap.network.models import Firm

        ids = [int(f) for f in [*new.get("add", []), *new.get("remove", [])]]
        names_of = dict(Firm.objects.filter(pk__in=ids).values_list("pk", "name"))
        added = ", ".join(names_of.get(int(f), "") for f in new.get("add", []))
        removed = ", ".join(names_of.get(int(f), "") for f in new.get("remove", []))
        return [line for line in ((_("추가"), "", added), (_("제외"), removed, "")) if line[1] or line[2]]
    if kind == cr.BUDGET_TRANSFER:
        labels = dict(CostCategory.objects.filter(edition=edition).values_list("code", "name"))
        source, amount = new.get("source", ""), int(new.get("amount_krw", 0))
        giving = int((old.get("from") or {}).get(source, 0))
        receiving = int((old.get("to") or {}).get(source, 0))
        what = str(cr.SOURCE_LABELS.get(source, source))
        return [
            (f"{labels.get(new.get('from', ''), '')} · {what}", _won(giving), _won(giving - amount)),
            (f"{labels.get(new.get('to', ''), '')} · {what}", _won(receiving), _won(receiving + amount)),
        ]
    return [(key, str(old.get(key, "")), str(value)) for key, value in new.items()]


def _item_rows(request_: ChangeRequest) -> list[dict[str, Any]]:
    edition = request_.agreement.application.call.cost_category_edition
    return [
        {
            "kind": item.kind,
            "label": cr.KIND_LABELS.get(item.kind, item.kind),
            "approval": item.approval,
            "lines": _item_lines(item.kind, item.old_values, item.values, edition),
        }
        for item in request_.items.all()
    ]


@login_required
@require_GET
def agreement_change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = _change_request(request, pk)
    agreement = change.agreement
    roles = services.roles_of(agreement, request.user)
    pending = change.state == ChangeRequest.State.PENDING
    return render(
        request,
        "programmes/agreement_change_detail.html",
        {
            "change": change,
            "agreement": agreement,
            "items": _item_rows(change),
            "can_decide": pending and cr.CENTRAL in roles,
            "can_withdraw": pending and cr.LEAD in roles,
            "crumbs": _crumbs(agreement),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Central staff approve (the changes apply) or reject (with a reason) a pending request."""
    change = _change_request(request, pk)
    agreement = change.agreement
    if cr.CENTRAL not in services.roles_of(agreement, request.user):
        raise PermissionDenied(_("협약 변경 승인·반려는 중앙회 직원이 합니다."))
    url = reverse("programmes:agreement_change_detail", kwargs={"pk": change.pk})
    form = DecideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            onetime.submit_once(
                request,
                form,
                lambda: services.decide_change(
                    change, actor=request.user, approve=approve, reason=form.cleaned_data["reason"]
                ),
                result_url=url,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, url)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(url)
        messages.success(
            request, _("변경 신청을 승인해 반영했습니다.") if approve else _("변경 신청을 반려했습니다.")
        )
        return redirect(url)
    pending = change.state == ChangeRequest.State.PENDING
    summary = (
        [
            _("%(ref)s 협약의 %(number)s차 변경 신청을 처리합니다.")
            % {"ref": agreement.application.ref, "number": change.number},
            *[
                f"{row['label']}{' (' + _('승인 대상') + ')' if row['approval'] else ''}"
                for row in _item_rows(change)
            ],
            _("승인하면 모든 변경 항목이 협약에 반영되고, 반려하면 아무것도 바뀌지 않습니다."),
        ]
        if pending
        else [_("%(state)s 상태의 변경 신청은 처리할 수 없습니다.") % {"state": change.get_state_display()}]
    )
    return confirm_page(
        request,
        form,
        title=_("협약 변경 승인·반려"),
        summary=summary,
        action_label=_("처리"),
        cancel_url=url,
        allowed=pending,
        crumbs=_crumbs(agreement),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_change_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    change = _change_request(request, pk)
    agreement = change.agreement
    if cr.LEAD not in services.roles_of(agreement, request.user):
        raise PermissionDenied(_("변경 신청은 신청한 주관기업이 철회합니다."))
    url = reverse("programmes:agreement_change_detail", kwargs={"pk": change.pk})
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request, form, lambda: services.withdraw_change(change, actor=request.user), result_url=url
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, url)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(url)
        messages.success(request, _("변경 신청을 철회했습니다."))
        return redirect(url)
    pending = change.state == ChangeRequest.State.PENDING
    return confirm_page(
        request,
        form,
        title=_("변경 신청 철회"),
        summary=[
            _("%(number)s차 변경 신청을 철회합니다. 철회한 신청은 되돌릴 수 없습니다.")
            % {"number": change.number}
        ]
        if pending
        else [_("%(state)s 상태의 변경 신청은 철회할 수 없습니다.") % {"state": change.get_state_display()}],
        action_label=_("철회"),
        cancel_url=url,
        allowed=pending,
        crumbs=_crumbs(agreement),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_payment_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Central staff set the payment plan: instalments adding up to the grant (version-checked)."""
    agreement = _agreement(request, pk)
    if not services.can_manage(request.user):
        raise PermissionDenied(_("지급 계획은 중앙회 직원이 정합니다."))
    form = PaymentPlanForm(request.POST if request.method == "POST" else None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_payment_plan(
                agreement, actor=request.user, rows=form.rows, expected_version=form.expected_version
            )
        except StaleEdit as stale:
            form.show_conflict(stale)
            form.add_error(None, stale)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("지급 계획을 저장했습니다."))
            return redirect(_detail_url(agreement))
    return render(
        request,
        "programmes/agreement_payment_plan.html",
        {"agreement": agreement, "form": form, "crumbs": _crumbs(agreement)},
    )
