"""ETag and If-None-Match on detail responses: a client that has the current copy gets 304 and no body."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def conditional_json(request: HttpRequest, payload: Any) -> HttpResponse:
    """`payload` (a schema instance or plain data) as JSON with its ETag; 304 when the client's matches."""
    data = payload.model_dump(mode="json") if hasattr(payload, "model_dump") else payload
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    tag = etag_of(body)
    candidates = {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}
    if tag in candidates or f"W/{tag}" in candidates or "*" in candidates:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    return response
