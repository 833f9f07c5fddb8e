"""`yunghap demo`: the plan's network at its real size, consistent, deterministic, with one login per role.

The demo is built once for this module (a few seconds) inside a transaction that is rolled back at the end,
so other test modules still start from an empty database.
"""

from __future__ import annotations

import datetime
import io
import statistics
from collections import Counter, defaultdict

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction

from tests.conftest import refill_reference_data
from yunghap.accounts.models import Role, RoleGrant, User
from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_access
from yunghap.core.models import AccessLog
from yunghap.core.validators import brn_is_valid
from yunghap.network import demo as demo_module
from yunghap.network.demo import DEMO_AS_OF, DEMO_PASSWORD, generate_network, network_digest
from yunghap.network.models import ExchangeGroup, Federation, Firm, Membership


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        refill_reference_data()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            # The other apps' demo data are theirs to test; see test_extensions.py for the protocol.
            call_command("demo", "--network-only", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = pytest.mark.usefixtures("demo_output")


@pytest.mark.django_db
def test_network_has_the_plans_size():
    assert ExchangeGroup.objects.filter(kind=ExchangeGroup.Kind.UNIT).count() == 274
    assert Firm.objects.count() == 5684
    regions = set(ExchangeGroup.objects.values_list("federation__code", flat=True))
    assert regions == set(Federation.objects.filter(level="regional").values_list("code", flat=True))
    assert len(regions) == 13
    # The capital region holds the most groups, as in reality.
    per_region = Counter(ExchangeGroup.objects.values_list("federation__code", flat=True))
    assert per_region.most_common(2)[0][0] in {"seoul", "gyeonggi"}


@pytest.mark.django_db
def test_business_registration_numbers_are_valid_and_unique():
    brns = list(Firm.objects.values_list("brn", flat=True))
    assert all(brn_is_valid(brn) for brn in brns)
    assert len(set(brns)) == len(brns)
    names = list(Firm.objects.values_list("name", flat=True))
    assert len(set(names)) == len(names)


@pytest.mark.django_db
def test_rows_pass_model_validation():
    # A sample: full_clean queries for uniqueness row by row.
    for firm in Firm.objects.order_by("?")[:60]:
        firm.full_clean()
    for membership in Membership.objects.order_by("?")[:60]:
        membership.full_clean()
    for group in ExchangeGroup.objects.order_by("?")[:30]:
        group.full_clean()


@pytest.mark.django_db
def test_every_group_is_cross_industry():
    divisions = defaultdict(set)
    for group_id, industry_id in Membership.objects.values_list("group_id", "firm__industry_id"):
        divisions[group_id].add(industry_id)
    assert len(divisions) == 274
    assert min(len(d) for d in divisions.values()) >= 3
    assert 6 <= statistics.median(len(d) for d in divisions.values()) <= 15
    # Mostly manufacturing (KSIC section C), with services alongside.
    sections = Counter(Firm.objects.values_list("industry__section__code", flat=True))
    assert sections["C"] / 5684 > 0.6
    assert sections["J"] + sections["M"] + sections["G"] > 0


@pytest.mark.django_db
@pytest.mark.parametrize("on", [DEMO_AS_OF, datetime.date.today()])
def test_one_chair_and_one_secretary_per_living_group(on):
    current = Membership.objects.current(on)
    for role in (Membership.Role.CHAIR, Membership.Role.SECRETARY):
        holders = Counter(current.filter(role=role).values_list("group__status", "group_id"))
        active = ExchangeGroup.objects.exclude(status=ExchangeGroup.Status.DISSOLVED)
        assert {gid for (_s, gid) in holders} == set(active.values_list("id", flat=True))
        assert set(holders.values()) == {1}
    assert not current.filter(group__status=ExchangeGroup.Status.DISSOLVED).exists()


@pytest.mark.django_db
def test_membership_periods_never_overlap_and_respect_the_groups_dates():
    founded = dict(ExchangeGroup.objects.values_list("id", "founded_on"))
    periods = defaultdict(list)
    officers = defaultdict(list)
    for group_id, firm_id, role, joined, left in Membership.objects.values_list(
        "group_id", "firm_id", "role", "joined_on", "left_on"
    ):
        assert joined >= founded[group_id]
        assert joined <= DEMO_AS_OF and (left is None or joined < left <= DEMO_AS_OF)
        periods[group_id, firm_id].append((joined, left))
        if role != Membership.Role.MEMBER:
            officers[group_id, role].append((joined, left))
    for spans in [*periods.values(), *officers.values()]:
        spans.sort()
        for (_j1, left), (joined, _l2) in zip(spans, spans[1:], strict=False):
            assert left is not None and left <= joined
    # Past chairs rotated: every group older than six years has had several.
    chairs_per_group = Counter(group_id for (group_id, role) in officers if role == Membership.Role.CHAIR)
    assert chairs_per_group
    assert all(len(officers[key]) >= 3 for key in officers if key[1] == Membership.Role.CHAIR)


@pytest.mark.django_db
def test_every_firm_is_a_current_member_and_some_have_left_groups():
    current = Counter(Membership.objects.current(DEMO_AS_OF).values_list("firm_id", flat=True).distinct())
    groups_per_firm = Counter(
        Membership.objects.current(DEMO_AS_OF)
        .values_list("firm_id", "group_id")
        .distinct()
        .values_list("firm_id", flat=True)
    )
    assert len(current) == 5684
    two = sum(1 for n in groups_per_firm.values() if n == 2)
    assert 0.03 < two / 5684 < 0.07
    assert max(groups_per_firm.values()) == 2
    # Former members: periods that ended without a later period of the same firm in that group.
    last = {}
    for group_id, firm_id, left in Membership.objects.order_by("joined_on").values_list(
        "group_id", "firm_id", "left_on"
    ):
        last[group_id, firm_id] = left
    assert sum(1 for left in last.values() if left is not None) > 274


@pytest.mark.django_db
def test_exchange_types_follow_the_plans_survey_shares():
    counts = Counter(
        ExchangeGroup.exchange_types.through.objects.values_list("exchangetype__code", flat=True)
    )
    assert abs(counts["info"] / 274 - 0.836) < 0.01
    assert abs(counts["resource"] / 274 - 0.308) < 0.01
    assert abs(counts["newproduct"] / 274 - 0.241) < 0.01
    assert not ExchangeGroup.objects.filter(exchange_types__isnull=True).exists()
    statuses = Counter(ExchangeGroup.objects.values_list("status", flat=True))
    assert statuses["active"] > 240 and statuses["dormant"] > 0 and statuses["dissolved"] > 0


@pytest.mark.django_db
def test_demo_logins_one_per_role(demo_output):
    usernames = ("central", "seoul", "officer", "firm", "coordinator", "reviewer")
    for username in usernames:
        assert username in demo_output
    assert DEMO_PASSWORD in demo_output
    # One shared password (hashed once): a single real login proves it for all six.
    assert User.objects.filter(username__in=usernames).values("password").distinct().count() == 1
    assert authenticate(username="seoul", password=DEMO_PASSWORD) is not None

    def scope(name):
        return scope_of(User.objects.get(username=name))

    central = User.objects.get(username="central")
    assert central.is_staff and scope("central").central
    assert scope("seoul").region_ids == {Federation.objects.get(code="seoul").id}
    officer_group = RoleGrant.objects.get(user__username="officer", role=Role.GROUP_OFFICER).group
    assert officer_group.federation.code == "seoul"
    chair = Membership.objects.current().get(group=officer_group, role=Membership.Role.CHAIR)
    assert chair.firm.representative == User.objects.get(username="officer").name
    firm_scope = scope("firm")
    assert len(firm_scope.firm_ids) == 1
    assert Membership.objects.current().filter(firm_id__in=firm_scope.firm_ids, group=officer_group).exists()
    coordinated = RoleGrant.objects.filter(user__username="coordinator", role=Role.COORDINATOR)
    assert 3 <= coordinated.count() <= 5 and all(g.group_id for g in coordinated)
    assert scope("reviewer").reviewer and not scope("reviewer").has_network_access
    assert not any(scope(n).central for n in ("seoul", "officer", "firm", "coordinator", "reviewer"))


@pytest.mark.django_db
def test_refuses_on_a_database_that_already_holds_a_network():
    before = network_digest()
    out = io.StringIO()
    call_command("demo", stdout=out)  # exits normally: `make run` calls it every time
    assert "이미" in out.getvalue()
    assert network_digest() == before
    with pytest.raises(CommandError, match="--yes"):
        call_command("demo", "--reset", stdout=io.StringIO())
    assert Firm.objects.count() == 5684


@pytest.mark.django_db
def test_reset_rebuilds_the_same_network_from_the_same_seed():
    before = network_digest()
    seoul = User.objects.get(username="seoul")
    # Browsing the demo logs personal-data views; that log protects the user row from deletion.
    record_access(seoul, AccessLog.Kind.VIEW, "network.firm", [Firm.objects.first().pk])
    call_command("demo", "--reset", "--yes", "--network-only", stdout=io.StringIO())
    assert network_digest() == before
    assert User.objects.filter(username__in=demo_module.DEMO_USERNAMES).count() == 6
    assert User.objects.get(username="seoul").pk == seoul.pk
    assert RoleGrant.objects.filter(user=seoul).count() == 1
    assert authenticate(username="seoul", password=DEMO_PASSWORD) is not None


@pytest.mark.django_db
def test_same_seed_same_network_other_seed_other_network():
    first, again = generate_network(1), generate_network(1)
    assert first == again
    stored = set(Firm.objects.values_list("brn", flat=True))  # built with the default seed
    assert len(stored & {f.brn for f in first.firms}) < 100


@pytest.mark.django_db
def test_the_matching_walkthrough_works_with_the_printed_logins():
    """Issue 8 §6: every matching flow can be walked with the demo logins — the coordinator's caseload
    holds the firm user's groups, the firm's needs have partners, and the queues of `coordinator` and
    `seoul` have postings waiting."""
    import random

    from django.utils import timezone

    from yunghap.matching import demo as matching_demo
    from yunghap.matching import review
    from yunghap.matching.models import Posting

    firm = RoleGrant.objects.get(user__username="firm", role=Role.FIRM_USER).firm
    assert firm.name == "스마트산업(주)"
    firm_groups = set(Membership.objects.current().filter(firm=firm).values_list("group_id", flat=True))
    coordinated = set(
        RoleGrant.objects.filter(user__username="coordinator", role=Role.COORDINATOR).values_list(
            "group_id", flat=True
        )
    )
    assert firm_groups and firm_groups <= coordinated

    firms = list(Firm.objects.filter(status=Firm.Status.ACTIVE).select_related("industry").order_by("id"))
    Posting.objects.bulk_create(
        matching_demo._walkthrough_postings(random.Random(1), firms, timezone.localdate())
    )
    needs = Posting.objects.filter(firm=firm, kind="need", review_status="approved")
    assert needs.count() == 2
    offers = Posting.objects.filter(kind="offer", review_status="approved").exclude(
        firm__industry=firm.industry
    )
    for need in needs:
        partners = {o.firm_id for o in offers if need.keywords[0] in o.keywords}
        assert len(partners) >= 3, need.title
    coordinator, seoul = User.objects.get(username="coordinator"), User.objects.get(username="seoul")
    assert review.pending_for(coordinator).count() >= 3
    waiting_for_seoul = review.pending_for(seoul)
    assert waiting_for_seoul.count() >= 3
    assert all(review.review_level(p.firm) == review.REGIONAL for p in waiting_for_seoul)
