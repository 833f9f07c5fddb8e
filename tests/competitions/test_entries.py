"""Entry rules: a group XOR a consortium, once per competition, in the window, by the group's officer or the
consortium's lead firm's users; the pages (entry form with its one-time token, my entries, edit with version)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from yunghap.competitions import services
from yunghap.competitions.models import Entry
from yunghap.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _entry(comp, **kw):
    kw.setdefault("title", "공동개발 출품")
    kw.setdefault("summary", "요약")
    return services.create_entry(comp.competition, **kw)


def test_officer_enters_for_the_group_and_submits(comp):
    entry = _entry(comp, actor=comp.users["officer"], group=comp.net.seoul_group)
    assert entry.status == Entry.Status.DRAFT
    services.submit_entry(entry, actor=comp.users["officer"])
    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED
    assert entry.submitted_by == comp.users["officer"] and entry.submitted_at is not None
    assert list(
        AuditLog.objects.filter(object_type="competitions.entry", object_id=str(entry.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["competitions.entry.create", "competitions.entry.submit"]


def test_lead_firm_user_enters_for_the_consortium(comp):
    entry = _entry(comp, actor=comp.users["firm"], consortium=comp.consortium)
    assert entry.consortium == comp.consortium and entry.group is None


@pytest.mark.parametrize("who", ["firm", "coordinator", "seoul", "nobody"])
def test_only_the_groups_officer_enters_for_it(comp, who):
    with pytest.raises(PermissionDenied, match="교류회 회장"):
        _entry(comp, actor=comp.users[who], group=comp.net.seoul_group)


def test_a_partner_firms_user_may_not_enter_for_the_consortium(comp):
    from tests.factories import make_user
    from yunghap.accounts.models import Role
    from yunghap.network.models import Firm

    partner_user = make_user("partner", Role.FIRM_USER, firm=Firm.objects.get(name="구로전자"))
    with pytest.raises(PermissionDenied):
        _entry(comp, actor=partner_user, consortium=comp.consortium)


def test_a_group_xor_a_consortium(comp):
    with pytest.raises(ValidationError) as both:
        _entry(comp, actor=comp.users["officer"], group=comp.net.seoul_group, consortium=comp.consortium)
    assert both.value.message_dict == {"entrant": ["교류회와 협력체 중 하나만 골라 주세요."]}
    with pytest.raises(ValidationError):
        _entry(comp, actor=comp.users["officer"])
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(
            competition=comp.competition,
            group=comp.net.seoul_group,
            consortium=comp.consortium,
            title="x",
            summary="y",
        )


def test_one_entry_per_group_per_competition(comp):
    _entry(comp, actor=comp.users["officer"], group=comp.net.seoul_group)
    with pytest.raises(ValidationError) as again:
        _entry(comp, actor=comp.users["officer"], group=comp.net.seoul_group)
    assert again.value.message_dict == {"entrant": ["이 교류회·협력체는 이미 이 경진대회에 출품했습니다."]}


def test_the_window_both_days_included(comp):
    competition = comp.competition
    today = timezone.localdate()
    competition.entry_opens = competition.entry_closes = today
    competition.save()
    entry = _entry(comp, actor=comp.users["officer"], group=comp.net.seoul_group)
    competition.entry_closes = competition.entry_opens = today - datetime.timedelta(days=1)
    competition.save()
    with pytest.raises(
        ValidationError, match=f"출품이 {competition.entry_closes:%Y-%m-%d}에 마감되었습니다."
    ):
        services.submit_entry(entry, actor=comp.users["officer"])
    competition.entry_opens = competition.entry_closes = today + datetime.timedelta(days=1)
    competition.save()
    with pytest.raises(ValidationError, match=f"출품은 {competition.entry_opens:%Y-%m-%d}부터 받습니다."):
        _entry(comp, actor=comp.users["firm"], consortium=comp.consortium)


def test_entry_form_writes_once_and_lists_it(comp, client):
    client.force_login(comp.users["officer"])
    url = reverse("competitions:enter", args=[comp.competition.event.code])
    page = client.get(url)
    assert page.status_code == 200
    token = page.context["form"]["form_token"].value()
    data = {
        "entrant": f"group:{comp.net.seoul_group.pk}",
        "title": "센서 공동개발",
        "summary": "요약",
        "form_token": token,
    }
    first = client.post(url, data)
    assert first.status_code == 302
    second = client.post(url, data)
    assert second.status_code == 302
    assert Entry.objects.filter(title="센서 공동개발").count() == 1
    mine = client.get(reverse("competitions:my_entries"))
    assert "센서 공동개발" in mine.content.decode()


def test_entry_form_refuses_bad_input_in_korean(comp, client):
    client.force_login(comp.users["officer"])
    url = reverse("competitions:enter", args=[comp.competition.event.code])
    response = client.post(url, {"entrant": "group:999999", "title": "", "summary": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["entrant"][0].startswith("올바르게 선택해 주세요")
    assert "title" in errors and not Entry.objects.exists()


def test_entry_edit_checks_the_version(comp, client):
    entry = _entry(comp, actor=comp.users["officer"], group=comp.net.seoul_group)
    client.force_login(comp.users["officer"])
    url = reverse("competitions:entry_edit", args=[entry.pk])
    ok = client.post(url, {"title": "새 제목", "summary": "요약", "version": entry.version})
    assert ok.status_code == 302
    stale = client.post(url, {"title": "옛 제목", "summary": "요약", "version": entry.version})
    assert stale.status_code == 200 and "conflict" in stale.context
    entry.refresh_from_db()
    assert entry.title == "새 제목"


def test_withdraw_asks_first(comp, client):
    entry = _entry(comp, actor=comp.users["officer"], group=comp.net.seoul_group)
    services.submit_entry(entry, actor=comp.users["officer"])
    client.force_login(comp.users["officer"])
    url = reverse("competitions:entry_withdraw", args=[entry.pk])
    page = client.get(url)
    assert page.status_code == 200 and "출품을 철회합니다" in page.content.decode()
    token = page.context["form"]["form_token"].value()
    assert client.post(url, {"form_token": token}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == Entry.Status.WITHDRAWN
