"""Competitions (경진대회, issue 11 §5): an event of kind `competition` with its entries, judged like calls.

A competition is one `events.Event` of kind `competition` with an entry window (KST dates, both included),
its criteria (name, weight, maximum points; the weights add up to 100) and its prizes by rank, all data.
An entry is made by an exchange group or by a programme consortium (exactly one of them), once per
competition. Reviewers come from the programmes' pool (`programmes.Reviewer`) and are judged for conflicts
by the same rule as calls (`competitions.conflicts`); each scores every criterion with a comment. The
ranking is `competitions.ranking`; awards, once recorded, never change.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yunghap.core.versions import version_field


class CompetitionQuerySet(models.QuerySet["Competition"]):
    def visible_to(self, user: Any) -> CompetitionQuerySet:
        """Competitions whose event `user` may see (`Event.objects.visible_to`)."""
        from yunghap.events.models import Event

        return self.filter(event__in=Event.objects.visible_to(user).values("pk"))

    def managed_by(self, user: Any) -> CompetitionQuerySet:
        """Competitions whose event `user` runs (`Event.objects.managed_by`)."""
        from yunghap.events.models import Event

        return self.filter(event__in=Event.objects.managed_by(user).values("pk"))


class Competition(models.Model):
    event = models.OneToOneField(
        "events.Event", on_delete=models.PROTECT, related_name="competition", verbose_name=_("행사")
    )
    entry_opens = models.DateField(_("출품 시작일"))
    entry_closes = models.DateField(_("출품 마감일"))
    reviews_per_entry = models.PositiveSmallIntegerField(_("출품작당 평가위원 수"), default=3)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("등록자"),
    )
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)
    version = version_field()

    objects = CompetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("경진대회")
        verbose_name_plural = _("경진대회")
        ordering = ["-entry_opens", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry_closes__gte=models.F("entry_opens")), name="competition_window_order"
            ),
            models.CheckConstraint(
                condition=Q(reviews_per_entry__gte=1), name="competition_reviews_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(self.event.title)


class Criterion(models.Model):
    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("경진대회")
    )
    position = models.PositiveSmallIntegerField(_("순서"))
    name = models.CharField(_("평가 항목"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("가중치"))
    max_points = models.PositiveSmallIntegerField(_("만점"))

    class Meta:
        verbose_name = _("평가 항목")
        verbose_name_plural = _("평가 항목")
        ordering = ["competition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "position"], name="criterion_position_once"),
            models.UniqueConstraint(fields=["competition", "name"], name="criterion_name_once"),
            models.CheckConstraint(condition=Q(weight__gte=1, max_points__gte=1), name="criterion_positive"),
        ]

    def __str__(self) -> str:
        return str(self.name)


class Prize(models.Model):
    """How many awards and their names: one row per rank (1위 대상, 2위 최우수상, ...)."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="prizes", verbose_name=_("경진대회")
    )
    rank = models.PositiveSmallIntegerField(_("순위"))
    name = models.CharField(_("상 이름"), max_length=60)

    class Meta:
        verbose_name = _("시상 내역")
        verbose_name_plural = _("시상 내역")
        ordering = ["competition", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "rank"], name="prize_rank_once"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="prize_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.rank} {self.name}"


class EntryQuerySet(models.QuerySet["Entry"]):
    def made_by(self, user: Any) -> EntryQuerySet:
        """Entries `user` makes: their group's as its officer, their firm's consortia's as the lead's user."""
        from yunghap.accounts.scope import scope_of

        scope = scope_of(user)
        if not scope.authenticated:
            return self.none()
        return self.filter(
            Q(group_id__in=scope.officer_group_ids) | Q(consortium__lead_id__in=scope.firm_ids)
        )

    def visible_to(self, user: Any) -> EntryQuerySet:
        """The entrants, the competition's managers and its reviewers. A reviewer's own entries are further
        narrowed by conflicts in `competitions.access.entry_for` (a conflicted reviewer gets 404)."""
        from yunghap.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.central:
            return self.all()
        if not scope.authenticated:
            return self.none()
        condition = Q(pk__in=self.made_by(user).values("pk"))
        condition |= Q(competition__in=Competition.objects.managed_by(user).values("pk"))
        condition |= Q(assignments__reviewer__user_id=user.pk)
        return self.filter(condition).distinct()


class Entry(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("작성 중")
        SUBMITTED = "submitted", _("제출")
        WITHDRAWN = "withdrawn", _("철회")

    competition = models.ForeignKey(
        Competition, on_delete=models.PROTECT, related_name="entries", verbose_name=_("경진대회")
    )
    group = models.ForeignKey(
        "network.ExchangeGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="competition_entries",
        verbose_name=_("교류회"),
    )
    consortium = models.ForeignKey(
        "programmes.Consortium",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="competition_entries",
        verbose_name=_("협력체"),
    )
    title = models.CharField(_("출품작명"), max_length=200)
    summary = models.TextField(_("요약"), max_length=4000)
    status = models.CharField(_("상태"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("작성자"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("제출자"),
    )
    submitted_at = models.DateTimeField(_("제출 일시"), null=True, blank=True)
    story = models.ForeignKey(
        "stories.SuccessStory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("성공사례"),
    )
    version = version_field()

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("출품작")
        verbose_name_plural = _("출품작")
        ordering = ["competition", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False, consortium__isnull=True))
                | Q(group__isnull=True, consortium__isnull=False),
                name="entry_group_xor_consortium",
            ),
            models.UniqueConstraint(
                fields=["competition", "group"], condition=Q(group__isnull=False), name="entry_once_per_group"
            ),
            models.UniqueConstraint(
                fields=["competition", "consortium"],
                condition=Q(consortium__isnull=False),
                name="entry_once_per_consortium",
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def entrant(self) -> Any:
        return self.group if self.group_id else self.consortium


class ReviewerAssignment(models.Model):
    class Method(models.TextChoices):
        AUTO = "auto", _("자동 배정")
        MANUAL = "manual", _("직접 배정")

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("출품작")
    )
    reviewer = models.ForeignKey(
        "programmes.Reviewer",
        on_delete=models.PROTECT,
        related_name="competition_assignments",
        verbose_name=_("평가위원"),
    )
    method = models.CharField(_("배정 방식"), max_length=16, choices=Method.choices, default=Method.MANUAL)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("배정자"),
    )
    assigned_at = models.DateTimeField(_("배정 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("경진대회 평가 배정")
        verbose_name_plural = _("경진대회 평가 배정")
        ordering = ["entry", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "reviewer"], name="competition_assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} · {self.reviewer_id}"


class ScoreSheet(models.Model):
    """One reviewer's scores of one entry; `total` is the weighted sum out of 100 (`ranking.sheet_total`)."""

    assignment = models.OneToOneField(
        ReviewerAssignment, on_delete=models.CASCADE, related_name="sheet", verbose_name=_("배정")
    )
    total = models.DecimalField(_("총점"), max_digits=5, decimal_places=2)
    submitted_at = models.DateTimeField(_("제출 일시"))

    class Meta:
        verbose_name = _("경진대회 평가표")
        verbose_name_plural = _("경진대회 평가표")
        ordering = ["assignment", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0, total__lte=100), name="sheet_total_range")
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.total}"


class Score(models.Model):
    """Points on one criterion, with the reviewer's comment (required)."""

    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="scores", verbose_name=_("평가표")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("평가 항목")
    )
    points = models.DecimalField(_("점수"), max_digits=5, decimal_places=1)
    comment = models.TextField(_("평가 의견"), max_length=2000)

    class Meta:
        verbose_name = _("항목별 점수")
        verbose_name_plural = _("항목별 점수")
        ordering = ["sheet", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_points_positive"),
            models.CheckConstraint(condition=~Q(comment=""), name="score_comment_required"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id} {self.points}"


class FrozenAward(Exception):
    """An award is recorded once and never changed."""


class Award(models.Model):
    competition = models.ForeignKey(
        Competition, on_delete=models.PROTECT, related_name="awards", verbose_name=_("경진대회")
    )
    rank = models.PositiveSmallIntegerField(_("순위"))
    prize_name = models.CharField(_("상 이름"), max_length=60)
    entry = models.OneToOneField(
        Entry, on_delete=models.PROTECT, related_name="award", verbose_name=_("출품작")
    )
    score = models.DecimalField(_("점수"), max_digits=5, decimal_places=2)
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
        verbose_name = _("수상")
        verbose_name_plural = _("수상")
        ordering = ["competition", "rank"]
        constraints = [models.UniqueConstraint(fields=["competition", "rank"], name="award_rank_once")]

    def __str__(self) -> str:
        return f"{self.rank} {self.prize_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise FrozenAward("an award is never changed once recorded")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise FrozenAward("an award is never deleted")
