"""The "API 토큰" pages: a new token is shown once (the answer of the POST, no-store; a reload shows the
list, not the token), revoking asks first and a double submit revokes once, bad addresses and past or too
late expiry dates are refused in Korean; central staff revoke all tokens of an account."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import ApiToken
from yunghap.accounts.tokens import create_token, token_for
from yunghap.core.models import AuditLog

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_token(response) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert match, "the form carries its one-time token"
    return match.group(1)


def new_token_form(client: Client, **fields) -> dict[str, str]:
    page = client.get(reverse("accounts:token_create"))
    assert page.status_code == 200
    expiry = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    return {"form_token": form_token(page), "name": "배치 작업", "expires_on": expiry, **fields}


def test_a_new_token_is_shown_once_and_a_reload_does_not_show_it(network):  # noqa: F811
    user = network.users["firm"]
    client = signed_in(user)
    data = new_token_form(client, can_write="on", allowed_addresses="127.0.0.1\n 10.0.0.0/8 ")
    answer = client.post(reverse("accounts:token_create"), data)
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    raw = re.search(r'<code id="new-token">(yh_[A-Za-z0-9_-]+)</code>', answer.content.decode()).group(1)
    assert "한 번만 표시됩니다" in answer.content.decode()
    token = ApiToken.objects.get(user=user)
    assert (
        token.name == "배치 작업" and token.can_write and token.allowed_addresses == "127.0.0.1\n10.0.0.0/8"
    )
    assert token_for(raw, "127.0.0.1") == token
    # The reload posts the same form again: one token, and the page after it has no token on it.
    again = client.post(reverse("accounts:token_create"), data, follow=True)
    assert ApiToken.objects.filter(user=user).count() == 1
    assert raw not in again.content.decode()
    assert again.redirect_chain[-1][0] == reverse("accounts:token_list")
    assert "이미 처리된 요청입니다" in again.content.decode()
    listing = client.get(reverse("accounts:token_list")).content.decode()
    assert raw not in listing and token.prefix in listing and "읽기·쓰기" in listing
    assert not any(raw in str(v) for v in client.session.values())


def test_bad_addresses_and_dates_are_refused_in_korean(network, settings):  # noqa: F811
    settings.API_TOKEN_MAX_DAYS = 100
    client = signed_in(network.users["seoul"])
    url = reverse("accounts:token_create")
    bad_address = client.post(
        url, new_token_form(client, allowed_addresses="127.0.0.1\nnot-an-ip\n300.1.1.1")
    )
    assert bad_address.status_code == 200
    assert "IP 주소나 CIDR 범위가 아닙니다: not-an-ip, 300.1.1.1" in bad_address.content.decode()
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    past = client.post(url, new_token_form(client, expires_on=yesterday))
    assert "만료일은 오늘이나 그 이후여야 합니다." in past.content.decode()
    far = (timezone.localdate() + datetime.timedelta(days=101)).isoformat()
    latest = (timezone.localdate() + datetime.timedelta(days=100)).isoformat()
    too_late = client.post(url, new_token_form(client, expires_on=far))
    assert f"만료일은 {latest}까지 정할 수 있습니다." in too_late.content.decode()
    assert not ApiToken.objects.exists()


def test_the_form_offers_a_year_read_only(network):  # noqa: F811
    page = signed_in(network.users["officer"]).get(reverse("accounts:token_create")).content.decode()
    year = (timezone.localdate() + datetime.timedelta(days=365)).isoformat()
    assert f'value="{year}"' in page
    assert 'name="can_write"' in page and 'name="can_write" checked' not in page


def test_revoking_asks_first_and_revokes_once(network):  # noqa: F811
    user = network.users["firm"]
    new = create_token(user, actor=user, name="연동")
    client = signed_in(user)
    url = reverse("accounts:token_revoke", kwargs={"pk": new.token.pk})
    ask = client.get(url)
    assert ask.status_code == 200 and "폐기한 토큰으로 보내는 요청은 바로 거절되며" in ask.content.decode()
    assert token_for(new.raw, "127.0.0.1") is not None
    data = {"form_token": form_token(ask)}
    done = client.post(url, data, follow=True)
    assert f"{new.token.prefix}… 토큰을 폐기했습니다." in done.content.decode()
    assert token_for(new.raw, "127.0.0.1") is None
    client.post(url, data)
    assert AuditLog.objects.filter(action="api_token.revoke").count() == 1
    # Without the form's token nothing happens.
    other = create_token(user, actor=user)
    refused = client.post(reverse("accounts:token_revoke", kwargs={"pk": other.token.pk}))
    assert refused.status_code == 400 and token_for(other.raw, "127.0.0.1") is not None


def test_others_tokens_are_not_found(network):  # noqa: F811
    mine = create_token(network.users["firm"], actor=None)
    client = signed_in(network.users["central"])
    assert client.get(reverse("accounts:token_revoke", kwargs={"pk": mine.token.pk})).status_code == 404
    assert mine.token.prefix not in client.get(reverse("accounts:token_list")).content.decode()


def test_central_staff_revoke_all_tokens_of_an_account(network):  # noqa: F811
    firm_user = network.users["firm"]
    first, second = create_token(firm_user, actor=None), create_token(firm_user, actor=None)
    url = reverse("accounts:user_tokens_revoke", kwargs={"pk": firm_user.pk})
    assert signed_in(network.users["seoul"]).get(url).status_code == 403
    central = signed_in(network.users["central"])
    detail = central.get(reverse("accounts:user_detail", kwargs={"pk": firm_user.pk})).content.decode()
    assert url in detail
    ask = central.get(url)
    assert "사용 중인 API 토큰 2개를 모두 폐기합니다." in ask.content.decode()
    done = central.post(url, {"form_token": form_token(ask)}, follow=True)
    assert "API 토큰 2개를 폐기했습니다." in done.content.decode()
    assert token_for(first.raw, "127.0.0.1") is None and token_for(second.raw, "127.0.0.1") is None


def test_the_token_list_takes_few_queries(network, django_assert_max_num_queries):  # noqa: F811
    user = network.users["firm"]
    for _i in range(5):
        create_token(user, actor=None, allowed_addresses="10.0.0.0/8")
    client = signed_in(user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("accounts:token_list"))
    assert page.content.decode().count('data-state="active"') == 5
