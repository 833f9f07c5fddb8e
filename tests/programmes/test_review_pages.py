"""Review through the pages: every conflict code hides and refuses, the reviewer's flow (declare, score once,
recuse), automatic and manual assignment, unassignment, query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.programmes.factories import (
    assign,
    make_application,
    make_call,
    make_review,
    make_reviewer,
    make_topic,
)
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role
from yunghap.core.onetime import new_token
from yunghap.network.models import Firm
from yunghap.programmes.models import Application, DeclaredConflict, Review, ReviewAssignment

pytestmark = pytest.mark.django_db

REASONS = {
    "affiliation": "평가위원의 소속 기업이 이 협력체의 참여기업입니다.",
    "same_group": "평가위원의 소속 기업이 참여기업과 같은 교류회에서 활동하고 있습니다.",
    "applicant": "평가위원의 소속 기업이 이 공모의 다른 신청에 참여하고 있습니다.",
    "declared": "평가위원이 참여기업과의 이해충돌을 신고했습니다.",
}


@pytest.fixture
def setting(network):  # noqa: F811
    call = make_call(code="c-rev", reviews_per_application=2)
    other = Firm.objects.get(name="구로전자")  # the other Seoul group
    # Led by the Seoul member firm, with no partner from the chair's group (so `same_group` is alone).
    application = make_application(call, network.member_firm, [], ref="c-rev-001", title="센서 모듈 개발")
    # Another application of the call, by the Busan firm.
    rival = make_application(call, network.busan_firm, [], ref="c-rev-002")
    return {"call": call, "application": application, "rival": rival, "other": other, "net": network}


def conflicted_reviewer(code: str, s) -> object:
    net = s["net"]
    if code == "affiliation":
        return make_reviewer(affiliation=net.member_firm)
    if code == "same_group":
        return make_reviewer(affiliation=net.chair_firm)  # in the Seoul group with the member firm
    if code == "applicant":
        return make_reviewer(affiliation=net.busan_firm)  # leads the rival application of the call
    reviewer = make_reviewer()
    DeclaredConflict.objects.create(reviewer=reviewer, firm=net.member_firm)
    return reviewer


@pytest.mark.parametrize("code", list(REASONS))
def test_every_conflict_code_hides_the_application_and_refuses_the_assignment(code, setting, client):
    s = setting
    reviewer = conflicted_reviewer(code, s)
    # A conflict that arises after the assignment hides the application at once.
    item = assign(s["application"], reviewer, declared=False)
    client.force_login(reviewer.user)
    for name in ("review_declare", "review_score", "review_recuse"):
        url = reverse(f"programmes:{name}", kwargs={"pk": item.pk})
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"answer": "none", "reason": "x"}).status_code == 404, name
    queue = client.get(reverse("programmes:review_queue"))
    assert queue.status_code == 200 and "c-rev-001" not in queue.content.decode()
    assert not Application.objects.visible_to(reviewer.user).filter(pk=s["application"].pk).exists()

    item.delete()
    client.force_login(make_user("boss", Role.CENTRAL_STAFF))
    response = client.post(
        reverse("programmes:call_assign", kwargs={"code": "c-rev"}),
        {"application": s["application"].pk, "reviewer": reviewer.pk, "form_token": new_token()},
    )
    assert response.status_code == 200
    assert f"이해충돌({code}): {REASONS[code]}" in response.content.decode()
    assert not ReviewAssignment.objects.filter(application=s["application"], reviewer=reviewer).exists()


def test_a_reviewer_declares_no_conflict_and_scores_once(setting, client):
    s = setting
    reviewer = make_reviewer()
    item = assign(s["application"], reviewer, declared=False)
    client.force_login(reviewer.user)
    score_url = reverse("programmes:review_score", kwargs={"pk": item.pk})
    declare_url = reverse("programmes:review_declare", kwargs={"pk": item.pk})
    # Before the declaration the application stays closed: the scoring page sends to the declaration.
    assert client.get(score_url)["Location"] == declare_url
    page = client.get(declare_url).content.decode()
    assert "새영테크" in page and "센서 모듈 개발" not in page  # only the member firms' names
    assert client.post(declare_url, {"answer": "none", "form_token": new_token()})["Location"] == score_url
    item.refresh_from_db()
    assert item.state == "open" and item.declared_at is not None
    page = client.get(score_url).content.decode()
    assert "센서 모듈 개발" in page and "기술성 (0~40점)" in page

    # Each criterion 0..its points; the comment is required.
    bad = client.post(
        score_url,
        {"criterion_technology": "41", "criterion_feasibility": "20", "criterion_cooperation": "20"},
    )
    assert bad.status_code == 200 and not Review.objects.exists()
    errors = bad.context["form"].errors
    assert "criterion_technology" in errors and "comment" in errors

    token = new_token()
    data = {
        "criterion_technology": "35",
        "criterion_feasibility": "25.5",
        "criterion_cooperation": "20",
        "comment": "협력 구성이 좋습니다.",
        "form_token": token,
    }
    assert client.post(score_url, data).status_code == 302
    review = Review.objects.get()
    assert review.score == Decimal("80.50")
    assert review.criterion_scores == {"technology": "35", "feasibility": "25.5", "cooperation": "20"}
    # The same form again (same token), or a new one: refused, nothing written.
    assert client.post(score_url, data).status_code == 302
    assert client.post(score_url, {**data, "form_token": new_token()}).status_code == 302
    assert Review.objects.count() == 1
    item.refresh_from_db()
    assert item.state == "submitted"
    assert "80.50" in client.get(score_url).content.decode()


def test_declaring_a_conflict_records_it_and_recuses(setting, client):
    s = setting
    reviewer = make_reviewer()
    item = assign(s["application"], reviewer, declared=False)
    client.force_login(reviewer.user)
    url = reverse("programmes:review_declare", kwargs={"pk": item.pk})
    firm = s["net"].member_firm
    missing = client.post(url, {"answer": str(firm.pk), "form_token": new_token()})
    assert missing.status_code == 200 and "reason" in missing.context["form"].errors
    assert (
        client.post(url, {"answer": str(firm.pk), "reason": "前 직장", "form_token": new_token()}).status_code
        == 302
    )
    assert DeclaredConflict.objects.filter(reviewer=reviewer, firm=firm).exists()
    item.refresh_from_db()
    assert item.state == "recused"
    assert client.get(reverse("programmes:review_score", kwargs={"pk": item.pk})).status_code == 404


def test_recusal_needs_a_reason(setting, client):
    reviewer = make_reviewer()
    item = assign(setting["application"], reviewer)
    client.force_login(reviewer.user)
    url = reverse("programmes:review_recuse", kwargs={"pk": item.pk})
    assert client.post(url, {"form_token": new_token()}).status_code == 200
    assert client.post(url, {"reason": "일정", "form_token": new_token()}).status_code == 302
    item.refresh_from_db()
    assert item.state == "recused" and item.recusal_reason == "일정"
    assert client.get(reverse("programmes:review_declare", kwargs={"pk": item.pk})).status_code == 404


def test_others_assignments_are_404(setting, client):
    item = assign(setting["application"], make_reviewer())
    client.force_login(make_reviewer().user)
    assert client.get(reverse("programmes:review_score", kwargs={"pk": item.pk})).status_code == 404
    client.force_login(make_user("boss", Role.CENTRAL_STAFF))
    assert client.get(reverse("programmes:review_score", kwargs={"pk": item.pk})).status_code == 404


def test_automatic_assignment_no_conflict_expertise_first_balanced(setting, client):
    s = setting
    net = s["net"]
    topic = make_topic(engine="NGE09-09")
    third = make_application(s["call"], s["other"], [], ref="c-rev-003", topic=topic)
    make_application(s["call"], net.chair_firm, [], ref="c-rev-004", eligibility="ineligible")
    expert = make_reviewer("expert")
    expert.expertise_engines.add(topic.growth_engine)
    plain = [make_reviewer(f"plain{i}") for i in range(3)]
    # A declared conflict with the member firm: out of c-rev-001 only (an affiliation would also be an
    # `applicant` conflict with every other application of the call).
    conflicted = make_reviewer("conflicted")
    DeclaredConflict.objects.create(reviewer=conflicted, firm=net.member_firm)
    client.force_login(make_user("boss", Role.CENTRAL_STAFF))
    url = reverse("programmes:call_assign_auto", kwargs={"code": "c-rev"})
    confirm = client.get(url).content.decode()
    assert "신청 3건에 배정 6건이 추가됩니다." in confirm
    assert client.post(url, {"form_token": new_token()}).status_code == 302
    pairs = set(ReviewAssignment.objects.values_list("application__ref", "reviewer__user__username"))
    assert len(pairs) == 6
    assert ("c-rev-003", "expert") in pairs
    assert not {p for p in pairs if p[1] == "conflicted" and p[0] == "c-rev-001"}
    assert not {p for p in pairs if p[0] == "c-rev-004"}  # ineligible: not reviewed
    loads = [ReviewAssignment.objects.filter(reviewer=r).count() for r in [expert, *plain, conflicted]]
    assert max(loads) - min(loads) <= 1
    assert set(ReviewAssignment.objects.values_list("method", flat=True)) == {"auto"}
    # Again: nothing missing, nothing added.
    assert client.post(url, {"form_token": new_token()}).status_code == 302
    assert ReviewAssignment.objects.count() == 6
    del third


def test_manual_assignment_and_unassignment(setting, client):
    s = setting
    reviewer = make_reviewer()
    client.force_login(make_user("boss", Role.CENTRAL_STAFF))
    add_url = reverse("programmes:call_assign", kwargs={"code": "c-rev"})
    data = {"application": s["application"].pk, "reviewer": reviewer.pk, "form_token": new_token()}
    assert client.post(add_url, data).status_code == 302
    again = client.post(add_url, {**data, "form_token": new_token()})
    assert again.status_code == 200 and "이미 이 신청에 배정된 평가위원입니다." in again.content.decode()
    item = ReviewAssignment.objects.get()
    assert item.method == "manual"
    remove_url = reverse("programmes:call_unassign", kwargs={"code": "c-rev", "pk": item.pk})
    assert client.post(remove_url, {"form_token": new_token()}).status_code == 302
    assert not ReviewAssignment.objects.exists()
    # After a review: refused.
    make_review(s["application"], reviewer, 80)
    item = ReviewAssignment.objects.get()
    remove_url = reverse("programmes:call_unassign", kwargs={"code": "c-rev", "pk": item.pk})
    assert "평가가 제출된 배정은 취소할 수 없습니다." in client.get(remove_url).content.decode()
    client.post(remove_url, {"form_token": new_token()})
    assert ReviewAssignment.objects.filter(pk=item.pk).exists()


def test_pool_pages_filter_edit_and_declared_conflict(setting, client):
    s = setting
    topic = make_topic(engine="NGE09-09")
    expert = make_reviewer("expert")
    expert.expertise_engines.add(topic.growth_engine)
    make_reviewer("plain")
    client.force_login(make_user("boss", Role.CENTRAL_STAFF))
    listing = client.get(reverse("programmes:reviewer_list"), {"engine": "NGE09-09"})
    names = [row["reviewer"].user.username for row in listing.context["rows"]]
    assert names == ["expert"]
    edit = reverse("programmes:reviewer_edit", kwargs={"pk": expert.pk})
    response = client.post(
        edit,
        {
            "affiliation_brn": s["net"].chair_firm.brn,
            "status": "active",
            "expertise_engines": [topic.growth_engine.pk],
            "version": expert.version,
        },
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.affiliation == s["net"].chair_firm and expert.version == 2
    # A stale version is refused with the conflict panel.
    stale = client.post(edit, {"status": "inactive", "version": 1})
    assert stale.status_code == 200 and "다른 사용자가 먼저" in stale.content.decode()
    add = reverse("programmes:reviewer_conflict_add", kwargs={"pk": expert.pk})
    assert (
        client.post(add, {"firm_brn": s["net"].busan_firm.brn, "form_token": new_token()}).status_code == 302
    )
    assert DeclaredConflict.objects.filter(reviewer=expert, firm=s["net"].busan_firm).exists()
    twice = client.post(add, {"firm_brn": s["net"].busan_firm.brn, "form_token": new_token()})
    assert twice.status_code == 200 and "이미 신고된 이해충돌입니다." in twice.content.decode()


def test_query_counts_are_pinned(setting, client, django_assert_max_num_queries):
    s = setting
    reviewers = [make_reviewer(f"r{i}") for i in range(6)]
    for i in range(3, 8):
        make_application(s["call"], s["other"], [], ref=f"c-rev-{i:03d}")
    for r in reviewers[:3]:
        assign(s["application"], r)
    client.force_login(make_user("boss", Role.CENTRAL_STAFF))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("programmes:reviewer_list")).status_code == 200
    with django_assert_max_num_queries(24):
        assert client.get(reverse("programmes:call_assignments", kwargs={"code": "c-rev"})).status_code == 200
    with django_assert_max_num_queries(14):
        assert (
            client.get(reverse("programmes:reviewer_detail", kwargs={"pk": reviewers[0].pk})).status_code
            == 200
        )
    client.force_login(reviewers[0].user)
    item = ReviewAssignment.objects.get(reviewer=reviewers[0])
    with django_assert_max_num_queries(22):
        assert client.get(reverse("programmes:review_score", kwargs={"pk": item.pk})).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("programmes:review_queue")).status_code == 200


def test_an_assignment_whose_conflict_arose_later_is_replaced_automatically(setting, client):
    s = setting
    late = make_reviewer("late")
    assign(s["application"], late, declared=False)
    DeclaredConflict.objects.create(reviewer=late, firm=s["net"].member_firm)
    others = [make_reviewer(f"o{i}") for i in range(2)]
    client.force_login(make_user("boss", Role.CENTRAL_STAFF))
    page = client.get(reverse("programmes:call_assignments", kwargs={"code": "c-rev"})).content.decode()
    assert "이해충돌 (declared)" in page
    assert (
        client.post(
            reverse("programmes:call_assign_auto", kwargs={"code": "c-rev"}), {"form_token": new_token()}
        ).status_code
        == 302
    )
    on_first = set(
        ReviewAssignment.objects.filter(application=s["application"]).values_list(
            "reviewer__user__username", flat=True
        )
    )
    assert on_first == {"late", "o0", "o1"}
    del others
