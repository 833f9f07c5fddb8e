"""Issue 8 §4: a firm's secondary industries are edited on its form (the main industry is never one of
them), shown on its page, and recorded in the audit row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import industry
from yunghap.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_firm_form_sets_secondary_industries_without_the_main_one(network, login):
    firm = network.member_firm
    client = login(network.users["seoul"])
    url = reverse("network:firm_edit", args=[firm.brn])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if not form.fields[name].disabled}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["secondary_industries"] = [industry("62").pk, industry(firm.industry.code).pk]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert [i.code for i in firm.secondary_industries.all()] == ["62"]
    audit = AuditLog.objects.filter(action="firm.update").latest("id")
    assert audit.changes["secondary_industries"] == [[], [industry("62").pk]]
    page = client.get(reverse("network:firm_detail", args=[firm.brn])).content.decode()
    assert f"62 {industry('62').name}" in page
