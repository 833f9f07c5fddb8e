"""The demo logins: one per role, scoped to real objects of the demo network, sharing one password."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count

from yunghap.accounts.models import Role, RoleGrant, User

from .demo import DEMO_AS_OF, DEMO_PASSWORD, DEMO_USERNAMES
from .models import ExchangeGroup, Federation, FirmListing, Membership


@dataclass
class DemoLogin:
    username: str
    role: str
    scope: str


@transaction.atomic
def create_demo_users(password: str = DEMO_PASSWORD) -> list[DemoLogin]:
    """One login per role, scoped to real objects of the demo network."""
    seoul = Federation.objects.get(code="seoul")
    today = DEMO_AS_OF
    seoul_groups = list(
        ExchangeGroup.objects.filter(federation=seoul, status=ExchangeGroup.Status.ACTIVE).order_by("code")
    )
    officer_group = seoul_groups[0]
    current = Membership.objects.current(today).select_related("firm")
    chair = current.get(group=officer_group, role=Membership.Role.CHAIR).firm
    # The firm user's firm belongs to the officer's group and to a second group, so its history shows both.
    members = list(current.filter(group=officer_group, role=Membership.Role.MEMBER).order_by("firm__brn"))
    counts = dict(
        current.filter(firm__in=[m.firm for m in members]).values_list("firm_id").annotate(n=Count("id"))
    )
    members.sort(key=lambda m: (-counts.get(m.firm_id, 0), m.firm.brn))
    firm = members[0].firm
    # The coordinator looks after the firm user's groups (so the firm's needs, requests and introductions
    # reach a coordinator one can sign in as), one more Seoul group and one in Gyeonggi.
    firm_groups = list(
        ExchangeGroup.objects.filter(
            id__in=current.filter(firm=firm).values("group_id"), status=ExchangeGroup.Status.ACTIVE
        ).order_by("code")
    )
    others = [g for g in seoul_groups[1:] if g not in firm_groups][:1] + list(
        ExchangeGroup.objects.filter(federation__code="gyeonggi", status=ExchangeGroup.Status.ACTIVE)
        .exclude(id__in=[g.id for g in firm_groups])
        .order_by("code")[:1]
    )
    coordinated = [*firm_groups, *others]

    hashed = make_password(password)  # hashed once: six PBKDF2 runs would cost seconds
    # Names as written, family name first (the chair and the firm user are their firms' representatives).
    specs: list[tuple[str, str, bool]] = [
        ("central", "정민호", True),
        ("seoul", "한지수", False),
        ("officer", chair.representative, False),
        ("firm", firm.representative, False),
        ("coordinator", "김혜민", False),
        ("reviewer", "이도윤", False),
    ]
    # After `demo --reset` the logins are kept (their access-log rows protect them) and set up anew.
    existing = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    RoleGrant.objects.filter(user__in=existing.values()).delete()
    for username, name, is_staff in specs:
        user = existing.get(username) or User(username=username)
        user.name, user.is_staff = name, is_staff
        user.email, user.password, user.is_active = f"{username}@demo.yunghap.example", hashed, True
        existing[username] = user
    User.objects.bulk_create([u for u in existing.values() if u.pk is None])
    User.objects.bulk_update(
        [u for u in existing.values() if u.pk is not None],
        ["name", "is_staff", "email", "password", "is_active"],
    )
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    grants = [
        RoleGrant(user=users["central"], role=Role.CENTRAL_STAFF),
        RoleGrant(user=users["seoul"], role=Role.REGIONAL_STAFF, federation=seoul),
        RoleGrant(user=users["officer"], role=Role.GROUP_OFFICER, group=officer_group),
        RoleGrant(user=users["firm"], role=Role.FIRM_USER, firm=firm),
        *[RoleGrant(user=users["coordinator"], role=Role.COORDINATOR, group=g) for g in coordinated],
        RoleGrant(user=users["reviewer"], role=Role.REVIEWER),
    ]
    RoleGrant.objects.bulk_create(grants)
    # The firm login's firm has not consented to the public directory yet: its user can try consenting
    # (/directory/mine/); the chair's firm has, so the officer's group shows a listed member.
    FirmListing.objects.filter(firm=firm).update(consented=False)
    FirmListing.objects.filter(firm=chair).update(consented=True)
    return [
        DemoLogin("central", Role.CENTRAL_STAFF, "전체 (관리자 화면 포함)"),
        DemoLogin("seoul", Role.REGIONAL_STAFF, seoul.name),
        DemoLogin(
            "officer", Role.GROUP_OFFICER, f"{officer_group.code} {officer_group.name} (회장사 {chair.name})"
        ),
        DemoLogin("firm", Role.FIRM_USER, f"{firm.name} ({firm.brn_display})"),
        DemoLogin("coordinator", Role.COORDINATOR, ", ".join(g.code for g in coordinated)),
        DemoLogin("reviewer", Role.REVIEWER, "배정된 신청서"),
    ]
