"""Attendance per session and the completion certificates (수료증) it earns (issue 11, item 3).

One `Attendance` row per registration and session: minutes present, late arrival, early leave, and how it
was taken (staff list, QR scan, import). No row: absent. The completion itself is computed by
`events/completion.py` from these rows; a `Certificate` is issued, numbered once and never reused, as soon as
the computed completion says so, and can be revoked (the public verification page then says so).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .events import EventSession, Registration


class Attendance(models.Model):
    class Method(models.TextChoices):
        LIST = "list", _("명단 확인")
        QR = "qr", _("QR 스캔")
        IMPORT = "import", _("파일 등록")

    registration = models.ForeignKey(
        Registration, verbose_name=_("행사 신청"), on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(
        EventSession, verbose_name=_("회차"), on_delete=models.CASCADE, related_name="attendances"
    )
    checked_in_at = models.DateTimeField(_("입실 일시"), null=True, blank=True)
    minutes_present = models.PositiveIntegerField(_("참석 시간(분)"))
    late = models.BooleanField(_("지각"), default=False)
    left_early = models.BooleanField(_("조퇴"), default=False)
    method = models.CharField(_("확인 방법"), max_length=8, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("기록자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("기록 일시"))

    class Meta:
        verbose_name = _("출석")
        verbose_name_plural = _("출석")
        ordering = ["session__starts_at", "registration__queue_position"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="one_attendance_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.registration} @ {self.session}"


class Certificate(models.Model):
    # Several per registration only when earlier ones were revoked; at most one valid (constraint below).
    registration = models.ForeignKey(
        Registration, verbose_name=_("행사 신청"), on_delete=models.PROTECT, related_name="certificates"
    )
    # The registration's event, repeated here only so the database can hold `seq` unique per event (a
    # constraint cannot reach through the foreign key); the issuing service sets both from one registration.
    event = models.ForeignKey(
        "events.Event", verbose_name=_("행사"), on_delete=models.PROTECT, related_name="certificates"
    )
    # `certificates.certificate_number(event code, seq)`: seq counts per event and is never reused.
    number = models.CharField(_("수료증 번호"), max_length=64, unique=True)
    seq = models.PositiveIntegerField(_("일련번호"))
    # What the certificate states, frozen at issue (a later correction of attendance revokes and reissues).
    holder_name = models.CharField(_("성명"), max_length=100)
    hours = models.DecimalField(_("이수 시간"), max_digits=7, decimal_places=2)
    attendance_rate = models.DecimalField(_("출석률(%)"), max_digits=4, decimal_places=1)
    issued_at = models.DateTimeField(_("발급 일시"))
    revoked_at = models.DateTimeField(_("취소 일시"), null=True, blank=True)
    revoke_reason = models.CharField(_("취소 사유"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("수료증")
        verbose_name_plural = _("수료증")
        ordering = ["event", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["event", "seq"], name="certificate_seq_once_per_event"),
            models.UniqueConstraint(
                fields=["registration"], condition=Q(revoked_at__isnull=True), name="one_valid_certificate"
            ),
        ]

    def __str__(self) -> str:
        return self.number
