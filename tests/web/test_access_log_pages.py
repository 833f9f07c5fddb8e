"""Central staff read the access log (filters, XLSX); a firm sees who looked at its data; the log is kept
at least two years (issue 7, finding 5)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from yunghap.core.audit import purge_access_log, record_access
from yunghap.core.models import AccessLog, AccessLogTarget, AuditLog
from yunghap.core.spreadsheets import read_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(network):
    users = network.users
    seoul = users["seoul"]
    seoul.name = "김민수"
    seoul.save()
    record_access(seoul, "view", "network.firm", [network.member_firm.pk])
    record_access(users["officer"], "view", "network.firm", [network.chair_firm.pk, network.member_firm.pk])
    record_access(users["busan"], "export", "network.firm", [network.busan_firm.pk])
    return network


def table_text(response, table_id):
    html = response.content.decode()
    start = html.index(f'id="{table_id}"')
    return html[start : html.index("</table>", start)]


def test_central_staff_filter_the_log_by_firm_user_kind_and_dates(logged, login):
    client = login(logged.users["central"])
    url = reverse("accesslog:list")
    everything = table_text(client.get(url), "access-log-table")
    assert everything.count("<tr>") == 4  # header + three rows
    by_brn = table_text(client.get(url, {"firm": logged.member_firm.brn_display}), "access-log-table")
    assert "seoul" in by_brn and "officer" in by_brn and "busan" not in by_brn
    assert "서울연합회 직원" in by_brn and "새영테크" in by_brn
    assert "seoul (김민수)" in by_brn  # central staff see the full name
    by_name = table_text(client.get(url, {"firm": "부산정밀"}), "access-log-table")
    assert "busan" in by_name and "seoul" not in by_name
    assert "busan" not in table_text(client.get(url, {"user": "김"}), "access-log-table")
    exports = table_text(client.get(url, {"kind": "export"}), "access-log-table")
    assert exports.count("<tr>") == 2
    today = timezone.localdate()
    future = client.get(url, {"date_from": (today + datetime.timedelta(days=1)).isoformat()})
    assert "조건에 맞는 기록이 없습니다." in future.content.decode()
    assert table_text(client.get(url, {"date_to": today.isoformat()}), "access-log-table").count("<tr>") == 4


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2025-13-01"}, "올바른 날짜를 입력하세요."),
        ({"date_from": "2025-02-01", "date_to": "2025-01-01"}, "시작일이 종료일보다 늦습니다."),
        ({"firm": "x" * 101}, "이 값이 최대 100 개의 글자인지 확인하세요"),
    ],
)
def test_bad_filters_are_korean_errors_not_500(logged, login, params, message):
    response = login(logged.users["central"]).get(reverse("accesslog:list"), params)
    assert response.status_code == 200
    assert message in response.content.decode()
    download = login(logged.users["central"]).get(reverse("accesslog:download"), params)
    assert download.status_code == 400


def test_the_log_is_for_central_staff_only(logged, login):
    for role in ("seoul", "officer", "firm"):
        assert login(logged.users[role]).get(reverse("accesslog:list")).status_code == 403
        assert login(logged.users[role]).get(reverse("accesslog:download")).status_code == 403


def test_xlsx_download_has_every_row_and_is_itself_logged(logged, login):
    central = logged.users["central"]
    response = login(central).get(reverse("accesslog:download"), {"firm": logged.member_firm.brn})
    assert response["Content-Disposition"].startswith('attachment; filename="access-log-')
    table = read_table(b"".join(response.streaming_content), "log.xlsx")
    assert table.header[:4] == ["일시", "아이디", "이름", "역할"]
    assert sorted(row[1] for row in table.rows) == ["officer", "seoul"]
    officer_row = next(row for row in table.rows if row[1] == "officer")
    assert officer_row[7] == f"{logged.chair_firm.pk}, {logged.member_firm.pk}"
    # The file names the staff who looked: the download is an export of their data.
    log = AccessLog.objects.filter(user=central).get()
    assert (log.kind, log.object_type) == ("export", "accounts.user")
    assert set(log.object_ids) == {str(logged.users["seoul"].pk), str(logged.users["officer"].pk)}


def test_a_firm_user_sees_who_looked_at_its_data_with_names_masked(
    logged, login, django_assert_max_num_queries
):
    client = login(logged.users["firm"])
    url = reverse("accesslog:firm", args=[logged.member_firm.brn])
    response = client.get(url)
    rows = table_text(response, "firm-access-log-table")
    assert "서울연합회 직원 김*수" in rows  # organisation and role in full, the name masked
    assert "테헤란기술교류회 임원" in rows
    assert "민수" not in rows and "10.0." not in rows
    assert "부산" not in rows  # another firm's log rows are not shown
    detail = client.get(reverse("network:firm_detail", args=[logged.member_firm.brn])).content.decode()
    assert url in detail


def test_the_firm_page_query_count_does_not_grow_with_the_log(logged, login, django_assert_max_num_queries):
    for _ in range(30):
        record_access(logged.users["officer"], "view", "network.firm", [logged.member_firm.pk])
    client = login(logged.users["firm"])
    # session, user, grants, firm, count, page, the viewers' grants with their organisations
    with django_assert_max_num_queries(7):
        client.get(reverse("accesslog:firm", args=[logged.member_firm.brn]))


def test_only_the_firm_itself_and_central_staff_see_its_log(logged, login):
    url = reverse("accesslog:firm", args=[logged.member_firm.brn])
    assert login(logged.users["central"]).get(url).status_code == 200
    assert login(logged.users["seoul"]).get(url).status_code == 403
    assert login(logged.users["busan"]).get(url).status_code == 404
    assert (
        login(logged.users["firm"]).get(reverse("accesslog:firm", args=[logged.busan_firm.brn])).status_code
        == 404
    )


def test_purge_keeps_two_years_and_refuses_less(logged, settings):
    old = AccessLog.objects.get(user=logged.users["busan"])
    AccessLog.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=731))
    call_command("purge_access_log")
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    assert not AccessLogTarget.objects.filter(log_id=old.pk).exists()
    assert AccessLog.objects.count() == 2
    assert AuditLog.objects.get(action="access_log.purge").changes["deleted"] == 1
    settings.ACCESS_LOG_RETENTION_DAYS = 365
    with pytest.raises(
        CommandError, match="접속기록은 730일\\(2년\\) 이상 보관해야 합니다: 보관 기간 365일은"
    ):
        call_command("purge_access_log")
    assert purge_access_log(days=730) == 0


def test_the_central_list_query_count_does_not_grow_with_rows(logged, login, django_assert_max_num_queries):
    for user in logged.users.values():
        record_access(user, "view", "network.firm", [logged.member_firm.pk, logged.chair_firm.pk])
    client = login(logged.users["central"])
    # session, user, grants, count, page, the viewers' grants, targets of the small rows, their firms' names
    with django_assert_max_num_queries(8):
        response = client.get(reverse("accesslog:list"))
    assert len(response.context["rows"]) == 10
