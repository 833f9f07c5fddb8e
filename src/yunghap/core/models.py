"""Base models and the two logs every service writes: the audit trail and the personal-data access log."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
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
    def visible_to(self, user: Any) -> NotificationQuerySet:
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
    # What is shown is `code` with `params` (core.messages_catalogue), rendered in the reader's language;
    # `message` is the Korean text at the time of writing, shown only if the code is unknown (or absent).
    code = models.CharField(_("메시지 코드"), max_length=100, blank=True)
    params = models.JSONField(_("메시지 값"), default=dict, blank=True)
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

    @property
    def text(self) -> str:
        """The notification in the active language (the reader's)."""
        return self.text_in(None)

    def text_in(self, language: str | None) -> str:
        from .messages_catalogue import render

        if not self.code:
            return self.message
        return render(self.code, self.params, fallback=self.message, language=language)


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def visible_to(self, user: Any) -> ImportJobQuerySet:
        # An import is private to the user who uploaded it; another user's job is "not found".
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class ImportJob(models.Model):
    """One uploaded file of the web import, from its check (dry run) to its commit, run by the task worker.

    The commit is claimed once: the commit button moves `checked` to `running` with a conditional
    update, and the import's write transaction locks this row and writes only while it is still
    `running`, setting `committed` in the same transaction (core.import_jobs).
    """

    class State(models.TextChoices):
        CHECKING = "checking", _("검사 중")
        CHECKED = "checked", _("검사 완료")
        RUNNING = "running", _("저장 중")
        COMMITTED = "committed", _("저장 완료")
        FAILED = "failed", _("저장하지 못함")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("올린 사람"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("자료 종류"), max_length=64)
    filename = models.CharField(_("파일 이름"), max_length=255)
    options = models.JSONField(_("선택 사항"), default=dict, blank=True)
    # Relative to MEDIA_ROOT; emptied when the file is removed (after the commit, or expired).
    file_path = models.CharField(_("파일 위치"), max_length=500, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("크기(바이트)"), default=0)
    state = models.CharField(_("상태"), max_length=16, choices=State.choices, default=State.CHECKING)
    rows_done = models.PositiveIntegerField(_("처리한 행"), default=0)
    rows_total = models.PositiveIntegerField(_("전체 행"), default=0)
    # The last run's report: counts and every error as [row, column label, message].
    report = models.JSONField(_("결과"), null=True, blank=True)
    audit_log = models.ForeignKey(
        AuditLog,
        verbose_name=_("변경 이력"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("올린 일시"), auto_now_add=True, db_index=True)
    checked_at = models.DateTimeField(_("검사 일시"), null=True, blank=True)
    committed_at = models.DateTimeField(_("저장 일시"), null=True, blank=True)
    # Set when a task takes the job and at each progress step: a job in progress that has not moved for
    # IMPORT_JOB_STALL_MINUTES lost its worker (killed mid-run) and may be run again.
    active_at = models.DateTimeField(_("마지막 진행 일시"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("가져오기 작업")
        verbose_name_plural = _("가져오기 작업")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} {self.filename}"

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.CHECKING, self.State.RUNNING)

    @property
    def errors(self) -> list[list[Any]]:
        return list((self.report or {}).get("errors", []))

    @property
    def stalled(self) -> bool:
        """In progress, but not moved for IMPORT_JOB_STALL_MINUTES: its worker is gone (derived, never stored)."""
        if not self.in_progress:
            return False
        since = self.active_at or self.created_at
        return since < timezone.now() - datetime.timedelta(minutes=settings.IMPORT_JOB_STALL_MINUTES)

    @property
    def restartable(self) -> bool:
        """A commit whose worker died: its write rolled back with it, so pressing again is safe."""
        report = self.report or {}
        return (
            self.state == self.State.RUNNING
            and self.stalled
            and bool(self.file_path)
            and not report.get("errors")
        )

    @property
    def committable(self) -> bool:
        """Checked, without errors, with something to write, and the file still kept."""
        report = self.report or {}
        return (
            self.state == self.State.CHECKED
            and bool(self.file_path)
            and not report.get("errors")
            and bool(report.get("created") or report.get("updated"))
        )

    @property
    def percent(self) -> int:
        return min(100, self.rows_done * 100 // self.rows_total) if self.rows_total else 0


class FormToken(models.Model):
    """A create form's one-time token, claimed by the first submit that succeeds (`core.onetime`).

    The row is written in the same transaction as what the form creates: a failed submit leaves the token
    unused, a repeated or parallel submit of the same token finds the row (the unique constraint makes the
    second insert wait for the first and then fail) and is sent to `result_url` instead of writing again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("이용자"), on_delete=models.CASCADE)
    token = models.CharField(_("토큰"), max_length=64)
    result_url = models.CharField(_("처리 결과 주소"), max_length=512, blank=True)
    created_at = models.DateTimeField(_("일시"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("일회용 양식 토큰")
        verbose_name_plural = _("일회용 양식 토큰")
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="form_token_once_per_user")]

    def __str__(self) -> str:
        return f"{self.token[:8]}… {self.result_url}"
