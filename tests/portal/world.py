"""The portal's objects of the permission matrix's world: a published notice with an attachment, a scheduled
(future) notice, and a library item."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yunghap.portal import services
from yunghap.portal.demo import tiny_pdf
from yunghap.portal.models import Category, Kind, Post


def pdf(name: str = "공고문.pdf", text: str = "portal test") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_pdf(text), content_type="application/pdf")


def make_post(**values: Any) -> Post:
    values.setdefault("actor", None)
    values.setdefault("title", "2026년 지원사업 공모")
    values.setdefault("body", "지원사업 참여 교류회를 모집합니다.")
    return services.create_post(**values)


def add_portal(world: dict[str, Any], network: Any) -> dict[str, Any]:
    category = Category.objects.create(kind=Kind.NOTICE, slug="call", name="공모")
    notice = make_post(category=category, files=[pdf()], deadline_on=timezone.localdate())
    scheduled = make_post(title="다음 주 공지", publish_at=timezone.now() + datetime.timedelta(days=7))
    library = make_post(kind=Kind.LIBRARY, title="신청서 서식", files=[pdf("신청서.pdf")])
    return {
        "portal_notice": notice,
        "portal_scheduled": scheduled,
        "portal_library": library,
        "portal_attachment": notice.attachments.get(),
    }
