"""The database of the network (plan item 1): federations, exchange groups, member firms, memberships, KSIC.

Visibility lives here, on the querysets: `visible_to(user)` is the only way views and the API list or
fetch these objects (architecture principle 2).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yunghap.accounts.scope import scope_of
from yunghap.core.i18n import BilingualName
from yunghap.core.models import TimeStampedModel
from yunghap.core.validators import format_brn, validate_brn
from yunghap.core.versions import version_field


class Federation(BilingualName, models.Model):
    class Level(models.TextChoices):
        CENTRAL = "central", _("중앙회")
        REGIONAL = "regional", _("지역연합회")

    code = models.SlugField(_("코드"), max_length=32, unique=True)
    name = models.CharField(_("명칭"), max_length=100)
    name_en = models.CharField(_("영문 명칭"), max_length=100, blank=True)
    level = models.CharField(_("구분"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("상위 연합회"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    provinces = models.CharField(_("관할 시·도"), max_length=200, blank=True, help_text=_("';'로 구분"))
    sort_order = models.PositiveSmallIntegerField(_("정렬 순서"), default=0)

    class Meta:
        verbose_name = _("연합회")
        verbose_name_plural = _("연합회")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.display_name


class IndustrySection(BilingualName, models.Model):
    """KSIC-10 section (대분류), A–U."""

    code = models.CharField(_("대분류 코드"), max_length=1, unique=True)
    name = models.CharField(_("대분류명"), max_length=100)
    name_en = models.CharField(_("영문 대분류명"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("산업 대분류")
        verbose_name_plural = _("산업 대분류")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"


class Industry(BilingualName, models.Model):
    """KSIC-10 division (중분류, 2 digits): the unit in which a group's cross-industry make-up is counted."""

    code = models.CharField(_("중분류 코드"), max_length=2, unique=True)
    name = models.CharField(_("중분류명"), max_length=100)
    name_en = models.CharField(_("영문 중분류명"), max_length=200, blank=True)
    section = models.ForeignKey(
        IndustrySection, verbose_name=_("대분류"), on_delete=models.PROTECT, related_name="divisions"
    )

    class Meta:
        verbose_name = _("업종(KSIC 중분류)")
        verbose_name_plural = _("업종(KSIC 중분류)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"


class ExchangeType(BilingualName, models.Model):
    """정보교환형 / 자원협력형 / 신제품개발형. Stable codes; a group can have several."""

    INFO = "info"
    RESOURCE = "resource"
    NEWPRODUCT = "newproduct"

    code = models.SlugField(_("코드"), max_length=32, unique=True)
    name = models.CharField(_("명칭"), max_length=50)
    name_en = models.CharField(_("영문 명칭"), max_length=50, blank=True)
    description = models.CharField(_("설명"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("정렬 순서"), default=0)

    class Meta:
        verbose_name = _("교류 유형")
        verbose_name_plural = _("교류 유형")
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.display_name


class ExchangeGroupQuerySet(models.QuerySet["ExchangeGroup"]):
    def visible_to(self, user: Any) -> ExchangeGroupQuerySet:
        scope = scope_of(user)
        if scope.central:
            return self.all()
        if not scope.has_network_access:
            return self.none()
        condition = Q(federation_id__in=scope.region_ids) | Q(
            id__in=scope.officer_group_ids | scope.coordinator_group_ids
        )
        if scope.firm_ids:
            # Only the groups the firm belongs to now: a firm that left no longer sees their pages.
            condition |= Q(
                id__in=Membership.objects.giving_access()
                .filter(firm_id__in=scope.firm_ids)
                .values("group_id")
            )
        return self.filter(condition)


class ExchangeGroup(TimeStampedModel):
    class Kind(models.TextChoices):
        UNIT = "unit", _("단위교류회")
        PROJECT = "project", _("프로젝트 교류회")

    class Status(models.TextChoices):
        ACTIVE = "active", _("활동")
        DORMANT = "dormant", _("휴면")
        DISSOLVED = "dissolved", _("해산")

    code = models.SlugField(_("교류회 코드"), max_length=32, unique=True)
    name = models.CharField(_("교류회명"), max_length=100)
    version = version_field()
    federation = models.ForeignKey(
        Federation,
        verbose_name=_("지역연합회"),
        on_delete=models.PROTECT,
        related_name="groups",
        limit_choices_to={"level": Federation.Level.REGIONAL},
    )
    kind = models.CharField(_("구분"), max_length=16, choices=Kind.choices, default=Kind.UNIT)
    founded_on = models.DateField(_("창립일"), null=True, blank=True)
    exchange_types = models.ManyToManyField(
        ExchangeType, verbose_name=_("교류 유형"), blank=True, related_name="groups"
    )
    status = models.CharField(
        _("상태"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    description = models.TextField(_("소개"), blank=True)

    objects = ExchangeGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("교류회")
        verbose_name_plural = _("교류회")
        ordering = ["federation__sort_order", "name"]
        indexes = [models.Index(fields=["federation", "status", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def founded_year(self) -> int | None:
        return self.founded_on.year if self.founded_on else None


class FirmQuerySet(models.QuerySet["Firm"]):
    def visible_to(self, user: Any) -> FirmQuerySet:
        scope = scope_of(user)
        if scope.central:
            return self.all()
        if not scope.has_network_access:
            return self.none()
        group_scope = scope.officer_group_ids | scope.coordinator_group_ids
        # Firms of other regions are in scope while they are members of the user's groups, not after.
        members = (
            Membership.objects.giving_access()
            .filter(Q(group__federation_id__in=scope.region_ids) | Q(group_id__in=group_scope))
            .values("firm_id")
        )
        condition = Q(id__in=scope.firm_ids) | Q(federation_id__in=scope.region_ids)
        if scope.region_ids or group_scope:
            condition |= Q(id__in=members)
        return self.filter(condition)


class Firm(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("정상")
        CLOSED = "closed", _("폐업")

    brn = models.CharField(_("사업자등록번호"), max_length=10, unique=True, validators=[validate_brn])
    name = models.CharField(_("기업명"), max_length=100, db_index=True)
    version = version_field()
    representative = models.CharField(_("대표자"), max_length=50, blank=True)
    phone = models.CharField(_("전화번호"), max_length=20, blank=True)
    email = models.EmailField(_("이메일"), blank=True)
    address = models.CharField(_("주소"), max_length=200, blank=True)
    federation = models.ForeignKey(
        Federation,
        verbose_name=_("지역"),
        on_delete=models.PROTECT,
        related_name="firms",
        limit_choices_to={"level": Federation.Level.REGIONAL},
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("업종(KSIC 중분류)"), on_delete=models.PROTECT, related_name="firms"
    )
    # Korean firms often carry several industry codes (`26;62`): `industry` is the main one (it counts in a
    # group's make-up), these are the others, what the firm can also do (matching reads them).
    secondary_industries = models.ManyToManyField(
        Industry, verbose_name=_("부 업종(KSIC 중분류)"), blank=True, related_name="secondary_firms"
    )
    employees = models.PositiveIntegerField(_("종업원 수"), null=True, blank=True)
    revenue_krw = models.BigIntegerField(
        _("매출액(원)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    founded_on = models.DateField(_("설립일"), null=True, blank=True)
    technologies = models.JSONField(_("보유 기술"), default=list, blank=True)
    products = models.JSONField(_("주요 제품"), default=list, blank=True)
    status = models.CharField(_("상태"), max_length=16, choices=Status.choices, default=Status.ACTIVE)

    objects = FirmQuerySet.as_manager()

    # Personal data of people (개인정보): masked for those who do not need it, access logged.
    PERSONAL_FIELDS = ("representative", "phone", "email")

    class Meta:
        verbose_name = _("회원사")
        verbose_name_plural = _("회원사")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["federation", "industry"])]

    def __str__(self) -> str:
        return self.name

    @property
    def brn_display(self) -> str:
        return format_brn(self.brn)

    @property
    def size_class(self) -> str:
        """Size band by head count (소상공인 <10, 소기업 <50, 중기업 <300, 그 외 중견 이상)."""
        return size_class_of(self.employees)


SIZE_CLASSES = [
    ("micro", _("소상공인(10인 미만)"), 0, 10),
    ("small", _("소기업(10~49인)"), 10, 50),
    ("medium", _("중기업(50~299인)"), 50, 300),
    ("large", _("중견 이상(300인 이상)"), 300, None),
]


def size_class_of(employees: int | None) -> str:
    if employees is None:
        return ""
    for code, _label, low, high in SIZE_CLASSES:
        if employees >= low and (high is None or employees < high):
            return code
    return ""


class MembershipQuerySet(models.QuerySet["Membership"]):
    def visible_to(self, user: Any) -> MembershipQuerySet:
        """A membership is visible with its group: a group's member list is one of its shared pages."""
        scope = scope_of(user)
        if scope.central:
            return self.all()
        return self.filter(group__in=ExchangeGroup.objects.visible_to(user))

    def giving_access(self, on: datetime.date | None = None) -> MembershipQuerySet:
        """The memberships that give rights today: current ones, and those that ended less than
        `MEMBERSHIP_GRACE_DAYS` ago. Scope, personal-data and edit rights come from these, never from
        memberships of any date (architecture principle 10)."""
        on = on or timezone.localdate()
        grace = datetime.timedelta(days=settings.MEMBERSHIP_GRACE_DAYS)
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=on - grace), joined_on__lte=on)

    def current(self, on: datetime.date | None = None) -> MembershipQuerySet:
        """Members on a date (today by default): joined on or before it and not yet left."""
        on = on or timezone.localdate()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=on), joined_on__lte=on)


class Membership(TimeStampedModel):
    """A firm's membership of a group over a period. Kept after leaving: it counts for the months it ran."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("회장")
        SECRETARY = "secretary", _("총무")
        MEMBER = "member", _("회원")

    group = models.ForeignKey(
        ExchangeGroup, verbose_name=_("교류회"), on_delete=models.CASCADE, related_name="memberships"
    )
    firm = models.ForeignKey(
        Firm, verbose_name=_("회원사"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("직책"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("가입일"))
    left_on = models.DateField(_("탈퇴일"), null=True, blank=True)
    version = version_field()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("회원 가입 이력")
        verbose_name_plural = _("회원 가입 이력")
        ordering = ["group", "-joined_on"]
        constraints = [
            models.UniqueConstraint(fields=["group", "firm", "joined_on"], name="unique_membership_period"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "left_on"]),
            models.Index(fields=["firm", "left_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.firm} ({self.get_role_display()})"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.joined_on <= on and (self.left_on is None or self.left_on > on)


class MembershipRequestQuerySet(models.QuerySet["MembershipRequest"]):
    def visible_to(self, user: Any) -> MembershipRequestQuerySet:
        """Incoming: requests for the user's own firm or a firm of their federation (they decide them).
        Outgoing: requests of the groups the user keeps (they sent them and may withdraw them)."""
        scope = scope_of(user)
        if scope.central:
            return self.all()
        if not (scope.firm_ids or scope.region_ids or scope.officer_group_ids):
            return self.none()
        return self.filter(self.incoming_condition(user) | self.outgoing_condition(user))

    @staticmethod
    def incoming_condition(user: Any) -> Q:
        scope = scope_of(user)
        if scope.central:
            return Q()
        firms = Firm.objects.filter(Q(id__in=scope.firm_ids) | Q(federation_id__in=scope.region_ids))
        return Q(brn__in=firms.values("brn"))

    @staticmethod
    def outgoing_condition(user: Any) -> Q:
        scope = scope_of(user)
        if scope.central:
            return Q()
        return Q(group__federation_id__in=scope.region_ids) | Q(group_id__in=scope.officer_group_ids)


class MembershipRequest(TimeStampedModel):
    """A group asks a firm outside its keepers' scope to join (가입 요청); the firm's own user or its
    federation's staff accept or decline. It names a business registration number, not a firm: whoever
    sends it learns nothing about whether that firm is registered, or where."""

    class State(models.TextChoices):
        PENDING = "pending", _("대기")
        ACCEPTED = "accepted", pgettext_lazy("state", "수락")
        DECLINED = "declined", pgettext_lazy("state", "거절")
        WITHDRAWN = "withdrawn", _("철회")

    group = models.ForeignKey(
        ExchangeGroup, verbose_name=_("교류회"), on_delete=models.CASCADE, related_name="membership_requests"
    )
    brn = models.CharField(_("사업자등록번호"), max_length=10, validators=[validate_brn], db_index=True)
    role = models.CharField(
        _("직책"), max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    joined_on = models.DateField(_("가입일"))
    state = models.CharField(_("상태"), max_length=16, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("요청자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("처리자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("처리일시"), null=True, blank=True)
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("가입 이력"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MembershipRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("가입 요청")
        verbose_name_plural = _("가입 요청")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "brn"],
                condition=Q(state="pending"),
                name="one_pending_request_per_group_brn",
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} · {format_brn(self.brn)} ({self.get_state_display()})"

    @property
    def brn_display(self) -> str:
        return format_brn(self.brn)


# --- the public directory (issue 12 §3) -----------------------------------------------------------------

PUBLIC_ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PUBLIC_ID_LENGTH = 12


def new_public_id() -> str:
    """An opaque identifier for a firm's public card: random, never derived from the BRN or the pk."""
    import secrets

    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _n in range(PUBLIC_ID_LENGTH))


class FirmListingQuerySet(models.QuerySet["FirmListing"]):
    def listed(self) -> FirmListingQuerySet:
        return self.filter(consented=True, firm__status=Firm.Status.ACTIVE)


class FirmListing(models.Model):
    """A firm's consent to be listed in the public directory (공개 동의), revocable.

    One row per firm, made the first time its user decides; withdrawing keeps the row (and its public id,
    so a firm that consents again gets the same address). Every change has an audit row
    (`directory_services.set_listing_consent`), which is the consent's history."""

    firm = models.OneToOneField(
        Firm, verbose_name=_("회원사"), on_delete=models.CASCADE, related_name="listing"
    )
    public_id = models.SlugField(_("공개 식별자"), max_length=16, unique=True, default=new_public_id)
    consented = models.BooleanField(_("공개 동의"), default=False, db_index=True)
    changed_at = models.DateTimeField(_("변경 일시"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("변경자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FirmListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("기업 공개 동의")
        verbose_name_plural = _("기업 공개 동의")

    def __str__(self) -> str:
        return f"{self.firm} ({'공개' if self.consented else '비공개'})"
