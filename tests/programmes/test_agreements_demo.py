"""The agreements of the demo (helper 1): six selected applications of the closed call 2025-rnd, their
agreements made by the service, five ended and one running, all confirmed, one change approved and one
waiting; a second run changes nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tests.conftest import refill_reference_data
from yunghap.accounts.models import Role, RoleGrant
from yunghap.network.demo import DEFAULT_SEED
from yunghap.programmes import agreement_services as services
from yunghap.programmes import demo as programmes_demo
from yunghap.programmes import models as m
from yunghap.programmes.demo_agreements import build_agreements_demo


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        refill_reference_data()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", "--network-only", stdout=io.StringIO())
            out = io.StringIO()
            programmes_demo.build_demo(seed=DEFAULT_SEED, stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = [pytest.mark.usefixtures("built"), pytest.mark.django_db]


def test_the_closed_call_has_six_agreements_five_ended(built):
    assert "협약: 공모 2025-rnd 선정 6건의 협약(종료 5건, 수행 중 1건)" in built
    agreements = list(
        m.Agreement.objects.filter(application__call__code="2025-rnd").order_by("application__ref")
    )
    assert len(agreements) == 6
    today = timezone.localdate()
    assert [a.ends_on < today for a in agreements] == [False, True, True, True, True, True]
    # The funds demo then closes the settlement of the first ended agreement (programmes.demo_funds).
    assert [a.status for a in agreements] == ["active", "settled"] + ["ended"] * 4
    assert all(services.is_in_force(a) for a in agreements)
    assert all(a.reports.filter(kind="final").count() == 1 for a in agreements)
    for agreement in agreements:
        assert agreement.application.eligibility == "eligible", agreement.application.breaches
        assert sum(i.government_krw for i in agreement.instalments.all()) == agreement.government_krw


def test_the_demo_firm_leads_the_running_one_with_the_partner():
    running = m.Agreement.objects.get(application__ref="2025-rnd-001")
    lead = RoleGrant.objects.get(user__username="firm", role=Role.FIRM_USER).firm
    partner = RoleGrant.objects.get(user__username="partner", role=Role.FIRM_USER).firm
    assert running.application.consortium.lead == lead
    assert running.application.consortium.members.filter(firm=partner, state="accepted").exists()
    assert running.ends_on == datetime.date(2027, 2, 28)
    assert [(c.number, c.state) for c in running.change_requests.all()] == [(2, "pending"), (1, "approved")]


def test_a_second_run_changes_nothing():
    out = io.StringIO()
    build_agreements_demo(out)
    assert "이미 있어" in out.getvalue()
    assert m.Agreement.objects.count() == 6
