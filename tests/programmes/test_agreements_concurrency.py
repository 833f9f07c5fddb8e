"""Exactly once under concurrency, on two PostgreSQL connections: two users of one member firm confirming
the agreement at the same moment give one confirmation (the second waits on the agreement's lock, then is
told it is done); two staff making the agreement of one result at once make one agreement."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError

from tests.factories import FirmFactory, make_user
from tests.helpers import at_once
from tests.programmes.agreement_factories import agreed, selected_application
from tests.write_once_support import COMMITTED_ROWS, postgres_only
from yunghap.accounts.models import Role
from yunghap.programmes import agreement_services as services
from yunghap.programmes.models import Agreement, AgreementConfirmation, Report, SelectionResult


@postgres_only
@COMMITTED_ROWS
def test_two_users_of_one_firm_confirm_once(monkeypatch):
    lead = FirmFactory()
    agreement = agreed(lead=lead)
    first = make_user("lead-a", Role.FIRM_USER, firm=lead)
    second = make_user("lead-b", Role.FIRM_USER, firm=lead)
    member_firm_ids = services.member_firm_ids

    def slow(agreement_, user):
        # Inside the transaction, with the agreement row held: the other click arrives meanwhile.
        firms = member_firm_ids(agreement_, user)
        time.sleep(0.4)
        return firms

    monkeypatch.setattr(services, "member_firm_ids", slow)

    def confirm(user):
        return lambda: services.confirm_agreement(Agreement.objects.get(pk=agreement.pk), actor=user)

    results = at_once(confirm(first), confirm(second))
    made = [r for r in results if isinstance(r, list)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(made) == 1 and len(refused) == 1, results
    assert refused[0].messages == ["이미 협약을 확인했습니다."]
    assert AgreementConfirmation.objects.filter(agreement=agreement, firm=lead).count() == 1


@postgres_only
@COMMITTED_ROWS
def test_two_staff_make_one_agreement_of_a_result():
    _application, result = selected_application()
    central = make_user("central-a", Role.CENTRAL_STAFF)
    other = make_user("central-b", Role.CENTRAL_STAFF)

    def make(user):
        return lambda: services.create_agreement(SelectionResult.objects.get(pk=result.pk), actor=user)

    results = at_once(make(central), make(other))
    assert all(isinstance(r, Agreement) for r in results), results
    assert results[0].pk == results[1].pk
    assert Agreement.objects.count() == 1
    assert Report.objects.filter(agreement=results[0]).count() == 2
