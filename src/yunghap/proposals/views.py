"""Policy proposals' pages. Public: the list and the public proposals (anonymous visitors too). Signed in:
submit, my proposals, edit, withdraw, reply to a correction, support, report. Central staff: the queue and the
workflow's moves. Thin: every change is a service of `proposals.services`, every rule in `workflow`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.confirm import ConfirmForm, confirm_page
from yunghap.core.forms import add_service_errors
from yunghap.core.http import BAD_PARAMETER_STATUS
from yunghap.core.korean import fill
from yunghap.core.versions import StaleEdit, show_conflict
from yunghap.network.models import Firm

from . import deadlines, services
from .forms import (
    AnswerForm,
    CorrectionReplyForm,
    CorrectionRequestForm,
    ManageSearchForm,
    ProposalEditForm,
    ProposalForm,
    ReportForm,
    SearchForm,
)
from .models import (
    Moderation,
    PolicyProposal,
    ProposalAttachment,
    ProposalReport,
    ProposalState,
    ProposalSupport,
)
from .workflow import CONFIRMED_STAFF_MOVES, MOVES, allowed_now, may, refusal

PAGE_SIZE = 20


def _crumbs() -> list[tuple[str, str]]:
    return [(_("제도개선 건의"), reverse("proposals:list"))]


def _filtered(form: SearchForm, proposals: QuerySet[PolicyProposal]) -> tuple[QuerySet[PolicyProposal], bool]:
    if form.is_bound and not form.is_valid():
        return proposals.none(), False
    cleaned = form.cleaned_data if form.is_bound else {}
    words = (cleaned.get("q") or "").split()
    for word in words[:5]:
        proposals = proposals.filter(
            Q(title__icontains=word)
            | Q(problem__icontains=word)
            | Q(proposal__icontains=word)
            | Q(law__icontains=word)
        )
    if cleaned.get("state"):
        proposals = proposals.filter(state=cleaned["state"])
    return proposals, True


def _with_counts(proposals: QuerySet[PolicyProposal]) -> QuerySet[PolicyProposal]:
    return proposals.annotate(support_count=Count("supports", distinct=True))


def _page(request: HttpRequest, proposals: Any) -> Any:
    return Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    """The public list: public proposals, anonymous visitors too."""
    form = SearchForm(request.GET or None)
    proposals, valid = _filtered(form, PolicyProposal.objects.public())
    page = _page(request, _with_counts(proposals).order_by("-submitted_at", "-id"))
    return render(
        request,
        "proposals/list.html",
        {"form": form, "page_obj": page, "proposals": list(page)},
        status=200 if valid else BAD_PARAMETER_STATUS,
    )


@login_required
@require_GET
def my_proposals(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    proposals, valid = _filtered(form, PolicyProposal.objects.filter(author_id=request.user.pk))
    page = _page(request, _with_counts(proposals).order_by("-submitted_at", "-id"))
    today = timezone.localdate()
    rows = [(p, deadlines.due_date(p, today), deadlines.is_overdue(p, today)) for p in page]
    return render(
        request,
        "proposals/mine.html",
        {"form": form, "page_obj": page, "rows": rows, "crumbs": _crumbs()},
        status=200 if valid else BAD_PARAMETER_STATUS,
    )


def _own_firms(user: Any) -> list[Firm]:
    ids = scope_of(user).firm_ids
    return list(Firm.objects.filter(pk__in=ids).order_by("name")) if ids else []


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest) -> HttpResponse:
    firms = _own_firms(request.user)
    if request.method == "POST":
        form = ProposalForm(request.POST, request.FILES, firms=firms)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = onetime.submit_once(
                    request,
                    form,
                    lambda: services.submit_proposal(
                        actor=request.user,
                        title=data["title"],
                        problem=data["problem"],
                        proposal=data["proposal"],
                        law=data["law"],
                        firm=form.firm_object(),
                        is_public=data["is_public"],
                        attachments=data["attachments"],
                    ),
                    result_url=lambda p: reverse("proposals:detail", args=[p.pk]),
                )
            except onetime.AlreadySubmitted as done:
                return done.response(request, reverse("proposals:mine"))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("건의를 접수했습니다. 처리 기한은 접수일로부터 14일입니다."))
                return redirect("proposals:detail", created.pk)
    else:
        form = ProposalForm(firms=firms)
    return render(
        request,
        "proposals/form.html",
        {
            "form": form,
            "title": _("제도개선 건의하기"),
            "crumbs": _crumbs(),
            "action": reverse("proposals:create"),
        },
    )


def _visible(request: HttpRequest, pk: int) -> PolicyProposal:
    return get_object_or_404(
        PolicyProposal.objects.visible_to(request.user).select_related("author", "firm"), pk=pk
    )


def answer_visible(proposal: PolicyProposal, user: Any) -> bool:
    """Central staff read the answer as soon as it is written; anyone else once it is published."""
    if not proposal.answer:
        return False
    return proposal.answer_published_at is not None or scope_of(user).central


@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    user = request.user
    scope = scope_of(user)
    is_author = scope.authenticated and proposal.author_id == user.pk
    shows_answer = answer_visible(proposal, user)
    files = list(proposal.attachments.all())
    if not shows_answer:
        files = [f for f in files if f.part != ProposalAttachment.Part.ANSWER]
    support_count = ProposalSupport.objects.filter(proposal=proposal).count()
    user_id = user.pk or 0
    supported = (
        scope.authenticated and ProposalSupport.objects.filter(proposal=proposal, user_id=user_id).exists()
    )
    reported = (
        scope.authenticated and ProposalReport.objects.filter(proposal=proposal, user_id=user_id).exists()
    )
    is_public_now = (
        proposal.is_public and not proposal.is_hidden and proposal.state != ProposalState.WITHDRAWN
    )
    today = timezone.localdate()
    moves = allowed_now(proposal, user)
    context: dict[str, Any] = {
        "proposal": proposal,
        "is_author": is_author,
        "is_staff": scope.central,
        "shows_answer": shows_answer,
        "files": files,
        "support_count": support_count,
        "supported": supported,
        "reported": reported,
        "may_react": scope.authenticated and not is_author and is_public_now,
        "author_moves": [m for m in moves if "author" in m.who],
        "staff_moves": [m for m in moves if "staff" in m.who],
        "crumbs": _crumbs(),
    }
    if is_author or scope.central:
        context.update(
            due=deadlines.due_date(proposal, today),
            overdue=deadlines.is_overdue(proposal, today),
            open=deadlines.is_open(proposal),
            paused_days=deadlines.paused_days(proposal, today),
        )
    if scope.central:
        context["reports"] = list(ProposalReport.objects.filter(proposal=proposal).order_by("created_at"))
        context["open_reports"] = services.open_report_count(proposal)
        context["may_moderate"] = {
            d: not services.moderation_refusal(proposal, d) for d in services.MODERATION_DECISIONS
        }
    return render(request, "proposals/detail.html", context)


@require_GET
def attachment_download(request: HttpRequest, pk: int, file: int) -> FileResponse:
    """Files are served to those who see the proposal, never from a public media URL; an answer's file
    only once the answer may be read."""
    proposal = _visible(request, pk)
    attachment = get_object_or_404(ProposalAttachment, proposal=proposal, pk=file)
    if attachment.part == ProposalAttachment.Part.ANSWER and not answer_visible(proposal, request.user):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


def _author_page(request: HttpRequest, pk: int, action: str) -> PolicyProposal:
    proposal = _visible(request, pk)
    if not may(action, proposal, request.user):
        raise PermissionDenied(_("건의인만 할 수 있습니다."))
    return proposal


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _author_page(request, pk, "edit")
    detail = reverse("proposals:detail", args=[proposal.pk])
    reason = refusal("edit", proposal)
    if reason:
        messages.error(request, reason)
        return redirect(detail)
    firms = _own_firms(request.user)
    conflict: dict[str, Any] = {}
    if request.method == "POST":
        form = ProposalEditForm(request.POST, request.FILES, firms=firms, version=proposal.version)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.edit_proposal(
                    proposal,
                    actor=request.user,
                    title=data["title"],
                    problem=data["problem"],
                    proposal_text=data["proposal"],
                    law=data["law"],
                    is_public=data["is_public"],
                    firm=form.firm_object(),
                    attachments=data["attachments"],
                    expected_version=form.expected_version,
                )
            except StaleEdit as stale:
                conflict = show_conflict(form, stale)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("저장했습니다."))
                return redirect(detail)
    else:
        form = ProposalEditForm(
            initial={
                "title": proposal.title,
                "problem": proposal.problem,
                "proposal": proposal.proposal,
                "law": proposal.law,
                "firm": proposal.firm_id or "",
                "is_public": proposal.is_public,
            },
            firms=firms,
            version=proposal.version,
        )
    return render(
        request,
        "proposals/form.html",
        {
            "form": form,
            "title": _("건의 수정"),
            "proposal": proposal,
            "crumbs": [*_crumbs(), (proposal.title, detail)],
            "action": reverse("proposals:edit", args=[proposal.pk]),
            **conflict,
        },
    )


def _confirmed_move(
    request: HttpRequest, proposal: PolicyProposal, action: str, run: Any, *, reason: str, summary: list[str]
) -> HttpResponse:
    detail = reverse("proposals:detail", args=[proposal.pk])
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    label = str(MOVES[action].label) if action in MOVES else summary[0]
    if request.method == "POST" and not reason and form.is_valid():
        try:
            onetime.submit_once(request, form, run, result_url=detail)
        except onetime.AlreadySubmitted as done:
            return done.response(request, detail)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(detail)
        messages.success(request, fill(_("%(action)s을(를) 마쳤습니다."), {"action": label}))
        return redirect(detail)
    return confirm_page(
        request,
        form,
        title=fill(_("건의 %(action)s"), {"action": label}),
        summary=[reason] if reason else [*summary, proposal.title],
        action_label=label,
        cancel_url=detail,
        danger=action in ("withdraw", "close", "keep_hidden"),
        allowed=not reason,
        status=None if not reason else 200,
        crumbs=[*_crumbs(), (proposal.title, detail)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _author_page(request, pk, "withdraw")
    return _confirmed_move(
        request,
        proposal,
        "withdraw",
        lambda: services.move_proposal(proposal, "withdraw", actor=request.user),
        reason=refusal("withdraw", proposal),
        summary=[str(MOVES["withdraw"].summary)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def correction_reply(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _author_page(request, pk, "reply_correction")
    detail = reverse("proposals:detail", args=[proposal.pk])
    reason = refusal("reply_correction", proposal)
    if reason:
        messages.error(request, reason)
        return redirect(detail)
    if request.method == "POST":
        form = CorrectionReplyForm(request.POST, request.FILES, version=proposal.version)
        if form.is_valid():
            try:
                services.move_proposal(
                    proposal,
                    "reply_correction",
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    attachments=form.cleaned_data["attachments"],
                    expected_version=form.expected_version,
                )
            except StaleEdit as stale:
                form.add_error(None, stale)
                form.show_conflict(stale)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("보완 내용을 제출했습니다. 처리 기한이 다시 흐릅니다."))
                return redirect(detail)
    else:
        form = CorrectionReplyForm(version=proposal.version)
    return render(
        request,
        "proposals/correction.html",
        {"form": form, "proposal": proposal, "crumbs": [*_crumbs(), (proposal.title, detail)]},
    )


@login_required
@require_POST
def proposal_support(request: HttpRequest, pk: int) -> HttpResponse:
    """공감 (POST from the detail page's button). Never changes the workflow."""
    proposal = _visible(request, pk)
    detail = reverse("proposals:detail", args=[proposal.pk])
    try:
        services.support_proposal(proposal, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("공감했습니다."))
    return redirect(detail)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_report(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    if proposal.author_id == request.user.pk:
        raise PermissionDenied(_("자신의 건의는 신고할 수 없습니다."))
    detail = reverse("proposals:detail", args=[proposal.pk])
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done = onetime.post_once(
            request,
            form,
            lambda: services.report_proposal(
                proposal, actor=request.user, reason=form.cleaned_data["reason"]
            ),
            result_url=detail,
            success=_("신고를 접수했습니다. 중앙회가 확인합니다."),
        )
        if done is not None:
            return done
    return render(
        request,
        "proposals/report.html",
        {"form": form, "proposal": proposal, "crumbs": [*_crumbs(), (proposal.title, detail)]},
    )


# --- central staff ---------------------------------------------------------------------------------------


def _staff_only(request: HttpRequest) -> None:
    if not scope_of(request.user).central:
        raise PermissionDenied(_("건의 처리는 중앙회 직원이 합니다."))


@login_required
@require_GET
def manage_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = ManageSearchForm(request.GET or None)
    proposals, valid = _filtered(form, PolicyProposal.objects.all())
    cleaned = form.cleaned_data if form.is_bound and valid else {}
    if cleaned.get("reported"):
        proposals = proposals.filter(moderation=Moderation.PENDING)
    proposals = _with_counts(proposals).select_related("author", "firm").order_by("submitted_at", "id")
    today = timezone.localdate()
    if cleaned.get("overdue"):
        # Overdue is computed (reads never write): filter the open ones in Python, then paginate the list.
        candidates = proposals.filter(
            state__in=[
                ProposalState.SUBMITTED,
                ProposalState.IN_REVIEW,
                ProposalState.CORRECTION,
                ProposalState.ANSWERED,
            ],
            answer_published_at__isnull=True,
        )
        items: Any = [p for p in candidates if deadlines.is_overdue(p, today)]
    else:
        items = proposals
    page = _page(request, items)
    rows = [(p, deadlines.due_date(p, today), deadlines.is_overdue(p, today)) for p in page]
    return render(
        request,
        "proposals/manage.html",
        {"form": form, "page_obj": page, "rows": rows, "crumbs": _crumbs()},
        status=200 if valid else BAD_PARAMETER_STATUS,
    )


STAFF_CONFIRMED = {*CONFIRMED_STAFF_MOVES, *services.MODERATION_DECISIONS}
MODERATION_TEXT = {
    "restore": (
        _("다시 공개"),
        _("신고로 숨겨진 건의를 다시 공개 목록에 올립니다. 지금까지의 신고는 검토한 것으로 봅니다."),
    ),
    "keep_hidden": (_("숨김 유지"), _("건의를 공개 목록에서 계속 숨깁니다. 건의인은 계속 볼 수 있습니다.")),
}


@login_required
@require_http_methods(["GET", "POST"])
def manage_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in STAFF_CONFIRMED:
        raise Http404(_("알 수 없는 작업입니다."))
    proposal = _visible(request, pk)
    _staff_only(request)
    if action in services.MODERATION_DECISIONS:
        label, summary = MODERATION_TEXT[action]
        detail = reverse("proposals:detail", args=[proposal.pk])
        form = ConfirmForm(request.POST if request.method == "POST" else None)
        reason = services.moderation_refusal(proposal, action)
        if request.method == "POST" and not reason and form.is_valid():
            try:
                onetime.submit_once(
                    request,
                    form,
                    lambda: services.review_reports(proposal, action, actor=request.user),
                    result_url=detail,
                )
            except onetime.AlreadySubmitted as done:
                return done.response(request, detail)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect(detail)
            messages.success(request, fill(_("%(action)s을(를) 마쳤습니다."), {"action": str(label)}))
            return redirect(detail)
        return confirm_page(
            request,
            form,
            title=fill(_("신고 검토: %(action)s"), {"action": str(label)}),
            summary=[reason] if reason else [str(summary), proposal.title],
            action_label=str(label),
            cancel_url=detail,
            danger=action == "keep_hidden",
            allowed=not reason,
            status=None if not reason else 200,
            crumbs=[*_crumbs(), (proposal.title, detail)],
        )
    return _confirmed_move(
        request,
        proposal,
        action,
        lambda: services.move_proposal(proposal, action, actor=request.user),
        reason=refusal(action, proposal),
        summary=[str(MOVES[action].summary)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_correction(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    _staff_only(request)
    return _staff_form(
        request,
        proposal,
        "ask_correction",
        CorrectionRequestForm,
        _("보완을 요청했습니다. 처리 기한이 멈춥니다."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_answer(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    _staff_only(request)
    return _staff_form(
        request,
        proposal,
        "answer",
        AnswerForm,
        _("답변을 저장했습니다. 공개하기 전까지 건의인에게 보이지 않습니다."),
    )


def _staff_form(
    request: HttpRequest, proposal: PolicyProposal, action: str, form_class: Any, success: str
) -> HttpResponse:
    detail = reverse("proposals:detail", args=[proposal.pk])
    reason = refusal(action, proposal)
    if reason:
        messages.error(request, reason)
        return redirect(detail)
    conflict: dict[str, Any] = {}
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, version=proposal.version)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.move_proposal(
                    proposal,
                    action,
                    actor=request.user,
                    text=data.get("text", ""),
                    outcome=data.get("outcome", ""),
                    forwarded_to=data.get("forwarded_to", ""),
                    attachments=[data["attachment"]] if data.get("attachment") else [],
                    expected_version=form.expected_version,
                )
            except StaleEdit as stale:
                conflict = show_conflict(form, stale)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, success)
                return redirect(detail)
    else:
        form = form_class(version=proposal.version)
    return render(
        request,
        "proposals/staff_form.html",
        {
            "form": form,
            "proposal": proposal,
            "title": str(MOVES[action].label),
            "summary": str(MOVES[action].summary),
            "crumbs": [*_crumbs(), (proposal.title, detail)],
            **conflict,
        },
    )
