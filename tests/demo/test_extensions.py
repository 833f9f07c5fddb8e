"""The demo's extension protocol: other apps add their data through `<app>.demo.build_demo(seed=, stdout=)`."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from yunghap.network.management.commands import demo as command
from yunghap.network.models import ExchangeGroup, Firm


def test_builders_are_found_in_installed_apps_order():
    labels = [label for label, _build in command.demo_builders()]
    assert "network" not in labels
    installed = [c.label for c in apps.get_app_configs()]
    assert labels == sorted(labels, key=installed.index)
    for label, build in command.demo_builders():
        assert build.__module__ == f"{apps.get_app_config(label).name}.demo"


@pytest.mark.django_db
def test_builders_get_the_seed_and_a_failure_rolls_back_the_whole_demo(monkeypatch):
    calls = []

    def build_demo(*, seed, stdout):
        calls.append(seed)
        assert ExchangeGroup.objects.count() == 274  # the network exists when extensions run
        stdout.write("extension ran")
        raise RuntimeError("broken extension")

    monkeypatch.setattr(command, "demo_builders", lambda: [("broken", build_demo)])
    with pytest.raises(RuntimeError, match="broken extension"):
        call_command("demo", "--seed", "7", stdout=io.StringIO())
    assert calls == [7]
    assert not ExchangeGroup.objects.exists() and not Firm.objects.exists()
