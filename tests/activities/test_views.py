"""Ledger pages: who may see and record (404 / 403), the one-step meeting form, pinned query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from yunghap.activities import services
from yunghap.activities.models import Meeting, Trade

DAY = datetime.date(2024, 3, 14)


def _login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "see", "record"),
    [
        ("officer", 200, 200),
        ("other_officer", 404, 404),
        ("seoul_staff", 200, 200),
        ("busan_staff", 404, 404),
        ("central", 200, 200),
        ("member_user", 200, 403),
    ],
)
@pytest.mark.parametrize("create", ["meeting_create", "trade_create", "outcome_create", "activity_create"])
def test_who_may_see_and_record_a_groups_ledger(client, ledger, request, who, see, record, create):
    user = request.getfixturevalue(who)
    _login(client, user)
    code = ledger.group.code
    assert client.get(reverse("activities:group_ledger", args=[code])).status_code == see
    assert client.get(reverse(f"activities:{create}", args=[code])).status_code == record
    assert client.post(reverse(f"activities:{create}", args=[code]), {}).status_code == record


def test_anonymous_is_sent_to_login(client, ledger):
    response = client.get(reverse("activities:group_ledger", args=[ledger.group.code]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_officer_cannot_write_another_groups_meeting(client, ledger, officer, other_officer):
    meeting = services.record_meeting(
        ledger.other, actor=None, held_on=DAY, present_firm_ids=[ledger.outsider.pk]
    )
    _login(client, officer)
    assert client.get(reverse("activities:meeting_edit", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("activities:meeting_delete", args=[meeting.pk])).status_code == 404
    client.force_login(other_officer)
    assert client.get(reverse("activities:meeting_detail", args=[meeting.pk])).status_code == 200


def test_meeting_form_lists_the_members_of_the_chosen_date(client, ledger, officer):
    _login(client, officer)
    url = reverse("activities:meeting_create", args=[ledger.group.code])
    page = client.get(url, {"held_on": "2024-03-14"}).content.decode()
    assert "가나전자" in page and "다라금속" in page and "마바소프트" in page and "외부기업" not in page
    later = client.get(url, {"held_on": "2025-03-13", "sheet": "1"}).content.decode()
    assert "마바소프트" not in later and 'id="attendance-sheet"' in later


def test_meeting_with_attendance_saved_in_one_step(client, ledger, officer):
    _login(client, officer)
    url = reverse("activities:meeting_create", args=[ledger.group.code])
    response = client.post(
        url,
        {
            "kind": "monthly",
            "held_on": "2024-03-14",
            "place": "회의실",
            "agenda": "안건",
            "minutes": "",
            "present": [ledger.alpha.pk, ledger.beta.pk],
            "action": "save",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "activities:meeting_detail", args=[meeting.pk]
    )
    assert (meeting.listed_count, meeting.present_count) == (3, 2)
    detail = client.get(response["Location"]).content.decode()
    assert "2 / 3개사" in detail and "66.7%" in detail


def test_meeting_form_refuses_a_non_member_with_a_korean_message(client, ledger, officer):
    _login(client, officer)
    url = reverse("activities:meeting_create", args=[ledger.group.code])
    response = client.post(
        url, {"kind": "monthly", "held_on": "2024-03-14", "present": [ledger.outsider.pk], "action": "save"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    # Another region's firm is neither named nor placed (issue 7, finding 3).
    assert "외부기업" not in html and "선택할 수 없는 회원사가 있습니다(1곳)." in html
    assert Meeting.objects.count() == 0


def test_attendance_with_every_id_names_no_firm_outside_the_group(client, ledger, officer):
    """Posting ids 1…899 used to list every firm's name in the country in the error."""
    from tests.factories import FirmFactory, GroupFactory, MembershipFactory, region

    busan = GroupFactory(federation=region("busan"))
    for k in range(20):
        MembershipFactory(group=busan, firm=FirmFactory(name=f"부산비밀{k}", federation=region("busan")))
    _login(client, officer)
    url = reverse("activities:meeting_create", args=[ledger.group.code])
    response = client.post(
        url, {"kind": "monthly", "held_on": "2024-03-14", "present": list(range(1, 900)), "action": "save"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "선택할 수 없는 회원사가 있습니다" in html
    assert "부산비밀" not in html and "외부기업" not in html and "부산" not in html
    # gamma left in 2024-06-30 and is in the group's history: on a later date it is named, as before.
    response = client.post(
        url, {"kind": "monthly", "held_on": "2024-08-01", "present": [ledger.gamma.pk], "action": "save"}
    )
    assert "회원이 아니었던 회원사가 있습니다: 마바소프트" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_meeting_form_refuses_future_date(client, ledger, officer):
    _login(client, officer)
    url = reverse("activities:meeting_create", args=[ledger.group.code])
    response = client.post(url, {"kind": "monthly", "held_on": "2099-01-01", "action": "save"})
    assert "오늘 이후" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_load_button_redraws_without_saving(client, ledger, officer):
    _login(client, officer)
    url = reverse("activities:meeting_create", args=[ledger.group.code])
    response = client.post(url, {"kind": "monthly", "held_on": "2025-03-13", "action": "load"})
    assert response.status_code == 200 and "마바소프트" not in response.content.decode()
    assert Meeting.objects.count() == 0


def test_trade_form_refuses_negative_amount(client, ledger, officer):
    _login(client, officer)
    url = reverse("activities:trade_create", args=[ledger.group.code])
    data = {"traded_on": "2024-03-14", "buyer": ledger.alpha.pk, "seller": ledger.beta.pk, "item": "금형"}
    response = client.post(url, {**data, "amount_krw": "-5"})
    assert "0원 이상" in response.content.decode() and Trade.objects.count() == 0
    response = client.post(url, {**data, "amount_krw": "5000000"})
    assert response.status_code == 302 and Trade.objects.get().amount_krw == 5_000_000
    assert (
        "5,000,000" in client.get(reverse("activities:trade_list", args=[ledger.group.code])).content.decode()
    )


def test_evidence_download_needs_visibility(client, ledger, officer, other_officer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    outcome = services.record_outcome(
        ledger.group,
        actor=officer,
        kind="patent",
        title="특허",
        achieved_on=DAY,
        firms=[ledger.alpha],
        evidence=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
    )
    url = reverse("activities:outcome_evidence", args=[outcome.pk])
    _login(client, other_officer)
    assert client.get(url).status_code == 404
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"  # evidence may hold unpublished technology


def _many_meetings(ledger, n):
    for k in range(n):
        services.record_meeting(
            ledger.group,
            actor=None,
            held_on=DAY - datetime.timedelta(days=30 * k),
            present_firm_ids=[ledger.alpha.pk],
        )
    for k in range(3):
        services.record_trade(
            ledger.group,
            actor=None,
            buyer=ledger.alpha,
            seller=ledger.beta,
            item=f"품목{k}",
            amount_krw=1000,
            traded_on=DAY,
        )
        services.record_outcome(
            ledger.group, actor=None, kind="patent", title=f"특허{k}", achieved_on=DAY, firms=[ledger.alpha]
        )
        services.record_activity(
            ledger.group,
            actor=None,
            kind="social_service",
            title=f"봉사{k}",
            held_on=DAY,
            firms=[ledger.beta],
        )


@pytest.mark.parametrize(
    ("name", "max_queries"),
    [
        ("group_ledger", 16),  # + one query per kind for the recently deleted records
        ("meeting_list", 7),
        ("trade_list", 8),
        ("outcome_list", 8),
        ("activity_list", 8),
        ("meeting_create", 8),
    ],
)
def test_query_counts_do_not_grow_with_rows(
    client, ledger, officer, django_assert_max_num_queries, name, max_queries
):
    _many_meetings(ledger, 20)
    _login(client, officer)
    url = reverse(f"activities:{name}", args=[ledger.group.code])
    with django_assert_max_num_queries(max_queries):
        assert client.get(url).status_code == 200


def test_meeting_detail_query_count(client, ledger, officer, django_assert_max_num_queries):
    _many_meetings(ledger, 1)
    _login(client, officer)
    meeting = Meeting.objects.get()
    with django_assert_max_num_queries(6):
        assert client.get(reverse("activities:meeting_detail", args=[meeting.pk])).status_code == 200


@pytest.mark.parametrize(("who", "status"), [("member_user", 403), ("other_officer", 404), ("officer", 302)])
def test_only_recorders_delete_entries(client, ledger, request, who, status):
    trade = services.record_trade(
        ledger.group,
        actor=None,
        buyer=ledger.alpha,
        seller=ledger.beta,
        item="금형",
        amount_krw=1000,
        traded_on=DAY,
    )
    activity = services.record_activity(
        ledger.group, actor=None, kind="social_service", title="봉사", held_on=DAY
    )
    client.force_login(request.getfixturevalue(who))
    for kind, entry in (("trade", trade), ("activity", activity)):
        url = reverse("activities:entry_delete", args=[kind, entry.pk])
        page = client.get(url)
        assert page.status_code == (200 if status == 302 else status)
        token = page.context["form"]["form_token"].value() if status == 302 else "x" * 32
        response = client.post(url, {"form_token": token})
        assert response.status_code == status
        assert type(entry).objects.filter(pk=entry.pk).exists() == (status != 302)
