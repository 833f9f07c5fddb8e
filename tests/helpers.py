"""Assertions shared by tests of several apps."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from django.db import connection
from django.test.utils import CaptureQueriesContext

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|TRUNCATE|CREATE|ALTER|DROP)\b", re.IGNORECASE)


def writes_in(captured: CaptureQueriesContext, *, allowed_tables: tuple[str, ...] = ()) -> list[str]:
    """The writing statements captured, except inserts into `allowed_tables`."""
    writes = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not WRITE.match(sql):
            continue
        if any(re.match(rf'^\s*INSERT INTO "?{table}"?\s', sql, re.IGNORECASE) for table in allowed_tables):
            continue
        writes.append(sql)
    return writes


@contextlib.contextmanager
def assert_no_writes(*, allowed_tables: tuple[str, ...] = ()) -> Iterator[CaptureQueriesContext]:
    """Fail if any SQL statement run inside the block writes (reads never write, principle 13).

    `allowed_tables` lets inserts into, say, the personal-data access log through: showing personal data
    must write that row."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    writes = writes_in(captured, allowed_tables=allowed_tables)
    assert writes == [], "a read wrote:\n" + "\n".join(writes)
