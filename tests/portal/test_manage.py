"""Central staff write posts in the interface: create once with the one-time token (attachments, cut-offs),
edit with a version check, delete after asking; audit rows; server-side validation in Korean; others 403."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.portal.world import make_post, pdf
from yunghap.core.models import AuditLog
from yunghap.core.onetime import FIELD
from yunghap.portal import services
from yunghap.portal.models import Category, Kind, Post

pytestmark = pytest.mark.django_db


def _token(client, url):
    return client.get(url).context["form"][FIELD].value()


def test_staff_create_a_notice_once_with_files_and_cutoffs(client, network):
    Category.objects.create(kind=Kind.NOTICE, slug="call", name="공모")
    client.force_login(network.users["central"])
    url = reverse("portal:post_create", args=["notice"])
    data = {
        FIELD: _token(client, url),
        "title": "2026년 공모",
        "category": Category.objects.get().pk,
        "body": "첫 줄\n둘째 줄",
        "deadline_text": "추후 공지",
        "cutoffs": "2026-03-31 1차 마감\n2026-04-30 2차 마감\n2026-05-31 3차 마감",
    }
    first = client.post(url, {**data, "uploads": [pdf("공고문.pdf")]})
    assert first.status_code == 302
    again = client.post(url, {**data, "uploads": [pdf("공고문.pdf")]})
    assert again.status_code == 302
    post = Post.objects.get()
    assert [str(c) for c in post.cutoffs.all()] == [
        "1차 마감 2026-03-31",
        "2차 마감 2026-04-30",
        "3차 마감 2026-05-31",
    ]
    assert [a.name for a in post.attachments.all()] == ["공고문.pdf"]
    audit = AuditLog.objects.get(action="portal.post.create")
    assert audit.object_id == str(post.pk) and audit.changes["attachments"] == ["공고문.pdf"]


def test_invalid_posts_are_shown_again_with_korean_errors(client, network):
    client.force_login(network.users["central"])
    url = reverse("portal:post_create", args=["library"])
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("x.txt", "x")
    response = client.post(
        url,
        {
            FIELD: _token(client, url),
            "title": "서식",
            "body": "본문",
            "deadline_on": "2026-03-31",
            "deadline_text": "추후 공지",
            "cutoffs": "3월 말",
            "uploads": [SimpleUploadedFile("서식.pdf", archive.getvalue())],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "마감일과 마감 안내 중 하나만 적어 주세요." in html
    assert "1번째 줄: 날짜를 YYYY-MM-DD로 적어 주세요" in html
    assert "서식.pdf: 파일 내용이 PDF 형식이 아닙니다." in html
    assert not Post.objects.exists()


def test_edit_checks_the_version_and_records_the_change(client, network):
    post = make_post(title="처음 제목", files=[pdf("a.pdf")])
    client.force_login(network.users["central"])
    url = reverse("portal:post_edit", args=[post.pk])
    form = client.get(url).context["form"]
    read_version = form["version"].value()
    # Someone else saves first.
    services.update_post(post, actor=network.users["central"], title="다른 사람의 제목")
    stale = client.post(url, {"version": read_version, "title": "내 제목", "body": "본문"})
    assert stale.status_code == 200
    assert "다른 사용자가 먼저 이 정보를 수정했습니다." in stale.content.decode()
    post.refresh_from_db()
    assert post.title == "다른 사람의 제목"
    saved = client.post(
        url,
        {"version": post.version, "title": "내 제목", "body": "본문", "remove": [post.attachments.get().pk]},
    )
    assert saved.status_code == 302
    post.refresh_from_db()
    assert post.title == "내 제목" and not post.attachments.exists()
    change = AuditLog.objects.filter(action="portal.post.update").latest("pk")
    assert change.changes["title"] == ["다른 사람의 제목", "내 제목"]
    assert change.changes["attachments_removed"] == ["a.pdf"]


def test_delete_asks_first_and_happens_once(client, network):
    post = make_post(title="지울 공지", files=[pdf()])
    client.force_login(network.users["central"])
    url = reverse("portal:post_delete", args=[post.pk])
    ask = client.get(url)
    assert ask.context["summary"] == [
        "'지울 공지'를 삭제합니다. 되돌릴 수 없습니다.",
        "첨부파일 1개도 함께 지웁니다.",
    ]
    assert "첨부파일 1개도 함께 지웁니다." in ask.content.decode()
    assert client.post(url).status_code == 400  # without the page's token nothing happens
    assert Post.objects.filter(pk=post.pk).exists()
    token = ask.context["form"][FIELD].value()
    assert client.post(url, {FIELD: token}).status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()
    assert AuditLog.objects.filter(action="portal.post.delete", object_id=str(post.pk)).count() == 1


def test_only_central_staff_manage(client, network):
    post = make_post()
    for role in ("seoul", "officer", "firm"):
        client.force_login(network.users[role])
        assert client.get(reverse("portal:manage")).status_code == 403
        assert client.get(reverse("portal:post_edit", args=[post.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.create_post(actor=network.users["seoul"], title="x", body="y")


def test_manage_list_query_count(client, network, django_assert_max_num_queries):
    for number in range(5):
        make_post(title=f"공지 {number}")
    client.force_login(network.users["central"])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("portal:manage"))
    assert page.status_code == 200 and len(page.context["posts"]) == 5


def test_an_empty_post_is_shown_again_with_its_errors(client, network):
    client.force_login(network.users["central"])
    response = client.post(reverse("portal:post_create", args=["notice"]))
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["필수 항목입니다."]
    assert not Post.objects.exists()
