"""The satisfaction survey pages (issue 11 §4): the participant's form and the managers' results.

The form: the signed-in person's own confirmed registration (or, for someone registered without an
account, their personal signed link from the invitation) for the event (404 for an event they do not
see, 403 without a registration); the page says so when the survey is not open, they may not answer, or
they have answered. The results: the event's managers (`Event.objects.managed_by`; 403 for others who
see the event), charts with their tables and an XLSX download, and below the survey's minimum number of
answers only a message. No page shows who answered.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yunghap.core import onetime
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.core.versions import StaleEdit, show_conflict
from yunghap.insights import charts

from . import feedback
from .feedback_forms import FeedbackForm, SurveySettingsForm
from .lookups import managed_event, visible_event
from .models import Event, Registration
from .models.feedback import SCORE_MAX, SCORE_MIN

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_http_methods(["GET", "POST"])
def feedback_form(request: HttpRequest, code: str) -> HttpResponse:
    event = visible_event(request.user, code=code)
    registration = (
        Registration.objects.filter(
            event=event, user_id=int(request.user.pk or 0), status=Registration.Status.CONFIRMED
        )
        .select_related("event")
        .first()
    )
    if registration is None:
        raise PermissionDenied(_("이 행사에 참가가 확정된 분만 만족도 조사에 답할 수 있습니다."))
    survey = feedback.survey_of(event)
    refusal = (
        feedback.duplicate_error(registration)
        or feedback.eligibility_error(registration)
        or feedback.window_error(event, timezone.now(), survey)
    )
    span = feedback.window(event, survey)
    context: dict[str, Any] = {"event": event, "refusal": refusal, "window": span}
    context["action"] = reverse("events:feedback_form", kwargs={"code": event.code})
    status = 200
    if refusal is None and request.method == "POST":
        form = FeedbackForm(request.POST)
        url = reverse("events:feedback_form", kwargs={"code": event.code})
        done = onetime.post_once(
            request,
            form,
            lambda: feedback.submit_feedback(registration, form.cleaned_data, actor=request.user),
            result_url=url,
            success=_("만족도 조사에 답해 주셔서 감사합니다."),
        )
        if done is not None:
            return done
        status = INVALID_FORM_STATUS
        context["form"] = form
    elif refusal is None:
        context["form"] = FeedbackForm()
    return render(request, "events/feedback/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def feedback_link(request: HttpRequest, token: str) -> HttpResponse:
    """The personal answer link of someone registered without an account: the signed token is the proof
    (404 for one not signed here). Once only: the receipt is unique per registration, and a repeated
    press is told so (this form has no one-time token: there is no account to hold one)."""
    registration = feedback.registration_of_token(token)
    if registration is None:
        raise Http404(_("만족도 조사 주소가 올바르지 않습니다."))
    if registration.user_id:
        # An account holder answers signed in (their own form): the link is not theirs to use.
        raise Http404(_("만족도 조사 주소가 올바르지 않습니다."))
    event = registration.event
    survey = feedback.survey_of(event)
    refusal = (
        feedback.duplicate_error(registration)
        or feedback.eligibility_error(registration)
        or feedback.window_error(event, timezone.now(), survey)
    )
    action = reverse("events:feedback_link", kwargs={"token": token})
    context: dict[str, Any] = {"event": event, "refusal": refusal, "window": feedback.window(event, survey)}
    context["action"] = action
    status = 200
    if refusal is None and request.method == "POST":
        form = FeedbackForm(request.POST, one_time=False)
        if form.is_valid():
            try:
                feedback.submit_feedback(registration, form.cleaned_data, actor=None)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("만족도 조사에 답해 주셔서 감사합니다."))
                return HttpResponseRedirect(action)
        status = INVALID_FORM_STATUS
        context["form"] = form
    elif refusal is None:
        context["form"] = FeedbackForm(one_time=False)
    return render(request, "events/feedback/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def feedback_settings(request: HttpRequest, code: str) -> HttpResponse:
    """The survey's settings for the event's managers: the minimum answers and the answer period."""
    event = managed_event(
        request.user, _("이 행사의 만족도 조사 결과는 행사 담당자만 볼 수 있습니다."), code=code
    )
    survey = feedback.survey_of(event)
    version = survey.version if survey.pk else None
    initial = {"min_answers": survey.min_answers, "open_days": survey.open_days}
    url = reverse("events:feedback_results", kwargs={"code": event.code})
    context: dict[str, Any] = {"event": event}
    status = 200
    if request.method == "POST":
        form = SurveySettingsForm(request.POST, version=version)
        if form.is_valid():
            try:
                feedback.update_survey(
                    event, actor=request.user, expected_version=form.expected_version, **form.cleaned_data
                )
            except StaleEdit as stale:
                context.update(show_conflict(form, stale))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("만족도 조사 설정을 저장했습니다."))
                return HttpResponseRedirect(url)
        status = INVALID_FORM_STATUS
    else:
        form = SurveySettingsForm(initial=initial, version=version)
    context["form"] = form
    return render(request, "events/feedback/settings.html", context, status=status)


def _scores() -> list[str]:
    return [_("%(score)s점") % {"score": score} for score in range(SCORE_MIN, SCORE_MAX + 1)]


def _result_charts(results: feedback.FeedbackResults) -> list[dict[str, Any]]:
    labels = [item.label for item in results.items]
    means = charts.line_chart(
        _("문항별 평균(5점 만점)"),
        labels,
        [(_("평균"), [item.mean for item in results.items])],
        bar=True,
        integer=False,
    )
    means["yAxis"][0].update({"min": 0, "max": 5})
    spread = charts.line_chart(
        _("문항별 응답 분포"),
        labels,
        [
            (score, [item.distribution[index] for item in results.items])
            for index, score in enumerate(_scores())
        ],
        bar=True,
    )
    return [
        {
            "json_id": "feedback-means-options",
            "title": _("문항별 평균(5점 만점)"),
            "options": means,
            "table": charts.data_table(
                _("문항별 평균(5점 만점)"),
                [_("문항"), _("평균(점)")],
                [(item.label, [item.mean]) for item in results.items],
            ),
        },
        {
            "json_id": "feedback-spread-options",
            "title": _("문항별 응답 분포"),
            "options": spread,
            "table": charts.data_table(
                _("문항별 응답 분포"),
                [_("문항"), *_scores(), _("응답 수")],
                [(item.label, [*item.distribution, sum(item.distribution)]) for item in results.items],
            ),
        },
    ]


@login_required
@require_GET
def feedback_results(request: HttpRequest, code: str) -> HttpResponse:
    event = managed_event(
        request.user, _("이 행사의 만족도 조사 결과는 행사 담당자만 볼 수 있습니다."), code=code
    )
    results = feedback.feedback_results(event)
    fmt = request.GET.get("format")
    if fmt:
        if fmt != "xlsx":
            raise Http404(_("지원하지 않는 형식입니다."))
        if not results.shown:
            raise Http404(_("응답이 최소 응답 수보다 적어 결과를 내려받을 수 없습니다."))
        response = HttpResponse(results_xlsx(event, results), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="feedback-{event.code}.xlsx"'
        return response
    return render(
        request,
        "events/feedback/results.html",
        {
            "event": event,
            "results": results,
            "window": feedback.window(event, results.survey),
            "charts": _result_charts(results) if results.shown else [],
        },
    )


def results_xlsx(event: Event, results: feedback.FeedbackResults) -> bytes:
    """Two sheets: the items (mean, distribution) and the comments (in the order of their text)."""
    from openpyxl import Workbook

    from yunghap.core.spreadsheets import neutralise

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("문항별 결과"))
    sheet.append([neutralise(f"{event.code} {event.title}")])
    sheet.append([_("응답 수"), results.answers, _("전체 평균(점)"), float(results.overall or 0)])
    sheet.append([_("문항"), _("평균(점)"), *_scores(), _("응답 수")])
    for item in results.items:
        sheet.append(
            [
                item.label,
                float(item.mean) if item.mean is not None else None,
                *item.distribution,
                sum(item.distribution),
            ]
        )
    comments = workbook.create_sheet(title=_("의견"))
    comments.append([_("의견")])
    for comment in results.comments:
        comments.append([neutralise(comment)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
