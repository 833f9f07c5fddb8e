"""Pre-planning notes (사전 기술기획, /programmes/applications/<pk>/pre-planning/): the lead's coordinators and
central staff write them, the consortium's firms read them, reviewers never see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.programmes.factories import assign, make_application, make_call, make_reviewer
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog, Notification
from yunghap.core.onetime import new_token
from yunghap.network.models import Firm
from yunghap.programmes.coordination_services import NOTE_MAX
from yunghap.programmes.models import Application, PrePlanningNote

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(network):  # noqa: F811
    call = make_call(code="c-notes")
    return make_application(
        call, network.member_firm, [network.chair_firm, Firm.objects.get(name="구로전자")], ref="c-notes-001"
    )


def url(application: Application) -> str:
    return reverse("programmes:pre_planning", kwargs={"pk": application.pk})


def test_the_coordinator_adds_a_note_the_lead_is_told_and_the_partners_read_it(
    client,
    network,  # noqa: F811
    application,
    django_capture_on_commit_callbacks,
):
    partner_user = make_user("partner-user", Role.FIRM_USER, firm=network.chair_firm)
    client.force_login(network.users["coordinator"])
    assert client.get(url(application)).status_code == 200
    token = new_token()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(application), {"body": "  비전 검사 파트너를 한 곳 더 찾아 보세요.  ", "form_token": token}
        )
    assert response.status_code == 302 and response["Location"] == url(application)
    note = PrePlanningNote.objects.get()
    assert (
        note.body == "비전 검사 파트너를 한 곳 더 찾아 보세요."
        and note.author == network.users["coordinator"]
    )
    audit = AuditLog.objects.get(action="application.pre_planning_note")
    assert audit.object_id == str(application.pk) and audit.changes["note"] == note.pk
    # The lead firm's users are told (the partner's users are not), with the code and a link to the notes.
    told = Notification.objects.get()
    assert told.recipient == network.users["firm"]
    assert told.code == "programmes.pre_planning.note_added" and told.link == url(application)
    assert told.params["ref"] == "c-notes-001"
    # The same form sent again writes nothing more.
    again = client.post(
        url(application), {"body": "비전 검사 파트너를 한 곳 더 찾아 보세요.", "form_token": token}
    )
    assert again.status_code == 302 and PrePlanningNote.objects.count() == 1
    # The consortium's firms read it; they may not write.
    for user in (network.users["firm"], partner_user):
        client.force_login(user)
        page = client.get(url(application))
        assert page.status_code == 200 and "비전 검사 파트너를 한 곳 더 찾아 보세요." in page.content.decode()
        assert page.context["form"] is None
        assert (
            client.post(url(application), {"body": "제가 씁니다", "form_token": new_token()}).status_code
            == 403
        )
    assert PrePlanningNote.objects.count() == 1


def test_reviewers_never_see_the_notes_even_assigned(client, network, application):  # noqa: F811
    reviewer = make_reviewer("rev-notes")
    assign(application, reviewer)
    assert Application.objects.visible_to(reviewer.user).filter(pk=application.pk).exists()
    client.force_login(reviewer.user)
    assert client.get(url(application)).status_code == 404
    assert client.post(url(application), {"body": "x", "form_token": new_token()}).status_code == 404


def test_others_per_visibility(client, network, application):  # noqa: F811
    other_coordinator = make_user("coord-b", Role.COORDINATOR, group=network.seoul_other)
    cases = {
        network.users["seoul"]: 403,  # sees the application (its region), not the notes
        network.users["busan"]: 404,
        network.users["officer"]: 404,
        network.users["nobody"]: 404,
        other_coordinator: 404,  # 구로전자 is a partner in seoul-b, but the lead is not in their groups
    }
    for user, status in cases.items():
        client.force_login(user)
        assert client.get(url(application)).status_code == status, user.username
    client.logout()
    assert client.get(url(application)).status_code == 302


def test_an_empty_or_too_long_note_is_refused_in_the_page(client, network, application):  # noqa: F811
    client.force_login(network.users["central"])
    empty = client.post(url(application), {"body": "   ", "form_token": new_token()})
    assert empty.status_code == 200 and empty.context["form"].errors["body"] == ["필수 항목입니다."]
    long = client.post(url(application), {"body": "가" * (NOTE_MAX + 1), "form_token": new_token()})
    assert long.status_code == 200
    assert long.context["form"].errors["body"] == [
        f"이 값이 최대 {NOTE_MAX} 개의 글자인지 확인하세요(입력값 {NOTE_MAX + 1} 자)."
    ]
    assert not PrePlanningNote.objects.exists()


def test_a_withdrawn_application_takes_no_more_notes(client, network, application):  # noqa: F811
    Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
    client.force_login(network.users["coordinator"])
    response = client.post(url(application), {"body": "늦은 메모", "form_token": new_token()})
    assert response.status_code == 200
    assert response.context["form"].errors["body"] == ["철회된 신청서에는 메모를 남길 수 없습니다."]


def test_the_page_costs_few_queries(client, network, application, django_assert_max_num_queries):  # noqa: F811
    for n in range(5):
        PrePlanningNote.objects.create(
            application=application, author=network.users["coordinator"], body=f"메모 {n}"
        )
    client.force_login(network.users["firm"])
    client.get(url(application))
    with django_assert_max_num_queries(14):
        assert client.get(url(application)).status_code == 200
