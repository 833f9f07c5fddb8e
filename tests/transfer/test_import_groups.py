import datetime

import pytest

from tests.factories import GroupFactory, region
from tests.transfer.conftest import GROUP_HEADER, messages, run
from yunghap.core.models import AuditLog
from yunghap.network.models import ExchangeGroup

pytestmark = pytest.mark.django_db


def test_groups_import_with_korean_headers_names_and_dotted_dates():
    rows = [
        ["교류회코드", "교류회명", "지역", "구분", "창립일", "교류유형", "상태"],
        ["sg1", "서울테크교류회", "서울연합회", "단위교류회", "2001.03.05", "정보교환형; newproduct", "활동"],
        ["bs1", "부산교류회", "busan", "unit", "2003-01-02", "", "dormant"],
    ]
    report = run("groups", rows)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    group = ExchangeGroup.objects.get(code="sg1")
    assert group.federation.code == "seoul"
    assert group.founded_on == datetime.date(2001, 3, 5)
    assert sorted(group.exchange_types.values_list("code", flat=True)) == ["info", "newproduct"]
    assert ExchangeGroup.objects.get(code="bs1").status == "dormant"
    assert AuditLog.objects.filter(action="groups.import").count() == 1


def test_reimport_changes_nothing_and_writes_no_audit_row():
    rows = [GROUP_HEADER, ["sg1", "서울테크", "seoul", "unit", "2001-03-05", "info;resource", "active"]]
    assert run("groups", rows).created == 1
    before = ExchangeGroup.objects.get(code="sg1").updated_at
    audits = AuditLog.objects.count()
    report = run("groups", rows)
    assert report.ok
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert AuditLog.objects.count() == audits
    assert ExchangeGroup.objects.get(code="sg1").updated_at == before


def test_changed_row_updates_fields_and_types():
    group = GroupFactory(code="sg1", name="옛이름")
    rows = [GROUP_HEADER, ["sg1", "새이름", "seoul", "unit", "2000-03-01", "resource", "active"]]
    report = run("groups", rows)
    assert (report.created, report.updated) == (0, 1)
    group.refresh_from_db()
    assert group.name == "새이름"
    assert list(group.exchange_types.values_list("code", flat=True)) == ["resource"]


def test_unknown_region_type_and_bad_values_are_reported_per_column():
    rows = [
        GROUP_HEADER,
        ["sg1", "가", "화성연합회", "unit", "2001-13-01", "친목형", "active"],
        ["s g2", "", "seoul", "club", "", "", "closed"],
    ]
    report = run("groups", rows)
    found = {(row, column) for row, column, _message in messages(report)}
    assert found == {
        (2, "region"),
        (2, "founded_on"),
        (2, "exchange_types"),
        (3, "code"),
        (3, "name"),
        (3, "kind"),
        (3, "status"),
    }
    assert any(m.startswith("알 수 없는 지역연합회입니다: '화성연합회'") for _r, _c, m in messages(report))
    assert not ExchangeGroup.objects.exists()


def test_duplicate_codes_in_one_file_are_an_error():
    rows = [GROUP_HEADER, ["sg1", "가", "seoul", "", "", "", ""], ["sg1", "나", "seoul", "", "", "", ""]]
    report = run("groups", rows)
    assert messages(report) == [(3, "code", "같은 키(sg1)의 행이 파일에 두 번 있습니다: 행 2와 중복됩니다.")]
    assert not ExchangeGroup.objects.exists()


def test_regional_staff_cannot_import_groups_of_another_region(seoul_staff):
    other = GroupFactory(code="bs1", federation=region("busan"))
    rows = [
        GROUP_HEADER,
        ["sg1", "서울 것", "seoul", "", "", "", ""],
        ["bs2", "부산 새 것", "busan", "", "", "", ""],
        ["bs1", "남의 것을 서울로", "seoul", "", "", "", ""],
    ]
    report = run("groups", rows, actor=seoul_staff)
    assert [(r, c) for r, c, _m in messages(report)] == [(3, "region"), (4, "code")]
    assert "관할 지역 밖" in report.errors[0].message
    assert not ExchangeGroup.objects.filter(code__in=["sg1", "bs2"]).exists()
    other.refresh_from_db()
    assert other.federation.code == "busan"
    ok = run("groups", rows[:2], actor=seoul_staff)
    assert ok.ok and ok.created == 1


def test_tab_separated_files_and_semicolon_lists():
    rows = [GROUP_HEADER] + [[f"g{i}", "가", "seoul", "", "", "info;resource", ""] for i in range(30)]
    report = run("groups", rows)
    assert report.ok, report.errors
    tab = "\t".join(GROUP_HEADER) + "\n" + "\t".join(["t1", "탭 구분", "busan", "", "", "info", ""]) + "\n"
    assert run("groups", tab.encode()).ok
    assert ExchangeGroup.objects.get(code="t1").federation.code == "busan"
