"""Consortia (프로젝트 단위협력체) and their applications to a call.

A consortium forms around a lead firm (주관기업, the core-technology holder) for one call; partners
(참여기업) accept their place before the application can be submitted. The application carries the budget
by cost category and source; its totals are kept on the application (an import gives only the totals).
Eligibility is stored at submission (and by the import): `eligibility` and the broken rules as codes with
parameters (`breaches`, rendered in the reader's language by `programmes.rules`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yunghap.accounts.scope import scope_of
from yunghap.core.models import TimeStampedModel
from yunghap.core.versions import version_field

from .amounts import AmountsBySource


class Consortium(TimeStampedModel):
    call = models.ForeignKey(
        "programmes.Call", on_delete=models.PROTECT, related_name="consortia", verbose_name=_("공모")
    )
    lead = models.ForeignKey(
        "network.Firm", on_delete=models.PROTECT, related_name="led_consortia", verbose_name=_("주관기업")
    )
    name = models.CharField(_("협력체명"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("구성자"),
    )

    class Meta:
        verbose_name = _("프로젝트 단위협력체")
        verbose_name_plural = _("프로젝트 단위협력체")
        ordering = ["call", "id"]

    def __str__(self) -> str:
        return self.name


class ConsortiumMember(TimeStampedModel):
    class Role(models.TextChoices):
        LEAD = "lead", _("주관기업")
        PARTNER = "partner", _("참여기업")

    class State(models.TextChoices):
        INVITED = "invited", _("수락 대기")
        ACCEPTED = "accepted", _("수락")
        DECLINED = "declined", _("거절")

    consortium = models.ForeignKey(
        Consortium, on_delete=models.CASCADE, related_name="members", verbose_name=_("협력체")
    )
    firm = models.ForeignKey(
        "network.Firm", on_delete=models.PROTECT, related_name="consortium_places", verbose_name=_("기업")
    )
    role = models.CharField(_("역할"), max_length=16, choices=Role.choices, default=Role.PARTNER)
    state = models.CharField(_("상태"), max_length=16, choices=State.choices, default=State.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("초대한 사람"),
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("응답한 사람"),
    )
    responded_at = models.DateTimeField(_("응답 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("협력체 구성원")
        verbose_name_plural = _("협력체 구성원")
        ordering = ["consortium", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "firm"], name="consortium_member_once"),
            models.UniqueConstraint(
                fields=["consortium"], condition=models.Q(role="lead"), name="consortium_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consortium} · {self.firm}"


class ApplicationQuerySet(models.QuerySet["Application"]):
    def visible_to(self, user: Any) -> ApplicationQuerySet:
        """Who sees an application (the only way views and the API fetch one):

        - central staff: all; regional staff: those led by a firm of their region (read only);
        - a firm's users: those of consortia their firm is in (invited or accepted, not declined);
        - a coordinator: those led by a firm that is a member of a group they coordinate (today's grants);
        - a reviewer: those assigned to them that they declared no conflict with, not recused, and with no
          conflict of interest computed now (one that arises after the assignment hides it at once).
        """
        scope = scope_of(user)
        if scope.central:
            return self.all()
        if not scope.authenticated:
            return self.none()
        from yunghap.network.models import Membership

        condition = Q(pk__in=[])
        if scope.region_ids:
            condition |= Q(consortium__lead__federation_id__in=scope.region_ids)
        if scope.firm_ids:
            places = ConsortiumMember.objects.filter(firm_id__in=scope.firm_ids).exclude(
                state=ConsortiumMember.State.DECLINED
            )
            condition |= Q(consortium__in=places.values("consortium_id"))
        if scope.coordinator_group_ids:
            leads = Membership.objects.giving_access().filter(group_id__in=scope.coordinator_group_ids)
            condition |= Q(consortium__lead_id__in=leads.values("firm_id"))
        if scope.reviewer:
            condition |= Q(pk__in=self._reviewable_ids(user))
        return self.filter(condition)

    def _reviewable_ids(self, user: Any) -> list[int]:
        from yunghap.programmes.conflicts import unconflicted

        from .reviews import ReviewAssignment, Reviewer

        reviewer = Reviewer.objects.filter(user=user, is_active=True).first()
        if reviewer is None:
            return []
        # The application opens to a reviewer once they have declared no conflict (and until they recuse).
        assigned = ReviewAssignment.objects.filter(
            reviewer=reviewer,
            declared_at__isnull=False,
            state__in=[ReviewAssignment.State.OPEN, ReviewAssignment.State.SUBMITTED],
        )
        return sorted(unconflicted(reviewer, assigned.values_list("application_id", flat=True)))


class Application(TimeStampedModel, AmountsBySource):
    class Status(models.TextChoices):
        DRAFT = "draft", _("작성 중")
        SUBMITTED = "submitted", _("제출")
        WITHDRAWN = "withdrawn", _("철회")

    class Eligibility(models.TextChoices):
        UNCHECKED = "", _("미검토")
        ELIGIBLE = "eligible", _("적격")
        INELIGIBLE = "ineligible", _("부적격")

    class Source(models.TextChoices):
        WEB = "web", _("온라인 신청")
        IMPORT = "import", _("접수 자료 등록")

    call = models.ForeignKey(
        "programmes.Call", on_delete=models.PROTECT, related_name="applications", verbose_name=_("공모")
    )
    consortium = models.OneToOneField(
        Consortium, on_delete=models.PROTECT, related_name="application", verbose_name=_("협력체")
    )
    ref = models.CharField(_("접수번호"), max_length=40)
    title = models.CharField(_("과제명"), max_length=200)
    topic = models.ForeignKey(
        "programmes.Topic",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("과제"),
    )
    starts_on = models.DateField(_("사업 시작일"), null=True, blank=True)
    ends_on = models.DateField(_("사업 종료일"), null=True, blank=True)
    summary = models.TextField(_("요약"), blank=True, max_length=4000)
    plan = models.TextField(_("사업 계획"), blank=True, max_length=20000)
    # Totals by source (AmountsBySource), in won: the sum of the budget lines, or as recorded by an import.

    status = models.CharField(_("상태"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(_("접수 경로"), max_length=16, choices=Source.choices, default=Source.WEB)
    eligibility = models.CharField(
        _("적격 여부"), max_length=16, choices=Eligibility.choices, default=Eligibility.UNCHECKED, blank=True
    )
    # The rules it breaks: [{"code": "government_share", "params": {...}}], rendered by programmes.rules.
    breaches = models.JSONField(_("위반 규칙"), default=list, blank=True)
    rules_revision = models.PositiveIntegerField(_("적용 규칙 차수"), null=True, blank=True)
    checked_at = models.DateTimeField(_("검토 일시"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("제출 일시"), null=True, blank=True, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("제출자"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("작성자"),
    )
    version = version_field()

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("신청서")
        verbose_name_plural = _("신청서")
        ordering = ["call", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["call", "ref"], name="application_ref_per_call"),
            models.CheckConstraint(
                condition=models.Q(government_krw__gte=0, firm_cash_krw__gte=0, firm_inkind_krw__gte=0),
                name="application_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"


class ApplicationBudgetLine(AmountsBySource):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("신청서")
    )
    category = models.ForeignKey(
        "programmes.CostCategory", on_delete=models.PROTECT, related_name="+", verbose_name=_("비목")
    )

    class Meta:
        verbose_name = _("비목별 예산")
        verbose_name_plural = _("비목별 예산")
        ordering = ["application", "category__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["application", "category"], name="budget_line_once"),
            models.CheckConstraint(
                condition=models.Q(government_krw__gte=0, firm_cash_krw__gte=0, firm_inkind_krw__gte=0),
                name="budget_line_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.category_id}"


class ApplicationRevision(models.Model):
    """A saved state of an application (every save of the draft, and the submission): nothing is lost."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("신청서")
    )
    number = models.PositiveIntegerField(_("차수"))
    snapshot = models.JSONField(_("내용"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("저장한 사람"),
    )
    saved_at = models.DateTimeField(_("저장 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("신청서 이력")
        verbose_name_plural = _("신청서 이력")
        ordering = ["application", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="application_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.number}"


class PrePlanningNote(models.Model):
    """A coordinator's pre-planning note (사전 기술기획) on a consortium or a topic (one of them at least).

    A note on a consortium carries into the consortium's application (one-to-one); a note on a topic into
    every application on that topic, for the readers of that application's notes. `application` is the
    application page the note was written on, when it was (older notes had only that: their consortium was
    filled from it by migration `0012_pre_planning`); `save()` fills the consortium from it.
    """

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pre_planning_notes",
        verbose_name=_("신청서"),
    )
    consortium = models.ForeignKey(
        Consortium,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pre_planning_notes",
        verbose_name=_("협력체"),
    )
    topic = models.ForeignKey(
        "programmes.Topic",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pre_planning_notes",
        verbose_name=_("과제"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("작성자"),
    )
    body = models.TextField(_("내용"), max_length=4000)
    created_at = models.DateTimeField(_("작성 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("사전 기술기획 메모")
        verbose_name_plural = _("사전 기술기획 메모")
        ordering = ["consortium", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consortium__isnull=False) | Q(topic__isnull=False),
                name="pre_planning_note_has_subject",
            )
        ]

    def __str__(self) -> str:
        return self.body[:40]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.consortium_id is None and self.application_id is not None:
            self.consortium_id = (
                Application.objects.filter(pk=self.application_id)
                .values_list("consortium_id", flat=True)
                .first()
            )
        super().save(*args, **kwargs)


def notes_for_application(application: Application) -> models.QuerySet[PrePlanningNote]:
    """The pre-planning notes that carry into `application`: its consortium's and its topic's."""
    condition = Q(consortium_id=application.consortium_id)
    if application.topic_id is not None:
        condition |= Q(topic_id=application.topic_id)
    return PrePlanningNote.objects.filter(condition)
