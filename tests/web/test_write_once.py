"""Finding 4 of issue 7: quick repeated submits of the registry's create forms write once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import FirmFactory
from tests.write_once_support import ALREADY, form_data, messages_of, token_of
from yunghap.core.models import AuditLog
from yunghap.network.models import ExchangeGroup, Federation, Firm, Industry, Membership

pytestmark = pytest.mark.django_db


def _three_times(client, url, data):
    return [client.post(url, data) for _ in range(3)]


def _assert_repeats_go_to_the_first_result(responses):
    first = responses[0]
    assert first.status_code == 302
    for repeat in responses[1:]:
        assert repeat.status_code == 302 and repeat["Location"] == first["Location"]
        assert ALREADY in messages_of(repeat)


def test_group_form(network, login):
    client = login(network.users["seoul"])
    url = reverse("network:group_create")
    data = {
        **form_data(client.get(url)),
        "code": "seoul-new",
        "name": "새교류회",
        "federation": Federation.objects.get(code="seoul").pk,
        "kind": "unit",
        "status": "active",
    }
    responses = _three_times(client, url, data)
    _assert_repeats_go_to_the_first_result(responses)
    assert responses[0]["Location"] == "/groups/seoul-new/"
    assert ExchangeGroup.objects.filter(code="seoul-new").count() == 1
    # The token is the form's envelope: it is not recorded as data.
    assert "form_token" not in AuditLog.objects.get(action="group.create").changes


def test_firm_form(network, login):
    client = login(network.users["seoul"])
    url = reverse("network:firm_create")
    data = {
        **form_data(client.get(url)),
        "brn": "116-82-00276",
        "name": "새로운기업(주)",
        "federation": Federation.objects.get(code="seoul").pk,
        "industry": Industry.objects.get(code="26").pk,
        "status": "active",
    }
    responses = _three_times(client, url, data)
    _assert_repeats_go_to_the_first_result(responses)
    assert Firm.objects.filter(brn="1168200276").count() == 1


def test_membership_form(network, login):
    newcomer = FirmFactory(name="신입회원사")  # a Seoul firm: in Seoul staff's scope
    client = login(network.users["seoul"])
    url = reverse("network:membership_create", args=["seoul-a"])
    data = {
        **form_data(client.get(url)),
        "brn": newcomer.brn_display,
        "role": "member",
        "joined_on": "2024-01-02",
    }
    responses = _three_times(client, url, data)
    _assert_repeats_go_to_the_first_result(responses)
    assert Membership.objects.filter(group=network.seoul_group, firm=newcomer).count() == 1
    # Without the token the second submit was refused as an overlapping period; now it says it is done.
    assert "이미 이 교류회의 회원" not in responses[1].content.decode()


def test_a_token_is_per_user(network, login):
    """Another user's token is just unknown: it does not reveal where that user's submit led."""
    seoul = login(network.users["seoul"])
    url = reverse("network:group_create")
    token = token_of(seoul.get(url))
    base = {"federation": Federation.objects.get(code="seoul").pk, "kind": "unit", "status": "active"}
    assert seoul.post(url, {**base, "code": "seoul-n1", "name": "가", "form_token": token}).status_code == 302
    central = login(network.users["central"])
    response = central.post(url, {**base, "code": "seoul-n2", "name": "나", "form_token": token})
    assert response.status_code == 302 and response["Location"] == "/groups/seoul-n2/"
