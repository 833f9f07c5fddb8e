"""Stored texts as a message code with parameters, rendered in the reader's language when shown.

A text that is stored (a notification, a recommendation reason) must not be frozen in the language of the
person whose action wrote it. The writer stores `code` and JSON `params`; the page (or the mail) renders
them in its reader's language:

    from yunghap.core.messages_catalogue import define, render

    POSTING_APPROVED = define("posting.approved", _("게시글 '%(title)s'이(가) 승인되었습니다."))
    ...
    Notification(code=POSTING_APPROVED, params={"title": posting.title})
    ...
    render("posting.approved", {"title": "센서 모듈"})  # "게시글 '센서 모듈'이 승인되었습니다." / "Posting ... approved."

Templates are gettext_lazy strings with named %(placeholders)s; the Korean ones mark particles after a
placeholder as "%(x)s이(가)", resolved by `core.korean.fill`. Parameters are plain JSON values (strings,
numbers); a parameter that is itself a translatable text is a nested message `{"code": ..., "params": ...}`
(rendered in the same language), and a list of nested messages is joined with ", ".

An unknown code (a message removed since it was stored) renders as `fallback`, which callers set to the
text stored at the time.

A text built now and also kept (a recommendation's reasons: shown at once, stored on an introduction) is a
`Message`: a str in today's language that keeps its code and params (`as_data()` is what to store); stored
items from before codes are plain strings, shown as written (`render_stored`).

Each app defines its codes in a `message_codes.py` module; those modules are imported on the first
render, so a page can show any stored code without importing the app that wrote it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils import translation

from .korean import fill

_CATALOGUE: dict[str, Any] = {}
# A stored text from before codes: shown as it was written.
TEXT = "text"
_discovered = False


def _discover() -> None:
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("message_codes")
        _discovered = True


def define(code: str, template: Any) -> str:
    """Register `template` (a gettext_lazy string) under a stable `code`; returns the code.

    Codes are dotted, lower case, app first ("posting.approved", "matching.reason.shared_word"). Defining
    the same code twice with another template is a programming error."""
    known = _CATALOGUE.get(code)
    if known is not None and str(known) != str(template):
        raise ValueError(f"message code {code!r} is already defined with another template")
    _CATALOGUE[code] = template
    return code


class _Plural:
    def __init__(self, choose: Callable[[int], str], number: str) -> None:
        self.choose, self.number = choose, number

    def __str__(self) -> str:
        return str(self.choose(1))


def define_plural(code: str, choose: Callable[[int], str], *, number: str = "count") -> str:
    """Register a text whose form depends on the number in parameter `number`:

        define_plural("saved_search.match", lambda n: ngettext("… %(count)d건 …", "… %(count)d건 …", n))

    (the lambda keeps the ngettext call where makemessages finds it)."""
    _CATALOGUE[code] = _Plural(choose, number)
    return code


def is_defined(code: str) -> bool:
    _discover()
    return code in _CATALOGUE


def codes() -> list[str]:
    _discover()
    return sorted(_CATALOGUE)


def template_of(code: str) -> Any:
    _discover()
    return _CATALOGUE[code]


def _value(value: Any) -> Any:
    if isinstance(value, Mapping) and "code" in value:
        return render(str(value["code"]), value.get("params") or {}, fallback=str(value.get("fallback", "")))
    if isinstance(value, list):
        return ", ".join(str(_value(item)) for item in value)
    return value


def render(
    code: str, params: Mapping[str, Any] | None = None, *, fallback: str = "", language: str | None = None
) -> str:
    """The text of `code` with `params`, in `language` (default: the active one)."""
    if language:
        with translation.override(language):
            return render(code, params, fallback=fallback)
    _discover()
    template = _CATALOGUE.get(code)
    if template is None:
        return fallback
    values = {key: _value(value) for key, value in (params or {}).items()}
    if isinstance(template, _Plural):
        try:
            template = template.choose(int(values.get(template.number, 0)))
        except (TypeError, ValueError):
            return fallback
    try:
        return fill(template, values)
    except (KeyError, TypeError, ValueError):  # parameters stored under an older template
        return fallback or str(template)


def message(code: str, **params: Any) -> dict[str, Any]:
    """A nested message to pass as a parameter of another: message("posting.kind.need")."""
    return {"code": code, "params": params}


class Message(str):
    """A message rendered in the language active when it was made, keeping its code and params."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, params: Mapping[str, Any] | None = None) -> Message:
        self = super().__new__(cls, render(code, params, fallback=code))
        self.code = code
        self.params = dict(params or {})
        return self

    @classmethod
    def of(cls, code: str, **params: Any) -> Message:
        return cls(code, params)

    def as_data(self) -> dict[str, Any]:
        return {"code": self.code, "params": _plain(self.params)}


def _plain(value: Any) -> Any:
    """Params as JSON: nested messages as their data, lazy strings as str."""
    if isinstance(value, Message):
        return value.as_data()
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def as_data(item: Any) -> dict[str, Any]:
    """What to store for a message; a plain string is kept as the text it is (`TEXT`)."""
    if isinstance(item, Message):
        return item.as_data()
    if isinstance(item, Mapping) and "code" in item:
        return {"code": item["code"], "params": _plain(item.get("params") or {})}
    return {"code": TEXT, "params": {"text": str(item)}}


def render_stored(item: Any) -> str:
    """A stored message (`{"code", "params"}`) in the active language; a plain string (from before codes) or
    a `TEXT` item as written; an unknown code as the code itself (never an error page)."""
    if isinstance(item, Mapping) and "code" in item:
        if item["code"] == TEXT:
            return str((item.get("params") or {}).get("text", ""))
        return render(str(item["code"]), item.get("params") or {}, fallback=str(item["code"]))
    return str(item)
