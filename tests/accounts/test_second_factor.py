"""Issue 7, finding 6: staff accounts need a TOTP second factor after the password.

Before this change a staff password alone opened every page (test_staff_password_alone_opens_nothing
fails on the old code: the group list answered 200)."""

from __future__ import annotations

import base64
import datetime
import re
import time

import pyotp
import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from yunghap.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.OTP_REQUIRED_FOR_STAFF = True


def password_login(client, username):
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": f"pw-{username}-2026!"}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def secret_on(response) -> str:
    match = re.search(r'id="otp-secret">([A-Z2-7]+)<', response.content.decode())
    assert match, "the enrolment page shows the secret for typing it by hand"
    return match.group(1)


def enrol(client, username="seoul") -> tuple[str, list[str]]:
    password_login(client, username)
    page = client.get(reverse("accounts:otp_enrol"))
    secret = secret_on(page)
    response = client.post(reverse("accounts:otp_enrol"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    return secret, codes


def verified_login(client, user) -> None:
    """Sign in with the password and a code of an authenticator made here."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    password_login(client, user.username)
    secret = base64.b32encode(device.bin_key).decode()
    response = client.post(reverse("accounts:otp_verify"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and "otp" not in response["Location"]


def next_code(secret: str) -> str:
    # The code of the next 30-second step: accepted (one step of tolerance) and never the one just used.
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_staff_password_alone_opens_nothing(client, network):
    response = password_login(client, "seoul")
    assert response["Location"] == reverse("network:home")
    for url in ("/", "/groups/", f"/firms/{network.member_firm.brn}/", "/admin/", "/accounts/users/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:otp_enrol") + "?next="), url
    # POSTs are refused the same way (no write without the second factor).
    response = client.post(reverse("network:group_create"), {"name": "x"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp_enrol")
    # Logout and the language switch stay open.
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/groups/").status_code == 302


def test_force_logged_in_staff_is_sent_to_the_second_factor_too(client, network):
    client.force_login(network.users["central"])
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_enrol"))


def test_other_roles_are_not_asked(client, network):
    for username in ("officer", "firmuser", "coord"):
        client.logout()
        password_login(client, username)
        assert client.get("/groups/").status_code == 200, username


def test_enrolment_shows_a_server_rendered_qr_code_and_the_secret(client, network):
    password_login(client, "seoul")
    page = client.get(reverse("accounts:otp_enrol"))
    body = page.content.decode()
    assert '<figure class="otp-qr"' in body and "<svg" in body and "<path" in body
    secret = secret_on(page)
    # The same secret until it is confirmed (a reload does not change what the phone scanned).
    assert secret_on(client.get(reverse("accounts:otp_enrol"))) == secret
    assert not TOTPDevice.objects.exists()  # nothing stored before the first code


def test_enrolment_with_a_wrong_code_is_refused_in_korean(client, network):
    password_login(client, "seoul")
    secret = secret_on(client.get(reverse("accounts:otp_enrol")))
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    response = client.post(reverse("accounts:otp_enrol"), {"code": wrong})
    assert "코드가 맞지 않습니다" in response.content.decode()
    response = client.post(reverse("accounts:otp_enrol"), {"code": ""})
    assert "인증 코드를 입력해 주세요." in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_enrolment_confirms_issues_ten_recovery_codes_and_opens_the_pages(client, network):
    secret, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    user = network.users["seoul"]
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert AuditLog.objects.filter(action="otp_enrol", object_id=str(user.pk)).count() == 1
    assert client.get("/groups/").status_code == 200
    # The codes are shown once: the enrolment page now just sends the verified user on.
    assert client.get(reverse("accounts:otp_enrol")).status_code == 302


def test_sign_in_with_a_totp_code_then_with_a_recovery_code_used_once(client, network):
    secret, codes = enrol(client)
    client.post(reverse("accounts:logout"))

    password_login(client, "seoul")
    response = client.get("/groups/")
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    response = client.post(reverse("accounts:otp_verify") + "?next=/groups/", {"code": next_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/groups/"
    assert client.get("/groups/").status_code == 200
    client.post(reverse("accounts:logout"))

    password_login(client, "seoul")
    response = client.post(reverse("accounts:otp_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/groups/").status_code == 200
    assert StaticToken.objects.filter(device__user=network.users["seoul"]).count() == 9
    client.post(reverse("accounts:logout"))

    password_login(client, "seoul")
    response = client.post(reverse("accounts:otp_verify"), {"code": codes[0]})
    assert "인증 코드가 맞지 않습니다." in response.content.decode()
    assert client.get("/groups/").status_code == 302


def test_an_open_redirect_in_next_is_ignored(client, network):
    secret, _codes = enrol(client)
    client.post(reverse("accounts:logout"))
    password_login(client, "seoul")
    response = client.post(
        reverse("accounts:otp_verify"), {"code": next_code(secret), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("network:home")


def test_five_wrong_codes_make_the_user_wait(client, network, settings):
    secret, codes = enrol(client)
    client.post(reverse("accounts:logout"))
    password_login(client, "seoul")
    for _attempt in range(settings.OTP_MAX_FAILURES):
        response = client.post(reverse("accounts:otp_verify"), {"code": "abcdefgh"})
        assert "인증 코드가 맞지 않습니다." in response.content.decode()
    # Now even the right code waits: the lock is on the user, not on the session or the code kind.
    response = client.post(reverse("accounts:otp_verify"), {"code": codes[1]})
    assert "인증 코드를 5번 잘못 입력했습니다." in response.content.decode()
    assert client.get("/groups/").status_code == 302
    assert StaticToken.objects.filter(token=codes[1]).exists()  # not consumed while locked

    device = TOTPDevice.objects.get(user=network.users["seoul"])
    device.throttling_failure_timestamp = timezone.now() - datetime.timedelta(
        minutes=settings.OTP_LOCKOUT_MINUTES
    )
    device.save()
    response = client.post(reverse("accounts:otp_verify"), {"code": next_code(secret)})
    assert response.status_code == 302
    assert client.get("/groups/").status_code == 200


def test_central_staff_reset_the_second_factor_and_the_user_enrols_again(client, network):
    seoul = network.users["seoul"]
    enrol(client)
    client.post(reverse("accounts:logout"))

    verified_login(client, network.users["central"])
    url = reverse("accounts:otp_reset", kwargs={"pk": seoul.pk})
    assert client.get(url).status_code == 200  # the confirmation page
    assert TOTPDevice.objects.filter(user=seoul).exists()  # GET wrote nothing
    response = client.post(url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=seoul).exists()
    assert not StaticToken.objects.filter(device__user=seoul).exists()
    audit = AuditLog.objects.get(action="otp_reset", object_id=str(seoul.pk))
    assert audit.actor == network.users["central"] and audit.changes == {"devices_removed": 2}
    client.post(reverse("accounts:logout"))

    password_login(client, "seoul")
    assert client.get("/groups/")["Location"].startswith(reverse("accounts:otp_enrol"))


def test_a_session_verified_with_a_removed_device_is_no_longer_verified(client, network):
    enrol(client)
    assert client.get("/groups/").status_code == 200
    TOTPDevice.objects.filter(user=network.users["seoul"]).delete()
    assert client.get("/groups/")["Location"].startswith(reverse("accounts:otp_enrol"))


def test_recovery_codes_can_be_renewed_by_the_verified_user(client, network):
    _secret, codes = enrol(client)
    url = reverse("accounts:otp_recovery_codes")
    assert "남은 복구 코드는 10개입니다." in client.get(url).content.decode()
    response = client.post(url)
    fresh = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    assert StaticToken.objects.filter(device__user=network.users["seoul"]).count() == 10
