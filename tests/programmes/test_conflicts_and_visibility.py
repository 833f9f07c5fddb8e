"""Who sees an application, and the conflicts of interest that hide it from a reviewer (every code)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry, make_user
from tests.programmes.factories import assign, make_application, make_call, make_reviewer
from yunghap.accounts.models import Role
from yunghap.programmes.conflicts import conflict_map, conflicts_of
from yunghap.programmes.models import Application, DeclaredConflict, ReviewAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def field():
    """Two groups; a consortium of three firms from the first, and an outsider group for the reviewers."""
    group = GroupFactory(code="g-lead")
    other_group = GroupFactory(code="g-other")
    lead = FirmFactory(name="주관정밀", industry=industry("29"))
    partner = FirmFactory(name="참여전자", industry=industry("26"))
    third = FirmFactory(name="셋째화학", industry=industry("20"))
    for firm in (lead, partner, third):
        MembershipFactory(group=group, firm=firm)
    call = make_call(code="c-conflicts")
    application = make_application(call, lead, [partner, third])
    return {
        "group": group,
        "other_group": other_group,
        "call": call,
        "application": application,
        "lead": lead,
        "partner": partner,
    }


def test_a_reviewer_from_outside_has_no_conflict(field):
    outsider = FirmFactory(name="외부평가소")
    MembershipFactory(group=field["other_group"], firm=outsider)
    reviewer = make_reviewer("clean", affiliation=outsider)
    assert conflicts_of(reviewer, field["application"]) == []


def test_affiliation_with_a_member_is_a_conflict(field):
    reviewer = make_reviewer("insider", affiliation=field["partner"])
    assert "affiliation" in conflicts_of(reviewer, field["application"])


def test_sharing_a_current_group_with_a_member_is_a_conflict_and_ends_with_the_membership(field):
    mate = FirmFactory(name="같은교류회")
    membership = MembershipFactory(group=field["group"], firm=mate)
    reviewer = make_reviewer("mate", affiliation=mate)
    assert conflicts_of(reviewer, field["application"]) == ["same_group"]
    membership.left_on = datetime.date(2020, 1, 1)
    membership.save()
    assert conflicts_of(reviewer, field["application"]) == []


def test_being_in_another_application_of_the_same_call_is_a_conflict(field):
    rival = FirmFactory(name="경쟁기업")
    make_application(field["call"], rival, [])
    reviewer = make_reviewer("rival", affiliation=rival)
    assert conflicts_of(reviewer, field["application"]) == ["applicant"]
    # The same firm in an application of another call is no conflict here.
    reviewer_elsewhere = make_reviewer("elsewhere", affiliation=FirmFactory(name="딴공모기업"))
    make_application(make_call(code="c-other"), reviewer_elsewhere.affiliation, [])
    assert conflicts_of(reviewer_elsewhere, field["application"]) == []


def test_a_declared_conflict_with_a_member_is_a_conflict(field):
    reviewer = make_reviewer("declared")
    DeclaredConflict.objects.create(reviewer=reviewer, firm=field["lead"], reason="전 직장")
    assert conflicts_of(reviewer, field["application"]) == ["declared"]


def test_the_conflict_map_answers_every_pair_in_a_fixed_number_of_queries(
    field, django_assert_max_num_queries
):
    reviewers = [make_reviewer(f"many{i}", affiliation=FirmFactory()) for i in range(10)]
    applications = [make_application(field["call"], FirmFactory(), [FirmFactory()]) for _ in range(10)]
    with django_assert_max_num_queries(8):
        found = conflict_map(reviewers, [field["application"], *applications])
    # Each reviewer's firm leads nothing here; only the "applicant" code could arise, and it does not.
    assert found == {}


def test_a_reviewer_sees_an_assigned_application_only_without_conflict(field):
    reviewer = make_reviewer("assigned", affiliation=FirmFactory(name="평가기관"))
    assign(field["application"], reviewer)
    visible = Application.objects.visible_to(reviewer.user)
    assert list(visible) == [field["application"]]
    # A conflict that arises after the assignment hides the application at once.
    DeclaredConflict.objects.create(reviewer=reviewer, firm=field["partner"])
    assert list(Application.objects.visible_to(reviewer.user)) == []


def test_an_application_opens_to_its_reviewer_only_after_the_declaration(field):
    reviewer = make_reviewer("undeclared", affiliation=FirmFactory(name="평가기관2"))
    assignment = assign(field["application"], reviewer, declared=False)
    assert list(Application.objects.visible_to(reviewer.user)) == []
    assignment.declared_at, assignment.state = timezone.now(), ReviewAssignment.State.OPEN
    assignment.save()
    assert list(Application.objects.visible_to(reviewer.user)) == [field["application"]]
    assignment.state = ReviewAssignment.State.RECUSED
    assignment.save()
    assert list(Application.objects.visible_to(reviewer.user)) == []


def test_a_reviewer_sees_nothing_unassigned(field):
    reviewer = make_reviewer("idle")
    assert list(Application.objects.visible_to(reviewer.user)) == []


def test_members_coordinators_and_staff_see_the_application_others_do_not(field):
    app = field["application"]
    firm_user = make_user("member-user", Role.FIRM_USER, firm=field["partner"])
    coordinator = make_user("coord-lead", Role.COORDINATOR, group=field["group"])
    other_coordinator = make_user("coord-other", Role.COORDINATOR, group=field["other_group"])
    outsider_user = make_user("outsider-user", Role.FIRM_USER, firm=FirmFactory())
    central = make_user("central-x", Role.CENTRAL_STAFF)
    assert list(Application.objects.visible_to(firm_user)) == [app]
    assert list(Application.objects.visible_to(coordinator)) == [app]
    assert list(Application.objects.visible_to(central)) == [app]
    assert list(Application.objects.visible_to(other_coordinator)) == []
    assert list(Application.objects.visible_to(outsider_user)) == []
    assert list(Application.objects.visible_to(None)) == []
