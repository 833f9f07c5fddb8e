"""The public home and the SEO basics: home blocks and figures, the dashboard at /my/, the RSS feed and its
alternate link, sitemap.xml, robots.txt, canonical and description, the terms page."""

from __future__ import annotations

import datetime

import pytest
from defusedxml import ElementTree as ET
from django.urls import reverse
from django.utils import timezone

from tests.portal.world import make_post
from yunghap.portal import selectors

pytestmark = pytest.mark.django_db


def test_home_answers_anyone_directly_in_korean(client, django_assert_max_num_queries):
    make_post(title="고정 공지", pinned=True, publish_at=timezone.now() - datetime.timedelta(days=9))
    make_post(title="최근 공지")
    make_post(title="미래 공지", publish_at=timezone.now() + datetime.timedelta(days=1))
    with django_assert_max_num_queries(12):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert html.index("고정 공지") < html.index("최근 공지")
    assert "미래 공지" not in html
    assert (
        '<link rel="alternate" type="application/rss+xml" title="공지사항 RSS" href="/notices/feed.xml">'
        in html
    )
    assert 'role="search"' in html and 'action="/search/"' in html
    assert 'href="/accounts/login/"' in html  # the way in for members


def test_signed_in_users_reach_their_work_at_my(client, network):
    assert reverse("network:home") == "/my/"
    client.force_login(network.users["officer"])
    home = client.get("/")
    assert home.status_code == 200
    assert (
        '<a class="krds-btn small secondary" href="/my/" id="my-work-link">내 업무</a>'
        in home.content.decode()
    )
    assert client.get("/my/").status_code == 200
    assert client.logout() is None
    assert client.get("/my/")["Location"].startswith("/accounts/login/")


def test_key_figures_come_from_the_records_and_are_cached_for_the_day(network, django_assert_num_queries):
    figures = selectors.key_figures()
    assert figures["groups"] >= 1 and figures["firms"] >= 1
    assert set(figures) == {"groups", "firms", "meetings", "outcomes"}
    with django_assert_num_queries(0):
        assert selectors.key_figures() == figures
    from django.core.cache import cache

    assert cache.get(f"portal:figures:{timezone.localdate().isoformat()}") == figures


def test_the_feed_lists_published_notices_only(client):
    make_post(title="공모 안내", body="본문 <b>굵게</b>")
    make_post(title="미래 공지", publish_at=timezone.now() + datetime.timedelta(days=1))
    make_post(title="서식", kind="library")
    response = client.get(reverse("portal:notice_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "융합 이업종교류 정보망 공지사항"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["공모 안내"]
    assert items[0].findtext("link").startswith("http://testserver/notices/")
    assert items[0].findtext("description") == "본문 <b>굵게</b>"  # text, escaped in the XML


def test_the_sitemap_names_the_public_pages(client):
    post = make_post(title="공모 안내")
    hidden = make_post(title="미래 공지", publish_at=timezone.now() + datetime.timedelta(days=1))
    response = client.get(reverse("portal:sitemap"))
    assert response.status_code == 200
    locations = [
        el.text
        for el in ET.fromstring(response.content).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    for path in ["/", "/notices/", "/library/", "/terms/", "/stories/", "/events/", f"/notices/{post.pk}/"]:
        assert f"http://testserver{path}" in locations
    assert f"http://testserver/notices/{hidden.pk}/" not in locations


def test_robots_points_to_the_sitemap(client, settings):
    settings.SITE_BASE_URL = "https://yunghap.example"
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://yunghap.example/sitemap.xml" in text
    assert "Disallow: /notices/manage/" in text


def test_canonical_drops_tracking_parameters_and_description_is_per_page(client, settings):
    post = make_post(title="공모 안내", body="교류회 공동 R&D 과제를 모집합니다.")
    html = client.get("/notices/", {"q": "공모", "utm_source": "mail", "fbclid": "x"}).content.decode()
    assert '<link rel="canonical" href="http://testserver/notices/?q=%EA%B3%B5%EB%AA%A8">' in html
    settings.SITE_BASE_URL = "https://yunghap.example"
    detail = client.get(f"/notices/{post.pk}/").content.decode()
    assert f'<link rel="canonical" href="https://yunghap.example/notices/{post.pk}/">' in detail
    assert '<meta name="description" content="교류회 공동 R&amp;D 과제를 모집합니다.">' in detail
    assert (
        '<meta name="description" content="중소기업 이업종교류연합회의 정보교류망'
        in client.get("/privacy/").content.decode()
    )


def test_terms_page_and_footer_link(client):
    page = client.get(reverse("portal:terms"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>이용약관</h1>" in html
    assert "제5조 (이용자의 의무)" in html
    assert '<a href="/terms/">이용약관</a>' in html  # in the footer beside the privacy policy
    assert '<a class="f-privacy" href="/privacy/">개인정보처리방침</a>' in html
    client.cookies["django_language"] = "en"
    assert "5. Users' duties" in client.get(reverse("portal:terms")).content.decode()


def test_public_navigation_on_every_page(client):
    html = client.get("/privacy/").content.decode()
    for href, label in [
        ("/notices/", "공지사항"),
        ("/library/", "자료실"),
        ("/events/", "교육·행사"),
        ("/stories/", "성과사례"),
    ]:
        assert f'<a href="{href}">{label}</a>' in html
    assert '<p class="site-logo"><a href="/">' in html
