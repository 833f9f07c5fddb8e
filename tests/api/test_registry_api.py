"""The registry through the API (issue 12 §1, §3): firms and memberships as the pages show them (scope,
filters, masking and its access log), and the writes through the pages' forms, rules and services
(403 visible-not-permitted, 409 stale version, 422 with the form's Korean messages, 201 creates once per
Idempotency-Key)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.tokens import create_token
from yunghap.core.models import AccessLog
from yunghap.network.models import ExchangeGroup, FirmListing, Membership

pytestmark = pytest.mark.django_db


class Api:
    """A client holding one persona's write-enabled token."""

    def __init__(self, user: Any) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, actor=None, can_write=True).raw}"}

    def get(self, url: str, **extra: Any) -> Any:
        return self.client.get(f"/api/v1{url}", **self.headers, **extra)

    def send(self, method: str, url: str, body: Any, **extra: Any) -> Any:
        return getattr(self.client, method)(
            f"/api/v1{url}", data=json.dumps(body), content_type="application/json", **self.headers, **extra
        )


def api_for(network: Any, persona: str) -> Api:  # noqa: F811
    return Api(network.users[persona])


def messages_of(response: Any, field: str) -> list[str]:
    return next(d["messages"] for d in response.json()["details"] if d["field"] == field)


# --- firms: scope, filters, masking, the public card -----------------------------------------------------


def test_firm_list_is_the_firm_list_page_for_every_persona_and_filter(network, client):  # noqa: F811
    for persona in ("central", "seoul", "busan", "officer", "firm", "coordinator", "nobody"):
        user = network.users[persona]
        client.force_login(user)
        for query in ("", "division=26", "q=새영", "region=seoul&division=30"):
            page = client.get(reverse("network:firm_list") + f"?{query}")
            expected = [f.brn for f in page.context["firms"]]
            body = Api(user).get(f"/firms?{query}").json()
            assert [f["brn"] for f in body["items"]] == expected, (persona, query)
            assert body["count"] == page.context["page_obj"].paginator.count
    seoul = api_for(network, "seoul").get("/firms").json()
    assert network.busan_firm.brn not in {f["brn"] for f in seoul["items"]}
    row = next(f for f in seoul["items"] if f["brn"] == network.chair_firm.brn)
    assert row["visibility"] == "full" and row["industry"] == "30" and row["group_count"] == 1
    assert "representative" not in row  # the list page shows no personal data, nor does the list


def test_firm_filters_refuse_bad_values_with_the_forms_korean_message(network):  # noqa: F811
    refused = api_for(network, "central").get("/firms?size=giant")
    assert refused.status_code == 422 and refused.json()["code"] == "invalid"
    assert "올바르게 선택해 주세요" in messages_of(refused, "size")[0]


def test_firm_list_queries_are_pinned(network, django_assert_max_num_queries):  # noqa: F811
    api = api_for(network, "seoul")
    api.get("/firms")  # reference choices cached, as on a warm server
    with django_assert_max_num_queries(7):
        assert api.get("/firms").json()["count"] == 4


def test_personal_data_is_shown_as_the_firm_page_decides_and_each_display_is_logged(network):  # noqa: F811
    chair = network.chair_firm
    shown = api_for(network, "officer").get(f"/firms/{chair.brn}")
    assert shown.status_code == 200
    assert shown.json()["personal_data"] == "shown"
    assert (shown.json()["representative"], shown.json()["phone"]) == ("김혜민", "010-6278-1954")
    log = AccessLog.objects.get(user=network.users["officer"])
    assert log.kind == "view" and log.object_type == "network.firm" and log.object_ids == [str(chair.pk)]
    # The coordinator of the group sees the firm, not its contacts: masked and nothing logged.
    masked = api_for(network, "coordinator").get(f"/firms/{chair.brn}").json()
    assert masked["personal_data"] == "masked"
    assert (masked["representative"], masked["phone"]) == ("김*민", "010-****-1954")
    assert not AccessLog.objects.filter(user=network.users["coordinator"]).exists()


def test_a_firm_outside_the_scope_is_404_unless_listed_then_only_its_public_card(network, monkeypatch):  # noqa: F811
    busan_firm = network.busan_firm
    busan_firm.representative, busan_firm.phone = "박부산", "051-123-4567"
    busan_firm.save()
    seoul = api_for(network, "seoul")
    assert seoul.get(f"/firms/{busan_firm.brn}").status_code == 404
    assert seoul.get(f"/firms/{busan_firm.brn}").json()["code"] == "not_found"
    FirmListing.objects.create(firm=busan_firm, consented=True)
    card = seoul.get(f"/firms/{busan_firm.brn}")
    assert card.status_code == 200
    body = card.json()
    assert body["visibility"] == "public" and body["name"] == "부산정밀" and body["region"] == "busan"
    assert not {"representative", "phone", "email", "address", "version"} & set(body)
    assert "박부산" not in card.content.decode()
    # In scope, a listed firm is still the full record.
    assert api_for(network, "busan").get(f"/firms/{busan_firm.brn}").json()["visibility"] == "full"


def test_firm_detail_has_an_etag(network):  # noqa: F811
    api = api_for(network, "seoul")
    first = api.get(f"/firms/{network.member_firm.brn}")
    again = api.get(f"/firms/{network.member_firm.brn}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


# --- memberships ---------------------------------------------------------------------------------------


def test_group_memberships_show_contacts_to_the_lists_keepers_only(network):  # noqa: F811
    kept = api_for(network, "officer").get("/groups/seoul-a/memberships").json()
    assert kept["count"] == 3
    chair = next(m for m in kept["items"] if m["role"] == "chair")
    assert chair["firm"]["representative"] == "김혜민" and chair["current"] is True
    former = next(m for m in kept["items"] if not m["current"])
    assert former["left_on"] == "2010-06-30" and former["firm"]["representative"] is None
    log = AccessLog.objects.get(user=network.users["officer"])
    current = [network.chair_firm, network.member_firm]
    assert set(log.object_ids) == {str(f.pk) for f in current if f.representative or f.phone}
    seen = api_for(network, "firm").get("/groups/seoul-a/memberships").json()
    chair = next(m for m in seen["items"] if m["role"] == "chair")
    assert chair["firm"]["representative"] == "김*민"
    assert chair["firm"]["brn"] is None  # the firm user cannot open the other firm: no number either
    assert not AccessLog.objects.filter(user=network.users["firm"]).exists()
    assert api_for(network, "busan").get("/groups/seoul-a/memberships").status_code == 404


def test_membership_filters(network, django_assert_max_num_queries):  # noqa: F811
    api = api_for(network, "seoul")
    assert api.get("/memberships").json()["count"] == 4
    assert api.get("/memberships?group=seoul-a&current=true").json()["count"] == 2
    assert api.get("/memberships?group=seoul-a&current=false").json()["count"] == 1
    only = api.get(f"/memberships?firm={network.member_firm.brn}").json()
    assert [m["firm"]["name"] for m in only["items"]] == ["새영테크"]
    bad = api.get("/memberships?firm=12345")
    assert bad.status_code == 422 and messages_of(bad, "firm") == ["사업자등록번호는 숫자 10자리입니다."]
    # Six on PostgreSQL, where the access log is one statement; SQLite writes its targets separately.
    with django_assert_max_num_queries(7):
        assert api.get("/memberships?limit=50").status_code == 200
    membership = Membership.objects.get(firm=network.member_firm)
    detail = api.get(f"/memberships/{membership.pk}")
    assert detail.json()["version"] == membership.version and detail["ETag"]
    assert api_for(network, "busan").get(f"/memberships/{membership.pk}").status_code == 404


# --- writes: groups ---------------------------------------------------------------------------------------


def group_body(**overrides: Any) -> dict[str, Any]:
    return {
        "code": "seoul-new",
        "name": "성수혁신교류회",
        "federation": "seoul",
        "founded_on": "2024-03-01",
        "exchange_types": ["info"],
        **overrides,
    }


def test_staff_create_groups_in_their_region_only(network):  # noqa: F811
    seoul = api_for(network, "seoul")
    made = seoul.send("post", "/groups", group_body())
    assert made.status_code == 201, made.content
    assert made.json() | {"member_count": 0} == {
        "code": "seoul-new",
        "version": 1,
        "name": "성수혁신교류회",
        "federation": "seoul",
        "kind": "unit",
        "status": "active",
        "founded_on": "2024-03-01",
        "exchange_types": ["info"],
        "member_count": 0,
        "division_count": 0,
    }
    other = seoul.send("post", "/groups", group_body(code="busan-new", federation="busan"))
    assert other.status_code == 422 and messages_of(other, "federation")[0].startswith(
        "올바르게 선택해 주세요"
    )
    duplicate = seoul.send("post", "/groups", group_body())
    assert duplicate.status_code == 422 and "code" in {d["field"] for d in duplicate.json()["details"]}
    missing = seoul.send("post", "/groups", {"federation": "seoul"})
    assert messages_of(missing, "name") == ["필수 항목입니다."]
    refused = api_for(network, "officer").send("post", "/groups", group_body(code="x-1"))
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


def test_idempotency_key_creates_once_and_replays_the_first_answer(network):  # noqa: F811
    seoul = api_for(network, "seoul")
    first = seoul.send("post", "/groups", group_body(), HTTP_IDEMPOTENCY_KEY="k-2026-0001")
    again = seoul.send("post", "/groups", group_body(name="다른 이름"), HTTP_IDEMPOTENCY_KEY="k-2026-0001")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert ExchangeGroup.objects.filter(code="seoul-new").count() == 1
    # A failed create leaves the key unused: corrected, the same key creates.
    failed = seoul.send("post", "/groups", group_body(code="n-2", name=""), HTTP_IDEMPOTENCY_KEY="k-2")
    assert failed.status_code == 422
    fixed = seoul.send("post", "/groups", group_body(code="n-2"), HTTP_IDEMPOTENCY_KEY="k-2")
    assert fixed.status_code == 201 and "Idempotent-Replayed" not in fixed


def test_group_edit_checks_the_version_and_what_an_officer_may_move(network):  # noqa: F811
    group = network.seoul_group
    officer = api_for(network, "officer")
    changed = officer.send("patch", "/groups/seoul-a", {"version": group.version, "name": "테헤란교류회"})
    assert changed.status_code == 200 and changed.json()["name"] == "테헤란교류회"
    assert changed.json()["exchange_types"] == ["info", "newproduct"]  # left out: kept as stored
    stale = officer.send("patch", "/groups/seoul-a", {"version": group.version, "name": "또 바꿈"})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert stale.json()["details"][0]["changed_fields"] == ["name"]
    group.refresh_from_db()
    moved = officer.send("patch", "/groups/seoul-a", {"version": group.version, "federation": "busan"})
    assert moved.status_code == 403
    assert api_for(network, "firm").send("patch", "/groups/seoul-a", {"version": 9}).status_code == 403
    assert api_for(network, "busan").send("patch", "/groups/seoul-a", {"version": 9}).status_code == 404


# --- writes: firms ----------------------------------------------------------------------------------------


def test_firm_create_through_the_firm_form(network):  # noqa: F811
    seoul = api_for(network, "seoul")
    body = {
        "brn": "220-81-62517",
        "name": "성수정밀",
        "federation": "seoul",
        "industry": "29",
        "technologies": ["정밀가공", "금형"],
        "representative": "이성수",
        "phone": "02-555-1234",
    }
    made = seoul.send("post", "/firms", body)
    assert made.status_code == 201, made.content
    assert made.json()["brn"] == "2208162517" and made.json()["technologies"] == ["정밀가공", "금형"]
    bad = seoul.send("post", "/firms", {**body, "brn": "123-45-67890"})
    assert bad.status_code == 422 and bad.json()["details"][0]["field"] == "brn"
    assert api_for(network, "firm").send("post", "/firms", body).status_code == 403


def test_a_firm_user_edits_the_profile_but_not_the_staff_only_fields(network):  # noqa: F811
    firm = network.member_firm
    own = api_for(network, "firm")
    changed = own.send("patch", f"/firms/{firm.brn}", {"version": firm.version, "phone": "02-777-8888"})
    assert changed.status_code == 200 and changed.json()["phone"] == "02-777-8888"
    firm.refresh_from_db()
    refused = own.send("patch", f"/firms/{firm.brn}", {"version": firm.version, "status": "closed"})
    assert refused.status_code == 403 and refused.json()["code"] == "firm_field_staff_only"
    assert (
        refused.json()["message"] == "사업자등록번호, 상태, 지역연합회는 소속 지역연합회만 바꿀 수 있습니다."
    )
    stale = own.send("patch", f"/firms/{firm.brn}", {"version": firm.version - 1, "phone": "02-1"})
    assert stale.status_code == 409
    invalid = own.send("patch", f"/firms/{firm.brn}", {"version": firm.version, "email": "no-at-sign"})
    assert invalid.status_code == 422 and messages_of(invalid, "email") == [
        "올바른 이메일 주소를 입력하세요."
    ]
    assert api_for(network, "officer").send("patch", f"/firms/{firm.brn}", {"version": 1}).status_code == 403
    staff = api_for(network, "seoul").send(
        "patch", f"/firms/{firm.brn}", {"version": firm.version, "status": "closed"}
    )
    assert staff.status_code == 200 and staff.json()["status"] == "closed"


# --- writes: memberships ----------------------------------------------------------------------------------


def test_membership_period_overlap_is_refused_by_the_api_as_by_the_form(network, client):  # noqa: F811
    today = timezone.localdate().isoformat()
    body = {"brn": network.member_firm.brn, "joined_on": today}
    refused = api_for(network, "officer").send("post", "/groups/seoul-a/memberships", body)
    assert refused.status_code == 422
    message = "이 회원사는 같은 기간에 이미 이 교류회의 회원입니다."
    assert messages_of(refused, "joined_on") == [message]
    client.force_login(network.users["officer"])
    page = client.post(
        reverse("network:membership_create", kwargs={"code": "seoul-a"}), {**body, "role": "member"}
    )
    assert page.status_code == 200 and page.context["form"].errors["joined_on"] == [message]
    # A number outside the officer's scope reads as unregistered, as in the form.
    outside = api_for(network, "officer").send(
        "post", "/groups/seoul-a/memberships", {"brn": network.busan_firm.brn, "joined_on": today}
    )
    assert outside.status_code == 422 and outside.json()["details"][0]["codes"] == ["firm_not_found"]


def test_staff_add_and_end_a_membership(network):  # noqa: F811
    seoul = api_for(network, "seoul")
    joined = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    added = seoul.send(
        "post", "/groups/seoul-b/memberships", {"brn": network.member_firm.brn, "joined_on": joined}
    )
    assert added.status_code == 201, added.content
    assert added.json()["role"] == "member" and added.json()["current"] is True
    pk, version = added.json()["id"], added.json()["version"]
    ended = seoul.send(
        "patch", f"/memberships/{pk}", {"version": version, "left_on": timezone.localdate().isoformat()}
    )
    assert ended.status_code == 200 and ended.json()["current"] is False
    assert Membership.objects.get(pk=pk).left_on == timezone.localdate()
    stale = seoul.send("patch", f"/memberships/{pk}", {"version": version, "role": "chair"})
    assert stale.status_code == 409
    # An ended period is the firm's own federation's to change: the officer of the group may not (403).
    former = Membership.objects.get(firm=network.former_firm)
    assert (
        api_for(network, "officer").send("patch", f"/memberships/{former.pk}", {"version": 1}).status_code
        == 403
    )
    assert (
        api_for(network, "coordinator")
        .send("post", "/groups/seoul-a/memberships", {"brn": network.member_firm.brn})
        .status_code
        == 403
    )


def test_api_creates_need_no_form_token_even_where_the_forms_require_one(network, settings):  # noqa: F811
    settings.FORM_TOKEN_REQUIRED = True
    made = api_for(network, "seoul").send("post", "/groups", group_body())
    assert made.status_code == 201, made.content
    meeting = api_for(network, "officer").send("post", "/groups/seoul-a/meetings", {"held_on": "2025-07-09"})
    assert meeting.status_code == 201, meeting.content


def test_hostile_codes_in_bodies_are_422_never_500(network):  # noqa: F811
    seoul = api_for(network, "seoul")
    for value in ("\x00", "x" * 500, "２６"):
        group = seoul.send("post", "/groups", group_body(federation=value, exchange_types=[value]))
        assert group.status_code == 422, value
        firm = seoul.send("post", "/firms", {"name": "가", "federation": "seoul", "industry": value})
        assert firm.status_code == 422, value
        meeting = seoul.send(
            "post", "/groups/seoul-a/meetings", {"held_on": "2025-07-09", "present": [value]}
        )
        assert meeting.status_code == 422, value
    firm = network.member_firm
    moved = seoul.send("patch", f"/firms/{firm.brn}", {"version": firm.version, "federation": "busan"})
    assert moved.status_code == 403 and moved.json()["code"] == "federation_out_of_scope"


def test_one_key_on_two_creates_is_two_requests(network):  # noqa: F811
    seoul = api_for(network, "seoul")
    group = seoul.send("post", "/groups", group_body(), HTTP_IDEMPOTENCY_KEY="same")
    firm = seoul.send(
        "post",
        "/firms",
        {"brn": "2208162517", "name": "성수정밀", "federation": "seoul", "industry": "29"},
        HTTP_IDEMPOTENCY_KEY="same",
    )
    assert (group.status_code, firm.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in firm and firm.json()["name"] == "성수정밀"
