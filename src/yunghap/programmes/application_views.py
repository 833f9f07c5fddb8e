"""Pages of consortia and applications (issue 9, item 3): start, list, detail, edit with the live budget
check, partners (matching suggestions and a search by name), a partner's answer, submit and withdraw.

Views are thin: visibility is `Application.objects.visible_to` (404 outside it), changes are
`application_services` (403 for a visible application one may not change)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.confirm import ConfirmForm, confirm_page
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.core.korean import fill
from yunghap.core.versions import StaleEdit, show_conflict
from yunghap.network.models import Firm, Membership

from . import application_services as services
from .application_forms import SOURCES, ApplicationForm, BudgetCheckForm, RespondForm, StartForm
from .models import Application, Call, ConsortiumMember
from .rules import Budget, CallRules, breaches_of, check_application, check_budget, earlier_applications

SEARCH_LIMIT = 20
SUGGESTION_LIMIT = 10


def _crumbs() -> list[tuple[str, str]]:
    return [(_("우리 협력체 신청서"), reverse("programmes:application_list"))]


def _visible(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(request.user).select_related(
            "call", "topic", "consortium", "consortium__lead"
        ),
        pk=pk,
    )


def _lead_only(request: HttpRequest, application: Application, *, draft: bool = True) -> None:
    if not services.is_lead_user(request.user, application):
        raise PermissionDenied(_("주관기업 담당자만 할 수 있습니다."))
    if draft and application.status != Application.Status.DRAFT:
        raise PermissionDenied(_("작성 중인 신청서만 고칠 수 있습니다."))


def _lead_firms(user: Any) -> Any:
    """The user's firms that may lead: active, with a current membership of an exchange group."""
    members = Membership.objects.current().filter(firm_id__in=scope_of(user).firm_ids)
    return Firm.objects.filter(pk__in=members.values("firm_id"), status=Firm.Status.ACTIVE).order_by("name")


# --- start ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def application_start(request: HttpRequest, code: str) -> HttpResponse:
    call = get_object_or_404(Call.objects.visible_to(request.user), code=code)
    firms = _lead_firms(request.user)
    if not firms.exists():
        raise PermissionDenied(_("현재 교류회 회원인 정상 기업의 담당자만 협력체를 구성할 수 있습니다."))
    window = services.window_error(call)
    if window:
        # Said on the page (the reason, in KST), with no form: nothing can be started now.
        context = {"call": call, "window": window, "crumbs": _crumbs()}
        return render(request, "programmes/applications/start.html", context)
    several = firms.count() > 1
    form = StartForm(
        request.POST or None, topics=services.leading_topics(call), firms=firms if several else None
    )
    if request.method == "POST" and form.is_valid():
        lead = form.cleaned_data["lead"] if several else firms.get()
        try:
            application = onetime.submit_once(
                request,
                form,
                lambda: services.start_application(
                    call,
                    actor=request.user,
                    lead=lead,
                    name=form.cleaned_data["name"],
                    title=form.cleaned_data["title"],
                    topic=form.cleaned_data.get("topic"),
                ),
                result_url=lambda a: reverse("programmes:application_edit", args=[a.pk]),
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, reverse("programmes:application_list"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("협력체와 신청서 초안을 만들었습니다. 과제 내용과 예산을 작성해 주세요.")
            )
            return redirect("programmes:application_edit", application.pk)
    status = INVALID_FORM_STATUS if request.method == "POST" else 200
    return render(
        request,
        "programmes/applications/start.html",
        {"form": form, "call": call, "crumbs": _crumbs()},
        status=status,
    )


# --- list and detail --------------------------------------------------------------------------------------


@login_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    applications = list(
        Application.objects.visible_to(request.user)
        .select_related("call", "consortium__lead")
        .prefetch_related(
            Prefetch(
                "consortium__members",
                queryset=ConsortiumMember.objects.select_related("firm").order_by("role", "id"),
            )
        )
        .order_by("-created_at", "-id")[:200]
    )
    rows = []
    for application in applications:
        members = list(application.consortium.members.all())
        rows.append(
            {
                "application": application,
                "pending": [m.firm.name for m in members if m.state == ConsortiumMember.State.INVITED],
                "members": len([m for m in members if m.state == ConsortiumMember.State.ACCEPTED]),
            }
        )
    scope = scope_of(request.user)
    places = (
        ConsortiumMember.objects.filter(
            firm_id__in=scope.firm_ids,
            state=ConsortiumMember.State.INVITED,
            consortium__application__status=Application.Status.DRAFT,
        )
        .select_related("firm", "consortium__lead", "consortium__application")
        .order_by("id")
        if scope.firm_ids
        else []
    )
    # Open calls a user of an active member firm may apply to (the call pages link here too).
    open_calls = []
    if scope.firm_ids and _lead_firms(request.user).exists():
        today = timezone.localdate()
        candidates = Call.objects.visible_to(request.user).filter(
            published_at__isnull=False, opens_on__lte=today, closes_on__gte=today
        )
        open_calls = [c for c in candidates.order_by("closes_on", "code") if c.is_open()]
    return render(
        request,
        "programmes/applications/list.html",
        {"rows": rows, "places": places, "open_calls": open_calls},
    )


def _members_of(application: Application) -> list[ConsortiumMember]:
    return list(
        ConsortiumMember.objects.filter(consortium_id=application.consortium_id)
        .select_related("firm__industry", "firm__federation")
        .order_by("role", "id")
    )


def _budget_table(application: Application, lines: list[Any], budget: Budget) -> dict[str, Any]:
    rows = [
        {
            "category": line.category,
            "government": line.government_krw,
            "cash": line.firm_cash_krw,
            "inkind": line.firm_inkind_krw,
            "total": line.government_krw + line.firm_cash_krw + line.firm_inkind_krw,
        }
        for line in lines
    ]
    return {"rows": rows, "totals": budget.as_dict()}


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible(request, pk)
    members = _members_of(application)
    lines = list(application.budget_lines.select_related("category").order_by("category__sort_order"))
    budget = Budget.of(application)
    if application.status == Application.Status.DRAFT:
        # A draft's check is live: the rules as they would hold now (a submitted one shows what was stored).
        breaches = check_application(application)
    else:
        breaches = breaches_of(application)
    revisions = list(application.revisions.select_related("saved_by").order_by("-number")[:20])
    is_lead = services.is_lead_user(request.user, application)
    scope = scope_of(request.user)
    own_place = next((m for m in members if m.firm_id in scope.firm_ids and m.role == m.Role.PARTNER), None)
    # Pre-planning notes (on the consortium or its topic) carry into the application, for their readers only.
    from .coordination_services import notes_readable
    from .models.applications import notes_for_application

    pre_planning_notes = (
        list(
            notes_for_application(application)
            .select_related("author", "topic")
            .order_by("-created_at", "-id")
        )
        if notes_readable(request.user).filter(pk=application.pk).exists()
        else None
    )
    return render(
        request,
        "programmes/applications/detail.html",
        {
            "application": application,
            "members": members,
            "budget": _budget_table(application, lines, budget),
            "breaches": breaches,
            "revisions": revisions,
            "is_lead": is_lead,
            "own_place": own_place,
            "open": not services.window_error(application.call),
            "crumbs": _crumbs(),
            "pre_planning_notes": pre_planning_notes,
        },
    )


# --- edit and the live budget check -----------------------------------------------------------------------


def _edit_form(application: Application, data: Any = None) -> ApplicationForm:
    categories = list(services.budget_categories(application.call))
    lines = {line.category_id: line for line in application.budget_lines.all()}
    initial = {
        "title": application.title,
        "topic": application.topic_id,
        "starts_on": application.starts_on,
        "ends_on": application.ends_on,
        "summary": application.summary,
        "plan": application.plan,
    }
    return ApplicationForm(
        data,
        initial=initial,
        topics=services.leading_topics(application.call),
        categories=categories,
        lines=lines,
        version=application.version,
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible(request, pk)
    _lead_only(request, application)
    form = _edit_form(application, request.POST or None)
    context: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.save_draft(
                application,
                actor=request.user,
                expected_version=form.expected_version,
                **form.service_fields(),
            )
        except StaleEdit as stale:
            context.update(
                show_conflict(
                    form, stale, fields=["title", "topic", "starts_on", "ends_on", "summary", "plan"]
                )
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("신청서 초안을 저장했습니다."))
            return redirect("programmes:application_detail", application.pk)
    if form.is_bound and form.is_valid():
        budget = form.budget()
    else:  # the saved lines, as the inputs show them (and as budget.js adds them up)
        lines = {
            line.category_id: (line.government_krw, line.firm_cash_krw, line.firm_inkind_krw)
            for line in application.budget_lines.all()
        }
        budget = Budget(*services.totals_of(lines))
    rules = CallRules.of(application.call)
    status = INVALID_FORM_STATUS if request.method == "POST" else 200
    return render(
        request,
        "programmes/applications/edit.html",
        {
            "application": application,
            "form": form,
            "sources": SOURCES,
            "totals": budget.as_dict(),
            "breaches": check_budget(rules, budget),
            "rules": rules,
            "crumbs": _crumbs(),
            **context,
        },
        status=status,
    )


@login_required
@require_POST
def application_budget_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The budget rules for the amounts typed so far (htmx partial). Reads only; writes nothing."""
    application = _visible(request, pk)
    _lead_only(request, application)
    form = BudgetCheckForm(request.POST, categories=list(services.budget_categories(application.call)))
    form.is_valid()
    categories = {c.pk: c for c in form.categories}
    errors = [str(e) for field in form.errors.values() for e in field]
    lines = form.lines()
    errors += services.budget_line_errors(categories.values(), lines)
    budget = form.budget()
    breaches = check_budget(CallRules.of(application.call), budget)
    return render(
        request,
        "programmes/applications/includes/rule_check.html",
        {"breaches": breaches, "errors": errors, "totals": budget.as_dict(), "checked": True},
    )


# --- partners ---------------------------------------------------------------------------------------------


def _limit_flags(application: Application, firm_ids: list[int]) -> set[int]:
    """Firms already in as many submitted applications of this call as they may join."""
    counts = earlier_applications(application.call, firm_ids, before=application)
    limit = application.call.max_applications_per_firm
    return {firm_id for firm_id, n in counts.items() if n >= limit}


def _member_firm_ids() -> Any:
    return Membership.objects.current().values("firm_id")


def partner_suggestions(application: Application, viewer: Any, exclude: set[int]) -> tuple[list[Any], str]:
    """Firms whose offers answer the lead's needs for the topic and the topic's capabilities
    (`matching.recommend`), with the reasons; active current members only, not already in the consortium."""
    from yunghap.matching.models import Posting
    from yunghap.matching.recommend import MatchFilters, recommend_for_need

    lead = application.consortium.lead
    topic = application.topic
    terms: list[str] = []
    if topic is not None:
        terms += [c.name for c in topic.capabilities.all()]
    needs = (
        Posting.objects.needs()
        .open(timezone.localdate())
        .filter(firm=lead, review_status=Posting.ReviewStatus.APPROVED)
    )
    for need_terms in needs.values_list("terms", flat=True):
        terms += list(need_terms or [])
    terms = list(dict.fromkeys(t for t in terms if t))
    if not terms:
        return [], _(
            "과제에 필요 역량이 없고 주관기업의 기술 수요도 없어 추천할 기업이 없습니다. 이름으로 찾아 초대해 주세요."
        )
    probe = Posting(
        kind=Posting.Kind.NEED,
        title=topic.title if topic is not None else application.title,
        terms=terms,
        firm=lead,
        analysed_at=timezone.now(),
    )
    results = recommend_for_need(probe, top=SUGGESTION_LIMIT * 3, filters=MatchFilters(), viewer=viewer)
    allowed = set(
        Firm.objects.filter(pk__in=[r.firm.pk for r in results], status=Firm.Status.ACTIVE)
        .filter(pk__in=_member_firm_ids())
        .values_list("pk", flat=True)
    )
    kept = [r for r in results if r.firm.pk in allowed and r.firm.pk not in exclude][:SUGGESTION_LIMIT]
    return kept, (results.hint if not kept else "")


def _search(q: str, exclude: set[int]) -> list[Firm]:
    if not q:
        return []
    return list(
        Firm.objects.filter(name__icontains=q, status=Firm.Status.ACTIVE, pk__in=_member_firm_ids())
        .exclude(pk__in=exclude)
        .select_related("industry", "federation")
        .only(
            "id",
            "name",
            "industry__code",
            "industry__name",
            "industry__name_en",
            "federation__name",
            "federation__name_en",
        )
        .order_by("name", "id")[:SEARCH_LIMIT]
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_partners(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible(request, pk)
    _lead_only(request, application)
    error = ""
    if request.method == "POST":
        firm_id = _int(request.POST.get("firm"))
        firm = Firm.objects.filter(pk=firm_id).first() if firm_id is not None else None
        form = ConfirmForm(request.POST)
        if firm is None:
            error = _("초대할 기업을 고르세요.")
        elif not form.is_valid():
            error = _("양식 정보가 올바르지 않습니다. 화면을 새로 고친 뒤 다시 입력해 주세요.")
        else:
            url = reverse("programmes:application_partners", args=[application.pk])
            try:
                onetime.submit_once(
                    request,
                    form,
                    lambda: services.invite_partner(application, firm, actor=request.user),
                    result_url=url,
                )
            except onetime.AlreadySubmitted as done:
                return done.response(request, url)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(
                    request, _("참여기업으로 초대했습니다. 상대 기업이 수락하면 협력체에 들어옵니다.")
                )
                return redirect(url)
    members = _members_of(application)
    in_consortium = {m.firm_id for m in members if m.state != ConsortiumMember.State.DECLINED}
    q = " ".join(request.GET.get("q", "").split())[:100]
    suggestions, hint = partner_suggestions(application, request.user, in_consortium)
    found = _search(q, in_consortium)
    flagged = _limit_flags(
        application, [m.firm_id for m in members] + [r.firm.pk for r in suggestions] + [f.pk for f in found]
    )
    return render(
        request,
        "programmes/applications/partners.html",
        {
            "application": application,
            "members": members,
            "suggestions": [
                {"rec": r, "token": onetime.new_token(), "over_limit": r.firm.pk in flagged}
                for r in suggestions
            ],
            "hint": hint,
            "q": q,
            "found": [
                {"firm": f, "token": onetime.new_token(), "over_limit": f.pk in flagged} for f in found
            ],
            "flagged": flagged,
            "error": error,
            "crumbs": _crumbs(),
        },
        status=INVALID_FORM_STATUS if error else 200,
    )


def _int(value: Any) -> int | None:
    from yunghap.core.params import parse_id

    return parse_id(value)


@login_required
@require_http_methods(["GET", "POST"])
def application_partner_remove(request: HttpRequest, pk: int, place: int) -> HttpResponse:
    application = _visible(request, pk)
    _lead_only(request, application)
    member = get_object_or_404(
        ConsortiumMember.objects.select_related("firm", "consortium"),
        pk=place,
        consortium_id=application.consortium_id,
        role=ConsortiumMember.Role.PARTNER,
    )
    url = reverse("programmes:application_partners", args=[application.pk])
    allowed = member.state != ConsortiumMember.State.ACCEPTED
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and allowed and form.is_valid():
        try:
            onetime.submit_once(
                request, form, lambda: services.remove_partner(member, actor=request.user), result_url=url
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, url)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(url)
        messages.success(request, _("협력체에서 뺐습니다."))
        return redirect(url)
    summary = (
        [fill(_("%(firm)s을(를) 협력체 초대 목록에서 뺍니다."), {"firm": member.firm.name})]
        if allowed
        else [_("참여를 수락한 기업은 뺄 수 없습니다.")]
    )
    return confirm_page(
        request,
        form,
        title=_("참여기업 빼기"),
        summary=summary,
        action_label=_("빼기"),
        cancel_url=url,
        allowed=allowed,
        status=None if allowed else 200,
        crumbs=[
            *_crumbs(),
            (application.title, reverse("programmes:application_detail", args=[application.pk])),
        ],
    )


# --- a partner's answer -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def place_respond(request: HttpRequest, pk: int) -> HttpResponse:
    visible = Application.objects.visible_to(request.user).values("consortium_id")
    place = get_object_or_404(
        ConsortiumMember.objects.select_related("firm", "consortium__lead", "consortium__call"),
        pk=pk,
        consortium_id__in=visible,
    )
    if place.firm_id not in scope_of(request.user).firm_ids:
        raise PermissionDenied(_("초대받은 기업의 담당자만 응답할 수 있습니다."))
    application = Application.objects.select_related("topic", "call").get(consortium_id=place.consortium_id)
    form = RespondForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            services.respond_place(place, actor=request.user, accept=accept)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("참여를 수락했습니다.") if accept else _("참여를 거절했습니다."))
            return redirect("programmes:application_list")
    members = _members_of(application)
    status = INVALID_FORM_STATUS if request.method == "POST" else 200
    return render(
        request,
        "programmes/applications/respond.html",
        {
            "place": place,
            "application": application,
            "members": members,
            "form": form,
            "can_answer": place.state == ConsortiumMember.State.INVITED
            and application.status == Application.Status.DRAFT,
            "crumbs": _crumbs(),
        },
        status=status,
    )


# --- submit and withdraw ----------------------------------------------------------------------------------


CHECKS = (
    gettext_lazy("접수 기간(한국 시간) 안인지"),
    gettext_lazy("초대한 참여기업이 모두 수락했는지"),
    gettext_lazy("지원 상한, 정부지원 비율, 기업부담 비율, 기업부담 중 현금 비율"),
    gettext_lazy("참여기업 수(주관 포함)와 업종(KSIC 중분류) 수"),
    gettext_lazy("모든 참여기업이 현재 교류회 회원이고 정상 영업 중인지"),
    gettext_lazy("이 공모에 기업당 참여할 수 있는 신청 수"),
)


@login_required
@require_http_methods(["GET", "POST"])
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible(request, pk)
    _lead_only(request, application)
    detail = reverse("programmes:application_detail", args=[application.pk])
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    refused: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request,
                form,
                lambda: services.submit_application(application, actor=request.user),
                result_url=detail,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, detail)
        except ValidationError as exc:
            refused = list(exc.messages)
        else:
            messages.success(request, _("신청서를 제출했습니다. 모든 규칙을 충족해 적격으로 접수되었습니다."))
            return redirect(detail)
    if not refused:
        refused = services.submission_errors(application)
    summary = [
        _("제출하면 다음을 확인합니다. 하나라도 어긋나면 제출되지 않으며, 제출한 뒤에는 고칠 수 없습니다.")
    ]
    summary += [f"· {check}" for check in CHECKS]
    if refused:
        summary.append(_("지금 제출하면 다음 이유로 거절됩니다:"))
        summary += [f"✗ {reason}" for reason in refused]
    return confirm_page(
        request,
        form,
        title=_("신청서 제출"),
        summary=summary,
        action_label=_("제출"),
        cancel_url=detail,
        danger=False,
        status=INVALID_FORM_STATUS if refused and form.is_bound and form.is_valid() else None,
        crumbs=[*_crumbs(), (application.title, detail)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible(request, pk)
    _lead_only(request, application, draft=False)
    if application.status != Application.Status.SUBMITTED:
        raise PermissionDenied(_("제출된 신청서만 철회할 수 있습니다."))
    detail = reverse("programmes:application_detail", args=[application.pk])
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    window = services.window_error(application.call)
    if request.method == "POST" and form.is_valid() and not window:
        try:
            onetime.submit_once(
                request,
                form,
                lambda: services.withdraw_application(application, actor=request.user),
                result_url=detail,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, detail)
        except ValidationError as exc:
            window = " ".join(exc.messages)
        else:
            messages.success(request, _("신청서를 철회했습니다."))
            return redirect(detail)
    summary = [
        _("신청서를 철회합니다. 철회한 신청서는 평가·선정에서 빠지며 다시 제출할 수 없습니다."),
        _("철회한 신청도 이 공모의 기업당 참여 신청 수에는 계속 포함됩니다."),
    ]
    if window:
        summary = [window]
    return confirm_page(
        request,
        form,
        title=_("신청서 철회"),
        summary=summary,
        action_label=_("철회"),
        cancel_url=detail,
        allowed=not window,
        status=200 if window else None,
        crumbs=[*_crumbs(), (application.title, detail)],
    )
