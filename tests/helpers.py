"""Assertions shared by tests of several apps."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from django.db import connection
from django.test.utils import CaptureQueriesContext

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE|CREATE|ALTER|DROP)\b", re.IGNORECASE)


@contextlib.contextmanager
def assert_no_writes() -> Iterator[CaptureQueriesContext]:
    """Fail if any SQL statement run inside the block writes (reads never write, principle 13)."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    writes = [query["sql"] for query in captured.captured_queries if WRITE.match(query["sql"])]
    assert writes == [], "a read wrote:\n" + "\n".join(writes)
