"""The portal's demo: 12 notices and 6 library items with categories, one pinned, one scheduled, one with
"추후 공지", one with three cut-off dates, and real files (a PDF that parses, an XLSX that opens)."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from yunghap.portal.demo import build_demo, reset_demo
from yunghap.portal.models import Attachment, Kind, Post

pytestmark = pytest.mark.django_db


def test_demo_posts_and_their_files():
    out = io.StringIO()
    build_demo(seed=1, stdout=out)
    assert Post.objects.filter(kind=Kind.NOTICE).count() == 12
    assert Post.objects.filter(kind=Kind.LIBRARY).count() == 6
    assert Post.objects.filter(pinned=True).count() == 1
    assert Post.objects.filter(publish_at__gt=timezone.now()).count() == 1
    assert Post.objects.filter(deadline_text="추후 공지").count() == 1
    assert [p.cutoffs.count() for p in Post.objects.all() if p.cutoffs.exists()] == [3]
    assert not Post.objects.filter(category__isnull=True).exists()
    from openpyxl import load_workbook
    from pypdf import PdfReader

    for attachment in Attachment.objects.all():
        data = attachment.file.read()
        if attachment.name.endswith(".pdf"):
            assert len(PdfReader(io.BytesIO(data)).pages) == 1
        else:
            assert load_workbook(io.BytesIO(data)).active["A1"].value == "교류회"
    build_demo(seed=1, stdout=out)  # idempotent
    assert Post.objects.count() == 18
    reset_demo()
    assert not Post.objects.exists()
