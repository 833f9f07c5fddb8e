"""Staff manage accounts in the normal interface: who they see, what they may grant, and the changes.

Rules (one function each, called by the views and the services alike):
- `users_visible_to`: central staff see every account; regional staff see accounts holding at least one
  grant inside their federation (the federation itself, its groups, its firms). Of such an account they
  see and change only the grants inside their federation (`grants_visible_to`): nothing outside leaks.
- `can_grant(actor, role, target)`: central staff grant any role on a target of the right kind; regional
  staff grant group officer and coordinator on their region's groups and firm user on their region's firms.
  Staff roles (central, regional) and reviewers are granted by central staff only: staff see personal data
  of whole regions and must enrol a second factor, so the central federation keeps the list of who holds
  them, and a compromised regional account cannot mint more staff.
- `can_deactivate`: not oneself; central staff anyone else; regional staff only accounts all of whose
  grants they could grant themselves (so never central staff, another staff member, or a user who also
  holds a role elsewhere).
- `can_reset_second_factor`: central staff, for someone else.
Every change is one transaction with one audit row; the password-set mail leaves after the commit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from yunghap.core.audit import record_change
from yunghap.network.models import ExchangeGroup, Federation, Firm

from . import otp
from .models import ROLE_SCOPE_FIELD, Role, RoleGrant, User
from .scope import forget_scope, scope_of

TARGET_MODELS: dict[str, type[models.Model]] = {
    "federation": Federation,
    "group": ExchangeGroup,
    "firm": Firm,
}
# The roles regional staff may grant, and the target field whose federation must be theirs.
REGIONAL_GRANTABLE = {Role.GROUP_OFFICER: "group", Role.COORDINATOR: "group", Role.FIRM_USER: "firm"}


def can_manage_accounts(actor: Any) -> bool:
    return scope_of(actor).staff


def _in_region_q(region_ids: frozenset[int], prefix: str = "") -> models.Q:
    return (
        models.Q(**{f"{prefix}federation_id__in": region_ids})
        | models.Q(**{f"{prefix}group__federation_id__in": region_ids})
        | models.Q(**{f"{prefix}firm__federation_id__in": region_ids})
    )


def users_visible_to(actor: Any) -> models.QuerySet[User]:
    scope = scope_of(actor)
    if scope.central:
        return User.objects.all()
    if not scope.regional:
        return User.objects.none()
    in_region = RoleGrant.objects.filter(_in_region_q(scope.region_ids)).values("user_id")
    return User.objects.filter(pk__in=in_region)


def grants_visible_to(actor: Any) -> models.QuerySet[RoleGrant]:
    scope = scope_of(actor)
    if scope.central:
        return RoleGrant.objects.all()
    if not scope.regional:
        return RoleGrant.objects.none()
    return RoleGrant.objects.filter(_in_region_q(scope.region_ids))


def target_matches_role(role: str, target: Any) -> bool:
    """The role is granted on the kind of object it needs (nothing for central staff and reviewers)."""
    if role not in ROLE_SCOPE_FIELD:
        return False
    field = ROLE_SCOPE_FIELD[role]
    if field is None:
        return target is None
    if not isinstance(target, TARGET_MODELS[field]):
        return False
    if role == Role.REGIONAL_STAFF:
        return bool(getattr(target, "level", None) == Federation.Level.REGIONAL)
    return True


def can_grant(actor: Any, role: str, target: Any) -> bool:
    """May `actor` grant (or revoke) `role` on `target` (a federation, group, firm or None)?"""
    if not target_matches_role(role, target):
        return False
    scope = scope_of(actor)
    if scope.central:
        return True
    if not scope.regional or role not in REGIONAL_GRANTABLE:
        return False
    return bool(target.federation_id in scope.region_ids)


def grant_target(grant: RoleGrant) -> Any:
    return grant.federation or grant.group or grant.firm


def can_change_account(actor: Any, user: User) -> bool:
    """Changes to an account the actor sees: never one's own (nobody raises or removes their own rights)."""
    return can_manage_accounts(actor) and user.pk != actor.pk


def can_revoke(actor: Any, grant: RoleGrant) -> bool:
    return can_change_account(actor, grant.user) and can_grant(actor, grant.role, grant_target(grant))


def can_deactivate(actor: Any, user: User) -> bool:
    if not can_change_account(actor, user):
        return False
    if scope_of(actor).central:
        return True
    if user.is_superuser:
        return False
    grants = list(user.grants.select_related("federation", "group", "firm"))
    return bool(grants) and all(can_grant(actor, g.role, grant_target(g)) for g in grants)


def can_reset_second_factor(actor: Any, user: User) -> bool:
    return scope_of(actor).central and user.pk != actor.pk


# --- services ---------------------------------------------------------------------------------------


def create_user(
    *,
    actor: Any,
    username: str,
    name: str,
    email: str,
    role: str,
    target: Any,
    site_url: str,
) -> User:
    """A new account with its first role (so the creator keeps seeing it) and no password: the user sets
    one through the link mailed after the commit."""
    if not can_grant(actor, role, target):
        raise PermissionDenied(_("이 역할을 부여할 권한이 없습니다."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("이미 사용 중인 아이디입니다.")})
    with transaction.atomic():
        user = User(username=username, name=name.strip(), email=email)
        user.set_unusable_password()
        try:
            user.save()
        except IntegrityError as error:  # a parallel create of the same username
            raise ValidationError({"username": _("이미 사용 중인 아이디입니다.")}) from error
        grant = _new_grant(user, role, target)
        record_change(
            actor,
            "user_create",
            user,
            {"username": username, "email": email, "role": role, "target": _target_label(grant)},
        )
        transaction.on_commit(lambda: send_password_set_mail(user, site_url=site_url))
    return user


def grant_role(user: User, *, actor: Any, role: str, target: Any) -> RoleGrant:
    if not (can_change_account(actor, user) and can_grant(actor, role, target)):
        raise PermissionDenied(_("이 역할을 부여할 권한이 없습니다."))
    with transaction.atomic():
        grant = _new_grant(user, role, target)
        record_change(actor, "role_grant", user, {"role": role, "target": _target_label(grant)})
    forget_scope(user)
    return grant


def revoke_grant(grant: RoleGrant, *, actor: Any) -> None:
    if not can_revoke(actor, grant):
        raise PermissionDenied(_("이 역할을 회수할 권한이 없습니다."))
    user = grant.user
    with transaction.atomic():
        details = {"role": grant.role, "target": _target_label(grant), "grant_id": grant.pk}
        grant.delete()
        record_change(actor, "role_revoke", user, details)
    forget_scope(user)


def deactivate_user(user: User, *, actor: Any) -> None:
    if not can_deactivate(actor, user):
        raise PermissionDenied(_("이 계정을 비활성화할 권한이 없습니다."))
    if not user.is_active:
        raise ValidationError(_("이미 비활성화된 계정입니다."))
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        record_change(actor, "user_deactivate", user, {"is_active": [True, False]})


def reactivate_user(user: User, *, actor: Any) -> None:
    if not can_deactivate(actor, user):
        raise PermissionDenied(_("이 계정을 다시 활성화할 권한이 없습니다."))
    if user.is_active:
        raise ValidationError(_("이미 활성 상태인 계정입니다."))
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True
        record_change(actor, "user_reactivate", user, {"is_active": [False, True]})


def reset_user_second_factor(user: User, *, actor: Any) -> int:
    if not can_reset_second_factor(actor, user):
        raise PermissionDenied(_("2단계 인증을 초기화할 권한이 없습니다."))
    return otp.reset_second_factor(user, actor=actor)


def _new_grant(user: User, role: str, target: Any) -> RoleGrant:
    field = ROLE_SCOPE_FIELD[role]
    grant = RoleGrant(user=user, role=role, **({field: target} if field else {}))
    grant.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    if RoleGrant.objects.filter(user=user, role=role, **({field: target} if field else {})).exists():
        raise ValidationError(_("이미 부여된 역할입니다."))
    try:
        with transaction.atomic():
            grant.save()
    except IntegrityError as error:  # the unique constraints catch a parallel grant of the same role
        raise ValidationError(_("이미 부여된 역할입니다.")) from error
    return grant


def _target_label(grant: RoleGrant) -> str:
    target = grant_target(grant)
    return str(target) if target is not None else ""


def password_set_url(user: User) -> str:
    """The path of the password-set page for this user, with Django's reset token (valid for
    PASSWORD_RESET_TIMEOUT; it stops working once a password is set)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})


def send_password_set_mail(user: User, *, site_url: str) -> None:
    if not user.email:
        return
    link = site_url.rstrip("/") + password_set_url(user)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        _send_password_set_mail(user, link)


def _send_password_set_mail(user: User, link: str) -> None:
    send_mail(
        subject=_("[융합] 계정이 만들어졌습니다 — 비밀번호를 정해 주세요"),
        message=_(
            "%(name)s 님, 융합 이업종교류 정보망 계정(아이디 %(username)s)이 만들어졌습니다.\n\n"
            "아래 주소에서 비밀번호를 정한 뒤 로그인하세요. 주소는 %(days)d일 동안, 한 번만 쓸 수 있습니다.\n"
            "%(link)s\n\n"
            "요청한 적이 없다면 이 메일을 무시하세요."
        )
        % {
            "name": user.get_full_name() or user.username,
            "username": user.username,
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "link": link,
        },
        from_email=None,
        recipient_list=[user.email],
    )
