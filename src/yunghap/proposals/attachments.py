"""Attachments of proposals and answers: PDF, HWP, HWPX, XLSX and images, checked by extension AND by their
first bytes (a renamed executable is refused), at most `PROPOSAL_ATTACHMENT_MAX_BYTES` each (a setting)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from yunghap.core.korean import fill

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
_OLE = b"\xd0\xcf\x11\xe0"
_ZIP = b"PK\x03\x04"
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "hwp": (_OLE,),
    "hwpx": (_ZIP,),
    "xlsx": (_ZIP,),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
}
ACCEPT = ",".join(f".{ext}" for ext in SIGNATURES)


def max_bytes() -> int:
    return int(getattr(settings, "PROPOSAL_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def attachment_error(upload: Any) -> str:
    """Why this file cannot be attached ("" when it can); the message names the file."""
    name = str(getattr(upload, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES:
        return fill(
            _("'%(name)s': PDF, HWP, HWPX, XLSX 또는 이미지(JPG·PNG·GIF) 파일만 올릴 수 있습니다."),
            {"name": name},
        )
    limit = max_bytes()
    if upload.size > limit:
        return fill(
            _("'%(name)s': 파일은 %(limit)s 이하여야 합니다."), {"name": name, "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[extension]):
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
