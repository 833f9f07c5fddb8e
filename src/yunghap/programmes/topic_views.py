"""The topic pages (유망과제): the list, proposing, the topic with its matching panels, editing, screening.

Views stay thin: visibility from `Topic.objects.visible_to` (404 outside it), rights from
`topic_services.may_*` (403), changes through `topic_services`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.core.versions import StaleEdit, show_conflict
from yunghap.network.models import Firm

from . import discovery, topic_services
from .models import GrowthEngine, Topic
from .topic_forms import DesignateForm, ScreenForm, TopicFilterForm, TopicForm

PAGE_SIZE = 20
SEARCH_WORDS = 5

STATUS_BADGES = {
    Topic.Status.PROPOSED: "bg-light-gray",
    Topic.Status.ACCEPTED: "bg-light-success",
    Topic.Status.REJECTED: "bg-light-danger",
    Topic.Status.LEADING: "bg-primary",
}


def _topic(request: HttpRequest, code: str) -> Topic:
    return get_object_or_404(
        Topic.objects.visible_to(request.user).select_related(
            "growth_engine", "proposer_firm", "proposer_group", "proposed_by", "screened_by"
        ),
        code=code,
    )


@login_required
@require_GET
def topic_list(request: HttpRequest) -> HttpResponse:
    engines = list(GrowthEngine.objects.order_by("code"))
    form = TopicFilterForm(request.GET or None, engines=engines)
    filters = form.filters()
    qs = Topic.objects.visible_to(request.user).select_related("growth_engine")
    if filters.get("engine"):
        qs = qs.filter(growth_engine__code=filters["engine"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    for word in filters.get("q", "").split()[:SEARCH_WORDS]:
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(code__icontains=word))
    page = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/topics/list.html",
        {
            "form": form,
            "engines": engines,
            "statuses": Topic.Status.choices,
            "filters": filters,
            "page_obj": page,
            "topics": page.object_list,
            "badges": STATUS_BADGES,
            "can_propose": topic_services.may_propose(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def topic_create(request: HttpRequest) -> HttpResponse:
    if not topic_services.may_propose(request.user):
        raise PermissionDenied(
            _("교류망 회원(회원사·교류회·코디네이터·연합회 담당자)만 과제를 제안할 수 있습니다.")
        )
    form = TopicForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            topic = onetime.submit_once(
                request,
                form,
                lambda: topic_services.propose_topic(
                    actor=request.user, **form.service_fields(), **form.proposer_fields()
                ),
                result_url=lambda t: reverse("programmes:topic_detail", args=[t.code]),
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, reverse("programmes:topic_list"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("과제를 제안했습니다(과제 코드 %(code)s). 연합회 담당자가 검토합니다.")
                % {"code": topic.code},
            )
            return redirect("programmes:topic_detail", code=topic.code)
    status = INVALID_FORM_STATUS if request.method == "POST" else 200
    return render(request, "programmes/topics/form.html", {"form": form, "topic": None}, status=status)


@login_required
@require_GET
def topic_detail(request: HttpRequest, code: str) -> HttpResponse:
    topic = _topic(request, code)
    scope = scope_of(request.user)
    calls = list(topic.calls.visible_to(request.user).order_by("-opens_on", "code"))
    capabilities = list(topic.capabilities.order_by("name"))
    leads: list[Any] = []
    needs: list[Any] = []
    if scope.has_network_access:
        leads, needs = topic_services.topic_matches(topic, request.user, capabilities)
    candidates: list[Any] = []
    if scope.staff:
        # Interested firms (과제발굴's "관심 있음"), within what the reader may see of the registry.
        candidates = list(
            discovery.candidate_firms(topic)
            .filter(pk__in=Firm.objects.visible_to(request.user).values("pk"))
            .select_related("federation", "industry")
        )
    return render(
        request,
        "programmes/topics/detail.html",
        {
            "topic": topic,
            "capabilities": [c.name for c in capabilities],
            "calls": calls,
            "leads": leads,
            "needs": needs,
            "show_matches": scope.has_network_access,
            "show_candidates": scope.staff,
            "candidates": candidates,
            "badges": STATUS_BADGES,
            "can_edit": topic_services.may_edit(request.user, topic),
            "can_screen": topic_services.may_screen(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def topic_edit(request: HttpRequest, code: str) -> HttpResponse:
    topic = _topic(request, code)
    if not topic_services.may_edit(request.user, topic):
        if topic_services.is_proposer(request.user, topic):
            raise PermissionDenied(_("검토가 끝난 과제는 연합회 담당자만 고칠 수 있습니다."))
        raise PermissionDenied(_("이 과제를 고칠 권한이 없습니다."))
    form = TopicForm(request.POST or None, instance=topic, user=request.user)
    context: dict[str, Any] = {"topic": topic}
    if request.method == "POST" and form.is_valid():
        try:
            topic_services.update_topic(
                topic, actor=request.user, expected_version=form.expected_version, **form.service_fields()
            )
        except StaleEdit as stale:
            current = stale.current

            def current_value(name: str) -> Any:
                if name == "capabilities":
                    return list(current.capabilities.all())  # type: ignore[attr-defined]
                return getattr(current, name, None)

            context.update(show_conflict(form, stale, current_value=current_value))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("과제를 고쳤습니다."))
            return redirect("programmes:topic_detail", code=topic.code)
    status = INVALID_FORM_STATUS if request.method == "POST" else 200
    return render(request, "programmes/topics/form.html", {**context, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def topic_screen(request: HttpRequest, code: str) -> HttpResponse:
    topic = _topic(request, code)
    if not topic_services.may_screen(request.user):
        raise PermissionDenied(_("연합회 담당자만 과제를 검토할 수 있습니다."))
    may_designate = topic_services.may_designate(request.user)
    screen_form = ScreenForm()
    designate_form = DesignateForm() if may_designate else None
    if request.method == "POST":
        if request.POST.get("action") == "designate":
            if not may_designate:
                raise PermissionDenied(_("선도과제 지정은 중앙회 담당자만 할 수 있습니다."))
            designate_form = DesignateForm(request.POST)
            if designate_form.is_valid():
                call = designate_form.cleaned_data["call"]
                try:
                    done = topic_services.designate_topic(topic, call, actor=request.user)
                except ValidationError as exc:
                    add_service_errors(designate_form, exc)
                else:
                    if done:
                        messages.success(
                            request,
                            _("공모 ‘%(call)s’의 선도과제로 지정했습니다.") % {"call": call.title},
                        )
                    else:
                        messages.info(request, _("이미 이 공모의 선도과제입니다."))
                    return redirect("programmes:topic_detail", code=topic.code)
        else:
            screen_form = ScreenForm(request.POST)
            if screen_form.is_valid():
                accepted = screen_form.cleaned_data["decision"] == "accepted"
                try:
                    topic_services.screen_topic(
                        topic, actor=request.user, accepted=accepted, note=screen_form.cleaned_data["note"]
                    )
                except ValidationError as exc:
                    add_service_errors(screen_form, exc)
                else:
                    messages.success(request, _("검토 결과를 저장했습니다. 제안자에게 알렸습니다."))
                    return redirect("programmes:topic_detail", code=topic.code)
    status = INVALID_FORM_STATUS if request.method == "POST" else 200
    return render(
        request,
        "programmes/topics/screen.html",
        {
            "topic": topic,
            "screen_form": screen_form,
            "designate_form": designate_form,
            "badges": STATUS_BADGES,
            "leading": topic.status == Topic.Status.LEADING,
        },
        status=status,
    )
