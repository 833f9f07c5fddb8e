"""소개 요청: a firm asks for an introduction to a posting's firm; the seeker's coordinator (or the fallback
chain) introduces or declines. Profile cards show what a firm shows another firm. Coordinators keep notes."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry, make_user, region
from tests.write_once_support import form_data
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog, Notification
from yunghap.introductions import requests
from yunghap.introductions.models import Introduction, IntroductionNote, IntroductionRequest
from yunghap.introductions.workflow import State
from yunghap.matching import posting_services
from yunghap.matching.models import Posting


def ask(client, user, posting, message="금형 협력 원합니다"):
    client.force_login(user)
    url = reverse("introductions:request_create", args=[posting.pk])
    return client.post(url, {**form_data(client.get(url)), "message": message})


def test_a_firm_asks_and_the_seekers_coordinator_introduces(client, world):
    response = ask(client, world.partner_user, world.need)
    assert response.status_code == 302
    req = IntroductionRequest.objects.get()
    # The partner answers the seeker's need: the seeker's coordinator handles it, not the partner's.
    assert (req.requester, req.seeker, req.state) == (world.partner, world.seeker, "open")
    assert Notification.objects.filter(
        recipient=world.coordinator, verb="introduction_request.created"
    ).exists()
    assert not Notification.objects.filter(recipient=world.other_coordinator).exists()

    client.force_login(world.coordinator)
    caseload = client.get(reverse("introductions:caseload")).content.decode()
    assert "소개 요청 (1)" in caseload and "센서 하우징 금형 제작" in caseload
    client.force_login(world.other_coordinator)
    assert "처리할 소개 요청이 없습니다." in client.get(reverse("introductions:requests")).content.decode()
    url = reverse("introductions:request_act", args=[req.pk, "introduce"])
    assert client.post(url).status_code == 404  # not theirs to see: it is the seeker's coordinator's

    client.force_login(world.coordinator)
    response = client.post(url, {"introduce-note": "두 회사가 잘 맞습니다."})
    intro = Introduction.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "introductions:detail", args=[intro.pk]
    )
    assert (intro.seeker, intro.partner, intro.need, intro.state) == (
        world.seeker,
        world.partner,
        world.need,
        State.AWAITING,
    )
    req.refresh_from_db()
    assert req.state == "introduced" and req.introduction == intro
    # Done once: pressing again says so.
    client.post(url, {"introduce-note": ""})
    assert Introduction.objects.count() == 1


def test_no_duplicate_open_request(client, world):
    assert ask(client, world.partner_user, world.need).status_code == 302
    url = reverse("introductions:request_create", args=[world.need.pk])
    response = client.post(url, {**form_data(client.get(url)), "message": "다시"})
    assert response.status_code == 200
    assert "이 게시글에 대한 소개 요청이 이미 검토 중입니다." in response.content.decode()
    assert IntroductionRequest.objects.count() == 1


def test_the_request_form_writes_once(client, world):
    client.force_login(world.partner_user)
    url = reverse("introductions:request_create", args=[world.need.pk])
    data = {**form_data(client.get(url)), "message": "한 번만"}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert IntroductionRequest.objects.count() == 1


def test_asking_for_an_offer_makes_the_requester_the_seeker(client, world):
    offer = Posting.objects.get(title="정밀 몰드 제작")
    assert ask(client, world.seeker_user, offer).status_code == 302
    req = IntroductionRequest.objects.get()
    assert req.seeker == world.seeker
    intro = requests.introduce_on_request(req, actor=world.coordinator)
    assert (intro.seeker, intro.partner, intro.need) == (world.seeker, world.partner, None)


def test_own_closed_or_unseen_postings_cannot_be_asked(client, world):
    client.force_login(world.seeker_user)
    assert client.get(reverse("introductions:request_create", args=[world.need.pk])).status_code == 404
    pending = posting_services.create_posting(
        world.partner, actor=None, kind="offer", title="검토 전", expires_on=datetime.date.today()
    )
    assert client.get(reverse("introductions:request_create", args=[pending.pk])).status_code == 404
    client.force_login(world.coordinator)  # not a firm user
    assert client.get(reverse("introductions:request_create", args=[world.need.pk])).status_code == 403


def test_decline_needs_a_reason_and_tells_the_firm(client, world):
    ask(client, world.partner_user, world.need)
    req = IntroductionRequest.objects.get()
    client.force_login(world.coordinator)
    url = reverse("introductions:request_act", args=[req.pk, "decline"])
    client.post(url, {"decline-reason": ""})
    req.refresh_from_db()
    assert req.state == "open"
    client.post(url, {"decline-reason": "이미 다른 협력사와 진행 중입니다."})
    req.refresh_from_db()
    assert req.state == "declined"
    note = Notification.objects.get(recipient=world.partner_user, verb="introduction_request.declined")
    assert "이미 다른 협력사와 진행 중입니다." in note.message
    # Answered: the firm may ask again.
    assert ask(client, world.partner_user, world.need).status_code == 302


@pytest.fixture
def uncovered(db, world):
    """A Seoul firm in a group without a coordinator, with its user, and the Seoul staff."""
    group = GroupFactory(name="코디없는교류회", federation=region("seoul"))
    firm = FirmFactory(name="(주)홀로기업", industry=industry("30"))
    MembershipFactory(group=group, firm=firm)
    return {
        "firm": firm,
        "user": make_user("alone", Role.FIRM_USER, firm=firm),
        "seoul": make_user("seoul-staff", Role.REGIONAL_STAFF, federation=region("seoul")),
    }


def test_requests_no_coordinator_covers_fall_to_regional_staff(client, world, uncovered):
    offer = Posting.objects.get(title="정밀 몰드 제작")
    assert ask(client, uncovered["user"], offer).status_code == 302
    req = IntroductionRequest.objects.get()
    assert Notification.objects.filter(
        recipient=uncovered["seoul"], verb="introduction_request.created"
    ).exists()
    client.force_login(uncovered["seoul"])
    page = client.get(reverse("introductions:requests")).content.decode()
    assert "(주)홀로기업" in page
    response = client.post(reverse("introductions:request_act", args=[req.pk, "introduce"]))
    assert response.status_code == 302
    intro = Introduction.objects.get()
    assert intro.coordinator == uncovered["seoul"] and intro.seeker == uncovered["firm"]
    # Seoul staff now follow it as its coordinator: they may note and move it.
    from yunghap.introductions.services import is_coordinator_for

    assert is_coordinator_for(uncovered["seoul"], intro)
    assert (
        client.post(reverse("introductions:note_add", args=[intro.pk]), {"text": "지역에서 챙김"}).status_code
        == 302
    )


def test_profile_card_shows_public_facts_and_no_personal_data(client, world, intro):
    client.force_login(world.seeker_user)
    detail = client.get(reverse("introductions:detail", args=[intro.pk])).content.decode()
    card_url = reverse("introductions:firm_card", args=[world.partner.pk])
    assert card_url in detail  # look before accepting
    page = client.get(card_url).content.decode()
    assert "(주)정밀금형" in page and "부산" in page and "정밀 몰드 제작" in page
    for secret in ("김철수", "010-9876-5432", "kim@mold.example"):
        assert secret not in page
    # A firm with nothing to do with the partner does not see its card (the board shows its offer though).
    other = make_user("outsider", Role.FIRM_USER, firm=FirmFactory(name="(주)먼곳"))
    client.force_login(other)
    assert client.get(card_url).status_code == 200  # its approved network offer is on the board
    Posting.objects.filter(firm=world.partner).update(review_status=Posting.ReviewStatus.PENDING)
    assert client.get(card_url).status_code == 404


def test_coordinator_notes_are_audited_and_hidden_from_firms(client, world, intro):
    client.force_login(world.coordinator)
    url = reverse("introductions:note_add", args=[intro.pk])
    assert client.post(url, {"text": ""}).status_code == 200
    response = client.post(url, {"text": "대표가 다음 달 출장 예정"})
    assert response.status_code == 302
    assert IntroductionNote.objects.get().author == world.coordinator
    assert AuditLog.objects.filter(action="introduction.note", object_id=str(intro.pk)).exists()
    assert (
        "대표가 다음 달 출장 예정"
        in client.get(reverse("introductions:detail", args=[intro.pk])).content.decode()
    )
    central = make_user("hq", Role.CENTRAL_STAFF)
    client.force_login(central)
    assert (
        "대표가 다음 달 출장 예정"
        in client.get(reverse("introductions:detail", args=[intro.pk])).content.decode()
    )
    client.force_login(world.seeker_user)
    page = client.get(reverse("introductions:detail", args=[intro.pk])).content.decode()
    assert "대표가 다음 달 출장 예정" not in page and "코디네이터 메모" not in page
    assert client.post(url, {"text": "몰래"}).status_code == 403
