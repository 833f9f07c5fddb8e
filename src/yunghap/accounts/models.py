"""Users and their role grants. A role is a stable code; only its label is translated."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CENTRAL_STAFF = "central_staff", _("중앙회 직원")
    REGIONAL_STAFF = "regional_staff", _("지역연합회 직원")
    GROUP_OFFICER = "group_officer", _("교류회 임원(회장·총무)")
    FIRM_USER = "firm_user", _("회원사 담당자")
    COORDINATOR = "coordinator", _("코디네이터")
    REVIEWER = "reviewer", _("평가위원")


# Which scope object each role is granted on; `None` means the whole network.
ROLE_SCOPE_FIELD: dict[str, str | None] = {
    Role.CENTRAL_STAFF: None,
    Role.REGIONAL_STAFF: "federation",
    Role.GROUP_OFFICER: "group",
    Role.FIRM_USER: "firm",
    Role.COORDINATOR: "group",
    Role.REVIEWER: None,
}


class User(AbstractUser):
    """A person with an account. Their name is one field, written as they write it ("김혜민", "Jane Doe"):
    Korean names put the family name first with no space, so first and last names are not kept apart."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    name = models.CharField(_("이름"), max_length=150, blank=True)
    language = models.CharField(
        _("알림 언어"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="ko",
        help_text=_("알림 메일을 이 언어로 보냅니다."),
    )

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("사용자")
        verbose_name_plural = _("사용자")

    def get_full_name(self) -> str:
        return self.name.strip()

    def get_short_name(self) -> str:
        return self.name.strip()

    @property
    def display_name(self) -> str:
        """The name, or the login id for an account without one."""
        return self.get_full_name() or self.get_username()


class RoleGrant(models.Model):
    user = models.ForeignKey(User, verbose_name=_("사용자"), on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("역할"), max_length=32, choices=Role.choices)
    federation = models.ForeignKey(
        "network.Federation", verbose_name=_("연합회"), null=True, blank=True, on_delete=models.CASCADE
    )
    group = models.ForeignKey(
        "network.ExchangeGroup", verbose_name=_("교류회"), null=True, blank=True, on_delete=models.CASCADE
    )
    firm = models.ForeignKey(
        "network.Firm", verbose_name=_("회원사"), null=True, blank=True, on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(_("부여일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("역할 부여")
        verbose_name_plural = _("역할 부여")
        constraints = [
            # Scope columns are nullable, so uniqueness is per scope kind.
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(federation__isnull=True, group__isnull=True, firm__isnull=True),
                name="unique_unscoped_grant",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "federation"],
                condition=models.Q(federation__isnull=False),
                name="unique_federation_grant",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "group"],
                condition=models.Q(group__isnull=False),
                name="unique_group_grant",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "firm"],
                condition=models.Q(firm__isnull=False),
                name="unique_firm_grant",
            ),
        ]

    def __str__(self) -> str:
        target = self.federation or self.group or self.firm
        return f"{self.user} · {self.get_role_display()}" + (f" · {target}" if target else "")

    def clean(self) -> None:
        wanted = ROLE_SCOPE_FIELD.get(self.role)
        given = {name for name in ("federation", "group", "firm") if getattr(self, f"{name}_id")}
        if wanted is None and given:
            raise ValidationError(_("이 역할은 범위를 지정하지 않습니다."))
        if wanted is not None and given != {wanted}:
            labels = {"federation": _("연합회"), "group": _("교류회"), "firm": _("회원사")}
            raise ValidationError(_("이 역할에는 %(field)s만 지정해야 합니다.") % {"field": labels[wanted]})
        if (
            self.role == Role.REGIONAL_STAFF
            and self.federation is not None
            and self.federation.level != "regional"
        ):
            raise ValidationError(_("지역연합회 직원은 지역연합회에만 부여할 수 있습니다."))


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, on: Any = None) -> ApiTokenQuerySet:
        """Tokens that open the API today: not revoked, not past their expiry, of an active user."""
        from django.utils import timezone

        today = on or timezone.localdate()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today)
        )


class ApiToken(models.Model):
    """A personal REST API token (/api/v1/). Only the SHA-256 digest is kept: the token itself is shown once,
    when it is made. It acts as its user, with that user's current scope; writing needs `can_write`."""

    user = models.ForeignKey(
        User, verbose_name=_("사용자"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("이름"), max_length=100, blank=True, help_text=_("어디에 쓰는 토큰인지"))
    # The first characters, shown in lists so that a user can tell their tokens apart.
    prefix = models.CharField(_("앞자리"), max_length=12)
    digest = models.CharField(_("해시"), max_length=64, unique=True)
    can_write = models.BooleanField(_("쓰기 허용"), default=False)
    expires_on = models.DateField(
        _("만료일"), null=True, blank=True, help_text=_("이 날까지 쓸 수 있습니다.")
    )
    # One IP address or CIDR range per line; empty = any address.
    allowed_addresses = models.TextField(_("허용 IP"), blank=True)
    created_at = models.DateTimeField(_("발급일시"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("발급자"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("폐기일시"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 토큰")
        verbose_name_plural = _("API 토큰")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def address_list(self) -> list[str]:
        return [line.strip() for line in self.allowed_addresses.splitlines() if line.strip()]
