"""Review under concurrency (PostgreSQL): two staff pressing "자동 배정" at once assign once; a reviewer's
two submits at once store one review."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from tests.factories import FirmFactory, make_user
from tests.helpers import at_once
from tests.programmes.factories import assign, make_application, make_call, make_reviewer
from tests.write_once_support import COMMITTED_ROWS, postgres_only
from yunghap.accounts.models import Role
from yunghap.programmes import review_services as services
from yunghap.programmes.models import Review, ReviewAssignment

pytestmark = [postgres_only, COMMITTED_ROWS]


def test_two_automatic_assignments_at_once_assign_once():
    call = make_call(code="c-race", reviews_per_application=2)
    for i in range(3):
        make_application(call, FirmFactory(name=f"경쟁기업{i}"), [], ref=f"c-race-{i}")
    for i in range(4):
        make_reviewer(f"race{i}")
    staff = [make_user(f"boss{i}", Role.CENTRAL_STAFF) for i in range(2)]
    results = at_once(*(lambda s=s: services.auto_assign(call, actor=s) for s in staff))
    assert sorted(len(r) for r in results) == [0, 6]
    assert ReviewAssignment.objects.count() == 6


def test_two_submits_at_once_store_one_review():
    call = make_call(code="c-race2")
    application = make_application(call, FirmFactory(name="경쟁기업"), [], ref="c-race2-1")
    reviewer = make_reviewer("racer")
    item = assign(application, reviewer)
    scores = {"technology": 30, "feasibility": 20, "cooperation": 20}

    def submit():
        return services.submit_review(item, actor=reviewer.user, criterion_scores=scores, comment="좋음")

    results = at_once(submit, submit)
    assert sum(isinstance(r, Review) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Review.objects.count() == 1
