"""The programmes hub and the call pages (services: `call_services`; sentences: `call_rules_text`).

Everyone signed in reads published calls; central staff also see drafts and alone create, edit, publish
and correct calls (403 on a call they can see, 404 on a draft they cannot)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.confirm import ConfirmForm, confirm_page
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.core.versions import StaleEdit, show_conflict

from . import call_rules_text, call_services
from .call_forms import CallForm, CorrectionForm
from .models import Call, CostCategory, SelectionDecision


def _require_central(request: HttpRequest) -> None:
    if not scope_of(request.user).central:
        raise PermissionDenied(_("공모는 연합회 중앙 담당자만 만들고 고칠 수 있습니다."))


def _visible_call(request: HttpRequest, code: str) -> Call:
    return get_object_or_404(Call.objects.visible_to(request.user), code=code)


def annotate_calls(calls: list[Call], now: Any) -> list[Call]:
    for call in calls:
        call.state = call_rules_text.state_of(call, now)  # type: ignore[attr-defined]
        call.state_label = str(call_rules_text.STATE_LABELS[call.state])  # type: ignore[attr-defined]
        call.window = call_rules_text.window_text(call.opens_on, call.closes_on)  # type: ignore[attr-defined]
    return calls


def _grouped(user: Any) -> dict[str, list[Call]]:
    return group_calls(Call.objects.visible_to(user))


def group_calls(calls_queryset: Any) -> dict[str, list[Call]]:
    """Calls by state (`call_rules_text.STATE_LABELS`), each annotated with its state and window; the
    programmes hub, the call list and the public calls page (`public_views`) read this."""
    now = timezone.now()
    calls = annotate_calls(list(calls_queryset.order_by("-opens_on", "-id")), now)
    groups: dict[str, list[Call]] = {state: [] for state in call_rules_text.STATE_LABELS}
    for call in calls:
        groups[call.state].append(call)  # type: ignore[attr-defined]
    # Upcoming calls soonest first; the others most recent first.
    groups[call_rules_text.UPCOMING].reverse()
    return groups


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    groups = _grouped(request.user)
    return render(
        request,
        "programmes/home.html",
        {
            "open_calls": groups[call_rules_text.OPEN],
            "upcoming_calls": groups[call_rules_text.UPCOMING],
            "closed_calls": groups[call_rules_text.CLOSED][:10],
            "draft_calls": groups[call_rules_text.DRAFT],
            "central": scope_of(request.user).central,
        },
    )


@login_required
@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    groups = _grouped(request.user)
    sections = [
        (state, call_rules_text.STATE_LABELS[state], groups[state])
        for state in (
            call_rules_text.OPEN,
            call_rules_text.UPCOMING,
            call_rules_text.CLOSED,
            call_rules_text.DRAFT,
        )
        if state != call_rules_text.DRAFT or groups[state]
    ]
    return render(
        request,
        "programmes/calls/list.html",
        {"sections": sections, "central": scope_of(request.user).central},
    )


@login_required
@require_GET
def call_detail(request: HttpRequest, code: str) -> HttpResponse:
    call = _visible_call(request, code)
    now = timezone.now()
    annotate_calls([call], now)
    topics = list(call.topics.select_related("growth_engine").order_by("code"))
    revisions = list(call.revisions.select_related("created_by").order_by("-number"))
    central = scope_of(request.user).central
    return render(
        request,
        "programmes/calls/detail.html",
        {
            "call": call,
            "sentences": call_rules_text.rules_sentences(call),
            "criteria": call.criteria or [],
            "criteria_total": sum(int(row.get("points") or 0) for row in call.criteria or []),
            "topics": topics,
            "revisions": revisions,
            "central": central,
            "frozen": call.is_frozen(now),
            "decided": SelectionDecision.objects.filter(call=call).exists(),
        },
    )


def _form_page(request: HttpRequest, form: Any, call: Call | None, status: int, **extra: Any) -> HttpResponse:
    return render(request, "programmes/calls/form.html", {"form": form, "call": call, **extra}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest) -> HttpResponse:
    _require_central(request)
    form = CallForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            call = onetime.submit_once(
                request,
                form,
                lambda: call_services.create_call(actor=request.user, **form.service_fields()),
                result_url=lambda c: reverse("programmes:call_detail", kwargs={"code": c.code}),
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, reverse("programmes:call_list"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("공모를 만들었습니다. 내용을 확인한 뒤 공개해 주세요."))
            return redirect("programmes:call_detail", code=call.code)
    status = INVALID_FORM_STATUS if request.method == "POST" else 200
    return _form_page(request, form, None, status)


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, code: str) -> HttpResponse:
    call = _visible_call(request, code)
    _require_central(request)
    if call.is_frozen():
        # Refused whatever is posted: the rules are frozen, a correction is the only change left.
        return render(
            request,
            "programmes/calls/frozen.html",
            {"call": call, "message": call_services.frozen_message(call)},
        )
    form = CallForm(request.POST if request.method == "POST" else None, call=call)
    conflict: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        try:
            call = call_services.update_call(
                call, actor=request.user, expected_version=form.expected_version, **form.service_fields()
            )
        except StaleEdit as stale:
            conflict = show_conflict(form, stale)
        except ValidationError as exc:
            if exc.code == call_services.FROZEN:
                return render(
                    request, "programmes/calls/frozen.html", {"call": call, "message": exc.messages[0]}
                )
            add_service_errors(form, exc)
        else:
            messages.success(request, _("공모를 고쳤습니다."))
            return redirect("programmes:call_detail", code=call.code)
    status = INVALID_FORM_STATUS if request.method == "POST" else 200
    return _form_page(request, form, call, status, **conflict)


@login_required
@require_http_methods(["GET", "POST"])
def call_publish(request: HttpRequest, code: str) -> HttpResponse:
    call = _visible_call(request, code)
    _require_central(request)
    detail_url = reverse("programmes:call_detail", kwargs={"code": call.code})
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    allowed = call.published_at is None
    if request.method == "POST" and allowed and form.is_valid():
        try:
            onetime.submit_once(
                request,
                form,
                lambda: call_services.publish_call(call, actor=request.user),
                result_url=detail_url,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, detail_url)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(detail_url)
        messages.success(request, _("공모를 공개했습니다. 규칙이 1차로 기록되었습니다."))
        return redirect(detail_url)
    if allowed:
        summary = [
            _("공모를 모든 사용자에게 공개합니다: %(title)s") % {"title": call.title},
            _("접수 기간: %(window)s")
            % {"window": call_rules_text.window_text(call.opens_on, call.closes_on)},
            _(
                "지금의 규칙이 1차 규칙으로 기록됩니다. 접수가 시작되면 규칙은 고칠 수 없고, 사유를 적어 정정만 할 수 있습니다."
            ),
            *call_rules_text.rules_sentences(call),
        ]
    else:
        summary = [_("이미 공개된 공모입니다.")]
    return confirm_page(
        request,
        form,
        title=_("공모 공개"),
        summary=summary,
        action_label=_("공개"),
        cancel_url=detail_url,
        danger=False,
        allowed=allowed,
        status=None if allowed else 200,
        crumbs=[
            (_("지원사업"), reverse("programmes:home")),
            (_("공모"), reverse("programmes:call_list")),
            (call.title, detail_url),
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_correct(request: HttpRequest, code: str) -> HttpResponse:
    call = _visible_call(request, code)
    _require_central(request)
    if not call.is_frozen():
        messages.info(request, _("아직 접수가 시작되지 않은 공모는 정정 없이 수정 화면에서 고칩니다."))
        return redirect("programmes:call_edit", code=call.code)
    form = CorrectionForm(request.POST if request.method == "POST" else None, call=call)
    conflict: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        try:
            call = call_services.correct_call(
                call, actor=request.user, expected_version=form.expected_version, **form.service_fields()
            )
        except StaleEdit as stale:
            conflict = show_conflict(form, stale)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("규칙을 %(revision)s차로 정정하고, 제출된 신청 %(n)s건을 다시 검토했습니다.")
                % {"revision": call.revision, "n": call.rechecked},  # type: ignore[attr-defined]
            )
            return redirect("programmes:call_detail", code=call.code)
    status = INVALID_FORM_STATUS if request.method == "POST" else 200
    return render(
        request,
        "programmes/calls/correct.html",
        {
            "form": form,
            "call": call,
            "submitted": call_services.submitted_applications(call).count(),
            **conflict,
        },
        status=status,
    )


@login_required
@require_GET
def cost_category_list(request: HttpRequest) -> HttpResponse:
    categories = list(CostCategory.objects.order_by("-edition", "sort_order", "code"))
    editions: dict[str, list[CostCategory]] = {}
    for category in categories:
        editions.setdefault(category.edition, []).append(category)
    return render(request, "programmes/calls/cost_categories.html", {"editions": list(editions.items())})
