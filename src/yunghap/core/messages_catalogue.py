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

Each app defines its codes in a `message_codes.py` module; those modules are imported on the first
render, so a page can show any stored code without importing the app that wrote it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils import translation

from .korean import fill

_CATALOGUE: dict[str, Any] = {}
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
