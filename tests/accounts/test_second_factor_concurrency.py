"""Parallel sign-ins on PostgreSQL: a recovery code opens one session only, and parallel wrong guesses are
all counted (the attempts are serialised on the user's authenticator row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_user, region
from tests.helpers import at_once
from yunghap.accounts import otp
from yunghap.accounts.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def enrolled_staff():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises writers anyway")
    user = make_user("seoulstaff", Role.REGIONAL_STAFF, federation=region("seoul"))
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    codes = otp.regenerate_recovery_codes(user, actor=user)
    return user, codes


def test_one_recovery_code_used_twice_at_once_opens_one_session(enrolled_staff):
    user, codes = enrolled_staff
    results = at_once(*[lambda: otp.verify_second_factor(user, codes[0])] * 4)
    accepted = [r for r in results if r is not None and not isinstance(r, Exception)]
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(accepted) == 1


def test_parallel_wrong_guesses_are_all_counted(enrolled_staff, settings):
    user, _codes = enrolled_staff
    settings.OTP_MAX_FAILURES = 100  # count, do not lock, in this test
    results = at_once(*[lambda: otp.verify_second_factor(user, "abcdefgh")] * 6)
    assert results == [None] * 6
    assert TOTPDevice.objects.get(user=user).throttling_failure_count == 6
