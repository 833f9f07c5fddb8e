"""Coaching pages (/coaching/): the caseload, coaching sessions and their next steps, the settings.
Thin: reads through `coaching.scope` / `coaching.caseload`, writes through `coaching.services`."""

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
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.core.params import parse_id
from yunghap.core.versions import StaleEdit, show_conflict

from . import services
from .caseload import caseload_of
from .forms import NextStepForm, NoteForm, SessionEditForm, SessionForm, SettingsForm
from .models import CoachingSession, CoachingSettings, NextStep
from .scope import reaches_caseload, session_subjects

PAGE_SIZE = 50


def _caseload_user(request: HttpRequest) -> None:
    if not reaches_caseload(request.user):
        raise PermissionDenied(_("코디네이터와 연합회 담당자만 이용할 수 있습니다."))


@login_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    _caseload_user(request)
    scope = scope_of(request.user)
    return render(
        request,
        "coaching/caseload.html",
        {
            "case": caseload_of(request.user),
            "may_log": bool(scope.coordinator_group_ids),
            "central": scope.central,
        },
    )


@login_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    _caseload_user(request)
    rows = (
        CoachingSession.objects.visible_to(request.user)
        .select_related("coordinator", "group", "consortium", "firm")
        .order_by("-held_on", "-pk")
    )
    kind = request.GET.get("kind", "")
    if kind in CoachingSession.Kind.values:
        rows = rows.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/session_list.html",
        {
            "page_obj": page,
            "rows": list(page.object_list),
            "kinds": CoachingSession.Kind.choices,
            "kind": kind,
            "may_log": bool(scope_of(request.user).coordinator_group_ids),
        },
    )


def _subject(user: Any, value: str) -> Any:
    kind, _sep, raw = (value or "").partition(":")
    pk = parse_id(raw)
    groups, consortia, firms = session_subjects(user)
    source = {"group": groups, "consortium": consortia, "firm": firms}.get(kind)
    if source is None or pk is None:
        return None
    return source.filter(pk=pk).first()


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    if not scope_of(request.user).coordinator_group_ids:
        raise PermissionDenied(_("코칭 기록은 코디네이터가 남깁니다."))
    status = 200
    if request.method == "POST":
        form = SessionForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            subject = _subject(request.user, data["subject"])
            try:
                session = onetime.submit_once(
                    request,
                    form,
                    lambda: services.log_session(
                        actor=request.user,
                        subject=subject,
                        held_on=data["held_on"],
                        kind=data["kind"],
                        notes=data["notes"],
                        steps=[services.StepInput(text, due) for text, due in data["steps"]],
                        write_note=data["write_note"],
                        note_topic=data["note_topic"],
                        note_body=data["note_body"],
                    ),
                    result_url=reverse("coaching:session_list"),
                )
            except onetime.AlreadySubmitted as done:
                return done.response(request)
            except PermissionDenied as exc:
                form.add_error("subject", str(exc))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("코칭 기록을 남겼습니다."))
                return redirect("coaching:session_detail", pk=session.pk)
        status = INVALID_FORM_STATUS
    else:
        form = SessionForm(user=request.user)
        wanted = request.GET.get("subject", "")
        if wanted and _subject(request.user, wanted) is not None:
            form.initial["subject"] = wanted
    return render(request, "coaching/session_form.html", {"form": form}, status=status)


def _visible_session(request: HttpRequest, pk: int) -> CoachingSession:
    return get_object_or_404(
        CoachingSession.objects.visible_to(request.user).select_related(
            "coordinator", "group", "consortium__call", "consortium__lead", "firm", "pre_planning_note"
        ),
        pk=pk,
    )


def _detail(request: HttpRequest, session: CoachingSession, **forms: Any) -> HttpResponse:
    mine = services.may_change_session(request.user, session)
    from yunghap.programmes.models import PrePlanningNote

    notes: list[Any] = []
    if session.consortium_id is not None:
        notes = list(
            PrePlanningNote.objects.filter(consortium_id=session.consortium_id)
            .select_related("author", "topic")
            .order_by("-created_at", "-pk")[:20]
        )
    elif session.pre_planning_note_id is not None:
        notes = [session.pre_planning_note]
    application = getattr(session.consortium, "application", None) if session.consortium_id else None
    status = INVALID_FORM_STATUS if any(f.is_bound for f in forms.values()) else 200
    context = {
        "session": session,
        "steps": list(session.next_steps.all()),
        "mine": mine,
        "notes": notes,
        "application": application,
        "step_form": forms.get("step_form") or (NextStepForm() if mine else None),
        "note_form": forms.get("note_form")
        or (
            NoteForm(user=request.user)
            if mine and session.kind == CoachingSession.Kind.PRE_PLANNING
            else None
        ),
    }
    return render(request, "coaching/session_detail.html", context, status=status)


@login_required
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible_session(request, pk))


def _mine(request: HttpRequest, session: CoachingSession) -> None:
    if not services.may_change_session(request.user, session):
        raise PermissionDenied(_("코칭 기록은 기록한 코디네이터만 고칠 수 있습니다."))


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    _mine(request, session)
    url = reverse("coaching:session_detail", kwargs={"pk": session.pk})
    context: dict[str, Any] = {"session": session}
    status = 200
    if request.method == "POST":
        form = SessionEditForm(request.POST, version=session.version)
        if form.is_valid():
            try:
                services.update_session(
                    session, actor=request.user, expected_version=form.expected_version, **form.cleaned_data
                )
            except StaleEdit as stale:
                context.update(show_conflict(form, stale))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("코칭 기록을 고쳤습니다."))
                return redirect(url)
        status = INVALID_FORM_STATUS
    else:
        form = SessionEditForm(
            initial={"held_on": session.held_on, "kind": session.kind, "notes": session.notes},
            version=session.version,
        )
    context["form"] = form
    return render(request, "coaching/session_edit.html", context, status=status)


@login_required
@require_POST
def next_step_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    _mine(request, session)
    url = reverse("coaching:session_detail", kwargs={"pk": session.pk})
    form = NextStepForm(request.POST)
    done = onetime.post_once(
        request,
        form,
        lambda: services.add_next_step(session, actor=request.user, **form.cleaned_data),
        result_url=url,
        success=_("다음 할 일을 더했습니다."),
    )
    if done is not None:
        return done
    return _detail(request, session, step_form=form)


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    _mine(request, session)
    url = reverse("coaching:session_detail", kwargs={"pk": session.pk})
    form = NoteForm(request.POST, user=request.user)
    done = onetime.post_once(
        request,
        form,
        lambda: services.append_note(
            session,
            actor=request.user,
            body=form.cleaned_data["body"],
            topic=form.cleaned_data["topic"],
        ),
        result_url=url,
        success=_("사전 기술기획 메모를 남겼습니다."),
    )
    if done is not None:
        return done
    return _detail(request, session, note_form=form)


@login_required
@require_POST
def next_step_done(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(
        NextStep.objects.filter(session__in=CoachingSession.objects.visible_to(request.user)).select_related(
            "session"
        ),
        pk=pk,
    )
    _mine(request, step.session)
    done = request.POST.get("done", "1") != "0"
    services.set_step_done(step, actor=request.user, done=done)
    messages.success(request, _("다음 할 일을 완료했습니다.") if done else _("다음 할 일을 다시 열었습니다."))
    back = request.POST.get("next", "")
    if back == "caseload":
        return redirect("coaching:caseload")
    return redirect("coaching:session_detail", pk=step.session_id)


@login_required
@require_http_methods(["GET", "POST"])
def coaching_settings(request: HttpRequest) -> HttpResponse:
    if not scope_of(request.user).central:
        raise PermissionDenied(_("코칭 설정은 중앙연합회 담당자만 바꿉니다."))
    current = CoachingSettings.current()
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        form = SettingsForm(request.POST, version=current.version)
        if form.is_valid():
            try:
                services.update_settings(
                    actor=request.user, expected_version=form.expected_version, **form.cleaned_data
                )
            except StaleEdit as stale:
                context.update(show_conflict(form, stale))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("코칭 설정을 저장했습니다."))
                return redirect("coaching:settings")
        status = INVALID_FORM_STATUS
    else:
        form = SettingsForm(
            initial={"quiet_days": current.quiet_days, "due_soon_days": current.due_soon_days},
            version=current.version,
        )
    context["form"] = form
    return render(request, "coaching/settings.html", context, status=status)
