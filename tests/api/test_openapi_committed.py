"""The OpenAPI document the code makes is the reviewed one in docs/openapi.json: an API change without
`yunghap api_schema --write` (and its diff in review) fails here, and so in CI."""

from __future__ import annotations

import json

from yunghap.api.schema import COMMITTED, current_document, rendered


def test_committed_openapi_document_is_current():
    assert COMMITTED.exists(), "run `yunghap api_schema --write` and commit docs/openapi.json"
    committed = COMMITTED.read_text(encoding="utf-8")
    assert committed == rendered(current_document()), (
        "the API changed: review `yunghap api_schema | diff docs/openapi.json -` and run `yunghap api_schema --write`"
    )


def test_document_is_served_at_openapi_json(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert json.loads(response.content)["info"]["title"] == "Yunghap API"
