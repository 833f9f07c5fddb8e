"""Pages of the annual survey. Thin: visibility from the querysets, rules from `services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.network.models import ExchangeGroup, Federation

from . import services
from .forms import OpenSurveyForm, ResponseForm
from .models import Survey, SurveyResponse
from .permissions import can_answer, can_follow_up, can_open_survey
from .selectors import answer_status, prefill, status_counts


def _survey(year: int) -> Survey:
    return get_object_or_404(Survey, year=year)


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if not (scope.staff or scope.officer_group_ids):
        raise PermissionDenied(_("실태조사는 연합회 직원과 교류회 임원이 이용합니다."))
    surveys = list(Survey.objects.order_by("-year"))
    officer_groups = list(
        ExchangeGroup.objects.filter(id__in=scope.officer_group_ids)
        .order_by("name")
        .only("id", "code", "name")
    )
    return render(
        request,
        "surveys/survey_list.html",
        {
            "surveys": surveys,
            "officer_groups": officer_groups,
            "can_open": can_open_survey(request.user),
            "can_follow_up": can_follow_up(request.user),
            "open_form": OpenSurveyForm() if can_open_survey(request.user) else None,
        },
    )


@login_required
@require_POST
def survey_open(request: HttpRequest) -> HttpResponse:
    if not can_open_survey(request.user):
        raise PermissionDenied(_("실태조사는 중앙회 직원만 개설할 수 있습니다."))
    form = OpenSurveyForm(request.POST)
    if form.is_valid():
        try:
            survey = onetime.submit_once(
                request,
                form,
                lambda: services.open_survey(
                    form.cleaned_data["year"], actor=request.user, deadline=form.cleaned_data["deadline"]
                ),
                result_url=lambda s: reverse("surveys:status", kwargs={"year": s.year}),
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, reverse("surveys:index"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(year)s년 실태조사를 개설했습니다.") % {"year": survey.year})
            return redirect("surveys:status", year=survey.year)
    surveys = list(Survey.objects.order_by("-year"))
    return render(
        request,
        "surveys/survey_list.html",
        {
            "surveys": surveys,
            "officer_groups": [],
            "can_open": True,
            "can_follow_up": True,
            "open_form": form,
        },
        status=INVALID_FORM_STATUS,
    )


@login_required
@require_POST
def survey_close(request: HttpRequest, year: int) -> HttpResponse:
    survey = _survey(year)
    if not can_open_survey(request.user):
        raise PermissionDenied(_("실태조사는 중앙회 직원만 마감할 수 있습니다."))
    try:
        services.close_survey(survey, actor=request.user)
        messages.success(request, _("%(year)s년 실태조사를 마감했습니다.") % {"year": year})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:status", year=year)


def _followed_federations(request: HttpRequest) -> list[Federation]:
    scope = scope_of(request.user)
    federations = Federation.objects.filter(level=Federation.Level.REGIONAL)
    if not scope.central:
        federations = federations.filter(id__in=scope.region_ids)
    return list(federations)


@login_required
def survey_status(request: HttpRequest, year: int) -> HttpResponse:
    """Who has answered: central staff see every group, regional staff their region's."""
    survey = _survey(year)
    if not can_follow_up(request.user):
        raise PermissionDenied(_("응답 현황은 연합회 직원만 볼 수 있습니다."))
    federations = _followed_federations(request)
    region = request.GET.get("region") or ""
    selected = next((f for f in federations if f.code == region), None)
    groups = services.eligible_groups(survey).filter(federation__in=[selected] if selected else federations)
    groups = list(groups.select_related("federation").order_by("federation__sort_order", "code"))
    wanted = request.GET.get("status") or ""
    rows = answer_status(survey, groups)
    counts = status_counts(rows)
    if wanted in counts:
        rows = [r for r in rows if r["status"] == wanted]
    return render(
        request,
        "surveys/survey_status.html",
        {
            "survey": survey,
            "rows": rows,
            "counts": counts,
            "total": sum(counts.values()),
            "federations": federations,
            "region": region,
            "status_filter": wanted,
            "can_close": can_open_survey(request.user) and survey.is_open,
            "central": scope_of(request.user).central,
        },
    )


@login_required
@require_POST
def survey_remind(request: HttpRequest, year: int) -> HttpResponse:
    survey = _survey(year)
    code = request.POST.get("region") or ""
    federation = None
    if code:
        federation = get_object_or_404(Federation, code=code, level=Federation.Level.REGIONAL)
        if not can_follow_up(request.user, federation):
            raise PermissionDenied(_("다른 지역의 교류회에는 응답을 독려할 수 없습니다."))
    elif not can_open_survey(request.user):
        raise PermissionDenied(_("전체 교류회 독려는 중앙회 직원만 할 수 있습니다. 지역을 선택하세요."))
    try:
        count = services.send_reminders(survey, actor=request.user, federation=federation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("미제출 교류회 %(count)s곳에 응답 독려를 보냈습니다.") % {"count": count})
    target = redirect("surveys:status", year=year)
    if code:
        target["Location"] += f"?region={code}"
    return target


@login_required
def my_answer(request: HttpRequest, year: int) -> HttpResponse:
    """An officer's way in (the link in reminders): their group's form, or a choice among their groups."""
    survey = _survey(year)
    scope = scope_of(request.user)
    groups = list(ExchangeGroup.objects.filter(id__in=scope.officer_group_ids).order_by("name"))
    if len(groups) == 1:
        return redirect("surveys:group-answer", year=year, code=groups[0].code)
    if not groups:
        if scope.staff:
            return redirect("surveys:status", year=year)
        raise PermissionDenied(_("응답할 교류회가 없습니다."))
    return render(request, "surveys/my_answer.html", {"survey": survey, "groups": groups})


@login_required
@require_http_methods(["GET", "POST"])
def group_answer(request: HttpRequest, year: int, code: str) -> HttpResponse:
    survey = _survey(year)
    group = get_object_or_404(
        ExchangeGroup.objects.visible_to(request.user).select_related("federation"), code=code
    )
    response = SurveyResponse.objects.visible_to(request.user).filter(survey=survey, group=group).first()
    scope = scope_of(request.user)
    may_answer = can_answer(request.user, group)
    if not may_answer and not (scope.central or group.federation_id in scope.region_ids):
        raise PermissionDenied(_("이 교류회의 실태조사 응답을 볼 권한이 없습니다."))
    editable = may_answer and survey.is_open and not (response and response.is_submitted)
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied(_("이 교류회의 실태조사에 응답할 권한이 없습니다."))
        form = ResponseForm(request.POST)
        if form.is_valid():
            values = form.cleaned_data
            submit = request.POST.get("action") == "submit"
            answer_url = reverse("surveys:group-answer", kwargs={"year": year, "code": code})

            def save() -> SurveyResponse:
                saved = services.save_response(survey, group, actor=request.user, **values)
                if submit:
                    services.submit_response(saved, actor=request.user)
                return saved

            try:
                onetime.submit_once(request, form, save, result_url=answer_url)
                if submit:
                    messages.success(request, _("응답을 제출했습니다. 감사합니다."))
                else:
                    messages.success(request, _("응답을 임시 저장했습니다. 제출해야 집계에 반영됩니다."))
                return redirect(answer_url)
            except onetime.AlreadySubmitted as done:
                return done.response(request, answer_url)
            except ValidationError as exc:
                add_service_errors(form, exc)
        status = INVALID_FORM_STATUS
    else:
        initial: dict[str, Any] = {} if response else prefill(survey, group)
        form = ResponseForm(instance=response, initial=initial)
        status = 200
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "surveys/group_answer.html",
        {
            "survey": survey,
            "group": group,
            "response": response,
            "form": form,
            "editable": editable,
            "prefilled": response is None and editable,
        },
        status=status,
    )
