"""The demo has consenting and non-consenting firms (issue 12 §3): about half, the same ones for the same
seed; the `firm` login's firm has not consented (its user can try), the officer's chair firm has."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.conftest import refill_reference_data
from yunghap.accounts.models import Role, RoleGrant
from yunghap.network.models import Firm, FirmListing, Membership


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        refill_reference_data()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", "--network-only", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = pytest.mark.usefixtures("demo")


@pytest.mark.django_db
def test_about_half_of_the_demo_firms_are_listed_the_same_for_the_same_seed():
    firms = Firm.objects.count()
    listed = FirmListing.objects.filter(consented=True).count()
    assert 0.45 * firms < listed < 0.55 * firms
    before = dict(FirmListing.objects.values_list("firm__brn", "public_id"))
    call_command("demo", "--reset", "--yes", "--network-only", stdout=io.StringIO())
    assert dict(FirmListing.objects.values_list("firm__brn", "public_id")) == before


@pytest.mark.django_db
def test_the_firm_login_has_not_consented_and_the_chair_has():
    firm = RoleGrant.objects.get(user__username="firm", role=Role.FIRM_USER).firm
    assert not FirmListing.objects.filter(firm=firm, consented=True).exists()
    group = RoleGrant.objects.get(user__username="officer", role=Role.GROUP_OFFICER).group
    chair = Membership.objects.current().get(group=group, role=Membership.Role.CHAIR).firm
    assert FirmListing.objects.get(firm=chair).consented
