"""Saved searches report new matching postings, each once, and only those the owner may see."""

from __future__ import annotations

import datetime

from django.core.management import call_command
from django.urls import reverse

from tests.factories import FirmFactory, MembershipFactory, industry
from yunghap.core.models import Notification
from yunghap.matching import posting_services, searches
from yunghap.matching.models import Posting, SavedSearch

FUTURE = datetime.date.today() + datetime.timedelta(days=60)


def save(client, user, query, **extra):
    client.force_login(user)
    return client.post(reverse("matching:saved_search_list"), {"name": "", "query": query, **extra})


def new_posting(capture, firm, title, description="", visibility=Posting.Visibility.NETWORK, kind="offer"):
    with capture(execute=True):
        return posting_services.create_posting(
            firm,
            actor=None,
            kind=kind,
            title=title,
            description=description,
            expires_on=FUTURE,
            visibility=visibility,
        )


def approve(client, coordinator, posting):
    client.force_login(coordinator)
    return client.post(
        reverse("matching:posting_review", args=[posting.pk]), {"decision": "approve", "note": ""}
    )


def test_saving_analyses_the_query_with_particles_removed(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = save(client, world.seeker_user, "센서를 위한 스마트 팩토리")
    search = SavedSearch.objects.get()
    assert response.status_code == 302 and search.owner == world.seeker_user
    assert "센서" in search.terms and "스마트팩토리" in search.terms and search.analysed_at


def test_empty_query_is_refused_in_korean(client, world):
    response = save(client, world.seeker_user, "   ")
    page = response.content.decode()
    assert response.status_code == 200 and ("필수" in page or "입력" in page)
    assert not SavedSearch.objects.exists()


def test_approved_matching_posting_is_reported_once(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        save(client, world.seeker_user, "스마트팩토리 PLC")
    maker = FirmFactory(name="(주)자동화솔루션", industry=industry("28"))
    MembershipFactory(group=world.group, firm=maker)
    posting = new_posting(
        django_capture_on_commit_callbacks, maker, "스마트 팩토리 구축", "PLC 제어반과 MES를 공급합니다"
    )
    unrelated = new_posting(django_capture_on_commit_callbacks, maker, "식품 포장 기계", "포장 자동화")
    assert not Notification.objects.filter(verb="saved_search.match").exists()  # pending review: not yet
    with django_capture_on_commit_callbacks(execute=True):
        approve(client, world.coordinator, posting)
        approve(client, world.coordinator, unrelated)
    note = Notification.objects.get(verb="saved_search.match")
    assert note.recipient == world.seeker_user and "스마트 팩토리 구축" in note.message
    assert "식품 포장" not in note.message
    # The command finds nothing new: the posting was reported already.
    call_command("notify_saved_searches")
    assert Notification.objects.filter(verb="saved_search.match").count() == 1
    # The saved search's page lists the match.
    client.force_login(world.seeker_user)
    page = client.get(
        reverse("matching:saved_search_detail", args=[SavedSearch.objects.get().pk])
    ).content.decode()
    assert "스마트 팩토리 구축" in page


def test_postings_shared_with_coordinators_only_are_not_reported_to_firms(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        save(client, world.stranger_user, "몰드 사출")
    secret = new_posting(
        django_capture_on_commit_callbacks,
        world.seeker,
        "몰드 사출 설비",
        visibility=Posting.Visibility.COORDINATORS,
    )
    posting_services.approve_posting(secret, actor=world.coordinator)
    assert searches.report_new_postings() == 0


def test_command_analyses_waiting_searches_and_reports(world, django_capture_on_commit_callbacks):
    search = SavedSearch.objects.create(owner=world.partner_user, name="센서", query="IoT 센서")
    posting = new_posting(
        django_capture_on_commit_callbacks, world.seeker, "IoT 센서 모듈 공급", kind="offer"
    )
    posting_services.approve_posting(posting, actor=world.coordinator)
    call_command("notify_saved_searches")
    search.refresh_from_db()
    assert search.analysed_at and list(search.reported_postings.all()) == [posting]
    assert Notification.objects.filter(recipient=world.partner_user, verb="saved_search.match").count() == 1


def test_kind_and_region_filters(world, django_capture_on_commit_callbacks):
    search = SavedSearch.objects.create(
        owner=world.partner_user,
        name="x",
        query="센서",
        kind="need",
        filters={"federation": world.partner.federation_id},
        terms=["센서"],
        analysed_at=world.need.created_at,
    )
    assert not searches.posting_matches(search, world.need)  # the need is from Seoul, the filter says Busan
    search.filters = {}
    assert searches.posting_matches(search, world.need)
    search.kind = "offer"
    assert not searches.posting_matches(search, world.need)


def test_only_the_owner_sees_or_deletes_a_saved_search(client, world):
    search = SavedSearch.objects.create(owner=world.seeker_user, name="비공개", query="센서")
    client.force_login(world.partner_user)
    assert client.get(reverse("matching:saved_search_detail", args=[search.pk])).status_code == 404
    assert client.post(reverse("matching:saved_search_delete", args=[search.pk])).status_code == 404
    client.force_login(world.seeker_user)
    assert client.post(reverse("matching:saved_search_delete", args=[search.pk])).status_code == 302
    assert not SavedSearch.objects.exists()
