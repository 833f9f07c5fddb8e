"""A person's name is one field as written: "김혜민 님", never "혜민 김 님"."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from yunghap.accounts.models import User
from yunghap.core.korean import joined_name


@pytest.mark.parametrize(
    ("first", "last", "name"),
    [
        ("혜민", "김", "김혜민"),
        ("민수", "남궁", "남궁민수"),
        ("Jane", "Doe", "Jane Doe"),
        ("혜민", "", "혜민"),
        ("", "김", "김"),
        ("Minsu", "김", "Minsu 김"),
    ],
)
def test_joined_name(first, last, name):
    assert joined_name(first, last) == name


def test_full_and_short_name_are_the_name_as_written(db):
    user = User.objects.create_user(username="hm", name="김혜민")
    assert user.get_full_name() == user.get_short_name() == "김혜민"
    assert User.objects.create_user(username="nn").display_name == "nn"


def test_header_and_profile_show_the_korean_name_in_korean_order(client, db):
    user = User.objects.create_user(username="hm", password="pw-hm-2026!", name="김혜민")
    client.force_login(user)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert "김혜민 님" in body
    assert "혜민 김" not in body


def test_staff_create_an_account_with_one_name_field(client, network, django_capture_on_commit_callbacks):
    client.force_login(network.users["central"])
    form = client.get(reverse("accounts:user_create")).content.decode()
    assert 'name="name"' in form and 'name="last_name"' not in form and 'name="first_name"' not in form
    data = {
        "username": "jane",
        "name": "Jane Doe",
        "email": "jane@example.com",
        "role": "reviewer",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("accounts:user_create"), data).status_code == 302
    user = User.objects.get(username="jane")
    assert user.name == "Jane Doe"
    assert "Jane Doe 님" in mail.outbox[0].body
    listing = client.get(reverse("accounts:user_list"), {"q": "Jane"}).content.decode()
    assert "Jane Doe" in listing


@pytest.mark.django_db(transaction=True)
def test_the_migration_joins_old_first_and_last_names():
    executor = MigrationExecutor(connection)
    before, after = [("accounts", "0001_initial")], [("accounts", "0002_user_name_as_written")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("accounts", "User")
    old.objects.create(username="k", first_name="혜민", last_name="김", password="!")
    old.objects.create(username="e", first_name="Jane", last_name="Doe", password="!")
    old.objects.create(username="n", password="!")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    names = dict(User.objects.values_list("username", "name"))
    assert names == {"k": "김혜민", "e": "Jane Doe", "n": ""}
    # Back to the latest state (API tokens, …): later tests in this worker need every table.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
