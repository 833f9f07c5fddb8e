"""Public calls (/open-calls/, issue 12 §4): published calls grouped open / upcoming / closed with their
window, description, rules sentences and leading topics; an apply link for open calls; never a draft."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.programmes.factories import make_call, make_topic
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.programmes.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(db):
    today = timezone.localdate()
    open_call = make_call(code="c-open", title="열린 융합 공모", description="이업종 협력체를 모집합니다.")
    open_call.topics.add(make_topic(code="t-lead", title="스마트 센서 선도과제", status=Topic.Status.LEADING))
    upcoming = make_call(
        code="c-soon",
        title="곧 열릴 공모",
        opens_on=today + datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=30),
    )
    closed = make_call(code="c-past", title="지난 공모", days_open=60, days_left=-10)
    draft = make_call(code="c-draft", title="비밀 초안 공모", published=False)
    return open_call, upcoming, closed, draft


def test_the_public_sees_published_calls_by_state_and_never_drafts(client, network, calls):  # noqa: F811
    for user in (None, network.users["central"]):
        client.logout()
        if user:
            client.force_login(user)
        html = client.get(reverse("public_programmes:call_list")).content.decode()
        assert "비밀 초안 공모" not in html
        open_part = html.split('id="calls-open"')[1].split("</table>")[0]
        upcoming_part = html.split('id="calls-upcoming"')[1].split("</table>")[0]
        closed_part = html.split('id="calls-closed"')[1].split("</table>")[0]
        assert (
            "열린 융합 공모" in open_part and "곧 열릴 공모" in upcoming_part and "지난 공모" in closed_part
        )
        assert "1,000,000,000원" in open_part
    assert client.get(reverse("public_programmes:call_detail", kwargs={"code": "c-draft"})).status_code == 404


def test_a_call_page_shows_rules_topics_and_the_apply_link(client, calls):
    open_call = calls[0]
    html = client.get(reverse("public_programmes:call_detail", kwargs={"code": "c-open"})).content.decode()
    assert (
        "접수 중" in html
        and open_call.opens_on.isoformat() in html
        and open_call.closes_on.isoformat() in html
    )
    assert "이업종 협력체를 모집합니다." in html
    assert "20,000,000원" in html  # the grant cap, in the rules sentences
    assert "스마트 센서 선도과제" in html
    apply_url = reverse("programmes:application_start", kwargs={"code": "c-open"})
    assert f'href="{apply_url}"' in html
    # A visitor who clicks it signs in first.
    response = client.get(apply_url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    # No apply link outside the window.
    closed = client.get(reverse("public_programmes:call_detail", kwargs={"code": "c-past"})).content.decode()
    assert "신청하기" not in closed and "마감" in closed


def test_query_counts_are_pinned(client, calls, django_assert_max_num_queries):
    for n in range(20):
        make_call(code=f"c-more-{n}")
    with django_assert_max_num_queries(2):
        assert client.get(reverse("public_programmes:call_list")).status_code == 200
    with django_assert_max_num_queries(3):
        assert (
            client.get(reverse("public_programmes:call_detail", kwargs={"code": "c-open"})).status_code == 200
        )
