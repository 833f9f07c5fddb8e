"""Firms write their offers and needs; coordinators review them before they go beyond coordinators."""

from __future__ import annotations

import datetime

from django.urls import reverse

from yunghap.core.models import Notification
from yunghap.matching.models import Posting

FUTURE = (datetime.date.today() + datetime.timedelta(days=90)).isoformat()


def form(**extra):
    return {
        "kind": "offer",
        "title": "CNC 정밀 가공",
        "description": "5축 CNC로 알루미늄 부품을 가공합니다.",
        "keywords_text": "CNC; 정밀가공, 알루미늄",
        "expires_on": FUTURE,
        "visibility": "network",
        **extra,
    }


def test_firm_user_posts_an_offer_and_coordinator_is_asked_to_review(client, world):
    client.force_login(world.seeker_user)
    response = client.post(reverse("matching:posting_create"), form())
    assert response.status_code == 302
    posting = Posting.objects.get(title="CNC 정밀 가공")
    assert posting.firm == world.seeker and posting.review_status == Posting.ReviewStatus.PENDING
    assert posting.keywords == ["CNC", "정밀가공", "알루미늄"]
    assert Notification.objects.filter(recipient=world.coordinator, verb="posting.review_requested").exists()
    assert "CNC 정밀 가공" in client.get(reverse("matching:posting_list")).content.decode()


def test_bad_posting_gets_korean_errors(client, world):
    client.force_login(world.seeker_user)
    response = client.post(reverse("matching:posting_create"), form(title=" ", expires_on="2000-01-01"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "게시 기한은 오늘 이후여야 합니다." in page


def test_review_queue_approve_and_reject(client, world):
    client.force_login(world.seeker_user)
    client.post(reverse("matching:posting_create"), form())
    client.post(reverse("matching:posting_create"), form(title="도금 공정", kind="need"))
    ok, bad = Posting.objects.get(title="CNC 정밀 가공"), Posting.objects.get(title="도금 공정")
    client.force_login(world.coordinator)
    assert "CNC 정밀 가공" in client.get(reverse("matching:review_queue")).content.decode()
    client.post(reverse("matching:posting_review", args=[ok.pk]), {"decision": "approve"})
    response = client.post(
        reverse("matching:posting_review", args=[bad.pk]), {"decision": "reject", "note": ""}
    )
    assert response.status_code == 302
    bad.refresh_from_db()
    assert bad.review_status == Posting.ReviewStatus.PENDING  # a rejection needs a reason
    client.post(
        reverse("matching:posting_review", args=[bad.pk]), {"decision": "reject", "note": "내용 보완"}
    )
    ok.refresh_from_db()
    bad.refresh_from_db()
    assert (
        ok.review_status == "approved" and bad.review_status == "rejected" and bad.review_note == "내용 보완"
    )
    assert Notification.objects.filter(recipient=world.seeker_user, verb="posting.reviewed").count() == 2


def test_review_is_limited_to_the_caseload(client, world):
    client.force_login(world.seeker_user)
    client.post(reverse("matching:posting_create"), form())
    posting = Posting.objects.get(title="CNC 정밀 가공")
    client.force_login(world.other_coordinator)
    assert "CNC 정밀 가공" not in client.get(reverse("matching:review_queue")).content.decode()
    assert (
        client.post(
            reverse("matching:posting_review", args=[posting.pk]), {"decision": "approve"}
        ).status_code
        == 404
    )
    client.force_login(world.seeker_user)
    assert client.get(reverse("matching:review_queue")).status_code == 403


def test_firm_cannot_edit_another_firms_posting(client, world):
    client.force_login(world.partner_user)
    # The seeker's approved need is visible across the network, but not the partner's to change.
    assert client.get(reverse("matching:posting_edit", args=[world.need.pk])).status_code == 403
    client.force_login(world.seeker_user)
    response = client.post(
        reverse("matching:posting_edit", args=[world.need.pk]), form(kind="need", title="새 제목")
    )
    assert response.status_code == 302
    world.need.refresh_from_db()
    assert (
        world.need.title == "새 제목" and world.need.review_status == "pending"
    )  # changed text is reviewed again


def test_old_posting_addresses_lead_to_the_matching_pages(client, world):
    """Postings moved from /introductions/ to /matching/ (issue 8): bookmarks still arrive."""
    client.force_login(world.seeker_user)
    for old, new in [
        ("/introductions/postings/", reverse("matching:posting_list")),
        ("/introductions/postings/new/", reverse("matching:posting_create")),
        (
            f"/introductions/postings/{world.need.pk}/edit/",
            reverse("matching:posting_edit", args=[world.need.pk]),
        ),
        ("/introductions/searches/?page=2", reverse("matching:saved_search_list") + "?page=2"),
    ]:
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == new


def test_saved_searches_keep_their_table():
    """The model moved app without moving rows: the table is still the one the data is in."""
    from yunghap.matching.models import SavedSearch

    assert SavedSearch._meta.app_label == "matching"
    assert SavedSearch._meta.db_table == "introductions_savedsearch"
    assert (
        SavedSearch.reported_postings.through._meta.db_table == "introductions_savedsearch_reported_postings"
    )
