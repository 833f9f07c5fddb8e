"""The attachment rule: allowed types by extension AND by their leading bytes, and a size limit.

One function (`attachment_errors`) used by the form and the services, so every path refuses the same files
with the same Korean message naming the file.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from yunghap.core import documents
from yunghap.core.korean import fill

# Every type the signature table knows (core/documents.py).
SIGNATURES = documents.SIGNATURES
ALLOWED_LABEL = "PDF, HWP, HWPX, XLSX, PNG, JPEG, GIF, WEBP"


def max_bytes() -> int:
    return int(getattr(settings, "PORTAL_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def max_files() -> int:
    return int(getattr(settings, "PORTAL_ATTACHMENT_MAX_FILES", 10))


def attachment_errors(upload: Any) -> list[str]:
    """Korean messages for an uploaded file that may not be attached ([] when it may)."""
    name = str(getattr(upload, "name", "") or "")
    extension = documents.extension_of(name)
    if extension not in SIGNATURES:
        return [
            fill(
                _("%(name)s: 첨부할 수 없는 파일 형식입니다. 허용 형식: %(allowed)s"),
                {"name": name, "allowed": ALLOWED_LABEL},
            )
        ]
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        return [fill(_("%(name)s: 빈 파일은 첨부할 수 없습니다."), {"name": name})]
    if size > max_bytes():
        return [
            fill(
                _("%(name)s: 파일이 너무 큽니다. 한 파일에 %(limit)sMB까지 올릴 수 있습니다."),
                {"name": name, "limit": max_bytes() // (1024 * 1024)},
            )
        ]
    if not documents.content_matches(upload, extension):
        return [
            fill(
                _(
                    "%(name)s: 파일 내용이 %(type)s 형식이 아닙니다. 확장자와 실제 형식이 같은 파일을 올려 주세요."
                ),
                {"name": name, "type": extension.upper()},
            )
        ]
    return []
