"""The settlement (정산) of an agreement once closed by staff, and the amount to recover (환수금).

Until it is closed the settlement is computed on every read (`settlement_services.live_settlement`); closing
freezes the computed figures here (JSON and the headline columns), once per agreement (the one-to-one
column is the constraint behind the agreement's row lock), and sets the agreement `settled`. A recovery
above zero becomes a `Receivable` that staff track to its repayment.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from yunghap.core.models import TimeStampedModel


class Settlement(TimeStampedModel):
    agreement = models.OneToOneField(
        "programmes.Agreement", on_delete=models.PROTECT, related_name="settlement", verbose_name=_("협약")
    )
    government_krw = models.BigIntegerField(_("정부지원금(원)"))
    government_paid_krw = models.BigIntegerField(_("정부지원금 지급액(원)"))
    spent_krw = models.BigIntegerField(_("집행액(원)"))
    eligible_krw = models.BigIntegerField(_("인정 집행액(원)"))
    government_due_krw = models.BigIntegerField(_("정부지원금 인정액(원)"))
    recovery_krw = models.BigIntegerField(_("환수액(원)"))
    # `settlement.Settlement.as_dict()` at closing: every figure and the categories, as staff saw them.
    figures = models.JSONField(_("정산 내역"), default=dict)
    note = models.CharField(_("검토 의견"), max_length=1000, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("정산 확정자"),
    )
    closed_at = models.DateTimeField(_("정산 확정 일시"))

    class Meta:
        verbose_name = _("정산")
        verbose_name_plural = _("정산")
        ordering = ["-closed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recovery_krw__gte=0), name="settlement_recovery_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement} 정산"


class Receivable(TimeStampedModel):
    """The amount to recover (환수금) of a closed settlement, paid back in one or more repayments."""

    class Status(models.TextChoices):
        OPEN = "open", _("미납")
        PAID = "paid", _("완납")

    settlement = models.OneToOneField(
        Settlement, on_delete=models.PROTECT, related_name="receivable", verbose_name=_("정산")
    )
    amount_krw = models.BigIntegerField(_("환수 금액(원)"))
    due_on = models.DateField(_("납부 기한"))
    status = models.CharField(_("상태"), max_length=8, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("환수금")
        verbose_name_plural = _("환수금")
        ordering = ["status", "due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_krw__gt=0), name="receivable_positive")
        ]

    def __str__(self) -> str:
        return f"{self.settlement} 환수 {self.amount_krw:,}원"

    def repaid_krw(self) -> int:
        return int(self.repayments.aggregate(total=Sum("amount_krw"))["total"] or 0)


class Repayment(models.Model):
    """One repayment of a receivable, recorded by staff."""

    receivable = models.ForeignKey(
        Receivable, on_delete=models.PROTECT, related_name="repayments", verbose_name=_("환수금")
    )
    paid_on = models.DateField(_("납부일"))
    amount_krw = models.BigIntegerField(_("납부액(원)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("기록자"),
    )
    recorded_at = models.DateTimeField(_("기록 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("환수금 납부")
        verbose_name_plural = _("환수금 납부")
        ordering = ["receivable", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_krw__gt=0), name="repayment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.receivable_id} {self.paid_on} {self.amount_krw}"
