"""The coaching caseload (/coaching/): quiet groups and consortia (no session for N days, N a setting central
staff change), pre-planning in progress, next steps due with the overdue first; in a fixed number of
queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry
from tests.programmes.factories import make_application, make_call
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role, RoleGrant
from yunghap.accounts.scope import forget_scope
from yunghap.coaching import services
from yunghap.coaching.models import CoachingSession, CoachingSettings, NextStep
from yunghap.core.models import AuditLog
from yunghap.programmes.models import Application

pytestmark = pytest.mark.django_db

URL = "/coaching/"


def ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def session(network, subject, days_ago, kind="seminar", steps=()):  # noqa: F811
    return services.log_session(
        actor=network.users["coordinator"],
        subject=subject,
        held_on=ago(days_ago),
        kind=kind,
        notes="코칭",
        steps=[services.StepInput(text, ago(-due)) for text, due in steps],
    )


@pytest.fixture
def caseload(network):  # noqa: F811
    coordinator = network.users["coordinator"]
    RoleGrant.objects.create(user=coordinator, role=Role.COORDINATOR, group=network.seoul_other)
    call = make_call(code="c-case")
    draft = make_application(call, network.member_firm, [], ref="c-case-001", status=Application.Status.DRAFT)
    submitted = make_application(call, network.chair_firm, [], ref="c-case-002")
    session(network, network.seoul_group, 61, steps=[("오래된 할 일", -5), ("다음 주 할 일", 7)])
    session(network, network.seoul_other, 59, steps=[("먼 할 일", 40)])
    session(network, draft.consortium, 10, kind="pre_planning", steps=[("어제까지 할 일", -1)])
    return {"draft": draft, "submitted": submitted}


def test_the_coordinator_sees_what_needs_attention(client, network, caseload):  # noqa: F811
    client.force_login(network.users["coordinator"])
    response = client.get(URL)
    assert response.status_code == 200
    case = response.context["case"]
    # Seoul A's last session was 61 days ago (quiet at 60); Seoul B's 59 days ago.
    assert [g.name for g in case.quiet_groups] == ["테헤란기술교류회"]
    assert case.quiet_groups[0].last_contact == ago(61)
    # The chair firm's consortium never had a session; the draft's had one 10 days ago.
    assert [c.pk for c in case.quiet_consortia] == [caseload["submitted"].consortium_id]
    assert [c.pk for c in case.pre_planning] == [caseload["draft"].consortium_id]
    assert case.pre_planning[0].planning_sessions == 1
    # Overdue first, then due within 14 days; the step 40 days away is not yet shown.
    assert [s.text for s in case.steps] == ["오래된 할 일", "어제까지 할 일", "다음 주 할 일"]
    assert case.overdue_count == 2
    html = response.content.decode()
    assert "기한 지남 2" in html


def test_central_staff_change_the_quiet_days(client, network, caseload):  # noqa: F811
    client.force_login(network.users["central"])
    settings_url = reverse("coaching:settings")
    assert client.get(settings_url).status_code == 200
    # Reading the page wrote nothing; saving creates the one row.
    assert not CoachingSettings.objects.exists()
    response = client.post(settings_url, {"quiet_days": "30", "due_soon_days": "60", "version": "1"})
    assert response.status_code == 302
    row = CoachingSettings.objects.get()
    assert (row.quiet_days, row.due_soon_days, row.version) == (30, 60, 2)
    assert AuditLog.objects.filter(action="coaching.settings.update").count() == 1
    bad = client.post(settings_url, {"quiet_days": "0", "due_soon_days": "14", "version": "2"})
    assert bad.status_code == 200 and bad.context["form"].errors["quiet_days"]
    client.force_login(network.users["coordinator"])
    case = client.get(URL).context["case"]
    # The longest quiet first.
    assert [g.name for g in case.quiet_groups] == ["테헤란기술교류회", "구로융합교류회"]
    assert {s.text for s in case.steps} == {"오래된 할 일", "어제까지 할 일", "다음 주 할 일", "먼 할 일"}
    assert client.get(settings_url).status_code == 403


def test_regional_staff_see_their_region_and_others_are_refused(client, network, caseload):  # noqa: F811
    client.force_login(network.users["busan"])
    case = client.get(URL).context["case"]
    assert [g.name for g in case.quiet_groups] == ["해운대교류회"]
    assert case.steps == []
    for user in ("firm", "officer", "nobody"):
        client.force_login(network.users[user])
        assert client.get(URL).status_code == 403


def test_the_caseload_takes_a_fixed_number_of_queries(
    client,
    network,  # noqa: F811
    caseload,
    django_assert_max_num_queries,
):
    client.force_login(network.users["coordinator"])
    client.get(URL)
    # Session, user, grants; then the settings row, the groups, the quiet consortia, pre-planning, the steps.
    with django_assert_max_num_queries(8) as small:
        client.get(URL)
    # Ten more groups, consortia and sessions with steps: the same number of queries.
    call = make_call(code="c-more")
    for n in range(10):
        group = GroupFactory(code=f"more-{n}", federation=network.seoul_group.federation)
        firm = FirmFactory(industry=industry("20"))
        MembershipFactory(group=group, firm=firm)
        RoleGrant.objects.create(user=network.users["coordinator"], role=Role.COORDINATOR, group=group)
        forget_scope(network.users["coordinator"])
        application = make_application(call, firm, [], ref=f"c-more-{n:03d}", status=Application.Status.DRAFT)
        session(network, application.consortium, 70, kind="pre_planning", steps=[("할 일", -n)])
    client.force_login(network.users["coordinator"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    assert len(response.context["case"].steps) == 13 and NextStep.objects.count() == 14
    assert CoachingSession.objects.count() == 13


def test_a_step_marked_done_on_the_caseload_leaves_it(client, network, caseload):  # noqa: F811
    client.force_login(network.users["coordinator"])
    step = NextStep.objects.get(text="오래된 할 일")
    html = client.get(URL).content.decode()
    assert reverse("coaching:next_step_done", kwargs={"pk": step.pk}) in html
    response = client.post(
        reverse("coaching:next_step_done", kwargs={"pk": step.pk}), {"done": "1", "next": "caseload"}
    )
    assert response.status_code == 302 and response["Location"] == URL
    assert [s.text for s in client.get(URL).context["case"].steps] == ["어제까지 할 일", "다음 주 할 일"]
