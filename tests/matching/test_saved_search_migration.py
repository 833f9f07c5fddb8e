"""SavedSearch moved from `introductions` to `matching` by state-only migrations: its rows stay put."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Users as they are today (their table is not moved back: the test only rolls back the two apps).
USERS = ("accounts", "0002_user_name_as_written")
BEFORE = [("introductions", "0001_initial"), ("matching", "0001_initial"), USERS]
AFTER = [
    USERS,
    ("introductions", "0002_saved_search_moved_to_matching"),
    ("matching", "0002_saved_search_moves_here"),
]


@pytest.mark.django_db(transaction=True)
def test_saved_searches_survive_the_move():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("accounts", "User").objects.create(username="keeper")
    old.get_model("introductions", "SavedSearch").objects.create(owner=user, name="금형", query="사출 금형")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    moved = new.get_model("matching", "SavedSearch").objects.get()
    assert (moved.name, moved.query, moved.owner_id) == ("금형", "사출 금형", user.pk)
    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
