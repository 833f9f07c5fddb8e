"""Coaching sessions (/coaching/sessions/): a coordinator logs a session with a group, a consortium or a firm
of their scope, with next steps; only they change it (version-checked); staff of the region read it; a
pre-planning session writes a pre-planning note that carries into the consortium's application."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_user
from tests.programmes.factories import make_application, make_call, make_topic
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role
from yunghap.coaching import services
from yunghap.coaching.models import CoachingSession, NextStep
from yunghap.core.models import AuditLog
from yunghap.core.onetime import new_token
from yunghap.programmes.models import Application, PrePlanningNote

pytestmark = pytest.mark.django_db

CREATE = "/coaching/sessions/new/"


def today() -> datetime.date:
    return timezone.localdate()


def form(subject: str, **fields):
    data = {
        "subject": subject,
        "held_on": today().isoformat(),
        "kind": "seminar",
        "notes": "센서 금형 세미나를 열었습니다.",
        "form_token": new_token(),
    }
    data.update(fields)
    return data


def test_a_coordinator_logs_a_session_with_next_steps_once(client, network):  # noqa: F811
    client.force_login(network.users["coordinator"])
    assert client.get(CREATE).status_code == 200
    due = today() + datetime.timedelta(days=10)
    data = form(
        f"group:{network.seoul_group.pk}",
        step_1_text="금형 업체 소개",
        step_1_due=due.isoformat(),
        step_2_text="시제품 일정 확인",
        step_2_due=(due + datetime.timedelta(days=5)).isoformat(),
    )
    response = client.post(CREATE, data)
    session = CoachingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:session_detail", kwargs={"pk": session.pk})
    assert (session.group, session.kind, session.coordinator) == (
        network.seoul_group,
        "seminar",
        network.users["coordinator"],
    )
    assert [(s.text, s.due_on) for s in session.next_steps.all()] == [
        ("금형 업체 소개", due),
        ("시제품 일정 확인", due + datetime.timedelta(days=5)),
    ]
    audit = AuditLog.objects.get(action="coaching.session.create")
    assert (
        audit.object_id == str(session.pk) and audit.changes["subject"] == f"group:{network.seoul_group.pk}"
    )
    # The same form sent again writes nothing more.
    again = client.post(CREATE, data)
    assert again.status_code == 302 and CoachingSession.objects.count() == 1 and NextStep.objects.count() == 2


def test_bad_input_is_re_shown_in_korean(client, network):  # noqa: F811
    client.force_login(network.users["coordinator"])
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
    response = client.post(CREATE, form(f"group:{network.seoul_group.pk}", held_on=tomorrow))
    assert response.status_code == 200
    assert "코칭일은 오늘이나 그 전이어야 합니다." in response.content.decode()
    response = client.post(CREATE, form(f"group:{network.seoul_group.pk}", step_1_text="소개"))
    assert response.status_code == 200 and "다음 할 일의 기한을 입력해 주세요." in response.content.decode()
    # A group the coordinator does not coordinate is not a choice.
    response = client.post(CREATE, form(f"group:{network.busan_group.pk}"))
    assert response.status_code == 200 and response.context["form"].errors["subject"]
    assert not CoachingSession.objects.exists()


def test_only_coordinators_log_and_the_subject_must_be_in_scope(network):  # noqa: F811
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.log_session(
            actor=network.users["coordinator"],
            subject=network.busan_firm,
            held_on=today(),
            kind="site_visit",
            notes="방문",
        )
    with pytest.raises(PermissionDenied):
        services.log_session(
            actor=network.users["seoul"],
            subject=network.seoul_group,
            held_on=today(),
            kind="other",
            notes="x",
        )
    # A current member of the coordinator's group is in scope; the firm that left in 2010 is not.
    services.log_session(
        actor=network.users["coordinator"],
        subject=network.member_firm,
        held_on=today(),
        kind="site_visit",
        notes="방문",
    )
    with pytest.raises(PermissionDenied):
        services.log_session(
            actor=network.users["coordinator"],
            subject=network.former_firm,
            held_on=today(),
            kind="site_visit",
            notes="방문",
        )


@pytest.fixture
def session(network):  # noqa: F811
    return services.log_session(
        actor=network.users["coordinator"],
        subject=network.seoul_group,
        held_on=today(),
        kind="seminar",
        notes="첫 세미나",
        steps=[services.StepInput("업체 소개", today() + datetime.timedelta(days=3))],
    )


def test_who_reads_and_who_changes_a_session(client, network, session):  # noqa: F811
    detail = reverse("coaching:session_detail", kwargs={"pk": session.pk})
    edit = reverse("coaching:session_edit", kwargs={"pk": session.pk})
    other_coordinator = make_user("coord-b", Role.COORDINATOR, group=network.seoul_group)
    for user, read, change in [
        (network.users["central"], 200, 403),
        (network.users["seoul"], 200, 403),
        (network.users["busan"], 404, 404),
        (network.users["firm"], 404, 404),
        (network.users["officer"], 404, 404),
        (other_coordinator, 200, 403),
        (network.users["coordinator"], 200, 200),
    ]:
        client.force_login(user)
        assert client.get(detail).status_code == read, user
        assert client.get(edit).status_code == change, user


def test_an_edit_checks_the_version(client, network, session):  # noqa: F811
    client.force_login(network.users["coordinator"])
    edit = reverse("coaching:session_edit", kwargs={"pk": session.pk})
    data = {
        "held_on": today().isoformat(),
        "kind": "matching",
        "notes": "파트너 매칭으로 바꿈",
        "version": "1",
    }
    assert client.post(edit, data).status_code == 302
    session.refresh_from_db()
    assert (session.kind, session.version) == ("matching", 2)
    assert AuditLog.objects.filter(action="coaching.session.update").count() == 1
    # A second edit read at version 1 is refused with the conflict panel, nothing lost.
    stale = client.post(edit, {**data, "notes": "다른 내용"})
    assert stale.status_code == 200
    assert "다른 사용자가 먼저 이 정보를 수정했습니다." in stale.content.decode()
    session.refresh_from_db()
    assert session.notes == "파트너 매칭으로 바꿈"


def test_next_steps_are_added_and_marked_done_once(client, network, session):  # noqa: F811
    client.force_login(network.users["coordinator"])
    step = session.next_steps.get()
    url = reverse("coaching:next_step_done", kwargs={"pk": step.pk})
    assert client.post(url, {"done": "1"}).status_code == 302
    assert client.post(url, {"done": "1"}).status_code == 302
    step.refresh_from_db()
    assert step.done and step.done_by == network.users["coordinator"]
    assert AuditLog.objects.filter(action="coaching.step.done").count() == 1
    add = reverse("coaching:next_step_add", kwargs={"pk": session.pk})
    token = new_token()
    due = (today() + datetime.timedelta(days=9)).isoformat()
    assert client.post(add, {"text": "견적 받기", "due_on": due, "form_token": token}).status_code == 302
    assert client.post(add, {"text": "견적 받기", "due_on": due, "form_token": token}).status_code == 302
    assert session.next_steps.count() == 2
    # Central staff read it but may not close another's step.
    client.force_login(network.users["central"])
    assert client.post(url, {"done": "0"}).status_code == 403


# --- pre-planning -----------------------------------------------------------------------------------------


@pytest.fixture
def application(network):  # noqa: F811
    call = make_call(code="c-coach")
    return make_application(
        call, network.member_firm, [network.chair_firm], ref="c-coach-001", status=Application.Status.DRAFT
    )


def test_a_pre_planning_session_writes_a_note_that_carries_into_the_application(
    client,
    network,  # noqa: F811
    application,
    django_capture_on_commit_callbacks,
):
    from yunghap.core.models import Notification

    client.force_login(network.users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CREATE,
            form(
                f"consortium:{application.consortium_id}",
                kind="pre_planning",
                notes="비전 검사 모듈의 기술 기획을 함께 정리했습니다.",
                write_note="on",
                note_body="비전 검사 파트너를 한 곳 더 찾아 보세요.",
            ),
        )
    assert response.status_code == 302
    # The lead firm's users are told, as for a note written on the application's page.
    told = Notification.objects.get()
    assert (told.recipient, told.code) == (network.users["firm"], "programmes.pre_planning.note_added")
    session = CoachingSession.objects.get()
    note = PrePlanningNote.objects.get()
    assert session.pre_planning_note == note
    assert (note.consortium_id, note.application_id, note.topic_id) == (
        application.consortium_id,
        application.pk,
        None,
    )
    # The consortium's firm reads it on the application page and on the notes page.
    client.force_login(network.users["firm"])
    for url in (
        reverse("programmes:application_detail", kwargs={"pk": application.pk}),
        reverse("programmes:pre_planning", kwargs={"pk": application.pk}),
    ):
        page = client.get(url)
        assert page.status_code == 200 and "비전 검사 파트너를 한 곳 더 찾아 보세요." in page.content.decode()
    # A second note is appended from the session's page.
    client.force_login(network.users["coordinator"])
    add = reverse("coaching:note_add", kwargs={"pk": session.pk})
    assert (
        client.post(add, {"body": "예산표를 먼저 채워 보세요.", "form_token": new_token()}).status_code == 302
    )
    assert PrePlanningNote.objects.filter(consortium=application.consortium).count() == 2


def test_a_note_on_a_topic_carries_into_every_application_on_it(client, network):  # noqa: F811
    topic = make_topic(code="t-coach")
    call = make_call(code="c-topic")
    call.topics.add(topic)
    application = make_application(call, network.member_firm, [], topic=topic, ref="c-topic-001")
    client.force_login(network.users["coordinator"])
    response = client.post(
        CREATE,
        form(
            f"group:{network.seoul_group.pk}",
            kind="pre_planning",
            notes="교류회와 과제 기획 회의",
            write_note="on",
            note_topic=str(topic.pk),
        ),
    )
    assert response.status_code == 302
    note = PrePlanningNote.objects.get()
    assert (note.topic, note.consortium) == (topic, None)
    client.force_login(network.users["firm"])
    page = client.get(reverse("programmes:pre_planning", kwargs={"pk": application.pk})).content.decode()
    assert "교류회와 과제 기획 회의" in page and "t-coach" in page


def test_a_note_needs_a_consortium_or_a_topic_and_a_pre_planning_session(client, network):  # noqa: F811
    client.force_login(network.users["coordinator"])
    response = client.post(
        CREATE, form(f"group:{network.seoul_group.pk}", kind="pre_planning", write_note="on")
    )
    assert response.status_code == 200
    assert "사전 기술기획 메모는 협력체나 과제에 붙습니다. 협력체를 고르거나 과제를 골라 주세요." in (
        response.content.decode()
    )
    response = client.post(CREATE, form(f"group:{network.seoul_group.pk}", kind="seminar", write_note="on"))
    assert "사전 기술기획 메모는 ‘사전 기술기획’ 코칭에서만 남깁니다." in response.content.decode()
    assert not CoachingSession.objects.exists() and not PrePlanningNote.objects.exists()


def test_the_session_list_takes_a_fixed_number_of_queries(
    client,
    network,  # noqa: F811
    django_assert_max_num_queries,
):
    client.force_login(network.users["coordinator"])
    services.log_session(
        actor=network.users["coordinator"],
        subject=network.seoul_group,
        held_on=today(),
        kind="other",
        notes="a",
    )
    client.get("/coaching/sessions/")
    with django_assert_max_num_queries(8) as few:
        client.get("/coaching/sessions/")
    for firm in (network.member_firm, network.chair_firm):
        services.log_session(
            actor=network.users["coordinator"], subject=firm, held_on=today(), kind="site_visit", notes="b"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/coaching/sessions/")
    assert len(response.context["rows"]) == 3
