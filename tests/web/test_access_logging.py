"""Every display of unmasked personal data writes one access-log row naming every firm shown (issue 7, 5)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from tests.factories import make_brn, region
from yunghap.core.exports import export_table
from yunghap.core.models import AccessLog, AccessLogTarget
from yunghap.network.models import Firm, Industry

pytestmark = pytest.mark.django_db


def form_data(response):
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    return {k: ("" if v is None else v) for k, v in data.items() if not form.fields[k].disabled}


def test_firm_edit_form_logs_its_display_and_a_re_rendered_post(network, login):
    firm = network.member_firm
    client = login(network.users["seoul"])
    url = reverse("network:firm_edit", args=[firm.brn])
    response = client.get(url)
    assert firm.representative in response.content.decode()
    log = AccessLog.objects.get()
    assert (log.user, log.kind, log.object_type, log.object_ids) == (
        network.users["seoul"],
        "view",
        "network.firm",
        [str(firm.pk)],
    )
    data = {**form_data(response), "email": "not-an-address"}
    assert client.post(url, data).status_code == 200  # the form comes back with the stored values
    assert AccessLog.objects.count() == 2
    assert AccessLog.objects.first().object_ids == [str(firm.pk)]


def test_admin_change_page_of_a_firm_is_logged(network, login):
    firm = network.member_firm
    client = login(network.users["central"])
    url = reverse("admin:network_firm_change", args=[firm.pk])
    assert firm.phone in client.get(url).content.decode()
    log = AccessLog.objects.get()
    assert (log.user, log.object_type, log.object_ids, log.path) == (
        network.users["central"],
        "network.firm",
        [str(firm.pk)],
        url,
    )
    # The list shows no personal column: nothing to log.
    client.get(reverse("admin:network_firm_changelist"))
    assert AccessLog.objects.count() == 1


def test_admin_user_list_shows_names_and_addresses_and_is_logged(network, login):
    seoul = network.users["seoul"]
    seoul.email, seoul.name = "seoul-staff@example.kr", "김민수"
    seoul.save()
    client = login(network.users["central"])
    client.get(reverse("admin:accounts_user_changelist"))
    log = AccessLog.objects.get()
    assert (log.object_type, log.object_ids) == ("accounts.user", [str(seoul.pk)])


def many_firms(n):
    seoul, metal = region("seoul"), Industry.objects.get(code="26")
    Firm.objects.bulk_create(
        Firm(brn=make_brn(900000 + i), name=f"기업{i}", federation=seoul, industry=metal, phone="02-123-4567")
        for i in range(n)
    )
    return set(Firm.objects.exclude(phone="").values_list("pk", flat=True))


def test_an_export_of_more_than_a_thousand_firms_logs_every_id(network):
    ids = many_firms(1200)
    buffer = io.BytesIO()
    export_table("firms", network.users["central"], buffer, "csv")
    log = AccessLog.objects.get()
    assert log.record_count == len(ids) > 1000
    assert set(log.object_ids) == {str(i) for i in ids}
    assert set(log.targets.values_list("object_id", flat=True)) == {str(i) for i in ids}


def test_export_download_logs_every_id(network, login):
    ids = many_firms(1100)
    response = login(network.users["central"]).get(reverse("transfer:export", args=["firms", "csv"]))
    b"".join(response.streaming_content)
    log = AccessLog.objects.get()
    assert (log.kind, log.record_count) == ("export", len(ids))
    assert AccessLogTarget.objects.filter(log=log).count() == len(ids)
