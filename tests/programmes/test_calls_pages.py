"""The call pages end to end: the hub, the list and the call page for firms, and central staff creating,
editing, publishing and correcting calls (issue 9 §2 and the "call edited after it opened" rule)."""

from __future__ import annotations

import datetime
from html import unescape
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.programmes.factories import make_application, make_call, make_topic
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.core import onetime
from yunghap.core.models import AuditLog
from yunghap.network.models import Firm
from yunghap.programmes.models import Application, Call, CallRevision, Topic

pytestmark = pytest.mark.django_db


def _days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "code": "rnd-2027-1",
        "title": "2027년 이업종 융합 R&D 지원사업",
        "description": "교류회 회원사 협력체의 융합 R&D를 지원합니다.",
        "opens_on": _days(30),
        "closes_on": _days(50),
        "budget_krw": "1,000,000,000",
        "quota": "50",
        "grant_cap_krw": "20,000,000원",
        "cap_applies_to": "government",
        "government_share_max": "75%",
        "firm_share_min": "25",
        "firm_cash_share_min": "20",
        "min_members": "3",
        "min_divisions": "2",
        "max_applications_per_firm": "1",
        "reviews_per_application": "5",
        "pass_score": "70",
        "cost_category_edition": "2026",
        "criterion_1_code": "technology",
        "criterion_1_name": "기술성",
        "criterion_1_points": "40",
        "criterion_2_code": "feasibility",
        "criterion_2_name": "사업성",
        "criterion_2_points": "30",
        "criterion_3_code": "cooperation",
        "criterion_3_name": "협력성",
        "criterion_3_points": "30",
        "form_token": onetime.new_token(),
    }
    data.update(overrides)
    return data


def errors_of(response: Any) -> list[str]:
    form = response.context["form"]
    return [str(e) for errors in form.errors.values() for e in errors]


@pytest.fixture
def central(client, network):  # noqa: F811
    client.force_login(network.users["central"])
    return client


# --- reading ------------------------------------------------------------------------------------------------


def test_call_page_for_firms_reads_the_rules_in_plain_korean(client, network, django_assert_max_num_queries):  # noqa: F811
    topic = make_topic(code="t-sensor", title="스마트 센서 모듈")
    call = make_call(
        code="c-read", opens_on=datetime.date(2026, 12, 1), closes_on=datetime.date(2026, 12, 20)
    )
    call.topics.add(topic)
    CallRevision.objects.create(call=call, number=1, rules=call.rules_snapshot())
    CallRevision.objects.create(
        call=call, number=2, rules=call.rules_snapshot(), reason="현금 비율 오기 정정"
    )
    client.force_login(network.users["firm"])
    with django_assert_max_num_queries(9):
        response = client.get(reverse("programmes:call_detail", kwargs={"code": "c-read"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "정부지원금은 협력체당 최대 20,000,000원이며 총사업비의 75% 이내입니다." in html
    assert "기업부담금은 총사업비의 25% 이상이며 그중 현금이 20% 이상이어야 합니다." in html
    assert "2026-12-01 00:00 ~ 2026-12-20 24:00 (한국 시간)" in html
    assert "기술성" in html and "40점" in html and "100점" in html
    assert "스마트 센서 모듈" in html
    assert "현금 비율 오기 정정" in html
    # Firms see no staff actions.
    assert "call-edit" not in html and "call-correct" not in html


def test_a_draft_is_central_only(client, network):  # noqa: F811
    make_call(code="c-hidden", published=False)
    client.force_login(network.users["firm"])
    assert client.get(reverse("programmes:call_detail", kwargs={"code": "c-hidden"})).status_code == 404
    assert "c-hidden" not in client.get(reverse("programmes:call_list")).content.decode()
    client.force_login(network.users["central"])
    assert client.get(reverse("programmes:call_detail", kwargs={"code": "c-hidden"})).status_code == 200


def test_hub_and_list_sort_calls_by_state(client, network, django_assert_max_num_queries):  # noqa: F811
    today = timezone.localdate()
    make_call(code="c-now", title="접수 중 공모")
    make_call(
        code="c-soon",
        title="예정 공모",
        opens_on=today + datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=9),
    )
    make_call(
        code="c-past",
        title="지난 공모",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today - datetime.timedelta(days=2),
    )
    make_call(code="c-wip", title="작성 중 공모", published=False)
    client.force_login(network.users["firm"])
    with django_assert_max_num_queries(6):
        response = client.get(reverse("programmes:home"))
    html = response.content.decode()
    assert html.index("접수 중 공모") < html.index("예정 공모") < html.index("지난 공모")
    assert "작성 중 공모" not in html
    client.force_login(network.users["central"])
    html = client.get(reverse("programmes:home")).content.decode()
    assert "작성 중 공모" in html
    with django_assert_max_num_queries(6):
        response = client.get(reverse("programmes:call_list"))
    assert [c.code for _s, _l, calls in response.context["sections"] for c in calls] == [
        "c-now",
        "c-soon",
        "c-past",
        "c-wip",
    ]


def test_cost_categories_by_edition(client, network):  # noqa: F811
    client.force_login(network.users["nobody"])
    html = client.get(reverse("programmes:cost_category_list")).content.decode()
    assert "2026년 기준" in html and "인건비" in html and "연구활동비" in html


# --- creating -----------------------------------------------------------------------------------------------


def test_create_with_the_defaults_and_leading_topics(central, network):  # noqa: F811
    accepted = make_topic(code="t-acc", status=Topic.Status.ACCEPTED)
    page = central.get(reverse("programmes:call_create"))
    form = page.context["form"]
    assert form["budget_krw"].value() == 1_000_000_000
    assert form["government_share_max"].value() == "75"
    assert form["pass_score"].value() == "70"
    assert form["criterion_1_points"].value() == 40
    data = form_data(topics=[accepted.pk], budget_krw="", quota="", pass_score="")
    response = central.post(reverse("programmes:call_create"), data)
    assert response.status_code == 302
    call = Call.objects.get(code="rnd-2027-1")
    assert call.published_at is None  # a draft until published
    assert (call.budget_krw, call.quota, call.pass_score) == (1_000_000_000, 50, 70)
    assert call.grant_cap_krw == 20_000_000
    assert [c["points"] for c in call.criteria] == [40, 30, 30]
    assert call.criteria[0]["name_en"] == "Technology"
    accepted.refresh_from_db()
    assert accepted.status == Topic.Status.LEADING and list(call.topics.all()) == [accepted]
    assert AuditLog.objects.filter(action="call.create", object_id=str(call.pk)).count() == 1
    # The same form posted again (a double click) writes nothing more.
    again = central.post(reverse("programmes:call_create"), data)
    assert again.status_code == 302 and Call.objects.filter(code="rnd-2027-1").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"criterion_3_points": "20"}, "평가 항목 배점의 합이 90점입니다. 합은 100점이어야 합니다."),
        ({"criterion_3_code": "technology"}, "평가 항목 코드 'technology'가 두 번 있습니다."),
        ({"criterion_2_name": ""}, "평가 항목 2의 이름을 입력해 주세요."),
        ({"criterion_2_points": "0"}, "평가 항목 2의 배점은 1 이상의 정수여야 합니다."),
        ({"criterion_1_code": "기술"}, "평가 항목 1의 코드는 영문 소문자·숫자·하이픈(-)으로 입력해 주세요."),
        (
            {f"criterion_{i}_{p}": "" for i in (1, 2, 3) for p in ("code", "name", "points")},
            "평가 항목을 하나 이상 입력해 주세요.",
        ),
        (
            {"government_share_max": "60", "firm_share_min": "25%"},
            "정부지원 최대 비율(60%)과 기업부담 최소 비율(25%)의 합이 100%보다 작습니다. 두 비율은 총사업비를 "
            "나눈 것이므로 합이 100% 이상이어야 합니다(예: 75%와 25%).",
        ),
        ({"government_share_max": "101"}, "정부지원 최대 비율(%)은 0에서 100 사이여야 합니다."),
        (
            {"firm_cash_share_min": "12.345"},
            "기업부담 중 현금 최소 비율(%)은 소수 둘째 자리까지 입력해 주세요.",
        ),
        ({"government_share_max": "칠십오"}, "비율은 숫자로 입력해 주세요 (예: 75 또는 75%)."),
        ({"quota": "0"}, "선정 규모(협력체 수)는 1 이상의 정수여야 합니다."),
        ({"budget_krw": "-5"}, "총 예산(원)은 1 이상의 정수여야 합니다."),
        ({"min_members": "0"}, "최소 참여기업 수(주관 포함)는 1 이상의 정수여야 합니다."),
        ({"closes_on": _days(10)}, "접수 마감일은 접수 시작일과 같거나 그 뒤여야 합니다."),
        ({"code": "c-open"}, "같은 코드의 공모가 이미 있습니다: c-open"),
        ({"title": "   "}, "필수 항목입니다."),
        ({"cost_category_edition": "1999"}, "올바르게 선택해 주세요. 1999 이/가 선택가능항목에 없습니다."),
    ],
)
def test_every_validation_message(central, overrides, message):
    make_call(code="c-open")
    response = central.post(reverse("programmes:call_create"), form_data(**overrides))
    assert response.status_code == 200
    assert message in errors_of(response), errors_of(response)
    assert not Call.objects.filter(code="rnd-2027-1").exists()


def test_an_unknown_cost_category_edition_is_refused_by_the_service(network):  # noqa: F811
    from django.core.exceptions import ValidationError

    from yunghap.programmes import call_services

    with pytest.raises(ValidationError) as refused:
        call_services.create_call(
            actor=None,
            code="c-ed",
            title="x",
            opens_on=datetime.date(2027, 1, 1),
            closes_on=datetime.date(2027, 1, 2),
            cost_category_edition="1999",
        )
    assert refused.value.message_dict == {"cost_category_edition": ["비목 기준 연도 '1999'가 없습니다."]}


def test_others_may_not_create(client, network):  # noqa: F811
    client.force_login(network.users["seoul"])
    assert client.post(reverse("programmes:call_create"), form_data()).status_code == 403
    assert not Call.objects.filter(code="rnd-2027-1").exists()


# --- editing, publishing -----------------------------------------------------------------------------------


def test_edit_a_draft_with_a_version_check(central, network):  # noqa: F811
    call = make_call(code="c-edit", published=False, days_open=-30, days_left=50)
    url = reverse("programmes:call_edit", kwargs={"code": "c-edit"})
    page = central.get(url)
    assert "code" not in page.context["form"].fields
    data = form_data(version=str(call.version), quota="40", form_token="")
    data.pop("code")
    assert central.post(url, data).status_code == 302
    call.refresh_from_db()
    assert call.quota == 40 and call.version == 2
    # A second edit from the page read at version 1 is stale: shown again with the conflict, nothing saved.
    stale = central.post(url, {**data, "quota": "30"})
    assert stale.status_code == 200
    assert any("다른 사용자가 먼저 이 정보를 수정했습니다" in e for e in errors_of(stale))
    call.refresh_from_db()
    assert call.quota == 40


def test_publish_asks_first_then_writes_revision_1(central, network):  # noqa: F811
    call = make_call(code="c-pub", published=False, days_open=-30, days_left=50)
    url = reverse("programmes:call_publish", kwargs={"code": "c-pub"})
    page = central.get(url)
    assert page.status_code == 200
    assert "정부지원금은 협력체당 최대 20,000,000원이며 총사업비의 75% 이내입니다." in page.content.decode()
    assert central.post(url).status_code == 400  # no token: nothing done
    token = page.context["form"]["form_token"].value()
    assert central.post(url, {"form_token": token}).status_code == 302
    call.refresh_from_db()
    assert call.published_at is not None and call.revision == 1
    revision = CallRevision.objects.get(call=call)
    assert revision.number == 1 and revision.rules["government_share_max"] == "75.00"
    assert revision.rules["criteria"][0]["code"] == "technology"
    # Edited before it opens, the published call keeps its revision 1 in step with its rules.
    edit = form_data(version=str(call.version), quota="45", form_token="")
    edit.pop("code")
    assert central.post(reverse("programmes:call_edit", kwargs={"code": "c-pub"}), edit).status_code == 302
    revision.refresh_from_db()
    assert revision.rules["quota"] == 45
    assert CallRevision.objects.filter(call=call).count() == 1


def test_an_opened_call_cannot_be_edited(central, network):  # noqa: F811
    call = make_call(code="c-frozen")
    url = reverse("programmes:call_edit", kwargs={"code": "c-frozen"})
    expected = (
        "공모 'c-frozen'은 접수가 시작되어 규칙이 확정되었습니다. 수정할 수 없으며, 규칙을 바꾸려면 개정 사유와 "
        "함께 '규칙 정정'으로 새 차수를 만들어 주세요."
    )
    page = central.get(url)
    assert expected in unescape(page.content.decode())
    assert reverse("programmes:call_correct", kwargs={"code": "c-frozen"}) in page.content.decode()
    data = form_data(version=str(call.version), quota="10", form_token="")
    response = central.post(url, data)
    assert expected in unescape(response.content.decode())
    call.refresh_from_db()
    assert call.quota == 50 and call.version == 1


def test_the_service_refuses_a_frozen_call_too(network):  # noqa: F811
    from django.core.exceptions import ValidationError

    from yunghap.programmes import call_services

    call = make_call(code="c-svc")
    with pytest.raises(ValidationError) as refused:
        call_services.update_call(call, actor=None, quota=10)
    assert refused.value.code == "frozen"


# --- correcting -----------------------------------------------------------------------------------------------


def _three_firm_application(call: Call, network) -> Application:  # noqa: F811
    return make_application(
        call,
        network.member_firm,
        [network.chair_firm, Firm.objects.get(name="구로전자")],
        ref=f"{call.code}-001",
    )


def test_correction_needs_a_reason_and_a_change(central, network):  # noqa: F811
    call = make_call(code="c-fix")
    url = reverse("programmes:call_correct", kwargs={"code": "c-fix"})
    page = central.get(url)
    data = {k: v for k, v in form_data(version=str(call.version)).items() if k not in ("code", "form_token")}
    response = central.post(url, data)
    assert "필수 항목입니다." in errors_of(response)
    response = central.post(url, {**data, "reason": "오기 정정"})
    assert "바뀐 규칙이 없습니다. 정정할 규칙을 고친 뒤 저장해 주세요." in errors_of(response)
    assert page.status_code == 200
    call.refresh_from_db()
    assert call.revision == 1 and not CallRevision.objects.filter(call=call, number=2).exists()


def test_correction_is_a_new_revision_that_checks_submitted_applications_again(central, network):  # noqa: F811
    call = make_call(code="c-fix")
    CallRevision.objects.create(call=call, number=1, rules=call.rules_snapshot())
    application = _three_firm_application(call, network)  # 15,000,000 / 2,000,000 / 3,000,000: exactly 75 %
    draft = make_application(
        call, Firm.objects.get(name="부산정밀"), status=Application.Status.DRAFT, ref="c-fix-002"
    )
    url = reverse("programmes:call_correct", kwargs={"code": "c-fix"})
    data = {k: v for k, v in form_data(version=str(call.version)).items() if k not in ("code", "form_token")}
    data.update(
        government_share_max="70", firm_share_min="30", reason="정부지원 비율 상한을 공고문대로 70%로 정정"
    )
    response = central.post(url, data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.revision == 2 and call.government_share_max == 70
    revision = CallRevision.objects.get(call=call, number=2)
    assert revision.reason == "정부지원 비율 상한을 공고문대로 70%로 정정"
    assert revision.rules["government_share_max"] == "70.00"
    application.refresh_from_db()
    assert application.eligibility == Application.Eligibility.INELIGIBLE
    assert application.rules_revision == 2
    assert [b["code"] for b in application.breaches] == ["government_share", "firm_share"]
    draft.refresh_from_db()
    assert draft.rules_revision == 1  # drafts are checked when submitted
    audit = AuditLog.objects.get(action="call.correct", object_id=str(call.pk))
    assert audit.changes["rechecked"] == 1 and audit.changes["ineligible"] == ["c-fix-001"]
    assert audit.changes["before"] == {"government_share_max": "75.00", "firm_share_min": "25.00"}
    html = central.get(reverse("programmes:call_detail", kwargs={"code": "c-fix"})).content.decode()
    assert "정부지원금은 협력체당 최대 20,000,000원이며 총사업비의 70% 이내입니다." in html
    assert "정부지원 비율 상한을 공고문대로 70%로 정정" in html


def test_a_correction_back_makes_the_application_eligible_again(network):  # noqa: F811
    from yunghap.programmes import call_services

    call = make_call(code="c-back", min_members=4)
    application = _three_firm_application(call, network)
    call_services.correct_call(
        call, actor=network.users["central"], reason="최소 참여기업 수 정정", min_members=3
    )
    application.refresh_from_db()
    assert application.eligibility == Application.Eligibility.ELIGIBLE and application.breaches == []


def test_a_call_not_yet_open_is_edited_not_corrected(central, network):  # noqa: F811
    make_call(code="c-later", published=False, days_open=-30, days_left=50)
    response = central.get(reverse("programmes:call_correct", kwargs={"code": "c-later"}))
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:call_edit", kwargs={"code": "c-later"})
