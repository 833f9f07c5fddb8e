"""The 공공데이터포털-style feeds (/api/v1/openapi/...): data.go.kr's envelope in JSON and XML, pageNo and
numOfRows with their limits, every result code with its HTTP status, the key through `serviceKey` in every
state (encoded or not), no personal data ever, and the JSON errors of every API path (NUL bytes, 404, 405,
503, a signed-in browser session)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from urllib.parse import quote

import pytest
from defusedxml import ElementTree as ET
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.tokens import create_token, revoke_token
from yunghap.api import directory
from yunghap.api.routers.compat import FirmItem, GroupItem, SurveyItem
from yunghap.api.schema import current_document
from yunghap.network.models import Firm, FirmListing
from yunghap.surveys.models import Survey, SurveyResponse

pytestmark = pytest.mark.django_db

GROUPS = "/api/v1/openapi/groups"
FIRMS = "/api/v1/openapi/firms"
SURVEYS = "/api/v1/openapi/surveys"


@pytest.fixture
def key(network):  # noqa: F811
    return create_token(network.users["central"], actor=None).raw


def header_of(response):
    return response.json()["response"]["header"]


def body_of(response):
    return response.json()["response"]["body"]


def test_groups_in_the_data_go_kr_envelope(network, key):  # noqa: F811
    response = Client().get(GROUPS, {"serviceKey": key})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert header_of(response) == {"resultCode": "00", "resultMsg": "NORMAL SERVICE."}
    body = body_of(response)
    assert (body["numOfRows"], body["pageNo"], body["totalCount"]) == (10, 1, 3)
    items = body["items"]["item"]
    assert all(set(item) == set(GroupItem.model_fields) for item in items)
    seoul = next(item for item in items if item["code"] == "seoul-a")
    assert seoul["name"] == "테헤란기술교류회"
    assert seoul["region"] == "seoul"
    assert seoul["exchangeTypes"] == "info,newproduct"
    assert seoul["memberCount"] == 2  # the firm that left in 2010 is not counted


def test_only_active_groups_are_published(network, key):  # noqa: F811
    network.busan_group.status = "dissolved"
    network.busan_group.save()
    codes = [i["code"] for i in body_of(Client().get(GROUPS, {"serviceKey": key}))["items"]["item"]]
    assert sorted(codes) == ["seoul-a", "seoul-b"]


def test_groups_as_xml(network, key):  # noqa: F811
    response = Client().get(GROUPS, {"serviceKey": key, "_type": "xml", "region": "seoul"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "response"
    assert root.findtext("header/resultCode") == "00"
    assert root.findtext("header/resultMsg") == "NORMAL SERVICE."
    assert root.findtext("body/totalCount") == "2"
    assert root.findtext("body/numOfRows") == "10"
    assert root.findtext("body/pageNo") == "1"
    names = sorted(item.findtext("name") for item in root.findall("body/items/item"))
    assert names == ["구로융합교류회", "테헤란기술교류회"]


def test_page_no_and_num_of_rows(network, key):  # noqa: F811
    client = Client()
    body = body_of(client.get(GROUPS, {"serviceKey": key, "numOfRows": 1, "pageNo": 2}))
    assert (body["numOfRows"], body["pageNo"], body["totalCount"]) == (1, 2, 3)
    assert len(body["items"]["item"]) == 1
    past = body_of(client.get(GROUPS, {"serviceKey": key, "numOfRows": 2, "pageNo": 3}))
    assert past["items"]["item"] == [] and past["totalCount"] == 3
    assert len(body_of(client.get(GROUPS, {"serviceKey": key, "numOfRows": 1000}))["items"]["item"]) == 3
    for params in ({"numOfRows": 1001}, {"numOfRows": 0}, {"pageNo": 0}, {"pageNo": "x"}, {"_type": "csv"}):
        refused = client.get(GROUPS, {"serviceKey": key, **params})
        assert refused.status_code == 422, params
        assert header_of(refused)["resultCode"] == "10"
        assert header_of(refused)["resultMsg"] == "INVALID_REQUEST_PARAMETER_ERROR"
        assert header_of(refused)["resultDetail"] == "요청 값이 올바르지 않습니다."


def test_a_filter_the_list_page_refuses_is_result_code_10(network, key):  # noqa: F811
    refused = Client().get(GROUPS, {"serviceKey": key, "region": "nowhere", "_type": "xml"})
    assert refused.status_code == 422
    root = ET.fromstring(refused.content)
    assert root.findtext("header/resultCode") == "10"
    assert root.find("header/details/detail/field").text == "region"


def test_service_key_in_every_state(network):  # noqa: F811
    user = network.users["seoul"]
    client = Client()
    raw = create_token(user, actor=user).raw
    # data.go.kr's "encoding" key: every character percent-encoded, once or (by a client) twice
    encoded = "".join(f"%{b:02X}" for b in raw.encode())
    assert client.get(f"{GROUPS}?serviceKey={quote(encoded)}").status_code == 200
    assert client.get(f"{GROUPS}?serviceKey={quote(quote(encoded))}").status_code == 200
    assert client.get(GROUPS, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    expired = create_token(user, actor=user, expires_on=timezone.localdate() - datetime.timedelta(days=1)).raw
    revoked = create_token(user, actor=user)
    revoke_token(revoked.token, actor=user)
    foreign = create_token(user, actor=user, allowed_addresses="10.1.2.0/24").raw
    for params in ({}, {"serviceKey": ""}, {"serviceKey": "yh_unknown"}, {"serviceKey": expired},
                   {"serviceKey": revoked.raw}, {"serviceKey": foreign}):  # fmt: skip
        for fmt in ("json", "xml"):
            response = client.get(GROUPS, {**params, "_type": fmt})
            assert response.status_code == 401, params
            if fmt == "json":
                header = header_of(response)
            else:
                root = ET.fromstring(response.content)
                header = {"resultCode": root.findtext("header/resultCode"),
                          "resultMsg": root.findtext("header/resultMsg"),
                          "resultDetail": root.findtext("header/resultDetail")}  # fmt: skip
            assert header["resultCode"] == "30"
            assert header["resultMsg"] == "SERVICE_KEY_IS_NOT_REGISTERED_ERROR"
            assert "API 토큰" in header["resultDetail"]


def test_the_request_budget_is_the_tokens(network, key, settings):  # noqa: F811
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    client = Client()
    assert client.get(GROUPS, {"serviceKey": key}).status_code == 200
    assert client.get("/api/v1/groups", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200  # same budget
    limited = client.get(GROUPS, {"serviceKey": key})
    assert limited.status_code == 429
    assert header_of(limited)["resultCode"] == "22"
    assert header_of(limited)["resultMsg"] == "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"
    assert 1 <= int(limited["Retry-After"]) <= 61


def list_firms(firms) -> None:
    """The firms consent to the directory (as their users would on /directory/mine/)."""
    for firm in firms:
        FirmListing.objects.update_or_create(firm=firm, defaults={"consented": True})


def test_firms_are_the_consenting_ones_only(network, key):  # noqa: F811
    body = body_of(Client().get(FIRMS, {"serviceKey": key}))
    assert body["totalCount"] == 0 and body["items"]["item"] == []
    list_firms([network.member_firm])
    FirmListing.objects.create(firm=network.busan_firm, consented=False)
    body = body_of(Client().get(FIRMS, {"serviceKey": key}))
    assert [item["name"] for item in body["items"]["item"]] == ["새영테크"]


def test_firms_never_carry_personal_data(network, key, monkeypatch):  # noqa: F811
    list_firms(Firm.objects.all())
    client = Client()
    response = client.get(FIRMS, {"serviceKey": key, "numOfRows": 100})
    body = body_of(response)
    assert body["totalCount"] == 5
    assert all(set(item) == set(FirmItem.model_fields) for item in body["items"]["item"])
    chair = network.chair_firm
    for fmt in ("json", "xml"):
        text = client.get(FIRMS, {"serviceKey": key, "numOfRows": 100, "_type": fmt}).content.decode()
        assert "광빛차체" in text
        for personal in (chair.representative, chair.phone, chair.brn, chair.phone.replace("-", "")):
            assert personal and personal not in text
    seoul = body_of(client.get(FIRMS, {"serviceKey": key, "region": "busan"}))
    assert [i["name"] for i in seoul["items"]["item"]] == ["부산정밀"]
    assert client.get(FIRMS, {"serviceKey": key, "division": "999"}).status_code == 422


@pytest.fixture
def survey_2024(network):  # noqa: F811
    survey = Survey.objects.create(year=2024, opened_on=datetime.date(2024, 3, 1), status="closed")
    for group, rnd in ((network.seoul_group, 2), (network.seoul_other, 0), (network.busan_group, 1)):
        SurveyResponse.objects.create(
            survey=survey,
            group=group,
            status=SurveyResponse.Status.SUBMITTED,
            members=10,
            meetings=12,
            attendance_rate=Decimal("80.0"),
            rnd_results=rnd,
        )
    return survey


def test_survey_table_for_staff(network, survey_2024, key):  # noqa: F811
    response = Client().get(SURVEYS, {"serviceKey": key, "year": 2024})
    assert response.status_code == 200
    items = body_of(response)["items"]["item"]
    assert body_of(response)["totalCount"] == 9
    assert all(set(item) == set(SurveyItem.model_fields) for item in items)
    by_code = {item["indicator"]: item for item in items}
    assert by_code["respondents"]["reported"] == 3
    assert by_code["groups_with_rnd_count"]["reported"] == 2
    assert by_code["rnd_results"]["reported"] == 3
    assert by_code["respondents"]["indicatorName"] == "응답 교류회 수(개)"
    assert {item["year"] for item in items} == {2024} and {item["region"] for item in items} == {""}


def test_regional_staff_get_their_region_and_no_other(network, survey_2024):  # noqa: F811
    client = Client()
    seoul = create_token(network.users["seoul"], actor=None).raw
    items = body_of(client.get(SURVEYS, {"serviceKey": seoul}))["items"]["item"]
    assert {item["region"] for item in items} == {"seoul"}
    assert next(i for i in items if i["indicator"] == "respondents")["reported"] == 2
    refused = client.get(SURVEYS, {"serviceKey": seoul, "region": "busan"})
    assert refused.status_code == 403
    assert header_of(refused)["resultCode"] == "20"
    assert header_of(refused)["resultMsg"] == "SERVICE_ACCESS_DENIED_ERROR"


def test_survey_table_is_refused_to_others(network, survey_2024):  # noqa: F811
    firm = create_token(network.users["firm"], actor=None).raw
    refused = Client().get(SURVEYS, {"serviceKey": firm, "_type": "xml"})
    assert refused.status_code == 403
    root = ET.fromstring(refused.content)
    assert root.findtext("header/resultCode") == "20"
    assert root.findtext("header/resultDetail") == "통계는 연합회 직원만 볼 수 있습니다."


def test_a_year_without_survey_is_result_code_10(network, survey_2024, key):  # noqa: F811
    refused = Client().get(SURVEYS, {"serviceKey": key, "year": 2001})
    assert refused.status_code == 422
    assert header_of(refused)["resultCode"] == "10"
    assert header_of(refused)["details"][0]["field"] == "year"


# ---- JSON errors on every API path ---------------------------------------------------------------


def test_nul_bytes_are_a_json_422_on_every_api_path(network, key):  # noqa: F811
    client = Client()
    for path in current_document()["paths"]:
        url = path.replace("{code}", "seoul-a")
        response = client.get(url, {"q": "a\x00b"}, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 422, path
        assert response["Content-Type"].startswith("application/json"), path
        if path.startswith("/api/v1/openapi/"):
            assert header_of(response)["resultCode"] == "10"
            assert "NUL" in header_of(response)["resultDetail"]
        else:
            assert response.json()["code"] == "invalid"
            assert "NUL" in response.json()["message"]
    xml = client.get(GROUPS, {"_type": "xml", "region": "\x00"})
    assert xml.status_code == 422 and ET.fromstring(xml.content).findtext("header/resultCode") == "10"


def test_unknown_paths_and_methods_answer_json(network, key):  # noqa: F811
    client = Client()
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.json() == {"code": "not_found", "message": "요청한 자료를 찾을 수 없습니다."}
    no_service = client.get("/api/v1/openapi/weather", {"_type": "xml"})
    assert no_service.status_code == 404
    assert ET.fromstring(no_service.content).findtext("header/resultCode") == "12"
    not_allowed = client.post(GROUPS, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert not_allowed.status_code == 405
    assert header_of(not_allowed)["resultCode"] == "04"
    assert "GET" in not_allowed["Allow"]
    post_list = client.delete("/api/v1/groups", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert post_list.status_code == 405
    assert post_list.json()["code"] == "method_not_allowed"


def test_an_unavailable_database_is_a_json_503(network, key, monkeypatch):  # noqa: F811
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(directory, "listed_groups", locked)
    monkeypatch.setattr("yunghap.network.selectors.group_list", locked)
    client = Client(raise_request_exception=False)
    compat = client.get(GROUPS, {"serviceKey": key})
    assert compat.status_code == 503 and compat["Retry-After"] == "30"
    assert header_of(compat)["resultCode"] == "02"
    plain = client.get("/api/v1/groups", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert plain.status_code == 503 and plain.json()["code"] == "unavailable"


def test_a_browser_session_never_sends_an_api_call_to_a_login_page(network, settings):  # noqa: F811
    settings.OTP_REQUIRED_FOR_STAFF = True
    client = Client()
    client.force_login(network.users["central"])  # staff without a verified second factor
    assert client.get("/groups/").status_code == 302  # the pages send them to the code page
    response = client.get("/api/v1/groups")
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    session = client.session
    session["_yunghap_active_at"] = 0  # idle for decades
    session.save()
    assert client.get("/api/v1/groups").status_code == 401
    assert client.get(GROUPS).status_code == 401


def test_query_counts_are_pinned(network, survey_2024, key, monkeypatch, django_assert_max_num_queries):  # noqa: F811
    client = Client()
    # token, the filter form's reference choices (3, cached afterwards), count, page, exchange types, members
    with django_assert_max_num_queries(8):
        assert client.get(GROUPS, {"serviceKey": key, "numOfRows": 100}).status_code == 200
    list_firms(Firm.objects.all())
    with django_assert_max_num_queries(3):  # token, count, page with region and industry
        assert client.get(FIRMS, {"serviceKey": key, "numOfRows": 100}).status_code == 200
    with django_assert_max_num_queries(12):  # the survey page's own context
        assert client.get(SURVEYS, {"serviceKey": key}).status_code == 200


def test_a_nul_in_a_json_body_is_refused_before_any_handler(network, key):  # noqa: F811
    client = Client()
    for body in ('{"name": "a\\u0000b"}', '{"name": "a\x00b"}'):
        response = client.post(
            "/api/v1/groups", data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
        )
        assert response.status_code == 422, body
        assert response.json()["code"] == "invalid" and "NUL" in response.json()["message"]


def test_a_value_the_database_cannot_hold_is_a_422(network, key, monkeypatch):  # noqa: F811
    from django.db import DataError

    def out_of_range(*args, **kwargs):
        raise DataError("value out of range for type bigint")

    monkeypatch.setattr("yunghap.network.selectors.group_list", out_of_range)
    response = Client().get("/api/v1/groups", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 422 and response.json()["code"] == "invalid"
