"""Issue 8 §1: every control on every page is one of the KRDS form components (core/components.py).

Every GET URL of the permission matrix is requested as each persona that may see it (200), and its HTML
parsed: each visible input, select and textarea must carry `data-component` (emitted only by the component
renderer, its widget templates and `components/check.html`), a check box or radio must sit in a
`krds-form-check` (or toggle switch) before its own label — otherwise KRDS's CSS hides it as a 1×1 px box —
and every button must be a `krds-btn`. The admin is Django's own and not walked.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from tests.test_permission_matrix import MATRIX, ROLES, world  # noqa: F401  (the fixture)
from tests.web.conftest import network  # noqa: F401  (the fixture)

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def describe(self) -> str:
        shown = " ".join(f'{k}="{v}"' for k, v in self.attrs.items() if k in ("name", "id", "type", "class"))
        return f"<{self.tag} {shown}>"


class Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root
        self.nodes: list[Node] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        self.nodes.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.current = self.current.parent or self.root

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent


def control_problems(html: str) -> list[str]:
    """What on a page is not a component; [] when every control is one."""
    tree = Tree()
    tree.feed(html)
    problems = []
    for node in tree.nodes:
        if node.tag == "button":
            # The header's menu button is KRDS's own header component (`btn-navi`), not a form button.
            if "krds-btn" not in node.classes and "btn-navi" not in node.classes:
                problems.append(f"{node.describe()} is not a krds-btn")
            continue
        if node.tag not in ("input", "select", "textarea"):
            continue
        if node.tag == "input" and node.attrs.get("type") == "hidden":
            continue
        if "data-component" not in node.attrs:
            problems.append(f"{node.describe()} is not rendered by the form components")
        if node.tag == "input" and node.attrs.get("type") in ("checkbox", "radio"):
            box = node.parent
            if box is None or not box.classes & {"krds-form-check", "krds-form-toggle-switch"}:
                problems.append(f"{node.describe()} is not inside a krds-form-check")
                continue
            siblings = box.children[box.children.index(node) + 1 :]
            if not any(s.tag == "label" and s.attrs.get("for") == node.attrs.get("id") for s in siblings):
                problems.append(f"{node.describe()} has no label after it in its krds-form-check")
    return problems


def test_the_checker_finds_raw_controls():
    raw = (
        '<input type="text" name="q"><select name="s"></select><button>보기</button>'
        '<label><input type="checkbox" name="c" id="c" data-component="checkbox"> 동의</label>'
    )
    problems = control_problems(raw)
    assert len(problems) == 4, problems
    good = (
        '<input type="hidden" name="t"><input type="text" name="q" data-component="input">'
        '<div class="krds-form-check"><input type="checkbox" id="c" data-component="checkbox">'
        '<label for="c">동의</label></div><button class="krds-btn primary">보기</button>'
    )
    assert control_problems(good) == []


@pytest.mark.django_db
def test_every_page_renders_its_controls_with_the_components(world, client):  # noqa: F811
    failures: list[str] = []
    pages = 0
    for name, (kwargs_of, get_expected, _post) in MATRIX.items():
        if name.startswith("admin:"):
            continue
        url = reverse(name, kwargs=kwargs_of(world) if kwargs_of else None)
        for role in ROLES:
            if get_expected.get(role) != "200":
                continue
            client.logout()
            if role != "anon":
                client.force_login(world["users"][role])
            with transaction.atomic():
                response: Any = client.get(url)
                transaction.set_rollback(True)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            for problem in control_problems(response.content.decode()):
                failures.append(f"{url} as {role}: {problem}")
    assert pages > 50
    assert not failures, "\n".join(sorted(set(failures)))
