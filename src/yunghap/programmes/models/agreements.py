"""Post-award (협약 이후): the agreement a selected application becomes, its approved budget by cost category
and source, the firms' cash deposits, the government's payments and the members' spending.

Money is integer won everywhere. Spending outside the agreement's period or without evidence is kept, but
with its reason codes (`funds.spending_ineligibility`); the settlement (`programmes.settlement`)
is computed from these rows, never typed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yunghap.accounts.scope import scope_of
from yunghap.core.models import TimeStampedModel
from yunghap.core.versions import version_field

from .amounts import AmountsBySource


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def visible_to(self, user: Any) -> AgreementQuerySet:
        """Who sees an agreement and its money (the only way views, reports and files fetch one):

        - central staff: all; regional staff: those led by a firm of their region (read only);
        - a firm's users: those of consortia their firm is an accepted member of;
        - a coordinator: those led by a firm that is a member of a group they coordinate (today's grants).

        Reviewers see none: their reach ends with the review. Another consortium's agreement is a 404.
        """
        scope = scope_of(user)
        if scope.central:
            return self.all()
        if not scope.authenticated:
            return self.none()
        from yunghap.network.models import Membership

        from .applications import ConsortiumMember

        condition = Q(pk__in=[])
        if scope.region_ids:
            condition |= Q(application__consortium__lead__federation_id__in=scope.region_ids)
        if scope.firm_ids:
            places = ConsortiumMember.objects.filter(
                firm_id__in=scope.firm_ids, state=ConsortiumMember.State.ACCEPTED
            )
            condition |= Q(application__consortium__in=places.values("consortium_id"))
        if scope.coordinator_group_ids:
            leads = Membership.objects.giving_access().filter(group_id__in=scope.coordinator_group_ids)
            condition |= Q(application__consortium__lead_id__in=leads.values("firm_id"))
        return self.filter(condition)


class Agreement(TimeStampedModel, AmountsBySource):
    """The grant (정부지원금) and the firms' shares as agreed (AmountsBySource): the application's totals."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("수행 중")
        ENDED = "ended", _("종료(정산 대기)")
        SETTLED = "settled", _("정산 완료")

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("우수")
        FAIR = "fair", _("보통")
        POOR = "poor", _("미흡")

    class Conduct(models.TextChoices):
        # Only for a 미흡 grade: whether the consortium worked in good faith (성실/불성실 수행).
        SINCERE = "sincere", _("성실 수행")
        INSINCERE = "insincere", _("불성실 수행")

    result = models.OneToOneField(
        "programmes.SelectionResult",
        on_delete=models.PROTECT,
        related_name="agreement",
        verbose_name=_("선정 결과"),
    )
    application = models.OneToOneField(
        "programmes.Application", on_delete=models.PROTECT, related_name="agreement", verbose_name=_("신청서")
    )
    starts_on = models.DateField(_("협약 시작일"))
    ends_on = models.DateField(_("협약 종료일"))
    status = models.CharField(_("상태"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("작성자"),
    )
    # The final result's grade, given by staff after the final report (empty until then).
    grade = models.CharField(_("최종 평가 등급"), max_length=16, choices=Grade.choices, blank=True)
    conduct = models.CharField(_("수행 성실도"), max_length=16, choices=Conduct.choices, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("평가자"),
    )
    graded_at = models.DateTimeField(_("평가 일시"), null=True, blank=True)
    version = version_field()

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("협약")
        verbose_name_plural = _("협약")
        ordering = ["application__call", "application__ref"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(government_krw__gte=0, firm_cash_krw__gte=0, firm_inkind_krw__gte=0),
                name="agreement_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="agreement_period"
            ),
            models.CheckConstraint(
                condition=models.Q(conduct="") | models.Q(grade="poor"), name="agreement_conduct_only_if_poor"
            ),
        ]

    def __str__(self) -> str:
        return str(self.application)


class AgreementBudgetLine(AmountsBySource):
    """The approved budget of one cost category (비목) by source."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("협약")
    )
    category = models.ForeignKey(
        "programmes.CostCategory", on_delete=models.PROTECT, related_name="+", verbose_name=_("비목")
    )

    class Meta:
        verbose_name = _("협약 비목별 예산")
        verbose_name_plural = _("협약 비목별 예산")
        ordering = ["agreement", "category__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "category"], name="agreement_budget_line_once"),
            models.CheckConstraint(
                condition=models.Q(government_krw__gte=0, firm_cash_krw__gte=0, firm_inkind_krw__gte=0),
                name="agreement_budget_line_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} · {self.category_id}"


class Recorded(models.Model):
    """Who recorded a money row, and when (the audit log holds the rest)."""

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
        abstract = True


class Deposit(Recorded):
    """The firms' cash share paid into the project account (기업부담금 입금)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="deposits", verbose_name=_("협약")
    )
    deposited_on = models.DateField(_("입금일"))
    firm_cash_krw = models.BigIntegerField(_("입금액(원)"))
    evidence = models.CharField(_("증빙(문서번호)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("기업부담금 입금")
        verbose_name_plural = _("기업부담금 입금")
        ordering = ["agreement", "deposited_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(firm_cash_krw__gt=0), name="deposit_positive")
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.deposited_on} {self.firm_cash_krw}"


class GovernmentPayment(Recorded):
    """A payment of the grant (정부지원금 지급): only after the firms' whole cash share is deposited, never
    beyond the grant (`funds.payment_breach`, checked under a lock of the agreement)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="payments", verbose_name=_("협약")
    )
    paid_on = models.DateField(_("지급일"))
    government_krw = models.BigIntegerField(_("지급액(원)"))

    class Meta:
        verbose_name = _("정부지원금 지급")
        verbose_name_plural = _("정부지원금 지급")
        ordering = ["agreement", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(government_krw__gt=0), name="payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.paid_on} {self.government_krw}"


class Spending(Recorded):
    """One spending (집행) recorded by a member firm. Ineligible spending is kept with its reason codes."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="spending", verbose_name=_("협약")
    )
    category = models.ForeignKey(
        "programmes.CostCategory", on_delete=models.PROTECT, related_name="+", verbose_name=_("비목")
    )
    spent_on = models.DateField(_("집행일"))
    amount_krw = models.BigIntegerField(_("집행액(원)"))
    payee = models.CharField(_("지급처"), max_length=200)
    evidence = models.CharField(_("증빙(문서번호)"), max_length=200, blank=True)
    evidence_file = models.FileField(
        _("증빙 파일"), upload_to="programmes/spending/%Y/", blank=True, max_length=255
    )
    # Codes from `funds.spending_ineligibility` ("outside_period", "no_evidence"); empty when recognised.
    ineligible_reasons = models.JSONField(_("불인정 사유"), default=list, blank=True)

    class Meta:
        verbose_name = _("집행 내역")
        verbose_name_plural = _("집행 내역")
        ordering = ["agreement", "spent_on", "id"]
        indexes = [models.Index(fields=["agreement", "category"])]
        constraints = [models.CheckConstraint(condition=models.Q(amount_krw__gt=0), name="spending_positive")]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.spent_on} {self.amount_krw}"
