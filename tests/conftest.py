from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_lockout(settings):
    # Login lockout is tested on purpose where it matters; elsewhere repeated test logins must not trip it.
    settings.AXES_ENABLED = False
