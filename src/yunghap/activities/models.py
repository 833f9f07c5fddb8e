"""The activity ledger (plan item 1, 교류활동 실적): what every exchange group does, month by month.

Stable names other apps (statistics, surveys) build on — keep them:

* `Meeting` (월례회·임시회): `group` (FK ExchangeGroup, related_name "meetings"), `kind`
  (`Meeting.Kind.MONTHLY` "monthly" / `SPECIAL` "special"), `held_on` (date), `place`, `agenda`, `minutes`,
  `created_by` (FK User, nullable), `listed_count` / `present_count` (see below), `created_at`/`updated_at`.
  Unique per (group, held_on, kind). Property `attendance_rate` → percent float or None.
* `Attendance` (출석): `meeting` (FK, related_name "attendances"), `firm` (FK Firm, related_name
  "attendances"), `present` (bool). One row per firm that was a member of the group on `held_on`;
  unique (meeting, firm). The largest table (~6 million rows at national scale), so it is kept narrow.
* `Trade` (회원간 수발주): `group`, `buyer` / `seller` (FK Firm, related_names "purchases" / "sales"),
  `item`, `amount_krw` (BigInteger ≥ 0), `traded_on`, `created_by`.
* `Outcome` (융합기술개발 실적): `group`, `kind` (`Outcome.Kind`: new_technology, new_product, patent,
  new_market, process_improvement), `title`, `achieved_on`, `firms` (M2M Firm, related_name "outcomes"),
  `evidence` (file, optional), `description`, `created_by`.
* `Activity` (other activities): `group`, `kind` (`Activity.Kind`: hr_exchange 인적자원교류,
  joint_project 공동사업, social_service 사회봉사), `title`, `held_on`, `description`, `firms` (M2M,
  optional), `created_by`.

`listed_count` and `present_count` on `Meeting` are the attendance totals, kept by the service functions
in `activities.services` (record_meeting / update_meeting) and by the ledger import in the same
transaction as the attendance rows. They are there so that statistics over millions of attendance rows
read one narrow row per meeting; `Meeting.objects.refresh_attendance_counts()` recomputes them from the
rows if they are ever written around the services (e.g. a raw bulk load).

Every model has `objects.visible_to(user)`, following its group's visibility
(`ExchangeGroup.objects.visible_to`). Attendance rate of a meeting = present / listed.

Deleted records are kept (`deleted_at`, `deleted_by`; `activities.services.delete_entry`), so a mistaken
delete can be undone within `LEDGER_UNDO_HOURS`. `objects` — the default manager, and therefore every
related manager (`group.meetings`, `firm.outcomes`) — holds the live records only: lists, statistics,
exports, the survey's prefill and matching read it and never see a deleted one. `all_objects` includes the
deleted (restore, the "recently deleted" list). Attendance rows stay with their deleted meeting;
`Attendance.objects.live()` keeps only those of live meetings (reach attendance through a live meeting).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yunghap.core.models import TimeStampedModel
from yunghap.core.versions import version_field
from yunghap.network.models import ExchangeGroup, Firm


class SoftDeletable(models.Model):
    """A ledger record that is kept when deleted, so that the deletion can be undone for a while."""

    deleted_at = models.DateTimeField(_("삭제일시"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("삭제자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def _visible_groups(user: Any) -> models.QuerySet[ExchangeGroup]:
    return ExchangeGroup.objects.visible_to(user)


class LedgerQuerySet(models.QuerySet):
    """Rows that hang off a group: visible when their group is."""

    group_path = "group"

    def visible_to(self, user: Any) -> LedgerQuerySet:
        from yunghap.accounts.scope import scope_of

        if scope_of(user).central:
            return self.all()
        return self.filter(**{f"{self.group_path}__in": _visible_groups(user).values("id")})


class LiveManager(models.Manager):
    """The default manager of soft-deletable ledger models: deleted records are left out."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class LedgerManager(LiveManager.from_queryset(LedgerQuerySet)):  # type: ignore[misc]
    pass


class MeetingQuerySet(LedgerQuerySet):
    def attendance_totals(self) -> dict[str, int]:
        """`{"meetings", "listed", "present"}` over the queryset: one aggregate query."""
        totals = self.aggregate(
            meetings=Count("id"),
            listed=Coalesce(Sum("listed_count"), 0),
            present=Coalesce(Sum("present_count"), 0),
        )
        return {key: int(value or 0) for key, value in totals.items()}

    def per_group(self) -> models.QuerySet:
        """One dict per group: `group_id`, `meetings`, `listed`, `present` — rate = present / listed.

        Filter by date first, e.g. `Meeting.objects.filter(held_on__year=2009).per_group()`.
        """
        return (
            self.order_by()
            .values("group_id")
            .annotate(
                meetings=Count("id"),
                listed=Coalesce(Sum("listed_count"), 0),
                present=Coalesce(Sum("present_count"), 0),
            )
        )

    def refresh_attendance_counts(self) -> int:
        """Recompute `listed_count` / `present_count` from the attendance rows; returns meetings updated."""
        listed = (
            Attendance.objects.filter(meeting=OuterRef("pk"))
            .order_by()
            .values("meeting")
            .annotate(n=Count("id"))
            .values("n")
        )
        present = (
            Attendance.objects.filter(meeting=OuterRef("pk"), present=True)
            .order_by()
            .values("meeting")
            .annotate(n=Count("id"))
            .values("n")
        )
        return self.update(
            listed_count=Coalesce(Subquery(listed), 0), present_count=Coalesce(Subquery(present), 0)
        )


class MeetingManager(LiveManager.from_queryset(MeetingQuerySet)):  # type: ignore[misc]
    pass


class Meeting(SoftDeletable, TimeStampedModel):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("월례회")
        SPECIAL = "special", _("임시회")

    group = models.ForeignKey(
        ExchangeGroup, verbose_name=_("교류회"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("구분"), max_length=16, choices=Kind.choices, default=Kind.MONTHLY)
    held_on = models.DateField(_("개최일"))
    place = models.CharField(_("장소"), max_length=200, blank=True)
    agenda = models.TextField(_("안건"), blank=True)
    minutes = models.TextField(_("회의록"), blank=True)
    listed_count = models.PositiveIntegerField(_("대상 회원사 수"), default=0)
    present_count = models.PositiveIntegerField(_("출석 회원사 수"), default=0)
    version = version_field()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("기록자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MeetingManager()
    all_objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("모임")
        verbose_name_plural = _("모임")
        ordering = ["-held_on", "-id"]
        default_manager_name = "objects"
        constraints = [
            # A deleted meeting does not stop the same meeting from being recorded again.
            models.UniqueConstraint(
                fields=["group", "held_on", "kind"],
                condition=Q(deleted_at__isnull=True),
                name="unique_live_meeting_per_day",
            ),
            models.CheckConstraint(
                condition=Q(present_count__lte=F("listed_count")), name="meeting_present_le_listed"
            ),
        ]
        indexes = [models.Index(fields=["held_on", "group"])]

    def __str__(self) -> str:
        return f"{self.group} {self.get_kind_display()} {self.held_on:%Y-%m-%d}"

    @property
    def attendance_rate(self) -> float | None:
        """Percent of the listed members present, or None when nobody was listed."""
        if not self.listed_count:
            return None
        return 100.0 * self.present_count / self.listed_count


class AttendanceQuerySet(LedgerQuerySet):
    group_path = "meeting__group"

    def live(self) -> AttendanceQuerySet:
        """Attendance of meetings that are not deleted."""
        return self.filter(meeting__deleted_at__isnull=True)

    def visible_to(self, user: Any) -> LedgerQuerySet:
        return super(AttendanceQuerySet, self.live()).visible_to(user)


class Attendance(models.Model):
    # The unique (meeting, firm) index already serves lookups by meeting; a second one would only cost.
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("모임"),
        on_delete=models.CASCADE,
        related_name="attendances",
        db_index=False,
    )
    firm = models.ForeignKey(
        Firm, verbose_name=_("회원사"), on_delete=models.CASCADE, related_name="attendances"
    )
    present = models.BooleanField(pgettext_lazy("attendance", "출석"), default=False)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("출석")
        verbose_name_plural = _("출석")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "firm"], name="unique_attendance"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.firm} · {_('출석') if self.present else _('결석')}"


class Trade(SoftDeletable, TimeStampedModel):
    group = models.ForeignKey(
        ExchangeGroup, verbose_name=_("교류회"), on_delete=models.CASCADE, related_name="trades"
    )
    buyer = models.ForeignKey(
        Firm, verbose_name=_("발주(구매) 회원사"), on_delete=models.PROTECT, related_name="purchases"
    )
    seller = models.ForeignKey(
        Firm, verbose_name=_("수주(판매) 회원사"), on_delete=models.PROTECT, related_name="sales"
    )
    item = models.CharField(_("품목"), max_length=200)
    amount_krw = models.BigIntegerField(_("금액(원)"))
    traded_on = models.DateField(_("거래일"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("기록자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LedgerManager()
    all_objects = LedgerQuerySet.as_manager()

    class Meta:
        default_manager_name = "objects"
        verbose_name = _("회원간 수발주")
        verbose_name_plural = _("회원간 수발주")
        ordering = ["-traded_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_krw__gte=0), name="trade_amount_not_negative"),
            models.CheckConstraint(condition=~Q(buyer=F("seller")), name="trade_buyer_not_seller"),
        ]
        indexes = [
            models.Index(fields=["group", "traded_on"]),
            models.Index(fields=["traded_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.buyer} ← {self.seller} {self.item} ({self.traded_on:%Y-%m-%d})"


def evidence_path(instance: Outcome, filename: str) -> str:
    return f"outcomes/{instance.group_id}/{filename}"


class Outcome(SoftDeletable, TimeStampedModel):
    class Kind(models.TextChoices):
        NEW_TECHNOLOGY = "new_technology", _("신기술")
        NEW_PRODUCT = "new_product", _("신제품")
        PATENT = "patent", _("특허")
        NEW_MARKET = "new_market", _("신시장")
        PROCESS_IMPROVEMENT = "process_improvement", _("공정 개선")

    group = models.ForeignKey(
        ExchangeGroup, verbose_name=_("교류회"), on_delete=models.CASCADE, related_name="outcomes"
    )
    kind = models.CharField(_("구분"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("성과명"), max_length=200)
    achieved_on = models.DateField(_("성과일"))
    firms = models.ManyToManyField(Firm, verbose_name=_("참여 회원사"), related_name="outcomes")
    evidence = models.FileField(_("증빙 파일"), upload_to=evidence_path, blank=True, max_length=255)
    description = models.TextField(_("내용"), blank=True)
    # A result of a funded consortium (programmes): the step that makes the chain group → … → result.
    agreement = models.ForeignKey(
        "programmes.Agreement",
        verbose_name=_("협약"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("기록자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LedgerManager()
    all_objects = LedgerQuerySet.as_manager()

    class Meta:
        default_manager_name = "objects"
        verbose_name = _("융합기술개발 실적")
        verbose_name_plural = _("융합기술개발 실적")
        ordering = ["-achieved_on", "-id"]
        indexes = [
            models.Index(fields=["group", "achieved_on"]),
            models.Index(fields=["achieved_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display()}, {self.achieved_on:%Y-%m-%d})"


class Activity(SoftDeletable, TimeStampedModel):
    class Kind(models.TextChoices):
        HR_EXCHANGE = "hr_exchange", _("인적자원 교류")
        JOINT_PROJECT = "joint_project", _("공동사업")
        SOCIAL_SERVICE = "social_service", _("사회봉사")

    group = models.ForeignKey(
        ExchangeGroup, verbose_name=_("교류회"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("구분"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("활동명"), max_length=200)
    held_on = models.DateField(_("활동일"))
    description = models.TextField(_("내용"), blank=True)
    firms = models.ManyToManyField(
        Firm, verbose_name=_("참여 회원사"), blank=True, related_name="ledger_activities"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("기록자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LedgerManager()
    all_objects = LedgerQuerySet.as_manager()

    class Meta:
        default_manager_name = "objects"
        verbose_name = _("교류 활동")
        verbose_name_plural = _("교류 활동")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["group", "held_on"]),
            models.Index(fields=["held_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display()}, {self.held_on:%Y-%m-%d})"
