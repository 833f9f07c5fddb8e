"""What an uploaded document is, by its extension AND its first bytes: the one table of signatures the
portal's and the proposals' attachment rules share (each module decides which types it accepts, its limits
and its wording). A renamed file — a ZIP called `.pdf`, an executable called `.hwp` — does not match."""

from __future__ import annotations

from typing import Any

_OLE = b"\xd0\xcf\x11\xe0"  # HWP 5 (and old Office) compound files
_ZIP = b"PK\x03\x04"  # HWPX, XLSX
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "hwp": (_OLE,),
    "hwpx": (_ZIP,),
    "xlsx": (_ZIP,),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),  # and "WEBP" at offset 8
}


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def leading_bytes(upload: Any, count: int = 16) -> bytes:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(count)
    upload.seek(position)
    return bytes(head)


def content_matches(upload: Any, extension: str) -> bool:
    """Whether the file's first bytes are those of a file of this extension."""
    head = leading_bytes(upload)
    if not any(head.startswith(signature) for signature in SIGNATURES.get(extension, ())):
        return False
    return extension != "webp" or head[8:12] == b"WEBP"
