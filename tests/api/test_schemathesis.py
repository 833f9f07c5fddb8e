"""schemathesis over the whole OpenAPI document (/api/v1/openapi.json as the code makes it), against the WSGI
application and the test database (PostgreSQL in CI): every operation, valid and invalid inputs (NUL bytes
included), with a central-staff token and without one, under every check schemathesis has — no 5xx,
statuses, content types and bodies as the document declares them, invalid input refused, auth enforced.
Huge values (10^30 integers, 100,000-character strings) are sent to every parameter explicitly.

A few examples per operation keep it under two minutes; `make test` runs it (it is an ordinary test)."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, settings

from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.tokens import create_token
from yunghap.api.schema import current_document

EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
HUGE_INTEGER = 10**30
HUGE_STRING = "가" * 100_000

application = get_wsgi_application()
schema = schemathesis.openapi.from_dict(current_document())
schema.app = application  # every request, the checks' own probes too, goes to the WSGI application
schema.config.update(base_url="http://testserver")  # the document's paths carry /api/v1 themselves
schema.config.checks.update(included_check_names=["all"])
# A filter is a code of the registry (region, division, exchange type): a well-formed code that does not exist
# is refused with 422 `invalid` and the form's Korean message, as the document declares, like the list page.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    "2xx", "3xx", "401", "403", "404", "409", "422", "429",
]  # fmt: skip
schema.config.generation.update(allow_x00=True, codec="utf-8", max_examples=EXAMPLES_PER_OPERATION)

# transaction=True: the WSGI application closes the connection at the end of each request, which a test
# wrapped in a transaction would lose.
fuzzed = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff_token(network, settings: Any) -> str:  # noqa: F811
    settings.API_RATE_LIMIT_PER_MINUTE = 0
    return create_token(network.users["central"], actor=None).raw


@fuzzed
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_with_a_staff_token(case: Any, staff_token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {staff_token}"})


@fuzzed
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION // 2,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_without_a_token(case: Any, network: Any, settings: Any) -> None:  # noqa: F811
    settings.API_RATE_LIMIT_PER_MINUTE = 0
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    if isinstance(case.query, dict):
        case.query.pop("serviceKey", None)
    response = case.call_and_validate(app=application)
    # 401 without a token; 422 for a NUL or a malformed value, refused before the token is asked for; 405
    # for the methods schemathesis tries that the document does not have
    assert response.status_code in (401, 405, 422), (
        case.method,
        case.path,
        case.media_type,
        case.headers,
        repr(case.body)[:200],
        response.text[:200],
    )


def _urls() -> list[tuple[str, str, list[dict[str, Any]]]]:
    document = current_document()
    return [
        (path, path.replace("{code}", "seoul-a"), operation.get("parameters", []))
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method == "get"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "url", "parameters"), _urls(), ids=[p for p, _u, _x in _urls()])
def test_huge_values_in_every_parameter_are_refused_or_answered(
    path: str, url: str, parameters: list[dict[str, Any]], staff_token: str
) -> None:
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {staff_token}"}
    queries = [p for p in parameters if p.get("in") == "query"]
    for parameter in queries:
        for value in (HUGE_INTEGER, -HUGE_INTEGER, HUGE_STRING):
            response = client.get(url, {parameter["name"]: value}, **auth)
            assert response.status_code in (200, 304, 403, 404, 422), (
                parameter["name"],
                response.status_code,
            )
            assert response["Content-Type"].startswith(("application/json", "application/xml"))
    if "{code}" in path:
        response = client.get(path.replace("{code}", HUGE_STRING), **auth)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
