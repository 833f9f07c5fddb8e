"""After the reports (보고 이후): what an agreement achieved and what it shows years later.

- `ResultIndicators` (성과 지표): one row per agreement — prototype, patents applied and registered, sales
  in won, jobs, follow-on R&D with its SMTECH or IRIS task number. Recording them also keeps the ledger's
  `activities.Outcome` rows of the lead firm's exchange groups in step (`programmes.result_services`), so
  the result counts in the statistics like any other convergence R&D result.
- `FollowUp` (추적조사): the questions to the lead firm one, two and three years after the end; opened by
  `yunghap send_followups`, answered in a form, and the answers update the indicators.
- `ReportNotice`: which reminder of a report was already sent (`yunghap remind_reports` sends each once).
- `ProgressRules`: the day counts staff may change (reminder days, follow-up years) — data, not constants.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yunghap.core.models import TimeStampedModel
from yunghap.core.versions import version_field


def default_reminder_days() -> list[int]:
    return [14, 3]


def default_followup_years() -> list[int]:
    return [1, 2, 3]


class ProgressRules(models.Model):
    """The one row of progress rules (pk 1). Missing, the defaults apply (`ProgressRules.current()`)."""

    reminder_days_before = models.JSONField(
        _("제출 기한 전 알림(일 전)"), default=default_reminder_days, help_text=_("예: [14, 3]")
    )
    followup_years = models.JSONField(
        _("추적조사 시기(종료 후 년)"), default=default_followup_years, help_text=_("예: [1, 2, 3]")
    )

    class Meta:
        verbose_name = _("보고·추적조사 규칙")
        verbose_name_plural = _("보고·추적조사 규칙")

    def __str__(self) -> str:
        return str(_("보고·추적조사 규칙"))

    @classmethod
    def current(cls) -> ProgressRules:
        found = cls.objects.filter(pk=1).first()
        return found if found is not None else cls(pk=1)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        for name, label in (("reminder_days_before", _("알림 일수")), ("followup_years", _("추적조사 연차"))):
            value = getattr(self, name)
            if not isinstance(value, list) or not all(
                isinstance(v, int) and not isinstance(v, bool) and 0 < v <= 3650 for v in value
            ):
                errors[name] = _("%(what)s는 [14, 3]처럼 양의 정수 목록으로 입력해 주세요.") % {"what": label}
        if errors:
            raise ValidationError(errors)

    def reminder_days(self) -> list[int]:
        """Positive whole days, largest first (the earliest reminder first)."""
        return sorted({d for d in self.reminder_days_before if isinstance(d, int) and d > 0}, reverse=True)

    def years(self) -> list[int]:
        return sorted({y for y in self.followup_years if isinstance(y, int) and y > 0})


class ResultIndicators(TimeStampedModel):
    """The agreement's results (성과 지표). Counts are whole numbers; sales are integer won."""

    agreement = models.OneToOneField(
        "programmes.Agreement", on_delete=models.CASCADE, related_name="indicators", verbose_name=_("협약")
    )
    prototypes = models.PositiveIntegerField(_("시제품(건)"), default=0)
    patents_applied = models.PositiveIntegerField(_("특허 출원(건)"), default=0)
    patents_registered = models.PositiveIntegerField(_("특허 등록(건)"), default=0)
    patent_numbers = models.CharField(_("특허 출원·등록번호"), max_length=500, blank=True)
    sales_krw = models.BigIntegerField(_("매출액(원)"), default=0)
    jobs = models.PositiveIntegerField(_("고용 창출(명)"), default=0)
    follow_on_task_number = models.CharField(_("후속 R&D 과제번호"), max_length=32, blank=True)
    follow_on_title = models.CharField(_("후속 R&D 과제명"), max_length=200, blank=True)
    # The ledger date of the result (its Outcome rows): the day the results were first recorded.
    achieved_on = models.DateField(_("성과일"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("기록자"),
    )
    version = version_field()

    class Meta:
        verbose_name = _("성과 지표")
        verbose_name_plural = _("성과 지표")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sales_krw__gte=0), name="indicators_sales_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} indicators"

    def has_result(self) -> bool:
        """Anything to count as a convergence R&D result (a row of zeros is not one)."""
        return bool(
            self.prototypes
            or self.patents_applied
            or self.patents_registered
            or self.sales_krw
            or self.jobs
            or self.follow_on_task_number
        )


class FollowUp(TimeStampedModel):
    """One follow-up survey (추적조사) of an agreement, `years_after` its end."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("예정")
        OPEN = "open", _("응답 대기")
        ANSWERED = "answered", _("응답 완료")

    agreement = models.ForeignKey(
        "programmes.Agreement", on_delete=models.CASCADE, related_name="followups", verbose_name=_("협약")
    )
    years_after = models.PositiveSmallIntegerField(_("종료 후 연차"))
    due_on = models.DateField(_("조사 시작일"))
    status = models.CharField(_("상태"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    opened_at = models.DateTimeField(_("요청 일시"), null=True, blank=True)
    # The answer: cumulative figures since the agreement ended (누적).
    sales_krw = models.BigIntegerField(_("누적 매출액(원)"), null=True, blank=True)
    jobs = models.PositiveIntegerField(_("누적 고용 창출(명)"), null=True, blank=True)
    follow_on_task_number = models.CharField(_("후속 R&D 과제번호"), max_length=32, blank=True)
    note = models.CharField(_("기타 의견"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("응답자"),
    )
    answered_at = models.DateTimeField(_("응답 일시"), null=True, blank=True)
    version = version_field()

    class Meta:
        verbose_name = _("추적조사")
        verbose_name_plural = _("추적조사")
        ordering = ["agreement", "years_after"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "years_after"], name="followup_once_per_year"),
            models.CheckConstraint(
                condition=models.Q(sales_krw__isnull=True) | models.Q(sales_krw__gte=0),
                name="followup_sales_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} +{self.years_after}"


class ReportNotice(models.Model):
    """A reminder already sent for a report: `notice` is `before:14`, `before:3` … or `overdue`."""

    report = models.ForeignKey(
        "programmes.Report", on_delete=models.CASCADE, related_name="notices", verbose_name=_("수행 보고")
    )
    notice = models.CharField(_("알림"), max_length=32)
    sent_at = models.DateTimeField(_("발송 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("보고 알림 발송")
        verbose_name_plural = _("보고 알림 발송")
        constraints = [models.UniqueConstraint(fields=["report", "notice"], name="report_notice_once")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.notice}"
