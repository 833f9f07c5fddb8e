"""The helper-5 reads and writes of the API give what the pages give: the same scope per persona, the same
filters (their errors are 422), the survey table as `yunghap report survey --format json`, postings written
through the pages' rules (review, versions)."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.programmes.factories import make_call
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.tokens import create_token
from yunghap.matching import board, posting_services
from yunghap.matching.models import Posting
from yunghap.surveys import services as surveys

pytestmark = pytest.mark.django_db


def api(network, persona: str, *, write: bool = False) -> Client:  # noqa: F811
    raw = create_token(network.users[persona], actor=None, can_write=write).raw
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_calls_drafts_only_to_central_staff_and_the_state_filter(network):  # noqa: F811
    open_call = make_call(code="c-api-open")
    draft = make_call(code="c-api-draft", published=False)
    seoul = api(network, "seoul").get("/api/v1/calls").json()
    assert [c["code"] for c in seoul["items"]] == [open_call.code]
    assert seoul["items"][0]["state"] == "open" and seoul["items"][0]["budget_krw"] == open_call.budget_krw
    central = api(network, "central")
    assert {c["code"] for c in central.get("/api/v1/calls").json()["items"]} == {open_call.code, draft.code}
    assert [c["code"] for c in central.get("/api/v1/calls?state=draft").json()["items"]] == [draft.code]
    assert api(network, "firm").get(f"/api/v1/calls/{draft.code}").status_code == 404
    refused = central.get("/api/v1/calls?state=soon")
    assert refused.status_code == 422 and refused.json()["details"][0]["field"] == "state"


def test_statistics_scope_and_filters_are_the_pages(network):  # noqa: F811
    assert api(network, "officer").get("/api/v1/statistics/series").status_code == 403
    seoul = api(network, "seoul")
    body = seoul.get("/api/v1/statistics/series?period=yearly&from=2024&to=2025").json()
    # Regional staff keep their region, as on the page.
    assert body["filters"]["region"] == "seoul" and body["period"] == "yearly"
    assert {s["key"] for s in body["series"]} >= {"active_groups", "meetings", "trades_amount"}
    forbidden = seoul.get("/api/v1/statistics/series?region=busan")
    assert (
        forbidden.status_code == 403 and forbidden.json()["message"] == "다른 지역의 통계는 볼 수 없습니다."
    )
    bad = api(network, "central").get("/api/v1/statistics/series?period=weekly")
    assert bad.status_code == 422
    assert bad.json()["details"][0]["messages"] == ["주기는 월별(monthly) 또는 연도별(yearly)입니다."]


def test_the_survey_table_is_the_report_commands(network):  # noqa: F811
    survey = surveys.open_survey(2025, actor=None)
    answer = surveys.save_response(
        survey, network.seoul_group, actor=None, members=12, meetings=10, attendance_rate=75
    )
    surveys.submit_response(answer, actor=None)
    out = io.StringIO()
    call_command("report", "survey", "--year", "2025", "--format", "json", stdout=out)
    central = api(network, "central")
    response = central.get("/api/v1/surveys/2025")
    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())
    assert central.get("/api/v1/surveys/2025", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert central.get("/api/v1/surveys/1999").status_code == 404
    assert [s["year"] for s in api(network, "officer").get("/api/v1/surveys").json()["items"]] == [2025]
    assert api(network, "officer").get("/api/v1/surveys/2025").status_code == 403


def test_board_equals_the_page_and_its_filters(network):  # noqa: F811
    expires = timezone.localdate() + datetime.timedelta(days=30)
    for title, kind in (("금형 제공", "offer"), ("센서 수요", "need")):
        posting_services.create_posting(
            network.chair_firm,
            actor=None,
            kind=kind,
            title=title,
            expires_on=expires,
            review_status=Posting.ReviewStatus.APPROVED,
        )
    firm = api(network, "firm")
    body = firm.get("/api/v1/postings?kind=offer").json()
    page = board.board_postings(network.users["firm"], {"kind": "offer"})
    assert [p["id"] for p in body["items"]] == [p.pk for p in page] and body["count"] == 1
    assert body["items"][0]["title"] == "금형 제공" and body["items"][0]["firm"] == network.chair_firm.name
    assert firm.get("/api/v1/postings?kind=gift").status_code == 422
    assert api(network, "nobody").get("/api/v1/postings").status_code == 403


def test_a_firm_writes_its_posting_through_the_review_rules(network):  # noqa: F811
    firm = api(network, "firm", write=True)
    expires = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    made = firm.post(
        "/api/v1/postings",
        data={
            "kind": "need",
            "title": "  하우징   금형 ",
            "keywords": ["금형", "사출"],
            "expires_on": expires,
        },
        content_type="application/json",
    )
    assert made.status_code == 201
    created = made.json()
    assert created["title"] == "하우징 금형" and created["review_status"] == "pending"
    assert created["keywords"] == ["금형", "사출"]
    too_late = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    refused = firm.post(
        "/api/v1/postings",
        data={"kind": "need", "title": "x", "expires_on": too_late},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["details"][0]["messages"] == ["게시 기한은 1년 이내로 정해 주세요."]
    url = f"/api/v1/postings/{created['id']}"
    changed = firm.patch(
        url,
        data={"version": created["version"], "title": "하우징 금형 파트너"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["title"] == "하우징 금형 파트너"
    stale = firm.patch(
        url, data={"version": created["version"], "title": "늦은 수정"}, content_type="application/json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert Posting.objects.get(pk=created["id"]).title == "하우징 금형 파트너"
    seoul = api(network, "seoul", write=True)
    current = firm.get(url).json()["version"]
    denied = seoul.patch(
        url, data={"version": current, "title": "직원 수정"}, content_type="application/json"
    )
    assert denied.status_code == 403
    read_only = api(network, "firm")
    assert read_only.patch(url, data={"version": current}, content_type="application/json").status_code == 403


def test_events_follow_the_calendars_scope(network):  # noqa: F811
    from yunghap.events.models import Event

    body = api(network, "busan").get("/api/v1/events").json()
    visible = Event.objects.visible_to(network.users["busan"])
    assert body["count"] == visible.count()
    refused = api(network, "busan").get("/api/v1/events?kind=party")
    assert refused.status_code == 422 and refused.json()["details"][0]["field"] == "kind"


def queries_of(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_take_the_same_queries_for_one_row_or_many(network, django_assert_max_num_queries):  # noqa: F811
    expires = timezone.localdate() + datetime.timedelta(days=30)

    def add_rows(n: int, start: int) -> None:
        for i in range(start, start + n):
            posting_services.create_posting(
                network.chair_firm,
                actor=None,
                kind="offer",
                title=f"제공 {i}",
                expires_on=expires,
                review_status=Posting.ReviewStatus.APPROVED,
            )
            make_call(code=f"c-q-{i}")

    central = api(network, "central")
    add_rows(1, 0)
    few = {url: queries_of(central, url) for url in ("/api/v1/postings", "/api/v1/calls", "/api/v1/events")}
    add_rows(4, 1)
    for url, count in few.items():
        with django_assert_max_num_queries(count):
            central.get(url)
    with django_assert_max_num_queries(12):
        central.get("/api/v1/postings")
