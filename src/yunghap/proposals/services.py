"""Every change of a policy proposal: submit, edit, the workflow's moves, support, reports and their review.

Each is one transaction that locks the proposal's row, writes one audit row and notifies after the commit.
Who may do what is `proposals.workflow.MOVES`; the support count is never read here except to add one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_change
from yunghap.core.korean import fill
from yunghap.core.messenger import notify
from yunghap.core.versions import bump_version, lock_version

from . import message_codes
from .attachments import check_attachments
from .models import (
    Moderation,
    PolicyProposal,
    ProposalAttachment,
    ProposalOutcome,
    ProposalReport,
    ProposalSupport,
)
from .workflow import MOVES, may, refusal

REPORTS_TO_HIDE = 3


def hides_after(open_reports: int) -> bool:
    """The counting rule: a public proposal is hidden from the public at its third report since the last
    staff review."""
    return open_reports >= REPORTS_TO_HIDE


def open_report_count(proposal: PolicyProposal) -> int:
    """Reports made since staff last reviewed them (all of them before any review)."""
    reports = ProposalReport.objects.filter(proposal=proposal)
    if proposal.reports_reviewed_at is not None:
        reports = reports.filter(created_at__gt=proposal.reports_reviewed_at)
    return reports.count()


def _link(proposal: PolicyProposal) -> str:
    return reverse("proposals:detail", args=[proposal.pk])


def _tell(users: Iterable[Any], code: str, proposal: PolicyProposal, verb: str, **params: Any) -> None:
    people = [u for u in users if u is not None]
    values = {"title": proposal.title, **params}
    link = _link(proposal)
    transaction.on_commit(lambda: notify(people, code=code, params=values, link=link, verb=verb))


def central_staff() -> list[Any]:
    from yunghap.accounts.models import Role, User

    return list(User.objects.filter(is_active=True, grants__role=Role.CENTRAL_STAFF).distinct())


def _firm_of(actor: Any, firm: Any) -> Any:
    if firm is None:
        return None
    if firm.pk not in scope_of(actor).firm_ids:
        raise ValidationError({"firm": [_("본인이 소속된 기업만 고를 수 있습니다.")]})
    return firm


def _attach(proposal: PolicyProposal, uploads: Iterable[Any], part: str) -> list[str]:
    names = []
    for upload in uploads:
        if not upload:
            continue
        ProposalAttachment.objects.create(
            proposal=proposal, part=part, file=upload, name=str(upload.name)[:255], size=upload.size
        )
        names.append(str(upload.name))
    return names


@transaction.atomic
def submit_proposal(
    *,
    actor: Any,
    title: str,
    problem: str,
    proposal: str,
    law: str = "",
    firm: Any = None,
    is_public: bool = False,
    attachments: Iterable[Any] = (),
) -> PolicyProposal:
    if not scope_of(actor).authenticated:
        raise PermissionDenied(_("로그인한 사용자만 건의할 수 있습니다."))
    uploads = list(attachments)
    check_attachments(uploads)
    item = PolicyProposal.objects.create(
        title=title,
        problem=problem,
        proposal=proposal,
        law=law,
        author=actor,
        firm=_firm_of(actor, firm),
        is_public=is_public,
        submitted_at=timezone.now(),
    )
    files = _attach(item, uploads, ProposalAttachment.Part.PROPOSAL)
    record_change(
        actor,
        "proposals.proposal.create",
        item,
        {"state": item.state, "is_public": is_public, "firm": item.firm_id, "attachments": files},
    )
    _tell([actor], message_codes.SUBMITTED, item, "proposals.submitted")
    return item


def _lock(proposal: PolicyProposal) -> PolicyProposal:
    return PolicyProposal.objects.select_for_update().get(pk=proposal.pk)


def _check(action: str, proposal: PolicyProposal, actor: Any) -> None:
    if not may(action, proposal, actor):
        raise PermissionDenied(_("이 작업을 할 권한이 없습니다."))
    reason = refusal(action, proposal)
    if reason:
        raise ValidationError(reason, code="state")


@transaction.atomic
def edit_proposal(
    proposal: PolicyProposal,
    *,
    actor: Any,
    title: str,
    problem: str,
    proposal_text: str,
    law: str,
    is_public: bool,
    firm: Any = None,
    attachments: Iterable[Any] = (),
    expected_version: int | None = None,
) -> PolicyProposal:
    """The author changes the text, the firm and the visibility while the proposal is editable."""
    lock_version(proposal, expected_version)
    proposal = _lock(proposal)
    _check("edit", proposal, actor)
    uploads = list(attachments)
    check_attachments(uploads)
    values = {
        "title": title,
        "problem": problem,
        "proposal": proposal_text,
        "law": law,
        "is_public": is_public,
        "firm_id": _firm_of(actor, firm).pk if firm is not None else None,
    }
    changes: dict[str, Any] = {k: v for k, v in values.items() if getattr(proposal, k) != v}
    files = _attach(proposal, uploads, ProposalAttachment.Part.PROPOSAL)
    if files:
        changes["attachments"] = files
    if changes:
        for name, value in values.items():
            setattr(proposal, name, value)
        bump_version(proposal)
        proposal.save()
        record_change(actor, "proposals.proposal.update", proposal, changes)
    return proposal


def _finish_pause(proposal: PolicyProposal, now: datetime.datetime) -> None:
    if proposal.paused_since is not None:
        days = (timezone.localdate(now) - timezone.localdate(proposal.paused_since)).days
        proposal.paused_days += max(0, days)
        proposal.paused_since = None


@transaction.atomic
def move_proposal(
    proposal: PolicyProposal,
    action: str,
    *,
    actor: Any,
    text: str = "",
    outcome: str = "",
    forwarded_to: str = "",
    attachments: Iterable[Any] = (),
    expected_version: int | None = None,
) -> PolicyProposal:
    """Make the workflow move `action` (not "edit": see `edit_proposal`).

    ask_correction takes the request (`text`); reply_correction the author's reply (`text`, attachments);
    answer the `outcome`, `forwarded_to` (for a forwarded proposal), the answer `text` and one attachment."""
    if action not in MOVES or action == "edit":
        raise ValueError(action)
    if expected_version is not None:
        lock_version(proposal, expected_version)
    proposal = _lock(proposal)
    _check(action, proposal, actor)
    uploads = list(attachments)
    move = MOVES[action]
    now = timezone.now()
    before = proposal.state
    changes: dict[str, Any] = {}
    if action == "ask_correction":
        if not text.strip():
            raise ValidationError({"text": [_("보완 요청 내용을 써 주세요.")]})
        proposal.correction_request = text
        proposal.correction_reply = ""
        proposal.paused_since = now
        changes["correction_request"] = text
    elif action == "reply_correction":
        if not text.strip():
            raise ValidationError({"text": [_("보완 내용을 써 주세요.")]})
        check_attachments(uploads)
        proposal.correction_reply = text
        _finish_pause(proposal, now)
        changes["correction_reply"] = text
        changes["paused_days"] = proposal.paused_days
        files = _attach(proposal, uploads, ProposalAttachment.Part.CORRECTION)
        if files:
            changes["attachments"] = files
    elif action == "answer":
        errors: dict[str, list[str]] = {}
        if outcome not in ProposalOutcome.values:
            errors["outcome"] = [_("처리 결과를 골라 주세요.")]
        if outcome == ProposalOutcome.FORWARDED and not forwarded_to.strip():
            errors["forwarded_to"] = [_("이송한 기관의 이름을 써 주세요.")]
        if not text.strip():
            errors["text"] = [_("답변 내용을 써 주세요.")]
        if errors:
            raise ValidationError(errors)
        check_attachments(uploads[:1], field="attachment")
        proposal.outcome = outcome
        proposal.forwarded_to = forwarded_to.strip() if outcome == ProposalOutcome.FORWARDED else ""
        proposal.answer = text
        proposal.answered_at = now
        proposal.answered_by = actor
        files = _attach(proposal, uploads[:1], ProposalAttachment.Part.ANSWER)
        changes.update({"outcome": outcome, "forwarded_to": proposal.forwarded_to, "attachments": files})
    elif action == "publish_answer":
        proposal.answer_published_at = now
        changes["answer_published_at"] = now
    elif action == "close":
        proposal.closed_at = now
    elif action == "withdraw":
        _finish_pause(proposal, now)
        proposal.withdrawn_at = now
    if move.target is not None:
        proposal.state = move.target
        changes["state"] = [before, proposal.state]
    bump_version(proposal)
    proposal.save()
    record_change(actor, f"proposals.proposal.{action}", proposal, changes)
    author = [proposal.author]
    if action == "start_review":
        _tell(author, message_codes.REVIEW_STARTED, proposal, "proposals.review_started")
    elif action == "ask_correction":
        _tell(author, message_codes.CORRECTION_ASKED, proposal, "proposals.correction_asked")
    elif action == "reply_correction":
        _tell(
            [proposal.answered_by] if proposal.answered_by else central_staff(),
            message_codes.CORRECTION_REPLIED,
            proposal,
            "proposals.correction_replied",
        )
    elif action == "publish_answer":
        _tell(author, message_codes.ANSWER_PUBLISHED, proposal, "proposals.answer_published")
    elif action == "close":
        _tell(author, message_codes.CLOSED, proposal, "proposals.closed")
    return proposal


def _may_react(proposal: PolicyProposal, actor: Any, what: str) -> None:
    if not scope_of(actor).authenticated:
        raise PermissionDenied(_("로그인한 사용자만 할 수 있습니다."))
    if proposal.author_id == actor.pk:
        raise PermissionDenied(fill(_("자신의 건의에는 %(what)s을(를) 할 수 없습니다."), {"what": what}))
    if not PolicyProposal.objects.public().filter(pk=proposal.pk).exists():
        raise ValidationError(
            fill(_("공개된 건의에만 %(what)s을(를) 할 수 있습니다."), {"what": what}), code="not_public"
        )


@transaction.atomic
def support_proposal(proposal: PolicyProposal, *, actor: Any) -> ProposalSupport:
    """공감, once per user (the unique constraint decides between two at once). Changes nothing else."""
    _may_react(proposal, actor, _("공감"))
    try:
        with transaction.atomic():
            support = ProposalSupport.objects.create(proposal=proposal, user=actor)
    except IntegrityError:
        raise ValidationError(_("이미 공감한 건의입니다."), code="already") from None
    record_change(actor, "proposals.proposal.support", proposal, {"support": support.pk})
    return support


@transaction.atomic
def report_proposal(proposal: PolicyProposal, *, actor: Any, reason: str) -> ProposalReport:
    """신고, once per user. The proposal's row is locked, so the count that hides it is exact even when
    several reports arrive together: exactly the third one hides it."""
    proposal = _lock(proposal)
    _may_react(proposal, actor, _("신고"))
    if not reason.strip():
        raise ValidationError({"reason": [_("신고 사유를 써 주세요.")]})
    try:
        with transaction.atomic():
            report = ProposalReport.objects.create(proposal=proposal, user=actor, reason=reason.strip()[:500])
    except IntegrityError:
        raise ValidationError(_("이미 신고한 건의입니다."), code="already") from None
    changes: dict[str, Any] = {"report": report.pk}
    count = open_report_count(proposal)
    if proposal.moderation not in (Moderation.PENDING, Moderation.KEPT_HIDDEN) and hides_after(count):
        proposal.moderation = Moderation.PENDING
        bump_version(proposal)
        proposal.save(update_fields=["moderation", "version", "updated_at"])
        changes["moderation"] = Moderation.PENDING
        _tell(central_staff(), message_codes.HIDDEN_BY_REPORTS, proposal, "proposals.hidden", count=count)
    record_change(actor, "proposals.proposal.report", proposal, changes)
    return report


MODERATION_DECISIONS = {"restore": Moderation.RESTORED, "keep_hidden": Moderation.KEPT_HIDDEN}


def moderation_refusal(proposal: PolicyProposal, decision: str) -> str:
    if proposal.moderation == Moderation.PENDING:
        return ""
    if decision == "restore" and proposal.moderation == Moderation.KEPT_HIDDEN:
        return ""
    return _("검토를 기다리는 신고가 없습니다.")


@transaction.atomic
def review_reports(proposal: PolicyProposal, decision: str, *, actor: Any) -> PolicyProposal:
    """Central staff restore a proposal hidden by reports, or keep it hidden. Reports made until now are
    reviewed: three new ones would hide it again."""
    if decision not in MODERATION_DECISIONS:
        raise ValueError(decision)
    if not scope_of(actor).central:
        raise PermissionDenied(_("신고 검토는 중앙회 직원이 합니다."))
    proposal = _lock(proposal)
    reason = moderation_refusal(proposal, decision)
    if reason:
        raise ValidationError(reason, code="state")
    before = proposal.moderation
    proposal.moderation = MODERATION_DECISIONS[decision]
    proposal.reports_reviewed_at = timezone.now()
    bump_version(proposal)
    proposal.save()
    record_change(
        actor, f"proposals.proposal.{decision}", proposal, {"moderation": [before, proposal.moderation]}
    )
    code = message_codes.RESTORED if decision == "restore" else message_codes.KEPT_HIDDEN
    _tell([proposal.author], code, proposal, f"proposals.{decision}")
    return proposal
