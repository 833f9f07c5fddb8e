"""Project discovery (/discovery/, issue 12 §6): public topics (accepted and leading) with a growth-engine
filter and search; "관심 있음" for a firm's users, one per firm and topic; interested firms are the topic's
candidate firms on the staff topic page, within the reader's scope."""

from __future__ import annotations

import pytest
from django.db import IntegrityError
from django.urls import reverse

from tests.factories import FirmFactory, make_user, region
from tests.programmes.factories import make_topic
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role, RoleGrant
from yunghap.core.models import AuditLog
from yunghap.programmes import discovery
from yunghap.programmes.models import Topic, TopicInterest

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics(db):
    return {
        "leading": make_topic(
            code="t-lead",
            title="수소 연료전지 스택",
            status=Topic.Status.LEADING,
            engine="NGE09-01",
            summary="수소 스택",
        ),
        "accepted": make_topic(code="t-ok", title="스마트 센서 모듈", status=Topic.Status.ACCEPTED),
        "proposed": make_topic(code="t-new", title="제안만 된 과제", status=Topic.Status.PROPOSED),
        "rejected": make_topic(code="t-no", title="부적합 과제", status=Topic.Status.REJECTED),
    }


def test_only_accepted_and_leading_topics_are_public(client, topics):
    html = client.get(reverse("public_programmes:topic_list")).content.decode()
    assert "수소 연료전지 스택" in html and "스마트 센서 모듈" in html
    assert "제안만 된 과제" not in html and "부적합 과제" not in html
    for code in ("t-new", "t-no"):
        assert client.get(reverse("public_programmes:topic_detail", kwargs={"code": code})).status_code == 404


def test_engine_filter_and_search(client, topics):
    url = reverse("public_programmes:topic_list")
    by_engine = client.get(url, {"engine": "NGE09-01"}).content.decode()
    assert "수소 연료전지 스택" in by_engine and "스마트 센서 모듈" not in by_engine
    by_word = client.get(url, {"q": "스마트"}).content.decode()
    assert "스마트 센서 모듈" in by_word and "수소 연료전지 스택" not in by_word
    # The status filter offers the public statuses only: a proposal cannot be asked for.
    assert "제안만 된 과제" not in client.get(url, {"status": "proposed"}).content.decode()


def test_a_firm_user_marks_and_unmarks_interest(client, network, topics):  # noqa: F811
    topic = topics["leading"]
    detail = reverse("public_programmes:topic_detail", kwargs={"code": "t-lead"})
    interest = reverse("public_programmes:topic_interest", kwargs={"code": "t-lead"})
    client.force_login(network.users["firm"])
    assert "관심 표시 안 함" in client.get(detail).content.decode()
    response = client.post(interest)
    assert response.status_code == 302 and response["Location"] == detail
    assert list(discovery.candidate_firms(topic)) == [network.member_firm]
    page = client.get(detail).content.decode()
    assert "관심 표시함" in page and "새영테크의 관심을 표시했습니다." in page
    assert AuditLog.objects.filter(action="topic.interest").count() == 1
    # Marking again (a double click) keeps one; toggling without a state withdraws.
    client.post(interest, {"interested": "1"})
    assert TopicInterest.objects.filter(topic=topic).count() == 1
    client.post(interest)
    assert not TopicInterest.objects.filter(topic=topic).exists()
    assert AuditLog.objects.filter(action="topic.interest_withdraw").count() == 1


def test_a_user_of_several_firms_chooses_the_firm(client, network, topics):  # noqa: F811
    user = make_user("twofirms", Role.FIRM_USER, firm=network.member_firm)
    second = FirmFactory(name="둘째기업")
    RoleGrant.objects.create(user=user, role=Role.FIRM_USER, firm=second)
    client.force_login(user)
    interest = reverse("public_programmes:topic_interest", kwargs={"code": "t-ok"})
    unchosen = client.post(interest)
    assert unchosen.status_code == 200 and "관심을 표시할 기업을 선택해 주세요." in unchosen.content.decode()
    # A firm that is not theirs is no choice either.
    assert client.post(interest, {"firm": network.busan_firm.pk}).status_code == 200
    assert not TopicInterest.objects.exists()
    assert client.post(interest, {"firm": second.pk, "interested": "1"}).status_code == 302
    assert list(TopicInterest.objects.values_list("firm__name", flat=True)) == ["둘째기업"]


def test_visitors_sign_in_and_non_firm_users_are_refused(client, network, topics):  # noqa: F811
    detail = reverse("public_programmes:topic_detail", kwargs={"code": "t-lead"})
    interest = reverse("public_programmes:topic_interest", kwargs={"code": "t-lead"})
    anonymous = client.post(interest)
    assert anonymous.status_code == 302
    assert (
        anonymous["Location"].startswith(reverse("accounts:login"))
        and "next=/discovery/t-lead/" in anonymous["Location"]
    )
    assert "로그인하고 관심 표시" in client.get(detail).content.decode()
    for persona in ("officer", "central", "coordinator"):
        client.force_login(network.users[persona])
        refused = client.post(interest)
        assert refused.status_code == 403
        assert "관심 표시는 회원사 사용자만 할 수 있습니다." in refused.content.decode()
    # A topic that is not public is not found, even to a firm user.
    client.force_login(network.users["firm"])
    assert (
        client.post(reverse("public_programmes:topic_interest", kwargs={"code": "t-new"})).status_code == 404
    )
    assert not TopicInterest.objects.exists()


def test_one_interest_per_firm_and_topic_in_the_database(network, topics):  # noqa: F811
    TopicInterest.objects.create(topic=topics["leading"], firm=network.member_firm)
    with pytest.raises(IntegrityError):
        TopicInterest.objects.create(topic=topics["leading"], firm=network.member_firm)


def test_candidate_firms_on_the_staff_topic_page_respect_scope(client, network, topics):  # noqa: F811
    topic = topics["leading"]
    busan_user = make_user("busanfirm", Role.FIRM_USER, firm=network.busan_firm)
    discovery.set_interest(topic, network.member_firm, actor=network.users["firm"], interested=True)
    discovery.set_interest(topic, network.busan_firm, actor=busan_user, interested=True)
    closed = FirmFactory(name="폐업한기업", federation=region("seoul"), status="closed")
    TopicInterest.objects.create(topic=topic, firm=closed)
    url = reverse("programmes:topic_detail", kwargs={"code": "t-lead"})

    def candidates(persona: str) -> str:
        client.force_login(network.users[persona])
        html = client.get(url).content.decode()
        return (
            html.split('id="candidate-firms"')[1].split("</table>")[0]
            if 'id="candidate-firms"' in html
            else ""
        )

    central = candidates("central")
    assert "새영테크" in central and "부산정밀" in central and "폐업한기업" not in central
    seoul = candidates("seoul")
    assert "새영테크" in seoul and "부산정밀" not in seoul
    # Firm users and officers do not see who else is interested.
    assert candidates("firm") == "" and candidates("officer") == ""
