"""Materialised monthly figures per group, derived from the registry and the activity ledger.

The insights app owns no source data: `GroupMonth` is a cache of aggregate queries over memberships,
meetings, trades, outcomes and activities, rebuilt by `yunghap.insights.figures.refresh_group_months`.
It exists because the trend page must answer in < 500 ms over ~6 million attendance rows (see
bench/stats_scale.py); `StaleGroup` marks the groups whose sources changed since their last rebuild, and
the writer's commit enqueues the task that rebuilds them (reads never write).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yunghap.network.models import ExchangeGroup


class GroupMonth(models.Model):
    group = models.ForeignKey(
        ExchangeGroup, verbose_name=_("교류회"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField(_("월"), help_text=_("그 달의 1일"))
    # The group's federation when the row was built: the regional roll-up is rebuilt from it.
    federation_id = models.BigIntegerField(_("지역연합회 ID"), default=0)
    members = models.PositiveIntegerField(_("회원사 수"), default=0)
    joins = models.PositiveIntegerField(_("가입"), default=0)
    leaves = models.PositiveIntegerField(_("탈퇴"), default=0)
    meetings = models.PositiveIntegerField(_("모임 수"), default=0)
    attendance_listed = models.PositiveIntegerField(_("출석 대상"), default=0)
    attendance_present = models.PositiveIntegerField(_("출석"), default=0)
    trades_count = models.PositiveIntegerField(_("수발주 건수"), default=0)
    trades_amount = models.BigIntegerField(_("수발주 금액(원)"), default=0)
    outcomes = models.PositiveIntegerField(_("융합기술개발 실적"), default=0)
    resource_activities = models.PositiveIntegerField(_("인적교류·공동사업"), default=0)
    divisions = models.PositiveSmallIntegerField(_("업종(중분류) 수"), default=0)
    entropy = models.FloatField(_("업종 다양성(엔트로피)"), default=0.0)
    dormant = models.BooleanField(_("휴면"), default=False, help_text=_("3개월 동안 모임이 없음"))

    class Meta:
        verbose_name = _("교류회 월별 통계")
        verbose_name_plural = _("교류회 월별 통계")
        constraints = [models.UniqueConstraint(fields=["group", "month"], name="unique_group_month")]
        # The trend queries group by month over a set of groups; (month, group) serves both the
        # month-range scan and the group filter without touching the table for the join key.
        indexes = [models.Index(fields=["month", "group"], name="groupmonth_month_group")]

    def __str__(self) -> str:
        return f"{self.group_id} {self.month:%Y-%m}"


class GroupYear(models.Model):
    """A group's year, summed from its GroupMonth rows (members: the year's last month with figures).

    The survey page compares ~2,700 groups' answers with their ledger; reading one row per group keeps
    that comparison off the ~33,000 monthly rows of a year. Rebuilt with GroupMonth.
    """

    group = models.ForeignKey(
        ExchangeGroup, verbose_name=_("교류회"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField(_("연도"))
    members = models.PositiveIntegerField(_("회원사 수"), default=0)
    meetings = models.PositiveIntegerField(_("모임 수"), default=0)
    attendance_listed = models.PositiveIntegerField(_("출석 대상"), default=0)
    attendance_present = models.PositiveIntegerField(_("출석"), default=0)
    trades_count = models.PositiveIntegerField(_("수발주 건수"), default=0)
    trades_amount = models.BigIntegerField(_("수발주 금액(원)"), default=0)
    outcomes = models.PositiveIntegerField(_("융합기술개발 실적"), default=0)
    resource_activities = models.PositiveIntegerField(_("인적교류·공동사업"), default=0)

    class Meta:
        verbose_name = _("교류회 연도별 통계")
        verbose_name_plural = _("교류회 연도별 통계")
        constraints = [models.UniqueConstraint(fields=["year", "group"], name="unique_group_year")]

    def __str__(self) -> str:
        return f"{self.group_id} {self.year}"


class RegionMonth(models.Model):
    """GroupMonth summed per month, region and exchange type ('' = every group): the trend page reads
    ~6,000 of these instead of ~330,000 group rows at national scale. Rebuilt with GroupMonth."""

    month = models.DateField(_("월"))
    federation_id = models.BigIntegerField(_("지역연합회 ID"))
    exchange_type = models.CharField(_("교류 유형"), max_length=32, blank=True)
    groups = models.PositiveIntegerField(_("교류회"), default=0)
    dormant_groups = models.PositiveIntegerField(_("휴면 교류회"), default=0)
    members = models.PositiveIntegerField(_("회원사 수"), default=0)
    joins = models.PositiveIntegerField(_("가입"), default=0)
    leaves = models.PositiveIntegerField(_("탈퇴"), default=0)
    meetings = models.PositiveIntegerField(_("모임 수"), default=0)
    attendance_listed = models.PositiveIntegerField(_("출석 대상"), default=0)
    attendance_present = models.PositiveIntegerField(_("출석"), default=0)
    trades_count = models.PositiveIntegerField(_("수발주 건수"), default=0)
    trades_amount = models.BigIntegerField(_("수발주 금액(원)"), default=0)
    outcomes = models.PositiveIntegerField(_("융합기술개발 실적"), default=0)
    groups_with_members = models.PositiveIntegerField(_("회원이 있는 교류회"), default=0)
    divisions_sum = models.PositiveIntegerField(_("업종 수 합계"), default=0)
    entropy_sum = models.FloatField(_("엔트로피 합계"), default=0.0)

    class Meta:
        verbose_name = _("지역 월별 통계")
        verbose_name_plural = _("지역 월별 통계")
        constraints = [
            models.UniqueConstraint(
                fields=["exchange_type", "federation_id", "month"], name="unique_region_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.federation_id} {self.exchange_type or '*'} {self.month:%Y-%m}"


class StaleGroup(models.Model):
    """A group whose monthly figures must be rebuilt before the next statistics read."""

    # A plain id, not a foreign key: a ledger row deleted in the cascade of its group's deletion marks
    # the group after the cascade collected it, and a key would then fail at commit.
    group_id = models.BigIntegerField(_("교류회 ID"), primary_key=True)
    marked_at = models.DateTimeField(_("표시 일시"), auto_now=True)

    class Meta:
        verbose_name = _("갱신 대기 교류회")
        verbose_name_plural = _("갱신 대기 교류회")

    def __str__(self) -> str:
        return str(self.group_id)
