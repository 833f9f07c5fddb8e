"""Technology-partner matching (기술파트너 매칭): postings, the capability vocabulary, declared conflicts.

Stable names other code builds on (the posting pages `posting_views`, the review rule `review`, saved
searches `searches`/`search_views` and the introductions app build on these):

- `Posting` — one offer (기술 제공) or need (기술 수요) of a firm. `kind` is `Posting.Kind.OFFER` /
  `Posting.Kind.NEED`; the proxies `Offer` and `Need` filter by kind. Fields: firm, kind, title,
  description, keywords (list of str), industry (KSIC division, optional; the firm's own when empty),
  growth_engines (M2M GrowthEngine), expires_on, visibility (`coordinators` / `network` / `public`),
  review_status (`pending` / `approved` / `rejected`) with reviewed_by / reviewed_at / review_note,
  closed_at (withdrawn or fulfilled), created_by, created_at / updated_at.
  Analysis (filled by the background task `yunghap.matching.tasks.analyse_posting`, never by web workers):
  `terms` (the Kiwi terms of title + description + keywords), `analysed_at`, and `capabilities`
  (M2M Capability, the vocabulary entries found in the text).
  A posting is seen beyond coordinators only when `review_status == approved` (`effective_visibility`).
  Querysets: `Posting.objects.visible_to(user)`, `.open(on=date)` (not closed, not expired, firm active),
  `.offers()`, `.needs()`.
- `Capability` — the vocabulary staff keep: name, synonyms (Korean surface forms, list), english_terms
  (list), industries (M2M Industry: the KSIC divisions that usually hold it), description.
- `Conflict` — a firm names a competitor (`firm`, `competitor`, `note`); matching never puts the two
  together, in either direction.
- `FirmProfileAnalysis` — the analysed terms of a firm's profile technologies and products, which count
  as offers (one row per firm, refreshed by `analyse_firm_profile` when the profile text changes).

Services that change these live in `yunghap.matching.posting_services`; ranking in
`yunghap.matching.recommend`.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yunghap.accounts.scope import scope_of
from yunghap.core.models import TimeStampedModel

DESCRIPTION_MAX_LENGTH = 4000


class Capability(TimeStampedModel):
    """One entry of the capability vocabulary: what a firm can do, by all the names firms use for it."""

    name = models.CharField(_("역량명"), max_length=100, unique=True)
    synonyms = models.JSONField(_("한국어 동의어"), default=list, blank=True)
    english_terms = models.JSONField(_("영문 용어"), default=list, blank=True)
    industries = models.ManyToManyField(
        "network.Industry", verbose_name=_("관련 업종(KSIC 중분류)"), blank=True, related_name="capabilities"
    )
    description = models.CharField(_("설명"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("역량 어휘")
        verbose_name_plural = _("역량 어휘")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def surface_forms(self) -> list[str]:
        """Every way of writing this capability: its name, synonyms and English terms."""
        return [self.name, *self.synonyms, *self.english_terms]


class PostingQuerySet(models.QuerySet["Posting"]):
    def offers(self) -> PostingQuerySet:
        return self.filter(kind=Posting.Kind.OFFER)

    def needs(self) -> PostingQuerySet:
        return self.filter(kind=Posting.Kind.NEED)

    def open(self, on: datetime.date | None = None) -> PostingQuerySet:
        """Postings that can still be matched: not closed, not expired, of an active firm."""
        on = on or timezone.localdate()
        return self.filter(closed_at__isnull=True, expires_on__gte=on, firm__status="active")

    def visible_to(self, user: Any) -> PostingQuerySet:
        """Own firm's postings always; staff and coordinators those of the firms they see; other
        network members only approved postings shared with the network (or public)."""
        from yunghap.network.models import Firm

        scope = scope_of(user)
        if scope.central:
            return self.all()
        shared = Q(review_status=Posting.ReviewStatus.APPROVED)
        if not scope.has_network_access:
            return self.filter(shared, visibility=Posting.Visibility.PUBLIC)
        condition = Q(firm_id__in=scope.firm_ids)
        if scope.region_ids or scope.coordinator_group_ids or scope.officer_group_ids:
            managed = Firm.objects.visible_to(user).values("id")
            if scope.region_ids or scope.coordinator_group_ids:
                condition |= Q(firm_id__in=managed)
            else:
                # Group officers see their members' postings once shared, like any member.
                condition |= shared & Q(firm_id__in=managed)
        condition |= shared & Q(visibility__in=[Posting.Visibility.NETWORK, Posting.Visibility.PUBLIC])
        return self.filter(condition)


# A named manager class (not as_manager()) so that the proxies' managers below can subclass it.
PostingManager = models.Manager.from_queryset(PostingQuerySet)


class Posting(TimeStampedModel):
    class Kind(models.TextChoices):
        OFFER = "offer", _("기술 제공")
        NEED = "need", _("기술 수요")

    class Visibility(models.TextChoices):
        COORDINATORS = "coordinators", _("코디네이터만")
        NETWORK = "network", _("교류망 회원")
        PUBLIC = "public", _("공개")

    class ReviewStatus(models.TextChoices):
        PENDING = "pending", _("검토 대기")
        APPROVED = "approved", pgettext_lazy("state", "승인")
        REJECTED = "rejected", pgettext_lazy("state", "반려")

    firm = models.ForeignKey(
        "network.Firm", verbose_name=_("회원사"), on_delete=models.CASCADE, related_name="postings"
    )
    kind = models.CharField(_("구분"), max_length=8, choices=Kind.choices, db_index=True)
    title = models.CharField(_("제목"), max_length=200)
    description = models.TextField(
        _("내용"), blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)]
    )
    keywords = models.JSONField(_("키워드"), default=list, blank=True)
    industry = models.ForeignKey(
        "network.Industry",
        verbose_name=_("업종(KSIC 중분류)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="postings",
    )
    growth_engines = models.ManyToManyField(
        "programmes.GrowthEngine", verbose_name=_("신성장동력"), blank=True, related_name="postings"
    )
    expires_on = models.DateField(_("게시 기한"))
    visibility = models.CharField(
        _("공개 범위"), max_length=16, choices=Visibility.choices, default=Visibility.NETWORK
    )
    review_status = models.CharField(
        _("검토 상태"),
        max_length=16,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
        db_index=True,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("검토자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("검토 일시"), null=True, blank=True)
    review_note = models.CharField(_("검토 의견"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("마감 일시"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("등록자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Filled by the analysis task, never typed by users.
    terms = models.JSONField(_("분석 용어"), default=list, blank=True, editable=False)
    # A need's description of the seeker's own product ("…를 만드는데"): kept apart from what it seeks,
    # so that firms looking like the seeker's product are not ranked as its partners.
    own_terms = models.JSONField(_("자사 소개 용어"), default=list, blank=True, editable=False)
    analysed_at = models.DateTimeField(_("분석 일시"), null=True, blank=True, editable=False, db_index=True)
    capabilities = models.ManyToManyField(
        Capability, verbose_name=_("역량 태그"), blank=True, related_name="postings"
    )

    objects = PostingManager()

    class Meta:
        verbose_name = _("기술 제공·수요 게시글")
        verbose_name_plural = _("기술 제공·수요 게시글")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["firm", "kind", "expires_on"]),
            models.Index(fields=["review_status", "visibility"]),
        ]

    def __str__(self) -> str:
        return f"[{self.get_kind_display()}] {self.title}"

    @property
    def effective_visibility(self) -> str:
        """Visibility beyond coordinators only takes effect once a coordinator approved the posting."""
        if self.review_status != self.ReviewStatus.APPROVED:
            return self.Visibility.COORDINATORS
        return self.visibility

    def is_open(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.closed_at is None and self.expires_on >= on and self.firm.status == "active"

    @property
    def text(self) -> str:
        """The text analysed for matching."""
        return "\n".join([self.title, self.description, " ".join(self.keywords or [])])


class OfferManager(PostingManager["Posting"]):
    # Still a PostingQuerySet at runtime; django-stubs types from_queryset managers' get_queryset as QuerySet.
    def get_queryset(self) -> models.QuerySet[Posting]:
        return super().get_queryset().filter(kind=Posting.Kind.OFFER)


class NeedManager(PostingManager["Posting"]):
    # Still a PostingQuerySet at runtime; django-stubs types from_queryset managers' get_queryset as QuerySet.
    def get_queryset(self) -> models.QuerySet[Posting]:
        return super().get_queryset().filter(kind=Posting.Kind.NEED)


class Offer(Posting):
    objects: ClassVar[OfferManager] = OfferManager()

    class Meta:
        proxy = True
        verbose_name = _("기술 제공")
        verbose_name_plural = _("기술 제공")


class Need(Posting):
    objects: ClassVar[NeedManager] = NeedManager()

    class Meta:
        proxy = True
        verbose_name = _("기술 수요")
        verbose_name_plural = _("기술 수요")


class Conflict(TimeStampedModel):
    """A competitor a firm does not want to be introduced to (or introduced as a partner of)."""

    firm = models.ForeignKey(
        "network.Firm", verbose_name=_("회원사"), on_delete=models.CASCADE, related_name="conflicts"
    )
    competitor = models.ForeignKey(
        "network.Firm", verbose_name=_("경쟁사"), on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(_("사유"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("등록자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("경쟁사 제외")
        verbose_name_plural = _("경쟁사 제외")
        constraints = [
            models.UniqueConstraint(fields=["firm", "competitor"], name="unique_conflict"),
            models.CheckConstraint(condition=~Q(firm=models.F("competitor")), name="conflict_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.firm} ↔ {self.competitor}"


class FirmProfileAnalysis(models.Model):
    """Analysed terms of a firm's profile technologies and products (they count as offers)."""

    firm = models.OneToOneField(
        "network.Firm", verbose_name=_("회원사"), on_delete=models.CASCADE, related_name="profile_analysis"
    )
    source_hash = models.CharField(_("원문 해시"), max_length=64)
    terms = models.JSONField(_("분석 용어"), default=list, blank=True)
    analysed_at = models.DateTimeField(_("분석 일시"), db_index=True)

    class Meta:
        verbose_name = _("회원사 보유기술 분석")
        verbose_name_plural = _("회원사 보유기술 분석")

    def __str__(self) -> str:
        return str(self.firm)


class SavedSearchQuerySet(models.QuerySet["SavedSearch"]):
    def visible_to(self, user: Any) -> SavedSearchQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class SavedSearch(models.Model):
    """A search a firm user or coordinator keeps; new postings that match it are reported to them."""

    class Kind(models.TextChoices):
        ANY = "", _("제공·수요 모두")
        OFFER = "offer", _("기술 제공")
        NEED = "need", _("기술 수요")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("소유자"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("이름"), max_length=100)
    query = models.CharField(_("검색어"), max_length=200)
    kind = models.CharField(_("구분"), max_length=8, choices=Kind.choices, blank=True, default="")
    filters = models.JSONField(_("조건"), default=dict, blank=True)
    reported_postings = models.ManyToManyField(
        Posting, verbose_name=_("알린 게시물"), blank=True, related_name="+"
    )
    # The query's Kiwi terms, filled by a background task (web workers never load the analyser).
    terms = models.JSONField(_("분석 용어"), default=list, blank=True, editable=False)
    analysed_at = models.DateTimeField(_("분석 일시"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)
    last_checked_at = models.DateTimeField(_("마지막 확인일시"), null=True, blank=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("저장한 검색")
        verbose_name_plural = _("저장한 검색")
        ordering = ["-created_at", "-id"]
        # Moved from the introductions app without moving its rows (state-only migrations).
        db_table = "introductions_savedsearch"

    def __str__(self) -> str:
        return f"{self.owner} · {self.name}"
