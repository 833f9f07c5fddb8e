"""The public portal's own records: notices (공지사항) and library items (자료실), one model `Post`.

- `kind` tells a notice from a library item; both share categories (data, staff-editable in the admin),
  pinning, a publish moment (`publish_at`: a post is public from then on — decided at read time, nothing
  is written when the moment comes), cut-off dates (`CutOff`) and attachments (`Attachment`).
- A deadline is a date (`deadline_on`) OR a free text such as "추후 공지" (`deadline_text`), never both;
  neither means the post has no deadline (a library item). The database refuses both (a check constraint),
  `Post.clean()` says so in Korean.
- Body text is plain text; templates escape it and keep its line breaks (`linebreaksbr`).
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yunghap.core.models import TimeStampedModel
from yunghap.core.versions import version_field


class Kind(models.TextChoices):
    NOTICE = "notice", _("공지사항")
    LIBRARY = "library", _("자료실")


class Category(models.Model):
    """A category of notices or library items (공모, 행사, 서식 …); staff keep the list in the admin."""

    kind = models.CharField(_("구분"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("분류명"), max_length=50)
    name_en = models.CharField(_("영문 분류명"), max_length=80, blank=True)
    slug = models.SlugField(_("코드"), max_length=40)
    sort_order = models.PositiveSmallIntegerField(_("정렬 순서"), default=0)

    class Meta:
        verbose_name = _("게시판 분류")
        verbose_name_plural = _("게시판 분류")
        ordering = ["kind", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="portal_category_kind_slug")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        from yunghap.core.i18n import in_reader_language

        return str(in_reader_language(self.name, self.name_en))


class PostQuerySet(models.QuerySet["Post"]):
    def published(self, now: datetime.datetime | None = None) -> PostQuerySet:
        """Public now: its publish moment has come."""
        return self.filter(publish_at__lte=now or timezone.now())

    def visible_to(self, user: Any) -> PostQuerySet:
        """Everyone sees published posts; those who manage the portal also the scheduled ones."""
        from .permissions import may_manage

        if may_manage(user):
            return self.all()
        return self.published()

    def of_kind(self, kind: str) -> PostQuerySet:
        return self.filter(kind=kind)

    def listed(self) -> PostQuerySet:
        """Pinned first, then the newest."""
        return self.order_by("-pinned", "-publish_at", "-id")


class Post(TimeStampedModel):
    kind = models.CharField(_("구분"), max_length=16, choices=Kind.choices, default=Kind.NOTICE)
    title = models.CharField(_("제목"), max_length=200)
    body = models.TextField(_("본문"), max_length=20000)
    category = models.ForeignKey(
        Category,
        verbose_name=_("분류"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    pinned = models.BooleanField(_("상단 고정"), default=False)
    publish_at = models.DateTimeField(_("게시 일시"), default=timezone.now, db_index=True)
    deadline_on = models.DateField(_("마감일"), null=True, blank=True)
    deadline_text = models.CharField(
        _("마감 안내"), max_length=60, blank=True, help_text=_("날짜 대신 '추후 공지'처럼 적을 때")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("작성자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = version_field()

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("게시글")
        verbose_name_plural = _("게시글")
        ordering = ["-pinned", "-publish_at", "-id"]
        indexes = [models.Index(fields=["kind", "pinned", "publish_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_on__isnull=True) | Q(deadline_text=""), name="portal_post_one_deadline"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.deadline_on and self.deadline_text.strip():
            raise ValidationError(
                {
                    "deadline_text": _(
                        "마감일과 마감 안내 중 하나만 적어 주세요. 날짜가 정해졌으면 마감일을 쓰세요."
                    )
                },
                code="two_deadlines",
            )

    @property
    def is_published(self) -> bool:
        return self.publish_at <= timezone.now()

    @property
    def detail_url_name(self) -> str:
        return "portal:notice_detail" if self.kind == Kind.NOTICE else "portal:library_detail"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse(self.detail_url_name, args=[self.pk])


class CutOff(models.Model):
    """One of several cut-off dates of a post (1차 마감, 2차 마감 …)."""

    post = models.ForeignKey(Post, verbose_name=_("게시글"), on_delete=models.CASCADE, related_name="cutoffs")
    date = models.DateField(_("마감일"))
    label = models.CharField(_("차수"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("차수별 마감일")
        verbose_name_plural = _("차수별 마감일")
        ordering = ["date", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "date"], name="portal_cutoff_one_per_date")]

    def __str__(self) -> str:
        return f"{self.label} {self.date.isoformat()}".strip()


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is random: the original (Korean) name is kept in `name` and sent on download.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"portal/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    post = models.ForeignKey(
        Post, verbose_name=_("게시글"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("파일"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("파일명"), max_length=200)
    size = models.PositiveIntegerField(_("크기(바이트)"))
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("첨부파일")
        verbose_name_plural = _("첨부파일")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def extension(self) -> str:
        return self.name.rsplit(".", 1)[-1].upper() if "." in self.name else ""
