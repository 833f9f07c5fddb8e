"""The activity ledger through the API (issue 12 §1, §3): meetings, trades and results as the ledger pages
show them (visible with their group), and the meeting writes through the ledger's services: record with
the attendance sheet, change (409 on a stale version), the attendance alone, delete (restorable)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.api.test_registry_api import Api, api_for, messages_of
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.activities import services as ledger
from yunghap.activities.models import Meeting, Trade

pytestmark = pytest.mark.django_db

MAY = datetime.date(2025, 5, 14)


@pytest.fixture
def book(network):  # noqa: F811
    """A meeting, a trade (and a deleted one) and a result of the Seoul group; a Busan meeting."""
    central = network.users["central"]
    group = network.seoul_group
    meeting = ledger.record_meeting(
        group, actor=central, held_on=MAY, present_firm_ids=[network.member_firm.pk]
    )
    june = ledger.record_meeting(group, actor=central, held_on=datetime.date(2025, 6, 11))
    ledger.record_meeting(network.busan_group, actor=central, held_on=MAY)
    trade = ledger.record_trade(
        group,
        actor=central,
        buyer=network.member_firm,
        seller=network.chair_firm,
        item="센서 하우징",
        amount_krw=12_500_000,
        traded_on=datetime.date(2025, 5, 20),
    )
    gone = ledger.record_trade(
        group,
        actor=central,
        buyer=network.chair_firm,
        seller=network.member_firm,
        item="금형",
        amount_krw=1,
        traded_on=datetime.date(2025, 5, 21),
    )
    ledger.delete_entry(gone, actor=central)
    result = ledger.record_outcome(
        group,
        actor=central,
        kind="patent",
        title="센서 하우징 특허",
        achieved_on=datetime.date(2025, 6, 1),
        firms=[network.member_firm, network.chair_firm],
    )
    return {"meeting": meeting, "june": june, "trade": trade, "gone": gone, "result": result}


def test_meetings_are_visible_with_their_group(network, book):  # noqa: F811
    seoul = api_for(network, "seoul").get("/meetings").json()
    assert seoul["count"] == 2 and {m["group"] for m in seoul["items"]} == {"seoul-a"}
    assert api_for(network, "central").get("/meetings").json()["count"] == 3
    assert api_for(network, "nobody").get("/meetings").json() == {"count": 0, "items": []}
    assert api_for(network, "busan").get(f"/meetings/{book['meeting'].pk}").status_code == 404
    first = seoul["items"][-1]
    assert first | {"id": 0, "version": 0} == {
        "id": 0,
        "version": 0,
        "group": "seoul-a",
        "kind": "monthly",
        "held_on": "2025-05-14",
        "place": "",
        "agenda": "",
        "listed_count": 2,
        "present_count": 1,
        "attendance_rate": 50.0,
    }


def test_meeting_filters_equal_the_meeting_list_page(network, book, client):  # noqa: F811
    client.force_login(network.users["officer"])
    page = client.get(reverse("activities:meeting_list", kwargs={"code": "seoul-a"}))
    api = api_for(network, "officer")
    listed = api.get("/meetings?group=seoul-a").json()
    assert [m["id"] for m in listed["items"]] == [m.pk for m in page.context["page_obj"]]
    june = api.get("/meetings?group=seoul-a&from=2025-06-01&to=2025-06-30").json()
    assert [m["id"] for m in june["items"]] == [book["june"].pk]
    backwards = api.get("/meetings?from=2025-06-30&to=2025-06-01")
    assert backwards.status_code == 422 and messages_of(backwards, "to") == [
        "종료일은 시작일보다 빠를 수 없습니다."
    ]
    assert api.get("/meetings?kind=weekly").status_code == 422
    assert api.get("/meetings?from=2025-13-01").status_code == 422


def test_meeting_detail_has_the_attendance_sheet_and_an_etag(network, book):  # noqa: F811
    api = api_for(network, "officer")
    detail = api.get(f"/meetings/{book['meeting'].pk}")
    assert [(a["firm"]["name"], a["present"]) for a in detail.json()["attendance"]] == [
        ("새영테크", True),
        ("광빛차체", False),
    ]
    assert detail.json()["attendance"][0]["firm"]["brn"] == network.member_firm.brn
    assert api.get(f"/meetings/{book['meeting'].pk}", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304
    # The firm user opens only its own firm: the others are named, without their number.
    sheet = api_for(network, "firm").get(f"/meetings/{book['meeting'].pk}").json()["attendance"]
    assert [a["firm"]["brn"] for a in sheet] == [network.member_firm.brn, None]


def test_trades_in_integer_won_and_deleted_ones_left_out(network, book):  # noqa: F811
    api = api_for(network, "seoul")
    trades = api.get("/trades").json()
    assert trades["count"] == 1
    assert trades["items"][0] == {
        "id": book["trade"].pk,
        "group": "seoul-a",
        "traded_on": "2025-05-20",
        "item": "센서 하우징",
        "amount_krw": 12_500_000,
        "buyer": {"brn": network.member_firm.brn, "name": "새영테크"},
        "seller": {"brn": network.chair_firm.brn, "name": "광빛차체"},
    }
    assert api.get(f"/trades/{book['gone'].pk}").status_code == 404
    assert api.get("/trades?from=2025-05-21").json()["count"] == 0
    assert api_for(network, "busan").get(f"/trades/{book['trade'].pk}").status_code == 404


def test_results(network, book):  # noqa: F811
    api = api_for(network, "coordinator")
    results = api.get("/results?kind=patent").json()
    assert results["count"] == 1
    item = results["items"][0]
    assert item["kind"] == "patent" and item["title"] == "센서 하우징 특허" and item["has_evidence"] is False
    assert sorted(f["name"] for f in item["firms"]) == ["광빛차체", "새영테크"]
    assert api.get("/results?kind=new_product").json()["count"] == 0
    assert api.get(f"/results/{book['result'].pk}").json()["id"] == book["result"].pk
    assert api_for(network, "busan").get(f"/results/{book['result'].pk}").status_code == 404


def test_ledger_list_queries_are_pinned(network, book, django_assert_max_num_queries):  # noqa: F811
    api = api_for(network, "seoul")
    for url, most in (("/meetings", 5), ("/trades", 6), ("/results", 7)):
        with django_assert_max_num_queries(most):
            assert api.get(url).status_code == 200


# --- writes -------------------------------------------------------------------------------------------


def test_an_officer_records_a_meeting_with_its_attendance(network):  # noqa: F811
    officer = api_for(network, "officer")
    body = {"held_on": "2025-07-09", "place": "역삼", "present": [network.member_firm.brn]}
    made = officer.send("post", "/groups/seoul-a/meetings", body)
    assert made.status_code == 201, made.content
    assert (made.json()["listed_count"], made.json()["present_count"]) == (2, 1)
    meeting = Meeting.objects.get(pk=made.json()["id"])
    assert meeting.created_by == network.users["officer"] and meeting.place == "역삼"
    twice = officer.send("post", "/groups/seoul-a/meetings", body)
    assert twice.status_code == 422
    assert messages_of(twice, "held_on") == ["이 날짜에 같은 구분의 모임이 이미 기록되어 있습니다."]


def test_attendance_of_outsiders_and_unknown_numbers_reads_the_same(network):  # noqa: F811
    officer = api_for(network, "officer")
    for brn in (network.busan_firm.brn, "1234567891"):
        refused = officer.send(
            "post", "/groups/seoul-a/meetings", {"held_on": "2025-07-09", "present": [brn]}
        )
        assert refused.status_code == 422
        assert messages_of(refused, "present") == ["선택할 수 없는 회원사가 있습니다(1곳)."]
    future = officer.send("post", "/groups/seoul-a/meetings", {"held_on": "2999-01-01"})
    assert messages_of(future, "held_on") == ["오늘 이후의 날짜는 기록할 수 없습니다."]
    missing = officer.send("post", "/groups/seoul-a/meetings", {})
    assert messages_of(missing, "held_on") == ["필수 항목입니다."]


def test_who_may_record(network):  # noqa: F811
    body = {"held_on": "2025-07-09"}
    refused = api_for(network, "coordinator").send("post", "/groups/seoul-a/meetings", body)
    assert (
        refused.status_code == 403
        and refused.json()["message"] == "이 교류회의 활동을 기록할 권한이 없습니다."
    )
    assert api_for(network, "firm").send("post", "/groups/seoul-a/meetings", body).status_code == 403
    assert api_for(network, "busan").send("post", "/groups/seoul-a/meetings", body).status_code == 404
    assert api_for(network, "seoul").send("post", "/groups/seoul-a/meetings", body).status_code == 201


def test_meeting_edit_attendance_and_delete(network, book):  # noqa: F811
    meeting = book["meeting"]
    officer = api_for(network, "officer")
    url = f"/meetings/{meeting.pk}"
    changed = officer.send("patch", url, {"version": meeting.version, "place": "선릉"})
    assert changed.status_code == 200 and changed.json()["place"] == "선릉"
    assert changed.json()["present_count"] == 1  # the sheet is kept
    stale = officer.send("patch", url, {"version": meeting.version, "place": "삼성"})
    assert stale.status_code == 409 and stale.json()["details"][0]["changed_fields"] == ["place"]
    version = changed.json()["version"]
    everyone = [network.member_firm.brn, network.chair_firm.brn]
    sheet = officer.send("put", f"{url}/attendance", {"version": version, "present": everyone})
    assert sheet.status_code == 200 and sheet.json()["present_count"] == 2
    assert officer.send("put", f"{url}/attendance", {"version": version, "present": []}).status_code == 409
    assert api_for(network, "coordinator").send("delete", url, {}).status_code == 403
    deleted = officer.send("delete", url, {})
    assert deleted.status_code == 200 and deleted.json()["id"] == meeting.pk
    assert deleted.json()["restorable_until"]
    assert Meeting.all_objects.get(pk=meeting.pk).deleted_at is not None
    assert officer.get(url).status_code == 404
    assert officer.send("delete", url, {}).status_code == 404
    # Restored on the ledger page (the same undo as a delete there), it is back in the API.
    ledger.restore_entry(Meeting.all_objects.get(pk=meeting.pk), actor=network.users["officer"])
    assert officer.get(url).status_code == 200


def test_a_read_only_token_cannot_record(network):  # noqa: F811
    from yunghap.accounts.tokens import create_token

    api = Api(network.users["officer"])
    api.headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(network.users['officer'], actor=None).raw}"}
    refused = api.send("post", "/groups/seoul-a/meetings", {"held_on": "2025-07-09"})
    assert refused.status_code == 403 and refused.json()["code"] == "token_read_only"
    assert not Trade.objects.exists() and not Meeting.objects.exists()
