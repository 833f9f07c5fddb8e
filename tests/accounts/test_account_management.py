"""Issue 7, finding 6: staff manage accounts in the normal interface, within their scope, audited.

Before this change only /admin/ could (test_regional_staff_create_an_account_with_a_password_set_mail fails
on the old code: /accounts/users/new/ was a 404)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from tests.factories import make_user
from yunghap.accounts import management_services as accounts
from yunghap.accounts.models import Role, RoleGrant, User
from yunghap.core.models import AuditLog
from yunghap.network.models import Federation

pytestmark = pytest.mark.django_db


def audit_rows(user, action):
    return AuditLog.objects.filter(object_type="accounts.user", object_id=str(user.pk), action=action)


# --- the rule: can_grant(actor, role, target), one matrix ---------------------------------------------

TARGETS = ["none", "seoul", "busan", "central_fed", "seoul_group", "busan_group", "seoul_firm", "busan_firm"]
# role → the targets it may be granted on at all (the kind the role needs)
VALID = {
    Role.CENTRAL_STAFF: {"none"},
    Role.REVIEWER: {"none"},
    Role.REGIONAL_STAFF: {"seoul", "busan"},  # a regional federation, never the central one
    Role.GROUP_OFFICER: {"seoul_group", "busan_group"},
    Role.COORDINATOR: {"seoul_group", "busan_group"},
    Role.FIRM_USER: {"seoul_firm", "busan_firm"},
}
# Seoul staff: officers, coordinators and firm users inside Seoul only; never staff roles or reviewers.
SEOUL_MAY = {
    (Role.GROUP_OFFICER, "seoul_group"),
    (Role.COORDINATOR, "seoul_group"),
    (Role.FIRM_USER, "seoul_firm"),
}


@pytest.fixture
def targets(network):
    return {
        "none": None,
        "seoul": network.seoul_group.federation,
        "busan": network.busan_group.federation,
        "central_fed": Federation.objects.get(level=Federation.Level.CENTRAL),
        "seoul_group": network.seoul_group,
        "busan_group": network.busan_group,
        "seoul_firm": network.member_firm,
        "busan_firm": network.busan_firm,
    }


@pytest.mark.parametrize("actor", ["central", "seoul", "busan", "officer", "firm", "coordinator", "nobody"])
def test_can_grant_matrix(network, targets, actor):
    user = network.users[actor]
    mismatches = []
    for role in Role:
        for name in TARGETS:
            if actor == "central":
                expected = name in VALID[role]
            elif actor == "seoul":
                expected = (role, name) in SEOUL_MAY
            elif actor == "busan":
                expected = (role, name.replace("busan", "seoul")) in SEOUL_MAY and name.startswith("busan")
            else:
                expected = False
            if accounts.can_grant(user, role, targets[name]) != expected:
                mismatches.append(f"{actor} grants {role} on {name}: expected {expected}")
    assert not mismatches, "\n".join(mismatches)


def test_visibility_of_accounts(network):
    seoul_visible = set(accounts.users_visible_to(network.users["seoul"]).values_list("username", flat=True))
    assert seoul_visible == {"seoul", "officer", "firmuser", "coord"}
    busan_visible = set(accounts.users_visible_to(network.users["busan"]).values_list("username", flat=True))
    assert busan_visible == {"busan"}
    assert accounts.users_visible_to(network.users["central"]).count() == User.objects.count()
    assert not accounts.users_visible_to(network.users["officer"]).exists()


def test_deactivation_rules(network):
    seoul, central = network.users["seoul"], network.users["central"]
    assert accounts.can_deactivate(seoul, network.users["firm"])
    assert not accounts.can_deactivate(seoul, seoul)  # not oneself
    assert not accounts.can_deactivate(central, central)
    assert accounts.can_deactivate(central, seoul)
    assert not accounts.can_deactivate(seoul, central)  # never central staff
    central_in_seoul = make_user("central2", Role.CENTRAL_STAFF)
    RoleGrant.objects.create(user=central_in_seoul, role=Role.GROUP_OFFICER, group=network.seoul_group)
    assert not accounts.can_deactivate(seoul, central_in_seoul)
    colleague = make_user("seoul2", Role.REGIONAL_STAFF, federation=network.seoul_group.federation)
    assert not accounts.can_deactivate(seoul, colleague)  # staff accounts are central's
    assert not accounts.can_reset_second_factor(seoul, network.users["firm"])
    assert accounts.can_reset_second_factor(central, network.users["firm"])
    assert not accounts.can_reset_second_factor(central, central)


# --- the flows through the pages ----------------------------------------------------------------------


def test_regional_staff_create_an_account_with_a_password_set_mail(
    client, network, django_capture_on_commit_callbacks
):
    client.force_login(network.users["seoul"])
    data = {
        "username": "newmember",
        "name": "박지연",
        "email": "jiyeon@example.com",
        "role": Role.FIRM_USER,
        "firm_brn": network.member_firm.brn_display,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 302
    user = User.objects.get(username="newmember")
    assert not user.has_usable_password()
    assert list(user.grants.values_list("role", "firm_id")) == [(Role.FIRM_USER, network.member_firm.pk)]
    assert audit_rows(user, "user_create").count() == 1
    assert AuditLog.objects.filter(object_id=str(user.pk)).count() == 1  # one change, one row
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jiyeon@example.com"]
    body = mail.outbox[0].body
    assert "비밀번호를 정한 뒤" in body
    uidb64, token = re.search(r"/accounts/password/reset/([^/]+)/([^/\s]+)/", body).groups()
    assert force_str(urlsafe_base64_decode(uidb64)) == str(user.pk)
    assert default_token_generator.check_token(user, token)
    # Listed for the creator, with its role.
    listing = client.get(reverse("accounts:user_list")).content.decode()
    assert "newmember" in listing and network.member_firm.name in listing


def test_create_form_errors_are_korean_and_leak_nothing(client, network):
    client.force_login(network.users["seoul"])
    url = reverse("accounts:user_create")
    base = {"username": "x1", "name": "박지연", "email": "x@example.com"}
    body = client.post(
        url, {**base, "username": "officer", "role": Role.FIRM_USER, "firm_brn": network.member_firm.brn}
    ).content.decode()
    assert "이미 사용 중인 아이디입니다." in body
    body = client.post(
        url, {**base, "role": Role.FIRM_USER, "firm_brn": network.busan_firm.brn}
    ).content.decode()
    assert "이 사업자등록번호로 찾을 수 있는 회원사가 없습니다." in body
    assert network.busan_firm.name not in body and "부산" not in body
    body = client.post(url, {**base, "role": Role.REGIONAL_STAFF}).content.decode()
    assert "부여할 수 없는 역할입니다." in body
    body = client.post(
        url, {**base, "role": Role.GROUP_OFFICER, "group": network.busan_group.pk}
    ).content.decode()
    assert "선택할 수 없는 교류회입니다." in body
    body = client.post(url, {**base, "email": "nope", "role": Role.GROUP_OFFICER}).content.decode()
    assert "이메일 주소 형식이 아닙니다." in body and "교류회를 선택해 주세요." in body
    assert not User.objects.filter(username="x1").exists()


def test_grant_and_revoke_with_confirmation(client, network):
    firm_user = network.users["firm"]
    client.force_login(network.users["seoul"])
    response = client.post(
        reverse("accounts:grant_create", kwargs={"pk": firm_user.pk}),
        {"role": Role.COORDINATOR, "group": network.seoul_other.pk},
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=firm_user, role=Role.COORDINATOR)
    assert audit_rows(firm_user, "role_grant").count() == 1
    # The same grant twice is a Korean error, not a 500.
    body = client.post(
        reverse("accounts:grant_create", kwargs={"pk": firm_user.pk}),
        {"role": Role.COORDINATOR, "group": network.seoul_other.pk},
    ).content.decode()
    assert "이미 부여된 역할입니다." in body

    url = reverse("accounts:grant_revoke", kwargs={"pk": firm_user.pk, "grant_pk": grant.pk})
    page = client.get(url)
    assert page.status_code == 200 and "회수하시겠습니까" in page.content.decode()
    assert RoleGrant.objects.filter(pk=grant.pk).exists()  # GET wrote nothing
    assert client.post(url).status_code == 302
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    row = audit_rows(firm_user, "role_revoke").get()
    assert row.actor == network.users["seoul"] and row.changes["role"] == Role.COORDINATOR


def test_a_user_with_roles_inside_and_outside_shows_only_the_inside_ones(client, network):
    firm_user = network.users["firm"]
    outside = RoleGrant.objects.create(user=firm_user, role=Role.GROUP_OFFICER, group=network.busan_group)
    client.force_login(network.users["seoul"])
    body = client.get(reverse("accounts:user_detail", kwargs={"pk": firm_user.pk})).content.decode()
    assert network.member_firm.name in body
    assert network.busan_group.name not in body
    assert "소속 연합회 밖의 역할도 있습니다" in body
    revoke_outside = reverse("accounts:grant_revoke", kwargs={"pk": firm_user.pk, "grant_pk": outside.pk})
    assert client.get(revoke_outside).status_code == 404
    assert client.post(revoke_outside).status_code == 404
    # Deactivating would also end the role outside: that is central staff's call.
    assert client.get(reverse("accounts:user_deactivate", kwargs={"pk": firm_user.pk})).status_code == 403
    assert firm_user.grants.count() == 2


def test_regional_staff_cannot_touch_staff_grants_or_themselves(client, network):
    seoul = network.users["seoul"]
    colleague = make_user("seoul2", Role.REGIONAL_STAFF, federation=network.seoul_group.federation)
    client.force_login(seoul)
    grant = colleague.grants.get()
    assert (
        client.post(
            reverse("accounts:grant_revoke", kwargs={"pk": colleague.pk, "grant_pk": grant.pk})
        ).status_code
        == 403
    )
    own = seoul.grants.get()
    assert (
        client.post(reverse("accounts:grant_revoke", kwargs={"pk": seoul.pk, "grant_pk": own.pk})).status_code
        == 403
    )
    assert client.post(reverse("accounts:user_deactivate", kwargs={"pk": seoul.pk})).status_code == 403
    response = client.post(
        reverse("accounts:grant_create", kwargs={"pk": seoul.pk}),
        {"role": Role.GROUP_OFFICER, "group": network.seoul_group.pk},
    )
    assert response.status_code == 403
    assert (
        client.get(reverse("accounts:user_detail", kwargs={"pk": network.users["central"].pk})).status_code
        == 404
    )
    assert (
        client.get(reverse("accounts:user_detail", kwargs={"pk": network.users["busan"].pk})).status_code
        == 404
    )
    assert not AuditLog.objects.filter(action__in=["role_revoke", "role_grant", "user_deactivate"]).exists()


def test_deactivate_and_reactivate(client, network):
    firm_user = network.users["firm"]
    client.force_login(network.users["seoul"])
    url = reverse("accounts:user_deactivate", kwargs={"pk": firm_user.pk})
    assert "비활성화하시겠습니까" in client.get(url).content.decode()
    firm_user.refresh_from_db()
    assert firm_user.is_active
    assert client.post(url).status_code == 302
    firm_user.refresh_from_db()
    assert not firm_user.is_active
    assert audit_rows(firm_user, "user_deactivate").count() == 1
    # Twice: a Korean message, no second row.
    client.post(url)
    assert audit_rows(firm_user, "user_deactivate").count() == 1
    # The account can no longer sign in.
    other = client_class_login(firm_user)
    assert other is False
    # Still listed for its staff, and reactivated from its page.
    assert client.post(reverse("accounts:user_reactivate", kwargs={"pk": firm_user.pk})).status_code == 302
    firm_user.refresh_from_db()
    assert firm_user.is_active
    assert audit_rows(firm_user, "user_reactivate").count() == 1


def client_class_login(user) -> bool:
    from django.test import Client

    return Client().login(username=user.username, password=f"pw-{user.username}-2026!")


def test_non_staff_reach_no_account_page(client, network):
    for role in ("officer", "firm", "coordinator", "nobody"):
        client.force_login(network.users[role])
        assert client.get(reverse("accounts:user_list")).status_code == 403
        assert (
            client.get(reverse("accounts:user_detail", kwargs={"pk": network.users["firm"].pk})).status_code
            == 403
        )


def test_list_search_and_bad_parameters(client, network):
    client.force_login(network.users["central"])
    body = client.get(reverse("accounts:user_list"), {"q": "coord"}).content.decode()
    assert "coord" in body and "firmuser" not in body
    assert client.get(reverse("accounts:user_list"), {"page": "99999999999999999999"}).status_code == 200
    assert client.get(reverse("accounts:user_list"), {"q": "x" * 5000}).status_code == 200


def test_account_list_query_count_is_pinned(client, network, django_assert_max_num_queries):
    for number in range(30):
        user = make_user(f"member{number}", Role.FIRM_USER, firm=network.member_firm)
        RoleGrant.objects.create(user=user, role=Role.GROUP_OFFICER, group=network.busan_group)
    client.force_login(network.users["seoul"])
    # session user, grants (scope), count, page of users, their visible grants with targets, messages
    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:user_list"))
    body = response.content.decode()
    assert response.status_code == 200 and "member1" in body
    assert network.busan_group.name not in body  # the grants outside Seoul stay out of the list


def test_django_otp_device_admins_are_removed(client, network):
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


def test_central_staff_create_regional_staff_who_then_must_enrol(
    client, network, settings, django_capture_on_commit_callbacks
):
    from django.contrib.auth.tokens import default_token_generator as tokens

    busan = network.busan_group.federation
    client.force_login(network.users["central"])
    data = {
        "username": "busan2",
        "name": "최민수",
        "email": "busan2@example.com",
        "role": Role.REGIONAL_STAFF,
        "federation": busan.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("accounts:user_create"), data).status_code == 302
    user = User.objects.get(username="busan2")
    assert list(user.grants.values_list("role", "federation_id")) == [(Role.REGIONAL_STAFF, busan.pk)]
    assert tokens.check_token(
        user, re.search(r"/accounts/password/reset/[^/]+/([^/\s]+)/", mail.outbox[0].body)[1]
    )
    # The central federation is no target for regional staff.
    central_fed = Federation.objects.get(level=Federation.Level.CENTRAL)
    body = client.post(
        reverse("accounts:user_create"), {**data, "username": "x2", "federation": central_fed.pk}
    ).content.decode()
    assert "선택할 수 없는 연합회입니다." in body
    assert not User.objects.filter(username="x2").exists()

    user.set_password("a-long-pass-2026!")
    user.save()
    client.logout()
    settings.OTP_REQUIRED_FOR_STAFF = True
    client.post(reverse("accounts:login"), {"username": "busan2", "password": "a-long-pass-2026!"})
    assert client.get("/groups/")["Location"].startswith(reverse("accounts:otp_enrol"))
