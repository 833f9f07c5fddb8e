"""Mentoring pairs (선·후배 기업): the rules of a pair, the state machine as data with every allowed and
refused move and who may make it, sessions by both firms' users, and the two reviews that complete a pair."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import FirmFactory, MembershipFactory, industry, make_user
from tests.programmes.factories import make_agreement
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role
from yunghap.activities import services as ledger
from yunghap.coaching import mentoring, services
from yunghap.coaching.models import MentoringSession, Mentorship, MentorshipReview
from yunghap.core.models import AuditLog
from yunghap.core.onetime import new_token
from yunghap.programmes.models import Agreement

pytestmark = pytest.mark.django_db

SAME_FIRM = "선배 기업과 후배 기업이 같습니다. 한 기업 안에서는 멘토링을 맺을 수 없습니다."
NOT_SENIOR = "선배 기업은 협약을 마친 협력체에 참여했거나 융합기술개발 실적이 기록된 기업이어야 합니다."
OVERLAP = "같은 두 기업의 멘토링이 이 기간에 이미 제안되었거나 진행 중입니다."


def today() -> datetime.date:
    return timezone.localdate()


def with_result(firm, group):
    ledger.record_outcome(
        group,
        actor=None,
        kind="patent",
        title="금형 특허",
        achieved_on=datetime.date(2025, 6, 1),
        firms=[firm],
    )
    return firm


@pytest.fixture
def senior(network):  # noqa: F811
    return with_result(network.chair_firm, network.seoul_group)


def propose(actor, senior, junior, *, days=(0, 90)):
    return services.propose_mentorship(
        actor=actor,
        senior=senior,
        junior=junior,
        starts_on=today() + datetime.timedelta(days=days[0]),
        ends_on=today() + datetime.timedelta(days=days[1]),
        goals="금형 설계 노하우",
    )


def refusal(callable_):
    with pytest.raises(ValidationError) as caught:
        callable_()
    return caught.value.message_dict


def test_the_rules_of_a_pair(network, senior):  # noqa: F811
    coordinator = network.users["coordinator"]
    assert refusal(lambda: propose(coordinator, senior, senior)) == {"senior": [SAME_FIRM]}
    assert refusal(lambda: propose(coordinator, network.member_firm, senior)) == {"senior": [NOT_SENIOR]}
    first = propose(coordinator, senior, network.member_firm)
    assert first.state == "proposed"
    assert AuditLog.objects.get(action="coaching.mentorship.create").object_id == str(first.pk)
    # Overlapping the first pair, either way round, is refused; after its end it is fine.
    assert refusal(lambda: propose(coordinator, senior, network.member_firm, days=(90, 120))) == {
        "starts_on": [OVERLAP]
    }
    with_result(network.member_firm, network.seoul_group)
    assert refusal(lambda: propose(coordinator, network.member_firm, senior, days=(30, 60))) == {
        "starts_on": [OVERLAP]
    }
    later = propose(coordinator, senior, network.member_firm, days=(91, 180))
    # A cancelled pair holds nothing.
    services.move_mentorship(later, "cancel", actor=coordinator)
    propose(coordinator, senior, network.member_firm, days=(100, 120))


def test_a_completed_consortium_makes_a_senior_and_a_deleted_result_does_not(network):  # noqa: F811
    guro = network.seoul_other.memberships.get().firm
    assert not mentoring.senior_eligible(guro.pk)
    agreement = make_agreement(lead=guro)
    assert not mentoring.senior_eligible(guro.pk)  # still running
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.SETTLED)
    assert mentoring.senior_eligible(guro.pk)
    outcome = ledger.record_outcome(
        network.seoul_group,
        actor=None,
        kind="patent",
        title="특허",
        achieved_on=datetime.date(2025, 1, 1),
        firms=[network.member_firm],
    )
    assert mentoring.senior_eligible(network.member_firm.pk)
    ledger.delete_entry(outcome, actor=None)
    assert not mentoring.senior_eligible(network.member_firm.pk)


def test_only_staff_and_coordinators_of_the_junior_propose(network, senior):  # noqa: F811
    with pytest.raises(PermissionDenied):
        propose(network.users["busan"], senior, network.member_firm)
    with pytest.raises(PermissionDenied):
        propose(network.users["firm"], senior, network.member_firm)
    assert propose(network.users["seoul"], senior, network.member_firm).proposed_by == network.users["seoul"]


# The state machine, written out here (not read from MOVES): (move, from state) → the sides allowed.
ALLOWED = {
    ("activate", "proposed"): {"manager", "senior"},
    ("end", "active"): {"manager"},
    ("cancel", "proposed"): {"manager"},
    ("cancel", "active"): {"manager"},
}
TARGET = {"activate": "active", "end": "ended", "cancel": "cancelled"}
STATES = ["proposed", "active", "ended", "cancelled"]
SIDES = ["manager", "senior", "junior", "outsider"]


def test_the_moves_as_data_match_the_written_machine():
    table = {(m.name, source): set(m.sides) for m in mentoring.MOVES.values() for source in m.sources}
    assert table == ALLOWED
    assert {m.name: m.target for m in mentoring.MOVES.values()} == TARGET


@pytest.mark.parametrize(("move", "state", "side"), list(itertools.product(TARGET, STATES, SIDES)))
def test_every_move_from_every_state_by_every_side(network, senior, move, state, side):  # noqa: F811
    pair = Mentorship.objects.create(
        senior=senior,
        junior=network.member_firm,
        starts_on=today(),
        ends_on=today() + datetime.timedelta(days=60),
        goals="목표",
        state=state,
    )
    actor = {
        "manager": network.users["coordinator"],
        "senior": make_user("senior-user", Role.FIRM_USER, firm=senior),
        "junior": network.users["firm"],
        "outsider": network.users["busan"],
    }[side]
    allowed = side in ALLOWED.get((move, state), set())
    if allowed:
        services.move_mentorship(pair, move, actor=actor)
        pair.refresh_from_db()
        assert (pair.state, pair.version) == (TARGET[move], 2)
        assert AuditLog.objects.get(action="coaching.mentorship.update").changes["state"] == [
            state,
            TARGET[move],
        ]
        return
    side_allowed = any(side in sides for (m, _s), sides in ALLOWED.items() if m == move)
    with pytest.raises(PermissionDenied if not side_allowed else ValidationError):
        services.move_mentorship(pair, move, actor=actor)
    pair.refresh_from_db()
    assert (pair.state, pair.version) == (state, 1)


def test_a_refused_move_on_the_page_says_why(client, network, senior):  # noqa: F811
    pair = propose(network.users["coordinator"], senior, network.member_firm)
    client.force_login(network.users["coordinator"])
    url = reverse("coaching:mentorship_move", kwargs={"pk": pair.pk, "move": "end"})
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "‘제안’ 상태의 멘토링은 종료할 수 없습니다." in response.content.decode()
    client.force_login(network.users["firm"])
    assert (
        client.post(
            reverse("coaching:mentorship_move", kwargs={"pk": pair.pk, "move": "activate"})
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("coaching:mentorship_move", kwargs={"pk": pair.pk, "move": "fly"})).status_code
        == 404
    )


def test_both_firms_log_sessions_and_review_and_the_pair_completes(client, network, senior):  # noqa: F811
    senior_user = make_user("senior-user", Role.FIRM_USER, firm=senior)
    pair = propose(network.users["coordinator"], senior, network.member_firm)
    session_url = reverse("coaching:mentoring_session_add", kwargs={"pk": pair.pk})
    review_url = reverse("coaching:mentorship_review", kwargs={"pk": pair.pk})
    data = {"held_on": today().isoformat(), "notes": "금형 도면 검토", "form_token": new_token()}
    client.force_login(network.users["firm"])
    refused = client.post(session_url, data)
    assert refused.status_code == 200 and "진행 중인 멘토링에만 기록을 남깁니다." in refused.content.decode()
    # The senior firm's user starts it (the senior agrees); the coordinator reads but never logs.
    client.force_login(senior_user)
    assert (
        client.post(
            reverse("coaching:mentorship_move", kwargs={"pk": pair.pk, "move": "activate"})
        ).status_code
        == 302
    )
    for user in (senior_user, network.users["firm"]):
        client.force_login(user)
        assert client.post(session_url, {**data, "form_token": new_token()}).status_code == 302
    assert sorted(MentoringSession.objects.values_list("firm__name", flat=True)) == sorted(
        [senior.name, network.member_firm.name]
    )
    client.force_login(network.users["coordinator"])
    assert client.post(session_url, {**data, "form_token": new_token()}).status_code == 403
    # Reviews come after the end.
    client.force_login(network.users["firm"])
    early = client.post(review_url, {"body": "좋았습니다", "form_token": new_token()})
    assert early.status_code == 200 and "소감은 멘토링이 종료된 뒤에 남깁니다." in early.content.decode()
    pair.refresh_from_db()
    services.move_mentorship(pair, "end", actor=network.users["coordinator"])
    assert (
        client.post(review_url, {"body": "도면 보는 법을 배웠습니다", "form_token": new_token()}).status_code
        == 302
    )
    twice = client.post(review_url, {"body": "한 번 더", "form_token": new_token()})
    assert (
        twice.status_code == 200
        and f"{network.member_firm.name}의 소감은 이미 남겼습니다." in twice.content.decode()
    )
    pair.refresh_from_db()
    assert not pair.is_complete
    client.force_login(senior_user)
    assert (
        client.post(review_url, {"body": "후배가 빨리 배웠습니다", "form_token": new_token()}).status_code
        == 302
    )
    pair.refresh_from_db()
    assert pair.is_complete and MentorshipReview.objects.count() == 2
    page = client.get(reverse("coaching:mentorship_detail", kwargs={"pk": pair.pk})).content.decode()
    assert "양쪽 소감 완료" in page


def test_the_create_page_refuses_a_pair_inside_one_firm(client, network, senior):  # noqa: F811
    client.force_login(network.users["coordinator"])
    url = reverse("coaching:mentorship_create")
    assert client.get(url).status_code == 200
    data = {
        "junior": senior.pk,
        "senior": senior.pk,
        "starts_on": today().isoformat(),
        "ends_on": (today() + datetime.timedelta(days=30)).isoformat(),
        "goals": "목표",
        "form_token": new_token(),
    }
    response = client.post(url, data)
    assert response.status_code == 200 and SAME_FIRM in response.content.decode()
    token = new_token()
    ok = client.post(url, {**data, "junior": network.member_firm.pk, "form_token": token})
    assert ok.status_code == 302 and Mentorship.objects.count() == 1
    assert (
        client.post(url, {**data, "junior": network.member_firm.pk, "form_token": token}).status_code == 302
    )
    assert Mentorship.objects.count() == 1


def test_who_sees_a_pair(client, network, senior):  # noqa: F811
    pair = propose(network.users["coordinator"], senior, network.member_firm)
    other = FirmFactory(name="다른기업", industry=industry("20"))
    MembershipFactory(group=network.busan_group, firm=other)
    url = reverse("coaching:mentorship_detail", kwargs={"pk": pair.pk})
    for user, status in [
        (network.users["central"], 200),
        (network.users["seoul"], 200),
        (network.users["coordinator"], 200),
        (network.users["firm"], 200),
        (network.users["busan"], 404),
        (network.users["officer"], 404),
        (make_user("other-firm", Role.FIRM_USER, firm=other), 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_the_senior_is_told_of_a_proposal_and_both_sides_of_the_end(
    network,  # noqa: F811
    senior,
    django_capture_on_commit_callbacks,
):
    from yunghap.core.models import Notification

    senior_user = make_user("senior-user", Role.FIRM_USER, firm=senior)
    with django_capture_on_commit_callbacks(execute=True):
        pair = propose(network.users["coordinator"], senior, network.member_firm)
    told = Notification.objects.get()
    assert (told.recipient, told.code) == (senior_user, "coaching.mentorship.proposed")
    assert told.params == {"senior": "광빛차체", "junior": "새영테크"}
    assert told.link == reverse("coaching:mentorship_detail", kwargs={"pk": pair.pk})
    services.move_mentorship(pair, "activate", actor=senior_user)
    pair.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.move_mentorship(pair, "end", actor=network.users["coordinator"])
    ended = Notification.objects.filter(code="coaching.mentorship.ended")
    assert sorted(n.recipient.username for n in ended) == sorted([senior_user.username, "firmuser"])


def test_the_list_of_pairs_takes_a_fixed_number_of_queries(
    client,
    network,  # noqa: F811
    senior,
    django_assert_max_num_queries,
):
    client.force_login(network.users["coordinator"])
    propose(network.users["coordinator"], senior, network.member_firm)
    client.get("/coaching/mentoring/")
    with django_assert_max_num_queries(8) as few:
        client.get("/coaching/mentoring/")
    for n in range(5):
        junior = FirmFactory(name=f"후배{n}", industry=industry("20"))
        MembershipFactory(group=network.seoul_group, firm=junior)
        propose(network.users["coordinator"], senior, junior)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/coaching/mentoring/")
    assert len(response.context["rows"]) == 6
