"""Issue 8 §7: the group page is load-tested (bench/http_load.py); its query count is pinned here.

Every row of the member tables is built from one query of plain values, the access log is one statement
on PostgreSQL, and nothing is cached: each user sees their own masking, and each view is logged.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import FirmFactory, MembershipFactory
from yunghap.core.models import AccessLog, AccessLogTarget

pytestmark = pytest.mark.django_db


def expected_queries(logs: bool, central: bool) -> int:
    # session + user + grants + group + periods (with whether the user may open each firm) + exchange types
    base = 6
    if not logs:
        return base
    # the access log: one statement on PostgreSQL (log row and targets), two INSERTs elsewhere
    return base + (1 if connection.vendor == "postgresql" else 2)


def add_history(group, periods: int) -> None:
    for n in range(periods):
        MembershipFactory(
            group=group,
            firm=FirmFactory(name=f"지난기업{n:03d}"),
            joined_on=datetime.date(1995, 1, 1),
            left_on=datetime.date(2000 + n % 20, 1, 1),
        )


@pytest.mark.parametrize(("role", "logs"), [("seoul", True), ("firm", False), ("central", True)])
def test_group_page_query_count_is_fixed_whatever_the_history(
    network, login, django_assert_num_queries, role, logs
):
    add_history(network.seoul_group, 60)
    client = login(network.users[role])
    with django_assert_num_queries(expected_queries(logs, role == "central")):
        response = client.get(reverse("network:group_detail", args=["seoul-a"]) + "?history=all")
    assert response.status_code == 200
    assert response.content.decode().count("지난기업") >= 60
    assert AccessLog.objects.exists() is logs


def test_each_view_is_logged_with_every_current_member(network, login):
    """No page cache: the second view of the same page by the same user writes its own log row."""
    client = login(network.users["seoul"])
    url = reverse("network:group_detail", args=["seoul-a"])
    client.get(url)
    client.get(url)
    logs = list(AccessLog.objects.order_by("id"))
    assert len(logs) == 2
    current = {str(m.firm_id) for m in network.seoul_group.memberships.current()}
    for log in logs:
        assert set(log.object_ids) == current and log.record_count == len(current)
        assert {t.object_id for t in AccessLogTarget.objects.filter(log=log)} == current
        assert log.path == url and log.ip_address == "127.0.0.1"


def test_member_names_are_escaped_in_the_tables(network, login):
    MembershipFactory(group=network.seoul_group, firm=FirmFactory(name="<b>꺾쇠</b>기업"))
    html = (
        login(network.users["seoul"]).get(reverse("network:group_detail", args=["seoul-a"])).content.decode()
    )
    assert "&lt;b&gt;꺾쇠&lt;/b&gt;기업" in html and "<b>꺾쇠</b>" not in html
