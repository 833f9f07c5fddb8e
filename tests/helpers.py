"""Assertions shared by tests of several apps."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection, connections
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


def at_once(*calls: Callable[[], Any], timeout: float = 60) -> list[Any]:
    """Run each call in its own thread (so its own database connection), released together by a barrier.

    Returns each call's result, or the exception it raised, in the order of the calls: the outcome of a race
    is what concurrency tests compare. Threads need committed rows: use them in transactional tests.
    """
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001  (the test asserts on it)
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results
