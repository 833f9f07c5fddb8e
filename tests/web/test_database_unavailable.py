"""Finding 7.4 of issue 7: a locked or unreachable database gives a Korean 503, and personal data whose
viewing cannot be logged is not shown."""

from __future__ import annotations

import contextlib
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user
from yunghap.accounts.models import Role
from yunghap.core.models import AccessLog

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def database_down(error: Exception):
    """Every query fails from here on, as when SQLite is locked or PostgreSQL has gone away."""

    def fail(self, *args, **kwargs):
        raise error

    with (
        mock.patch.object(CursorWrapper, "execute", fail),
        mock.patch.object(CursorWrapper, "executemany", fail),
    ):
        yield


def _assert_korean_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "잠시 후 다시 시도해 주세요" in html and '<html lang="ko">' in html
    assert "vendor/krds/css/component/output.css" in html
    assert "Server Error" not in html and "Traceback" not in html


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("database is locked"),
        OperationalError("server closed the connection"),
        InterfaceError(),
    ],
)
def test_pages_answer_a_korean_503_when_the_database_cannot(error):
    firm = FirmFactory()
    # As in production, a failure outside the view (the session is read from the database first) is
    # answered by the error handler, not raised into the test.
    client = Client(raise_request_exception=False)
    client.force_login(make_user("central", Role.CENTRAL_STAFF))
    for url in (
        reverse("network:firm_detail", args=[firm.brn]),
        reverse("network:group_list"),
        reverse("insights:trends"),
    ):
        with database_down(error):
            response = client.get(url)
        _assert_korean_503(response)


# Without a test transaction around it, as in production: the failed log write rolls back on its own.
@pytest.mark.django_db(transaction=True)
def test_a_personal_data_view_that_cannot_be_logged_is_refused(client):
    group = GroupFactory()
    firm = FirmFactory(representative="김비밀", phone="010-2222-3333", email="secret@example.com")
    MembershipFactory(group=group, firm=firm)
    client.force_login(make_user("central", Role.CENTRAL_STAFF))
    locked = OperationalError("database is locked")
    for url in (
        reverse("network:firm_detail", args=[firm.brn]),
        reverse("network:group_detail", args=[group.code]),
        reverse("transfer:export", kwargs={"kind": "firms", "fmt": "csv"}),
    ):
        with mock.patch("yunghap.core.audit._write_access_log", side_effect=locked):
            response = client.get(url)
        _assert_korean_503(response)
        html = response.content.decode()
        assert "010-2222-3333" not in html and "secret@example.com" not in html and "김비밀" not in html
    assert not AccessLog.objects.exists()
    # With the log writable again the page shows the data and logs it.
    assert client.get(reverse("network:firm_detail", args=[firm.brn])).status_code == 200
    assert AccessLog.objects.filter(object_ids=[str(firm.pk)]).exists()


def test_other_errors_stay_errors(client, settings):
    """Only "the database cannot answer now" becomes a 503; a bug is still a 500 (and raised in tests)."""
    firm = FirmFactory()
    client.force_login(make_user("central", Role.CENTRAL_STAFF))
    with (
        mock.patch("yunghap.core.audit._write_access_log", side_effect=ValueError("a bug")),
        pytest.raises(ValueError, match="a bug"),
    ):
        client.get(reverse("network:firm_detail", args=[firm.brn]))
