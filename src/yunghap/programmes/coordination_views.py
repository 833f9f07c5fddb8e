"""The coordinator's pages of the programmes: the caseload of consortia and an application's pre-planning
notes (사전 기술기획). Thin: reads through `coordination_services`, writes through its service."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.core.params import BadParameter, parse_id

from . import coordination_services as services
from .models import Application, ConsortiumMember
from .models.applications import notes_for_application
from .rules import check_applications

PAGE_SIZE = 50


class PrePlanningNoteForm(OneTimeTokenMixin, forms.Form):
    body = forms.CharField(
        label=gettext_lazy("메모"),
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("기술 기획·협력 구성·예산에 대한 조언을 남깁니다. 협력체 회원사가 봅니다."),
    )


@login_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if not (scope.central or scope.coordinator_group_ids):
        raise PermissionDenied(_("코디네이터와 중앙연합회 담당자만 이용할 수 있습니다."))
    coordinator = None
    choices: list[Any] = []
    if scope.central:
        choices = list(services.coordinators())
        raw = request.GET.get("coordinator", "")
        if raw:
            wanted = parse_id(raw)
            coordinator = next((c for c in choices if c.pk == wanted), None)
            if coordinator is None:
                raise BadParameter(_("코디네이터 값이 올바르지 않습니다."))
    page = Paginator(
        services.caseload_applications(request.user, coordinator=coordinator), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    breaches = check_applications(rows)
    waiting: dict[int, list[str]] = defaultdict(list)
    for consortium_id, name in (
        ConsortiumMember.objects.filter(
            consortium__in=[a.consortium_id for a in rows], state=ConsortiumMember.State.INVITED
        )
        .order_by("id")
        .values_list("consortium_id", "firm__name")
    ):
        waiting[consortium_id].append(name)
    for application in rows:
        application.breaches_now = breaches.get(application.pk, [])  # type: ignore[attr-defined]
        application.waiting_partners = waiting.get(application.consortium_id, [])  # type: ignore[attr-defined]
    return render(
        request,
        "programmes/coordination/caseload.html",
        {
            "rows": rows,
            "page_obj": page,
            "central": scope.central,
            "coordinators": [(c.pk, c.name or c.username) for c in choices],
            "coordinator": coordinator.pk if coordinator else "",
        },
    )


def _readable(request: HttpRequest, pk: int) -> Application:
    """The application whose notes the user reads; 403 for staff of its region (who see the application,
    not the notes), 404 for everyone else, reviewers included."""
    found = (
        services.notes_readable(request.user).select_related("call", "consortium__lead").filter(pk=pk).first()
    )
    if found is not None:
        return found
    scope = scope_of(request.user)
    if (
        scope.region_ids
        and Application.objects.visible_to(request.user)
        .filter(pk=pk, consortium__lead__federation_id__in=scope.region_ids)
        .exists()
    ):
        raise PermissionDenied(_("사전 기술기획 메모는 협력체 회원사와 담당 코디네이터만 봅니다."))
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def pre_planning(request: HttpRequest, pk: int) -> HttpResponse:
    application = _readable(request, pk)
    may_add = services.may_add_note(request.user, application)
    url = reverse("programmes:pre_planning", kwargs={"pk": application.pk})
    form = None
    status = 200
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied(
                _("주관기업 소속 교류회의 코디네이터만 사전 기술기획 메모를 남길 수 있습니다.")
            )
        form = posted = PrePlanningNoteForm(request.POST)
        if posted.is_valid():
            try:
                onetime.submit_once(
                    request,
                    form,
                    lambda: services.add_pre_planning_note(
                        application, actor=request.user, body=posted.cleaned_data["body"]
                    ),
                    result_url=url,
                )
            except onetime.AlreadySubmitted as done:
                return done.response(request, url)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("사전 기술기획 메모를 남겼습니다."))
                return redirect(url)
        status = INVALID_FORM_STATUS
    elif may_add:
        form = PrePlanningNoteForm()
    notes = (
        notes_for_application(application).select_related("author", "topic").order_by("-created_at", "-id")
    )
    members = (
        ConsortiumMember.objects.filter(consortium_id=application.consortium_id)
        .select_related("firm")
        .order_by("role", "id")
    )
    return render(
        request,
        "programmes/coordination/pre_planning.html",
        {
            "application": application,
            "notes": list(notes),
            "members": list(members),
            "form": form if may_add else None,
            "caseload": scope_of(request.user).central or bool(scope_of(request.user).coordinator_group_ids),
        },
        status=status,
    )
