"""limit/offset pages: `{"count": N, "items": [...]}`, 100 items unless asked, never more than 1,000."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from ninja import Field, Schema

T = TypeVar("T")

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Past this an offset is not a page anyone reads: refusing it keeps OFFSET scans bounded.
MAX_OFFSET = 10_000_000


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="한 번에 받을 항목 수 (최대 1,000)")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="건너뛸 항목 수")


class Listing(Schema, Generic[T]):
    count: int
    items: list[T]


def page_of(
    queryset: Any, params: PageParams, serialize: Callable[[Iterable[Any]], list[Any]]
) -> dict[str, Any]:
    """Count the whole filtered set, then serialize only the requested slice."""
    count = queryset.count()
    rows = list(queryset[params.offset : params.offset + params.limit]) if params.offset < count else []
    return {"count": count, "items": serialize(rows)}
