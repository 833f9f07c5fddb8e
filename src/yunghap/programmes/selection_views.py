"""Pages of the selection (선정): the proposal and its confirmation (central staff), the decision record
(federation staff) and an applicant's own result (its consortium's firms, after the decision).

Thin: the rule is `selection`, the record `selection_services`; visibility from `Call.objects.visible_to`
and `Application.objects.visible_to` (404 outside them, 403 for a visible page one may not use).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.confirm import ConfirmForm, confirm_page
from yunghap.core.messages_catalogue import render as render_message
from yunghap.core.spreadsheets import write_table

from . import message_codes, selection
from .models import Application, Call, ConsortiumMember, SelectionDecision, SelectionResult
from .rules import Breach
from .selection_services import already_decided_message, can_decide, decide_selection

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OUTCOME_LABELS = dict(SelectionResult.Outcome.choices)


class SelectionConfirmForm(ConfirmForm):
    note = forms.CharField(
        label=gettext_lazy("비고(위원회 의결 사항)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("예: 2026-03-10 선정평가위원회 의결"),
    )


def _call(request: HttpRequest, code: str) -> Call:
    return get_object_or_404(Call.objects.visible_to(request.user), code=code)


def _crumbs(call: Call) -> list[tuple[str, str]]:
    return [(str(call), reverse("programmes:selection_proposal", kwargs={"code": call.code}))]


def reason_text(reason: str) -> str:
    return render_message(message_codes.selection_reason_code(reason), {}, fallback=reason) if reason else ""


def breach_texts(breaches: list[dict[str, Any]] | None) -> list[str]:
    return [Breach.from_data(item).message for item in breaches or ()]


def _table(proposal: dict[str, Any], facts: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The proposal's rows for the page: every submitted application, in the proposal's order."""
    rows: list[dict[str, Any]] = []
    for ref, item in selection.outcome_by_ref(proposal).items():
        fact = facts.get(ref, {})
        if item["outcome"] == selection.INELIGIBLE:
            reasons = breach_texts(fact.get("breaches"))
        else:
            reasons = [reason_text(item["reason"])] if item["reason"] else []
        rows.append(
            {
                "rank": item["rank"],
                "ref": ref,
                "title": fact.get("title", ""),
                "lead": fact.get("lead", ""),
                "score": item["score"],
                "government_krw": fact.get("government_krw", item.get("government_krw", 0)),
                "outcome": item["outcome"],
                "outcome_label": OUTCOME_LABELS[item["outcome"]],
                "reasons": reasons,
            }
        )
    return rows


@login_required
@require_GET
def selection_proposal(request: HttpRequest, code: str) -> HttpResponse:
    """The proposal now: the ranked table, the totals against budget and quota."""
    call = _call(request, code)
    if not can_decide(request.user):
        raise PermissionDenied(_("선정안은 중앙회 직원이 검토합니다."))
    proposal = selection.propose(call)
    facts = {
        ref: {"title": title, "lead": lead, "government_krw": government, "breaches": breaches}
        for ref, title, lead, government, breaches in Application.objects.filter(
            call=call, status=Application.Status.SUBMITTED
        ).values_list("ref", "title", "consortium__lead__name", "government_krw", "breaches")
    }
    decision = SelectionDecision.objects.filter(call=call).only("id", "decided_at", "call_id").first()
    return render(
        request,
        "programmes/selection/proposal.html",
        {
            "call": call,
            "proposal": proposal,
            "rows": _table(proposal, facts),
            "budget_left": proposal["budget_krw"] - proposal["government_total_krw"],
            "decision": decision,
            "call_open": call.is_open(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def selection_confirm(request: HttpRequest, code: str) -> HttpResponse:
    """Confirm the proposal as the committee's decision: GET asks first, POST (with its token) records it."""
    call = _call(request, code)
    if not can_decide(request.user):
        raise PermissionDenied(_("선정 결과는 중앙회 직원만 확정할 수 있습니다."))
    proposal_url = reverse("programmes:selection_proposal", kwargs={"code": call.code})
    record_url = reverse("programmes:selection_record", kwargs={"code": call.code})
    form = SelectionConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request,
                form,
                lambda: decide_selection(call, actor=request.user, note=form.cleaned_data["note"]),
                result_url=record_url,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, record_url)
        except ValidationError as exc:
            if getattr(exc, "code", None) == "decided":
                messages.info(request, " ".join(exc.messages))
                return redirect(record_url)
            messages.error(request, " ".join(exc.messages))
            return redirect(proposal_url)
        messages.success(request, _("선정 결과를 확정했습니다."))
        return redirect(record_url)
    decided = SelectionDecision.objects.filter(call=call).exists()
    allowed = not decided and call.published_at is not None and not call.is_open()
    if decided:
        summary = [already_decided_message(call)]
    elif call.published_at is None:
        summary = [_("공개되지 않은 공모는 선정할 수 없습니다.")]
    elif not allowed:
        summary = [
            _("접수 중인 공모는 선정을 확정할 수 없습니다(접수 마감일 %(date)s 이후 확정).")
            % {"date": call.closes_on.isoformat()}
        ]
    else:
        proposal = selection.propose(call)
        summary = [
            _("%(call)s의 선정안을 위원회 의결 결과로 확정합니다.") % {"call": call},
            _("선정 %(selected)s건, 정부지원금 합계 %(total)s원(예산 %(budget)s원, 선정 규모 %(quota)s건).")
            % {
                "selected": len(proposal["selected"]),
                "total": f"{proposal['government_total_krw']:,}",
                "budget": f"{proposal['budget_krw']:,}",
                "quota": proposal["quota"],
            },
            _("미선정 %(not_selected)s건, 부적격 %(ineligible)s건.")
            % {"not_selected": len(proposal["not_selected"]), "ineligible": len(proposal["ineligible"])},
            _("확정한 결과는 바꿀 수 없으며, 신청 기업이 결과와 평가 의견을 볼 수 있게 됩니다."),
        ]
    return confirm_page(
        request,
        form,
        title=_("선정 결과 확정"),
        summary=summary,
        action_label=_("선정 결과 확정"),
        cancel_url=proposal_url,
        allowed=allowed,
        crumbs=_crumbs(call),
    )


def _decision(request: HttpRequest, code: str) -> tuple[Call, SelectionDecision]:
    call = _call(request, code)
    if not scope_of(request.user).staff:
        raise PermissionDenied(_("선정 결과 기록은 연합회 직원이 봅니다."))
    decision = get_object_or_404(SelectionDecision.objects.select_related("decided_by"), call=call)
    return call, decision


def _record_rows(decision: SelectionDecision) -> list[dict[str, Any]]:
    rows = []
    for result in (
        SelectionResult.objects.filter(decision=decision)
        .select_related("application__consortium__lead")
        .only(
            "outcome",
            "rank",
            "score",
            "government_krw",
            "reason",
            "rules",
            "application__ref",
            "application__title",
            "application__breaches",
            "application__consortium__lead__name",
        )
        .order_by("id")
    ):
        application = result.application
        if result.outcome == SelectionResult.Outcome.INELIGIBLE:
            reasons = breach_texts(application.breaches) or list(result.rules)
        else:
            reasons = [reason_text(result.reason)] if result.reason else []
        rows.append(
            {
                "rank": result.rank,
                "ref": application.ref,
                "title": application.title,
                "lead": application.consortium.lead.name,
                "score": result.score,
                "government_krw": result.government_krw,
                "outcome": result.outcome,
                "outcome_label": result.get_outcome_display(),
                "reason": result.reason,
                "rules": result.rules,
                "reasons": reasons,
            }
        )
    return rows


@login_required
@require_GET
def selection_record(request: HttpRequest, code: str) -> HttpResponse:
    """The decision record: who, when, under which rule set, and every application's result and reason."""
    call, decision = _decision(request, code)
    rows = _record_rows(decision)
    return render(
        request,
        "programmes/selection/record.html",
        {
            "call": call,
            "decision": decision,
            "rows": rows,
            "selected_count": sum(1 for row in rows if row["outcome"] == SelectionResult.Outcome.SELECTED),
            "budget_left": int(decision.rules["budget_krw"]) - decision.government_total_krw,
        },
    )


@login_required
@require_GET
def selection_record_download(request: HttpRequest, code: str) -> HttpResponse:
    call, decision = _decision(request, code)
    header = [
        _("순위"),
        _("접수번호"),
        _("과제명"),
        _("주관기업"),
        _("점수"),
        _("정부지원금(원)"),
        _("결과"),
        _("사유 코드"),
        _("사유"),
    ]
    lines = [
        [
            row["rank"],
            row["ref"],
            row["title"],
            row["lead"],
            None if row["score"] is None else float(row["score"]),
            row["government_krw"],
            row["outcome_label"],
            row["reason"] or ";".join(row["rules"]),
            " / ".join(row["reasons"]),
        ]
        for row in _record_rows(decision)
    ]
    buffer = io.BytesIO()
    write_table(header, lines, "xlsx", buffer, sheet_title=call.code)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="selection-{call.code}.xlsx"'
    return response


@login_required
@require_GET
def application_result(request: HttpRequest, pk: int) -> HttpResponse:
    """An applicant's own result after the decision: outcome, rank, score, every review's points and
    comment, never the reviewers' names. Before the decision there is no result: 404."""
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related("call", "consortium__lead"), pk=pk
    )
    scope = scope_of(request.user)
    own = bool(scope.firm_ids) and (
        ConsortiumMember.objects.filter(consortium_id=application.consortium_id, firm_id__in=scope.firm_ids)
        .exclude(state=ConsortiumMember.State.DECLINED)
        .exists()
    )
    if not (own or scope.staff):
        raise PermissionDenied(_("선정 결과는 신청 협력체의 기업과 연합회 직원이 봅니다."))
    result = (
        SelectionResult.objects.filter(application=application)
        .select_related("decision")
        .only(
            "outcome",
            "rank",
            "score",
            "government_krw",
            "reason",
            "rules",
            "decision__decided_at",
            "decision__rules",
            "decision__rules_revision",
            "decision__call_id",
            "application_id",
        )
        .first()
    )
    if result is None:
        raise Http404(_("아직 선정 결과가 확정되지 않았습니다."))
    criteria = list(result.decision.rules.get("criteria") or [])
    reviews = []
    for number, (score, points, comment) in enumerate(
        application.reviews.order_by("submitted_at", "id").values_list(
            "score", "criterion_scores", "comment"
        ),
        start=1,
    ):
        points = points or {}
        reviews.append(
            {
                "number": number,
                "score": score,
                "points": [
                    {
                        "name": criterion.get("name", criterion.get("code", "")),
                        "max": criterion.get("points"),
                        "value": points.get(criterion.get("code")),
                    }
                    for criterion in criteria
                    if criterion.get("code") in points
                ],
                "comment": comment,
            }
        )
    if result.outcome == SelectionResult.Outcome.INELIGIBLE:
        reasons = breach_texts(application.breaches)
    else:
        reasons = [reason_text(result.reason)] if result.reason else []
    return render(
        request,
        "programmes/selection/result.html",
        {
            "application": application,
            "call": application.call,
            "result": result,
            "reasons": reasons,
            "reviews": reviews,
            "score_text": None if result.score is None else f"{Decimal(result.score):.2f}",
        },
    )
