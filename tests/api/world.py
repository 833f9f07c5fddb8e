"""Objects the matrices need beyond the page matrix's world: a live trade of the Seoul group (the API
matrix) and a token of the `firm` persona (the token pages)."""

from __future__ import annotations

import datetime
from typing import Any

from yunghap.accounts.tokens import create_token
from yunghap.activities import services as ledger


def add_api_ledger(world: dict[str, Any], network: Any) -> dict[str, Any]:
    trade = ledger.record_trade(
        network.seoul_group,
        actor=world["users"]["central"],
        buyer=network.chair_firm,
        seller=network.member_firm,
        item="알루미늄 브래킷",
        amount_krw=3_300_000,
        traded_on=datetime.date(2025, 5, 22),
    )
    return {"api_trade": trade, "api_former_firm": network.former_firm}


def add_tokens(world: dict[str, Any], network: Any) -> dict[str, Any]:
    firm_user = world["users"]["firm"]
    return {"api_token_firm": create_token(firm_user, actor=firm_user, name="매트릭스").token}
