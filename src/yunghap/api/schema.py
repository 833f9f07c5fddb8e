"""The OpenAPI document as the code makes it, and the reviewed copy kept in the repository
(docs/openapi.json): a change to the API shows up as a diff of that file in review, and the tests fail
while the two differ."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings

COMMITTED = Path(settings.PROJECT_DIR) / "docs" / "openapi.json"


def current_document() -> dict[str, Any]:
    from .api import api

    return dict(api.get_openapi_schema(path_prefix="/api/v1"))


def rendered(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
