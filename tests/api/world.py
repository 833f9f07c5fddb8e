"""World objects of the API helpers' pages for the permission matrix: a token of the `firm` persona."""

from __future__ import annotations

from typing import Any

from yunghap.accounts.tokens import create_token


def add_tokens(world: dict[str, Any], network: Any) -> dict[str, Any]:
    firm_user = world["users"]["firm"]
    return {"api_token_firm": create_token(firm_user, actor=firm_user, name="매트릭스").token}
