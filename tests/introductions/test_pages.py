"""The coordinator's pages: caseload, a firm's needs with recommendations, '소개하기', and pinned queries."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tests.factories import FirmFactory, MembershipFactory, industry
from yunghap.introductions import services
from yunghap.introductions.models import Introduction
from yunghap.introductions.workflow import State


def test_caseload_firm_shows_needs_with_reasons_and_introduce_button(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("introductions:caseload_firm", args=[world.seeker.pk])).content.decode()
    assert "센서 하우징 금형 제작" in page
    assert world.partner.name in page
    assert "금형" in page and "소개하기" in page
    # No contact data of the candidate on a recommendation.
    assert "010-9876-5432" not in page and "kim@mold.example" not in page


def test_introduce_button_creates_and_sends(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("introductions:create"), {"need": world.need.pk, "partner": world.partner.pk}
    )
    intro = Introduction.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "introductions:detail", args=[intro.pk]
    )
    assert intro.state == State.AWAITING and intro.coordinator == world.coordinator
    assert intro.reasons, "the engine's reasons are kept with the introduction"
    assert intro.respond_by == services.today() + datetime.timedelta(days=14)
    # The page now says the introduction is under way instead of offering a second one.
    page = client.get(reverse("introductions:caseload_firm", args=[world.seeker.pk])).content.decode()
    assert "소개 진행 중" in page
    second = client.post(
        reverse("introductions:create"), {"need": world.need.pk, "partner": world.partner.pk}
    )
    assert second.status_code == 302 and Introduction.objects.count() == 1


def test_need_without_partner_gets_an_honest_hint(client, world, django_capture_on_commit_callbacks):
    from yunghap.matching import posting_services

    with django_capture_on_commit_callbacks(execute=True):
        posting_services.create_posting(
            world.seeker,
            actor=None,
            kind="need",
            title="양자 암호 칩 설계",
            expires_on=datetime.date.today() + datetime.timedelta(days=30),
        )
    client.force_login(world.coordinator)
    response = client.get(reverse("introductions:caseload_firm", args=[world.seeker.pk]))
    assert response.status_code == 200
    assert "양자 암호 칩 설계" in response.content.decode()


def test_caseload_lists_overdue_follow_ups_and_open(client, world, intro):
    late = services.create_introduction(
        actor=world.coordinator, seeker=world.seeker, partner=world.stranger_firm
    )
    Introduction.objects.filter(pk=late.pk).update(
        respond_by=datetime.date.today() - datetime.timedelta(days=2)
    )
    due = Introduction.objects.create(
        coordinator=world.coordinator,
        seeker=world.seeker,
        partner=FirmFactory(industry=industry("30")),
        state=State.OUTCOME_RECORDED,
        respond_by=datetime.date.today(),
        follow_up_due_on=datetime.date.today() - datetime.timedelta(days=1),
    )
    client.force_login(world.coordinator)
    response = client.get(reverse("introductions:caseload"))
    assert response.status_code == 200
    # The page shows what time has done (the late request expired, the follow-up fell due) without
    # recording it: that is the scheduler's job (GET never writes).
    assert Introduction.objects.get(pk=late.pk).state == State.AWAITING
    assert Introduction.objects.get(pk=due.pk).state == State.OUTCOME_RECORDED
    assert Introduction.objects.get(pk=late.pk).effective_state == State.EXPIRED
    assert Introduction.objects.get(pk=due.pk).effective_state == State.FOLLOW_UP_DUE
    assert [i.pk for i in response.context["overdue"]] == [late.pk]
    assert [i.pk for i in response.context["follow_ups"]] == [due.pk]
    assert [i.pk for i in response.context["open"]] == [intro.pk]
    assert world.seeker in list(response.context["firms"])


def test_caseload_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    for _ in range(8):
        firm = FirmFactory(industry=industry("30"))
        MembershipFactory(group=world.group, firm=firm)
        services.create_introduction(actor=world.coordinator, seeker=firm, partner=world.partner)
    client.force_login(world.coordinator)
    client.get(reverse("introductions:caseload"))
    # 10 before issue 8, +1 for the introduction requests waiting for the coordinator.
    with django_assert_max_num_queries(11):
        assert client.get(reverse("introductions:caseload")).status_code == 200


def test_detail_and_list_query_counts(client, world, intro, django_assert_max_num_queries):
    for _ in range(6):
        services.create_introduction(
            actor=world.coordinator, seeker=world.seeker, partner=FirmFactory(industry=industry("30"))
        )
    services.answer_introduction(intro, actor=world.seeker_user, accept=True)
    client.force_login(world.seeker_user)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("introductions:detail", args=[intro.pk])).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("introductions:list")).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reverse("core:notifications")).status_code == 200


def test_caseload_firm_query_count_does_not_grow_with_candidates(
    client, world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from yunghap.matching import posting_services

    for n in range(6):
        firm = FirmFactory(name=f"(주)금형{n}", industry=industry("29"))
        with django_capture_on_commit_callbacks(execute=True):
            posting_services.create_posting(
                firm,
                actor=None,
                kind="offer",
                title="사출 금형 제작",
                description="플라스틱 사출 금형",
                expires_on=datetime.date.today() + datetime.timedelta(days=30),
                review_status="approved",
            )
    client.force_login(world.coordinator)
    client.get(reverse("introductions:caseload_firm", args=[world.seeker.pk]))
    with django_assert_max_num_queries(24):
        page = client.get(reverse("introductions:caseload_firm", args=[world.seeker.pk])).content.decode()
    assert page.count("소개하기</button>") >= 6


def test_firm_user_answers_on_the_page(client, world, intro):
    client.force_login(world.partner_user)
    page = client.get(reverse("introductions:detail", args=[intro.pk])).content.decode()
    assert "수락" in page and "거절" in page
    client.post(reverse("introductions:act", args=[intro.pk, "decline"]), {"decline-message": "여력 부족"})
    intro.refresh_from_db()
    assert intro.state == State.DECLINED and intro.partner_message == "여력 부족"


def test_menu_and_home_lead_each_role_to_its_page(client, world):
    client.force_login(world.coordinator)
    assert client.get(reverse("introductions:home"))["Location"] == reverse("introductions:caseload")
    assert "코디네이터 업무" in client.get(reverse("core:notifications")).content.decode()
    client.force_login(world.seeker_user)
    assert client.get(reverse("introductions:home"))["Location"] == reverse("introductions:list")
    page = client.get(reverse("core:notifications")).content.decode()
    assert reverse("matching:posting_list") in page and "코디네이터 업무" not in page
