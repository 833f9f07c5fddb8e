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
from yunghap.core.confirm import ConfirmForm, confirm_page
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.network.models import ExchangeGroup, Federation

from . import services
from .forms import OpenSurveyForm, RemindForm, ReopenForm, ResponseForm
from .models import Survey, SurveyResponse
from .permissions import can_answer, can_follow_up, can_open_survey, can_reopen
from .selectors import answer_status, prefill, response_rates, status_counts


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
@require_http_methods(["GET", "POST"])
def survey_close(request: HttpRequest, year: int) -> HttpResponse:
    """Closing ends answering for every group: GET says how many have not submitted, POST does it."""
    survey = _survey(year)
    if not can_open_survey(request.user):
        raise PermissionDenied(_("실태조사는 중앙회 직원만 마감할 수 있습니다."))
    status_url = reverse("surveys:status", kwargs={"year": year})
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request,
                form,
                lambda: services.close_survey(survey, actor=request.user),
                result_url=status_url,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, status_url)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(year)s년 실태조사를 마감했습니다.") % {"year": year})
        return redirect(status_url)
    if survey.is_open:
        targets = services.survey_targets(survey).count()
        pending = services.pending_groups(survey).count()
        summary = [
            _("%(year)s년 실태조사를 마감합니다.") % {"year": year},
            _("대상 교류회 %(targets)s곳 중 %(pending)s곳이 아직 제출하지 않았습니다.")
            % {"targets": targets, "pending": pending},
            _(
                "마감하면 교류회가 응답을 저장하거나 제출할 수 없습니다. 다시 열려면 같은 연도로 조사를 개설합니다."
            ),
        ]
    else:
        summary = [_("이미 마감된 조사입니다.")]
    return confirm_page(
        request,
        form,
        title=_("%(year)s년 실태조사 마감") % {"year": year},
        summary=summary,
        action_label=_("조사 마감"),
        cancel_url=status_url,
        crumbs=_crumbs(survey),
        allowed=survey.is_open,
    )


def _crumbs(survey: Survey, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        (_("실태조사"), reverse("surveys:index")),
        (str(survey), reverse("surveys:status", kwargs={"year": survey.year})),
        *more,
    ]


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
    groups = services.survey_targets(survey).filter(federation__in=[selected] if selected else federations)
    groups = list(groups.select_related("federation").order_by("federation__sort_order", "code"))
    wanted = request.GET.get("status") or ""
    rows = answer_status(survey, groups)
    counts = status_counts(rows)
    rates = response_rates(rows)
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
            "rates": rates,
            "rate": 100.0 * counts["submitted"] / sum(counts.values()) if rows else None,
            "can_close": can_open_survey(request.user) and survey.is_open,
            "can_reopen": survey.is_open,
            "central": scope_of(request.user).central,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_remind(request: HttpRequest, year: int) -> HttpResponse:
    """Remind the groups that have not submitted: GET says how many will be reminded, POST sends.

    The count is `services.pending_groups`, the function `send_reminders` sends to.
    """
    survey = _survey(year)
    data = request.POST if request.method == "POST" else request.GET
    code = data.get("region") or ""
    federation = None
    if code:
        federation = get_object_or_404(Federation, code=code, level=Federation.Level.REGIONAL)
        if not can_follow_up(request.user, federation):
            raise PermissionDenied(_("다른 지역의 교류회에는 응답을 독려할 수 없습니다."))
    elif not can_open_survey(request.user):
        raise PermissionDenied(_("전체 교류회 독려는 중앙회 직원만 할 수 있습니다. 지역을 선택하세요."))
    status_url = reverse("surveys:status", kwargs={"year": year}) + (f"?region={code}" if code else "")
    form = RemindForm(request.POST if request.method == "POST" else None, initial={"region": code})
    if request.method == "POST" and form.is_valid():
        try:
            count = onetime.submit_once(
                request,
                form,
                lambda: services.send_reminders(survey, actor=request.user, federation=federation),
                result_url=status_url,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, status_url)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("미제출 교류회 %(count)s곳에 응답 독려를 보냈습니다.") % {"count": count}
            )
        return redirect(status_url)
    count = services.pending_groups(survey, federation).count()
    where = federation.name if federation else _("전국")
    if not survey.is_open:
        summary = [_("마감된 조사는 응답을 독려할 수 없습니다.")]
    elif not count:
        summary = [_("%(where)s의 대상 교류회가 모두 제출해 독려할 교류회가 없습니다.") % {"where": where}]
    else:
        summary = [
            _("%(count)s개 교류회에 독려 메일을 보냅니다.") % {"count": count},
            _(
                "%(where)s에서 %(year)s년 실태조사 응답을 제출하지 않은 교류회의 임원에게 알림과 메일이 갑니다(임원 계정이 없는 교류회는 회장·총무 회원사의 메일로)."
            )
            % {"where": where, "year": year},
        ]
    return confirm_page(
        request,
        form,
        title=_("실태조사 응답 독려"),
        summary=summary,
        action_label=_("독려 보내기"),
        cancel_url=status_url,
        crumbs=_crumbs(survey),
        danger=False,
        allowed=survey.is_open and count > 0,
    )


@login_required
@require_http_methods(["GET", "POST"])
def response_reopen(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """ "수정 요청": staff send a submitted answer back to the group's officers, with a reason."""
    survey = _survey(year)
    group = get_object_or_404(
        ExchangeGroup.objects.visible_to(request.user).select_related("federation"), code=code
    )
    if not can_reopen(request.user, group):
        raise PermissionDenied(_("이 교류회의 응답에 수정 요청을 할 권한이 없습니다."))
    response = get_object_or_404(SurveyResponse.objects.visible_to(request.user), survey=survey, group=group)
    answer_url = reverse("surveys:group_answer", kwargs={"year": year, "code": code})
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request,
                form,
                lambda: services.reopen_response(
                    response, actor=request.user, reason=form.cleaned_data["reason"]
                ),
                result_url=answer_url,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, answer_url)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_service_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect(answer_url)
        else:
            messages.success(
                request,
                _("%(group)s의 응답을 작성 중으로 되돌리고 교류회 임원에게 수정 요청을 보냈습니다.")
                % {"group": group.name},
            )
            return redirect(answer_url)
    allowed = survey.is_open and response.is_submitted
    if not survey.is_open:
        summary = [_("마감된 조사의 응답은 수정 요청할 수 없습니다. 조사를 다시 연 뒤 요청해 주세요.")]
    elif not response.is_submitted:
        summary = [_("제출된 응답이 아니어서 수정 요청할 수 없습니다.")]
    else:
        summary = [
            _("%(group)s의 %(year)s년 응답을 작성 중으로 되돌립니다.") % {"group": group.name, "year": year},
            _(
                "교류회 임원이 응답을 고쳐 다시 제출할 때까지 집계에서 빠지며, 임원에게 사유가 알림으로 전달됩니다."
            ),
        ]
    return confirm_page(
        request,
        form,
        title=_("실태조사 응답 수정 요청"),
        summary=summary,
        action_label=_("수정 요청 보내기"),
        cancel_url=answer_url,
        crumbs=_crumbs(survey, (group.name, answer_url)),
        danger=False,
        allowed=allowed,
    )


@login_required
def my_answer(request: HttpRequest, year: int) -> HttpResponse:
    """An officer's way in (the link in reminders): their group's form, or a choice among their groups."""
    survey = _survey(year)
    scope = scope_of(request.user)
    groups = list(ExchangeGroup.objects.filter(id__in=scope.officer_group_ids).order_by("name"))
    if len(groups) == 1:
        return redirect("surveys:group_answer", year=year, code=groups[0].code)
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
            answer_url = reverse("surveys:group_answer", kwargs={"year": year, "code": code})

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
            "can_reopen": bool(
                response and response.is_submitted and survey.is_open and can_reopen(request.user, group)
            ),
        },
        status=status,
    )
