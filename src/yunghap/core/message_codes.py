"""Stored texts as message codes: a code and its parameters, rendered in the reader's language.

A text the system writes once and people read later (a recommendation's reasons kept on an
introduction; notifications) is stored as `{"code": ..., "params": {...}}`, never as the sentence
itself, so a Korean reader and an English reader each see it in their own language, and a corrected
wording reaches old records too.

Each app keeps its codes in `<app>/messages.py` as `MESSAGES = {code: gettext_lazy("템플릿 %(name)s")}`
(named %-parameters, as in gettext); they are found on first use. A parameter may itself be a message
(a dict with `code`), rendered first, or a list, joined with ", ".

    render("matching.same_region", {"region": "서울"})        # "같은 지역: 서울" / "Same region: 서울"
    message("matching.same_region", region="서울")            # a `Message`: a str in today's language
    render_stored(intro.reasons[0])                            # a stored dict, or a legacy plain string
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from importlib import import_module
from importlib.util import find_spec
from typing import Any

_registry: dict[str, Any] = {}
_discovered = False
_lock = threading.Lock()

# A stored text from before codes: shown as it was written.
TEXT = "text"


def register(messages: Mapping[str, Any]) -> None:
    """Add codes (code → lazy template); a code registered twice with another template is an error."""
    for code, template in messages.items():
        known = _registry.get(code)
        if known is not None and str(known) != str(template):
            raise ValueError(f"message code {code!r} registered twice")
        _registry[code] = template


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    with _lock:
        if _discovered:
            return
        from django.apps import apps

        for config in apps.get_app_configs():
            name = f"{config.name}.messages"
            if find_spec(name) is None:
                continue
            module = import_module(name)
            register(getattr(module, "MESSAGES", {}))
        _discovered = True


def known(code: str) -> bool:
    _discover()
    return code == TEXT or code in _registry


def _param(value: Any) -> Any:
    if isinstance(value, Mapping) and "code" in value:
        return render(value["code"], value.get("params"))
    if isinstance(value, list | tuple):
        return ", ".join(str(_param(v)) for v in value)
    return value


def render(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The message in the active language. An unknown code shows as the code (never an error page)."""
    params = dict(params or {})
    if code == TEXT:
        return str(params.get("text", ""))
    _discover()
    template = _registry.get(code)
    if template is None:
        return code
    return str(template) % {key: _param(value) for key, value in params.items()}


def render_stored(item: Any) -> str:
    """A stored message (`{"code", "params"}`) or, from before codes, a plain string."""
    if isinstance(item, Mapping) and "code" in item:
        return render(item["code"], item.get("params"))
    return str(item)


class Message(str):
    """A message rendered in the language active when it was made, that also keeps its code and params.

    It is a str (templates, `in`, joins work), and `as_data()` is what to store."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, params: Mapping[str, Any] | None = None) -> Message:
        self = super().__new__(cls, render(code, params))
        self.code = code
        self.params = dict(params or {})
        return self

    def as_data(self) -> dict[str, Any]:
        return {"code": self.code, "params": _plain(self.params)}


def _plain(value: Any) -> Any:
    """Params as JSON: nested messages as their data, lazy strings as str."""
    if isinstance(value, Message):
        return value.as_data()
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def message(code: str, **params: Any) -> Message:
    return Message(code, params)


def as_data(item: Any) -> dict[str, Any]:
    """What to store for a message (or a plain string, kept as `text`)."""
    if isinstance(item, Message):
        return item.as_data()
    if isinstance(item, Mapping) and "code" in item:
        return {"code": item["code"], "params": _plain(item.get("params") or {})}
    return {"code": TEXT, "params": {"text": str(item)}}
