"""Keeping the registry up to date through the forms: services behind them, Korean errors on the fields."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.factories import make_brn
from yunghap.core.models import AuditLog
from yunghap.network.models import ExchangeGroup, Firm, Membership

pytestmark = pytest.mark.django_db


def firm_data(**overrides):
    data = {
        "brn": "116-82-00276",
        "name": "새로운기업(주)",
        "federation": "",
        "industry": "",
        "employees": "12",
        "revenue_krw": "350000000",
        "founded_on": "2015-03-02",
        "technologies": "레이저 가공; 정밀 금형",
        "products": "금형;",
        "representative": "이순신",
        "phone": "02-123-4567",
        "email": "ceo@example.com",
        "address": "서울특별시 구로구",
        "status": "active",
    }
    data.update(overrides)
    return data


def ids(model, code):
    return model.objects.get(code=code).pk


def test_create_group_with_exchange_type_checkboxes(network, login):
    from yunghap.network.models import ExchangeType, Federation

    client = login(network.users["seoul"])
    page = client.get(reverse("network:group_create")).content.decode()
    assert 'type="checkbox" name="exchange_types"' in page
    response = client.post(
        reverse("network:group_create"),
        {
            "code": "seoul-new",
            "name": "새교류회",
            "federation": ids(Federation, "seoul"),
            "kind": "unit",
            "founded_on": "2020-05-01",
            "status": "active",
            "exchange_types": [ids(ExchangeType, "info"), ids(ExchangeType, "resource")],
        },
    )
    assert response.status_code == 302 and response["Location"] == "/groups/seoul-new/"
    group = ExchangeGroup.objects.get(code="seoul-new")
    assert sorted(group.exchange_types.values_list("code", flat=True)) == ["info", "resource"]
    assert AuditLog.objects.filter(
        action="group.create", object_id=str(group.pk), actor=network.users["seoul"]
    ).exists()


def test_regional_staff_cannot_create_a_group_in_another_region(network, login):
    from yunghap.network.models import Federation

    response = login(network.users["seoul"]).post(
        reverse("network:group_create"),
        {
            "code": "busan-x",
            "name": "x",
            "federation": ids(Federation, "busan"),
            "kind": "unit",
            "status": "active",
        },
    )
    assert response.status_code == 200
    assert "올바르게 선택해 주세요" in response.content.decode()
    assert not ExchangeGroup.objects.filter(code="busan-x").exists()


def test_duplicate_group_code_is_a_korean_field_error(network, login):
    from yunghap.network.models import Federation

    response = login(network.users["central"]).post(
        reverse("network:group_create"),
        {
            "code": "seoul-b",
            "name": "중복",
            "federation": ids(Federation, "seoul"),
            "kind": "unit",
            "status": "active",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert "이미 존재합니다" in response.context["form"].errors["code"][0]


def test_edit_group_records_only_the_change(network, login):
    client = login(network.users["officer"])
    form = client.get(reverse("network:group_edit", args=["seoul-a"])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["exchange_types"] = [t.pk for t in data["exchange_types"]]
    data["federation"] = network.seoul_group.federation_id
    data["founded_on"] = "2000-03-01"
    data["name"] = "테헤란기술교류회(개명)"
    response = client.post(reverse("network:group_edit", args=["seoul-a"]), data)
    assert response.status_code == 302
    audit = AuditLog.objects.get(action="group.update")
    assert audit.changes == {"name": ["테헤란기술교류회", "테헤란기술교류회(개명)"]}


def test_bad_brn_on_firm_form_is_a_korean_error(network, login):
    from yunghap.network.models import Federation, Industry

    client = login(network.users["seoul"])
    base = firm_data(federation=ids(Federation, "seoul"), industry=Industry.objects.get(code="26").pk)
    response = client.post(reverse("network:firm_create"), {**base, "brn": "116-82-00278"})
    assert response.context["form"].errors["brn"] == ["사업자등록번호의 검증번호가 맞지 않습니다."]
    response = client.post(reverse("network:firm_create"), {**base, "brn": "123456789"})
    assert response.context["form"].errors["brn"] == ["사업자등록번호는 숫자 10자리여야 합니다."]
    assert not Firm.objects.filter(name="새로운기업(주)").exists()


def test_create_and_edit_firm_with_semicolon_lists(network, login):
    from yunghap.network.models import Federation, Industry

    client = login(network.users["seoul"])
    data = firm_data(federation=ids(Federation, "seoul"), industry=Industry.objects.get(code="26").pk)
    response = client.post(reverse("network:firm_create"), data)
    firm = Firm.objects.get(brn="1168200276")
    assert response["Location"] == f"/firms/{firm.brn}/"
    assert firm.technologies == ["레이저 가공", "정밀 금형"] and firm.products == ["금형"]
    edit = client.get(reverse("network:firm_edit", args=[firm.brn])).content.decode()
    assert "레이저 가공; 정밀 금형" in edit and "116-82-00276" in edit
    client.post(reverse("network:firm_edit", args=[firm.brn]), {**data, "phone": "02-999-0000"})
    audit = AuditLog.objects.get(action="firm.update")
    assert audit.changes == {"phone": ["***", "***"]}  # personal data changes are logged without values


def test_add_member_by_brn_and_end_membership_by_leave_date(network, login):
    from tests.factories import FirmFactory

    newcomer = FirmFactory(name="신입회원사")  # a Seoul firm: in Seoul staff's scope (issue 7, finding 1)
    client = login(network.users["seoul"])
    url = reverse("network:membership_create", args=["seoul-a"])
    response = client.post(url, {"brn": newcomer.brn_display, "role": "member", "joined_on": "2024-01-02"})
    assert response.status_code == 302
    membership = Membership.objects.get(group=network.seoul_group, firm=newcomer)
    response = client.post(
        reverse("network:membership_edit", args=[membership.pk]),
        {"role": "member", "joined_on": "2024-01-02", "left_on": "2025-06-30"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == datetime.date(2025, 6, 30)  # ended, not deleted
    detail = client.get("/groups/seoul-a/")
    assert membership.pk in [m.pk for m in detail.context["former"]]


def test_overlapping_membership_is_refused_in_korean(network, login):
    response = login(network.users["seoul"]).post(
        reverse("network:membership_create", args=["seoul-a"]),
        {"brn": network.member_firm.brn, "role": "member", "joined_on": "2020-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["joined_on"] == [
        "이 회원사는 같은 기간에 이미 이 교류회의 회원입니다."
    ]


def test_second_chair_is_refused_in_korean(network, login):
    from tests.factories import FirmFactory

    newcomer = FirmFactory(name="서울신입")
    response = login(network.users["seoul"]).post(
        reverse("network:membership_create", args=["seoul-a"]),
        {"brn": newcomer.brn, "role": "chair", "joined_on": "2020-01-01"},
    )
    errors = response.context["form"].errors["role"]
    assert errors == ["같은 기간에 회장 직책을 맡은 회원사(광빛차체)가 이미 있습니다."]
    assert not Membership.objects.filter(group=network.seoul_group, firm=newcomer).exists()


def test_future_and_reversed_dates_are_refused(network, login):
    membership = Membership.objects.get(group=network.seoul_group, firm=network.member_firm)
    response = login(network.users["seoul"]).post(
        reverse("network:membership_edit", args=[membership.pk]),
        {"role": "member", "joined_on": "2005-01-01", "left_on": "2004-01-01"},
    )
    assert "탈퇴일은 가입일보다 빠를 수 없습니다." in response.context["form"].errors["left_on"]


def test_officer_registers_an_unknown_firm_and_comes_back_to_add_it(network, login):
    from yunghap.network.models import Industry

    client = login(network.users["officer"])
    url = reverse("network:membership_create", args=["seoul-a"])
    brn = make_brn(7777)
    response = client.post(url, {"brn": brn, "role": "member", "joined_on": "2024-01-02"})
    assert "등록되지 않았거나 권한 밖의 사업자등록번호입니다" in response.content.decode()
    register_url = response.context["register_url"]
    assert register_url.startswith("/firms/new/?brn=")
    form_page = client.get(register_url)
    assert form_page.context["form"].initial["brn"] == brn
    data = firm_data(
        brn=brn,
        federation=network.seoul_group.federation_id,
        industry=Industry.objects.get(code="58").pk,
        next=form_page.context["next"],
    )
    response = client.post(register_url, data)
    assert response.status_code == 302 and response["Location"] == f"{url}?brn={brn}"
    back = client.get(response["Location"])
    assert back.context["form"].initial["brn"] == brn
    response = client.post(url, {"brn": brn, "role": "member", "joined_on": "2024-01-02"})
    assert response.status_code == 302
    assert Membership.objects.filter(group=network.seoul_group, firm__brn=brn).exists()


def test_firm_user_edits_own_profile_but_not_its_federation(network, login):
    from yunghap.network.models import Federation

    firm = network.member_firm
    client = login(network.users["firm"])
    form = client.get(reverse("network:firm_edit", args=[firm.brn])).context["form"]
    assert form.fields["federation"].disabled
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["phone"] = "010-2222-3333"
    data["federation"] = ids(Federation, "busan")  # ignored: the field is disabled
    response = client.post(reverse("network:firm_edit", args=[firm.brn]), data)
    assert response.status_code == 302
    firm.refresh_from_db()
    assert firm.phone == "010-2222-3333"
    assert firm.federation.code == "seoul"
