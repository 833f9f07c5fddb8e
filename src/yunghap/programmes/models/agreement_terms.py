"""What an agreement (협약) holds beyond its money: its terms (goals, contacts, project account), the payment
plan (지급 계획), milestones (단계별 목표·산출물), each member firm's confirmation (협약 확인) and the change
requests (협약 변경) with their items and before/after snapshots.

The rules live elsewhere: creation and confirmation in `programmes.agreement_services`, the change
requests' state machine and the free margin of budget transfers in `programmes.change_requests`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yunghap.core.versions import version_field


class AgreementTerms(models.Model):
    """The agreement's editable terms, kept beside it so that a change request's items edit one row:
    goals (approval-type `goals`), contacts and the project account (notice-type `contacts`, `account`)."""

    agreement = models.OneToOneField(
        "programmes.Agreement", on_delete=models.CASCADE, related_name="terms", verbose_name=_("협약")
    )
    goals = models.TextField(_("사업 목표"), blank=True, max_length=8000)
    contact_name = models.CharField(_("실무 담당자"), max_length=100, blank=True)
    contact_phone = models.CharField(_("담당자 전화번호"), max_length=40, blank=True)
    contact_email = models.EmailField(_("담당자 전자우편"), blank=True)
    bank_name = models.CharField(_("사업비 계좌 은행"), max_length=50, blank=True)
    account_number = models.CharField(_("사업비 계좌번호"), max_length=50, blank=True)
    account_holder = models.CharField(_("예금주"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("협약 내용")
        verbose_name_plural = _("협약 내용")

    def __str__(self) -> str:
        return f"{self.agreement_id}"


class PaymentInstalment(models.Model):
    """One planned payment of the grant (지급 계획 회차). The plan's instalments add up to the grant; the
    actual payments are `GovernmentPayment` rows (programmes.funds)."""

    agreement = models.ForeignKey(
        "programmes.Agreement", on_delete=models.CASCADE, related_name="instalments", verbose_name=_("협약")
    )
    seq = models.PositiveSmallIntegerField(_("회차"))
    planned_on = models.DateField(_("지급 예정일"))
    government_krw = models.BigIntegerField(_("지급 예정액(원)"))

    class Meta:
        verbose_name = _("지급 계획")
        verbose_name_plural = _("지급 계획")
        ordering = ["agreement", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "seq"], name="instalment_once_per_seq"),
            models.CheckConstraint(condition=models.Q(government_krw__gte=0), name="instalment_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} #{self.seq}"


class Milestone(models.Model):
    """A milestone of the agreement: what is delivered by when, and whether it is done."""

    agreement = models.ForeignKey(
        "programmes.Agreement", on_delete=models.CASCADE, related_name="milestones", verbose_name=_("협약")
    )
    title = models.CharField(_("단계 목표"), max_length=200)
    deliverable = models.CharField(_("산출물"), max_length=300)
    due_on = models.DateField(_("완료 예정일"))
    done = models.BooleanField(_("완료"), default=False)
    done_at = models.DateTimeField(_("완료 표시 일시"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("완료 표시자"),
    )

    class Meta:
        verbose_name = _("단계별 목표")
        verbose_name_plural = _("단계별 목표")
        ordering = ["agreement", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class AgreementConfirmation(models.Model):
    """One member firm's confirmation of the agreement (협약 확인). One per firm: the constraint is what
    makes two parallel clicks confirm once."""

    agreement = models.ForeignKey(
        "programmes.Agreement", on_delete=models.CASCADE, related_name="confirmations", verbose_name=_("협약")
    )
    firm = models.ForeignKey(
        "network.Firm", on_delete=models.PROTECT, related_name="+", verbose_name=_("기업")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("확인한 사람"),
    )
    confirmed_at = models.DateTimeField(_("확인 일시"))

    class Meta:
        verbose_name = _("협약 확인")
        verbose_name_plural = _("협약 확인")
        ordering = ["agreement", "confirmed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "firm"], name="agreement_confirmation_once")
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} · {self.firm_id}"


class ChangeRequest(models.Model):
    """A request to change the agreement (협약 변경 신청): one or more items; its moves are the table
    `change_requests.TRANSITIONS`."""

    class State(models.TextChoices):
        PENDING = "pending", _("승인 대기")
        IN_EFFECT = "in_effect", _("통보 반영")
        APPROVED = "approved", _("승인 반영")
        REJECTED = "rejected", _("반려")
        WITHDRAWN = "withdrawn", _("철회")

    agreement = models.ForeignKey(
        "programmes.Agreement",
        on_delete=models.CASCADE,
        related_name="change_requests",
        verbose_name=_("협약"),
    )
    number = models.PositiveIntegerField(_("변경 차수"))
    state = models.CharField(_("상태"), max_length=16, choices=State.choices)
    reason = models.TextField(_("변경 사유"), max_length=2000)
    needs_approval = models.BooleanField(_("승인 필요"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("신청자"),
    )
    requested_at = models.DateTimeField(_("신청 일시"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("처리자"),
    )
    decided_at = models.DateTimeField(_("처리 일시"), null=True, blank=True)
    decision_reason = models.CharField(_("처리 의견"), max_length=2000, blank=True)
    # The agreement as it was when the request was made, and as it became when the changes applied.
    before = models.JSONField(_("변경 전"), default=dict, blank=True)
    after = models.JSONField(_("변경 후"), default=dict, blank=True)
    version = version_field()

    class Meta:
        verbose_name = _("협약 변경 신청")
        verbose_name_plural = _("협약 변경 신청")
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="change_request_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} #{self.number}"


class ChangeItem(models.Model):
    """One change of a request: its kind (`change_requests.KINDS`), the new values and the old ones."""

    request = models.ForeignKey(
        ChangeRequest, on_delete=models.CASCADE, related_name="items", verbose_name=_("변경 신청")
    )
    kind = models.CharField(_("변경 구분"), max_length=32)
    # Whether this item needed approval when it was requested (budget transfers: the free margin).
    approval = models.BooleanField(_("승인 대상"))
    values = models.JSONField(_("변경 내용"), default=dict)
    old_values = models.JSONField(_("변경 전 내용"), default=dict, blank=True)

    class Meta:
        verbose_name = _("협약 변경 항목")
        verbose_name_plural = _("협약 변경 항목")
        ordering = ["request", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"
