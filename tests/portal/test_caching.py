"""Safe public caching: anonymous visitors get the cached copy (no query on the second hit), signed-in users
never get it and their pages are never stored, a change shows at once, and visitor B's CSRF token works on a
page cached for visitor A."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.portal.world import make_post
from yunghap.portal.caching import SENTINEL

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def test_an_anonymous_visitor_gets_the_cached_copy_without_a_query(client, django_assert_num_queries):
    make_post(title="첫 공지")
    first = client.get("/")
    assert first["X-Portal-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.status_code == 200
    assert second["X-Portal-Cache"] == "hit"
    assert "첫 공지" in second.content.decode()
    assert "Cookie" in second["Vary"] and "Accept-Language" in second["Vary"]
    assert "max-age" in second["Cache-Control"]


def test_a_signed_in_user_never_gets_the_anonymous_copy_and_is_never_stored(client, network):
    make_post(title="첫 공지")
    Client().get("/")  # an anonymous visitor fills the cache
    client.force_login(network.users["central"])
    mine = client.get("/")
    assert "X-Portal-Cache" not in mine
    assert 'id="user-profile-link"' in mine.content.decode()
    assert "로그아웃" in mine.content.decode()
    assert "no-store" in mine["Cache-Control"] and "private" in mine["Cache-Control"]
    # Nothing of the signed-in page reached the cache: the next visitor sees the anonymous page.
    visitor = Client().get("/")
    assert visitor["X-Portal-Cache"] == "hit"
    assert "로그아웃" not in visitor.content.decode()
    assert 'id="user-profile-link"' not in visitor.content.decode()


def test_a_new_notice_shows_at_once(client, network):
    client.get(reverse("portal:notice_list"))
    assert client.get(reverse("portal:notice_list"))["X-Portal-Cache"] == "hit"
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        make_post(title="방금 올린 공지")
    fresh = client.get(reverse("portal:notice_list"))
    assert fresh["X-Portal-Cache"] == "miss"
    assert "방금 올린 공지" in fresh.content.decode()
    assert "방금 올린 공지" in client.get("/").content.decode()


def test_visitor_b_posts_with_their_own_token_on_a_page_cached_for_a():
    a = Client(enforce_csrf_checks=True)
    b = Client(enforce_csrf_checks=True)
    page_a = a.get("/")
    page_b = b.get("/")
    assert page_b["X-Portal-Cache"] == "hit"
    token_a = TOKEN.search(page_a.content.decode()).group(1)
    token_b = TOKEN.search(page_b.content.decode()).group(1)
    assert SENTINEL not in page_b.content.decode()
    assert token_a != token_b
    # B's token goes with B's cookie: the language switch works for B ...
    switched = b.post(
        reverse("set_language"), {"csrfmiddlewaretoken": token_b, "language": "en", "next": "/"}
    )
    assert switched.status_code == 302
    # ... and A's token is no use to B.
    c = Client(enforce_csrf_checks=True)
    c.get("/")
    refused = c.post(reverse("set_language"), {"csrfmiddlewaretoken": token_a, "language": "en", "next": "/"})
    assert refused.status_code == 403


def test_language_and_query_are_part_of_the_key(client):
    make_post(title="스마트공장 공모")
    client.get(reverse("portal:notice_list"))
    other_query = client.get(reverse("portal:notice_list"), {"q": "없는말"})
    assert other_query["X-Portal-Cache"] == "miss"
    assert "스마트공장 공모" not in other_query.content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("portal:notice_list"))
    assert english["X-Portal-Cache"] == "miss"
    assert '<html lang="en">' in english.content.decode()


def test_a_visitor_with_messages_is_neither_served_nor_stored(client):
    client.get("/")
    client.cookies["messages"] = "something"
    response = client.get("/")
    assert "X-Portal-Cache" not in response


def test_token_free_responses_are_publicly_cacheable(client):
    feed = client.get(reverse("portal:notice_feed"))
    assert feed["Cache-Control"] == "public, max-age=300"
    page = client.get("/")
    assert "private" in page["Cache-Control"]  # it carries this visitor's CSRF token
