"""Every change to the annual survey: validated, one transaction, one audit row."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.accounts.models import Role, User
from yunghap.core.audit import record_change
from yunghap.core.korean import fill
from yunghap.core.messages_catalogue import message, render
from yunghap.core.messenger import notify
from yunghap.network.models import ExchangeGroup, Federation, Membership

from . import message_codes
from .models import Survey, SurveyReminder, SurveyResponse
from .permissions import can_answer, can_follow_up, can_open_survey, can_reopen

ANSWER_FIELDS = (
    "members",
    "meetings",
    "attendance_rate",
    "purpose_info",
    "purpose_resource",
    "purpose_newproduct",
    "rnd_results",
    "trades_count",
    "trades_amount_krw",
    "joint_projects",
    "difficulties",
    "support_needs",
)
# What an answer must contain before it can be submitted (the plan's table needs them).
REQUIRED_TO_SUBMIT = ("members", "meetings", "attendance_rate")


def _check_actor(allowed: bool, actor: Any) -> None:
    # `actor=None` is the system (management commands, the demo); people go through their permissions.
    if actor is not None and not allowed:
        raise PermissionDenied(_("이 작업을 할 권한이 없습니다."))


@transaction.atomic
def open_survey(
    year: int,
    *,
    actor: Any,
    deadline: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Survey:
    """Open the survey of `year` for answers (a closed survey of that year is reopened)."""
    _check_actor(can_open_survey(actor), actor)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not isinstance(year, int) or year < 1989:
        errors["year"] = [_("조사 연도는 1989년 이후여야 합니다.")]
    elif year > today.year:
        errors["year"] = [_("아직 오지 않은 연도의 조사는 개설할 수 없습니다.")]
    if deadline is not None and deadline < today:
        errors.setdefault("deadline", []).append(_("응답 마감일은 오늘 이후여야 합니다."))
    if errors:
        raise ValidationError(errors)
    survey = Survey.objects.select_for_update().filter(year=year).first()
    if survey is not None:
        if survey.is_open:
            raise ValidationError({"year": [_("%(year)s년 실태조사는 이미 진행 중입니다.") % {"year": year}]})
        survey.status = Survey.Status.OPEN
        survey.deadline = deadline or survey.deadline
        survey.save()
        record_change(actor, "survey.reopen", survey, {"deadline": survey.deadline})
        return survey
    survey = Survey.objects.create(
        year=year,
        status=Survey.Status.OPEN,
        opened_on=today,
        deadline=deadline,
        opened_by=actor if getattr(actor, "pk", None) else None,
    )
    record_change(actor, "survey.open", survey, {"year": year, "deadline": deadline})
    return survey


@transaction.atomic
def close_survey(survey: Survey, *, actor: Any) -> Survey:
    _check_actor(can_open_survey(actor), actor)
    if not survey.is_open:
        raise ValidationError(_("이미 마감된 조사입니다."))
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status", "updated_at"])
    record_change(actor, "survey.close", survey, {"status": "closed"})
    return survey


def survey_targets(survey: Survey) -> Any:
    """The groups the survey asks: unit groups that existed in the survey year (founded in it or before, or
    date unknown) and are not dissolved.

    The one rule for who is asked: the answer form and the import accept answers only from these groups,
    the status page and the response rate count them, reminders and their confirmation go to them.
    """
    return (
        ExchangeGroup.objects.filter(kind=ExchangeGroup.Kind.UNIT)
        .exclude(status=ExchangeGroup.Status.DISSOLVED)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__year__lte=survey.year))
    )


def not_a_target_message(survey: Survey, group: ExchangeGroup) -> str:
    """Why `group` is not asked by `survey` (the form and the import say the same)."""
    if group.status == ExchangeGroup.Status.DISSOLVED:
        return _("해산한 교류회(%(group)s)는 %(year)s년 조사 대상이 아닙니다.") % {
            "group": group.name,
            "year": survey.year,
        }
    return fill(
        _("%(group)s은(는) %(year)s년 조사 대상이 아닙니다(단위교류회, %(year)s년까지 창립)."),
        {"group": group.name, "year": survey.year},
    )


def validate_answer(values: dict[str, Any], *, submitting: bool) -> None:
    errors: dict[str, list[str]] = {}
    for name in ("members", "meetings", "rnd_results", "trades_count", "trades_amount_krw", "joint_projects"):
        value = values.get(name)
        if value is not None and value < 0:
            errors.setdefault(name, []).append(_("0 이상이어야 합니다."))
    meetings = values.get("meetings")
    if meetings is not None and meetings > 366:
        errors.setdefault("meetings", []).append(_("1년에 366회를 넘을 수 없습니다."))
    rate = values.get("attendance_rate")
    if rate is not None and not (Decimal(0) <= Decimal(rate) <= Decimal(100)):
        errors.setdefault("attendance_rate", []).append(_("참석률은 0~100 사이여야 합니다."))
    if submitting:
        for name in REQUIRED_TO_SUBMIT:
            if values.get(name) is None:
                errors.setdefault(name, []).append(_("제출하려면 이 항목을 입력해야 합니다."))
    if errors:
        raise ValidationError(errors)


def _check_group(survey: Survey, group: ExchangeGroup) -> None:
    if not survey.is_open:
        raise ValidationError(_("%(year)s년 실태조사는 마감되었습니다.") % {"year": survey.year})
    if not survey_targets(survey).filter(pk=group.pk).exists():
        raise ValidationError(not_a_target_message(survey, group), code="not_a_target")


def _assign(response: SurveyResponse, values: dict[str, Any]) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for name in ANSWER_FIELDS:
        if name in values:
            old, new = getattr(response, name), values[name]
            if name == "attendance_rate" and new is not None:
                new = Decimal(new).quantize(Decimal("0.1"))
            if old != new:
                changes[name] = [old, new]
                setattr(response, name, new)
    return changes


@transaction.atomic
def save_response(survey: Survey, group: ExchangeGroup, *, actor: Any, **values: Any) -> SurveyResponse:
    """Save an answer as a draft (created on first save). A submitted answer is no longer editable here."""
    _check_actor(can_answer(actor, group), actor)
    _check_group(survey, group)
    response = SurveyResponse.objects.select_for_update().filter(survey=survey, group=group).first()
    if response is not None and response.is_submitted:
        raise ValidationError(_("이미 제출한 응답입니다. 수정이 필요하면 연합회에 문의해 주세요."))
    validate_answer(values, submitting=False)
    created = response is None
    if response is None:
        response = SurveyResponse(survey=survey, group=group, source=SurveyResponse.Source.WEB)
    changes = _assign(response, values)
    response.full_clean()
    response.save()
    if created or changes:
        record_change(
            actor, "survey_response.create" if created else "survey_response.update", response, changes
        )
    return response


@transaction.atomic
def submit_response(response: SurveyResponse, *, actor: Any, **values: Any) -> SurveyResponse:
    """Submit an answer (saving the given values first); it then counts in the report."""
    _check_actor(can_answer(actor, response.group), actor)
    _check_group(response.survey, response.group)
    if response.is_submitted:
        raise ValidationError(_("이미 제출한 응답입니다."))
    changes = _assign(response, values)
    validate_answer({name: getattr(response, name) for name in ANSWER_FIELDS}, submitting=True)
    response.status = SurveyResponse.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.submitted_by = actor if getattr(actor, "pk", None) else None
    response.full_clean()
    response.save()
    changes["status"] = ["draft", "submitted"]
    record_change(actor, "survey_response.submit", response, changes)
    return response


def pending_groups(survey: Survey, federation: Federation | None = None) -> Any:
    """Target groups without a submitted answer, in the federation when given: whom reminders go to."""
    groups = survey_targets(survey).exclude(
        id__in=SurveyResponse.objects.filter(survey=survey, status=SurveyResponse.Status.SUBMITTED).values(
            "group_id"
        )
    )
    if federation is not None:
        groups = groups.filter(federation=federation)
    return groups


@transaction.atomic
def send_reminders(survey: Survey, *, actor: Any, federation: Federation | None = None) -> int:
    """Remind every group that has not submitted: in-app notice and e-mail to its officers.

    Regional staff remind their own region only (`federation` is required for them). Officers are the
    users holding the group-officer role of the group; where a group has none yet, the e-mail goes to the
    firms of its current chair and secretary. Returns the number of groups reminded.
    """
    scope_ok = can_follow_up(actor, federation) if federation is not None else can_open_survey(actor)
    _check_actor(scope_ok, actor)
    if not survey.is_open:
        raise ValidationError(_("마감된 조사는 응답을 독려할 수 없습니다."))
    groups = list(pending_groups(survey, federation).select_related("federation"))
    if not groups:
        return 0
    group_ids = [g.pk for g in groups]
    officers, users = _officers_of(group_ids)
    today = timezone.localdate()
    fallback: dict[int, list[str]] = {}
    for group_id, email in (
        Membership.objects.filter(group_id__in=group_ids, role__in=["chair", "secretary"])
        .current(today)
        .exclude(firm__email="")
        .values_list("group_id", "firm__email")
    ):
        fallback.setdefault(group_id, []).append(email)
    link = reverse("surveys:answer", args=[survey.year])
    deadline: Any = survey.deadline.isoformat() if survey.deadline else message(message_codes.NO_DEADLINE)
    reminders = []
    mails: list[tuple[str, str]] = []
    for group in groups:
        params = {"year": survey.year, "group": group.name, "deadline": deadline}
        # Mail to a firm's address (no account, so no language of its own) goes in Korean.
        text = render(message_codes.SURVEY_REMINDER, params, language=settings.LANGUAGE_CODE)
        recipients = [users[i] for i in officers.get(group.pk, []) if i in users]
        count = len(
            notify(
                recipients,
                code=message_codes.SURVEY_REMINDER,
                params=params,
                link=link,
                verb="survey.reminder",
            )
        )
        if not recipients:
            for email in fallback.get(group.pk, []):
                mails.append((email, text))
                count += 1
        reminders.append(SurveyReminder(survey=survey, group=group, sent_by=_user(actor), recipients=count))
    SurveyReminder.objects.bulk_create(reminders)
    if mails:
        transaction.on_commit(lambda: _mail(mails, link))
    record_change(
        actor,
        "survey.remind",
        survey,
        {
            "federation": federation.code if federation else "all",
            "groups": len(groups),
            "recipients": sum(r.recipients for r in reminders),
        },
    )
    return len(groups)


def _officers_of(group_ids: list[int]) -> tuple[dict[int, list[int]], dict[int, User]]:
    """Active users holding the group-officer role, per group id, and the users by id (two queries)."""
    officers: dict[int, list[int]] = {}
    for user_id, group_id in User.objects.filter(
        is_active=True, grants__role=Role.GROUP_OFFICER, grants__group_id__in=group_ids
    ).values_list("id", "grants__group_id"):
        officers.setdefault(group_id, []).append(user_id)
    users = {u.pk: u for u in User.objects.filter(id__in={i for ids in officers.values() for i in ids})}
    return officers, users


REOPEN_REASON_MAX = 500


@transaction.atomic
def reopen_response(response: SurveyResponse, *, actor: Any, reason: str) -> SurveyResponse:
    """ "수정 요청": a submitted answer goes back to 작성 중 so the group's officers can correct and submit it
    again; they are told why. Regional staff for their federation's groups, central staff for any."""
    _check_actor(can_reopen(actor, response.group), actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("수정 요청 사유를 입력해 주세요.")]}, code="required")
    if len(reason) > REOPEN_REASON_MAX:
        raise ValidationError(
            {"reason": [_("사유는 %(max)s자 이내로 입력해 주세요.") % {"max": REOPEN_REASON_MAX}]}
        )
    locked = SurveyResponse.objects.select_for_update().select_related("survey", "group").get(pk=response.pk)
    if not locked.survey.is_open:
        raise ValidationError(
            _("마감된 조사의 응답은 수정 요청할 수 없습니다. 조사를 다시 연 뒤 요청해 주세요."), code="closed"
        )
    if not locked.is_submitted:
        raise ValidationError(_("제출된 응답이 아니어서 수정 요청할 수 없습니다."), code="not_submitted")
    submitted_at = locked.submitted_at
    locked.status = SurveyResponse.Status.DRAFT
    locked.submitted_at = None
    locked.submitted_by = None
    locked.reopen_reason = reason
    locked.reopened_at = timezone.now()
    locked.save(
        update_fields=["status", "submitted_at", "submitted_by", "reopen_reason", "reopened_at", "updated_at"]
    )
    officers, users = _officers_of([locked.group_id])
    message = _("%(year)s년 실태조사 %(group)s 응답에 수정 요청이 있습니다. 사유: %(reason)s") % {
        "year": locked.survey.year,
        "group": locked.group.name,
        "reason": reason,
    }
    link = reverse("surveys:group_answer", kwargs={"year": locked.survey.year, "code": locked.group.code})
    notified = notify(
        [users[i] for i in officers.get(locked.group_id, []) if i in users],
        message=message,
        link=link,
        verb="survey.reopen",
    )
    record_change(
        actor,
        "survey_response.reopen",
        locked,
        {
            "status": ["submitted", "draft"],
            "reason": reason,
            "submitted_at": submitted_at,
            "notified": len(notified),
        },
    )
    response.refresh_from_db()
    return locked


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _mail(mails: list[tuple[str, str]], link: str) -> None:
    subject = _("[융합] 실태조사 응답 요청")
    messages = [
        EmailMessage(subject, f"{body}\n\n{link}", settings.DEFAULT_FROM_EMAIL, [to]) for to, body in mails
    ]
    get_connection(fail_silently=True).send_messages(messages)
