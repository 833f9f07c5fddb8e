"""Finding 4 of issue 7: three quick submits of a ledger form write one record (a one-time token)."""

from __future__ import annotations

import datetime
import time

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import at_once
from tests.write_once_support import ALREADY, COMMITTED_ROWS, messages_of, postgres_only, token_of
from yunghap.activities import services
from yunghap.activities.models import Activity, Meeting, Outcome, Trade
from yunghap.core.models import FormToken

DAY = datetime.date(2024, 3, 14)


def _forms(ledger):
    return {
        "trade_create": (
            Trade,
            {
                "traded_on": "2024-03-14",
                "buyer": ledger.alpha.pk,
                "seller": ledger.beta.pk,
                "item": "금형",
                "amount_krw": "5000000",
            },
            "activities:trade_list",
        ),
        "activity_create": (
            Activity,
            {"kind": Activity.Kind.choices[0][0], "title": "공장 견학", "held_on": "2024-03-14"},
            "activities:activity_list",
        ),
        "outcome_create": (
            Outcome,
            {
                "kind": Outcome.Kind.choices[0][0],
                "title": "공동 특허",
                "achieved_on": "2024-03-14",
                "firms": [ledger.alpha.pk, ledger.beta.pk],
            },
            "activities:outcome_list",
        ),
        "meeting_create": (
            Meeting,
            {"kind": "monthly", "held_on": "2024-03-14", "present": [ledger.alpha.pk], "action": "save"},
            None,
        ),
    }


@pytest.mark.parametrize("create", ["trade_create", "activity_create", "outcome_create", "meeting_create"])
def test_three_quick_submits_write_one_record(client, ledger, officer, create):
    model, data, list_name = _forms(ledger)[create]
    client.force_login(officer)
    url = reverse(f"activities:{create}", args=[ledger.group.code])
    token = token_of(client.get(url))
    responses = [client.post(url, {**data, "form_token": token}) for _ in range(3)]
    assert model.objects.count() == 1
    first = responses[0]["Location"]
    expected = (
        reverse(list_name, args=[ledger.group.code])
        if list_name
        else reverse("activities:meeting_detail", args=[model.objects.get().pk])
    )
    assert first == expected
    for repeat in responses[1:]:
        # The repeat goes where the first submit went, saying why nothing new was saved.
        assert repeat.status_code == 302 and repeat["Location"] == first
        assert ALREADY in messages_of(repeat)


def test_an_invalid_form_does_not_use_up_its_token(client, ledger, officer):
    model, data, list_name = _forms(ledger)["trade_create"]
    client.force_login(officer)
    url = reverse("activities:trade_create", args=[ledger.group.code])
    token = token_of(client.get(url))
    refused = client.post(url, {**data, "amount_krw": "-5", "form_token": token})
    assert refused.status_code == 200 and "0원 이상" in refused.content.decode()
    # The page shown again keeps the same, still unused token: correcting and saving works once.
    assert token_of(refused) == token
    saved = client.post(url, {**data, "form_token": token})
    assert saved.status_code == 302 and Trade.objects.count() == 1
    assert FormToken.objects.filter(token=token, user=officer).count() == 1


def test_each_rendering_gets_its_own_token(client, ledger, officer):
    client.force_login(officer)
    url = reverse("activities:trade_create", args=[ledger.group.code])
    assert token_of(client.get(url)) != token_of(client.get(url))


def test_a_forged_token_is_a_korean_form_error(client, ledger, officer):
    model, data, list_name = _forms(ledger)["trade_create"]
    client.force_login(officer)
    url = reverse("activities:trade_create", args=[ledger.group.code])
    response = client.post(url, {**data, "form_token": "<script>"})
    assert response.status_code == 200 and Trade.objects.count() == 0
    assert "양식 정보가 올바르지 않습니다" in response.content.decode()


@postgres_only
@COMMITTED_ROWS
def test_two_parallel_submits_of_one_form_write_one_trade(ledger, officer, monkeypatch):
    _model, data, _list = _forms(ledger)["trade_create"]
    url = reverse("activities:trade_create", args=[ledger.group.code])
    first = Client()
    first.force_login(officer)
    token = token_of(first.get(url))
    second = Client()
    second.force_login(officer)
    record = services.record_trade

    def slow_record(*args, **kwargs):
        # Hold the transaction open so that the second request surely arrives while the first writes.
        trade = record(*args, **kwargs)
        time.sleep(0.5)
        return trade

    monkeypatch.setattr(services, "record_trade", slow_record)
    results = at_once(
        lambda: first.post(url, {**data, "form_token": token}),
        lambda: second.post(url, {**data, "form_token": token}),
    )
    assert [getattr(r, "status_code", r) for r in results] == [302, 302]
    assert Trade.objects.count() == 1


def test_two_people_editing_one_meeting(client, ledger, officer, seoul_staff):
    from tests.write_once_support import STALE, form_data, version_of

    meeting = services.record_meeting(
        ledger.group, actor=officer, held_on=DAY, place="본회의실", present_firm_ids=[ledger.alpha.pk]
    )
    url = reverse("activities:meeting_edit", args=[meeting.pk])
    mine, theirs = Client(), Client()
    mine.force_login(officer)
    theirs.force_login(seoul_staff)
    my_page = mine.get(url)
    my_form = {**form_data(my_page), "present": [str(ledger.alpha.pk)], "action": "save"}
    assert version_of(my_page) == "1"
    other = {**my_form, "place": "제2회의실", "present": [str(ledger.alpha.pk), str(ledger.beta.pk)]}
    assert theirs.post(url, other).status_code == 302

    response = mine.post(url, {**my_form, "minutes": "신제품 공동개발 논의"})
    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page and "신제품 공동개발 논의" in page
    meeting.refresh_from_db()
    assert meeting.place == "제2회의실" and meeting.minutes == "" and meeting.present_count == 2
    rows = {row["name"]: (row["theirs"], row["mine"]) for row in response.context["conflict"]["rows"]}
    assert rows["place"] == ("제2회의실", "본회의실")
    assert rows["minutes"] == ("—", "신제품 공동개발 논의")
    assert rows["present"] == ("가나전자, 다라금속", "가나전자")  # names, both sides
    assert 'id="conflict-table"' in page
    assert version_of(response) == "2"
    resubmit = {**form_data(response), "present": [str(ledger.alpha.pk)], "action": "save"}
    assert mine.post(url, resubmit).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "신제품 공동개발 논의" and meeting.version == 3


def test_a_ledger_import_makes_an_open_meeting_form_stale(client, ledger, officer):
    """The ledger import updates meetings in bulk: it moves their version like an edit does."""
    from tests.activities.test_imports import meetings_file
    from tests.factories import make_user
    from tests.write_once_support import STALE, form_data
    from yunghap.accounts.models import Role
    from yunghap.core.imports import import_file

    staff = make_user("importer", Role.CENTRAL_STAFF)
    import_file("meetings", meetings_file(ledger), actor=staff, dry_run=False, filename="m.csv")
    meeting = Meeting.objects.get(held_on=DAY)
    assert meeting.version == 1
    url = reverse("activities:meeting_edit", args=[meeting.pk])
    client.force_login(officer)
    my_form = {**form_data(client.get(url)), "present": [str(ledger.alpha.pk)], "action": "save"}
    changed = meetings_file(ledger, present=ledger.gamma.brn)
    assert import_file("meetings", changed, actor=staff, dry_run=False, filename="m.csv").updated == 1
    meeting.refresh_from_db()
    assert meeting.version == 2
    response = client.post(url, {**my_form, "place": "새 장소"})
    assert response.status_code == 200 and STALE in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.place == "회의실" and meeting.attendances.get(present=True).firm == ledger.gamma


def test_old_tokens_are_forgotten(client, ledger, officer, settings):
    import datetime as dt

    from django.utils import timezone

    settings.FORM_TOKEN_KEEP_DAYS = 7
    old = FormToken.objects.create(user=officer, token="a" * 32, result_url="/x/")
    FormToken.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    _model, data, _list = _forms(ledger)["trade_create"]
    client.force_login(officer)
    url = reverse("activities:trade_create", args=[ledger.group.code])
    assert client.post(url, {**data, "form_token": token_of(client.get(url))}).status_code == 302
    assert list(FormToken.objects.values_list("user", flat=True)) == [officer.pk]  # only the new one
