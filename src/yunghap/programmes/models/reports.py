"""The reports an agreement owes (중간·최종 보고): scheduled when the agreement is made, then submitted,
accepted or returned by staff, or skipped with a reason. The moves between states are data
(`programmes.report_states`); this module only keeps the rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yunghap.core.models import TimeStampedModel
from yunghap.core.versions import version_field


class Report(TimeStampedModel):
    class Kind(models.TextChoices):
        INTERIM = "interim", _("중간보고")
        FINAL = "final", _("최종보고")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("제출 예정")
        SUBMITTED = "submitted", _("제출")
        RETURNED = "returned", _("보완 요청")
        ACCEPTED = "accepted", _("승인")
        SKIPPED = "skipped", _("생략")

    agreement = models.ForeignKey(
        "programmes.Agreement", on_delete=models.CASCADE, related_name="reports", verbose_name=_("협약")
    )
    kind = models.CharField(_("구분"), max_length=16, choices=Kind.choices)
    seq = models.PositiveSmallIntegerField(_("차수"), default=1)
    due_on = models.DateField(_("제출 기한"))
    status = models.CharField(_("상태"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    summary = models.TextField(_("보고 내용"), blank=True, max_length=20000)
    file = models.FileField(_("보고서 파일"), upload_to="programmes/reports/%Y/", blank=True, max_length=255)
    skip_reason = models.CharField(_("생략 사유"), max_length=500, blank=True)
    staff_comment = models.CharField(_("검토 의견"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("제출 일시"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("제출자"),
    )
    version = version_field()

    class Meta:
        verbose_name = _("수행 보고")
        verbose_name_plural = _("수행 보고")
        ordering = ["agreement", "due_on", "kind", "seq"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind", "seq"], name="report_once_per_kind_seq"),
            models.UniqueConstraint(
                fields=["agreement"], condition=models.Q(kind="final"), name="report_one_final"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="skipped") | ~models.Q(skip_reason=""),
                name="report_skip_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.kind} {self.seq}"
