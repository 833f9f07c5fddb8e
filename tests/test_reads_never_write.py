"""Finding 10 of issue 7, for the whole project: a GET of any page writes nothing (principle 13).

The one write a read must make is the personal-data access-log row for unmasked data it shows.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.helpers import writes_in
from tests.test_permission_matrix import MATRIX, world  # noqa: F401  (the fixture)
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.core.models import AccessLog, AccessLogTarget


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["central", "seoul", "officer", "firm", "coordinator"])
def test_no_page_writes_on_get(world, client, role):  # noqa: F811
    client.force_login(world["users"][role])
    # The access log's row and its per-firm targets.
    access_log = (AccessLog._meta.db_table, AccessLogTarget._meta.db_table)
    failures = []
    for name, (kwargs_of, _get, _post) in MATRIX.items():
        if name == "accounts:logout":
            continue
        url = reverse(name, kwargs=kwargs_of(world) if kwargs_of else None)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        failures += [f"GET {url}: {sql[:200]}" for sql in writes_in(captured, allowed_tables=access_log)]
    assert failures == []
