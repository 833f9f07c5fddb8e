"""The satisfaction survey (issue 11 §4): who may answer, when, once; and the results, anonymously.

Who answers: a confirmed registration of the event; once attendance has been taken for the event (any
`Attendance` row), only those with attendance of their own (minutes present above zero). When: from the
end of the event's last session for `FeedbackSurvey.open_days` days (KST moments). Once: the receipt is
unique per registration; the registration's row is locked first, so a double submit waits and is told,
and the unique constraint refuses whatever gets past (models/feedback.py).

Results (`feedback_results`) are for the event's managers and hold no person: counts, the mean and the
distribution per item, and the comments in the order of their text (never of their arrival). Below the
survey's minimum number of answers only the count is given.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.core.audit import record_change
from yunghap.core.versions import bump_version, lock_version

from . import message_codes as codes
from .models import (
    Attendance,
    Event,
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackReceipt,
    FeedbackSurvey,
    Registration,
)
from .models.feedback import COMMENT_MAX, ITEMS, SCORE_MAX, SCORE_MIN
from .notices import tell
from .registration import kst

TWO_DECIMALS = Decimal("0.01")


def survey_of(event: Event) -> FeedbackSurvey:
    """The event's survey, or an unsaved one with the defaults (reading never creates it)."""
    existing = FeedbackSurvey.objects.filter(event=event).first()
    return existing if existing is not None else FeedbackSurvey(event=event)


def last_session_end(event: Event) -> datetime.datetime | None:
    end: datetime.datetime | None = event.sessions.aggregate(end=Max("ends_at"))["end"]
    return end


def window(
    event: Event, survey: FeedbackSurvey | None = None
) -> tuple[datetime.datetime, datetime.datetime] | None:
    """(opens, closes) of the survey: the end of the last session and `open_days` days later."""
    opens = last_session_end(event)
    if opens is None:
        return None
    survey = survey or survey_of(event)
    return opens, opens + datetime.timedelta(days=survey.open_days)


# ---------------------------------------------------------------------------------------------- rules


def window_error(event: Event, now: datetime.datetime, survey: FeedbackSurvey | None = None) -> str | None:
    span = window(event, survey)
    if span is None:
        return _("회차가 없는 행사라 만족도 조사를 받지 않습니다.")
    opens, closes = span
    if now < opens:
        return _("만족도 조사는 행사가 끝난 뒤(%(opens)s부터) 답할 수 있습니다.") % {"opens": kst(opens)}
    if now > closes:
        return _("만족도 조사 기간(%(opens)s ~ %(closes)s)이 끝났습니다.") % {
            "opens": kst(opens),
            "closes": kst(closes),
        }
    return None


def eligibility_error(registration: Registration) -> str | None:
    """None when the registration may answer: confirmed, and present if attendance was taken."""
    if registration.status != Registration.Status.CONFIRMED:
        return _("참가가 확정된 분만 만족도 조사에 답할 수 있습니다.")
    taken = Attendance.objects.filter(session__event_id=registration.event_id).exists()
    if taken and not Attendance.objects.filter(registration=registration, minutes_present__gt=0).exists():
        return _("행사에 출석한 분만 만족도 조사에 답할 수 있습니다.")
    return None


def duplicate_error(registration: Registration) -> str | None:
    if FeedbackReceipt.objects.filter(registration=registration).exists():
        return _("이미 이 행사의 만족도 조사에 답하셨습니다. 응답은 한 번만 할 수 있습니다.")
    return None


def answers_errors(answers: Mapping[str, Any]) -> dict[str, str]:
    """Field → message for scores outside 1–5 (or missing) and a comment too long."""
    errors: dict[str, str] = {}
    for item, label in ITEMS:
        value = answers.get(item)
        if isinstance(value, bool) or not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
            errors[item] = _("'%(item)s' 문항은 %(low)s~%(high)s점 중에서 골라 주세요.") % {
                "item": label,
                "low": SCORE_MIN,
                "high": SCORE_MAX,
            }
    comment = answers.get("comment") or ""
    if not isinstance(comment, str) or len(comment) > COMMENT_MAX:
        errors["comment"] = _("의견은 %(max)s자 이내로 써 주세요.") % {"max": f"{COMMENT_MAX:,}"}
    return errors


def _refuse(message: str | None, code: str) -> None:
    if message:
        raise ValidationError(message, code=code)


# ------------------------------------------------------------------------------------------- services


def submit_feedback(
    registration: Registration,
    answers: Mapping[str, Any],
    *,
    actor: Any,
    now: datetime.datetime | None = None,
) -> FeedbackReceipt:
    """Store one participant's answer, without any link to them, and the receipt that they answered.

    `actor` is the participant (their account); None is the system or the holder of the participant's
    personal signed link (`registration_of_token`). Raises ValidationError
    with a Korean message and a code: `answers`, `eligibility`, `window`, `duplicate`."""
    if actor is not None and (not getattr(actor, "pk", None) or actor.pk != registration.user_id):
        raise PermissionDenied(_("본인의 참가 신청으로만 만족도 조사에 답할 수 있습니다."))
    errors = answers_errors(answers)
    if errors:
        raise ValidationError(
            {name: ValidationError(message, code="answers") for name, message in errors.items()}
        )
    now = now or timezone.now()
    with transaction.atomic():
        current = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        _refuse(eligibility_error(current), "eligibility")
        survey, _created = FeedbackSurvey.objects.get_or_create(event=current.event)
        _refuse(window_error(current.event, now, survey), "window")
        _refuse(duplicate_error(current), "duplicate")
        try:
            with transaction.atomic():
                receipt = FeedbackReceipt.objects.create(
                    survey=survey, registration=current, submitted_on=timezone.localdate(now)
                )
        except IntegrityError:
            _refuse(duplicate_error(current), "duplicate")
            raise
        FeedbackAnswer.objects.create(
            survey=survey,
            comment=(answers.get("comment") or "").strip(),
            **{item: answers[item] for item, _label in ITEMS},
        )
        # The audit names the receipt only: what was answered stays out of every row about a person.
        record_change(actor, "events.feedback", receipt, {"survey": survey.pk})
    return receipt


def update_survey(
    event: Event, *, min_answers: int, open_days: int, actor: Any, expected_version: int | None
) -> FeedbackSurvey:
    """Change the survey's settings (managers). The survey is made on the first change; an existing
    one is version-checked (`core.versions`), so two managers never silently undo each other."""
    if actor is not None and not Event.objects.managed_by(actor).filter(pk=event.pk).exists():
        raise PermissionDenied(_("이 행사의 만족도 조사는 행사 담당자만 설정할 수 있습니다."))
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()  # one settings change at a time
        survey = FeedbackSurvey.objects.filter(event=event).first()
        created = survey is None
        if survey is None:
            survey = FeedbackSurvey(event=event)
        elif expected_version is not None:
            lock_version(survey, expected_version)
        before = {"min_answers": survey.min_answers, "open_days": survey.open_days}
        survey.min_answers, survey.open_days = min_answers, open_days
        after = {"min_answers": min_answers, "open_days": open_days}
        if created or before != after:
            if not created:
                bump_version(survey)
            survey.save()
            record_change(
                actor,
                "events.feedback_survey.update",
                survey,
                {k: [before[k], after[k]] for k in after if before[k] != after[k]} or after,
            )
    return survey


@dataclass
class ItemResult:
    key: str
    label: str
    mean: Decimal | None
    distribution: list[int]  # answers giving 1, 2, 3, 4, 5


@dataclass
class FeedbackResults:
    survey: FeedbackSurvey
    answers: int
    invited: int
    participants: int
    shown: bool
    items: list[ItemResult] = field(default_factory=list)
    overall: Decimal | None = None
    comments: list[str] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return max(self.survey.min_answers - self.answers, 0)


def _mean(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(TWO_DECIMALS, rounding=ROUND_HALF_UP)


def feedback_results(event: Event) -> FeedbackResults:
    """The survey's results; item figures and comments only from `min_answers` answers on."""
    survey = survey_of(event)
    rows = list(
        FeedbackAnswer.objects.filter(survey_id=survey.pk).values_list(
            *[item for item, _label in ITEMS], "comment"
        )
        if survey.pk
        else []
    )
    participants = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count()
    invited = FeedbackInvitation.objects.filter(registration__event=event).count()
    result = FeedbackResults(
        survey=survey,
        answers=len(rows),
        invited=invited,
        participants=participants,
        shown=len(rows) >= survey.min_answers,
    )
    if not result.shown:
        return result
    total = 0
    for index, (item, label) in enumerate(ITEMS):
        scores = [row[index] for row in rows]
        total += sum(scores)
        result.items.append(
            ItemResult(
                key=item,
                label=str(label),
                mean=_mean(sum(scores), len(scores)),
                distribution=[scores.count(score) for score in range(SCORE_MIN, SCORE_MAX + 1)],
            )
        )
    result.overall = _mean(total, len(rows) * len(ITEMS))
    result.comments = sorted(str(row[-1]) for row in rows if row[-1])
    return result


LINK_SALT = "events.feedback.link"


def answer_link_token(registration: Registration) -> str:
    """The signed token of a registration's personal answer link (for people without an account)."""
    return signing.dumps(registration.pk, salt=LINK_SALT)


def registration_of_token(token: str) -> Registration | None:
    """The registration a personal link names, or None for a token that was not signed here."""
    try:
        pk = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Registration.objects.select_related("event").filter(pk=pk).first()


def feedback_url(registration: Registration) -> str:
    """Where a participant answers: the event's form for an account holder (signed in), a personal
    signed link for someone registered without an account (by their firm, by an import)."""
    if registration.user_id:
        path = reverse("events:feedback_form", kwargs={"code": registration.event.code})
    else:
        path = reverse("events:feedback_link", kwargs={"token": answer_link_token(registration)})
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def invite_feedback(now: datetime.datetime | None = None) -> dict[str, int]:
    """Invite each confirmed participant of events whose last session has ended (and whose survey is
    still open) to the survey — those present, once attendance was taken — exactly once: the invitation row is unique per registration and is written in the
    same transaction as the notice (which leaves on commit)."""
    now = now or timezone.now()
    counts = {"events": 0, "invited": 0}
    ended = (
        Event.objects.annotate(last_end=Max("sessions__ends_at"))
        .filter(last_end__lte=now, last_end__gte=now - datetime.timedelta(days=366))
        .order_by("pk")
    )
    for event in ended:
        survey = survey_of(event)
        span = window(event, survey)
        if span is None or now > span[1]:
            continue
        pending = (
            Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
            .exclude(
                pk__in=FeedbackInvitation.objects.filter(registration__event=event).values("registration")
            )
            .select_related("event", "user", "registered_by")
            .order_by("queue_position")
        )
        if Attendance.objects.filter(session__event=event).exists():
            # Attendance was taken: those who were not there are not asked (they could not answer).
            pending = pending.filter(attendances__minutes_present__gt=0).distinct()
        sent = 0
        for registration in pending:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        FeedbackInvitation.objects.create(registration=registration, sent_at=now)
                except IntegrityError:
                    continue  # another run invited them in the meantime
                # Personal: the link answers as this participant, so whoever registered them is not copied.
                tell(
                    registration,
                    codes.FEEDBACK_INVITED,
                    personal=True,
                    until=kst(span[1]),
                    url=feedback_url(registration),
                )
            sent += 1
        if sent:
            counts["events"] += 1
            counts["invited"] += sent
    return counts
