"""The coordinator's caseload of consortia (/programmes/caseload/): whose applications, what each row says,
the queries it costs, and the batch rule check it uses."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import FirmFactory, MembershipFactory, industry, make_user
from tests.programmes.factories import make_application, make_call
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role
from yunghap.network.models import Firm, Membership
from yunghap.programmes import coordination_services as services
from yunghap.programmes.models import Application, ConsortiumMember, PrePlanningNote
from yunghap.programmes.rules import check_application, check_applications

URL = reverse("programmes:coordinator_caseload")
pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(network):  # noqa: F811
    call = make_call(code="c-case")
    guro = Firm.objects.get(name="구로전자")
    # 새영테크 (seoul-a) leads a submitted application; 광빛차체 (seoul-a) a draft with a partner invited.
    submitted = make_application(call, network.member_firm, [guro, network.busan_firm], ref="c-case-001")
    draft = make_application(
        call,
        network.chair_firm,
        [FirmFactory(name="초대기업", industry=industry("20"))],
        status=Application.Status.DRAFT,
        partner_state=ConsortiumMember.State.INVITED,
        ref="c-case-002",
    )
    # 구로전자 (seoul-b, another coordinator's group) leads one the Seoul-a coordinator must not see.
    other = make_application(call, guro, [network.busan_firm], ref="c-case-003")
    withdrawn = make_application(
        call, network.chair_firm, [], ref="c-case-004", status=Application.Status.WITHDRAWN
    )
    PrePlanningNote.objects.create(application=submitted, author=network.users["coordinator"], body="첫 메모")
    PrePlanningNote.objects.create(
        application=submitted, author=network.users["coordinator"], body="예산의 현금 비율을 다시 보세요"
    )
    return {"call": call, "submitted": submitted, "draft": draft, "other": other, "withdrawn": withdrawn}


def refs(response) -> list[str]:
    return [row.ref for row in response.context["rows"]]


def test_the_coordinator_sees_their_groups_consortia_with_what_is_still_missing(client, network, setup):  # noqa: F811
    client.force_login(network.users["coordinator"])
    response = client.get(URL)
    assert response.status_code == 200
    assert refs(response) == ["c-case-001", "c-case-002"]  # not seoul-b's, not the withdrawn one
    rows = {row.ref: row for row in response.context["rows"]}
    # Rule breaches now, from the rules: the submitted one (divisions 26, 26, 29) breaks none.
    assert rows["c-case-001"].breaches_now == []
    # The draft: only the lead accepted so far → too few members and divisions; the partner still to answer.
    assert [b.code for b in rows["c-case-002"].breaches_now] == ["members", "divisions"]
    assert rows["c-case-002"].waiting_partners == ["초대기업"]
    assert rows["c-case-001"].last_note_body == "예산의 현금 비율을 다시 보세요"
    html = response.content.decode()
    assert "참여기업이 주관기업을 포함해 1개로, 최소 3개에 못 미칩니다." in html
    assert "초대기업" in html
    assert reverse("programmes:pre_planning", kwargs={"pk": setup["submitted"].pk}) in html
    # Read only: the stored eligibility of the draft is untouched.
    setup["draft"].refresh_from_db()
    assert setup["draft"].eligibility == "" and setup["draft"].breaches == []


def test_another_groups_coordinator_sees_none_of_it_and_an_ended_membership_ends_it(client, network, setup):  # noqa: F811
    other_coordinator = make_user("coord-b", Role.COORDINATOR, group=network.seoul_other)
    client.force_login(other_coordinator)
    assert refs(client.get(URL)) == ["c-case-003"]

    Membership.objects.filter(group=network.seoul_group, firm=network.member_firm).update(
        left_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(network.users["coordinator"])
    assert refs(client.get(URL)) == ["c-case-002"]  # 새영테크 left seoul-a: its consortium goes
    Membership.objects.filter(group=network.seoul_group).update(
        left_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert refs(client.get(URL)) == []


def test_a_coordinator_who_is_also_a_firm_user_sees_only_the_coordinated_part(client, network, setup):  # noqa: F811
    from yunghap.accounts.models import RoleGrant

    user = make_user("coord-firm", Role.COORDINATOR, group=network.seoul_other)
    RoleGrant.objects.create(user=user, role=Role.FIRM_USER, firm=network.chair_firm)
    client.force_login(user)
    assert refs(client.get(URL)) == ["c-case-003"]  # not 광빛차체's own draft: that is the firm's page


def test_central_staff_see_all_and_filter_by_coordinator_others_are_refused(client, network, setup):  # noqa: F811
    client.force_login(network.users["central"])
    assert refs(client.get(URL)) == ["c-case-001", "c-case-002", "c-case-003"]
    coordinator = network.users["coordinator"]
    assert refs(client.get(URL, {"coordinator": coordinator.pk})) == ["c-case-001", "c-case-002"]
    bad = client.get(URL, {"coordinator": network.users["firm"].pk})
    assert bad.status_code == 400
    assert "코디네이터 값이 올바르지 않습니다." in bad.content.decode()
    for persona in ("seoul", "officer", "firm", "nobody"):
        client.force_login(network.users[persona])
        assert client.get(URL).status_code == 403


def test_the_caseload_costs_the_same_queries_however_many_consortia(
    client,
    network,  # noqa: F811
    setup,
    django_assert_max_num_queries,
):
    client.force_login(network.users["coordinator"])
    client.get(URL)  # warm the session and the menu caches
    with django_assert_max_num_queries(16) as few:
        client.get(URL)
    for n in range(12):
        lead = FirmFactory(name=f"리드{n}", industry=industry("25"))
        MembershipFactory(group=network.seoul_group, firm=lead)
        partners = [FirmFactory(name=f"파트너{n}-{k}", industry=industry("2" + str(k))) for k in range(2)]
        for partner in partners:
            MembershipFactory(group=network.seoul_other, firm=partner)
        make_application(setup["call"], lead, partners, ref=f"c-case-1{n:02d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["rows"]) == 14


def test_the_batch_check_equals_the_single_check(network, setup):  # noqa: F811
    # A firm in two applications of the call: the second breaks firm_limit, the earlier does not.
    call = setup["call"]
    now = timezone.now()
    extra = FirmFactory(name="겹치기", industry=industry("20"))
    MembershipFactory(group=network.seoul_other, firm=extra)
    first = make_application(
        call, FirmFactory(name="A", industry=industry("10")), [extra], ref="c-case-201", submitted_at=now
    )
    second = make_application(
        call,
        FirmFactory(name="B", industry=industry("11")),
        [extra, network.busan_firm],
        ref="c-case-202",
        submitted_at=now,
    )
    applications = list(Application.objects.select_related("call").order_by("pk"))
    batch = check_applications(applications)
    for application in applications:
        assert batch[application.pk] == check_application(application), application.ref
    assert "firm_limit" in [b.code for b in batch[second.pk]]
    assert "firm_limit" not in [b.code for b in batch[first.pk]]
    assert check_applications([]) == {}


def test_coordinated_applications_is_visible_to_for_a_coordinator(network, setup):  # noqa: F811
    coordinator = network.users["coordinator"]
    assert set(services.coordinated_applications(coordinator)) == set(
        Application.objects.visible_to(coordinator)
    )
    assert list(services.coordinated_applications(network.users["firm"])) == []
