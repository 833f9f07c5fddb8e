"""Pages of an agreement's reports, grade, result indicators and follow-ups, and staff's list of reports
due. Thin: every fetch goes through `Agreement.objects.visible_to` (another consortium's agreement is a 404;
a visible one that the user may not change is a 403), every change through a service."""

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
from django.views.decorators.http import require_GET, require_http_methods

from yunghap.accounts.scope import scope_of
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.core.versions import StaleEdit, show_conflict

from . import followups as followup_services
from . import progress_forms as forms
from . import progress_reports as flow
from . import progress_services as services
from . import result_services
from .models import Agreement, FollowUp, Report, ResultIndicators


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related(
            "application__call", "application__consortium__lead", "graded_by"
        ),
        pk=pk,
    )


def _report(request: HttpRequest, pk: int) -> Report:
    return get_object_or_404(
        Report.objects.filter(agreement__in=Agreement.objects.visible_to(request.user)).select_related(
            "agreement__application__consortium__lead", "agreement__application__call"
        ),
        pk=pk,
    )


def _reports_url(agreement: Agreement | int) -> str:
    pk = agreement if isinstance(agreement, int) else agreement.pk
    return reverse("programmes:agreement_reports", kwargs={"pk": pk})


@login_required
@require_GET
def agreement_reports(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    reports = list(agreement.reports.select_related("submitted_by").order_by("due_on", "kind", "seq"))
    user = request.user
    lead = flow.is_lead_user(user, agreement)
    staff = flow.is_staff(user)
    today = timezone.localdate()
    for report in reports:
        actions = [] if agreement.status in flow.CLOSED_AGREEMENT_STATES else flow.actions_from(report.status)
        report.may_submit = lead and flow.SUBMIT in actions  # type: ignore[attr-defined]
        report.may_review = staff and flow.ACCEPT in actions  # type: ignore[attr-defined]
        report.may_skip = staff and flow.SKIP in actions  # type: ignore[attr-defined]
        report.overdue = (  # type: ignore[attr-defined]
            report.status in (Report.Status.SCHEDULED, Report.Status.RETURNED) and report.due_on < today
        )
    indicators = ResultIndicators.objects.filter(agreement=agreement).first()
    from yunghap.activities.models import Outcome

    return render(
        request,
        "programmes/progress_agreement.html",
        {
            "agreement": agreement,
            "application": agreement.application,
            "reports": reports,
            "closed": agreement.status in flow.CLOSED_AGREEMENT_STATES,
            "indicators": indicators,
            "outcomes": list(
                Outcome.objects.filter(agreement=agreement).select_related("group").order_by("id")
            ),
            "followups": list(agreement.followups.order_by("years_after")),
            "may_grade": services.can_grade(user) and services.grading_refusal(agreement) is None,
            "may_record": result_services.may_record(user, agreement),
            "is_lead": lead,
            "staff": staff,
        },
    )


def _form_page(
    request: HttpRequest,
    *,
    template_context: dict[str, Any],
    form: Any,
    status: int,
) -> HttpResponse:
    return render(request, "programmes/progress_form.html", {**template_context, "form": form}, status=status)


def _report_context(report: Report, title: str, action: str, url_name: str) -> dict[str, Any]:
    refused = flow.refusal(report, action)
    return {
        "title": title,
        "report": report,
        "agreement": report.agreement,
        "application": report.agreement.application,
        "refused": refused,
        "action_url": reverse(url_name, kwargs={"pk": report.pk}),
        "back_url": _reports_url(report.agreement_id),
        "multipart": action == flow.SUBMIT,
        "submit_label": flow.action_label(action) if action != flow.ACCEPT else _("저장"),
    }


def _run(form: Any, context: dict[str, Any], call: Any) -> Any:
    """Run a service for a valid form; put its refusal or the stale-edit panel on the form."""
    try:
        return call()
    except StaleEdit as stale:
        context.update(show_conflict(form, stale))
    except ValidationError as exc:
        add_service_errors(form, exc)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not flow.may_act(request.user, report, flow.SUBMIT):
        raise PermissionDenied(_("주관기업 사용자만 보고를 제출할 수 있습니다."))
    context = _report_context(
        report,
        _("%(kind)s 제출") % {"kind": report.get_kind_display()},
        flow.SUBMIT,
        "programmes:report_submit",
    )
    if request.method == "POST":
        form = forms.ReportSubmitForm(request.POST, request.FILES, version=report.version)
        if form.is_valid():
            done = _run(
                form,
                context,
                lambda: services.submit_report(
                    report,
                    actor=request.user,
                    summary=form.cleaned_data["summary"],
                    file=form.cleaned_data.get("file"),
                    expected_version=form.expected_version,
                ),
            )
            if done is not None:
                messages.success(request, _("보고를 제출했습니다."))
                return redirect(context["back_url"])
        return _form_page(request, template_context=context, form=form, status=INVALID_FORM_STATUS)
    form = forms.ReportSubmitForm(initial={"summary": report.summary}, version=report.version)
    return _form_page(request, template_context=context, form=form, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not flow.may_act(request.user, report, flow.ACCEPT):
        raise PermissionDenied(_("보고의 승인·보완 요청은 중앙연합회 담당자만 할 수 있습니다."))
    context = _report_context(report, _("보고 검토"), flow.ACCEPT, "programmes:report_review")
    if request.method == "POST":
        form = forms.ReportReviewForm(request.POST, version=report.version)
        if form.is_valid():
            done = _run(
                form,
                context,
                lambda: services.review_report(
                    report,
                    actor=request.user,
                    accept=form.cleaned_data["decision"] == "accept",
                    comment=form.cleaned_data["comment"],
                    expected_version=form.expected_version,
                ),
            )
            if done is not None:
                messages.success(
                    request,
                    _("보고를 승인했습니다.")
                    if done.status == Report.Status.ACCEPTED
                    else _("보완을 요청했습니다."),
                )
                return redirect(context["back_url"])
        return _form_page(request, template_context=context, form=form, status=INVALID_FORM_STATUS)
    return _form_page(
        request, template_context=context, form=forms.ReportReviewForm(version=report.version), status=200
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_skip(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not flow.may_act(request.user, report, flow.SKIP):
        raise PermissionDenied(_("보고 생략은 중앙연합회 담당자만 할 수 있습니다."))
    context = _report_context(report, _("보고 생략"), flow.SKIP, "programmes:report_skip")
    context["confirm"] = _("이 보고를 생략합니다. 생략한 보고는 다시 제출할 수 없습니다.")
    if request.method == "POST":
        form = forms.ReportSkipForm(request.POST, version=report.version)
        if form.is_valid():
            done = _run(
                form,
                context,
                lambda: services.skip_report(
                    report,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.expected_version,
                ),
            )
            if done is not None:
                messages.success(request, _("보고를 생략 처리했습니다."))
                return redirect(context["back_url"])
        return _form_page(request, template_context=context, form=form, status=INVALID_FORM_STATUS)
    return _form_page(
        request, template_context=context, form=forms.ReportSkipForm(version=report.version), status=200
    )


@login_required
@require_GET
def report_file(request: HttpRequest, pk: int) -> FileResponse:
    """The report's file, only to those who see the agreement (never from a public media URL)."""
    report = _report(request, pk)
    if not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=(report.file.name or "").rsplit("/", 1)[-1])


@login_required
@require_http_methods(["GET", "POST"])
def agreement_grade(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not services.can_grade(request.user):
        raise PermissionDenied(_("최종 평가는 중앙연합회 담당자만 할 수 있습니다."))
    context: dict[str, Any] = {
        "title": _("최종 평가"),
        "agreement": agreement,
        "application": agreement.application,
        "refused": services.grading_refusal(agreement),
        "action_url": reverse("programmes:agreement_grade", kwargs={"pk": agreement.pk}),
        "back_url": _reports_url(agreement),
        "submit_label": _("평가 저장"),
    }
    if request.method == "POST":
        form = forms.GradeForm(request.POST, version=agreement.version)
        if form.is_valid():
            done = _run(
                form,
                context,
                lambda: services.grade_agreement(
                    agreement,
                    actor=request.user,
                    grade=form.cleaned_data["grade"],
                    conduct=form.cleaned_data["conduct"],
                    expected_version=form.expected_version,
                ),
            )
            if done is not None:
                messages.success(request, _("최종 평가를 저장했습니다."))
                return redirect(context["back_url"])
        return _form_page(request, template_context=context, form=form, status=INVALID_FORM_STATUS)
    form = forms.GradeForm(
        initial={"grade": agreement.grade, "conduct": agreement.conduct}, version=agreement.version
    )
    return _form_page(request, template_context=context, form=form, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not result_services.may_record(request.user, agreement):
        raise PermissionDenied(_("성과 지표는 주관기업 사용자와 중앙연합회 담당자만 입력할 수 있습니다."))
    indicators = ResultIndicators.objects.filter(agreement=agreement).first()
    version = indicators.version if indicators else None
    context: dict[str, Any] = {
        "title": _("성과 지표"),
        "agreement": agreement,
        "application": agreement.application,
        "refused": None,
        "action_url": reverse("programmes:agreement_indicators", kwargs={"pk": agreement.pk}),
        "back_url": _reports_url(agreement),
        "submit_label": _("성과 저장"),
        "intro": _(
            "저장하면 주관기업이 속한 교류회의 융합기술개발 실적으로 장부에 기록되어 통계와 실태조사의 "
            "활동 실적에 반영됩니다."
        ),
    }
    if request.method == "POST":
        form = forms.IndicatorsForm(request.POST, version=version)
        if form.is_valid():
            done = _run(
                form,
                context,
                lambda: result_services.record_indicators(
                    agreement,
                    actor=request.user,
                    values=form.values(),
                    expected_version=form.expected_version,
                ),
            )
            if done is not None:
                messages.success(request, _("성과 지표를 저장했습니다."))
                return redirect(context["back_url"])
        return _form_page(request, template_context=context, form=form, status=INVALID_FORM_STATUS)
    initial = {name: getattr(indicators, name) for name in result_services.FIELDS} if indicators else None
    return _form_page(
        request,
        template_context=context,
        form=forms.IndicatorsForm(initial=initial, version=version),
        status=200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def followup_answer(request: HttpRequest, pk: int) -> HttpResponse:
    followup = get_object_or_404(
        FollowUp.objects.filter(agreement__in=Agreement.objects.visible_to(request.user)).select_related(
            "agreement__application__consortium__lead"
        ),
        pk=pk,
    )
    if not followup_services.may_answer(request.user, followup):
        raise PermissionDenied(_("추적조사는 주관기업 사용자가 응답합니다."))
    agreement = followup.agreement
    context: dict[str, Any] = {
        "title": _("추적조사 응답(종료 %(years)s년 후)") % {"years": followup.years_after},
        "agreement": agreement,
        "application": agreement.application,
        "refused": (
            _("%(date)s부터 응답할 수 있습니다.") % {"date": followup.due_on.isoformat()}
            if followup.status == FollowUp.Status.SCHEDULED
            else None
        ),
        "action_url": reverse("programmes:followup_answer", kwargs={"pk": followup.pk}),
        "back_url": _reports_url(agreement),
        "submit_label": _("응답 제출"),
        "intro": _("협약 종료일(%(date)s) 이후 지금까지의 누적 실적을 적어 주세요.")
        % {"date": agreement.ends_on.isoformat()},
    }
    if request.method == "POST":
        form = forms.FollowUpAnswerForm(request.POST, version=followup.version)
        if form.is_valid():
            done = _run(
                form,
                context,
                lambda: followup_services.answer_followup(
                    followup,
                    actor=request.user,
                    sales_krw=form.cleaned_data["sales_krw"],
                    jobs=form.cleaned_data["jobs"],
                    follow_on_task_number=form.cleaned_data["follow_on_task_number"],
                    note=form.cleaned_data["note"],
                    expected_version=form.expected_version,
                ),
            )
            if done is not None:
                messages.success(request, _("추적조사 응답을 제출했습니다."))
                return redirect(context["back_url"])
        return _form_page(request, template_context=context, form=form, status=INVALID_FORM_STATUS)
    initial = (
        {
            "sales_krw": followup.sales_krw,
            "jobs": followup.jobs,
            "follow_on_task_number": followup.follow_on_task_number,
            "note": followup.note,
        }
        if followup.status == FollowUp.Status.ANSWERED
        else None
    )
    return _form_page(
        request,
        template_context=context,
        form=forms.FollowUpAnswerForm(initial=initial, version=followup.version),
        status=200,
    )


@login_required
@require_GET
def report_due_list(request: HttpRequest) -> HttpResponse:
    """Staff's list: reports due within 30 days or overdue, and follow-ups open (missing) or answered."""
    if not scope_of(request.user).staff:
        raise PermissionDenied(_("중앙·지역 연합회 담당자만 이용할 수 있습니다."))
    today = timezone.localdate()
    reports = list(services.due_reports(request.user, today=today)[:500])
    for report in reports:
        left = (report.due_on - today).days
        report.days_left = left  # type: ignore[attr-defined]
        report.days_over = max(0, -left)  # type: ignore[attr-defined]
    followups = list(followup_services.followups_for_staff(request.user)[:500])
    return render(
        request,
        "programmes/progress_due_list.html",
        {
            "reports": reports,
            "missing": [f for f in followups if f.status == FollowUp.Status.OPEN],
            "answered": [f for f in followups if f.status == FollowUp.Status.ANSWERED],
            "today": today,
        },
    )
