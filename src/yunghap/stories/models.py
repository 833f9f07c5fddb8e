"""Success stories (성공사례, plan item 7): a closed consortium with a good result, told for others to learn.

A story starts pre-filled from the records (`facts`, via `programmes.chain.chain_of`), staff write the text,
every member firm consents in the interface, and only then may it be published. Its states and who may move
them are the table in `stories/workflow.py`, enforced in `stories/services.py` only. The search fields
(growth engine, region, the members' industries, the groups' exchange types) are copied from the records
when the story starts, so the public list never reads another app's scoped data.
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


class StoryState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("story state", "작성 중")
    AWAITING_CONSENT = "awaiting_consent", pgettext_lazy("story state", "동의 대기")
    PUBLISHED = "published", pgettext_lazy("story state", "게시")
    WITHDRAWN = "withdrawn", pgettext_lazy("story state", "철회")


class SuccessStoryQuerySet(models.QuerySet["SuccessStory"]):
    def published(self) -> SuccessStoryQuerySet:
        """What the public sees: published stories only."""
        return self.filter(state=StoryState.PUBLISHED)

    def visible_to(self, user: Any) -> SuccessStoryQuerySet:
        """The staff view: central staff all; regional staff those of their region (read only); a firm's
        users the stories of consortia their firm is an accepted member of, and of the exchange groups it is
        a current member of (to read and consent)."""
        scope = scope_of(user)
        if scope.central:
            return self.all()
        if not scope.authenticated:
            return self.none()
        from yunghap.programmes.models import ConsortiumMember

        condition = Q(pk__in=[])
        if scope.region_ids:
            condition |= Q(region_id__in=scope.region_ids)
        if scope.firm_ids:
            places = ConsortiumMember.objects.filter(
                firm_id__in=scope.firm_ids, state=ConsortiumMember.State.ACCEPTED
            )
            condition |= Q(agreement__application__consortium__in=places.values("consortium_id"))
            from yunghap.network.models import Membership

            groups = Membership.objects.giving_access().filter(firm_id__in=scope.firm_ids)
            condition |= Q(group__in=groups.values("group_id"))
        return self.filter(condition)


class SuccessStory(TimeStampedModel):
    # What the story tells: a consortium's agreement, or an exchange group's achievement (a competition's
    # award, issue 11 §5); exactly one of them.
    agreement = models.ForeignKey(
        "programmes.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="success_stories",
        verbose_name=_("협약"),
    )
    group = models.ForeignKey(
        "network.ExchangeGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="success_stories",
        verbose_name=_("교류회"),
    )
    title = models.CharField(_("제목"), max_length=200)
    summary = models.TextField(_("요약"), max_length=1000, blank=True)
    body = models.TextField(pgettext_lazy("story", "본문"), max_length=20000)
    state = models.CharField(
        _("상태"), max_length=20, choices=StoryState.choices, default=StoryState.DRAFT, db_index=True
    )
    # The records at the start (members and industries, topic, growth engine, money, results, groups,
    # introductions): what the story is about, shown beside the text; never a person's name or contact.
    facts = models.JSONField(_("기록 요약"), default=dict)
    # Search fields, copied from the records when the story starts.
    growth_engine = models.ForeignKey(
        "programmes.GrowthEngine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("신성장동력"),
    )
    region = models.ForeignKey(
        "network.Federation", on_delete=models.PROTECT, related_name="+", verbose_name=_("지역연합회")
    )
    industries = models.ManyToManyField(
        "network.Industry", blank=True, related_name="+", verbose_name=_("참여기업 업종")
    )
    exchange_types = models.ManyToManyField(
        "network.ExchangeType", blank=True, related_name="+", verbose_name=_("교류 유형")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("작성자"),
    )
    published_at = models.DateTimeField(_("게시 일시"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("철회 일시"), null=True, blank=True)
    version = version_field()

    objects = SuccessStoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("성공사례")
        verbose_name_plural = _("성공사례")
        ordering = ["-published_at", "-id"]
        constraints = [
            # One story per consortium at a time: a withdrawn one may be followed by a new one.
            models.UniqueConstraint(
                fields=["agreement"], condition=~Q(state="withdrawn"), name="story_one_per_agreement"
            ),
            models.CheckConstraint(
                condition=Q(agreement__isnull=False, group__isnull=True)
                | Q(agreement__isnull=True, group__isnull=False),
                name="story_of_agreement_or_group",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def member_firm_ids(self) -> list[int]:
        return [int(m["firm_id"]) for m in self.facts.get("members", [])]


class StoryConsent(models.Model):
    """A member firm's consent to publish the story as it stands (given by one of the firm's users)."""

    story = models.ForeignKey(
        SuccessStory, on_delete=models.CASCADE, related_name="consents", verbose_name=_("성공사례")
    )
    firm = models.ForeignKey(
        "network.Firm", on_delete=models.PROTECT, related_name="+", verbose_name=_("기업")
    )
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("동의한 사람"),
    )
    consented_at = models.DateTimeField(_("동의 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("성공사례 게시 동의")
        verbose_name_plural = _("성공사례 게시 동의")
        ordering = ["story", "consented_at", "id"]
        constraints = [models.UniqueConstraint(fields=["story", "firm"], name="story_consent_once")]

    def __str__(self) -> str:
        return f"{self.story_id} · {self.firm_id}"
