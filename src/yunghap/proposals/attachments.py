"""Attachments of proposals and answers: PDF, HWP, HWPX, XLSX and images, checked by extension AND by their
first bytes (a renamed executable is refused), at most `PROPOSAL_ATTACHMENT_MAX_BYTES` each (a setting)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from yunghap.core import documents
from yunghap.core.korean import fill

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
# The types a proposal may carry, recognised by the shared signature table (core/documents.py).
TYPES = ("pdf", "hwp", "hwpx", "xlsx", "png", "jpg", "jpeg", "gif")
ACCEPT = ",".join(f".{ext}" for ext in TYPES)


def max_bytes() -> int:
    return int(getattr(settings, "PROPOSAL_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def attachment_error(upload: Any) -> str:
    """Why this file cannot be attached ("" when it can); the message names the file."""
    name = str(getattr(upload, "name", "") or "")
    extension = documents.extension_of(name)
    if extension not in TYPES:
        return fill(
            _("'%(name)s': PDF, HWP, HWPX, XLSX 또는 이미지(JPG·PNG·GIF) 파일만 올릴 수 있습니다."),
            {"name": name},
        )
    limit = max_bytes()
    if upload.size > limit:
        return fill(
            _("'%(name)s': 파일은 %(limit)s 이하여야 합니다."), {"name": name, "limit": filesizeformat(limit)}
        )
    if not documents.content_matches(upload, extension):
        return fill(
            _("'%(name)s': 파일 내용이 확장자(%(ext)s)와 맞지 않습니다."), {"name": name, "ext": extension}
        )
    return ""


def attachment_errors(uploads: Iterable[Any]) -> list[str]:
    """Every reason the files cannot be attached (the form and the service call this one rule)."""
    files = [u for u in uploads if u]
    errors = [e for e in (attachment_error(u) for u in files) if e]
    if len(files) > MAX_FILES:
        errors.insert(0, fill(_("첨부파일은 %(count)s개까지 올릴 수 있습니다."), {"count": MAX_FILES}))
    return errors


def check_attachments(uploads: Iterable[Any], *, field: str = "attachments") -> None:
    errors = attachment_errors(uploads)
    if errors:
        raise ValidationError({field: errors})
