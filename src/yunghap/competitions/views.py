"""Competition pages (/competitions/). Thin: reads through the querysets' scopes, writes through
`competitions.services`. Outside the scope 404; visible but not permitted 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.confirm import ConfirmForm, confirm_page
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.core.korean import fill
from yunghap.core.versions import StaleEdit, show_conflict
from yunghap.events.lookups import managed_event
from yunghap.events.models import Event

from . import services
from .conflicts import conflicts_of
from .forms import EntryForm, ManualAssignForm, ScoreForm, SetupForm, criteria_text, prizes_text
from .models import Award, Competition, Entry, ReviewerAssignment


def _competition(request: HttpRequest, code: str, *, manage: bool = False) -> Competition:
    competition = get_object_or_404(
        Competition.objects.visible_to(request.user).select_related("event"), event__code=code
    )
    if manage and not is_manager(request.user, competition):
        raise PermissionDenied(_("이 경진대회를 운영하는 담당자만 이용할 수 있습니다."))
    return competition


def is_manager(user: Any, competition: Competition) -> bool:
    return Competition.objects.managed_by(user).filter(pk=competition.pk).exists()


def _entry(request: HttpRequest, pk: int) -> Entry:
    """An entry the user may see; a reviewer who sees it only through an assignment gets 404 when they have
    a conflict with it (the calls' rule)."""
    entry = (
        Entry.objects.visible_to(request.user)
        .select_related("competition__event", "group", "consortium__lead", "story")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404
    if services.may_make(request.user, entry) or is_manager(request.user, entry.competition):
        return entry
    reviewer = getattr(request.user, "reviewer_profile", None)
    if reviewer is None or conflicts_of(reviewer, entry):
        raise Http404
    return entry


def _crumbs(competition: Competition) -> list[tuple[str, str]]:
    return [(str(competition.event.title), reverse("competitions:detail", args=[competition.event.code]))]


@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    competition = _competition(request, code)
    groups, consortia = (
        services.entrant_choices(request.user, competition)
        if scope_of(request.user).authenticated
        else ([], [])
    )
    return render(
        request,
        "competitions/detail.html",
        {
            "competition": competition,
            "event": competition.event,
            "criteria": list(competition.criteria.all()),
            "prizes": list(competition.prizes.all()),
            "awards": list(competition.awards.select_related("entry__group", "entry__consortium")),
            "entries": competition.entries.filter(status=Entry.Status.SUBMITTED).count(),
            "window_error": services.window_error(competition),
            "may_enter": bool(groups or consortia),
            "manager": is_manager(request.user, competition),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest, code: str) -> HttpResponse:
    event = managed_event(
        request.user,
        _("이 행사를 운영하는 담당자만 경진대회를 설정합니다."),
        code=code,
        kind=Event.Kind.COMPETITION,
    )
    competition = Competition.objects.filter(event=event).first()
    url = reverse("competitions:detail", args=[event.code])
    context: dict[str, Any] = {"event": event, "competition": competition}
    editing = competition is not None
    kwargs: dict[str, Any] = {"one_time": False, "version": competition.version} if competition else {}
    if request.method == "POST":
        form = SetupForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "entry_opens": data["entry_opens"],
                "entry_closes": data["entry_closes"],
                "reviews_per_entry": data["reviews_per_entry"],
                "criteria": data["criteria"],
                "prizes": data["prizes"],
            }
            try:
                if competition is not None:
                    services.change_setup(
                        competition, actor=request.user, expected_version=form.expected_version, **fields
                    )
                else:
                    onetime.submit_once(
                        request,
                        form,
                        lambda: services.set_up(event, actor=request.user, **fields),
                        result_url=url,
                    )
            except onetime.AlreadySubmitted as done:
                return done.response(request)
            except StaleEdit as stale:
                context.update(show_conflict(form, stale))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("경진대회 설정을 저장했습니다."))
                return redirect(url)
        status = INVALID_FORM_STATUS
    else:
        status = 200
        initial: dict[str, Any] = {}
        if competition is not None:
            initial = {
                "entry_opens": competition.entry_opens,
                "entry_closes": competition.entry_closes,
                "reviews_per_entry": competition.reviews_per_entry,
                "criteria": criteria_text(competition.criteria.all()),
                "prizes": prizes_text(competition.prizes.all()),
            }
        form = SetupForm(initial=initial, **kwargs)
    context.update(form=form, editing=editing)
    return render(request, "competitions/setup.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest, code: str) -> HttpResponse:
    competition = _competition(request, code)
    groups, consortia = services.entrant_choices(request.user)
    if not (groups or consortia):
        raise PermissionDenied(_("교류회 회장(임원)이나 협력체 주관기업 담당자만 출품할 수 있습니다."))
    status = 200
    if request.method == "POST":
        form = EntryForm(request.POST, user=request.user, competition=competition)
        if form.is_valid():
            group, consortium = form.cleaned_data["entrant"]
            try:
                entry = onetime.submit_once(
                    request,
                    form,
                    lambda: services.create_entry(
                        competition,
                        actor=request.user,
                        group=group,
                        consortium=consortium,
                        title=form.cleaned_data["title"],
                        summary=form.cleaned_data["summary"],
                    ),
                    result_url=lambda made: reverse("competitions:entry_detail", args=[made.pk]),
                )
            except onetime.AlreadySubmitted as done:
                return done.response(request)
            except PermissionDenied as exc:
                form.add_error("entrant", str(exc))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("출품작을 저장했습니다. 내용을 확인한 뒤 제출해 주세요."))
                return redirect("competitions:entry_detail", pk=entry.pk)
        status = INVALID_FORM_STATUS
    else:
        form = EntryForm(user=request.user, competition=competition)
    return render(
        request,
        "competitions/entry_form.html",
        {"form": form, "competition": competition, "window_error": services.window_error(competition)},
        status=status,
    )


@login_required
@require_GET
def my_entries(request: HttpRequest) -> HttpResponse:
    rows = (
        Entry.objects.made_by(request.user)
        .select_related("competition__event", "group", "consortium", "award")
        .order_by("-competition__entry_opens", "-pk")
    )
    return render(request, "competitions/my_entries.html", {"rows": list(rows[:200])})


@login_required
@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    manager = is_manager(request.user, entry.competition)
    maker = services.may_make(request.user, entry)
    assignments: list[ReviewerAssignment] = []
    if manager:
        assignments = list(entry.assignments.select_related("reviewer__user", "sheet"))
    award = Award.objects.filter(entry=entry).first()
    return render(
        request,
        "competitions/entry_detail.html",
        {
            "entry": entry,
            "competition": entry.competition,
            "manager": manager,
            "maker": maker,
            "assignments": assignments,
            "award": award,
            "may_story": scope_of(request.user).central and award is not None and not entry.story_id,
            "story_error": services.story_error(entry) if award is not None else "",
        },
    )


def _maker(request: HttpRequest, entry: Entry) -> None:
    if not services.may_make(request.user, entry):
        raise PermissionDenied(_("출품한 교류회 회장(임원)이나 협력체 주관기업 담당자만 할 수 있습니다."))


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    _maker(request, entry)
    context: dict[str, Any] = {"entry": entry, "competition": entry.competition}
    status = 200
    if request.method == "POST":
        form = EntryForm(request.POST, entry=entry, version=entry.version, one_time=False)
        if form.is_valid():
            try:
                services.edit_entry(
                    entry,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                    expected_version=form.expected_version,
                )
            except StaleEdit as stale:
                context.update(show_conflict(form, stale))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("출품작을 고쳤습니다."))
                return redirect("competitions:entry_detail", pk=entry.pk)
        status = INVALID_FORM_STATUS
    else:
        form = EntryForm(
            initial={"title": entry.title, "summary": entry.summary},
            entry=entry,
            version=entry.version,
            one_time=False,
        )
    context["form"] = form
    return render(request, "competitions/entry_edit.html", context, status=status)


@login_required
@require_POST
def entry_submit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    _maker(request, entry)
    try:
        services.submit_entry(entry, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("출품작을 제출했습니다."))
    return redirect("competitions:entry_detail", pk=entry.pk)


@login_required
@require_http_methods(["GET", "POST"])
def entry_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    _maker(request, entry)
    url = reverse("competitions:entry_detail", args=[entry.pk])
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = onetime.post_once(
            request,
            form,
            lambda: services.withdraw_entry(entry, actor=request.user),
            result_url=url,
            success=_("출품을 철회했습니다."),
        )
        if done is not None:
            return done
    error = "" if entry.status == Entry.Status.SUBMITTED else _("제출한 출품작만 철회할 수 있습니다.")
    return confirm_page(
        request,
        form,
        title=_("출품 철회"),
        summary=[
            error
            or fill(
                _("'%(title)s' 출품을 철회합니다. 마감 전에는 다시 제출할 수 있습니다."),
                {"title": entry.title},
            )
        ],
        action_label=_("철회"),
        cancel_url=url,
        allowed=not error,
        crumbs=_crumbs(entry.competition),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reviewers(request: HttpRequest, code: str) -> HttpResponse:
    competition = _competition(request, code, manage=True)
    pool = services.reviewer_pool()
    status = 200
    if request.method == "POST":
        form = ManualAssignForm(request.POST, competition=competition, pool=pool)
        if form.is_valid():
            try:
                services.assign_reviewer(
                    form.cleaned_data["entry"], form.cleaned_data["reviewer"], actor=request.user
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("평가위원을 배정했습니다."))
                return redirect("competitions:reviewers", code=code)
        status = INVALID_FORM_STATUS
    else:
        form = ManualAssignForm(competition=competition, pool=pool)
    entries = list(
        competition.entries.filter(status=Entry.Status.SUBMITTED)
        .select_related("group", "consortium")
        .prefetch_related("assignments__reviewer__user", "assignments__sheet")
    )
    return render(
        request,
        "competitions/reviewers.html",
        {
            "competition": competition,
            "form": form,
            "entries": entries,
            "awarded": competition.awards.exists(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def auto_assign(request: HttpRequest, code: str) -> HttpResponse:
    competition = _competition(request, code, manage=True)
    url = reverse("competitions:reviewers", args=[code])
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = onetime.post_once(
            request,
            form,
            lambda: services.auto_assign(competition, actor=request.user),
            result_url=url,
            success=_("평가위원을 자동으로 배정했습니다."),
        )
        if done is not None:
            return done
    planned = 0 if competition.awards.exists() else len(services.plan_for(competition))
    return confirm_page(
        request,
        form,
        title=_("평가위원 자동 배정"),
        summary=[
            fill(_("이해충돌이 없는 평가위원을 업무량이 고르게 %(count)s건 배정합니다."), {"count": planned})
            if planned
            else _("더 배정할 평가위원이 없습니다.")
        ],
        action_label=_("자동 배정"),
        cancel_url=url,
        danger=False,
        allowed=bool(planned),
        crumbs=_crumbs(competition),
    )


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    reviewer = getattr(request.user, "reviewer_profile", None)
    if reviewer is None:
        raise PermissionDenied(_("평가위원만 이용할 수 있습니다."))
    items = list(
        ReviewerAssignment.objects.filter(reviewer=reviewer, entry__status=Entry.Status.SUBMITTED)
        .select_related("entry__competition__event", "sheet")
        .order_by("-assigned_at", "-pk")[:200]
    )
    from .conflicts import conflict_map

    conflicts = conflict_map([reviewer], [i.entry for i in items])
    rows = [i for i in items if (reviewer.pk, i.entry_id) not in conflicts]
    return render(request, "competitions/queue.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, pk: int) -> HttpResponse:
    item = services.assignment_for(request.user, pk)
    if item is None:
        raise Http404
    competition = item.entry.competition
    criteria = list(competition.criteria.all())
    sheet = getattr(item, "sheet", None) if hasattr(item, "sheet") else None
    status = 200
    if request.method == "POST":
        form = ScoreForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                services.submit_scores(item, actor=request.user, scores=form.scores())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("평가를 제출했습니다."))
                return redirect("competitions:queue")
        status = INVALID_FORM_STATUS
    else:
        form = ScoreForm(criteria=criteria)
    return render(
        request,
        "competitions/score.html",
        {
            "item": item,
            "entry": item.entry,
            "competition": competition,
            "form": form,
            "sheet": sheet,
            "scores": list(sheet.scores.select_related("criterion")) if sheet else [],
            "awarded": competition.awards.exists(),
        },
        status=status,
    )


@login_required
@require_GET
def ranking(request: HttpRequest, code: str) -> HttpResponse:
    competition = _competition(request, code, manage=True)
    awards = {a.entry_id: a for a in competition.awards.all()}
    return render(
        request,
        "competitions/ranking.html",
        {
            "competition": competition,
            "rows": [(r, e, awards.get(e.pk)) for r, e in services.ranking_of(competition)],
            "awards_error": services.awards_error(competition),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def awards(request: HttpRequest, code: str) -> HttpResponse:
    competition = _competition(request, code, manage=True)
    url = reverse("competitions:ranking", args=[code])
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = onetime.post_once(
            request,
            form,
            lambda: services.record_awards(competition, actor=request.user),
            result_url=url,
            success=_("수상을 기록했습니다."),
        )
        if done is not None:
            return done
    error = services.awards_error(competition)
    summary = (
        [error]
        if error
        else [
            fill(
                _("%(rank)s위 %(prize)s: %(entry)s (%(score)s점)"),
                {"rank": p.rank, "prize": p.name, "entry": e.title, "score": r.score},
            )
            for p, r, e in services.planned_awards(competition)
        ]
        + [_("기록한 수상은 바꾸거나 지울 수 없습니다.")]
    )
    return confirm_page(
        request,
        form,
        title=_("수상 기록"),
        summary=summary,
        action_label=_("수상 기록"),
        cancel_url=url,
        allowed=not error,
        crumbs=_crumbs(competition),
    )


@login_required
@require_http_methods(["GET", "POST"])
def make_story(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    if not scope_of(request.user).central:
        raise PermissionDenied(_("성공사례는 중앙연합회 직원이 시작합니다."))
    url = reverse("competitions:entry_detail", args=[entry.pk])
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            story = onetime.submit_once(
                request, form, lambda: services.make_story(entry, actor=request.user), result_url=url
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("성공사례를 시작했습니다. 내용을 다듬어 주세요."))
            return redirect("stories:detail", pk=story.pk)
    error = services.story_error(entry)
    return confirm_page(
        request,
        form,
        title=_("성공사례로 등록"),
        summary=[
            error
            or fill(_("수상작 '%(title)s'의 협약 기록으로 성공사례 초안을 만듭니다."), {"title": entry.title})
        ],
        action_label=_("성공사례로 등록"),
        cancel_url=url,
        danger=False,
        allowed=not error,
        crumbs=_crumbs(entry.competition),
    )
