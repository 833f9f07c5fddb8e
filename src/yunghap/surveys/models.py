"""The annual survey of exchange groups (실태조사): one survey per year, one answer per group and year."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yunghap.accounts.scope import scope_of
from yunghap.core.models import TimeStampedModel
from yunghap.network.models import ExchangeGroup


class Survey(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("진행 중")
        CLOSED = "closed", _("마감")

    year = models.PositiveSmallIntegerField(
        _("조사 연도"), unique=True, validators=[MinValueValidator(1989), MaxValueValidator(2100)]
    )
    status = models.CharField(_("상태"), max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("개시일"))
    deadline = models.DateField(_("응답 마감일"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("개설자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("실태조사")
        verbose_name_plural = _("실태조사")
        ordering = ["-year"]

    def __str__(self) -> str:
        return _("%(year)s년 실태조사") % {"year": self.year}

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class SurveyResponseQuerySet(models.QuerySet["SurveyResponse"]):
    def visible_to(self, user: Any) -> SurveyResponseQuerySet:
        """Central staff see every answer, regional staff their region's, officers their own group's."""
        scope = scope_of(user)
        if scope.central:
            return self.all()
        condition = Q(group__federation_id__in=scope.region_ids) | Q(group_id__in=scope.officer_group_ids)
        if not (scope.region_ids or scope.officer_group_ids):
            return self.none()
        return self.filter(condition)

    def submitted(self) -> SurveyResponseQuerySet:
        return self.filter(status=SurveyResponse.Status.SUBMITTED)


class SurveyResponse(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("작성 중")
        SUBMITTED = "submitted", _("제출 완료")

    class Source(models.TextChoices):
        WEB = "web", _("온라인")
        IMPORT = "import", _("파일 가져오기")

    survey = models.ForeignKey(
        Survey, verbose_name=_("실태조사"), on_delete=models.PROTECT, related_name="responses"
    )
    group = models.ForeignKey(
        ExchangeGroup, verbose_name=_("교류회"), on_delete=models.CASCADE, related_name="survey_responses"
    )
    status = models.CharField(_("상태"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    members = models.PositiveIntegerField(_("회원사 수"), null=True, blank=True)
    meetings = models.PositiveIntegerField(
        _("연간 월례회 개최 횟수"), null=True, blank=True, validators=[MaxValueValidator(366)]
    )
    attendance_rate = models.DecimalField(
        _("평균 참석률(%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    purpose_info = models.BooleanField(_("정보교환"), default=False)
    purpose_resource = models.BooleanField(_("자원협력"), default=False)
    purpose_newproduct = models.BooleanField(_("신제품개발"), default=False)
    rnd_results = models.PositiveIntegerField(_("융합기술개발 실적(건)"), default=0)
    trades_count = models.PositiveIntegerField(_("회원간 수발주 건수"), default=0)
    trades_amount_krw = models.BigIntegerField(
        _("회원간 수발주 금액(원)"), default=0, validators=[MinValueValidator(0)]
    )
    joint_projects = models.PositiveIntegerField(_("공동사업 건수"), default=0)
    difficulties = models.TextField(_("애로사항"), blank=True)
    support_needs = models.TextField(_("지원 요청사항"), blank=True)
    submitted_at = models.DateTimeField(_("제출일시"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("제출자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("입력 경로"), max_length=16, choices=Source.choices, default=Source.WEB)
    # The last "수정 요청" (reopening of a submitted answer) and why; the audit log keeps every one.
    reopen_reason = models.TextField(_("수정 요청 사유"), blank=True)
    reopened_at = models.DateTimeField(_("수정 요청일시"), null=True, blank=True)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("실태조사 응답")
        verbose_name_plural = _("실태조사 응답")
        ordering = ["survey", "group__name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "group"], name="unique_survey_response"),
            models.CheckConstraint(
                condition=Q(attendance_rate__isnull=True)
                | Q(attendance_rate__gte=0, attendance_rate__lte=100),
                name="survey_attendance_rate_0_100",
            ),
            models.CheckConstraint(condition=Q(trades_amount_krw__gte=0), name="survey_trades_amount_ge_0"),
        ]
        # The report filters submitted answers of one survey; this index covers it.
        indexes = [models.Index(fields=["survey", "status"])]

    def __str__(self) -> str:
        return f"{self.survey} · {self.group}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class SurveyReminder(models.Model):
    """A reminder sent to the groups that had not submitted, kept so staff see who was reminded when."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("실태조사"), on_delete=models.CASCADE, related_name="reminders"
    )
    group = models.ForeignKey(
        ExchangeGroup, verbose_name=_("교류회"), on_delete=models.CASCADE, related_name="survey_reminders"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("발송자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("발송일시"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("받는 사람 수"), default=0)

    class Meta:
        verbose_name = _("응답 독려")
        verbose_name_plural = _("응답 독려")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["survey", "group"])]

    def __str__(self) -> str:
        return f"{self.survey} · {self.group} · {self.sent_at:%Y-%m-%d}"
