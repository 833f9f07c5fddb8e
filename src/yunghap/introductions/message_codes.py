"""Notification texts of introductions, by code (core.messages_catalogue).

An introduction's move notifies with `introduction.<action>` (or `introduction.<action>.partial` while only
one firm has made it); the texts are the workflow's, so they are defined from `workflow.TRANSITIONS`.
"""

from yunghap.core.messages_catalogue import define

from .workflow import TRANSITIONS


def introduction_code(action: str, *, partial: bool = False) -> str:
    return f"introduction.{action}" + (".partial" if partial else "")


for _transition in TRANSITIONS.values():
    define(introduction_code(_transition.action), _transition.message)
    if _transition.partial_message:
        define(introduction_code(_transition.action, partial=True), _transition.partial_message)
