"""The review pages: the reviewer pool and the assignments (central staff), the reviewer's queue,
declaration, scoring and recusal. Views are thin: reading here, every change in `review_services`.

Scope: the pool and the assignments are central staff's (others: 403 on a call they see, 404 on a
reviewer); a reviewer's assignment pages are their own, and 404 for anyone else and for the reviewer
themself when a conflict of interest exists now (any code) or they recused.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
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
from yunghap.core.versions import StaleEdit, show_conflict

from . import review_forms as forms
from . import review_services as services
from .conflicts import conflict_map, conflicts_of
from .models import Application, Call, ConsortiumMember, ReviewAssignment, Reviewer
from .rules import Budget

PAGE_SIZE = 50


def _require_central(request: HttpRequest) -> None:
    if not services.can_manage_reviews(request.user):
        raise PermissionDenied(_("평가위원과 평가 배정은 중앙회 담당자만 관리할 수 있습니다."))


def _reviewer_of_staff(request: HttpRequest, pk: int) -> Reviewer:
    """A reviewer of the pool: central staff only (404 for everyone else)."""
    if not services.can_manage_reviews(request.user):
        raise Http404
    return get_object_or_404(Reviewer.objects.select_related("user", "affiliation"), pk=pk)


# --- the pool -----------------------------------------------------------------------------------------


@login_required
@require_GET
def reviewer_list(request: HttpRequest) -> HttpResponse:
    _require_central(request)
    form = forms.ReviewerFilterForm(request.GET or None)
    reviewers = Reviewer.objects.select_related("user", "affiliation").annotate(
        load=Count("assignments", filter=~Q(assignments__state=ReviewAssignment.State.RECUSED))
    )
    status = 200
    if form.is_bound and not form.is_valid():
        status = INVALID_FORM_STATUS
        reviewers = reviewers.none()
    elif form.is_bound:
        query = form.cleaned_data.get("q")
        if query:
            reviewers = reviewers.filter(
                Q(user__name__icontains=query)
                | Q(user__username__icontains=query)
                | Q(affiliation__name__icontains=query)
                | Q(affiliation_name__icontains=query)
            )
        if form.cleaned_data.get("engine"):
            reviewers = reviewers.filter(expertise_engines=form.cleaned_data["engine"])
    page = Paginator(reviewers.order_by("user__name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    engines: dict[int, list[str]] = defaultdict(list)
    through = Reviewer.expertise_engines.through
    for rid, name in through.objects.filter(reviewer_id__in=[r.pk for r in page]).values_list(
        "reviewer_id", "growthengine__name"
    ):
        engines[rid].append(name)
    rows = [{"reviewer": r, "engines": engines.get(r.pk, [])} for r in page]
    return render(
        request,
        "programmes/reviews/reviewer_list.html",
        {"form": form, "page": page, "rows": rows, "query_string": _query_without_page(request)},
        status=status,
    )


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _reviewer_detail(
    request: HttpRequest, reviewer: Reviewer, conflict_form: Any, status: int = 200
) -> HttpResponse:
    assignments = list(
        reviewer.assignments.select_related("application", "application__call").order_by(
            "-application__call__opens_on", "application__ref"
        )
    )
    return render(
        request,
        "programmes/reviews/reviewer_detail.html",
        {
            "reviewer": reviewer,
            "engines": list(reviewer.expertise_engines.all()),
            "capabilities": list(reviewer.expertise_capabilities.all()),
            "declared": list(reviewer.declared_conflicts.select_related("firm").order_by("firm__name")),
            "assignments": assignments,
            "conflict_form": conflict_form,
        },
        status=status,
    )


@login_required
@require_GET
def reviewer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reviewer = _reviewer_of_staff(request, pk)
    return _reviewer_detail(request, reviewer, forms.DeclaredConflictForm())


@login_required
@require_http_methods(["GET", "POST"])
def reviewer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    reviewer = _reviewer_of_staff(request, pk)
    detail_url = reverse("programmes:reviewer_detail", kwargs={"pk": reviewer.pk})
    context: dict[str, Any] = {"reviewer": reviewer}
    if request.method == "POST":
        form = forms.ReviewerForm(request.POST, version=reviewer.version)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_reviewer(
                    reviewer,
                    actor=request.user,
                    affiliation=data["affiliation_brn"],
                    affiliation_name=data["affiliation_name"],
                    expertise_engines=data["expertise_engines"],
                    expertise_capabilities=data["expertise_capabilities"],
                    is_active=data["status"] == "active",
                    expected_version=form.expected_version,
                )
            except StaleEdit as error:
                current = forms.ReviewerForm.initial_of(error.current)  # type: ignore[arg-type]
                context |= show_conflict(form, error, current_value=lambda name: current.get(name))
            except ValidationError as exc:
                add_service_errors(form, exc, rename={"affiliation": "affiliation_brn"})
            else:
                messages.success(request, _("평가위원 정보를 저장했습니다."))
                return redirect(detail_url)
        status = INVALID_FORM_STATUS
    else:
        form = forms.ReviewerForm(initial=forms.ReviewerForm.initial_of(reviewer), version=reviewer.version)
        status = 200
    return render(request, "programmes/reviews/reviewer_edit.html", {**context, "form": form}, status=status)


@login_required
@require_POST
def reviewer_conflict_add(request: HttpRequest, pk: int) -> HttpResponse:
    reviewer = _reviewer_of_staff(request, pk)
    detail_url = reverse("programmes:reviewer_detail", kwargs={"pk": reviewer.pk})
    form = forms.DeclaredConflictForm(request.POST)
    if form.is_valid():
        try:
            onetime.submit_once(
                request,
                form,
                lambda: services.add_declared_conflict(
                    reviewer,
                    actor=request.user,
                    firm=form.cleaned_data["firm_brn"],
                    reason=form.cleaned_data["reason"],
                ),
                result_url=detail_url,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, detail_url)
        except ValidationError as exc:
            add_service_errors(form, exc, rename={"firm": "firm_brn"})
        else:
            messages.success(request, _("이해충돌을 등록했습니다."))
            return redirect(detail_url)
    return _reviewer_detail(request, reviewer, form, status=INVALID_FORM_STATUS)


# --- assignments of a call ----------------------------------------------------------------------------


def _call_of_staff(request: HttpRequest, code: str) -> Call:
    call = get_object_or_404(Call.objects.visible_to(request.user), code=code)
    _require_central(request)
    return call


def _assignments_page(request: HttpRequest, call: Call, form: Any = None, status: int = 200) -> HttpResponse:
    applications_qs = services.reviewable_applications(call).select_related("topic").order_by("ref")
    page = Paginator(applications_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    applications = list(page)
    reviewers = list(services.active_reviewers())
    loads = services.call_loads(call)
    conflicts = conflict_map(reviewers, applications)
    expertise = services.reviewer_expertise(reviewers)
    topics = services.topic_expertise(applications)
    held: dict[int, list[ReviewAssignment]] = defaultdict(list)
    for item in (
        ReviewAssignment.objects.filter(application__in=applications)
        .select_related("reviewer__user")
        .order_by("application_id", "pk")
        .annotate(reviewed=Count("review"))
    ):
        held[item.application_id].append(item)
    rows = []
    for app in applications:
        items = held[app.pk]
        on_it = {i.reviewer_id for i in items}
        for i in items:
            i.conflict_codes = conflicts.get((i.reviewer_id, app.pk), [])  # type: ignore[attr-defined]
        active = [i for i in items if services.counts_toward_reviews(i.state, bool(i.conflict_codes))]  # type: ignore[attr-defined]
        candidates = sorted(
            (r for r in reviewers if r.pk not in on_it and (r.pk, app.pk) not in conflicts),
            key=lambda r: (not (expertise[r.pk] & topics[app.pk]), loads.get(r.pk, 0), str(r), r.pk),
        )
        rows.append(
            {
                "application": app,
                "assignments": items,
                "needed": max(0, call.reviews_per_application - len(active)),
                "candidates": [
                    {
                        "reviewer": r,
                        "load": loads.get(r.pk, 0),
                        "expert": bool(expertise[r.pk] & topics[app.pk]),
                    }
                    for r in candidates
                ],
                "conflicted": [
                    {"reviewer": r, "codes": conflicts[(r.pk, app.pk)]}
                    for r in reviewers
                    if (r.pk, app.pk) in conflicts
                ],
                "candidate_pairs": [
                    (
                        r.pk,
                        _("%(name)s · 배정 %(load)s건") % {"name": r, "load": loads.get(r.pk, 0)}
                        + (" · " + _("전문 분야 일치") if expertise[r.pk] & topics[app.pk] else ""),
                    )
                    for r in candidates
                ],
                "id_format": f"id_%s_{app.pk}",
                "token": onetime.new_token(),
            }
        )
    reviewer_loads = sorted(
        ({"reviewer": r, "load": loads.get(r.pk, 0)} for r in reviewers),
        key=lambda x: (-x["load"], str(x["reviewer"])),
    )
    values = [x["load"] for x in reviewer_loads]
    return render(
        request,
        "programmes/reviews/call_assignments.html",
        {
            "call": call,
            "page": page,
            "rows": rows,
            "reviewer_loads": reviewer_loads,
            "spread": (max(values) - min(values)) if values else 0,
            "form": form,
        },
        status=status,
    )


@login_required
@require_GET
def call_assignments(request: HttpRequest, code: str) -> HttpResponse:
    call = _call_of_staff(request, code)
    return _assignments_page(request, call)


@login_required
@require_http_methods(["GET", "POST"])
def call_assign_auto(request: HttpRequest, code: str) -> HttpResponse:
    call = _call_of_staff(request, code)
    page_url = reverse("programmes:call_assignments", kwargs={"code": call.code})
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = onetime.submit_once(
                request, form, lambda: services.auto_assign(call, actor=request.user), result_url=page_url
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, page_url)
        messages.success(request, _("평가위원 %(count)s명을 배정했습니다.") % {"count": len(created)})
        return redirect(page_url)
    plan = services.auto_assignment_plan(call)
    applications = len({app.pk for app, _r in plan})
    summary = [
        _(
            "제출된 적격 신청마다 평가위원이 %(n)s명이 되도록, 이해충돌이 없는 평가위원 중 전문 분야가 맞는 "
            "사람을 먼저, 배정 건수가 고르게(가장 많은 사람과 가장 적은 사람의 차이 1건 이하) 배정합니다."
        )
        % {"n": call.reviews_per_application},
        _("신청 %(apps)s건에 배정 %(count)s건이 추가됩니다. 이미 배정된 평가위원은 그대로 둡니다.")
        % {"apps": applications, "count": len(plan)},
    ]
    return confirm_page(
        request,
        form,
        title=_("평가위원 자동 배정"),
        summary=summary,
        action_label=_("자동 배정"),
        cancel_url=page_url,
        danger=False,
        allowed=bool(plan),
        crumbs=[(str(call), page_url)],
    )


@login_required
@require_POST
def call_assign(request: HttpRequest, code: str) -> HttpResponse:
    call = _call_of_staff(request, code)
    page_url = reverse("programmes:call_assignments", kwargs={"code": call.code})
    form = forms.AssignForm(request.POST, call=call)
    if form.is_valid():
        application, reviewer = form.cleaned_data["application"], form.cleaned_data["reviewer"]
        try:
            onetime.submit_once(
                request,
                form,
                lambda: services.assign_reviewer(application, reviewer, actor=request.user),
                result_url=page_url,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, page_url)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(ref)s에 %(name)s 평가위원을 배정했습니다.") % {"ref": application.ref, "name": reviewer},
            )
            return redirect(page_url)
    return _assignments_page(request, call, form, status=INVALID_FORM_STATUS)


@login_required
@require_http_methods(["GET", "POST"])
def call_unassign(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    call = _call_of_staff(request, code)
    item = get_object_or_404(
        ReviewAssignment.objects.select_related("application", "reviewer__user"),
        pk=pk,
        application__call=call,
    )
    page_url = reverse("programmes:call_assignments", kwargs={"code": call.code})
    form = forms.UnassignForm(request.POST if request.method == "POST" else None)
    reviewed = item.state == ReviewAssignment.State.SUBMITTED or hasattr(item, "review")
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request,
                form,
                lambda: services.unassign_reviewer(item, actor=request.user),
                result_url=page_url,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, page_url)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(page_url)
        messages.success(request, _("배정을 취소했습니다."))
        return redirect(page_url)
    if reviewed:
        summary = [_("평가가 제출된 배정은 취소할 수 없습니다.")]
    else:
        summary = [
            _("%(ref)s에 배정된 %(name)s 평가위원의 배정을 취소합니다.")
            % {"ref": item.application.ref, "name": item.reviewer}
        ]
    return confirm_page(
        request,
        form,
        title=_("평가 배정 취소"),
        summary=summary,
        action_label=_("배정 취소"),
        cancel_url=page_url,
        allowed=not reviewed,
        crumbs=[(str(call), page_url)],
    )


# --- the reviewer's side ------------------------------------------------------------------------------


def _own_assignment(request: HttpRequest, pk: int) -> ReviewAssignment:
    """The reviewer's own assignment, not recused and with no conflict now; otherwise 404."""
    if not scope_of(request.user).reviewer:
        raise Http404
    item = (
        ReviewAssignment.objects.select_related(
            "application", "application__call", "application__topic", "reviewer", "reviewer__user"
        )
        .filter(pk=pk, reviewer__user_id=int(request.user.pk or 0), reviewer__is_active=True)
        .exclude(state=ReviewAssignment.State.RECUSED)
        .first()
    )
    if item is None or conflicts_of(item.reviewer, item.application):
        raise Http404
    return item


def _members(application: Application) -> list[Any]:
    return [
        m.firm
        for m in application.consortium.members.exclude(state=ConsortiumMember.State.DECLINED)
        .select_related("firm")
        .order_by("role", "firm__name")
    ]


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    if not scope_of(request.user).reviewer:
        raise PermissionDenied(_("평가위원만 볼 수 있는 화면입니다."))
    return render(request, "programmes/reviews/queue.html", {"items": services.queue_of(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def review_declare(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own_assignment(request, pk)
    score_url = reverse("programmes:review_score", kwargs={"pk": item.pk})
    if item.state != ReviewAssignment.State.ASSIGNED:
        if request.method == "POST":
            messages.info(request, _("이미 이해충돌 여부를 확인한 배정입니다."))
            return redirect(score_url)
        return render(
            request, "programmes/reviews/declare.html", {"item": item, "members": _members(item.application)}
        )
    members = _members(item.application)
    form = forms.DeclareForm(request.POST if request.method == "POST" else None, members=members)
    if request.method == "POST":
        if form.is_valid():
            firm = form.cleaned_data.get("firm")
            queue_url = reverse("programmes:review_queue")
            try:
                if firm is None:
                    onetime.submit_once(
                        request,
                        form,
                        lambda: services.declare_no_conflict(item, actor=request.user),
                        result_url=score_url,
                    )
                else:
                    onetime.submit_once(
                        request,
                        form,
                        lambda: services.declare_conflict(
                            item, actor=request.user, firm=firm, reason=form.cleaned_data["reason"]
                        ),
                        result_url=queue_url,
                    )
            except onetime.AlreadySubmitted as done:
                return done.response(request, score_url)
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, PermissionDenied):
                    raise Http404 from exc
                add_service_errors(form, exc)
            else:
                if firm is None:
                    messages.success(
                        request, _("이해충돌이 없음을 확인했습니다. 신청서를 평가할 수 있습니다.")
                    )
                    return redirect(score_url)
                messages.success(request, _("이해충돌을 신고하고 이 평가에서 회피했습니다."))
                return redirect(queue_url)
        status = INVALID_FORM_STATUS
    else:
        status = 200
    return render(
        request,
        "programmes/reviews/declare.html",
        {"item": item, "members": members, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_score(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own_assignment(request, pk)
    if item.state == ReviewAssignment.State.ASSIGNED:
        return redirect("programmes:review_declare", pk=item.pk)
    application = item.application
    criteria = services.criteria_of(application.call)
    review = getattr(item, "review", None) if item.state == ReviewAssignment.State.SUBMITTED else None
    form = None
    status = 200
    if item.state == ReviewAssignment.State.OPEN:
        form = forms.ScoreForm(request.POST if request.method == "POST" else None, criteria=criteria)
        if request.method == "POST":
            if form.is_valid():
                score_url = reverse("programmes:review_score", kwargs={"pk": item.pk})
                try:
                    onetime.submit_once(
                        request,
                        form,
                        lambda: services.submit_review(
                            item,
                            actor=request.user,
                            criterion_scores=form.criterion_scores(),
                            comment=form.cleaned_data["comment"],
                        ),
                        result_url=score_url,
                    )
                except onetime.AlreadySubmitted as done:
                    return done.response(request, score_url)
                except PermissionDenied as exc:
                    raise Http404 from exc
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("평가를 제출했습니다."))
                    return redirect(score_url)
            status = INVALID_FORM_STATUS
    elif request.method == "POST":
        messages.error(request, _("이미 평가를 제출했습니다. 제출한 평가는 고칠 수 없습니다."))
        return redirect("programmes:review_score", pk=item.pk)
    criterion_rows = []
    if review is not None:
        criterion_rows = [
            {
                "name": c.get("name") or c["code"],
                "points": c.get("points"),
                "score": review.criterion_scores.get(c["code"], ""),
            }
            for c in criteria
        ]
    return render(
        request,
        "programmes/reviews/score.html",
        {
            "item": item,
            "application": application,
            "members": _members(application),
            "budget": Budget.of(application).as_dict(),
            "criteria": criteria,
            "form": form,
            "review": review,
            "criterion_rows": criterion_rows,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_recuse(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own_assignment(request, pk)
    queue_url = reverse("programmes:review_queue")
    form = forms.RecuseForm(request.POST if request.method == "POST" else None)
    allowed = item.state in (ReviewAssignment.State.ASSIGNED, ReviewAssignment.State.OPEN)
    if request.method == "POST" and form.is_valid() and allowed:
        try:
            onetime.submit_once(
                request,
                form,
                lambda: services.recuse(item, actor=request.user, reason=form.cleaned_data["reason"]),
                result_url=queue_url,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, queue_url)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(queue_url)
        messages.success(request, _("이 평가에서 회피했습니다."))
        return redirect(queue_url)
    if allowed:
        summary = [
            _(
                "%(ref)s 평가에서 회피합니다. 회피하면 이 신청서를 더 볼 수 없고, 담당자가 다른 평가위원을 배정합니다."
            )
            % {"ref": item.application.ref}
        ]
    else:
        summary = [_("이미 평가를 제출해 회피할 수 없습니다.")]
    status = None
    if form.is_bound and form.form_token:
        status = INVALID_FORM_STATUS  # the token was right: the reason is missing
    return confirm_page(
        request,
        form,
        title=_("평가 회피"),
        summary=summary,
        action_label=_("회피"),
        cancel_url=reverse("programmes:review_score", kwargs={"pk": item.pk}),
        allowed=allowed,
        status=status,
        crumbs=[(_("나의 평가"), queue_url)],
    )


__all__ = [
    "call_assign",
    "call_assign_auto",
    "call_assignments",
    "call_unassign",
    "review_declare",
    "review_queue",
    "review_recuse",
    "review_score",
    "reviewer_conflict_add",
    "reviewer_detail",
    "reviewer_edit",
    "reviewer_list",
]
