"""Success stories' pages: the public view (published only, anonymous allowed, no personal data) and the
staff view (the workflow: start, write, consents, publish), kept apart."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.confirm import ConfirmForm, confirm_page
from yunghap.core.http import BAD_PARAMETER_STATUS
from yunghap.core.korean import fill
from yunghap.core.versions import StaleEdit
from yunghap.network.models import ExchangeType, Federation, Industry
from yunghap.programmes.models import Agreement, GrowthEngine

from . import services
from .forms import StoryForm, StorySearchForm
from .models import StoryConsent, StoryState, SuccessStory
from .workflow import MOVES, allowed_now, may


def _search(request: HttpRequest, stories: QuerySet[SuccessStory]) -> tuple[StorySearchForm, Any, bool]:
    form = StorySearchForm(
        request.GET or None,
        industries=list(Industry.objects.order_by("code")),
        engines=list(GrowthEngine.objects.all()),
        types=list(ExchangeType.objects.all()),
        regions=list(Federation.objects.filter(level=Federation.Level.REGIONAL)),
    )
    if form.is_bound and not form.is_valid():
        return form, stories.none(), False
    cleaned = form.cleaned_data if form.is_bound else {}
    for key in ("industry_a", "industry_b"):
        if cleaned.get(key):
            stories = stories.filter(industries__code=cleaned[key])
    if cleaned.get("engine"):
        stories = stories.filter(growth_engine__code=cleaned["engine"])
    if cleaned.get("type"):
        stories = stories.filter(exchange_types__code=cleaned["type"])
    if cleaned.get("region"):
        stories = stories.filter(region__code=cleaned["region"])
    return form, stories.distinct().select_related("growth_engine", "region"), True


# --- the public view -------------------------------------------------------------------------------------


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    form, stories, valid = _search(request, SuccessStory.objects.published())
    return render(
        request,
        "stories/public_list.html",
        {"form": form, "stories": list(stories[:200])},
        status=200 if valid else BAD_PARAMETER_STATUS,
    )


@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(
        SuccessStory.objects.published().select_related("growth_engine", "region"), pk=pk
    )
    return render(request, "stories/public_detail.html", {"story": story, "facts": story.facts})


# --- the staff view --------------------------------------------------------------------------------------


def _crumbs() -> list[tuple[str, str]]:
    return [(_("성공사례 관리"), reverse("stories:list"))]


@login_required
@require_GET
def story_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if not (scope.staff or scope.firm_ids):
        raise PermissionDenied(_("성공사례 관리는 연합회 직원과 참여기업이 봅니다."))
    form, stories, valid = _search(request, SuccessStory.objects.visible_to(request.user))
    return render(
        request,
        "stories/list.html",
        {
            "form": form,
            "stories": list(stories[:500]),
            "candidates": list(services.candidates()[:100]) if scope.central else [],
        },
        status=200 if valid else BAD_PARAMETER_STATUS,
    )


def _visible(request: HttpRequest, pk: int) -> SuccessStory:
    return get_object_or_404(
        SuccessStory.objects.visible_to(request.user).select_related("growth_engine", "region"), pk=pk
    )


@login_required
@require_GET
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = _visible(request, pk)
    consented = set(StoryConsent.objects.filter(story=story).values_list("firm_id", flat=True))
    members = [{**m, "consented": m["firm_id"] in consented} for m in story.facts.get("members", [])]
    return render(
        request,
        "stories/detail.html",
        {
            "story": story,
            "facts": story.facts,
            "members": members,
            "missing": sum(1 for m in members if not m["consented"]),
            "moves": [m for m in allowed_now(story, request.user) if m.action != "edit"],
            "may_edit": story.state == StoryState.DRAFT and may("edit", story, request.user),
            "own_firm_ids": scope_of(request.user).firm_ids,
            "crumbs": _crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_start(request: HttpRequest, agreement: int) -> HttpResponse:
    """Central staff start a story of a settled consortium with a good result (asks first)."""
    found = get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related("application__consortium__lead"),
        pk=agreement,
    )
    if not scope_of(request.user).central:
        raise PermissionDenied(_("성공사례는 중앙연합회 직원이 시작합니다."))
    error = services.good_result_error(found)
    taken = SuccessStory.objects.filter(agreement=found).exclude(state=StoryState.WITHDRAWN).first()
    if taken and not error:
        error = _("이 협약의 성공사례가 이미 있습니다.")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    back = reverse("stories:list")
    if request.method == "POST" and not error and form.is_valid():
        try:
            story = onetime.submit_once(
                request,
                form,
                lambda: services.start_story(found, actor=request.user),
                result_url=lambda s: reverse("stories:detail", args=[s.pk]),
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, back)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(back)
        messages.success(request, _("성공사례를 시작했습니다. 기록에서 채운 초안을 다듬어 주세요."))
        return redirect("stories:detail", story.pk)
    application = found.application
    summary = (
        [error]
        if error
        else [
            fill(
                _(
                    "%(title)s(%(ref)s)의 성공사례를 기록(참여기업, 과제, 자금, 성과, 교류회와 소개)에서 채워 시작합니다."
                ),
                {"title": application.title, "ref": application.ref},
            ),
            _("참여기업 모두가 동의해야 게시할 수 있습니다."),
        ]
    )
    return confirm_page(
        request,
        form,
        title=_("성공사례 시작"),
        summary=summary,
        action_label=pgettext("story action", "시작"),
        cancel_url=back,
        danger=False,
        allowed=not error,
        status=None if not error else 200,
        crumbs=_crumbs(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = _visible(request, pk)
    if not may("edit", story, request.user):
        raise PermissionDenied(_("성공사례의 본문은 중앙연합회 직원이 고칩니다."))
    detail = reverse("stories:detail", args=[story.pk])
    if story.state != StoryState.DRAFT:
        messages.error(
            request, _("작성 중인 성공사례만 고칠 수 있습니다. 먼저 '다시 작성'으로 되돌려 주세요.")
        )
        return redirect(detail)
    initial = {"title": story.title, "summary": story.summary, "body": story.body}
    if request.method == "POST":
        form = StoryForm(request.POST, version=story.version)
        if form.is_valid():
            try:
                services.edit_story(
                    story,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                    body=form.cleaned_data["body"],
                    expected_version=form.expected_version,
                )
            except StaleEdit as stale:
                form.show_conflict(stale)
                form.add_error(None, stale)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("저장했습니다."))
                return redirect(detail)
    else:
        form = StoryForm(initial=initial, version=story.version)
    return render(
        request,
        "stories/edit.html",
        {"story": story, "form": form, "crumbs": [*_crumbs(), (story.title, detail)]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A workflow move (stories.workflow.MOVES): GET says what will happen, POST does it once."""
    if action not in MOVES or action == "edit":
        raise Http404(_("알 수 없는 작업입니다."))
    story = _visible(request, pk)
    if not may(action, story, request.user):
        raise PermissionDenied(_("이 작업을 할 권한이 없습니다."))
    move = MOVES[action]
    detail = reverse("stories:detail", args=[story.pk])
    reason = ""
    if story.state not in move.sources:
        reason = fill(
            _("'%(state)s' 상태에서는 %(action)s을(를) 할 수 없습니다."),
            {"state": story.get_state_display(), "action": str(move.label)},
        )
    elif action == "publish" and services.missing_consents(story):
        reason = fill(
            _("모든 참여기업이 동의해야 게시할 수 있습니다. 아직 동의하지 않은 기업이 %(count)s곳 있습니다."),
            {"count": services.missing_consents(story)},
        )
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not reason and form.is_valid():
        try:
            onetime.submit_once(
                request,
                form,
                lambda: services.move_story(story, action, actor=request.user),
                result_url=detail,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, detail)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(detail)
        messages.success(request, fill(_("%(action)s을(를) 마쳤습니다."), {"action": str(move.label)}))
        return redirect(detail)
    return confirm_page(
        request,
        form,
        title=fill(_("성공사례 %(action)s"), {"action": str(move.label)}),
        summary=[reason] if reason else [str(move.summary), story.title],
        action_label=str(move.label),
        cancel_url=detail,
        danger=action in ("withdraw", "revise", "revoke_consent"),
        allowed=not reason,
        status=None if not reason else 200,
        crumbs=[*_crumbs(), (story.title, detail)],
    )
