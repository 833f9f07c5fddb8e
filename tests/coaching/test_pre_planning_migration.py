"""`programmes.0012_pre_planning`: a note written before it (on an application only) gets the application's
consortium, so it still shows on that application and satisfies the new check constraint."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import FirmFactory
from tests.programmes.factories import make_application, make_call

BEFORE = [("programmes", "0008_cost_category_codes")]
AFTER = [("programmes", "0012_pre_planning")]


@pytest.mark.django_db(transaction=True)
def test_old_notes_get_their_applications_consortium():
    application = make_application(make_call(code="c-mig"), FirmFactory(), [], ref="c-mig-001")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("programmes", "PrePlanningNote").objects.create(
        application_id=application.pk, body="예전 메모"
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    note = new.get_model("programmes", "PrePlanningNote").objects.get()
    assert (note.consortium_id, note.application_id, note.topic_id) == (
        application.consortium_id,
        application.pk,
        None,
    )
    # Back to the latest state for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
