"""Notices and library items: the deadline rule, attachment types (extension and content), publish_at
visibility, pinned ordering, search, category filter and pagination of the public lists."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.portal.world import make_post, pdf
from yunghap.portal.files import attachment_errors
from yunghap.portal.forms import parse_cutoffs
from yunghap.portal.models import Category, Kind, Post

pytestmark = pytest.mark.django_db


def _zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "hello")
    return out.getvalue()


def test_a_deadline_is_a_date_or_a_text_never_both():
    with pytest.raises(ValidationError) as refused:
        make_post(deadline_on=datetime.date(2026, 3, 31), deadline_text="추후 공지")
    assert "마감일과 마감 안내 중 하나만 적어 주세요." in str(refused.value)
    assert make_post(deadline_text="추후 공지").deadline_text == "추후 공지"
    assert make_post(deadline_on=datetime.date(2026, 3, 31)).deadline_on == datetime.date(2026, 3, 31)
    neither = make_post()
    assert neither.deadline_on is None and neither.deadline_text == ""
    # The database refuses both too, whatever path writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=neither.pk).update(deadline_on=datetime.date(2026, 1, 1), deadline_text="미정")


def test_a_pdf_that_is_a_zip_is_refused_naming_the_file():
    spoofed = SimpleUploadedFile("공고문.pdf", _zip_bytes())
    assert attachment_errors(spoofed) == [
        "공고문.pdf: 파일 내용이 PDF 형식이 아닙니다. 확장자와 실제 형식이 같은 파일을 올려 주세요."
    ]
    with pytest.raises(ValidationError) as refused:
        make_post(files=[spoofed])
    assert "공고문.pdf: 파일 내용이 PDF 형식이 아닙니다." in str(refused.value)
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("a.hwp", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", True),
        ("a.hwp", b"%PDF-1.4", False),
        ("a.hwpx", b"PK\x03\x04rest", True),
        ("a.xlsx", b"PK\x03\x04rest", True),
        ("a.xlsx", b"\xd0\xcf\x11\xe0", False),
        ("a.png", b"\x89PNG\r\n\x1a\nrest", True),
        ("a.jpg", b"\xff\xd8\xff\xe0rest", True),
        ("a.gif", b"GIF89arest", True),
        ("a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ", True),
        ("a.webp", b"RIFF\x00\x00\x00\x00WAVEfmt ", False),
        ("a.exe", b"MZ\x90\x00", False),
        ("a.PDF", b"%PDF-1.7", True),
    ],
)
def test_allowed_types_by_extension_and_leading_bytes(name, content, ok):
    assert (attachment_errors(SimpleUploadedFile(name, content)) == []) is ok


def test_the_size_limit_is_a_setting(settings):
    settings.PORTAL_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("큰파일.pdf", b"%PDF" + b"0" * (1024 * 1024))
    assert attachment_errors(big) == ["큰파일.pdf: 파일이 너무 큽니다. 한 파일에 1MB까지 올릴 수 있습니다."]
    assert attachment_errors(SimpleUploadedFile("실행.exe", b"MZ")) == [
        "실행.exe: 첨부할 수 없는 파일 형식입니다. 허용 형식: PDF, HWP, HWPX, XLSX, PNG, JPEG, GIF, WEBP"
    ]


def test_cutoff_lines_are_parsed_and_bad_lines_named():
    assert parse_cutoffs("2026-03-31 1차 마감\n\n2026-02-28 사전 접수") == [
        (datetime.date(2026, 2, 28), "사전 접수"),
        (datetime.date(2026, 3, 31), "1차 마감"),
    ]
    with pytest.raises(ValidationError) as refused:
        parse_cutoffs("2026-03-31\n3월 말")
    assert "2번째 줄: 날짜를 YYYY-MM-DD로 적어 주세요" in str(refused.value)


def test_a_scheduled_post_is_hidden_until_its_moment(client):
    later = make_post(
        title="다음 주 공지", publish_at=timezone.now() + datetime.timedelta(days=7), files=[pdf()]
    )
    assert client.get(reverse("portal:notice_detail", args=[later.pk])).status_code == 404
    assert client.get(reverse("portal:attachment", args=[later.attachments.get().pk])).status_code == 404
    assert "다음 주 공지" not in client.get(reverse("portal:notice_list")).content.decode()
    # Computed at read time: when the moment has come it is public, nothing written.
    Post.objects.filter(pk=later.pk).update(publish_at=timezone.now() - datetime.timedelta(seconds=1))
    from django.core.cache import cache

    cache.clear()
    assert client.get(reverse("portal:notice_detail", args=[later.pk])).status_code == 200


def test_central_staff_preview_a_scheduled_post(client, network):
    later = make_post(title="다음 주 공지", publish_at=timezone.now() + datetime.timedelta(days=7))
    client.force_login(network.users["central"])
    page = client.get(reverse("portal:notice_detail", args=[later.pk]))
    assert page.status_code == 200
    assert "게시 예정" in page.content.decode()
    client.force_login(network.users["seoul"])
    assert client.get(reverse("portal:notice_detail", args=[later.pk])).status_code == 404


def test_pinned_first_then_newest(client):
    now = timezone.now()
    old_pinned = make_post(title="고정 공지", pinned=True, publish_at=now - datetime.timedelta(days=30))
    newer = make_post(title="새 공지", publish_at=now - datetime.timedelta(days=1))
    older = make_post(title="지난 공지", publish_at=now - datetime.timedelta(days=5))
    page = client.get(reverse("portal:notice_list"))
    assert [p.pk for p in page.context["posts"]] == [old_pinned.pk, newer.pk, older.pk]


def test_search_category_filter_and_pagination(client, settings, django_assert_max_num_queries):
    call = Category.objects.create(kind=Kind.NOTICE, slug="call", name="공모")
    event = Category.objects.create(kind=Kind.NOTICE, slug="event", name="행사")
    make_post(title="스마트공장 공모", body="제조 혁신", category=call)
    make_post(title="세미나", body="스마트공장 사례 발표", category=event)
    make_post(title="연휴 안내", body="고객센터 휴무")
    make_post(kind=Kind.LIBRARY, title="스마트공장 안내서")
    found = client.get(reverse("portal:notice_list"), {"q": "스마트공장"})
    assert sorted(p.title for p in found.context["posts"]) == ["세미나", "스마트공장 공모"]
    filtered = client.get(reverse("portal:notice_list"), {"q": "스마트공장", "category": "event"})
    assert [p.title for p in filtered.context["posts"]] == ["세미나"]
    unknown = client.get(reverse("portal:notice_list"), {"category": "nope"})
    assert unknown.status_code == 400
    assert "알 수 없는 분류입니다: nope" in unknown.content.decode()
    settings.PAGE_SIZE = 2
    with django_assert_max_num_queries(6):
        first = client.get(reverse("portal:notice_list"))
    assert len(first.context["posts"]) == 2
    assert "전체 3건 · 1/2쪽" in first.content.decode()
    second = client.get(reverse("portal:notice_list"), {"page": 2})
    assert [p.title for p in second.context["posts"]] == ["스마트공장 공모"]


def test_site_search_finds_notices_and_library_items(client):
    make_post(title="스마트공장 공모")
    make_post(kind=Kind.LIBRARY, title="스마트공장 안내서")
    make_post(title="연휴 안내")
    page = client.get(reverse("portal:search"), {"q": "스마트공장"})
    assert page.status_code == 200
    assert sorted(p.title for p in page.context["posts"]) == ["스마트공장 공모", "스마트공장 안내서"]
    assert "'스마트공장' 검색 결과" in page.content.decode()
    assert (
        "검색어에 맞는 글이 없습니다"
        in client.get(reverse("portal:search"), {"q": "없는말"}).content.decode()
    )


def test_detail_shows_plain_text_body_cutoffs_and_attachment(client, django_assert_max_num_queries):
    post = make_post(
        body="첫 줄\n<script>alert(1)</script>",
        cutoffs=[(datetime.date(2026, 3, 31), "1차 마감"), (datetime.date(2026, 5, 31), "2차 마감")],
        files=[pdf("공고문.pdf")],
    )
    with django_assert_max_num_queries(5):
        page = client.get(reverse("portal:notice_detail", args=[post.pk]))
    html = page.content.decode()
    assert "첫 줄<br>&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "1차 마감: 2026-03-31" in html and "2차 마감: 2026-05-31" in html
    assert "공고문.pdf" in html


def test_attachment_download_keeps_the_korean_name(client):
    post = make_post(files=[pdf("2026년 공고문.pdf", "download me")])
    attachment = post.attachments.get()
    response = client.get(reverse("portal:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''2026%EB%85%84%20%EA%B3%B5%EA%B3%A0%EB%AC%B8.pdf"
    )
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-1.4") and b"download me" in body
