"""Builders for the matching funds' tests (helper 2): an agreement with known money and its users."""

from __future__ import annotations

import datetime
from typing import Any

from tests.factories import FirmFactory, make_user
from tests.programmes.factories import make_agreement, make_application, make_call
from yunghap.accounts.models import Role
from yunghap.programmes.models import Agreement

PDF = b"%PDF-1.4\n%evidence\n"
START = datetime.date(2026, 3, 1)
END = datetime.date(2026, 11, 30)


def funds_case(
    code: str = "c-money", *, ref: str | None = None, call: Any = None, **fields: Any
) -> dict[str, Any]:
    """An agreement 2026-03-01 ~ 2026-11-30: grant 20,000,000, cash 4,000,000, in-kind 2,666,667 over two
    categories (personnel 15,000,000 / 3,000,000 / 0; materials 5,000,000 / 1,000,000 / 2,666,667), with
    a user of its lead firm, a user of another firm and central staff."""
    call = call or make_call(code=code)
    lead, partner, stranger = FirmFactory(), FirmFactory(), FirmFactory()
    application = make_application(
        call,
        lead,
        [partner],
        government=20_000_000,
        cash=4_000_000,
        inkind=2_666_667,
        ref=ref or f"{call.code}-001",
        starts_on=START,
        ends_on=END,
    )
    agreement = make_agreement(
        application,
        lines={"personnel": (15_000_000, 3_000_000, 0), "materials": (5_000_000, 1_000_000, 2_666_667)},
        **fields,
    )
    n = Agreement.objects.count()
    return {
        "call": call,
        "agreement": agreement,
        "lead": lead,
        "member": make_user(f"member{n}-{call.code}", Role.FIRM_USER, firm=lead),
        "partner_user": make_user(f"partner{n}-{call.code}", Role.FIRM_USER, firm=partner),
        "stranger": make_user(f"stranger{n}-{call.code}", Role.FIRM_USER, firm=stranger),
        "central": make_user(f"central{n}-{call.code}", Role.CENTRAL_STAFF),
    }
