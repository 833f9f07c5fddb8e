"""Who reviews a posting (issue 8 §6): the firm's coordinators, else the regional staff of its federation,
else central staff. One rule decides the notification, the queue, the permission and the menu count."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry, make_user, region
from yunghap.accounts.models import Role
from yunghap.core.models import Notification
from yunghap.matching import posting_services, review
from yunghap.matching.models import Posting

FUTURE = datetime.date.today() + datetime.timedelta(days=60)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db):
    seoul, busan = region("seoul"), region("busan")
    covered_group = GroupFactory(name="코디있는교류회", federation=seoul)
    bare_group = GroupFactory(name="코디없는교류회", federation=seoul)
    busan_group = GroupFactory(name="부산교류회", federation=busan)
    covered = FirmFactory(name="담당있음", industry=industry("26"), federation=seoul)
    uncovered = FirmFactory(name="담당없음", industry=industry("29"), federation=seoul)
    orphan = FirmFactory(name="부산회원사", industry=industry("20"), federation=busan)
    MembershipFactory(group=covered_group, firm=covered)
    MembershipFactory(group=bare_group, firm=uncovered)
    MembershipFactory(group=busan_group, firm=orphan)
    return {
        "covered": covered,
        "uncovered": uncovered,
        "orphan": orphan,
        "coordinator": make_user("coordinator", Role.COORDINATOR, group=covered_group),
        "seoul": make_user("seoul", Role.REGIONAL_STAFF, federation=seoul),
        "central": make_user("central", Role.CENTRAL_STAFF),
        "covered_user": make_user("covered_user", Role.FIRM_USER, firm=covered),
        "uncovered_user": make_user("uncovered_user", Role.FIRM_USER, firm=uncovered),
        "orphan_user": make_user("orphan_user", Role.FIRM_USER, firm=orphan),
    }


def post_as(client, user, title):
    client.force_login(user)
    response = client.post(
        reverse("matching:posting_create"),
        {
            "kind": "need",
            "title": title,
            "description": "협력사를 찾습니다.",
            "expires_on": FUTURE.isoformat(),
            "visibility": "network",
        },
    )
    assert response.status_code == 302
    return Posting.objects.get(title=title)


def asked(title):
    return set(
        Notification.objects.filter(verb="posting.review_requested", message__contains=title).values_list(
            "recipient__username", flat=True
        )
    )


def test_each_level_is_asked_in_turn(client, people):
    post_as(client, people["covered_user"], "코디 검토 수요")
    post_as(client, people["uncovered_user"], "지역 검토 수요")
    post_as(client, people["orphan_user"], "중앙 검토 수요")
    assert asked("코디 검토 수요") == {"coordinator"}
    assert asked("지역 검토 수요") == {"seoul"}  # no coordinator covers the firm: its region's staff
    assert asked("중앙 검토 수요") == {"central"}  # Busan has no staff either: central staff


def test_a_deactivated_coordinator_covers_no_one(client, people):
    people["coordinator"].is_active = False
    people["coordinator"].save(update_fields=["is_active"])
    post_as(client, people["covered_user"], "코디 휴면 수요")
    assert asked("코디 휴면 수요") == {"seoul"}


def queue_titles(client, user):
    client.force_login(user)
    response = client.get(reverse("matching:review_queue"))
    assert response.status_code == 200
    return response


def test_queues_and_permissions_follow_the_same_rule(client, people):
    covered = post_as(client, people["covered_user"], "코디 검토 수요")
    uncovered = post_as(client, people["uncovered_user"], "지역 검토 수요")
    orphan = post_as(client, people["orphan_user"], "중앙 검토 수요")
    page = queue_titles(client, people["coordinator"]).content.decode()
    assert "코디 검토 수요" in page and "지역 검토 수요" not in page and "중앙 검토 수요" not in page
    page = queue_titles(client, people["seoul"]).content.decode()
    assert "지역 검토 수요" in page and "코디 검토 수요" not in page and "중앙 검토 수요" not in page
    assert "지역연합회 (코디네이터 없음)" in page
    page = queue_titles(client, people["central"]).content.decode()
    assert all(t in page for t in ("코디 검토 수요", "지역 검토 수요", "중앙 검토 수요"))
    assert "중앙회 (코디네이터·지역 담당자 없음)" in page

    # Seoul staff see the covered firm's posting but its coordinator reviews it: 403.
    client.force_login(people["seoul"])
    url = reverse("matching:posting_review", args=[covered.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403
    # The Busan posting is outside Seoul's scope: not found.
    assert (
        client.post(reverse("matching:posting_review", args=[orphan.pk]), {"decision": "approve"}).status_code
        == 404
    )
    assert (
        client.post(
            reverse("matching:posting_review", args=[uncovered.pk]), {"decision": "approve"}
        ).status_code
        == 302
    )
    uncovered.refresh_from_db()
    assert (
        uncovered.review_status == Posting.ReviewStatus.APPROVED and uncovered.reviewed_by == people["seoul"]
    )
    client.force_login(people["coordinator"])
    assert (
        client.post(reverse("matching:posting_review", args=[orphan.pk]), {"decision": "approve"}).status_code
        == 404
    )
    client.force_login(people["central"])
    assert (
        client.post(reverse("matching:posting_review", args=[orphan.pk]), {"decision": "approve"}).status_code
        == 302
    )


def test_firm_users_have_no_queue(client, people):
    client.force_login(people["covered_user"])
    response = client.get(reverse("matching:review_queue"))
    assert response.status_code == 403


def test_the_menu_shows_the_queue_with_its_count(client, people):
    post_as(client, people["uncovered_user"], "지역 검토 수요")
    post_as(client, people["uncovered_user"], "지역 검토 수요 둘")
    client.force_login(people["seoul"])
    page = client.get(reverse("network:home")).content.decode()
    assert reverse("matching:review_queue") in page and reverse("matching:review_count") in page
    badge = client.get(reverse("matching:review_count")).content.decode()
    assert ">2</span>" in badge and "검토 대기 2건" in badge
    client.force_login(people["coordinator"])
    assert reverse("matching:review_queue") in client.get(reverse("network:home")).content.decode()
    assert ">0</span>" in client.get(reverse("matching:review_count")).content.decode()
    client.force_login(people["covered_user"])
    assert reverse("matching:review_queue") not in client.get(reverse("network:home")).content.decode()
    assert client.get(reverse("matching:review_count")).content == b""


def test_levels_of_the_rule(people):
    assert review.review_level(people["covered"]) == review.COORDINATOR
    assert review.review_level(people["uncovered"]) == review.REGIONAL
    assert review.review_level(people["orphan"]) == review.CENTRAL
    posting = posting_services.create_posting(
        people["orphan"], actor=None, kind="offer", title="부산 제공", expires_on=FUTURE
    )
    assert set(review.reviewers_of(posting)) == {people["central"]}
    assert review.can_review(people["central"], posting) and not review.can_review(people["seoul"], posting)
