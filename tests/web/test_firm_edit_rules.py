"""Issue 7, finding 1: only the firm's own federation (and central staff) keep a firm's record; its own
user keeps its profile, not its registration number, status or federation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import MembershipFactory
from yunghap.network import rules, services
from yunghap.network.models import Membership

pytestmark = pytest.mark.django_db


def _form_data(client, firm):
    form = client.get(reverse("network:firm_edit", args=[firm.brn])).context["form"]
    data = {name: form[name].value() for name in form.fields}
    return form, {k: ("" if v is None else v) for k, v in data.items()}


def test_staff_of_another_region_where_the_firm_is_a_member_cannot_edit_it(network, login):
    # The Busan firm joins a Seoul group: Seoul staff now see it (and its contacts) but do not keep it.
    MembershipFactory(group=network.seoul_group, firm=network.busan_firm)
    client = login(network.users["seoul"])
    assert client.get(reverse("network:firm_detail", args=[network.busan_firm.brn])).status_code == 200
    assert client.get(reverse("network:firm_edit", args=[network.busan_firm.brn])).status_code == 403
    assert client.post(reverse("network:firm_edit", args=[network.busan_firm.brn]), {}).status_code == 403
    with pytest.raises(ValidationError) as refused:
        services.update_firm(network.busan_firm, actor=network.users["seoul"], email="x@example.com")
    assert refused.value.error_dict["__all__"][0].code == rules.FIRM_NOT_EDITABLE
    network.busan_firm.refresh_from_db()
    assert network.busan_firm.email != "x@example.com"


def test_firm_user_cannot_change_its_brn_or_status(network, login):
    firm = network.member_firm
    client = login(network.users["firm"])
    form, data = _form_data(client, firm)
    assert (
        form.fields["brn"].disabled and form.fields["status"].disabled and form.fields["federation"].disabled
    )
    response = client.post(
        reverse("network:firm_edit", args=[firm.brn]), {**data, "brn": "1168200276", "status": "closed"}
    )
    assert response.status_code == 302
    firm.refresh_from_db()
    assert firm.status == "active" and firm.brn != "1168200276"
    # The service refuses it whatever the form does (the API will call it too).
    for field, value in (("status", "closed"), ("brn", "1168200276")):
        with pytest.raises(ValidationError) as refused:
            services.update_firm(firm, actor=network.users["firm"], **{field: value})
        assert refused.value.error_dict[field][0].code == rules.FIRM_FIELD_STAFF_ONLY
    firm.refresh_from_db()
    assert firm.status == "active"


def test_own_federation_staff_change_status_but_not_move_it_out_of_their_scope(network):
    from tests.factories import region

    firm = network.member_firm
    services.update_firm(firm, actor=network.users["seoul"], status="closed")
    with pytest.raises(ValidationError) as refused:
        services.update_firm(firm, actor=network.users["seoul"], federation=region("busan"))
    assert refused.value.error_dict["federation"][0].code == rules.FEDERATION_OUT_OF_SCOPE
    firm.refresh_from_db()
    assert (firm.status, firm.federation.code) == ("closed", "seoul")
    services.update_firm(firm, actor=network.users["central"], federation=region("busan"))


def test_the_group_page_offers_to_change_an_ended_period_only_to_those_who_may(network, login):
    """Rule 2 on the page: an officer is refused changing a period that ended, so no "수정" link leads there."""
    ended = Membership.objects.get(group=network.seoul_group, firm=network.former_firm)
    current = Membership.objects.get(group=network.seoul_group, firm=network.member_firm)
    ended_link = reverse("network:membership_edit", args=[ended.pk])
    current_link = reverse("network:membership_edit", args=[current.pk])
    officer_page = login(network.users["officer"]).get("/groups/seoul-a/").content.decode()
    assert current_link in officer_page and ended_link not in officer_page
    assert login(network.users["officer"]).get(ended_link).status_code == 403
    staff_page = login(network.users["seoul"]).get("/groups/seoul-a/").content.decode()
    assert current_link in staff_page and ended_link in staff_page
