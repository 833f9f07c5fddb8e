"""The API's frame: Bearer tokens (missing, unknown, expired, revoked, foreign address → 401), read-only
tokens cannot write, the rate limit answers 429 with Retry-After, lists page as {"count", "items"}, details
carry an ETag and answer 304, errors have a stable code and a Korean message, scope as in the pages."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.tokens import create_token, revoke_token

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_every_bad_token_is_the_same_401(network):  # noqa: F811
    user = network.users["seoul"]
    client = Client()
    expired = create_token(user, actor=user, expires_on=timezone.localdate() - datetime.timedelta(days=1)).raw
    revoked = create_token(user, actor=user)
    revoke_token(revoked.token, actor=user)
    foreign = create_token(user, actor=user, allowed_addresses="10.1.2.0/24").raw
    for headers in (
        {},
        bearer("yh_unknown"),
        bearer(expired),
        bearer(revoked.raw),
        bearer(foreign),
        {"HTTP_AUTHORIZATION": "Token x"},
    ):
        response = client.get("/api/v1/groups", **headers)
        assert response.status_code == 401, headers
        assert response.json()["code"] == "unauthorized"
        assert "API 토큰" in response.json()["message"]
        assert response["WWW-Authenticate"] == "Bearer"


def test_allowed_address_and_expiry_day_itself_open_the_api(network):  # noqa: F811
    user = network.users["seoul"]
    raw = create_token(user, actor=user, allowed_addresses="127.0.0.0/8", expires_on=timezone.localdate()).raw
    assert Client().get("/api/v1/groups", **bearer(raw)).status_code == 200


def test_groups_follow_the_scope_of_the_pages(network):  # noqa: F811
    client = Client()
    seoul = create_token(network.users["seoul"], actor=None).raw
    body = client.get("/api/v1/groups", **bearer(seoul)).json()
    assert {g["code"] for g in body["items"]} == {"seoul-a", "seoul-b"}
    assert body["count"] == 2
    assert client.get("/api/v1/groups/busan-a", **bearer(seoul)).status_code == 404
    assert client.get("/api/v1/groups/busan-a", **bearer(seoul)).json()["code"] == "not_found"
    nobody = create_token(network.users["nobody"], actor=None).raw
    assert client.get("/api/v1/groups", **bearer(nobody)).json() == {"count": 0, "items": []}


def test_pagination_and_its_limits(network):  # noqa: F811
    client = Client()
    raw = create_token(network.users["central"], actor=None).raw
    body = client.get("/api/v1/groups?limit=1&offset=1", **bearer(raw)).json()
    assert body["count"] == 3 and len(body["items"]) == 1
    assert client.get("/api/v1/groups?limit=1001", **bearer(raw)).status_code == 422
    refused = client.get("/api/v1/groups?region=nowhere", **bearer(raw))
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid"
    assert refused.json()["details"][0]["field"] == "region"


def test_details_have_an_etag_and_answer_304(network):  # noqa: F811
    client = Client()
    raw = create_token(network.users["central"], actor=None).raw
    first = client.get("/api/v1/groups/seoul-a", **bearer(raw))
    assert first.status_code == 200 and first.json()["name"] == "테헤란기술교류회"
    again = client.get("/api/v1/groups/seoul-a", HTTP_IF_NONE_MATCH=first["ETag"], **bearer(raw))
    assert again.status_code == 304 and again.content == b""


def test_rate_limit_answers_429_with_retry_after(network, settings):  # noqa: F811
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    client = Client()
    raw = create_token(network.users["central"], actor=None).raw
    assert [client.get("/api/v1/federations", **bearer(raw)).status_code for _ in range(2)] == [200, 200]
    limited = client.get("/api/v1/federations", **bearer(raw))
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 61
