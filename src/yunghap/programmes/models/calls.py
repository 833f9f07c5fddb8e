"""Calls for proposals (공모) and their rules as data, and the cost categories (비목) budgets use.

A call's rule fields are the rule set of `programmes.rules`. They are frozen once the call has opened: a
correction is a new `CallRevision` with a reason (the applications remember the revision they were checked
against). Windows are dates in KST: a call takes submissions from 00:00 on `opens_on` to the end of
`closes_on`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yunghap.core.i18n import in_reader_language
from yunghap.core.models import TimeStampedModel
from yunghap.core.versions import version_field

# The plan's figures (2010: 50 consortia, 1 billion KRW, at most 20 million KRW each, 75 % / 25 %) and the
# issue's defaults for the rest. Defaults of a new call only: each call keeps its own values.
DEFAULT_RULES: dict[str, Any] = {
    "budget_krw": 1_000_000_000,
    "quota": 50,
    "grant_cap_krw": 20_000_000,
    "cap_applies_to": "government",
    "government_share_max": Decimal("75"),
    "firm_share_min": Decimal("25"),
    "firm_cash_share_min": Decimal("20"),
    "min_members": 3,
    "min_divisions": 2,
    "max_applications_per_firm": 1,
    "reviews_per_application": 5,
    "pass_score": Decimal("70"),
}
RULE_FIELDS = tuple(DEFAULT_RULES)


def default_criteria() -> list[dict[str, Any]]:
    """The review criteria of a new call: points per criterion, 100 in all."""
    return [
        {"code": "technology", "name": "기술성", "name_en": "Technology", "points": 40},
        {"code": "feasibility", "name": "사업성", "name_en": "Feasibility", "points": 30},
        {"code": "cooperation", "name": "협력성", "name_en": "Cooperation", "points": 30},
    ]


def _percent() -> list[Any]:
    return [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class CostCategory(models.Model):
    """One cost category (비목) of one edition of the national R&D cost rules; a call names its edition."""

    edition = models.CharField(_("기준 연도"), max_length=16)
    code = models.SlugField(_("코드"), max_length=32)
    name = models.CharField(_("비목명"), max_length=50)
    name_en = models.CharField(_("영문 비목명"), max_length=80, blank=True)
    description = models.CharField(_("설명"), max_length=300, blank=True)
    inkind_allowed = models.BooleanField(_("현물 계상 가능"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("정렬 순서"), default=0)

    class Meta:
        verbose_name = _("비목")
        verbose_name_plural = _("비목")
        ordering = ["edition", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="cost_category_edition_code")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_reader_language(self.name, self.name_en)


class CallQuerySet(models.QuerySet["Call"]):
    def visible_to(self, user: Any) -> CallQuerySet:
        """Published calls are open to every signed-in user (and, later, the public portal); drafts to
        central staff only."""
        from yunghap.accounts.scope import scope_of

        if scope_of(user).central:
            return self.all()
        return self.filter(published_at__isnull=False)


class Call(TimeStampedModel):
    class CapAppliesTo(models.TextChoices):
        GOVERNMENT = "government", _("정부지원금")
        TOTAL = "total", _("총사업비")

    code = models.SlugField(_("공모 코드"), max_length=32, unique=True)
    title = models.CharField(_("공모명"), max_length=200)
    description = models.TextField(_("공모 안내"), blank=True, max_length=8000)
    topics = models.ManyToManyField(
        "programmes.Topic", blank=True, related_name="calls", verbose_name=_("선도과제")
    )
    opens_on = models.DateField(_("접수 시작일"))
    closes_on = models.DateField(_("접수 마감일"))
    # Unpublished calls are drafts only central staff see.
    published_at = models.DateTimeField(_("공개 일시"), null=True, blank=True)

    # --- the rule set (programmes.rules.CallRules) ---
    budget_krw = models.BigIntegerField(
        _("총 예산(원)"), default=DEFAULT_RULES["budget_krw"], validators=[MinValueValidator(1)]
    )
    quota = models.PositiveIntegerField(
        _("선정 규모(협력체 수)"), default=DEFAULT_RULES["quota"], validators=[MinValueValidator(1)]
    )
    grant_cap_krw = models.BigIntegerField(
        _("협력체당 상한(원)"), default=DEFAULT_RULES["grant_cap_krw"], validators=[MinValueValidator(1)]
    )
    cap_applies_to = models.CharField(
        _("상한 적용 대상"), max_length=16, choices=CapAppliesTo.choices, default=CapAppliesTo.GOVERNMENT
    )
    government_share_max = models.DecimalField(
        _("정부지원 최대 비율(%)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_RULES["government_share_max"],
        validators=_percent(),
    )
    firm_share_min = models.DecimalField(
        _("기업부담 최소 비율(%)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_RULES["firm_share_min"],
        validators=_percent(),
    )
    firm_cash_share_min = models.DecimalField(
        _("기업부담 중 현금 최소 비율(%)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_RULES["firm_cash_share_min"],
        validators=_percent(),
    )
    min_members = models.PositiveSmallIntegerField(
        _("최소 참여기업 수(주관 포함)"),
        default=DEFAULT_RULES["min_members"],
        validators=[MinValueValidator(1)],
    )
    min_divisions = models.PositiveSmallIntegerField(
        _("최소 업종(KSIC 중분류) 수"),
        default=DEFAULT_RULES["min_divisions"],
        validators=[MinValueValidator(1)],
    )
    max_applications_per_firm = models.PositiveSmallIntegerField(
        _("기업당 최대 참여 신청 수"),
        default=DEFAULT_RULES["max_applications_per_firm"],
        validators=[MinValueValidator(1)],
    )
    reviews_per_application = models.PositiveSmallIntegerField(
        _("신청당 평가위원 수"),
        default=DEFAULT_RULES["reviews_per_application"],
        validators=[MinValueValidator(1)],
    )
    pass_score = models.DecimalField(
        _("선정 기준 점수"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_RULES["pass_score"],
        validators=_percent(),
    )
    criteria = models.JSONField(_("평가 항목"), default=default_criteria, blank=True)
    cost_category_edition = models.CharField(_("비목 기준 연도"), max_length=16, default="2026")
    # --- agreements (협약) of the call's selected applications (programmes.agreement_services) ---
    # The period when an application gives none: from the day the agreement is made, this many months.
    agreement_months = models.PositiveSmallIntegerField(
        _("기본 협약 기간(개월)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    interim_reports = models.PositiveSmallIntegerField(
        _("중간보고 횟수"), default=1, validators=[MaxValueValidator(12)]
    )
    final_report_days = models.PositiveSmallIntegerField(
        _("최종보고 기한(종료 후 일수)"), default=30, validators=[MaxValueValidator(365)]
    )
    payment_instalments = models.PositiveSmallIntegerField(
        _("정부지원금 지급 회차"), default=2, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    # Budget transfers up to this share of the giving and of the receiving category are notice-type.
    free_transfer_percent = models.DecimalField(
        _("비목 간 자율 변경 한도(%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=_percent(),
    )
    # The settlement (정산) is due this many months after the agreement's end (the default: 3).
    settlement_months = models.PositiveSmallIntegerField(
        _("정산 기한(종료 후 개월)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )

    # The rule set's revision: 1 when published; a correction after opening adds a CallRevision.
    revision = models.PositiveIntegerField(_("규칙 개정 차수"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("등록자"),
    )
    version = version_field()

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("공모")
        verbose_name_plural = _("공모")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="call_window_order"
            ),
        ]

    def __str__(self) -> str:
        return f"[{self.code}] {self.title}"

    def window_bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[opens, closes): 00:00 KST of `opens_on` to 00:00 KST of the day after `closes_on`."""
        zone = timezone.get_default_timezone()
        opens = datetime.datetime.combine(self.opens_on, datetime.time.min, tzinfo=zone)
        closes = datetime.datetime.combine(
            self.closes_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return opens, closes

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        """Takes submissions in the interface now (published and inside its window, in KST)."""
        if self.published_at is None:
            return False
        opens, closes = self.window_bounds()
        return opens <= (now or timezone.now()) < closes

    def is_frozen(self, now: datetime.datetime | None = None) -> bool:
        """Its rules can no longer be edited, only corrected by a new revision: published and opened."""
        return self.published_at is not None and (now or timezone.now()) >= self.window_bounds()[0]

    def rules_snapshot(self) -> dict[str, Any]:
        """The rule set as JSON (percentages as strings), for revisions and the selection record."""
        snapshot = {name: getattr(self, name) for name in RULE_FIELDS}
        for name, value in snapshot.items():
            if isinstance(value, Decimal):
                snapshot[name] = str(value)
        snapshot["criteria"] = self.criteria
        return snapshot


class CallRevision(models.Model):
    """One revision of a call's rule set: the first when it is published, one per correction after."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("공모"))
    number = models.PositiveIntegerField(_("차수"))
    rules = models.JSONField(_("규칙"))
    reason = models.CharField(_("개정 사유"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("개정자"),
    )
    created_at = models.DateTimeField(_("개정 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("공모 규칙 개정")
        verbose_name_plural = _("공모 규칙 개정")
        ordering = ["call", "number"]
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="call_revision_number")]

    def __str__(self) -> str:
        return f"{self.call_id} #{self.number}"
