"""Promising R&D topics (유망과제) proposed by the network, screened by staff; leading topics (선도과제)
are the ones a call names."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yunghap.core.models import TimeStampedModel
from yunghap.core.versions import version_field


class TopicQuerySet(models.QuerySet["Topic"]):
    def visible_to(self, user: Any) -> TopicQuerySet:
        """Staff see every topic; other signed-in users the accepted and leading ones and their own
        proposals (their own, or their firm's or group's)."""
        from yunghap.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.staff:
            return self.all()
        if not scope.authenticated:
            return self.none()
        condition = Q(status__in=[Topic.Status.ACCEPTED, Topic.Status.LEADING]) | Q(proposed_by=user)
        if scope.firm_ids:
            condition |= Q(proposer_firm_id__in=scope.firm_ids)
        if scope.officer_group_ids:
            condition |= Q(proposer_group_id__in=scope.officer_group_ids)
        return self.filter(condition)


class Topic(TimeStampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("제안")
        ACCEPTED = "accepted", _("적합")
        REJECTED = "rejected", _("부적합")
        LEADING = "leading", _("선도과제")

    code = models.SlugField(_("과제 코드"), max_length=32, unique=True)
    title = models.CharField(_("과제명"), max_length=200)
    growth_engine = models.ForeignKey(
        "programmes.GrowthEngine",
        on_delete=models.PROTECT,
        related_name="topics",
        verbose_name=_("신성장동력"),
    )
    summary = models.TextField(_("요약"), max_length=4000)
    capabilities = models.ManyToManyField(
        "matching.Capability", blank=True, related_name="topics", verbose_name=_("필요 역량")
    )
    status = models.CharField(_("상태"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    # Who proposed it: a person always (except imports), on behalf of a firm or a group where they chose one.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("제안자"),
    )
    proposer_firm = models.ForeignKey(
        "network.Firm",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("제안 기업"),
    )
    proposer_group = models.ForeignKey(
        "network.ExchangeGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("제안 교류회"),
    )
    screening_note = models.CharField(_("검토 의견"), max_length=500, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("검토자"),
    )
    screened_at = models.DateTimeField(_("검토 일시"), null=True, blank=True)
    version = version_field()

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("유망과제")
        verbose_name_plural = _("유망과제")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"[{self.code}] {self.title}"


class TopicInterest(models.Model):
    """A firm's "관심 있음" on a public topic (과제발굴): one per firm and topic, made by one of its users.
    Interested firms are the topic's candidate firms (`programmes.discovery.candidate_firms`)."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="interests", verbose_name=_("유망과제")
    )
    firm = models.ForeignKey(
        "network.Firm", on_delete=models.CASCADE, related_name="topic_interests", verbose_name=_("회원사")
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("표시한 사용자"),
    )
    created_at = models.DateTimeField(_("표시 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("과제 관심 표시")
        verbose_name_plural = _("과제 관심 표시")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["topic", "firm"], name="one_interest_per_firm_topic")]

    def __str__(self) -> str:
        return f"{self.topic.code} · {self.firm}"
