"""Finding 4 of issue 7: repeated submits of the posting, saved-search and '소개하기' forms write once."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tests.write_once_support import ALREADY, form_data, messages_of
from yunghap.introductions.models import Introduction, SavedSearch
from yunghap.matching.models import Posting

FUTURE = (datetime.date.today() + datetime.timedelta(days=90)).isoformat()


def _repeats(client, url, data, times=3):
    responses = [client.post(url, data) for _ in range(times)]
    first = responses[0]
    assert first.status_code == 302
    for repeat in responses[1:]:
        assert repeat.status_code == 302 and repeat["Location"] == first["Location"]
        assert ALREADY in messages_of(repeat)
    return responses


def test_posting_form(client, world):
    client.force_login(world.seeker_user)
    url = reverse("introductions:posting-create")
    data = {
        **form_data(client.get(url)),
        "kind": "offer",
        "title": "CNC 정밀 가공",
        "description": "5축 CNC로 알루미늄 부품을 가공합니다.",
        "expires_on": FUTURE,
        "visibility": "network",
    }
    _repeats(client, url, data)
    assert Posting.objects.filter(title="CNC 정밀 가공").count() == 1


def test_saved_search_form(client, world):
    client.force_login(world.seeker_user)
    url = reverse("introductions:saved-searches")
    _repeats(client, url, {**form_data(client.get(url)), "query": "스마트 팩토리"})
    assert SavedSearch.objects.count() == 1


def test_introduce_button(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("introductions:caseload-firm", args=[world.seeker.pk])).content.decode()
    start = page.index('action="/introductions/new/"')
    token = page[start:].split('name="form_token" value="', 1)[1].split('"', 1)[0]
    data = {"need": world.need.pk, "partner": world.partner.pk, "form_token": token}
    responses = _repeats(client, reverse("introductions:create"), data)
    intro = Introduction.objects.get()
    assert responses[0]["Location"] == reverse("introductions:detail", args=[intro.pk])
