"""The board (기술 게시판): firms browse the approved offers and needs they may see, with filters."""

from __future__ import annotations

import datetime

from django.urls import reverse

from yunghap.matching import posting_services
from yunghap.matching.models import Posting

FUTURE = datetime.date.today() + datetime.timedelta(days=30)


def board(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("matching:board"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_firms_see_approved_shared_postings_and_filter_them(client, world):
    page = board(client, world.partner_user)
    assert "센서 하우징 금형 제작" in page and "정밀 몰드 제작" in page
    assert "센서 하우징 금형 제작" not in board(client, world.partner_user, kind="offer")
    assert "센서 하우징 금형 제작" in board(client, world.partner_user, kind="need")
    # The need has no industry of its own: the seeker's (26) counts.
    assert "센서 하우징 금형 제작" in board(client, world.partner_user, division="26")
    assert "센서 하우징 금형 제작" not in board(client, world.partner_user, division="29")
    assert "센서 하우징 금형 제작" not in board(client, world.partner_user, region="busan")
    assert "정밀 몰드 제작" in board(client, world.partner_user, region="busan")
    assert "센서 하우징 금형 제작" in board(client, world.partner_user, q="하우징 사출")
    assert "조건에 맞는 게시글이 없습니다." in board(client, world.partner_user, q="존재하지않는말")


def test_pending_and_coordinator_only_postings_stay_off_the_board(client, world):
    posting_services.create_posting(
        world.partner, actor=None, kind="offer", title="검토 전 제공", expires_on=FUTURE
    )
    posting_services.create_posting(
        world.partner,
        actor=None,
        kind="offer",
        title="코디만 보는 제공",
        expires_on=FUTURE,
        visibility=Posting.Visibility.COORDINATORS,
        review_status=Posting.ReviewStatus.APPROVED,
    )
    page = board(client, world.stranger_user)
    assert "검토 전 제공" not in page and "코디만 보는 제공" not in page
    assert "정밀 몰드 제작" in page


def test_the_board_offers_an_introduction_request_except_for_ones_own(client, world):
    page = board(client, world.seeker_user)
    assert reverse("introductions:request_create", args=[world.need.pk]) not in page  # its own need
    offer = Posting.objects.get(title="정밀 몰드 제작")
    assert reverse("introductions:request_create", args=[offer.pk]) in page
    assert reverse("introductions:firm_card", args=[world.partner.pk]) in page


def test_bad_filters_filter_nothing_and_pages_are_short(client, world, django_assert_max_num_queries):
    client.force_login(world.partner_user)
    for n in range(25):
        posting_services.create_posting(
            world.seeker,
            actor=None,
            kind="offer",
            title=f"제공 {n:02d}",
            expires_on=FUTURE,
            review_status=Posting.ReviewStatus.APPROVED,
        )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("matching:board"), {"kind": "nonsense", "page": "2"})
    assert response.status_code == 200
    assert "전체 27건" in response.content.decode().replace(",", "")


def test_people_outside_the_network_have_no_board(client, db):
    from tests.factories import make_user

    client.force_login(make_user("nobody"))
    assert client.get(reverse("matching:board")).status_code == 403
