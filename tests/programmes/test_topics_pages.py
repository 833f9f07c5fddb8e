"""The topic pages (유망과제) through the client: list, propose, detail with its matching panels, edit, screen."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.helpers import at_once
from tests.programmes.factories import make_call, make_topic
from tests.web.conftest import network  # noqa: F401  (the fixture)
from tests.write_once_support import (
    ALREADY,
    COMMITTED_ROWS,
    STALE,
    messages_of,
    postgres_only,
    token_of,
    version_of,
)
from yunghap.core.models import AuditLog, Notification
from yunghap.matching import posting_services
from yunghap.matching.models import Capability, FirmProfileAnalysis, Posting
from yunghap.network.models import Firm
from yunghap.programmes import topic_services
from yunghap.programmes.models import GrowthEngine, Topic

pytestmark = pytest.mark.django_db

FUTURE = datetime.date.today() + datetime.timedelta(days=90)


@pytest.fixture
def net(network):  # noqa: F811  (the web tests' two-region network)
    return network


def engine(code: str = "NGE09-09") -> GrowthEngine:
    return GrowthEngine.objects.get(code=code)


@pytest.fixture
def caps(db):
    return {
        name: posting_services.save_capability(None, actor=None, name=name, synonyms=syn, english_terms=[])
        for name, syn in [("사출 성형", ["사출"]), ("IoT 센서", ["센서"]), ("금형 제작", ["금형"])]
    }


def posting(firm, kind, title, capabilities=(), engines=(), **fields) -> Posting:
    fields.setdefault("review_status", Posting.ReviewStatus.APPROVED)
    fields.setdefault("visibility", Posting.Visibility.NETWORK)
    p = Posting.objects.create(firm=firm, kind=kind, title=title, expires_on=FUTURE, **fields)
    p.capabilities.set(capabilities)
    p.growth_engines.set(engines)
    return p


# --- list ---------------------------------------------------------------------------------------------


def test_list_shows_what_each_user_may_see_with_filters_and_badges(net, client):
    mine = make_topic(
        status=Topic.Status.PROPOSED,
        title="센서 하우징 과제",
        proposed_by=net.users["firm"],
        proposer_firm=net.member_firm,
    )
    leading = make_topic(status=Topic.Status.LEADING, title="LED 조명 모듈", engine="NGE09-04")
    other = make_topic(status=Topic.Status.PROPOSED, title="남의 제안")
    client.force_login(net.users["firm"])
    response = client.get(reverse("programmes:topic_list"))
    assert response.status_code == 200
    assert {t.code for t in response.context["topics"]} == {mine.code, leading.code}
    html = response.content.decode()
    assert '<span class="krds-badge bg-primary">선도과제</span>' in html
    assert '<span class="krds-badge bg-light-gray">제안</span>' in html
    assert reverse("programmes:topic_create") in html
    response = client.get(reverse("programmes:topic_list"), {"engine": "NGE09-04"})
    assert [t.code for t in response.context["topics"]] == [leading.code]
    response = client.get(reverse("programmes:topic_list"), {"status": "proposed", "q": "하우징"})
    assert [t.code for t in response.context["topics"]] == [mine.code]
    # A value that is no choice is an error beside its field; the list is then unfiltered.
    response = client.get(reverse("programmes:topic_list"), {"status": "bogus"})
    assert response.status_code == 200
    assert response.context["form"].errors["status"] == [
        "올바르게 선택해 주세요. bogus 이/가 선택가능항목에 없습니다."
    ]
    assert len(response.context["topics"]) == 2
    client.force_login(net.users["central"])
    response = client.get(reverse("programmes:topic_list"))
    assert {t.code for t in response.context["topics"]} == {mine.code, leading.code, other.code}


def test_list_paginates_and_its_queries_are_pinned(net, client, django_assert_max_num_queries):
    for n in range(45):
        make_topic(status=Topic.Status.ACCEPTED, title=f"과제 {n}")
    client.force_login(net.users["firm"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programmes:topic_list"), {"page": "3"})
    assert response.status_code == 200
    assert len(response.context["topics"]) == 5
    assert "전체 45건 · 3/3쪽" in response.content.decode()


# --- propose ------------------------------------------------------------------------------------------


def test_firm_user_proposes_a_topic_with_a_generated_code(
    net, client, caps, django_capture_on_commit_callbacks
):
    client.force_login(net.users["firm"])
    page = client.get(reverse("programmes:topic_create"))
    assert page.status_code == 200
    choices = dict(page.context["form"].fields["on_behalf"].choices)
    # Only the user's own firm: no group, no other firm, no "own name".
    assert list(choices) == ["", f"firm:{net.member_firm.pk}"]
    data = {
        "form_token": token_of(page),
        "on_behalf": f"firm:{net.member_firm.pk}",
        "title": "  스마트  센서 융합 모듈 ",
        "growth_engine": engine().pk,
        "capabilities": [caps["IoT 센서"].pk, caps["사출 성형"].pk],
        "summary": "센서와 사출 하우징을 함께 개발합니다.",
    }
    response = client.post(reverse("programmes:topic_create"), data)
    year = timezone.localdate().year
    topic = Topic.objects.get()
    assert topic.code == f"T{year}-0001"
    assert response.status_code == 302 and response["Location"] == reverse(
        "programmes:topic_detail", args=[topic.code]
    )
    assert topic.title == "스마트 센서 융합 모듈"
    assert topic.status == Topic.Status.PROPOSED
    assert topic.proposed_by == net.users["firm"] and topic.proposer_firm == net.member_firm
    assert {c.name for c in topic.capabilities.all()} == {"IoT 센서", "사출 성형"}
    assert AuditLog.objects.filter(action="topic.create", object_id=str(topic.pk)).count() == 1
    # The same form sent again writes nothing more.
    again = client.post(reverse("programmes:topic_create"), data)
    assert again.status_code == 302 and Topic.objects.count() == 1
    assert ALREADY in messages_of(again)
    # The next proposal takes the next number.
    page = client.get(reverse("programmes:topic_create"))
    client.post(reverse("programmes:topic_create"), {**data, "form_token": token_of(page)})
    assert sorted(Topic.objects.values_list("code", flat=True)) == [f"T{year}-0001", f"T{year}-0002"]


def test_propose_validation_messages(net, client):
    client.force_login(net.users["officer"])
    response = client.post(reverse("programmes:topic_create"), {"title": "   ", "summary": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == ["과제명을 입력해 주세요."]
    assert errors["summary"] == ["요약을 입력해 주세요."]
    assert errors["growth_engine"] == ["신성장동력을 골라 주세요."]
    assert errors["on_behalf"] == ["제안 명의를 골라 주세요."]
    # Another group's or firm's name cannot be chosen, even typed by hand.
    response = client.post(
        reverse("programmes:topic_create"),
        {
            "on_behalf": f"group:{net.busan_group.pk}",
            "title": "x",
            "summary": "y",
            "growth_engine": engine().pk,
        },
    )
    assert "on_behalf" in response.context["form"].errors
    assert not Topic.objects.exists()


def test_officer_coordinator_and_staff_choose_from_their_own_scope(net, client):
    client.force_login(net.users["officer"])
    choices = dict(client.get(reverse("programmes:topic_create")).context["form"].fields["on_behalf"].choices)
    assert list(choices) == ["", f"group:{net.seoul_group.pk}"]
    client.force_login(net.users["coordinator"])
    choices = dict(client.get(reverse("programmes:topic_create")).context["form"].fields["on_behalf"].choices)
    assert list(choices) == ["", f"group:{net.seoul_group.pk}"]
    client.force_login(net.users["busan"])
    choices = dict(client.get(reverse("programmes:topic_create")).context["form"].fields["on_behalf"].choices)
    assert list(choices) == ["", "self", f"group:{net.busan_group.pk}"]


def test_users_without_network_access_may_not_propose(net, client):
    client.force_login(net.users["nobody"])
    response = client.get(reverse("programmes:topic_create"))
    assert response.status_code == 403


@postgres_only
@COMMITTED_ROWS
def test_two_proposals_at_once_get_two_codes(net, monkeypatch):
    import time

    record = topic_services.record_change

    def slow_record(*args, **kwargs):
        # Inside the transaction, after the insert: the other proposal computes the same number meanwhile.
        result = record(*args, **kwargs)
        time.sleep(0.4)
        return result

    monkeypatch.setattr(topic_services, "record_change", slow_record)

    def propose(title):
        return lambda: topic_services.propose_topic(
            actor=None, title=title, growth_engine=engine(), summary="요약", proposer_firm=None
        )

    results = at_once(propose("첫째"), propose("둘째"))
    assert all(isinstance(r, Topic) for r in results), results
    year = timezone.localdate().year
    assert sorted(Topic.objects.values_list("code", flat=True)) == [f"T{year}-0001", f"T{year}-0002"]


# --- detail and its matching panels -------------------------------------------------------------------


def test_detail_lists_lead_candidates_and_matching_needs_with_reasons(
    net, client, caps, django_assert_max_num_queries
):
    topic = make_topic(status=Topic.Status.LEADING, title="센서 하우징 융합", engine="NGE09-09")
    topic.capabilities.set([caps["IoT 센서"], caps["사출 성형"]])
    call = make_call(code="c-topic")
    call.topics.add(topic)
    chair, busan, other = net.chair_firm, net.busan_firm, Firm.objects.get(name="구로전자")
    posting(chair, Posting.Kind.OFFER, "사출 하우징 양산", [caps["사출 성형"], caps["금형 제작"]])
    posting(busan, Posting.Kind.OFFER, "센서 모듈 공급", [caps["IoT 센서"]])
    # Not shown: an offer only coordinators see, an unapproved one, one without a needed capability.
    posting(
        other,
        Posting.Kind.OFFER,
        "비공개 센서",
        [caps["IoT 센서"]],
        visibility=Posting.Visibility.COORDINATORS,
    )
    posting(
        other,
        Posting.Kind.OFFER,
        "검토 중 센서",
        [caps["IoT 센서"]],
        review_status=Posting.ReviewStatus.PENDING,
    )
    posting(other, Posting.Kind.OFFER, "금형만", [caps["금형 제작"]])
    # The profile counts as an offer (analysed terms, through the matching index).
    FirmProfileAnalysis.objects.create(
        firm=net.former_firm, source_hash="x", terms=["센서", "제조"], analysed_at=timezone.now()
    )
    posting(net.member_firm, Posting.Kind.NEED, "사출 협력사 구함", [caps["사출 성형"]])
    posting(busan, Posting.Kind.NEED, "이 분야 수요", [], engines=[engine("NGE09-09")])
    posting(chair, Posting.Kind.NEED, "다른 분야 수요", [], engines=[engine("NGE09-01")])
    client.force_login(net.users["firm"])
    client.get(reverse("programmes:topic_detail", args=[topic.code]))  # the index is built once a process
    # The page's own 14, and the matching index's look for changes since its last use (4).
    with django_assert_max_num_queries(18):
        response = client.get(reverse("programmes:topic_detail", args=[topic.code]))
    assert response.status_code == 200
    leads = {m.firm.name: m for m in response.context["leads"]}
    assert set(leads) == {"광빛차체", "부산정밀", "떠난기업"}
    assert leads["광빛차체"].reasons == ["기술 제공 ‘사출 하우징 양산’: 사출 성형"]
    assert leads["부산정밀"].reasons == ["기술 제공 ‘센서 모듈 공급’: IoT 센서"]
    assert leads["떠난기업"].reasons == ["회원사 보유기술·제품: IoT 센서"]
    needs = {m.firm.name: m.reasons for m in response.context["needs"]}
    assert needs == {
        "새영테크": ["기술 수요 ‘사출 협력사 구함’: 사출 성형"],
        "부산정밀": ["기술 수요 ‘이 분야 수요’: 같은 신성장동력(로봇 응용)"],
    }
    html = response.content.decode()
    assert "c-topic" in html and "비공개 센서" not in html and "검토 중 센서" not in html
    assert net.chair_firm.phone not in html and net.chair_firm.representative not in html


def test_detail_is_404_outside_visibility_and_has_no_panels_without_network_access(net, client):
    proposed = make_topic(status=Topic.Status.PROPOSED, proposed_by=net.users["firm"])
    leading = make_topic(status=Topic.Status.LEADING)
    client.force_login(net.users["officer"])
    assert client.get(reverse("programmes:topic_detail", args=[proposed.code])).status_code == 404
    client.force_login(net.users["nobody"])
    response = client.get(reverse("programmes:topic_detail", args=[leading.code]))
    assert response.status_code == 200
    assert "주관기업 후보와 수요 기업은 교류망 회원에게만 보입니다." in response.content.decode()


# --- edit ---------------------------------------------------------------------------------------------


def test_proposer_edits_while_proposed_with_a_version_check(net, client, caps):
    topic = make_topic(
        status=Topic.Status.PROPOSED, proposed_by=net.users["firm"], proposer_firm=net.member_firm
    )
    url = reverse("programmes:topic_edit", args=[topic.code])
    client.force_login(net.users["firm"])
    page = client.get(url)
    assert page.status_code == 200
    assert "on_behalf" not in page.context["form"].fields
    data = {
        "version": version_of(page),
        "title": "고친 과제명",
        "growth_engine": engine("NGE09-04").pk,
        "capabilities": [caps["금형 제작"].pk],
        "summary": "고친 요약",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.title, topic.growth_engine.code, topic.version) == ("고친 과제명", "NGE09-04", 2)
    assert [c.name for c in topic.capabilities.all()] == ["금형 제작"]
    # The same form again, at the old version: stale, nothing overwritten.
    response = client.post(url, {**data, "title": "또 고침"})
    assert response.status_code == 200
    assert STALE in response.content.decode()
    topic.refresh_from_db()
    assert topic.title == "고친 과제명"
    # Once screened, only staff edit.
    topic_services.screen_topic(topic, actor=net.users["central"], accepted=True)
    response = client.get(url)
    assert response.status_code == 403
    client.force_login(net.users["seoul"])
    assert client.get(url).status_code == 200


def test_others_may_not_edit(net, client):
    leading = make_topic(status=Topic.Status.LEADING)
    client.force_login(net.users["firm"])
    response = client.get(reverse("programmes:topic_edit", args=[leading.code]))
    assert response.status_code == 403


# --- screen and designate -----------------------------------------------------------------------------


def test_staff_screen_and_the_proposer_is_told(net, client, django_capture_on_commit_callbacks):
    topic = make_topic(
        status=Topic.Status.PROPOSED,
        title="센서 과제",
        proposed_by=net.users["firm"],
        proposer_firm=net.member_firm,
    )
    url = reverse("programmes:topic_screen", args=[topic.code])
    client.force_login(net.users["seoul"])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["designate_form"] is None  # designation is central staff's
    response = client.post(url, {"action": "screen", "screen-decision": "rejected", "screen-note": " "})
    assert response.status_code == 200
    assert response.context["screen_form"].errors["note"] == ["부적합으로 검토할 때는 의견을 적어 주세요."]
    response = client.post(url, {"action": "screen"})
    assert response.context["screen_form"].errors["decision"] == ["검토 결과를 골라 주세요."]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"action": "screen", "screen-decision": "rejected", "screen-note": "기술 범위가 너무 넓습니다."},
        )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.status == Topic.Status.REJECTED and topic.screened_by == net.users["seoul"]
    assert topic.screening_note == "기술 범위가 너무 넓습니다."
    note = Notification.objects.get(recipient=net.users["firm"])
    assert note.code == "programmes.topic.rejected"
    assert (
        note.message
        == "제안한 과제 '센서 과제'가 부적합으로 검토되었습니다. 의견: 기술 범위가 너무 넓습니다."
    )
    # Seoul staff may not designate.
    assert client.post(url, {"action": "designate"}).status_code == 403
    # A rejected topic cannot lead a call.
    client.force_login(net.users["central"])
    call = make_call()
    response = client.post(url, {"action": "designate", "designate-call": call.pk})
    assert response.status_code == 200
    assert response.context["designate_form"].non_field_errors() == [
        "부적합으로 검토된 과제는 선도과제로 지정할 수 없습니다."
    ]


def test_central_staff_designate_among_calls_not_yet_closed(net, client, django_capture_on_commit_callbacks):
    topic = make_topic(status=Topic.Status.ACCEPTED, title="LED 과제", proposed_by=net.users["firm"])
    open_call = make_call(title="열린 공모")
    closed = make_call(days_open=30, days_left=-1)
    url = reverse("programmes:topic_screen", args=[topic.code])
    client.force_login(net.users["central"])
    page = client.get(url)
    assert list(page.context["designate_form"].fields["call"].queryset) == [open_call]
    response = client.post(url, {"action": "designate", "designate-call": closed.pk})
    assert response.context["designate_form"].errors["call"] == ["마감되지 않은 공모 가운데에서 골라 주세요."]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "designate", "designate-call": open_call.pk})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.status == Topic.Status.LEADING and list(topic.calls.all()) == [open_call]
    note = Notification.objects.get(recipient=net.users["firm"])
    assert note.message == "제안한 과제 'LED 과제'가 공모 '열린 공모'의 선도과제로 지정되었습니다."
    assert AuditLog.objects.filter(action="topic.designate_leading", object_id=str(topic.pk)).count() == 1
    # Again: nothing more written, nobody told again.
    response = client.post(url, {"action": "designate", "designate-call": open_call.pk})
    assert response.status_code == 302 and "이미 이 공모의 선도과제입니다." in messages_of(response)
    assert Notification.objects.filter(recipient=net.users["firm"]).count() == 1
    # A leading topic is not screened again.
    page = client.get(url)
    assert "선도과제로 지정된 과제는 다시 검토할 수 없습니다." in page.content.decode()


def test_proposer_may_not_screen(net, client):
    topic = make_topic(status=Topic.Status.PROPOSED, proposed_by=net.users["firm"])
    client.force_login(net.users["firm"])
    response = client.get(reverse("programmes:topic_screen", args=[topic.code]))
    assert response.status_code == 403
    assert Capability.objects.count() == 0
