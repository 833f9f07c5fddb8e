"""Mentoring pages (/coaching/mentoring/): the pairs one sees, proposing a pair, a pair's page with its
moves, sessions and reviews, and suggested mentors for a junior firm. Thin: rules in `coaching.mentoring`,
writes in `coaching.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.core.params import BadParameter, parse_id
from yunghap.core.versions import StaleEdit

from . import mentoring, services
from .forms import MentoringSessionForm, MentorshipForm, ReviewForm
from .models import Mentorship
from .scope import juniors_in_reach, reaches_caseload
from .suggest import suggest_mentors

PAGE_SIZE = 50


def _manager(request: HttpRequest) -> None:
    if not reaches_caseload(request.user):
        raise PermissionDenied(_("연합회 담당자와 코디네이터만 멘토링을 맺습니다."))


@login_required
@require_GET
def mentorship_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if not (reaches_caseload(request.user) or scope.firm_ids):
        raise PermissionDenied(_("멘토링은 연합회 담당자, 코디네이터와 회원사가 봅니다."))
    rows = (
        Mentorship.objects.visible_to(request.user)
        .select_related("senior", "junior")
        .prefetch_related("reviews")
        .order_by("-starts_on", "-pk")
    )
    state = request.GET.get("state", "")
    if state in Mentorship.State.values:
        rows = rows.filter(state=state)
    else:
        state = ""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/mentorship_list.html",
        {
            "page_obj": page,
            "rows": list(page.object_list),
            "states": Mentorship.State.choices,
            "state": state,
            "may_pair": reaches_caseload(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mentorship_create(request: HttpRequest) -> HttpResponse:
    _manager(request)
    status = 200
    if request.method == "POST":
        form = MentorshipForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                pair = onetime.submit_once(
                    request,
                    form,
                    lambda: services.propose_mentorship(actor=request.user, **data),
                    result_url=reverse("coaching:mentorship_list"),
                )
            except onetime.AlreadySubmitted as done:
                return done.response(request)
            except PermissionDenied as exc:
                form.add_error("junior", str(exc))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("멘토링을 제안했습니다."))
                return redirect("coaching:mentorship_detail", pk=pair.pk)
        status = INVALID_FORM_STATUS
    else:
        initial: dict[str, Any] = {}
        for name in ("junior", "senior"):
            pk = parse_id(request.GET.get(name, ""))
            if pk is not None:
                initial[name] = pk
        form = MentorshipForm(user=request.user, initial=initial)
    return render(request, "coaching/mentorship_form.html", {"form": form}, status=status)


def _visible_pair(request: HttpRequest, pk: int) -> Mentorship:
    return get_object_or_404(
        Mentorship.objects.visible_to(request.user).select_related("senior", "junior", "proposed_by"), pk=pk
    )


def _detail(request: HttpRequest, pair: Mentorship, **forms: Any) -> HttpResponse:
    sides = mentoring.sides_of(request.user, pair)
    member = bool(sides & {"senior", "junior"})
    reviews = list(pair.reviews.select_related("firm", "written_by").order_by("pk"))
    reviewed = {r.firm_id for r in reviews}
    own_firms = {pair.senior_id, pair.junior_id} & scope_of(request.user).firm_ids
    may_review = member and pair.state == Mentorship.State.ENDED and bool(own_firms - reviewed)
    status = INVALID_FORM_STATUS if any(f.is_bound for f in forms.values()) else 200
    return render(
        request,
        "coaching/mentorship_detail.html",
        {
            "pair": pair,
            "moves": mentoring.allowed_moves(pair, sides),
            "sessions": list(pair.sessions.select_related("firm", "logged_by").order_by("-held_on", "-pk")),
            "reviews": reviews,
            "complete": pair.state == Mentorship.State.ENDED and {pair.senior_id, pair.junior_id} <= reviewed,
            "session_form": forms.get("session_form")
            or (MentoringSessionForm() if member and pair.state == Mentorship.State.ACTIVE else None),
            "review_form": forms.get("review_form") or (ReviewForm() if may_review else None),
        },
        status=status,
    )


@login_required
@require_GET
def mentorship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible_pair(request, pk))


@login_required
@require_POST
def mentorship_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    pair = _visible_pair(request, pk)
    if move not in mentoring.MOVES:
        raise Http404
    url = reverse("coaching:mentorship_detail", kwargs={"pk": pair.pk})
    raw = request.POST.get("version", "")
    expected = parse_id(raw) if raw else None
    if raw and expected is None:
        raise BadParameter(_("버전 값이 올바르지 않습니다."))
    try:
        services.move_mentorship(pair, move, actor=request.user, expected_version=expected)
    except StaleEdit:
        messages.error(request, _("다른 사용자가 먼저 이 멘토링을 바꾸었습니다. 지금 상태를 확인해 주세요."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("멘토링을 %(move)s했습니다.") % {"move": mentoring.MOVES[move].label})
    return redirect(url)


def _member_only(request: HttpRequest, pair: Mentorship) -> None:
    if not {pair.senior_id, pair.junior_id} & scope_of(request.user).firm_ids:
        raise PermissionDenied(_("멘토링을 맺은 두 기업의 사용자만 기록합니다."))


@login_required
@require_POST
def mentoring_session_add(request: HttpRequest, pk: int) -> HttpResponse:
    pair = _visible_pair(request, pk)
    _member_only(request, pair)
    url = reverse("coaching:mentorship_detail", kwargs={"pk": pair.pk})
    form = MentoringSessionForm(request.POST)
    done = onetime.post_once(
        request,
        form,
        lambda: services.log_mentoring_session(pair, actor=request.user, **form.cleaned_data),
        result_url=url,
        success=_("멘토링 기록을 남겼습니다."),
    )
    if done is not None:
        return done
    return _detail(request, pair, session_form=form)


@login_required
@require_POST
def mentorship_review(request: HttpRequest, pk: int) -> HttpResponse:
    pair = _visible_pair(request, pk)
    _member_only(request, pair)
    url = reverse("coaching:mentorship_detail", kwargs={"pk": pair.pk})
    form = ReviewForm(request.POST)
    done = onetime.post_once(
        request,
        form,
        lambda: services.review_mentorship(pair, actor=request.user, body=form.cleaned_data["body"]),
        result_url=url,
        success=_("소감을 남겼습니다."),
    )
    if done is not None:
        return done
    return _detail(request, pair, review_form=form)


@login_required
@require_GET
def mentor_suggestions(request: HttpRequest) -> HttpResponse:
    _manager(request)
    juniors = juniors_in_reach(request.user).select_related("industry", "federation")
    raw = request.GET.get("firm", "")
    junior = None
    if raw:
        pk = parse_id(raw)
        if pk is None:
            raise BadParameter(_("기업 값이 올바르지 않습니다."))
        junior = juniors.filter(pk=pk).first()
        if junior is None:
            raise Http404
    same = request.GET.get("same_industry", "") == "1"
    suggestions: list[Any] = []
    hint = ""
    if junior is not None:
        suggestions, hint = suggest_mentors(junior, viewer=request.user, include_same_industry=same)
    from django.utils.formats import localize  # noqa: F401  (ids are unlocalized in the template)

    return render(
        request,
        "coaching/mentor_suggestions.html",
        {
            "junior": junior,
            "juniors": [(f.pk, f.name) for f in juniors.order_by("name", "pk")[:2000]],
            "selected": junior.pk if junior else "",
            "same_industry": same,
            "suggestions": suggestions,
            "hint": hint,
        },
    )
