"""Stored yearly education and event figures for the trend pages (issue 11 §7).

Like the insights app's monthly figures, these are a cache rebuilt from the source records by
`events.statistics.refresh_event_figures` (run by `yunghap refresh_statistics`), so that reading the
statistics never writes and never sums registrations on the fly.

`EducationYear`: the confirmed registrations of events held (last session ended) in a year, with their
stored hours and completions, counted
- once per region (`group_id` 0, `exchange_type` ""): the participant firm's region, else the event's
  organiser, else 0 (a national event attended without a firm);
- once per exchange group the firm was a member of on the event's last day (`group_id` the group,
  `federation_id` the group's region);
- once per region and exchange type of those groups (`exchange_type` the type's code, `group_id` 0).

`EventYear`: per organising region (0 = the central federation's national events) the events held,
their confirmed participants and their satisfaction answers (sum and count of the item scores).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class EducationYear(models.Model):
    year = models.PositiveSmallIntegerField(_("연도"))
    federation_id = models.BigIntegerField(_("지역연합회 ID"), default=0)
    group_id = models.BigIntegerField(_("교류회 ID"), default=0)
    exchange_type = models.CharField(_("교류 유형"), max_length=32, blank=True)
    participants = models.PositiveIntegerField(_("교육 참가(확정 신청)"), default=0)
    completions = models.PositiveIntegerField(_("수료"), default=0)
    hours = models.DecimalField(_("교육 이수 시간"), max_digits=12, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("연도별 교육 통계")
        verbose_name_plural = _("연도별 교육 통계")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "federation_id", "group_id", "exchange_type"], name="unique_education_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.federation_id} {self.group_id} {self.exchange_type or '*'}"


class EventYear(models.Model):
    year = models.PositiveSmallIntegerField(_("연도"))
    federation_id = models.BigIntegerField(_("주최 연합회 ID"), default=0)
    events = models.PositiveIntegerField(_("개최 행사"), default=0)
    participants = models.PositiveIntegerField(_("참가자(확정 신청)"), default=0)
    answers = models.PositiveIntegerField(_("만족도 응답"), default=0)
    score_sum = models.PositiveIntegerField(_("만족도 점수 합계"), default=0)
    score_count = models.PositiveIntegerField(_("만족도 점수 개수"), default=0)

    class Meta:
        verbose_name = _("연도별 행사 통계")
        verbose_name_plural = _("연도별 행사 통계")
        constraints = [models.UniqueConstraint(fields=["year", "federation_id"], name="unique_event_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.federation_id}"
