"""The reviewer pool (평가위원), assignments with the conflict-of-interest declaration, and reviews.

Conflicts are computed by `programmes.conflicts` from current data (affiliation, shared group, another
application of the call) and from `DeclaredConflict` rows; a reviewer with one is never assigned and never
sees the application.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yunghap.core.models import TimeStampedModel
from yunghap.core.versions import version_field


class Reviewer(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
        verbose_name=_("사용자"),
    )
    affiliation = models.ForeignKey(
        "network.Firm",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliated_reviewers",
        verbose_name=_("소속 기업"),
    )
    affiliation_name = models.CharField(_("소속 기관명"), max_length=100, blank=True)
    expertise_engines = models.ManyToManyField(
        "programmes.GrowthEngine",
        blank=True,
        related_name="reviewers",
        verbose_name=_("전문 분야(신성장동력)"),
    )
    expertise_capabilities = models.ManyToManyField(
        "matching.Capability", blank=True, related_name="reviewers", verbose_name=_("전문 역량")
    )
    is_active = models.BooleanField(_("위촉 중"), default=True)
    version = version_field()

    class Meta:
        verbose_name = _("평가위원")
        verbose_name_plural = _("평가위원")
        ordering = ["user__name", "id"]

    def __str__(self) -> str:
        return str(getattr(self.user, "name", "") or self.user.get_username())


class DeclaredConflict(TimeStampedModel):
    """A conflict the reviewer (or staff for them) declared with a firm (code `declared`)."""

    reviewer = models.ForeignKey(
        Reviewer, on_delete=models.CASCADE, related_name="declared_conflicts", verbose_name=_("평가위원")
    )
    firm = models.ForeignKey(
        "network.Firm", on_delete=models.CASCADE, related_name="+", verbose_name=_("기업")
    )
    reason = models.CharField(_("사유"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("신고한 이해충돌")
        verbose_name_plural = _("신고한 이해충돌")
        constraints = [models.UniqueConstraint(fields=["reviewer", "firm"], name="declared_conflict_once")]


class ReviewAssignment(TimeStampedModel):
    class Method(models.TextChoices):
        AUTO = "auto", _("자동 배정")
        MANUAL = "manual", _("직접 배정")
        IMPORT = "import", _("평가 결과 등록")

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("배정(이해충돌 확인 전)")
        OPEN = "open", _("평가 중")
        SUBMITTED = "submitted", _("평가 완료")
        RECUSED = "recused", _("회피")

    application = models.ForeignKey(
        "programmes.Application",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("신청서"),
    )
    reviewer = models.ForeignKey(
        Reviewer, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("평가위원")
    )
    method = models.CharField(_("배정 방식"), max_length=16, choices=Method.choices, default=Method.MANUAL)
    state = models.CharField(_("상태"), max_length=16, choices=State.choices, default=State.ASSIGNED)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("배정자"),
    )
    # The reviewer's statement that they have no conflict with the consortium: the application opens after it.
    declared_at = models.DateTimeField(_("이해충돌 없음 확인 일시"), null=True, blank=True)
    recused_at = models.DateTimeField(_("회피 일시"), null=True, blank=True)
    recusal_reason = models.CharField(_("회피 사유"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("평가 배정")
        verbose_name_plural = _("평가 배정")
        ordering = ["application", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="assignment_once")]


class Review(TimeStampedModel):
    """One reviewer's score of one application: points per criterion of the call, a comment."""

    assignment = models.OneToOneField(
        ReviewAssignment, on_delete=models.CASCADE, related_name="review", verbose_name=_("배정")
    )
    application = models.ForeignKey(
        "programmes.Application", on_delete=models.CASCADE, related_name="reviews", verbose_name=_("신청서")
    )
    reviewer = models.ForeignKey(
        Reviewer, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("평가위원")
    )
    score = models.DecimalField(_("점수"), max_digits=5, decimal_places=2)
    criterion_scores = models.JSONField(_("항목별 점수"), default=dict, blank=True)
    comment = models.TextField(_("평가 의견"), max_length=4000, blank=True)
    submitted_at = models.DateTimeField(_("제출 일시"))

    class Meta:
        verbose_name = _("평가")
        verbose_name_plural = _("평가")
        ordering = ["application", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_once"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="review_score_range"
            ),
        ]
