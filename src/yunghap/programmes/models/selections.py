"""The selection (선정) of a call as decided by the committee: one decision per call, with every
application's score, request, result and reason. Post-award (agreements, funds) starts from the selected
results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SelectionDecision(models.Model):
    call = models.OneToOneField(
        "programmes.Call", on_delete=models.PROTECT, related_name="selection", verbose_name=_("공모")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("확정자"),
    )
    decided_at = models.DateTimeField(_("확정 일시"))
    rules_revision = models.PositiveIntegerField(_("적용 규칙 차수"))
    rules = models.JSONField(_("적용 규칙"))
    government_total_krw = models.BigIntegerField(_("선정 정부지원금 합계(원)"))
    proposal = models.JSONField(_("선정안"))  # exactly what `yunghap select --format json` printed
    note = models.CharField(_("비고(위원회 의결 사항)"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("선정 결과")
        verbose_name_plural = _("선정 결과")

    def __str__(self) -> str:
        return str(self.call)


class SelectionResult(models.Model):
    class Outcome(models.TextChoices):
        SELECTED = "selected", _("선정")
        NOT_SELECTED = "not_selected", _("미선정")
        INELIGIBLE = "ineligible", _("부적격")

    decision = models.ForeignKey(
        SelectionDecision, on_delete=models.CASCADE, related_name="results", verbose_name=_("선정 결과")
    )
    application = models.OneToOneField(
        "programmes.Application",
        on_delete=models.PROTECT,
        related_name="selection_result",
        verbose_name=_("신청서"),
    )
    outcome = models.CharField(_("결과"), max_length=16, choices=Outcome.choices)
    rank = models.PositiveIntegerField(_("순위"), null=True, blank=True)
    score = models.DecimalField(_("점수"), max_digits=5, decimal_places=2, null=True, blank=True)
    government_krw = models.BigIntegerField(_("정부지원금(원)"))
    # not_selected: below_pass, budget, quota, incomplete_review; ineligible: the rule codes.
    reason = models.CharField(_("사유 코드"), max_length=32, blank=True)
    rules = models.JSONField(_("위반 규칙"), default=list, blank=True)

    class Meta:
        verbose_name = _("신청별 선정 결과")
        verbose_name_plural = _("신청별 선정 결과")
        ordering = ["decision", "rank", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.outcome}"
