"""Base models and the two logs every service writes: the audit trail and the personal-data access log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정일시"), auto_now=True)

    class Meta:
        abstract = True


class AuditLog(models.Model):
    """One row per change made through a service: who changed what, and the fields that moved."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("처리자"), null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("작업"), max_length=64)
    object_type = models.CharField(_("대상 유형"), max_length=64)
    object_id = models.CharField(_("대상 ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("대상"), max_length=255, blank=True)
    changes = models.JSONField(_("변경 내용"), default=dict, blank=True)
    created_at = models.DateTimeField(_("일시"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("변경 이력")
        verbose_name_plural = _("변경 이력")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class AccessLog(models.Model):
    """Every view or download of unmasked personal data (개인정보보호법 제29조 접속기록)."""

    class Kind(models.TextChoices):
        VIEW = "view", _("조회")
        EXPORT = "export", _("내려받기")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("이용자"), on_delete=models.PROTECT)
    kind = models.CharField(_("구분"), max_length=16, choices=Kind.choices)
    object_type = models.CharField(_("대상 유형"), max_length=64)
    object_ids = models.JSONField(_("대상 ID"), default=list)
    record_count = models.PositiveIntegerField(_("건수"), default=0)
    path = models.CharField(_("요청 경로"), max_length=512, blank=True)
    ip_address = models.GenericIPAddressField(_("접속 IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("일시"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("개인정보 접속기록")
        verbose_name_plural = _("개인정보 접속기록")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.get_kind_display()} {self.object_type}"


class AccessLogTarget(models.Model):
    """One object of an access-log row: the index behind "who saw this firm's data" (docs/decisions.md).

    `AccessLog.object_ids` keeps the whole list with the row as evidence; these rows make the question
    asked from the object's side one indexed query on SQLite and PostgreSQL alike.
    """

    log = models.ForeignKey(AccessLog, on_delete=models.CASCADE, related_name="targets")
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_access_target_idx")]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id}"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: object) -> NotificationQuerySet:
        # A notification is private to its recipient, whatever else the user may see.
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """The in-app list of what happened that concerns a user; e-mail is only a copy (core.messenger)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("받는 사람"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    verb = models.CharField(_("종류"), max_length=64)
    message = models.CharField(_("내용"), max_length=500)
    link = models.CharField(_("링크"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("일시"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("읽은 일시"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("알림")
        verbose_name_plural = _("알림")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.message[:40]}"
