"""`yunghap token create|revoke`: only the new token on stdout (a script captures it), the token opens the
API; revoke counts; unknown users and bad or past dates exit non-zero with a Korean message."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import ApiToken
from yunghap.accounts.tokens import token_for

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_only_the_token_and_it_opens_the_api(network):  # noqa: F811
    expires = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    out, _err = run("create", "--user", "seoul", "--write", "--expires", expires, "--name", "야간 동기화")
    raw = out.strip()
    assert out == raw + "\n" and raw.startswith("yh_") and len(raw) == 46
    token = ApiToken.objects.get(user__username="seoul")
    assert token.can_write and token.name == "야간 동기화" and token.expires_on.isoformat() == expires
    response = Client().get("/api/v1/groups", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


def test_create_defaults_to_read_only_for_a_year(network):  # noqa: F811
    raw = run("create", "--user", "firmuser")[0].strip()
    token = token_for(raw, "127.0.0.1")
    assert token is not None and not token.can_write
    assert token.expires_on == timezone.localdate() + datetime.timedelta(days=365)


def test_revoke_revokes_every_active_token_and_says_how_many(network):  # noqa: F811
    first = run("create", "--user", "firmuser")[0].strip()
    second = run("create", "--user", "firmuser")[0].strip()
    out, err = run("revoke", "--user", "firmuser")
    assert out.strip() == "2" and "API 토큰 2개를 폐기했습니다." in err
    assert token_for(first, "127.0.0.1") is None and token_for(second, "127.0.0.1") is None
    assert run("revoke", "--user", "firmuser")[0].strip() == "0"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "--user", "ghost"], "찾을 수 없습니다."),
        (["revoke", "--user", "ghost"], "찾을 수 없습니다."),
        (["create", "--user", "firmuser", "--expires", "2026-13-01"], "YYYY-MM-DD 형식의 날짜가 아닙니다."),
        (
            ["create", "--user", "firmuser", "--expires", "2020-01-01"],
            "만료일은 오늘이나 그 이후여야 합니다.",
        ),
        (["create", "--user", "firmuser", "--expires", "2999-01-01"], "까지 정할 수 있습니다."),
    ],
)
def test_refusals_are_korean_and_exit_non_zero(network, args, message):  # noqa: F811
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert message in str(refused.value)
    assert not ApiToken.objects.exists()
