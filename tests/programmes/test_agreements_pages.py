"""The agreement pages as their users meet them: every member firm confirms once, the page shows who and
when and whether the agreement is in force; a member of another consortium gets a 404, a visible agreement
one may not change a 403; change requests through the form (notice now, approval later)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import FirmFactory, make_user
from tests.programmes.agreement_factories import agreed
from tests.write_once_support import hidden
from yunghap.accounts.models import Role
from yunghap.programmes.models import AgreementConfirmation, ChangeRequest, Milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    lead, partner, stranger = (
        FirmFactory(name="주관테크"),
        FirmFactory(name="참여정밀"),
        FirmFactory(name="남의기업"),
    )
    agreement = agreed(
        lead=lead,
        partners=[partner],
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    agreed(lead=stranger)  # another consortium's agreement
    lead_user = make_user("leaduser", Role.FIRM_USER, firm=lead)
    partner_user = make_user("partneruser", Role.FIRM_USER, firm=partner)
    for user, name in ((lead_user, "김주관"), (partner_user, "이참여")):
        user.name = name
        user.save(update_fields=["name"])
    return {
        "agreement": agreement,
        "lead": lead_user,
        "partner": partner_user,
        "stranger": make_user("stranger", Role.FIRM_USER, firm=stranger),
        "central": make_user("central", Role.CENTRAL_STAFF),
        "regional": make_user("regional", Role.REGIONAL_STAFF, federation=lead.federation),
    }


def test_every_member_confirms_once_and_then_it_is_in_force(client, setup):
    agreement = setup["agreement"]
    detail = reverse("programmes:agreement_detail", kwargs={"pk": agreement.pk})
    confirm = reverse("programmes:agreement_confirm", kwargs={"pk": agreement.pk})
    client.force_login(setup["lead"])
    page = client.get(detail).content.decode()
    assert 'id="agreement-not-in-force"' in page and 'id="agreement-confirm"' in page
    ask = client.get(confirm)
    assert ask.status_code == 200
    assert "확인은 기업을 대표해 한 번만 하며, 취소할 수 없습니다." in ask.content.decode()
    token = hidden(ask, "form_token")
    done = client.post(confirm, {"form_token": token}, follow=True)
    assert "협약을 확인했습니다." in done.content.decode()
    again = client.post(confirm, {"form_token": token}, follow=True)
    assert "이미 처리된 요청입니다. 처음 제출한 내용으로 저장되어 있습니다." in again.content.decode()
    fresh = client.get(confirm)
    assert (
        "이미 협약을 확인했습니다." in fresh.content.decode()
        and 'id="confirm-form"' not in fresh.content.decode()
    )
    assert AgreementConfirmation.objects.filter(agreement=agreement).count() == 1

    client.force_login(setup["partner"])
    ask = client.get(confirm)
    client.post(confirm, {"form_token": hidden(ask, "form_token")})
    page = client.get(detail).content.decode()
    assert 'id="agreement-in-force"' in page and "발효(모든 참여기업 확인)" in page
    assert "김주관" in page and "이참여" in page
    assert list(agreement.confirmations.order_by("id").values_list("confirmed_by__username", flat=True)) == [
        "leaduser",
        "partneruser",
    ]


def test_a_confirmation_recorded_without_a_user_shows_a_dash(client, setup):
    """Confirmations on paper (recorded by staff, or by the demo) have no user: the page still opens."""
    agreement = setup["agreement"]
    for place in agreement.application.consortium.members.all():
        AgreementConfirmation.objects.create(
            agreement=agreement, firm=place.firm, confirmed_by=None, confirmed_at=timezone.now()
        )
    client.force_login(setup["central"])
    page = client.get(reverse("programmes:agreement_detail", kwargs={"pk": agreement.pk}))
    assert page.status_code == 200
    assert 'id="agreement-in-force"' in page.content.decode()


def test_another_consortiums_member_gets_404_and_staff_who_see_it_403(client, setup):
    agreement = setup["agreement"]
    urls = [
        reverse("programmes:agreement_detail", kwargs={"pk": agreement.pk}),
        reverse("programmes:agreement_confirm", kwargs={"pk": agreement.pk}),
        reverse("programmes:agreement_change_create", kwargs={"pk": agreement.pk}),
        reverse("programmes:agreement_milestone_add", kwargs={"pk": agreement.pk}),
    ]
    client.force_login(setup["stranger"])
    assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404]
    assert client.get(reverse("programmes:agreement_list")).content.decode().count("주관테크") == 0
    client.force_login(setup["regional"])
    assert [client.get(url).status_code for url in urls] == [200, 403, 403, 403]
    client.force_login(setup["partner"])  # a partner confirms, but changes are the lead's
    assert [client.get(url).status_code for url in urls] == [200, 200, 403, 403]


def test_a_notice_change_through_the_form_takes_effect_at_once(client, setup):
    agreement = setup["agreement"]
    url = reverse("programmes:agreement_change_create", kwargs={"pk": agreement.pk})
    client.force_login(setup["lead"])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "form_token": hidden(page, "form_token"),
        "reason": "담당자 변경",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "goals": agreement.terms.goals,
        "contact_name": "박담당",
        "contact_phone": "02-555-1234",
        "contact_email": "park@example.kr",
    }
    response = client.post(url, data, follow=True)
    assert "통보 사항이라 변경 내용을 바로 반영했습니다." in response.content.decode()
    change = ChangeRequest.objects.get()
    assert (change.state, [i.kind for i in change.items.all()]) == ("in_effect", ["contacts"])
    agreement.terms.refresh_from_db()
    assert agreement.terms.contact_name == "박담당"


def test_over_the_margin_through_the_form_waits_and_staff_approve(client, setup):
    agreement = setup["agreement"]
    url = reverse("programmes:agreement_change_create", kwargs={"pk": agreement.pk})
    client.force_login(setup["lead"])
    page = client.get(url)
    data = {
        "form_token": hidden(page, "form_token"),
        "reason": "재료비 증액",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "goals": agreement.terms.goals,
        "transfer_from": "personnel",
        "transfer_to": "materials",
        "transfer_source": "government_krw",
        "transfer_amount": "1,000,001",
    }
    response = client.post(url, data, follow=True)
    assert "변경 신청을 접수했습니다. 중앙회 승인 후 반영됩니다." in response.content.decode()
    change = ChangeRequest.objects.get()
    assert change.state == "pending"
    client.force_login(setup["central"])
    decide = reverse("programmes:agreement_change_decide", kwargs={"pk": change.pk})
    ask = client.get(decide)
    assert ask.status_code == 200
    refused = client.post(decide, {"form_token": hidden(ask, "form_token"), "decision": "reject"})
    assert refused.status_code == 400 and "반려 사유를 입력해 주세요." in refused.content.decode()
    done = client.post(decide, {"form_token": hidden(ask, "form_token"), "decision": "approve"}, follow=True)
    assert "변경 신청을 승인해 반영했습니다." in done.content.decode()
    assert agreement.budget_lines.get(category__code="materials").government_krw == 6_000_001


def test_an_invalid_change_form_is_shown_again_with_what_was_typed(client, setup):
    agreement = setup["agreement"]
    url = reverse("programmes:agreement_change_create", kwargs={"pk": agreement.pk})
    client.force_login(setup["lead"])
    page = client.get(url)
    data = {
        "form_token": hidden(page, "form_token"),
        "reason": "예산 이동",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "goals": agreement.terms.goals,
        "transfer_from": "personnel",
        "transfer_to": "materials",
        "transfer_source": "firm_cash_krw",
        "transfer_amount": "9,999,999",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "인건비의 기업부담 현금은(는) 2,000,000원으로, 9,999,999원을 옮길 수 없습니다." in text
    assert "예산 이동" in text
    nothing = client.post(
        url, {**data, "transfer_from": "", "transfer_to": "", "transfer_source": "", "transfer_amount": ""}
    )
    assert nothing.status_code == 200
    assert "바꿀 내용이 없습니다. 바꿀 항목을 하나 이상 입력해 주세요." in nothing.content.decode()
    assert not ChangeRequest.objects.exists()


def test_milestones_are_added_once_and_marked_done(client, setup):
    agreement = setup["agreement"]
    url = reverse("programmes:agreement_milestone_add", kwargs={"pk": agreement.pk})
    client.force_login(setup["lead"])
    page = client.get(url)
    bad = client.post(
        url,
        {
            "form_token": hidden(page, "form_token"),
            "title": "시제품",
            "deliverable": "시제품 1식",
            "due_on": "2027-02-01",
        },
    )
    assert bad.status_code == 200
    assert "완료 예정일은 협약 기간(2026-01-01 ~ 2026-12-31) 안이어야 합니다." in bad.content.decode()
    data = {
        "form_token": hidden(page, "form_token"),
        "title": "시제품",
        "deliverable": "시제품 1식",
        "due_on": "2026-09-30",
    }
    client.post(url, data)
    client.post(url, data)
    milestone = Milestone.objects.get()
    client.post(
        reverse(
            "programmes:agreement_milestone_done", kwargs={"pk": agreement.pk, "milestone": milestone.pk}
        ),
        {"done": "1"},
    )
    milestone.refresh_from_db()
    assert milestone.done and milestone.done_by == setup["lead"]
    page = client.get(reverse("programmes:agreement_detail", kwargs={"pk": agreement.pk})).content.decode()
    assert "시제품 1식" in page and "2026-09-30" in page


def test_the_change_page_says_what_changes_in_words(client, setup):
    from yunghap.programmes import agreement_services

    agreement = setup["agreement"]
    change = agreement_services.submit_change(
        agreement,
        actor=setup["lead"],
        reason="재료비 증액",
        items=[
            (
                "budget_transfer",
                {"from": "personnel", "to": "materials", "source": "government_krw", "amount_krw": 2_000_000},
            ),
            ("period", {"starts_on": "2026-01-01", "ends_on": "2027-02-28"}),
        ],
    )
    client.force_login(setup["regional"])
    page = client.get(reverse("programmes:agreement_change_detail", kwargs={"pk": change.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    for words in (
        "인건비 · 정부지원금",
        "10,000,000원",
        "8,000,000원",
        "연구재료비 · 정부지원금",
        "7,000,000원",
    ):
        assert words in text, words
    assert "2027-02-28" in text and "승인 대기" in text
    assert 'id="change-decide"' not in text  # regional staff read, central staff decide


def test_staff_set_a_payment_plan_that_adds_up_to_the_grant(client, setup):
    agreement = setup["agreement"]
    url = reverse("programmes:agreement_payment_plan", kwargs={"pk": agreement.pk})
    client.force_login(setup["central"])
    assert client.get(url).status_code == 200
    data = {
        "version": agreement.version,
        "planned_on_0": "2026-01-15",
        "amount_0": "10,000,000",
        "planned_on_1": "2026-07-01",
        "amount_1": "4,999,999",
    }
    short = client.post(url, data)
    assert short.status_code == 200
    assert (
        "지급 예정액 합계 14,999,999원이 정부지원금 15,000,000원과 같아야 합니다." in short.content.decode()
    )
    client.post(url, {**data, "amount_1": "5,000,000"})
    assert [(i.seq, i.planned_on.isoformat(), i.government_krw) for i in agreement.instalments.all()] == [
        (1, "2026-01-15", 10_000_000),
        (2, "2026-07-01", 5_000_000),
    ]
    # A form read before that save is stale now: nothing is overwritten silently.
    stale = client.post(url, {**data, "amount_0": "5,000,000", "amount_1": "10,000,000"})
    assert stale.status_code == 200 and "다른 사용자가 먼저 이 정보를 수정했습니다." in stale.content.decode()
    assert agreement.instalments.get(seq=1).government_krw == 10_000_000
