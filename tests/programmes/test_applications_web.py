# ruff: noqa: F811  (the `network` fixture is imported and named as a parameter)
"""Consortia and applications in the web interface (issue 9, item 3): a lead firm's user starts a consortium,
writes the draft and its budget, invites partners who answer, and submits; every rule is checked through the
web form path with the reasons in Korean (the rules themselves are `programmes.rules`)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import FirmFactory, MembershipFactory, industry, make_user
from tests.programmes.factories import make_application, make_call, make_topic
from tests.web.conftest import network  # noqa: F401  (the fixture)
from tests.write_once_support import STALE, form_data, messages_of, token_of
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog, Notification
from yunghap.network.models import Firm
from yunghap.programmes.models import (
    Application,
    ApplicationBudgetLine,
    ApplicationRevision,
    Consortium,
    ConsortiumMember,
)

pytestmark = pytest.mark.django_db

KST = datetime.timezone(datetime.timedelta(hours=9))


@pytest.fixture
def call(network):
    topic = make_topic(code="t-lead")
    call = make_call(code="c-web")
    call.topics.add(topic)
    return call


@pytest.fixture
def lead(network, client):
    client.force_login(network.users["firm"])
    return client


def _other_firms(network):
    return Firm.objects.get(name="광빛차체"), Firm.objects.get(name="구로전자")


def draft(call, network, partners=(), state=ConsortiumMember.State.ACCEPTED, **fields):
    return make_application(
        call,
        network.member_firm,
        list(partners),
        status=Application.Status.DRAFT,
        partner_state=state,
        topic=call.topics.first(),
        **fields,
    )


def edit_data(client, application, **amounts: Any) -> dict[str, Any]:
    """The edit form as rendered, with `government_personnel="15,000,000"`-style amounts typed in."""
    response = client.get(reverse("programmes:application_edit", args=[application.pk]))
    assert response.status_code == 200
    data = form_data(response)
    data.update({k: str(v) for k, v in amounts.items()})
    return data


def check(client, application, data) -> str:
    response = client.post(reverse("programmes:application_budget_check", args=[application.pk]), data)
    assert response.status_code == 200
    return response.content.decode()


# --- starting -----------------------------------------------------------------------------------------------


def test_a_firm_user_starts_a_consortium_and_its_draft_once(network, call, lead):
    url = reverse("programmes:application_start", args=[call.code])
    page = lead.get(url)
    assert page.status_code == 200
    data = {
        "form_token": token_of(page),
        "name": "센서 융합 협력체",
        "title": "스마트 센서 모듈",
        "topic": call.topics.get().pk,
    }
    first = lead.post(url, data)
    again = lead.post(url, data)
    application = Application.objects.get(call=call)
    assert first.status_code == 302 and first["Location"] == reverse(
        "programmes:application_edit", args=[application.pk]
    )
    assert again.status_code == 302 and "이미 처리된 요청입니다" in " ".join(messages_of(again))
    assert Consortium.objects.filter(call=call).count() == 1
    lead_place = ConsortiumMember.objects.get(consortium=application.consortium)
    assert (lead_place.firm, lead_place.role, lead_place.state) == (network.member_firm, "lead", "accepted")
    assert application.status == "draft" and application.ref == f"c-web-w{application.consortium_id:05d}"
    assert ApplicationRevision.objects.filter(application=application).count() == 1
    assert AuditLog.objects.filter(
        action="programmes.application.create", object_id=str(application.pk)
    ).exists()


def test_only_a_current_member_firm_may_lead_and_only_while_the_call_is_open(network, call, client):
    url = reverse("programmes:application_start", args=[call.code])
    former = make_user("former-lead", Role.FIRM_USER, firm=network.former_firm)
    client.force_login(former)
    assert client.get(url).status_code == 403
    client.force_login(network.users["firm"])
    closed = make_call(code="c-closed", days_open=30, days_left=-1)
    response = client.get(reverse("programmes:application_start", args=[closed.code]))
    assert response.status_code == 200 and "접수가 마감되었습니다" in response.content.decode()
    assert "form" not in response.context


def test_the_topic_must_be_a_leading_topic_of_the_call(network, call, lead):
    url = reverse("programmes:application_start", args=[call.code])
    other = make_topic(code="t-other")
    response = lead.post(
        url, {"form_token": token_of(lead.get(url)), "name": "A", "title": "B", "topic": other.pk}
    )
    assert response.status_code == 200 and not Application.objects.filter(call=call).exists()
    assert response.context["form"].errors["topic"]


# --- the budget through the web form, at the boundaries --------------------------------------------------------


def test_exactly_75_percent_and_cash_exactly_20_percent_pass(network, call, lead):
    application = draft(call, network)
    data = edit_data(
        lead,
        application,
        government_personnel="15,000,000",
        cash_materials="1,000,000원",
        inkind_equipment="4000000",
    )
    html = check(lead, application, data)
    assert 'data-rule="ok"' in html and "정부지원 75.00%" in html and "그중 현금 20.00%" in html
    response = lead.post(reverse("programmes:application_edit", args=[application.pk]), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.government_krw, application.firm_cash_krw, application.firm_inkind_krw) == (
        15_000_000,
        1_000_000,
        4_000_000,
    )
    assert ApplicationBudgetLine.objects.filter(application=application).count() == 3
    assert application.revisions.count() == 1 and application.version == 2  # the factory kept none


def test_one_won_over_75_percent_breaks_both_shares(network, call, lead):
    application = draft(call, network)
    data = edit_data(
        lead,
        application,
        government_personnel=15_000_001,
        cash_personnel=1_000_000,
        inkind_personnel=3_999_999,
    )
    html = check(lead, application, data)
    assert "정부지원금 비율이 75.01%로, 최대 75%를 넘습니다." in html
    assert "기업부담금 비율이 24.99%로, 최소 25%에 못 미칩니다." in html


def test_one_won_over_the_grant_cap(network, call, lead):
    application = draft(call, network)
    data = edit_data(
        lead,
        application,
        government_personnel=20_000_001,
        cash_personnel=2_000_000,
        inkind_personnel=4_666_667,
    )
    html = check(lead, application, data)
    assert "정부지원금이 지원 상한을 넘습니다: 20,000,001원 (상한 20,000,000원)." in html
    assert html.count('data-rule="') == 1
    exact = edit_data(
        lead,
        application,
        government_personnel=20_000_000,
        cash_personnel=2_000_000,
        inkind_personnel=4_666_667,
    )
    assert 'data-rule="ok"' in check(lead, application, exact)


def test_cash_one_won_under_20_percent_of_the_firms_share(network, call, lead):
    application = draft(call, network)
    data = edit_data(
        lead, application, government_personnel=15_000_000, cash_personnel=999_999, inkind_personnel=4_000_001
    )
    html = check(lead, application, data)
    assert "기업부담금 중 현금 비율이 19.99%로, 최소 20%에 못 미칩니다." in html


def test_in_kind_is_refused_where_the_category_takes_none(network, call, lead):
    application = draft(call, network)
    data = edit_data(
        lead,
        application,
        government_personnel=15_000_000,
        cash_personnel=1_000_000,
        inkind_activity=4_000_000,
    )
    assert "연구활동비에는 현물을 계상할 수 없습니다." in check(lead, application, data)
    response = lead.post(reverse("programmes:application_edit", args=[application.pk]), data)
    assert response.status_code == 200
    assert "연구활동비에는 현물을 계상할 수 없습니다." in response.context["form"].non_field_errors()
    assert not ApplicationBudgetLine.objects.filter(application=application).exists()
    # The page draws no input for it.
    page = lead.get(reverse("programmes:application_edit", args=[application.pk])).content.decode()
    assert 'name="inkind_activity"' not in page and 'name="inkind_personnel"' in page


def test_the_live_check_writes_nothing(network, call, lead):
    application = draft(call, network)
    data = edit_data(lead, application, government_personnel=15_000_000)
    before = (
        AuditLog.objects.count(),
        ApplicationRevision.objects.count(),
        ApplicationBudgetLine.objects.count(),
    )
    check(lead, application, data)
    application.refresh_from_db()
    assert application.version == 1 and application.government_krw == 15_000_000  # the factory's totals
    assert before == (
        AuditLog.objects.count(),
        ApplicationRevision.objects.count(),
        ApplicationBudgetLine.objects.count(),
    )


def test_a_stale_edit_is_refused(network, call, lead):
    application = draft(call, network)
    mine = edit_data(lead, application, title="내 과제명")
    other = edit_data(lead, application, title="먼저 저장한 과제명")
    assert lead.post(reverse("programmes:application_edit", args=[application.pk]), other).status_code == 302
    response = lead.post(reverse("programmes:application_edit", args=[application.pk]), mine)
    assert response.status_code == 200 and STALE in response.content.decode()
    application.refresh_from_db()
    assert application.title == "먼저 저장한 과제명"


def test_the_period_must_not_end_before_it_starts(network, call, lead):
    application = draft(call, network)
    data = edit_data(lead, application, starts_on="2026-12-01", ends_on="2026-11-30")
    response = lead.post(reverse("programmes:application_edit", args=[application.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["종료일은 시작일보다 빠를 수 없습니다."]


def test_a_partner_sees_the_draft_but_may_not_edit_it(network, call, client):
    chair, _guro = _other_firms(network)
    application = make_application(call, chair, [network.member_firm], status=Application.Status.DRAFT)
    client.force_login(network.users["firm"])
    assert client.get(reverse("programmes:application_detail", args=[application.pk])).status_code == 200
    assert client.get(reverse("programmes:application_edit", args=[application.pk])).status_code == 403


# --- partners -------------------------------------------------------------------------------------------------


def test_search_by_name_shows_active_members_only_without_personal_data(network, call, lead):
    application = draft(call, network)
    FirmFactory(name="광빛폐업", status=Firm.Status.CLOSED, industry=industry("30"))
    url = reverse("programmes:application_partners", args=[application.pk])
    html = lead.get(url, {"q": "광빛"}).content.decode()
    assert "광빛차체" in html and "광빛폐업" not in html
    assert "김혜민" not in html and "010-6278-1954" not in html  # the chair firm's representative and phone
    # Another region's firm is found by name (name, industry and region only).
    assert "부산정밀" in lead.get(url, {"q": "부산"}).content.decode()
    assert "떠난기업" not in lead.get(url, {"q": "떠난"}).content.decode()  # no current membership


def test_invite_answer_and_the_lead_is_told(network, call, lead, django_capture_on_commit_callbacks):
    application = draft(call, network)
    busan_user = make_user("busan-firm", Role.FIRM_USER, firm=network.busan_firm)
    url = reverse("programmes:application_partners", args=[application.pk])
    page = lead.get(url, {"q": "부산"})
    token = page.context["found"][0]["token"]
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(url, {"firm": network.busan_firm.pk, "form_token": token})
    assert response.status_code == 302
    place = ConsortiumMember.objects.get(consortium=application.consortium, firm=network.busan_firm)
    assert place.state == "invited"
    assert Notification.objects.filter(recipient=busan_user, code="programmes.place.invited").exists()
    # The invited firm's user now sees the application and answers.
    partner = Client()
    partner.force_login(busan_user)
    respond = reverse("programmes:place_respond", args=[place.pk])
    assert partner.get(respond).status_code == 200
    assert lead.post(respond, {"answer": "accept"}).status_code == 403  # not the invited firm
    with django_capture_on_commit_callbacks(execute=True):
        assert partner.post(respond, {"answer": "accept"}).status_code == 302
    place.refresh_from_db()
    assert place.state == "accepted" and place.responded_by == busan_user
    told = Notification.objects.get(recipient=network.users["firm"], code="programmes.place.accepted")
    assert told.message == f"부산정밀이 신청서 '{application.title}'의 협력체 참여를 수락했습니다."
    again = partner.post(respond, {"answer": "decline"})
    assert again.status_code == 200 and "이미 응답한 초대입니다." in again.content.decode()


def test_a_declined_partner_can_be_removed_after_confirmation(network, call, lead):
    application = draft(call, network, [network.busan_firm], state=ConsortiumMember.State.DECLINED)
    place = application.consortium.members.get(firm=network.busan_firm)
    url = reverse("programmes:application_partner_remove", args=[application.pk, place.pk])
    page = lead.get(url)
    assert page.status_code == 200 and "부산정밀을 협력체 초대 목록에서 뺍니다." in page.content.decode()
    assert lead.post(url, {"form_token": token_of(page)}).status_code == 302
    assert not ConsortiumMember.objects.filter(pk=place.pk).exists()


def test_a_firm_at_its_limit_is_flagged(network, call, lead):
    chair, guro = _other_firms(network)
    make_application(call, guro, [chair])  # submitted: the chair firm is at max_applications_per_firm (1)
    application = draft(call, network)
    html = lead.get(
        reverse("programmes:application_partners", args=[application.pk]), {"q": "광빛"}
    ).content.decode()
    assert "참여 한도 도달" in html


def test_matching_suggests_firms_whose_offers_answer_the_topic(network, call, lead):
    from yunghap.matching.models import Capability, Posting

    capability = Capability.objects.create(name="사출금형", synonyms=["몰드"])
    call.topics.get().capabilities.add(capability)
    chair, _guro = _other_firms(network)
    Posting.objects.create(
        firm=chair,
        kind=Posting.Kind.OFFER,
        title="정밀 사출금형 제작",
        terms=["사출금형", "정밀"],
        analysed_at=timezone.now(),
        review_status=Posting.ReviewStatus.APPROVED,
        visibility=Posting.Visibility.NETWORK,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    application = draft(call, network)
    response = lead.get(reverse("programmes:application_partners", args=[application.pk]))
    suggested = [s["rec"].firm.name for s in response.context["suggestions"]]
    assert suggested == ["광빛차체"]
    assert "사출금형" in " ".join(str(r) for r in response.context["suggestions"][0]["rec"].reasons)


# --- submitting -----------------------------------------------------------------------------------------------


def _budget_ok(**fields):
    return {"government": 15_000_000, "cash": 1_000_000, "inkind": 4_000_000, **fields}


def submit(client, application):
    url = reverse("programmes:application_submit", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, {"form_token": token_of(page)})


def test_a_complete_application_is_submitted_eligible(network, call, lead):
    application = draft(call, network, _other_firms(network), **_budget_ok())
    response = submit(lead, application)
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.eligibility, application.breaches) == (
        "submitted",
        "eligible",
        [],
    )
    assert application.submitted_by == network.users["firm"] and application.rules_revision == call.revision
    assert application.revisions.get().snapshot["status"] == "submitted"
    assert AuditLog.objects.filter(
        action="programmes.application.submit", object_id=str(application.pk)
    ).exists()


def test_a_partner_that_never_accepted_refuses_the_submission(network, call, lead):
    chair, guro = _other_firms(network)
    application = draft(call, network, [chair], **_budget_ok())
    ConsortiumMember.objects.create(consortium=application.consortium, firm=guro)  # invited, never answered
    response = submit(lead, application)
    assert response.status_code == 200
    assert "참여를 수락하지 않은 기업이 있습니다: 구로전자." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "draft" and application.submitted_at is None


def test_every_breach_is_listed_at_once(network, call, lead):
    guro = Firm.objects.get(name="구로전자")  # same division (26) as the lead
    application = draft(call, network, [guro], government=20_000_001, cash=0, inkind=0)
    html = submit(lead, application).content.decode()
    for reason in (
        "정부지원금이 지원 상한을 넘습니다: 20,000,001원 (상한 20,000,000원).",
        "정부지원금 비율이 100.00%로, 최대 75%를 넘습니다.",
        "기업부담금 비율이 0.00%로, 최소 25%에 못 미칩니다.",
        "참여기업이 주관기업을 포함해 2개로, 최소 3개에 못 미칩니다.",
        "참여기업의 업종(KSIC 중분류)이 1개로, 최소 2개 업종이 필요합니다.",
    ):
        assert reason in html


def test_a_closed_firm_refuses_the_submission(network, call, lead):
    chair, guro = _other_firms(network)
    application = draft(call, network, [chair, guro], **_budget_ok())
    Firm.objects.filter(pk=guro.pk).update(status=Firm.Status.CLOSED)
    html = submit(lead, application).content.decode()
    assert "정상 영업 중이 아닌 기업이 있습니다: 구로전자." in html


def test_a_firm_in_two_consortia_of_one_call(network, call, lead):
    chair, guro = _other_firms(network)
    busan_partner = network.busan_firm
    make_application(call, busan_partner, [chair, guro], **_budget_ok())  # submitted first
    application = draft(call, network, [chair, guro], **_budget_ok())
    html = submit(lead, application).content.decode()
    assert "이 공모에 이미 1건의 신청에 참여한 기업이 있습니다: 광빛차체, 구로전자." in html


def _at(monkeypatch, moment: datetime.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_the_deadline_is_the_end_of_the_closing_day_in_kst(network, lead, monkeypatch):
    call = make_call(code="c-kst", opens_on=datetime.date(2026, 3, 2), closes_on=datetime.date(2026, 3, 31))
    call.topics.add(make_topic(code="t-kst"))
    first = draft(call, network, _other_firms(network), **_budget_ok())
    # 2026-03-31 23:59:59 KST is 14:59:59 UTC: still open.
    _at(monkeypatch, datetime.datetime(2026, 3, 31, 23, 59, 59, tzinfo=KST))
    assert submit(lead, first).status_code == 302
    second_call = make_call(
        code="c-kst2", opens_on=datetime.date(2026, 3, 2), closes_on=datetime.date(2026, 3, 31)
    )
    second = draft(second_call, network, _other_firms(network), **_budget_ok())
    _at(monkeypatch, datetime.datetime(2026, 4, 1, 0, 0, 0, tzinfo=KST))  # 15:00 UTC on the 31st
    response = submit(lead, second)
    assert "접수가 마감되었습니다. 마감은 2026-03-31 24:00(한국 시간)이었습니다." in response.content.decode()
    second.refresh_from_db()
    assert second.status == "draft"
    # And before opening.
    _at(monkeypatch, datetime.datetime(2026, 3, 1, 23, 59, 59, tzinfo=KST))
    response = submit(lead, second)
    assert "접수 시작 전입니다. 접수는 2026-03-02 00:00(한국 시간)부터입니다." in response.content.decode()


def test_withdraw_before_the_deadline_only(network, lead, monkeypatch):
    call = make_call(code="c-wd", opens_on=datetime.date(2026, 3, 2), closes_on=datetime.date(2026, 3, 31))
    application = make_application(call, network.member_firm, list(_other_firms(network)))
    url = reverse("programmes:application_withdraw", args=[application.pk])
    _at(monkeypatch, datetime.datetime(2026, 4, 1, 0, 0, 0, tzinfo=KST))
    page = lead.get(url)
    assert (
        "접수가 마감되었습니다" in page.content.decode() and 'id="confirm-form"' not in page.content.decode()
    )
    _at(monkeypatch, datetime.datetime(2026, 3, 31, 12, 0, tzinfo=KST))
    page = lead.get(url)
    assert lead.post(url, {"form_token": token_of(page)}).status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert AuditLog.objects.filter(action="programmes.application.withdraw").count() == 1


# --- visibility and the pages ---------------------------------------------------------------------------------


def test_another_consortiums_application_is_404(network, call, client):
    chair, guro = _other_firms(network)
    theirs = make_application(call, network.busan_firm, [chair, guro])
    client.force_login(network.users["firm"])
    for name in ("application_detail", "application_edit", "application_partners", "application_submit"):
        assert client.get(reverse(f"programmes:{name}", args=[theirs.pk])).status_code == 404
    assert theirs.title not in client.get(reverse("programmes:application_list")).content.decode()


def test_detail_shows_members_budget_and_breaches_in_pinned_queries(
    network,
    call,
    lead,
    django_assert_max_num_queries,
):
    chair, guro = _other_firms(network)
    application = draft(call, network, [chair, guro])
    lead.post(
        reverse("programmes:application_edit", args=[application.pk]),
        edit_data(
            lead,
            application,
            government_personnel=16_000_000,
            cash_personnel=1_000_000,
            inkind_equipment=3_000_000,
        ),
    )
    url = reverse("programmes:application_detail", args=[application.pk])
    with django_assert_max_num_queries(26):
        response = lead.get(url)
    html = response.content.decode()
    assert "정부지원금 비율이 80.00%로, 최대 75%를 넘습니다." in html
    assert "광빛차체" in html and "30 " in html and "16,000,000원" in html and "80.00%" in html


def test_list_shows_status_eligibility_and_pending_answers(
    network, call, lead, django_assert_max_num_queries
):
    chair, _guro = _other_firms(network)
    draft(call, network, [chair], state=ConsortiumMember.State.INVITED, title="대기 과제")
    make_application(call, network.member_firm, [chair], title="제출 과제")
    with django_assert_max_num_queries(14):
        html = lead.get(reverse("programmes:application_list")).content.decode()
    assert "대기 과제" in html and "제출 과제" in html and "적격" in html and "광빛차체" in html


def test_more_than_one_firm_of_the_user_chooses_the_lead(network, call, client):
    other = FirmFactory(name="둘째회사", industry=industry("29"))
    MembershipFactory(group=network.seoul_group, firm=other)
    user = make_user("two-firms", Role.FIRM_USER, firm=network.member_firm)
    from yunghap.accounts.models import RoleGrant

    RoleGrant.objects.create(user=user, role=Role.FIRM_USER, firm=other)
    client.force_login(user)
    url = reverse("programmes:application_start", args=[call.code])
    page = client.get(url)
    assert "lead" in page.context["form"].fields
    response = client.post(
        url,
        {
            "form_token": token_of(page),
            "lead": other.pk,
            "name": "N",
            "title": "T",
            "topic": call.topics.get().pk,
        },
    )
    assert response.status_code == 302
    assert Application.objects.get(call=call).consortium.lead == other


def test_the_list_offers_open_calls_to_a_member_firms_user(network, call, lead, client):
    html = lead.get(reverse("programmes:application_list")).content.decode()
    assert reverse("programmes:application_start", args=[call.code]) in html
    client.force_login(network.users["seoul"])
    html = client.get(reverse("programmes:application_list")).content.decode()
    assert reverse("programmes:application_start", args=[call.code]) not in html


def test_the_edit_page_checks_the_saved_lines(network, call, lead):
    application = draft(call, network, government=0, cash=0, inkind=0)
    html = lead.get(reverse("programmes:application_edit", args=[application.pk])).content.decode()
    assert "기업부담금 비율이 0.00%로, 최소 25%에 못 미칩니다." in html
    assert 'hx-post="' + reverse("programmes:application_budget_check", args=[application.pk]) in html


def test_a_firm_with_a_large_id_is_invited_by_the_id_the_page_carries(network, call, lead):
    """Ids are written without thousands separators (`USE_THOUSAND_SEPARATOR` would make 12345 "12,345")."""
    application = draft(call, network)
    big = FirmFactory(pk=123456, name="큰번호정밀", industry=industry("29"))
    MembershipFactory(group=network.seoul_group, firm=big)
    url = reverse("programmes:application_partners", args=[application.pk])
    page = lead.get(url, {"q": "큰번호"})
    html = page.content.decode()
    assert 'data-firm="123456"' in html and 'name="firm" value="123456"' in html
    token = page.context["found"][0]["token"]
    response = lead.post(url, {"firm": "123456", "form_token": token})
    assert response.status_code == 302
    assert ConsortiumMember.objects.filter(consortium=application.consortium, firm=big).exists()
