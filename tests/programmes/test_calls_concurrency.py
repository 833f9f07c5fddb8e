"""Calls under concurrency (PostgreSQL, two connections): two corrections of one call read at the same
version make one revision; two publications publish once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories import make_user
from tests.helpers import at_once
from tests.programmes.factories import make_call
from yunghap.accounts.models import Role
from yunghap.core.versions import StaleEdit
from yunghap.programmes import call_services
from yunghap.programmes.models import Call, CallRevision

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)"
)
pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_two_corrections_at_once_make_one_revision():
    call = make_call(code="c-race")
    one, two = make_user("central-1", Role.CENTRAL_STAFF), make_user("central-2", Role.CENTRAL_STAFF)

    def correct(actor, quota):
        fresh = Call.objects.get(pk=call.pk)
        return call_services.correct_call(fresh, actor=actor, expected_version=1, reason="정정", quota=quota)

    results = at_once(lambda: correct(one, 40), lambda: correct(two, 45))
    assert sum(isinstance(r, StaleEdit) for r in results) == 1
    call.refresh_from_db()
    assert call.revision == 2 and call.version == 2
    assert CallRevision.objects.filter(call=call).count() == 1


def test_two_publications_at_once_publish_once():
    call = make_call(code="c-pub-race", published=False, days_open=-10, days_left=30)
    actor = make_user("central-3", Role.CENTRAL_STAFF)
    results = at_once(
        lambda: call_services.publish_call(Call.objects.get(pk=call.pk), actor=actor),
        lambda: call_services.publish_call(Call.objects.get(pk=call.pk), actor=actor),
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and refused[0].messages == ["공모 'c-pub-race'는 이미 공개되었습니다."]
    assert CallRevision.objects.filter(call=call).count() == 1
