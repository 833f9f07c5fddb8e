"""What participants are told and how (issue 11 §2, §6): each user's notice preferences with the secret
of their personal calendar feed, and the marker that a registration's reminder went out.

Preferences: the essential notices (confirmed, waiting, a seat offered, an offer expired, a cancellation)
always go; the reminder the day before and the notices of a changed session are the user's to turn off,
and so is the e-mail copy of those non-essential notices (the in-app one stays). A user without a row has
every notice on (the row is made on the first save of the settings page, never on a read).

The feed token is the secret part of `/events/feeds/u/<token>.ics`; renewing it makes the old address
answer 404. It is made on the settings page's POST, never by a GET.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yunghap.core.versions import version_field


class NoticePreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("사용자"),
        on_delete=models.CASCADE,
        related_name="event_notice_preference",
    )
    reminders = models.BooleanField(_("행사 전날 알림"), default=True)
    changes = models.BooleanField(_("일정·장소 변경 알림"), default=True)
    email = models.BooleanField(
        _("필수 아닌 알림의 이메일"),
        default=True,
        help_text=_("끄면 전날 알림과 변경 알림은 사이트에서만 받습니다."),
    )
    feed_token = models.CharField(_("개인 일정 피드 토큰"), max_length=64, unique=True, null=True, blank=True)
    feed_token_renewed_at = models.DateTimeField(_("피드 주소 발급 일시"), null=True, blank=True)
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = _("행사 알림 설정")
        verbose_name_plural = _("행사 알림 설정")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def of(cls, user: Any) -> NoticePreference:
        """The user's preferences, or the defaults (unsaved) for a user who never saved them."""
        found = cls.objects.filter(user_id=user.pk).first()
        return found if found is not None else cls(user_id=user.pk)


class EventReminder(models.Model):
    """One row per registration reminded: `yunghap remind_events` sends a reminder only where none is."""

    registration = models.OneToOneField(
        "events.Registration", verbose_name=_("행사 신청"), on_delete=models.CASCADE, related_name="reminder"
    )
    session = models.ForeignKey(
        "events.EventSession", verbose_name=_("회차"), on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(_("알림 일시"))
    # False when the person turned reminders off: the reminder is done all the same (not sent later).
    delivered = models.BooleanField(_("전달함"), default=True)

    class Meta:
        verbose_name = _("행사 전날 알림")
        verbose_name_plural = _("행사 전날 알림")

    def __str__(self) -> str:
        return f"{self.registration} {self.sent_at:%Y-%m-%d %H:%M}"
