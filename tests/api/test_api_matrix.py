"""The API's permission matrix: every operation of the OpenAPI document × a token of every persona, plus an
expired, a revoked and a read-only token, with the exact status each gets (architecture principle 4).

Personas are those of the page matrix (tests/test_permission_matrix.py), in the same fixture world, each
holding a write-enabled token; `expired`, `revoked` and `readonly` are central staff's tokens in those
states, `none` sends no token. Writes are rolled back after each request, so every persona meets the same
world. A test fails when an operation of the document is not listed here.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from tests.test_permission_matrix import ROLES, world  # noqa: F401  (the fixture)
from tests.web.conftest import network  # noqa: F401  (the fixture the world needs)
from yunghap.accounts.tokens import create_token, revoke_token
from yunghap.api.schema import current_document
from yunghap.network.models import ExchangeGroup

TOKEN_STATES = ["none", "expired", "revoked", "readonly"]
PERSONAS = [r for r in ROLES if r != "anon"] + TOKEN_STATES


def tokens(**overrides: int) -> dict[str, int]:
    """The usual row of a read: 200 for every active persona's token, 401 for the bad tokens."""
    base = {p: 200 for p in PERSONAS}
    base.update({"none": 401, "expired": 401, "revoked": 401, "inactive": 401})
    base.update(overrides)
    return base


def writes(**overrides: int) -> dict[str, int]:
    """A write: the bad tokens 401, the read-only token 403; others as given."""
    return tokens(readonly=403, **overrides)


# Helper 4's rows: a Seoul group's shared pages and its keepers' writes (the page matrix's SEOUL_GROUP_*).
SEOUL_READ = tokens(busan=404, nobody=404, reviewer=404, former=404)
SEOUL_WRITE = writes(busan=404, nobody=404, reviewer=404, former=404, firm=403, coordinator=403, tworoles=403)
STAFF_AND_OFFICERS = ("central", "seoul", "officer")
NOT_STAFF = ("officer", "firm", "coordinator", "reviewer", "nobody", "former", "tworoles")
NOT_REGISTRARS = dict.fromkeys(("firm", "coordinator", "reviewer", "nobody", "former"), 403)


def fresh(obj: Any) -> Any:
    """The object as stored now (its version moves when an earlier row's write was kept)."""
    return type(obj)._default_manager.get(pk=obj.pk)


def staff_only() -> dict[str, int]:
    others = ("officer", "firm", "coordinator", "reviewer", "nobody", "former", "tworoles")
    return tokens(**dict.fromkeys(others, 403))


def firm_writers() -> dict[str, int]:
    """A firm's new posting: its users (201), nobody else (403)."""
    others = ("central", "seoul", "busan", "officer", "coordinator", "reviewer", "nobody")
    return writes(firm=201, former=201, tworoles=201, **dict.fromkeys(others, 403))


def new_posting(w: Any) -> dict[str, Any]:
    expires = timezone.localdate() + datetime.timedelta(days=30)
    return {"kind": "offer", "title": "정밀 가공 협력", "expires_on": expires.isoformat()}


def posting_patch(w: Any) -> dict[str, Any]:
    from yunghap.matching.models import Posting

    current = Posting.objects.get(pk=w["posting"].pk)
    return {"version": current.updated_at.isoformat(), "title": "센서 하우징 금형 제작 (수정)"}


# (method, OpenAPI path) → (path values from the world, JSON body from the world or None, expected statuses)
Row = tuple[Callable[[Any], dict[str, Any]] | None, Callable[[Any], Any] | None, dict[str, int]]

API_MATRIX: dict[tuple[str, str], Row] = {
    ("get", "/api/v1/federations"): (None, None, tokens()),
    ("get", "/api/v1/federations/{code}"): (
        lambda w: {"code": "seoul"},
        None,
        tokens(busan=404, nobody=404, reviewer=404, coordinator=200, former=404),
    ),
    ("get", "/api/v1/groups"): (None, None, tokens()),
    ("get", "/api/v1/groups/{code}"): (
        lambda w: {"code": "seoul-a"},
        None,
        tokens(busan=404, nobody=404, reviewer=404, former=404),
    ),
    # --- helper 4: the registry and the ledger (the pages' rows of the page matrix, as statuses) ---
    ("get", "/api/v1/firms"): (None, None, tokens()),
    ("post", "/api/v1/firms"): (
        None,
        lambda w: {"brn": "220-81-62517", "name": "성수정밀", "federation": "seoul", "industry": "29"},
        # Staff and officers register firms, in the federations they keep (another one: not a choice).
        writes(**dict.fromkeys(STAFF_AND_OFFICERS, 201), busan=422, tworoles=422, **NOT_REGISTRARS),
    ),
    ("get", "/api/v1/firms/{brn}"): (
        lambda w: {"brn": w["member_firm"].brn},
        None,
        tokens(busan=404, nobody=404, reviewer=404, former=404),
    ),
    ("patch", "/api/v1/firms/{brn}"): (
        lambda w: {"brn": w["member_firm"].brn},
        lambda w: {"version": fresh(w["member_firm"]).version, "phone": "02-555-0101"},
        writes(busan=404, nobody=404, reviewer=404, former=404, officer=403, coordinator=403),
    ),
    ("get", "/api/v1/memberships"): (None, None, tokens()),
    ("get", "/api/v1/memberships/{membership_id}"): (
        lambda w: {"membership_id": w["membership"].pk},
        None,
        SEOUL_READ,
    ),
    ("patch", "/api/v1/memberships/{membership_id}"): (
        lambda w: {"membership_id": w["membership"].pk},
        lambda w: {"version": fresh(w["membership"]).version, "left_on": timezone.localdate().isoformat()},
        SEOUL_WRITE,
    ),
    ("get", "/api/v1/groups/{code}/memberships"): (lambda w: {"code": "seoul-a"}, None, SEOUL_READ),
    # The firm that left in 2010 joins again: staff of its region may add it; for the officer it is no
    # longer in scope (reads as unregistered: 422).
    ("post", "/api/v1/groups/{code}/memberships"): (
        lambda w: {"code": "seoul-a"},
        lambda w: {"brn": w["api_former_firm"].brn, "joined_on": timezone.localdate().isoformat()},
        {**SEOUL_WRITE, "central": 201, "seoul": 201, "officer": 422},
    ),
    ("post", "/api/v1/groups"): (
        None,
        lambda w: {"code": "seoul-api", "name": "성수교류회", "federation": "seoul"},
        writes(central=201, seoul=201, busan=422, **dict.fromkeys(NOT_STAFF, 403)),
    ),
    ("patch", "/api/v1/groups/{code}"): (
        lambda w: {"code": "seoul-a"},
        lambda w: {"version": ExchangeGroup.objects.get(code="seoul-a").version, "description": "API"},
        SEOUL_WRITE,
    ),
    ("get", "/api/v1/meetings"): (None, None, tokens()),
    ("get", "/api/v1/meetings/{meeting_id}"): (lambda w: {"meeting_id": w["meeting"].pk}, None, SEOUL_READ),
    ("post", "/api/v1/groups/{code}/meetings"): (
        lambda w: {"code": "seoul-a"},
        lambda w: {"held_on": "2025-07-09", "present": [w["member_firm"].brn]},
        {**SEOUL_WRITE, **dict.fromkeys(("central", "seoul", "officer"), 201)},
    ),
    ("patch", "/api/v1/meetings/{meeting_id}"): (
        lambda w: {"meeting_id": w["meeting"].pk},
        lambda w: {"version": fresh(w["meeting"]).version, "place": "선릉"},
        SEOUL_WRITE,
    ),
    ("put", "/api/v1/meetings/{meeting_id}/attendance"): (
        lambda w: {"meeting_id": w["meeting"].pk},
        lambda w: {"version": fresh(w["meeting"]).version, "present": []},
        SEOUL_WRITE,
    ),
    ("delete", "/api/v1/meetings/{meeting_id}"): (
        lambda w: {"meeting_id": w["meeting"].pk},
        None,
        SEOUL_WRITE,
    ),
    ("get", "/api/v1/trades"): (None, None, tokens()),
    ("get", "/api/v1/trades/{trade_id}"): (lambda w: {"trade_id": w["api_trade"].pk}, None, SEOUL_READ),
    ("get", "/api/v1/results"): (None, None, tokens()),
    ("get", "/api/v1/results/{result_id}"): (lambda w: {"result_id": w["outcome"].pk}, None, SEOUL_READ),
    # 공공데이터포털-style feeds (api/routers/compat.py): public directory data for every token; the survey
    # table for staff only (20 SERVICE_ACCESS_DENIED_ERROR, 403, for the others).
    ("get", "/api/v1/openapi/groups"): (None, None, tokens()),
    ("get", "/api/v1/openapi/firms"): (None, None, tokens()),
    ("get", "/api/v1/openapi/surveys"): (
        None,
        None,
        tokens(officer=403, firm=403, coordinator=403, reviewer=403, nobody=403, former=403, tworoles=403),
    ),
    # --- issue 12, helper 5. Surveys: the list for staff and group officers; the plan's table and the
    # trends for federation staff only (as the statistics pages).
    ("get", "/api/v1/surveys"): (
        None,
        None,
        tokens(firm=403, coordinator=403, reviewer=403, nobody=403, former=403),
    ),
    ("get", "/api/v1/surveys/{year}"): (lambda w: {"year": 2025}, None, staff_only()),
    ("get", "/api/v1/statistics/series"): (None, None, staff_only()),
    # The board: every network member (not reviewers or users without a role), as the page.
    ("get", "/api/v1/postings"): (None, None, tokens(reviewer=403, nobody=403)),
    # The Seoul member firm's posting waiting for review: its firm, central staff, Seoul staff and its
    # coordinator see it; only the firm and central staff change it.
    ("get", "/api/v1/postings/{id}"): (
        lambda w: {"id": w["posting"].pk},
        None,
        tokens(busan=404, officer=404, reviewer=404, nobody=404, former=404),
    ),
    ("post", "/api/v1/postings"): (None, new_posting, firm_writers()),
    ("patch", "/api/v1/postings/{id}"): (
        lambda w: {"id": w["posting"].pk},
        posting_patch,
        writes(
            seoul=403,
            coordinator=403,
            busan=404,
            officer=404,
            reviewer=404,
            nobody=404,
            former=404,
        ),
    ),
    # Calls: published to everyone, drafts to central staff only.
    ("get", "/api/v1/calls"): (None, None, tokens()),
    ("get", "/api/v1/calls/{code}"): (
        lambda w: {"code": w["draft_call"].code},
        None,
        tokens(
            **{p: 404 for p in ("seoul", "busan", "officer", "firm", "coordinator", "reviewer")},
            nobody=404,
            former=404,
            tworoles=404,
        ),
    ),
    # Applications in the programmes pages' scope (the submitted Seoul-led application).
    ("get", "/api/v1/applications"): (None, None, tokens()),
    ("get", "/api/v1/applications/{id}"): (
        lambda w: {"id": w["application"].pk},
        None,
        tokens(busan=404, officer=404, nobody=404, former=404),
    ),
    # Events: the calendar's; the Seoul federation's event only to the Seoul region's people.
    ("get", "/api/v1/events"): (None, None, tokens()),
    ("get", "/api/v1/events/{code}"): (
        lambda w: {"code": w["event_seoul"].code},
        None,
        tokens(busan=404, reviewer=404, nobody=404),
    ),
}


def document_operations() -> set[tuple[str, str]]:
    paths = current_document()["paths"]
    return {(method, path) for path, ops in paths.items() for method in ops}


def test_every_operation_is_in_the_matrix():
    assert document_operations() == set(API_MATRIX), "add the new operation's statuses to API_MATRIX"


def test_every_row_states_every_persona():
    incomplete = [
        f"{key}: {sorted(set(PERSONAS) ^ set(row[2]))}"
        for key, row in API_MATRIX.items()
        if set(row[2]) != set(PERSONAS)
    ]
    assert not incomplete, "\n".join(incomplete)


@pytest.fixture
def raw_tokens(world: Any) -> dict[str, str | None]:  # noqa: F811
    users = world["users"]
    raw: dict[str, str | None] = {"none": None}
    for persona in ROLES:
        if persona != "anon":
            raw[persona] = create_token(users[persona], actor=None, can_write=True).raw
    central = users["central"]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    raw["expired"] = create_token(central, actor=None, can_write=True, expires_on=yesterday).raw
    revoked = create_token(central, actor=None, can_write=True)
    revoke_token(revoked.token, actor=None)
    raw["revoked"] = revoked.raw
    raw["readonly"] = create_token(central, actor=None).raw
    return raw


@pytest.mark.django_db
def test_api_permission_matrix(world, raw_tokens, settings):  # noqa: F811
    settings.API_RATE_LIMIT_PER_MINUTE = 0
    client = Client()
    mismatches = []
    for (method, path), (values_of, body_of, expected) in API_MATRIX.items():
        url = path.format(**(values_of(world) if values_of else {}))
        for persona in PERSONAS:
            headers = {"HTTP_AUTHORIZATION": f"Bearer {raw_tokens[persona]}"} if raw_tokens[persona] else {}
            with transaction.atomic():
                body = body_of(world) if body_of else None
                if body is None:
                    response = getattr(client, method)(url, **headers)
                else:
                    response = getattr(client, method)(
                        url, data=json.dumps(body), content_type="application/json", **headers
                    )
                transaction.set_rollback(True)
            if response.status_code != expected[persona]:
                mismatches.append(
                    f"{method.upper()} {url} as {persona}: {response.status_code} != {expected[persona]}"
                )
    assert not mismatches, "\n".join(mismatches)
