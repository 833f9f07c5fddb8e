"""Reading query and form parameters that views parse themselves (years, ranges), with Korean errors.

A value that cannot be right is the client's mistake: `BadParameter` becomes a 400 page in the site's
shell with the Korean message (`core.middleware_errors.BadRequestMiddleware`), never a 500.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .api_errors import is_api_path
from .korean import fill

# Years the federation's records can have: the first exchange groups met in 1989; surveys and
# statistics never reach beyond the next year.
YEAR_MIN = 1900
YEAR_MAX = 2100
MAX_DIGITS = 12


class BadParameter(Exception):
    """A request parameter that no page can answer; the message is Korean and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def int_param(
    params: Any, name: str, *, default: int, minimum: int, maximum: int, label: str | None = None
) -> int:
    """`params[name]` as an integer within [minimum, maximum]; blank or absent gives `default`."""
    raw = params.get(name)
    if raw is None or str(raw).strip() == "":
        return default
    text = str(raw).strip()
    digits = text[1:] if text[:1] in "+-" else text
    # str.isdigit() accepts full-width and other Unicode digits that int() would take; only ASCII passes.
    if not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_DIGITS:
        raise BadParameter(
            _("%(label)s 값이 올바르지 않습니다: 숫자로 써 주세요.") % {"label": label or name}
        )
    value = int(text)
    if not minimum <= value <= maximum:
        raise BadParameter(
            fill(
                _("%(label)s은(는) %(minimum)s부터 %(maximum)s까지입니다."),
                {"label": label or name, "minimum": minimum, "maximum": maximum},
            )
        )
    return value


def year_param(params: Any, name: str, *, default: int, label: str | None = None) -> int:
    return int_param(
        params, name, default=default, minimum=YEAR_MIN, maximum=YEAR_MAX, label=label or _("연도")
    )


def year_range(params: Any, *, default_from: int, default_to: int) -> tuple[int, int]:
    """`from`–`to` years, in order."""
    first = year_param(params, "from", default=default_from, label=_("시작 연도"))
    last = year_param(params, "to", default=default_to, label=_("끝 연도"))
    if first > last:
        raise BadParameter(
            _("시작 연도(%(first)s)가 끝 연도(%(last)s)보다 늦습니다.") % {"first": first, "last": last}
        )
    return first, last


def parse_id(value: Any) -> int | None:
    """A database id from a form value, or None: ASCII digits only (`"²".isdigit()` is true, yet int()
    refuses it) and no more than a bigint holds."""
    text = str(value).strip()
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


def has_nul(request: Any) -> bool:
    """NUL bytes are never legitimate in a parameter; PostgreSQL refuses them in text."""
    if "\x00" in request.path:
        return True
    sources = [request.GET]
    # The API takes JSON bodies only (checked below); parsing a form body there would turn a malformed
    # multipart request into a 400 before the API could answer it in its own terms.
    api = is_api_path(request.path)
    if (
        not api
        and request.method == "POST"
        and request.content_type
        in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
    ):
        sources.append(request.POST)
    for source in sources:
        for key, values in source.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and "json" in (request.content_type or ""):
        # an API body: a NUL raw or escaped in a JSON string (a doubled backslash before it is refused too)
        body = request.body
        return b"\x00" in body or b"\\u0000" in body
    return False
