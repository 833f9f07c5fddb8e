"""Finding 4 of issue 7: repeated submits of the posting and saved-search forms write once."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tests.write_once_support import ALREADY, form_data, messages_of
from yunghap.matching.models import Posting, SavedSearch

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
    url = reverse("matching:posting_create")
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
    url = reverse("matching:saved_search_list")
    _repeats(client, url, {**form_data(client.get(url)), "query": "스마트 팩토리"})
    assert SavedSearch.objects.count() == 1
