"""Finding 4 of issue 7: repeated submits of the '소개하기' form write once (postings and saved
searches: tests/matching/test_write_once.py)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tests.write_once_support import ALREADY, messages_of
from yunghap.introductions.models import Introduction

FUTURE = (datetime.date.today() + datetime.timedelta(days=90)).isoformat()


def _repeats(client, url, data, times=3):
    responses = [client.post(url, data) for _ in range(times)]
    first = responses[0]
    assert first.status_code == 302
    for repeat in responses[1:]:
        assert repeat.status_code == 302 and repeat["Location"] == first["Location"]
        assert ALREADY in messages_of(repeat)
    return responses


def test_introduce_button(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("introductions:caseload_firm", args=[world.seeker.pk])).content.decode()
    start = page.index('action="/introductions/new/"')
    token = page[start:].split('name="form_token" value="', 1)[1].split('"', 1)[0]
    data = {"need": world.need.pk, "partner": world.partner.pk, "form_token": token}
    responses = _repeats(client, reverse("introductions:create"), data)
    intro = Introduction.objects.get()
    assert responses[0]["Location"] == reverse("introductions:detail", args=[intro.pk])
