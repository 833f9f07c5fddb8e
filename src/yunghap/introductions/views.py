"""Pages of the introduction workflow: the coordinator's caseload, a caseload firm's recommendations with the
'소개하기' button, the firms' own introductions, and one introduction with the moves open to the viewer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.core.korean import fill
from yunghap.network.models import Firm

from . import forms, request_views, requests, selectors, services
from .models import Introduction, IntroductionRequest, caseload_firms
from .workflow import TRANSITIONS, State


def _require_coordinator(request: HttpRequest) -> None:
    if not scope_of(request.user).coordinator_group_ids:
        raise PermissionDenied(_("코디네이터만 이용할 수 있습니다."))


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if scope_of(request.user).coordinator_group_ids:
        return redirect("introductions:caseload")
    return redirect("introductions:list")


@login_required
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    page = Paginator(selectors.caseload_firm_rows(request.user), 50).get_page(request.GET.get("page"))
    summary = selectors.caseload_summary(request.user)
    for rows in summary.values():
        selectors.label_needs(request.user, rows)
    # Requests from the board that wait for this coordinator (issue 8 §6).
    waiting = (
        IntroductionRequest.objects.handled_by(request.user)
        .filter(state=IntroductionRequest.State.OPEN)
        .select_related("requester", "posting__firm")
        .order_by("created_at", "id")
    )
    context = {
        **summary,
        "firms": page.object_list,
        "page_obj": page,
        # One query: the first 100 (the page shows ten and links to all).
        **_first_requests(list(waiting[:100])),
    }
    return render(request, "introductions/caseload.html", context)


def _first_requests(waiting: list[IntroductionRequest]) -> dict[str, Any]:
    return {"requests": waiting[:10], "request_count": len(waiting)}


@login_required
@require_GET
def caseload_firm(request: HttpRequest, pk: int) -> HttpResponse:
    """A firm of the caseload: its needs, each with the partners the matching engine recommends."""
    _require_coordinator(request)
    firm = get_object_or_404(caseload_firms(request.user).select_related("industry", "federation"), pk=pk)
    introductions = (
        Introduction.objects.filter(seeker=firm)
        .select_related(*selectors.INTRO_RELATED)
        .order_by("-created_at", "-id")[:50]
    )
    return render(
        request,
        "introductions/caseload_firm.html",
        {
            "firm": firm,
            "needs": selectors.recommendations_for_needs(firm, viewer=request.user),
            "introductions": selectors.label_needs(request.user, introductions),
            "form": forms.IntroduceForm(),
        },
    )


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    """'소개하기': create the introduction from a recommendation and ask both firms at once."""
    from yunghap.matching.models import Posting

    _require_coordinator(request)
    form = forms.IntroduceForm(request.POST)
    if not form.is_valid():
        raise Http404
    need = get_object_or_404(
        Posting.objects.needs().filter(firm__in=caseload_firms(request.user)).select_related("firm"),
        pk=form.cleaned_data["need"],
    )
    partner = get_object_or_404(
        Firm.objects.filter(status=Firm.Status.ACTIVE), pk=form.cleaned_data["partner"]
    )
    reasons, score = selectors.reasons_for(need, partner)
    try:
        intro = onetime.submit_once(
            request,
            form,
            lambda: services.create_introduction(
                actor=request.user,
                seeker=need.firm,
                partner=partner,
                need=need,
                note=form.cleaned_data["note"],
                respond_by=form.cleaned_data["respond_by"],
                reasons=reasons,
                score=score,
            ),
            result_url=lambda i: reverse("introductions:detail", kwargs={"pk": i.pk}),
        )
    except onetime.AlreadySubmitted as done:
        return done.response(request, reverse("introductions:caseload_firm", kwargs={"pk": need.firm_id}))
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return redirect("introductions:caseload_firm", pk=need.firm_id)
    messages.success(
        request,
        fill(
            _("%(seeker)s와(과) %(partner)s에 소개 요청을 보냈습니다."),
            {"seeker": need.firm, "partner": partner},
        ),
    )
    return redirect("introductions:detail", pk=intro.pk)


@login_required
@require_GET
def introduction_list(request: HttpRequest) -> HttpResponse:
    """The introductions the user takes part in (their firm's) or oversees."""
    visible = Introduction.objects.visible_to(request.user)
    state = request.GET.get("state", "")
    qs = visible.select_related(*selectors.INTRO_RELATED).order_by("-created_at", "-id")
    if state in State.values:
        qs = qs.in_state(state)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "introductions/list.html",
        {
            "page_obj": page,
            "introductions": selectors.label_needs(request.user, page.object_list),
            "states": State.choices,
            "state": state,
            "firm_ids": scope_of(request.user).firm_ids,
        },
    )


def _visible(request: HttpRequest, pk: int) -> Introduction:
    return get_object_or_404(
        Introduction.objects.visible_to(request.user).select_related(*selectors.INTRO_RELATED, "coordinator"),
        pk=pk,
    )


ACTION_FORMS: dict[str, type] = {
    "send": forms.EmptyForm,
    "accept": forms.AnswerForm,
    "decline": forms.AnswerForm,
    "extend": forms.ExtendForm,
    "schedule_meeting": forms.MeetingForm,
    "record_meeting": forms.MetForm,
    "record_outcome": forms.OutcomeForm,
    "record_follow_up": forms.FollowUpForm,
    "withdraw": forms.WithdrawForm,
    "close": forms.EmptyForm,
}

ACTION_SERVICES: dict[str, Callable[..., Introduction]] = {
    "send": lambda i, u, d: services.send_introduction(i, actor=u),
    "accept": lambda i, u, d: services.answer_introduction(i, actor=u, accept=True, message=d["message"]),
    "decline": lambda i, u, d: services.answer_introduction(i, actor=u, accept=False, message=d["message"]),
    "extend": lambda i, u, d: services.extend_introduction(i, actor=u, respond_by=d["respond_by"]),
    "schedule_meeting": lambda i, u, d: services.schedule_meeting(
        i, actor=u, meeting_at=d["meeting_at"], place=d["place"]
    ),
    "record_meeting": lambda i, u, d: services.record_meeting(i, actor=u, met_on=d["met_on"], note=d["note"]),
    "record_outcome": lambda i, u, d: services.record_outcome(
        i, actor=u, outcome=d["outcome"], note=d["note"]
    ),
    "record_follow_up": lambda i, u, d: services.record_follow_up(
        i, actor=u, outcome=d["outcome"], note=d["note"]
    ),
    "withdraw": lambda i, u, d: services.withdraw_introduction(i, actor=u, reason=d["reason"]),
    "close": lambda i, u, d: services.close_introduction(i, actor=u),
}


def _render_detail(
    request: HttpRequest,
    intro: Introduction,
    bound: dict[str, Any] | None = None,
    status=200,
    note_form: Any = None,
):
    actions = services.available_actions(request.user, intro)
    action_forms = [
        (t, (bound or {}).get(t.action) or ACTION_FORMS[t.action](prefix=t.action))
        for t in actions
        if t.action in ACTION_FORMS
    ]
    selectors.label_needs(request.user, [intro])
    show_notes = requests.can_see_notes(request.user, intro)
    context = {
        # Coordinators' working notes: coordinators and staff only, never the firms.
        "notes": intro.notes.select_related("author") if show_notes else None,
        "note_form": (note_form or request_views.NoteForm())
        if services.is_coordinator_for(request.user, intro)
        else None,
        # Each firm's public profile card, to look at before accepting.
        "card_firm_ids": set(
            request_views.card_firms(request.user)
            .filter(pk__in=[intro.seeker_id, intro.partner_id])
            .values_list("pk", flat=True)
        ),
        "intro": intro,
        "events": intro.events.select_related("actor", "actor_firm"),
        "contacts": selectors.contact_cards(request.user, intro, request),
        "masked_hint": selectors.masked_hint(),
        "action_forms": action_forms,
        "my_firm_ids": scope_of(request.user).firm_ids,
        # Errors of a move that is no longer offered (the state changed meanwhile) still need saying.
        "action_errors": [
            str(error)
            for action, form in (bound or {}).items()
            if action not in {t.action for t in actions}
            for errors in form.errors.values()
            for error in errors
        ],
    }
    return render(request, "introductions/detail.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible(request, pk))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    intro = _visible(request, pk)
    if action not in ACTION_SERVICES:
        raise Http404
    transition = TRANSITIONS[action]
    if not transition.actors & services.actor_kinds(request.user, intro):
        raise PermissionDenied(
            _("이 소개에서 '%(action)s' 처리를 할 권한이 없습니다.") % {"action": transition.label}
        )
    form = ACTION_FORMS[action](request.POST, prefix=action)
    if form.is_valid():
        try:
            ACTION_SERVICES[action](intro, request.user, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("'%(action)s' 처리를 마쳤습니다.") % {"action": transition.label})
            return redirect("introductions:detail", pk=intro.pk)
    intro = _visible(request, pk)
    return _render_detail(request, intro, {action: form}, status=INVALID_FORM_STATUS)
