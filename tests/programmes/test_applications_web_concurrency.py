"""Two submissions sharing a firm, at once, on two PostgreSQL connections: the call row is locked while the
rules are checked, so the second sees the first and `firm_limit` refuses it (issue 9: a firm in two
consortia of one call)."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError

from tests.helpers import at_once
from tests.programmes.factories import make_application, make_call
from tests.web.conftest import network  # noqa: F401  (the fixture)
from tests.write_once_support import COMMITTED_ROWS, postgres_only
from yunghap.network.models import Firm
from yunghap.programmes import application_services as services
from yunghap.programmes.models import Application


@postgres_only
@COMMITTED_ROWS
def test_two_submissions_sharing_a_firm_cannot_both_pass(network, monkeypatch):  # noqa: F811
    call = make_call(code="c-race")
    chair, guro = Firm.objects.get(name="광빛차체"), Firm.objects.get(name="구로전자")
    budget = {"government": 15_000_000, "cash": 1_000_000, "inkind": 4_000_000}
    first = make_application(
        call, network.member_firm, [chair, guro], status=Application.Status.DRAFT, **budget
    )
    second = make_application(
        call, network.busan_firm, [chair, guro], status=Application.Status.DRAFT, **budget
    )
    check = services.submission_errors

    def slow_check(application):
        # Inside the transaction, with the call row held: the other submission arrives meanwhile.
        reasons = check(application)
        time.sleep(0.4)
        return reasons

    monkeypatch.setattr(services, "submission_errors", slow_check)
    actor = network.users["firm"]

    def submit(pk):
        return lambda: services.submit_application(Application.objects.get(pk=pk), actor=actor)

    results = at_once(submit(first.pk), submit(second.pk))
    submitted = [r for r in results if isinstance(r, Application)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(submitted) == 1 and len(refused) == 1, results
    assert refused[0].messages == ["이 공모에 이미 1건의 신청에 참여한 기업이 있습니다: 광빛차체, 구로전자."]
    statuses = sorted(Application.objects.filter(call=call).values_list("status", flat=True))
    assert statuses == ["draft", "submitted"]
    assert Application.objects.get(status="submitted").eligibility == "eligible"
