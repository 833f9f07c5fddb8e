"""Policy proposals (제도개선 건의, issue 12 §5): a signed-in user asks the central federation to improve a law
or a programme; central staff review it and answer; the answer is shown once staff publish it.

The states and who may move them are the table in `proposals/workflow.py`, enforced in
`proposals/services.py` only. The due date is computed at read time (`deadlines.due_date`); the support
count (공감) is shown, never read by the workflow.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yunghap.accounts.scope import scope_of
from yunghap.core.models import TimeStampedModel
from yunghap.core.versions import version_field


class ProposalState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("proposal state", "접수")
    IN_REVIEW = "in_review", pgettext_lazy("proposal state", "검토 중")
    CORRECTION = "correction", pgettext_lazy("proposal state", "보완 요청")
    ANSWERED = "answered", pgettext_lazy("proposal state", "답변 완료")
    CLOSED = "closed", pgettext_lazy("proposal state", "종결")
    WITHDRAWN = "withdrawn", pgettext_lazy("proposal state", "철회")


class ProposalOutcome(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("proposal outcome", "수용")
    PARTLY = "partly", pgettext_lazy("proposal outcome", "일부 수용")
    NOT_ACCEPTED = "not_accepted", pgettext_lazy("proposal outcome", "불수용")
    FORWARDED = "forwarded", pgettext_lazy("proposal outcome", "타 기관 이송")


class Moderation(models.TextChoices):
    NONE = "", pgettext_lazy("proposal moderation", "해당 없음")
    PENDING = "pending", pgettext_lazy("proposal moderation", "신고로 숨김(검토 대기)")
    KEPT_HIDDEN = "kept_hidden", pgettext_lazy("proposal moderation", "숨김 유지")
    RESTORED = "restored", pgettext_lazy("proposal moderation", "다시 공개")


HIDDEN = (Moderation.PENDING, Moderation.KEPT_HIDDEN)


class PolicyProposalQuerySet(models.QuerySet["PolicyProposal"]):
    def public(self) -> PolicyProposalQuerySet:
        """What everybody sees, anonymous visitors too: public, not withdrawn, not hidden after reports."""
        return (
            self.filter(is_public=True).exclude(state=ProposalState.WITHDRAWN).exclude(moderation__in=HIDDEN)
        )

    def visible_to(self, user: Any) -> PolicyProposalQuerySet:
        """Central staff: all. Anyone else: the public ones and their own (even private, withdrawn or hidden)."""
        scope = scope_of(user)
        if scope.central:
            return self.all()
        condition = Q(Q(is_public=True) & ~Q(state=ProposalState.WITHDRAWN) & ~Q(moderation__in=HIDDEN))
        if scope.authenticated:
            condition |= Q(author_id=user.pk)
        return self.filter(condition)


class PolicyProposal(TimeStampedModel):
    title = models.CharField(_("제목"), max_length=200)
    problem = models.TextField(_("현황 및 문제점"), max_length=10000)
    proposal = models.TextField(_("개선 방안"), max_length=10000)
    law = models.CharField(_("관련 법령·제도"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("건의인")
    )
    firm = models.ForeignKey(
        "network.Firm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("건의 기업"),
    )
    is_public = models.BooleanField(_("공개"), default=False)
    state = models.CharField(
        _("상태"),
        max_length=20,
        choices=ProposalState.choices,
        default=ProposalState.SUBMITTED,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("접수 일시"))
    # The clock: paused while a correction is pending (paused_since), the completed pauses in paused_days.
    paused_days = models.PositiveIntegerField(_("보완 기간(일)"), default=0)
    paused_since = models.DateTimeField(_("보완 요청 일시"), null=True, blank=True)
    correction_request = models.TextField(_("보완 요청 내용"), max_length=5000, blank=True)
    correction_reply = models.TextField(_("보완 내용"), max_length=5000, blank=True)
    outcome = models.CharField(_("처리 결과"), max_length=20, choices=ProposalOutcome.choices, blank=True)
    forwarded_to = models.CharField(_("이송 기관"), max_length=200, blank=True)
    answer = models.TextField(_("답변"), max_length=20000, blank=True)
    answered_at = models.DateTimeField(_("답변 일시"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("답변자"),
    )
    answer_published_at = models.DateTimeField(_("답변 공개 일시"), null=True, blank=True)
    closed_at = models.DateTimeField(_("종결 일시"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("철회 일시"), null=True, blank=True)
    moderation = models.CharField(
        _("신고 처리"), max_length=20, choices=Moderation.choices, blank=True, default=Moderation.NONE
    )
    reports_reviewed_at = models.DateTimeField(_("신고 검토 일시"), null=True, blank=True)
    # Scheduled notices, each sent once (`yunghap proposals_remind`): the record that it was sent.
    author_reminded_at = models.DateTimeField(_("30일 안내 일시"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("기한 초과 안내 일시"), null=True, blank=True)
    version = version_field()

    objects = PolicyProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("제도개선 건의")
        verbose_name_plural = _("제도개선 건의")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="forwarded") | ~Q(forwarded_to=""), name="proposal_forwarded_names_body"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_hidden(self) -> bool:
        return self.moderation in HIDDEN

    @property
    def answer_published(self) -> bool:
        return self.answer_published_at is not None


def attachment_path(instance: ProposalAttachment, filename: str) -> str:
    return f"proposals/{instance.proposal_id}/{filename}"


class ProposalAttachment(models.Model):
    class Part(models.TextChoices):
        PROPOSAL = "proposal", _("건의 첨부")
        CORRECTION = "correction", _("보완 첨부")
        ANSWER = "answer", _("답변 첨부")

    proposal = models.ForeignKey(
        PolicyProposal, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("건의")
    )
    part = models.CharField(_("구분"), max_length=20, choices=Part.choices, default=Part.PROPOSAL)
    file = models.FileField(_("파일"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("파일 이름"), max_length=255)
    size = models.PositiveIntegerField(_("크기(바이트)"))
    uploaded_at = models.DateTimeField(_("올린 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("건의 첨부파일")
        verbose_name_plural = _("건의 첨부파일")
        ordering = ["proposal", "id"]

    def __str__(self) -> str:
        return self.name


class ProposalSupport(models.Model):
    """공감: one per user and proposal (the constraint holds under concurrency)."""

    proposal = models.ForeignKey(
        PolicyProposal, on_delete=models.CASCADE, related_name="supports", verbose_name=_("건의")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("사용자")
    )
    created_at = models.DateTimeField(_("공감 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("공감")
        verbose_name_plural = _("공감")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="proposal_support_once")]

    def __str__(self) -> str:
        return f"{self.proposal_id} · {self.user_id}"


class ProposalReport(models.Model):
    """신고: one per user and proposal."""

    proposal = models.ForeignKey(
        PolicyProposal, on_delete=models.CASCADE, related_name="reports", verbose_name=_("건의")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("신고자")
    )
    reason = models.CharField(_("신고 사유"), max_length=500)
    created_at = models.DateTimeField(_("신고 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("신고")
        verbose_name_plural = _("신고")
        ordering = ["proposal", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="proposal_report_once")]

    def __str__(self) -> str:
        return f"{self.proposal_id} · {self.user_id}"
