from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_lockout(settings):
    # Login lockout is tested on purpose where it matters; elsewhere repeated test logins must not trip it.
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fresh_matching_index():
    # The matching index lives in the process; each test's database rows are rolled back, so it must go too.
    from yunghap.matching.store import reset_index

    reset_index()
    yield
    reset_index()
