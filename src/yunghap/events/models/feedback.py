"""The satisfaction survey (만족도 조사) after an event (issue 11 §4), anonymous to its organisers.

An event has at most one `FeedbackSurvey`, made on the first answer or invitation (its defaults until
then): four items on a 1–5 scale and a free comment, open from the end of the last session for
`open_days` days. Results show only once `min_answers` answers are in, so a small group cannot be read
person by person.

Anonymity is in the tables: a `FeedbackAnswer` holds the scores and the comment and nothing else — no
person, no registration, no time, and a random key (a sequence would line up with the receipts). The
`FeedbackReceipt` is the separate record that a registration has answered, unique per registration, so
each participant answers once, also when two submits race (the database refuses the second).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yunghap.core.versions import version_field

from .events import Event, Registration

MIN_ANSWERS_DEFAULT = 5
MIN_ANSWERS_FLOOR = 3  # below this a result would come close to naming the people
OPEN_DAYS_DEFAULT = 14
SCORE_MIN, SCORE_MAX = 1, 5
# The scored items, in the order of the form, the charts and the files.
ITEMS = [
    ("instructor", _("강사")),
    ("materials", _("교육 자료")),
    ("goal_met", _("목표 달성")),
    ("facilities", _("시설·환경")),
]
COMMENT_MAX = 2000


class FeedbackSurvey(models.Model):
    event = models.OneToOneField(
        Event, verbose_name=_("행사"), on_delete=models.CASCADE, related_name="feedback_survey"
    )
    min_answers = models.PositiveSmallIntegerField(
        _("결과 공개 최소 응답 수"),
        default=MIN_ANSWERS_DEFAULT,
        help_text=_("응답이 이보다 적으면 결과를 보여 주지 않습니다(소규모 응답자 식별 방지)."),
    )
    open_days = models.PositiveSmallIntegerField(
        _("응답 기간(일)"), default=OPEN_DAYS_DEFAULT, help_text=_("마지막 회차가 끝난 때부터")
    )
    version = version_field()

    class Meta:
        verbose_name = _("만족도 조사")
        verbose_name_plural = _("만족도 조사")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_answers__gte=MIN_ANSWERS_FLOOR), name="feedback_min_answers_at_least_3"
            ),
            models.CheckConstraint(condition=Q(open_days__gte=1), name="feedback_open_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.event.code} 만족도 조사"


class FeedbackAnswer(models.Model):
    """One participant's answer, with no link to who gave it (see the module doc)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(
        FeedbackSurvey, verbose_name=_("만족도 조사"), on_delete=models.CASCADE, related_name="answers"
    )
    instructor = models.PositiveSmallIntegerField(_("강사"))
    materials = models.PositiveSmallIntegerField(_("교육 자료"))
    goal_met = models.PositiveSmallIntegerField(_("목표 달성"))
    facilities = models.PositiveSmallIntegerField(_("시설·환경"))
    comment = models.TextField(_("의견"), max_length=COMMENT_MAX, blank=True)

    class Meta:
        verbose_name = _("만족도 응답")
        verbose_name_plural = _("만족도 응답")
        ordering = ["survey", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{item}__gte": SCORE_MIN, f"{item}__lte": SCORE_MAX}),
                name=f"feedback_{item}_range",
            )
            for item, _label in ITEMS
        ]

    def __str__(self) -> str:
        return str(self.id)


class FeedbackReceipt(models.Model):
    """That a registration has answered (not what): one per registration."""

    survey = models.ForeignKey(
        FeedbackSurvey, verbose_name=_("만족도 조사"), on_delete=models.CASCADE, related_name="receipts"
    )
    registration = models.ForeignKey(
        Registration, verbose_name=_("행사 신청"), on_delete=models.PROTECT, related_name="+"
    )
    # A day, not a moment: answers carry no time, and the receipts should not help order them.
    submitted_on = models.DateField(_("응답일"))

    class Meta:
        verbose_name = _("만족도 응답 확인")
        verbose_name_plural = _("만족도 응답 확인")
        constraints = [
            models.UniqueConstraint(fields=["registration"], name="one_feedback_per_registration"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} @ {self.survey_id}"


class FeedbackInvitation(models.Model):
    """The invitation to the survey sent to a registration (`yunghap invite_feedback`), exactly once."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("행사 신청"), on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(_("발송 일시"))

    class Meta:
        verbose_name = _("만족도 조사 안내")
        verbose_name_plural = _("만족도 조사 안내")
        constraints = [
            models.UniqueConstraint(fields=["registration"], name="one_feedback_invitation_per_registration"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.sent_at:%Y-%m-%d}"
