"""Events (교육·세미나·전국 행사), their sessions and registrations with a fair waiting list (issue 11).

Seats: an event has `capacity` seats (and a session may have fewer: the event then has the smallest of
them, `Event.seats`). A registration holds a seat while it is `confirmed` or `offered` (an offered seat is
kept for the person it was offered to until the offer expires). Everyone else waits in the order they
registered: `queue_position` is the place in line, given once, under the event's row lock, and never
reused, so nobody can jump the queue. The rules themselves live in `events/registration.py`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yunghap.core.versions import version_field


class EventQuerySet(models.QuerySet["Event"]):
    def visible_to(self, user: Any) -> EventQuerySet:
        """The only way pages, feeds and the API list or fetch events (rules in `events/scope.py`)."""
        from yunghap.events.scope import visible_condition

        condition = visible_condition(user)
        if condition is None:
            return self.all()
        return self.filter(pk__in=Event.objects.filter(condition).values("pk"))

    def managed_by(self, user: Any) -> EventQuerySet:
        """The events `user` runs: edit, sessions, participants, check-in (`events/scope.py`)."""
        from yunghap.events.scope import managed_condition

        condition = managed_condition(user)
        if condition is None:
            return self.all()
        return self.filter(condition)


class Event(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", _("교육과정")
        SEMINAR = "seminar", _("기술세미나")
        WORKSHOP = "workshop", _("워크숍")
        NATIONAL = "national", _("전국 행사")
        COMPETITION = "competition", _("경진대회")
        SYMPOSIUM = "symposium", _("심포지엄")
        JOB_FAIR = "job_fair", _("채용박람회")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("누구나")
        MEMBERS = "members", _("회원사")
        REGION = "region", _("지역")
        GROUP = "group", _("교류회")
        CONSORTIUM = "consortium", _("협력체")

    code = models.SlugField(_("행사 코드"), max_length=40, unique=True)
    title = models.CharField(_("행사명"), max_length=200)
    kind = models.CharField(_("종류"), max_length=16, choices=Kind.choices)
    # The federation that runs it; none for the central federation's national events (shown to everyone).
    organiser = models.ForeignKey(
        "network.Federation",
        verbose_name=_("주최 연합회"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    audience = models.CharField(_("대상"), max_length=16, choices=Audience.choices, default=Audience.EVERYONE)
    audience_region = models.ForeignKey(
        "network.Federation",
        verbose_name=_("대상 지역"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience_group = models.ForeignKey(
        "network.ExchangeGroup",
        verbose_name=_("대상 교류회"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience_consortium = models.ForeignKey(
        "programmes.Consortium",
        verbose_name=_("대상 협력체"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity = models.PositiveIntegerField(_("정원"))
    # Both days included, in KST (the dates of `timezone.localdate`).
    registration_opens = models.DateField(_("신청 시작일"))
    registration_closes = models.DateField(_("신청 마감일"))
    # Empty: the start of the first session (`Event.cancellation_deadline_at`).
    cancellation_deadline = models.DateTimeField(_("취소 기한"), null=True, blank=True)
    # Fee-free by default (issue 11 §1); a fee is shown on the event's page, in 원.
    fee = models.PositiveIntegerField(_("참가비(원)"), default=0, help_text=_("0이면 무료입니다."))
    offer_hours = models.PositiveSmallIntegerField(
        _("좌석 제안 수락 시간"), default=48, help_text=_("빈 좌석을 제안받은 대기자가 수락할 수 있는 시간")
    )
    # Completion settings (issue 11 §3), data of the event so staff can change them.
    attended_share = models.PositiveSmallIntegerField(
        _("출석 인정 비율(%)"), default=50, help_text=_("회차 시간 중 이 비율 이상 있으면 출석으로 봅니다.")
    )
    marks_per_absence = models.PositiveSmallIntegerField(_("결석 1회로 보는 지각·조퇴 횟수"), default=3)
    late_after_minutes = models.PositiveSmallIntegerField(
        _("지각 기준(분)"),
        default=10,
        help_text=_("회차 시작 뒤 이 시간이 지나 확인하면 지각으로 기록합니다."),
    )
    completion_threshold = models.DecimalField(
        _("수료 기준 출석률(%)"), max_digits=4, decimal_places=1, default=Decimal("80.0")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("등록자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)
    version = version_field()

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("행사")
        verbose_name_plural = _("행사")
        ordering = ["registration_opens", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes__gte=models.F("registration_opens")),
                name="event_registration_window_order",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(attended_share__gte=1, attended_share__lte=100), name="event_attended_share_range"
            ),
            models.CheckConstraint(
                condition=Q(completion_threshold__gte=0, completion_threshold__lte=100),
                name="event_completion_threshold_range",
            ),
            # The target of the audience is given for its kind and only for it.
            models.CheckConstraint(
                condition=(
                    Q(
                        audience__in=["everyone", "members"],
                        audience_region__isnull=True,
                        audience_group__isnull=True,
                        audience_consortium__isnull=True,
                    )
                    | Q(
                        audience="region",
                        audience_region__isnull=False,
                        audience_group__isnull=True,
                        audience_consortium__isnull=True,
                    )
                    | Q(
                        audience="group",
                        audience_region__isnull=True,
                        audience_group__isnull=False,
                        audience_consortium__isnull=True,
                    )
                    | Q(
                        audience="consortium",
                        audience_region__isnull=True,
                        audience_group__isnull=True,
                        audience_consortium__isnull=False,
                    )
                ),
                name="event_audience_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def seats(self) -> int:
        """Seats on offer: the event's capacity, or a session's smaller one (everyone attends every session)."""
        session_caps = [s.capacity for s in self.sessions.all() if s.capacity is not None]
        return min([self.capacity, *session_caps])

    def first_session_start(self) -> datetime.datetime | None:
        # Over `sessions.all()` (a few rows) so that pages which prefetched the sessions ask nothing more.
        starts = [s.starts_at for s in self.sessions.all()]
        return min(starts) if starts else None

    def cancellation_deadline_at(self) -> datetime.datetime | None:
        """The last moment to cancel: the field, or by default the start of the first session."""
        return self.cancellation_deadline or self.first_session_start()


class EventSession(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("행사"), on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("시작 일시"))
    ends_at = models.DateTimeField(_("종료 일시"))
    place = models.CharField(_("장소"), max_length=200, blank=True)
    online_link = models.URLField(_("온라인 주소"), blank=True)
    # The hours the session credits; empty on creation = its length (filled by `save`).
    hours = models.DecimalField(_("인정 시간"), max_digits=5, decimal_places=2, blank=True)
    capacity = models.PositiveIntegerField(_("회차 정원"), null=True, blank=True)

    class Meta:
        verbose_name = _("행사 회차")
        verbose_name_plural = _("행사 회차")
        ordering = ["event", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=~Q(place="") | ~Q(online_link=""), name="session_place_or_link"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="session_hours_not_negative"),
            models.UniqueConstraint(fields=["event", "starts_at"], name="one_session_per_event_start"),
        ]

    def __str__(self) -> str:
        return f"{self.event.code} {self.starts_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.hours is None and self.starts_at and self.ends_at and self.ends_at > self.starts_at:
            self.hours = self.length_hours
        super().save(*args, **kwargs)

    @property
    def length_hours(self) -> Decimal:
        """From start to end, in hours (two decimals)."""
        minutes = int((self.ends_at - self.starts_at).total_seconds()) // 60
        return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"))


def email_key(email: str) -> str:
    """The comparable form of an e-mail: trimmed and case-folded (Kim@Acme.kr and kim@acme.kr are one)."""
    return email.strip().casefold()


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def visible_to(self, user: Any) -> RegistrationQuerySet:
        """The only way pages and exports list or fetch registrations (`events/scope.py`)."""
        from yunghap.events.scope import registration_condition

        condition = registration_condition(user)
        if condition is None:
            return self.all()
        return self.filter(condition)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("확정")
        OFFERED = "offered", _("좌석 제안")
        WAITING = "waiting", _("대기")
        CANCELLED = "cancelled", _("취소")

    class EndReason(models.TextChoices):
        CANCELLED = "cancelled", _("신청 취소")
        OFFER_EXPIRED = "offer_expired", _("좌석 제안 만료")

    HOLDING_SEAT = (Status.CONFIRMED, Status.OFFERED)
    ACTIVE = (Status.CONFIRMED, Status.OFFERED, Status.WAITING)
    PERSONAL_FIELDS = ("name", "email")

    event = models.ForeignKey(
        Event, verbose_name=_("행사"), on_delete=models.PROTECT, related_name="registrations"
    )
    name = models.CharField(_("이름"), max_length=100)
    email = models.EmailField(_("이메일"))
    email_key = models.CharField(_("이메일(비교용)"), max_length=254, editable=False)
    firm = models.ForeignKey(
        "network.Firm",
        verbose_name=_("회원사"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("사용자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("신청 처리자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("신청 일시"))
    status = models.CharField(_("상태"), max_length=16, choices=Status.choices)
    # Place in line, 1, 2, 3… per event in the order of registration; given under the event lock.
    queue_position = models.PositiveIntegerField(_("신청 순번"))
    offered_at = models.DateTimeField(_("좌석 제안 일시"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("좌석 제안 수락 기한"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("확정 일시"), null=True, blank=True)
    ended_at = models.DateTimeField(_("취소 일시"), null=True, blank=True)
    end_reason = models.CharField(_("취소 사유"), max_length=16, choices=EndReason.choices, blank=True)
    # The completion as last computed from attendance by `completion.compute_completion`, written by the
    # service that records or imports attendance (never by a page), so statistics and lists sum it.
    hours_attended = models.DecimalField(
        _("출석 인정 시간"), max_digits=7, decimal_places=2, default=Decimal("0")
    )
    attendance_rate = models.DecimalField(
        _("출석률(%)"), max_digits=4, decimal_places=1, default=Decimal("0")
    )
    completed = models.BooleanField(_("수료"), default=False)
    version = version_field()

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("행사 신청")
        verbose_name_plural = _("행사 신청")
        ordering = ["event", "queue_position"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "queue_position"], name="registration_queue_position_once"
            ),
            # One active registration per person (e-mail, case-folded) and event; cancelled ones may repeat.
            models.UniqueConstraint(
                fields=["event", "email_key"],
                condition=Q(status__in=["confirmed", "offered", "waiting"]),
                name="one_active_registration_per_email",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offered_at__isnull=False, offer_expires_at__isnull=False),
                name="offered_registration_has_expiry",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "queue_position"])]

    def __str__(self) -> str:
        return f"{self.event.code} #{self.queue_position} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email_key = email_key(self.email)
        super().save(*args, **kwargs)
