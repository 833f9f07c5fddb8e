from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Real hashing costs ~0.3 s a login; the tests are about permissions, not the hasher.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # hashes made before the override still verify
    ]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Page and choice caches are per process; each test starts cold so results do not depend on order.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _korean():
    # The test client leaves the last request's language active in this thread: a test that switched to
    # English must not turn the next test's Korean messages into English ones.
    from django.utils import translation

    translation.activate("ko")
    yield
    translation.activate("ko")


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


def refill_reference_data() -> None:
    """Transactional tests (the browser and concurrency tests) end with a flush that also empties the reference
    tables the migrations filled; a later test in the same process finds them refilled. Module-scoped
    fixtures that build on them (the demo's) call this themselves: they run before the per-test refill."""
    from yunghap.network.models import Federation

    if not Federation.objects.exists():
        from yunghap.network.reference import load_reference_data
        from yunghap.programmes.reference import load_cost_categories, load_growth_engines

        load_reference_data()
        load_growth_engines()
        load_cost_categories()


@pytest.fixture(autouse=True)
def _reference_data(request, django_db_blocker):
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if uses_db:
        with django_db_blocker.unblock():
            refill_reference_data()
    yield


# The real-browser fixtures are defined once, here, so that one Chromium serves every browser test of a process.
from tests.browser.support import browser, page  # noqa: E402, F401


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # Tests of other areas sign staff in with force_login or a password only; the second factor's own
    # tests (tests/accounts) turn the requirement back on. Off here, not marked verified per session, so
    # that a browser login with a password keeps working in every other journey.
    settings.OTP_REQUIRED_FOR_STAFF = False
