"""House rules a newcomer can rely on (issue 8 §8): where signal handlers are connected, what importers affect."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db.models.signals import post_save

from yunghap.core.imports import IMPORTERS, Importer, import_written
from yunghap.network.models import Firm

SRC = Path(__file__).resolve().parents[1] / "src" / "yunghap"


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_signal_handlers_are_connected_in_app_ready_only():
    """No `@receiver` and no `.connect(` in a module body: only in a `connect_signals()` that an app's
    `ready()` calls, so importing a module never connects anything and docs/reactions.md can list it all."""
    problems = []
    connectors = []
    for path, tree in _modules():
        rel = path.relative_to(SRC)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in node.decorator_list:
                    target = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if getattr(target, "id", getattr(target, "attr", "")) == "receiver":
                        problems.append(f"{rel}:{node.lineno} @receiver")
                if node.name == "connect_signals":
                    connectors.append(rel)
        outside = [tree]
        while outside:
            node = outside.pop()
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.FunctionDef) and child.name == "connect_signals":
                    continue
                if (
                    isinstance(child, ast.Call)
                    and isinstance(child.func, ast.Attribute)
                    and child.func.attr == "connect"
                ):
                    problems.append(f"{rel}:{child.lineno} .connect() outside connect_signals()")
                outside.append(child)
    assert not problems, problems
    apps_sources = {p.parent: p.read_text(encoding="utf-8") for p in SRC.glob("*/apps.py")}
    for rel in connectors:
        app_dir = SRC / rel.parts[0]
        assert f"{rel.stem}.connect_signals()" in apps_sources[app_dir] or (
            f"from .{rel.stem} import connect_signals" in apps_sources[app_dir]
        ), f"{rel}: connect_signals() is not called by the app's ready()"


def test_ready_connected_the_handlers():
    names = {receiver.__name__ for receiver in post_save._live_receivers(Firm)[0]}
    assert {"queue_profile_analysis", "_firm_changed", "forget_pages"} <= names


def test_every_importer_declares_what_it_affects():
    for kind, cls in IMPORTERS.items():
        declared = [c for c in cls.__mro__ if c is not Importer and "affects" in vars(c)]
        assert declared, f"importer {kind!r} declares no `affects`"
        assert cls.affects <= {"statistics", "matching"}, kind
    assert IMPORTERS["trades"].affects == {"statistics"} and IMPORTERS["postings"].affects == {"matching"}


@pytest.mark.django_db
@pytest.mark.parametrize("affects, rebuilds", [(frozenset({"statistics"}), True), (frozenset(), False)])
def test_statistics_react_to_the_declaration_not_to_the_app(
    monkeypatch, django_capture_on_commit_callbacks, affects, rebuilds
):
    from yunghap.insights import tasks

    queued = []
    monkeypatch.setattr(tasks, "refresh_statistics", SimpleNamespace(enqueue=lambda: queued.append(1)))

    class ElsewhereImporter(Importer):  # defined outside network/activities on purpose
        kind = "elsewhere"

    ElsewhereImporter.affects = affects
    with django_capture_on_commit_callbacks(execute=True):
        import_written.send(sender=ElsewhereImporter, importer=None, affects=affects, audit=None)
    assert bool(queued) is rebuilds


def test_service_errors_reach_forms_through_one_helper():
    """`core.forms.add_service_errors` is the one way a service's ValidationError lands on a form."""
    copies = []
    for path, tree in _modules():
        if path == SRC / "core" / "forms.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.For):
                source = ast.unparse(node)
                if "add_error(" in source and ("message_dict" in source or "error_dict" in source):
                    copies.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not copies, copies


def test_one_status_for_an_invalid_form():
    """A form shown again with its errors answers `core.http.INVALID_FORM_STATUS` (200) everywhere; a 400 is
    for requests no page can answer (bad parameters), written only where those are handled."""
    from yunghap.core.http import INVALID_FORM_STATUS

    assert INVALID_FORM_STATUS == 200
    allowed = {SRC / "core" / "middleware_errors.py", SRC / "network" / "access_log_views.py"}
    found = []
    for path, tree in _modules():
        if path in allowed:
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "status"
                and isinstance(node.value, ast.Constant)
                and node.value.value in (400, 422)
            ):
                found.append(f"{path.relative_to(SRC)}:{node.value.lineno}")
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "status" for t in node.targets):
                values = [n.value for n in ast.walk(node.value) if isinstance(n, ast.Constant)]
                if 400 in values or 422 in values:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not found, found
