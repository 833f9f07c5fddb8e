"""Every change to an agreement's reports and grade: one transaction, the row locked and version-checked,
the move checked against the workflow (`progress_reports.MOVES`), one audit row, notices after commit.

Also the reminders of `yunghap remind_reports`: before the due date (days as data, `ProgressRules`) and
once overdue, each notice once per report (`ReportNotice`).
"""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.core.audit import record_change
from yunghap.core.messenger import notify
from yunghap.core.versions import bump_version, lock_version

from . import message_codes as codes
from . import progress_reports as flow
from .models import Agreement, ProgressRules, Report, ReportNotice

SUMMARY_MAX = 20000
COMMENT_MAX = 2000
REASON_MAX = 500
OVERDUE = "overdue"


def validate_report_file(upload: Any) -> None:
    """The ledger's evidence rule (10 MB, documents and images whose content matches the extension),
    reported on the form's `file` field."""
    from yunghap.activities.services import validate_evidence

    try:
        validate_evidence(upload)
    except ValidationError as exc:
        raise ValidationError({"file": [m for ms in exc.message_dict.values() for m in ms]}) from None


def _lead_users(agreement: Agreement) -> list[Any]:
    from yunghap.matching.review import firm_users

    return firm_users([agreement.application.consortium.lead_id])


def _central_staff() -> list[Any]:
    from yunghap.accounts.models import Role, User

    return list(User.objects.filter(is_active=True, grants__role=Role.CENTRAL_STAFF).distinct())


def _params(report: Report) -> dict[str, Any]:
    return {
        "ref": report.agreement.application.ref,
        "kind": report.get_kind_display(),
        "due": report.due_on.isoformat(),
    }


def _link(report: Report) -> str:
    return reverse("programmes:agreement_reports", kwargs={"pk": report.agreement_id})


def _locked(report: Report, actor: Any, action: str, expected_version: int | None) -> Report:
    """Lock and re-read the report, then check who may and whether the move is allowed now."""
    lock_version(report, expected_version)
    locked = Report.objects.select_related("agreement__application__consortium").get(pk=report.pk)
    if actor is not None and not flow.may_act(actor, locked, action):
        raise PermissionDenied(
            _("주관기업 사용자만 보고를 제출할 수 있습니다.")
            if action == flow.SUBMIT
            else _("보고의 승인·보완 요청·생략은 중앙연합회 담당자만 할 수 있습니다.")
        )
    refused = flow.refusal(locked, action)
    if refused:
        raise ValidationError(refused, code="refused")
    return locked


def _move(report: Report, action: str) -> None:
    move = flow.move_for(report.status, action)
    assert move is not None  # checked by _locked
    report.status = move.to_state
    bump_version(report)


def submit_report(
    report: Report,
    *,
    actor: Any,
    summary: str,
    file: Any = None,
    expected_version: int | None = None,
) -> Report:
    """The lead firm submits (or, after a return, resubmits) the report; staff are told."""
    summary = (summary or "").strip()
    errors: dict[str, list[str]] = {}
    if not summary:
        errors["summary"] = [_("보고 내용을 입력해 주세요.")]
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = [_("보고 내용은 %(max)s자 이하로 입력해 주세요.") % {"max": SUMMARY_MAX}]
    try:
        validate_report_file(file)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(report, actor, flow.SUBMIT, expected_version)
        _move(locked, flow.SUBMIT)
        locked.summary = summary
        if file:
            locked.file = file
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor if getattr(actor, "pk", None) else None
        locked.save()
        record_change(
            actor,
            "programmes.report.update",
            locked,
            {"move": flow.SUBMIT, "status": locked.status, "file": locked.file.name if locked.file else ""},
        )
        params = _params(locked)
        link = _link(locked)
        transaction.on_commit(
            lambda: notify(_central_staff(), code=codes.PROGRESS_REPORT_SUBMITTED, params=params, link=link)
        )
    return locked


def review_report(
    report: Report,
    *,
    actor: Any,
    accept: bool,
    comment: str = "",
    expected_version: int | None = None,
) -> Report:
    """Staff accept the submitted report or return it with a comment (required when returning)."""
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"comment": [_("보완 요청 사유를 입력해 주세요.")]})
    if len(comment) > COMMENT_MAX:
        raise ValidationError(
            {"comment": [_("검토 의견은 %(max)s자 이하로 입력해 주세요.") % {"max": COMMENT_MAX}]}
        )
    action = flow.ACCEPT if accept else flow.RETURN
    with transaction.atomic():
        locked = _locked(report, actor, action, expected_version)
        _move(locked, action)
        locked.staff_comment = comment
        locked.save()
        record_change(
            actor,
            "programmes.report.update",
            locked,
            {"move": action, "status": locked.status, "comment": comment},
        )
        params = {**_params(locked), "comment": comment}
        link = _link(locked)
        users = _lead_users(locked.agreement)
        code = codes.PROGRESS_REPORT_ACCEPTED if accept else codes.PROGRESS_REPORT_RETURNED
        transaction.on_commit(lambda: notify(users, code=code, params=params, link=link))
    return locked


def skip_report(report: Report, *, actor: Any, reason: str, expected_version: int | None = None) -> Report:
    """Staff skip a report that will not be written (the reason is kept; the database refuses none)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("생략 사유를 입력해 주세요.")]})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": [_("생략 사유는 %(max)s자 이하로 입력해 주세요.") % {"max": REASON_MAX}]}
        )
    with transaction.atomic():
        locked = _locked(report, actor, flow.SKIP, expected_version)
        _move(locked, flow.SKIP)
        locked.skip_reason = reason
        locked.save()
        record_change(
            actor,
            "programmes.report.update",
            locked,
            {"move": flow.SKIP, "status": locked.status, "reason": reason},
        )
    return locked


# --- grading ---------------------------------------------------------------------------------------------


def can_grade(user: Any) -> bool:
    return flow.is_staff(user)


def grading_refusal(agreement: Agreement) -> str | None:
    """The final result is graded once its final report is accepted."""
    if not Report.objects.filter(
        agreement=agreement, kind=Report.Kind.FINAL, status=Report.Status.ACCEPTED
    ).exists():
        return _("최종보고가 승인된 뒤에 최종 평가를 할 수 있습니다.")
    return None


def grade_agreement(
    agreement: Agreement,
    *,
    actor: Any,
    grade: str,
    conduct: str = "",
    expected_version: int | None = None,
) -> Agreement:
    """Staff grade the final result 우수/보통/미흡; a 미흡 needs 성실/불성실 수행, other grades take none."""
    if actor is not None and not can_grade(actor):
        raise PermissionDenied(_("최종 평가는 중앙연합회 담당자만 할 수 있습니다."))
    errors: dict[str, list[str]] = {}
    if grade not in Agreement.Grade.values:
        errors["grade"] = [_("평가 등급을 선택해 주세요.")]
    if grade == Agreement.Grade.POOR and conduct not in Agreement.Conduct.values:
        errors["conduct"] = [_("미흡 등급은 성실 수행 또는 불성실 수행을 선택해 주세요.")]
    if grade != Agreement.Grade.POOR and conduct:
        errors["conduct"] = [_("수행 성실도는 미흡 등급일 때만 선택합니다.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lock_version(agreement, expected_version)
        locked = Agreement.objects.get(pk=agreement.pk)
        refused = grading_refusal(locked)
        if refused:
            raise ValidationError(refused, code="refused")
        if (locked.grade, locked.conduct) == (grade, conduct):
            return locked
        before = {"grade": locked.grade, "conduct": locked.conduct}
        locked.grade, locked.conduct = grade, conduct
        locked.graded_by = actor if getattr(actor, "pk", None) else None
        locked.graded_at = timezone.now()
        bump_version(locked)
        locked.save(update_fields=["grade", "conduct", "graded_by", "graded_at", "version", "updated_at"])
        record_change(
            actor,
            "programmes.agreement.update",
            locked,
            {"grade": grade, "conduct": conduct, "before": before},
        )
    return locked


# --- reminders (yunghap remind_reports) -----------------------------------------------------------------


def notices_due(report: Report, today: datetime.date, days_before: list[int]) -> list[str]:
    """The notices a still-open report should have had by `today`: `before:N` for the nearest reminder day
    reached (earlier missed ones are not sent late), `overdue` once the due date has passed."""
    left = (report.due_on - today).days
    if left < 0:
        return [OVERDUE]
    reached = [d for d in days_before if left <= d]
    return [f"before:{min(reached)}"] if reached else []


def remind_reports(*, today: datetime.date | None = None) -> dict[str, int]:
    """Notify the lead firm's users of reports due soon or overdue; each notice once per report."""
    today = today or timezone.localdate()
    rules = ProgressRules.current()
    days = rules.reminder_days()
    horizon = today + datetime.timedelta(days=max(days, default=0))
    open_states = [Report.Status.SCHEDULED, Report.Status.RETURNED]
    reports = (
        Report.objects.filter(status__in=open_states, due_on__lte=horizon)
        .exclude(agreement__status__in=flow.CLOSED_AGREEMENT_STATES)
        .select_related("agreement__application__consortium")
        .order_by("due_on", "pk")
    )
    counts = {"before": 0, "overdue": 0}
    for report in reports:
        for notice in notices_due(report, today, days):
            try:
                with transaction.atomic():
                    ReportNotice.objects.create(report=report, notice=notice)
                    params = _params(report)
                    if notice == OVERDUE:
                        code = codes.PROGRESS_REPORT_OVERDUE
                    else:
                        code = codes.PROGRESS_REPORT_DUE_SOON
                        params["days"] = (report.due_on - today).days
                    users = _lead_users(report.agreement)
                    link = _link(report)
                    transaction.on_commit(partial(notify, users, code=code, params=params, link=link))
            except IntegrityError:
                continue  # sent before (or by a parallel run): once only
            counts["overdue" if notice == OVERDUE else "before"] += 1
    return counts


# --- reads -----------------------------------------------------------------------------------------------


def due_reports(user: Any, *, today: datetime.date | None = None, within_days: int = 30) -> Any:
    """Reports still owed (scheduled or returned) due within `within_days` or overdue, of the agreements
    the user sees; oldest due first."""
    today = today or timezone.localdate()
    return (
        Report.objects.filter(
            agreement__in=Agreement.objects.visible_to(user),
            status__in=[Report.Status.SCHEDULED, Report.Status.RETURNED],
            due_on__lte=today + datetime.timedelta(days=within_days),
        )
        .exclude(agreement__status__in=flow.CLOSED_AGREEMENT_STATES)
        .select_related("agreement__application__consortium__lead")
        .order_by("due_on", "pk")
    )
