"""Follow-up surveys (추적조사): commercialisation shows only later, so the lead firm is asked about sales,
follow-on R&D and jobs one, two and three years after the agreement ends (`ProgressRules.followup_years`).

`yunghap send_followups` (scheduled daily) plans the rows of ended agreements and opens those due,
notifying the lead firm's users once (the row's `opened_at`). The lead firm answers in a form
(`answer_followup`); an answer is cumulative since the end, and it updates the agreement's indicators
(sales and jobs become the answer's figures, a task number fills the follow-on R&D) through
`result_services.record_indicators`, so the ledger and the statistics follow.
"""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.core.audit import record_change
from yunghap.core.messenger import notify
from yunghap.core.versions import bump_version, lock_version

from . import message_codes as codes
from . import progress_reports as flow
from . import result_services
from .models import Agreement, FollowUp, ProgressRules, ResultIndicators


def years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year + years, day=28)


def plan_followups(*, today: datetime.date | None = None) -> int:
    """Create the missing follow-up rows of agreements that have ended (by their end date)."""
    today = today or timezone.localdate()
    years = ProgressRules.current().years()
    created = 0
    missing = (
        Agreement.objects.filter(ends_on__lt=today)
        .annotate(planned=Count("followups", filter=Q(followups__years_after__in=years)))
        .filter(planned__lt=len(years))
        .only("pk", "ends_on")
    )
    for agreement in missing:
        have = set(FollowUp.objects.filter(agreement=agreement).values_list("years_after", flat=True))
        rows = [
            FollowUp(agreement=agreement, years_after=y, due_on=years_later(agreement.ends_on, y))
            for y in years
            if y not in have
        ]
        FollowUp.objects.bulk_create(rows, ignore_conflicts=True)
        created += len(rows)
    return created


def send_followups(*, today: datetime.date | None = None) -> dict[str, int]:
    """Plan, then open the due follow-ups and tell the lead firm's users (each follow-up once)."""
    today = today or timezone.localdate()
    planned = plan_followups(today=today)
    opened = 0
    due = FollowUp.objects.filter(status=FollowUp.Status.SCHEDULED, due_on__lte=today).order_by(
        "due_on", "pk"
    )
    for followup in due.values_list("pk", flat=True):
        with transaction.atomic():
            row = (
                FollowUp.objects.select_for_update()
                .select_related("agreement__application__consortium")
                .filter(pk=followup, status=FollowUp.Status.SCHEDULED)
                .first()
            )
            if row is None:
                continue  # opened by a parallel run
            row.status = FollowUp.Status.OPEN
            row.opened_at = timezone.now()
            bump_version(row)
            row.save(update_fields=["status", "opened_at", "version", "updated_at"])
            record_change(None, "programmes.followup.update", row, {"status": row.status})
            from yunghap.matching.review import firm_users

            users = firm_users([row.agreement.application.consortium.lead_id])
            params = {"ref": row.agreement.application.ref, "years": row.years_after}
            link = reverse("programmes:followup_answer", kwargs={"pk": row.pk})
            transaction.on_commit(
                partial(notify, users, code=codes.PROGRESS_FOLLOWUP_OPEN, params=params, link=link)
            )
            opened += 1
    return {"planned": planned, "opened": opened}


def may_answer(user: Any, followup: FollowUp) -> bool:
    """The lead firm answers (central staff may enter an answer given on paper or by phone)."""
    return flow.is_lead_user(user, followup.agreement) or flow.is_staff(user)


def answer_followup(
    followup: FollowUp,
    *,
    actor: Any,
    sales_krw: int,
    jobs: int,
    follow_on_task_number: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> FollowUp:
    if actor is not None and not may_answer(actor, followup):
        raise PermissionDenied(_("추적조사는 주관기업 사용자가 응답합니다."))
    errors: dict[str, list[str]] = {}
    if not isinstance(sales_krw, int) or sales_krw < 0 or sales_krw > result_services.SALES_MAX:
        errors["sales_krw"] = [_("매출액은 0원 이상의 정수(원)로 입력해 주세요.")]
    if not isinstance(jobs, int) or jobs < 0 or jobs > result_services.COUNT_MAX:
        errors["jobs"] = [_("고용 인원은 0 이상의 정수로 입력해 주세요.")]
    number = result_services.normalise_task_number(follow_on_task_number)
    problem = result_services.task_number_error(number)
    if problem:
        errors["follow_on_task_number"] = [problem]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lock_version(followup, expected_version)
        row = FollowUp.objects.select_related("agreement__application__consortium").get(pk=followup.pk)
        if row.status == FollowUp.Status.SCHEDULED:
            raise ValidationError(
                _("%(date)s부터 응답할 수 있습니다.") % {"date": row.due_on.isoformat()}, code="not_open"
            )
        row.sales_krw, row.jobs = sales_krw, jobs
        row.follow_on_task_number = number
        row.note = (note or "").strip()[:2000]
        row.status = FollowUp.Status.ANSWERED
        row.answered_by = actor if getattr(actor, "pk", None) else None
        row.answered_at = timezone.now()
        bump_version(row)
        row.save()
        record_change(
            actor,
            "programmes.followup.update",
            row,
            {"sales_krw": sales_krw, "jobs": jobs, "follow_on_task_number": number, "status": row.status},
        )
        _update_indicators(row, actor=actor)
    return row


def _update_indicators(row: FollowUp, *, actor: Any) -> None:
    """The latest answered follow-up's cumulative figures become the indicators' sales and jobs."""
    latest = (
        FollowUp.objects.filter(agreement_id=row.agreement_id, status=FollowUp.Status.ANSWERED)
        .order_by("-years_after")
        .first()
    )
    if latest is None or latest.pk != row.pk:
        return  # an earlier year's late answer does not undo a later one
    current = ResultIndicators.objects.filter(agreement_id=row.agreement_id).first()
    values = {name: getattr(current, name) for name in result_services.FIELDS} if current else {}
    values["sales_krw"] = row.sales_krw or 0
    values["jobs"] = row.jobs or 0
    if row.follow_on_task_number:
        values["follow_on_task_number"] = row.follow_on_task_number
    # The follow-up's answerer may be central staff or the lead; either may record indicators.
    result_services.record_indicators(row.agreement, actor=actor, values=values)


def followups_for_staff(user: Any) -> Any:
    """Open and answered follow-ups of the agreements the user sees (staff's list: answers and missing)."""
    return (
        FollowUp.objects.filter(agreement__in=Agreement.objects.visible_to(user))
        .exclude(status=FollowUp.Status.SCHEDULED)
        .select_related("agreement__application__consortium__lead")
        .order_by("status", "due_on", "pk")
    )
