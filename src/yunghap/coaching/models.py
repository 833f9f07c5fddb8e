"""Coaching sessions with their next steps, the caseload's settings, and mentoring pairs.

A coaching session (코칭 기록) is logged by a coordinator with one subject: an exchange group, a consortium
or a firm within their scope. Mentoring (선·후배 기업) pairs a senior firm with a junior one for a period;
its states and who may move them are data (`coaching.mentoring.MOVES`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yunghap.core.models import TimeStampedModel
from yunghap.core.versions import version_field

DEFAULT_QUIET_DAYS = 60


class CoachingSettings(models.Model):
    """The caseload's rules staff may change (one row, `CoachingSettings.current()`)."""

    quiet_days = models.PositiveIntegerField(
        _("연락 없음 기준(일)"),
        default=DEFAULT_QUIET_DAYS,
        help_text=_("이 날수 동안 코칭 기록이 없는 교류회·협력체를 담당 현황에 보입니다."),
    )
    due_soon_days = models.PositiveIntegerField(
        _("다음 할 일 예고(일)"),
        default=14,
        help_text=_("마감이 이 날수 안에 오는 다음 할 일을 담당 현황에 보입니다(지난 일은 언제나)."),
    )
    version = version_field()

    class Meta:
        verbose_name = _("코칭 설정")
        verbose_name_plural = _("코칭 설정")

    def __str__(self) -> str:
        return str(_("코칭 설정"))

    @classmethod
    def current(cls) -> CoachingSettings:
        """The settings row (the defaults, unsaved, until central staff first save it): reads never write."""
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls()


class CoachingSessionQuerySet(models.QuerySet["CoachingSession"]):
    def visible_to(self, user: Any) -> CoachingSessionQuerySet:
        """Central staff: all; regional staff: sessions whose subject is of their region; a coordinator:
        sessions whose subject is in their scope today (their groups, their groups' current members, the
        consortia those members lead). Firms, officers and reviewers see none (the log is casework)."""
        from .scope import session_condition

        condition = session_condition(user)
        if condition is None:
            return self.all()
        return self.filter(condition)


class CoachingSession(TimeStampedModel):
    class Kind(models.TextChoices):
        SEMINAR = "seminar", _("기술 세미나")
        PRE_PLANNING = "pre_planning", _("사전 기술기획")
        MATCHING = "matching", _("파트너 매칭")
        SITE_VISIT = "site_visit", _("현장 방문")
        OTHER = "other", _("기타")

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coaching_sessions",
        verbose_name=_("코디네이터"),
    )
    held_on = models.DateField(_("코칭일"))
    kind = models.CharField(_("구분"), max_length=16, choices=Kind.choices)
    # The subject: exactly one of these (a group, a consortium or a firm).
    group = models.ForeignKey(
        "network.ExchangeGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coaching_sessions",
        verbose_name=_("교류회"),
    )
    # A consortium is deleted only before it has an application (the application protects it); its
    # sessions go with it then (and with `yunghap demo --reset`, whose programmes reset runs first).
    consortium = models.ForeignKey(
        "programmes.Consortium",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coaching_sessions",
        verbose_name=_("협력체"),
    )
    firm = models.ForeignKey(
        "network.Firm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coaching_sessions",
        verbose_name=_("기업"),
    )
    notes = models.TextField(_("내용"), max_length=8000)
    # The pre-planning note this session wrote (kind pre_planning), shown on the consortium's application.
    pre_planning_note = models.ForeignKey(
        "programmes.PrePlanningNote",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("사전 기술기획 메모"),
    )
    version = version_field()

    objects = CoachingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("코칭 기록")
        verbose_name_plural = _("코칭 기록")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(group__isnull=False, consortium__isnull=True, firm__isnull=True)
                    | Q(group__isnull=True, consortium__isnull=False, firm__isnull=True)
                    | Q(group__isnull=True, consortium__isnull=True, firm__isnull=False)
                ),
                name="coaching_session_one_subject",
            )
        ]
        indexes = [
            models.Index(fields=["group", "held_on"], name="coaching_session_group_day"),
            models.Index(fields=["consortium", "held_on"], name="coaching_session_cons_day"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()} · {self.subject}"

    @property
    def subject(self) -> Any:
        return self.group or self.consortium or self.firm

    @property
    def subject_kind(self) -> str:
        if self.group_id:
            return "group"
        return "consortium" if self.consortium_id else "firm"


class NextStep(models.Model):
    """A next step agreed in a session, with its due date; done or not."""

    session = models.ForeignKey(
        CoachingSession, on_delete=models.CASCADE, related_name="next_steps", verbose_name=_("코칭 기록")
    )
    text = models.CharField(_("다음 할 일"), max_length=300)
    due_on = models.DateField(_("기한"))
    done = models.BooleanField(_("완료"), default=False)
    done_at = models.DateTimeField(_("완료 일시"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("완료 처리자"),
    )

    class Meta:
        verbose_name = _("다음 할 일")
        verbose_name_plural = _("다음 할 일")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done", "due_on"], name="coaching_step_open_due")]

    def __str__(self) -> str:
        return f"{self.due_on} {self.text}"


class MentorshipQuerySet(models.QuerySet["Mentorship"]):
    def visible_to(self, user: Any) -> MentorshipQuerySet:
        """Central staff: all; regional staff: pairs with a firm of their region; a coordinator: pairs with
        a current member of their groups; a firm's users: their firm's pairs (either side)."""
        from .scope import mentorship_condition

        condition = mentorship_condition(user)
        if condition is None:
            return self.all()
        return self.filter(condition)


class Mentorship(TimeStampedModel):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("제안")
        ACTIVE = "active", _("진행 중")
        ENDED = "ended", _("종료")
        CANCELLED = "cancelled", _("취소")

    senior = models.ForeignKey(
        "network.Firm", on_delete=models.PROTECT, related_name="mentoring_given", verbose_name=_("선배 기업")
    )
    junior = models.ForeignKey(
        "network.Firm",
        on_delete=models.PROTECT,
        related_name="mentoring_received",
        verbose_name=_("후배 기업"),
    )
    starts_on = models.DateField(_("시작일"))
    ends_on = models.DateField(_("종료일"))
    goals = models.TextField(_("목표"), max_length=4000)
    state = models.CharField(_("상태"), max_length=16, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("제안자"),
    )
    version = version_field()

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("멘토링")
        verbose_name_plural = _("멘토링")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(senior=models.F("junior")), name="mentorship_two_firms"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="mentorship_period"),
        ]

    def __str__(self) -> str:
        return f"{self.senior} → {self.junior}"

    @property
    def is_complete(self) -> bool:
        """Ended with the reviews of both sides."""
        if self.state != self.State.ENDED:
            return False
        sides = {r.firm_id for r in self.reviews.all()}
        return {self.senior_id, self.junior_id} <= sides


class MentoringSession(models.Model):
    """A mentoring meeting logged by a user of either firm."""

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("멘토링")
    )
    firm = models.ForeignKey(
        "network.Firm", on_delete=models.PROTECT, related_name="+", verbose_name=_("기록 기업")
    )
    held_on = models.DateField(_("만난 날"))
    notes = models.TextField(_("내용"), max_length=4000)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("기록자"),
    )
    created_at = models.DateTimeField(_("기록 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("멘토링 기록")
        verbose_name_plural = _("멘토링 기록")
        ordering = ["mentorship", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.notes[:30]}"


class MentorshipReview(models.Model):
    """Each side's short review at the end of a pair: one per firm."""

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("멘토링")
    )
    firm = models.ForeignKey(
        "network.Firm", on_delete=models.PROTECT, related_name="+", verbose_name=_("기업")
    )
    body = models.TextField(_("소감"), max_length=2000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("작성자"),
    )
    created_at = models.DateTimeField(_("작성 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("멘토링 소감")
        verbose_name_plural = _("멘토링 소감")
        constraints = [models.UniqueConstraint(fields=["mentorship", "firm"], name="mentorship_review_once")]

    def __str__(self) -> str:
        return f"{self.mentorship_id} · {self.firm_id}"
