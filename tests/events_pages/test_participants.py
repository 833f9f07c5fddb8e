"""The participants list of an event's managers: masked by default, unmasked on request with an access-log
row naming every registration shown, a status filter, and the XLSX export (logged too)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from yunghap.core.models import AccessLog, AccessLogTarget
from yunghap.events import registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(network, seoul_event):
    seoul_event.capacity = 1
    seoul_event.save(update_fields=["capacity"])
    first = registration.register(
        seoul_event, name="김혜민", email="hyemin@example.com", firm=network.member_firm
    )
    second = registration.register(
        seoul_event, name="이서준", email="seojun@example.com", firm=network.member_firm
    )
    return first, second


def test_names_and_emails_are_masked_and_nothing_is_logged(network, login, seoul_event, people):
    client = login(network.users["seoul"])
    page = client.get(reverse("events:participants", kwargs={"code": seoul_event.code})).content.decode()
    assert "김*민" in page and "h***@example.com" in page
    assert "김혜민" not in page and "hyemin@example.com" not in page
    assert not AccessLog.objects.exists()


def test_showing_them_in_full_is_logged(network, login, seoul_event, people):
    client = login(network.users["seoul"])
    page = client.get(reverse("events:participants", kwargs={"code": seoul_event.code}), {"show": "full"})
    text = page.content.decode()
    assert "김혜민" in text and "seojun@example.com" in text
    log = AccessLog.objects.get()
    assert (
        log.user == network.users["seoul"] and log.kind == "view" and log.object_type == "events.registration"
    )
    assert sorted(AccessLogTarget.objects.values_list("object_id", flat=True)) == sorted(
        str(p.pk) for p in people
    )


def test_the_status_filter(network, login, seoul_event, people):
    client = login(network.users["seoul"])
    url = reverse("events:participants", kwargs={"code": seoul_event.code})
    waiting = client.get(url, {"status": "waiting", "show": "full"}).content.decode()
    assert "이서준" in waiting and "김혜민" not in waiting
    bad = client.get(url, {"status": "nonsense"})
    assert bad.status_code == 200
    assert "올바르게 선택해 주세요" in bad.content.decode()


def test_the_export_has_every_participant_and_is_logged(network, login, seoul_event, people):
    client = login(network.users["central"])
    response = client.get(reverse("events:participants_export", kwargs={"code": seoul_event.code}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:5] == ["순번", "이름", "이메일", "회원사", "상태"]
    assert [r[:5] for r in rows[1:]] == [
        [1, "김혜민", "hyemin@example.com", "새영테크", "확정"],
        [2, "이서준", "seojun@example.com", "새영테크", "대기"],
    ]
    log = AccessLog.objects.get()
    assert log.kind == "export" and log.record_count == 2


def test_only_managers_see_the_list(network, login, seoul_event, people):
    url = reverse("events:participants", kwargs={"code": seoul_event.code})
    assert login(network.users["officer"]).get(url).status_code == 403
    assert login(network.users["busan"]).get(url).status_code == 404
    assert not AccessLog.objects.exists()
