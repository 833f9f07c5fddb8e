"""Finding 4 of issue 7: two people editing one group, firm or membership do not undo each other.

Each edit form carries the version it was read at; a stale form is refused with a Korean message, the
other person's values beside the user's own input (still in the form), and can then be saved on purpose.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import at_once
from tests.write_once_support import COMMITTED_ROWS, STALE, form_data, postgres_only, version_of
from yunghap.core.versions import STALE as STALE_CODE
from yunghap.core.versions import StaleEdit
from yunghap.network import services
from yunghap.network.models import ExchangeGroup, Firm, Membership

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _conflict_rows(response):
    return {row["name"]: (row["theirs"], row["mine"]) for row in response.context["conflict"]["rows"]}


def test_two_people_editing_one_group(network):
    url = reverse("network:group_edit", args=["seoul-a"])
    mine, theirs = _client(network.users["seoul"]), _client(network.users["central"])
    my_page = mine.get(url)
    my_form = form_data(my_page)
    assert version_of(my_page) == "1"

    other = {**form_data(theirs.get(url)), "name": "테헤란기술교류회(개칭)"}
    assert theirs.post(url, other).status_code == 302

    response = mine.post(url, {**my_form, "description": "매월 둘째 주 화요일 모임"})
    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page and 'id="conflict-table"' in page
    group = ExchangeGroup.objects.get(code="seoul-a")
    assert group.name == "테헤란기술교류회(개칭)" and group.description == ""  # nothing of mine written
    rows = _conflict_rows(response)
    assert rows["name"] == ("테헤란기술교류회(개칭)", "테헤란기술교류회")  # the other change, beside mine
    assert rows["description"] == ("—", "매월 둘째 주 화요일 모임")
    assert response.context["conflict"]["changes"][0].who == network.users["central"].get_username()
    assert "매월 둘째 주 화요일 모임" in page  # my input is still in the form
    assert version_of(response) == "2"

    # Saving the form shown again is a deliberate choice: it goes through.
    again = mine.post(url, form_data(response))
    assert again.status_code == 302
    group.refresh_from_db()
    assert group.description == "매월 둘째 주 화요일 모임" and group.version == 3


def test_two_people_editing_one_firm(network):
    from yunghap.core.models import AccessLog

    firm = network.member_firm
    url = reverse("network:firm_edit", args=[firm.brn])
    mine, theirs = _client(network.users["firm"]), _client(network.users["seoul"])
    my_form = form_data(mine.get(url))
    other = {**form_data(theirs.get(url)), "phone": "02-555-1234", "employees": "40"}
    assert theirs.post(url, other).status_code == 302

    response = mine.post(url, {**my_form, "employees": "35"})
    assert response.status_code == 200 and STALE in response.content.decode()
    firm.refresh_from_db()
    assert firm.employees == 40 and firm.phone == "02-555-1234"
    rows = _conflict_rows(response)
    assert rows["employees"] == ("40", "35")
    # The firm's own user may see its phone number: shown whole, and the showing is logged.
    assert rows["phone"] == ("02-555-1234", firm_phone_before(my_form))
    assert AccessLog.objects.filter(user=network.users["firm"], object_ids=[str(firm.pk)]).exists()


def firm_phone_before(form):
    return form["phone"] or "—"


def test_firm_conflict_masks_personal_data_for_a_user_who_may_not_see_it(network, monkeypatch):
    from yunghap.network import permissions

    firm = network.member_firm
    url = reverse("network:firm_edit", args=[firm.brn])
    mine, theirs = _client(network.users["firm"]), _client(network.users["seoul"])
    my_form = form_data(mine.get(url))
    assert theirs.post(url, {**form_data(theirs.get(url)), "phone": "02-555-1234"}).status_code == 302
    monkeypatch.setattr(permissions, "can_see_personal_data", lambda user, firm: False)
    response = mine.post(url, my_form)
    theirs_phone, _mine = _conflict_rows(response)["phone"]
    assert "555-1234" not in theirs_phone and theirs_phone != "02-555-1234"


def test_two_people_editing_one_membership(network):
    membership = Membership.objects.get(group=network.seoul_group, firm=network.member_firm)
    url = reverse("network:membership_edit", args=[membership.pk])
    # Central staff (who may still change the period once it has ended) against Seoul staff ending it.
    mine, theirs = _client(network.users["central"]), _client(network.users["seoul"])
    my_form = form_data(mine.get(url))
    assert theirs.post(url, {**form_data(theirs.get(url)), "left_on": "2025-06-30"}).status_code == 302

    response = mine.post(url, {**my_form, "role": "secretary"})
    assert response.status_code == 200 and STALE in response.content.decode()
    membership.refresh_from_db()
    assert str(membership.left_on) == "2025-06-30" and membership.role == "member"
    rows = _conflict_rows(response)
    assert rows["left_on"] == ("2025-06-30", "—")
    assert rows["role"] == ("회원", "총무")
    assert mine.post(url, form_data(response)).status_code == 302
    membership.refresh_from_db()
    assert membership.role == "secretary" and membership.left_on is None


def test_an_import_makes_an_open_edit_form_stale(network):
    from yunghap.core.imports import update_rows

    url = reverse("network:group_edit", args=["seoul-a"])
    mine = _client(network.users["seoul"])
    my_form = form_data(mine.get(url))
    group = network.seoul_group
    update_rows(ExchangeGroup, [{"id": group.pk, "name": "가져온 이름"}], ["name"])
    response = mine.post(url, {**my_form, "description": "새 설명"})
    assert response.status_code == 200 and STALE in response.content.decode()
    assert _conflict_rows(response)["name"] == ("가져온 이름", "테헤란기술교류회")


def test_an_unchanged_save_does_not_move_the_version(network):
    url = reverse("network:group_edit", args=["seoul-a"])
    client = _client(network.users["seoul"])
    assert client.post(url, form_data(client.get(url))).status_code == 302
    assert ExchangeGroup.objects.get(code="seoul-a").version == 1


def test_update_service_refuses_a_stale_version_with_its_code(network):
    firm = Firm.objects.get(pk=network.member_firm.pk)
    services.update_firm(firm, actor=network.users["seoul"], expected_version=1, employees=11)
    stale = Firm.objects.get(pk=firm.pk)
    with pytest.raises(StaleEdit) as caught:
        services.update_firm(stale, actor=network.users["central"], expected_version=1, employees=12)
    assert caught.value.code == STALE_CODE == "stale"
    assert "다른 사용자가 먼저 이 정보를 수정했습니다" in caught.value.messages[0]
    assert Firm.objects.get(pk=firm.pk).employees == 11


@postgres_only
@COMMITTED_ROWS
def test_two_connections_editing_one_group_one_wins_one_is_stale(network, monkeypatch):
    """Two services read version 1 at once: the row lock makes the second see the first's change."""
    import time

    group_id = network.seoul_group.pk
    full_clean = services._full_clean

    def slow_full_clean(obj, exclude=()):
        # Inside the transaction, after the version check: the other edit arrives while this one holds it.
        full_clean(obj, exclude)
        time.sleep(0.4)

    monkeypatch.setattr(services, "_full_clean", slow_full_clean)

    def edit(actor, name):
        def call():
            group = ExchangeGroup.objects.get(pk=group_id)
            return services.update_group(group, actor=actor, expected_version=1, name=name)

        return call

    results = at_once(edit(network.users["seoul"], "첫째 이름"), edit(network.users["central"], "둘째 이름"))
    stale = [r for r in results if isinstance(r, StaleEdit)]
    saved = [r for r in results if isinstance(r, ExchangeGroup)]
    assert len(stale) == 1 and len(saved) == 1, results
    assert stale[0].code == "stale"
    group = ExchangeGroup.objects.get(pk=group_id)
    assert group.name == saved[0].name and group.version == 2
