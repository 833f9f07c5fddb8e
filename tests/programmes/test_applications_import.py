"""`yunghap import applications FILE --call CODE`: format errors refuse the file with their rows, rule
breaches are stored as ineligible, `firm_limit` counts stored submissions then the file's earlier rows, a
re-import changes nothing; Korean headers, CP949 CSV, XLSX with number and date cells, title rows."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    FirmFactory,
    GroupFactory,
    MembershipFactory,
    industry,
    make_brn,
    make_user,
    region,
)
from tests.programmes.factories import make_application, make_call, make_topic
from tests.transfer.conftest import csv_bytes, xlsx_bytes
from yunghap.accounts.models import Role
from yunghap.core.imports import IMPORTERS, import_file
from yunghap.core.models import AuditLog
from yunghap.core.transfer_views import ImportForm, allowed_importers
from yunghap.core.validators import format_brn
from yunghap.network.models import Firm
from yunghap.programmes import rules
from yunghap.programmes.models import Application, Consortium, ConsortiumMember

pytestmark = pytest.mark.django_db

HEADER = [
    "ref",
    "title",
    "topic",
    "lead_brn",
    "partner_brns",
    "government_krw",
    "firm_cash_krw",
    "firm_inkind_krw",
    "starts_on",
    "ends_on",
    "summary",
]
KOREAN_HEADER = [
    "접수번호",
    "과제명",
    "과제코드",
    "주관기업 사업자등록번호",
    "참여기업 사업자등록번호",
    "정부지원금",
    "기업부담 현금",
    "기업부담 현물",
    "시작일",
    "종료일",
    "요약",
]


@pytest.fixture
def world():
    group = GroupFactory()
    firms = [
        FirmFactory(name=name, industry=industry(division))
        for name, division in (("새영테크", "26"), ("광빛차체", "30"), ("부산정밀", "29"), ("구로전자", "26"))
    ]
    for firm in firms:
        MembershipFactory(group=group, firm=firm)
    topic = make_topic(code="t-sensor")
    call = make_call(code="c2026")
    call.topics.add(topic)
    return {"call": call, "firms": firms, "topic": topic}


def brn(firm: Firm) -> str:
    return format_brn(firm.brn)


def app_row(ref, lead, partners, government="15,000,000", cash="1,000,000", inkind="4,000,000", **cells):
    row = {
        "ref": ref,
        "title": f"{ref} 융합 과제",
        "topic": "t-sensor",
        "lead_brn": brn(lead),
        "partner_brns": ";".join(brn(p) for p in partners),
        "government_krw": government,
        "firm_cash_krw": cash,
        "firm_inkind_krw": inkind,
        "starts_on": "2026-07-01",
        "ends_on": "2027-06-30",
        "summary": "이업종 기업이 함께 개발하는 센서 모듈",
    }
    row.update(cells)
    return [row[key] for key in HEADER]


def run(data, call="c2026", *, dry_run=False, actor=None, filename="a.csv"):
    if isinstance(data, list):
        data = csv_bytes(data)
    return import_file(
        "applications", data, actor=actor, dry_run=dry_run, filename=filename, options={"call": call}
    )


def errors(report):
    return [(e.row, e.column, e.message) for e in report.errors]


def codes(ref, call="c2026"):
    application = Application.objects.get(call__code=call, ref=ref)
    return [breach.code for breach in rules.breaches_of(application)]


def test_a_cp949_file_with_korean_headers_a_title_and_a_repeated_header(world):
    lead, p1, p2, _other = world["firms"]
    rows = [
        ["2026년 이업종 융합 R&D 접수 현황", "", "", "", "", "", "", "", "", "", ""],
        KOREAN_HEADER,
        [
            "2026-001",
            "스마트 센서 모듈",
            "t-sensor",
            brn(lead),
            f"{p1.brn}, {brn(p2)}",  # without dashes, and a comma between
            "15,000,000원",
            "1,000,000",
            "4,000,000",
            "2026.07.01",
            "2027/06/30",
            "센서 모듈 공동 개발",
        ],
        KOREAN_HEADER,  # the header again at a page break
    ]
    report = run(csv_bytes(rows, "cp949"))
    assert report.ok, errors(report)
    assert (report.total, report.created) == (1, 1)
    application = Application.objects.get(ref="2026-001")
    assert application.title == "스마트 센서 모듈"
    assert application.topic == world["topic"]
    assert (application.government_krw, application.firm_cash_krw, application.firm_inkind_krw) == (
        15_000_000,
        1_000_000,
        4_000_000,
    )
    assert (application.starts_on, application.ends_on) == (
        datetime.date(2026, 7, 1),
        datetime.date(2027, 6, 30),
    )
    assert application.status == Application.Status.SUBMITTED
    assert application.source == Application.Source.IMPORT
    assert application.submitted_at is not None
    assert application.eligibility == Application.Eligibility.ELIGIBLE
    assert application.breaches == []
    assert application.rules_revision == world["call"].revision
    members = list(
        application.consortium.members.order_by("role", "id").values_list("firm__name", "role", "state")
    )
    assert members == [
        ("새영테크", "lead", "accepted"),
        ("광빛차체", "partner", "accepted"),
        ("부산정밀", "partner", "accepted"),
    ]
    assert application.consortium.lead == lead
    audit = AuditLog.objects.get(action="applications.import")
    assert audit.changes["call"] == "c2026"
    assert audit.changes["keys"] == ["2026-001"] and audit.changes["created"] == 1


def test_an_xlsx_file_with_number_and_date_cells_and_line_breaks(world):
    lead, p1, p2, _other = world["firms"]
    rows = [
        HEADER,
        [
            "x-1",
            "센서",
            None,
            lead.brn,
            f"{brn(p1)}\n{brn(p2)}",
            15000000,
            1000000.0,
            4000000,
            datetime.date(2026, 7, 1),
            datetime.datetime(2027, 6, 30),
            None,
        ],
    ]
    report = run(xlsx_bytes(rows), filename="a.xlsx")
    assert report.ok, errors(report)
    application = Application.objects.get(ref="x-1")
    assert application.topic is None
    assert application.consortium.members.count() == 3
    assert application.ends_on == datetime.date(2027, 6, 30)


def test_format_errors_refuse_the_whole_file_with_their_rows(world):
    lead, p1, p2, _other = world["firms"]
    unknown = make_brn(7777)
    rows = [
        HEADER,
        app_row("ok-1", lead, [p1, p2]),  # right, but not written: the file is refused whole
        app_row("e-2", lead, [p1], lead_brn="123-45-67890"),
        app_row("e-3", lead, [p1], partner_brns=f"{brn(p1)};{format_brn(unknown)}"),
        app_row("e-4", lead, [p1, lead]),
        app_row("e-5", lead, [p1], government="-1"),
        app_row("e-6", lead, [p1], cash="천만원"),
        app_row("e-7", lead, [p1], topic="t-nothing"),
        app_row("ok-1", lead, [p1]),
        app_row("e-9", lead, [p1], starts_on="2026-07-01", ends_on="2026-06-30"),
        app_row("e-10", lead, [p1], lead_brn=format_brn(unknown)),
        app_row("e-11", lead, [p1, p1]),
        app_row("", lead, [p1], title=""),
    ]
    report = run(rows)
    assert not report.ok
    assert errors(report) == [
        (3, "lead_brn", "사업자등록번호의 검증번호가 맞지 않습니다: '123-45-67890'"),
        (4, "partner_brns", f"등록되지 않은 사업자등록번호입니다: {format_brn(unknown)}"),
        (5, "partner_brns", f"주관기업이 참여기업에도 있습니다: '{brn(lead)}'"),
        (6, "government_krw", "0 이상이어야 합니다: -1"),
        (7, "firm_cash_krw", "숫자가 아닙니다: '천만원'"),
        (8, "topic", "등록되지 않은 과제 코드입니다: 't-nothing'"),
        (9, "ref", "같은 접수번호(ok-1)의 행이 파일에 두 번 있습니다: 행 2와 중복됩니다."),
        (10, "ends_on", "종료일(2026-06-30)이 시작일(2026-07-01)보다 빠릅니다."),
        (11, "lead_brn", f"등록되지 않은 사업자등록번호입니다: {format_brn(unknown)}"),
        (12, "partner_brns", f"같은 참여기업이 두 번 있습니다: '{brn(p1)}'"),
        (13, "ref", "값이 비어 있습니다."),
        (13, "title", "값이 비어 있습니다."),
    ]
    assert not Application.objects.exists()
    assert not Consortium.objects.exists()
    assert not AuditLog.objects.filter(action="applications.import").exists()


def test_the_call_option_is_checked_first(world):
    lead, p1, p2, _other = world["firms"]
    report = run([HEADER, app_row("a", lead, [p1, p2])], call="c-none")
    assert errors(report) == [(0, "call", "등록되지 않은 공모 코드입니다: 'c-none'")]
    report = run([HEADER, app_row("a", lead, [p1, p2])], call="")
    assert errors(report) == [(0, "call", "--call로 공모 코드를 지정해야 합니다.")]


def test_rule_breaches_do_not_refuse_the_file(world):
    lead, p1, p2, other = world["firms"]
    Firm.objects.filter(pk=p2.pk).update(status=Firm.Status.CLOSED)
    rows = [
        HEADER,
        app_row("r-1", lead, [p1], government="20,000,001", cash="1,400,000", inkind="5,266,667"),
        app_row("r-2", other, [p2, p1]),
    ]
    report = run(rows)
    assert report.ok, errors(report)
    assert report.created == 2
    assert codes("r-1") == ["grant_cap", "members"]
    r1 = Application.objects.get(ref="r-1")
    assert r1.eligibility == Application.Eligibility.INELIGIBLE
    assert r1.status == Application.Status.SUBMITTED
    # Stored as codes with parameters, rendered in the reader's language.
    assert r1.breaches[0] == {
        "code": "grant_cap",
        "params": {
            "what": {"code": "programmes.cap.government", "params": {}},
            "amount": "20,000,001",
            "cap": "20,000,000",
        },
    }
    # 광빛차체 is in r-1 (the earlier row): r-2 breaks firm_limit for it; 부산정밀 is closed.
    assert codes("r-2") == ["closed", "firm_limit"]
    reasons = [b.message for b in rules.breaches_of(Application.objects.get(ref="r-2"))]
    assert reasons == [
        "정상 영업 중이 아닌 기업이 있습니다: 부산정밀.",
        "이 공모에 이미 1건의 신청에 참여한 기업이 있습니다: 광빛차체.",
    ]
    assert AuditLog.objects.get(action="applications.import").changes["ineligible"] == 2


def test_firm_limit_counts_stored_submissions_then_the_earlier_rows(world):
    lead, p1, p2, other = world["firms"]
    call = world["call"]
    call.max_applications_per_firm = 2
    call.save()
    # 구로전자 already in one stored application (withdrawn counts); a draft does not count.
    make_application(
        call,
        other,
        ref="old-1",
        status=Application.Status.WITHDRAWN,
        submitted_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
    )
    make_application(call, p2, ref="draft-1", status=Application.Status.DRAFT)
    rows = [
        HEADER,
        app_row("f-1", lead, [p1, other]),  # 구로전자: 1 earlier (stored) → fine with 2 allowed
        app_row("f-2", p2, [p1, other]),  # 구로전자: stored + f-1 = 2 → over; 광빛차체: f-1 = 1 → fine
        app_row(
            "f-3", lead, [p1, p2]
        ),  # 광빛차체: f-1, f-2 = 2 → over; 새영테크: f-1 = 1; 부산정밀: f-2 (draft no)
    ]
    report = run(rows)
    assert report.ok, errors(report)
    assert codes("f-1") == []
    assert codes("f-2") == ["firm_limit"]
    assert codes("f-3") == ["firm_limit"]
    assert "구로전자" in rules.breaches_of(Application.objects.get(ref="f-2"))[0].params["firms"]
    assert rules.breaches_of(Application.objects.get(ref="f-3"))[0].params == {"firms": "광빛차체", "max": 2}
    # File order is submission order: checking each again from the database gives the same answers.
    submitted = list(
        Application.objects.filter(ref__startswith="f-")
        .order_by("submitted_at")
        .values_list("ref", flat=True)
    )
    assert submitted == ["f-1", "f-2", "f-3"]
    for ref in submitted:
        application = Application.objects.get(ref=ref)
        assert [b.code for b in rules.check_application(application)] == codes(ref)


def test_a_reimport_changes_nothing_and_a_changed_row_is_refused(world):
    lead, p1, p2, other = world["firms"]
    rows = [HEADER, app_row("a-1", lead, [p1, p2]), app_row("a-2", other, [p1])]
    first = run(rows)
    assert first.ok and first.created == 2
    audits = AuditLog.objects.count()
    again = run(rows)
    assert again.ok, errors(again)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AuditLog.objects.count() == audits
    assert Application.objects.count() == 2
    # The partners in another order and without dashes are the same application.
    same = run([HEADER, app_row("a-1", lead, [p2, p1], partner_brns=f"{p2.brn};{p1.brn}")])
    assert same.ok and same.unchanged == 1
    changed = run([HEADER, app_row("a-1", lead, [p1, p2], government="14,000,000", title="새 제목")])
    assert errors(changed) == [
        (
            2,
            "ref",
            "이미 등록된 접수번호입니다: 'a-1' (다른 내용: title, government_krw). "
            "접수된 신청서는 신청서 화면에서 고칩니다.",
        )
    ]
    assert Application.objects.get(ref="a-1").government_krw == 15_000_000


def test_a_new_row_after_stored_ones_counts_them_once(world):
    lead, p1, p2, other = world["firms"]
    run([HEADER, app_row("a-1", lead, [p1, p2])])
    report = run([HEADER, app_row("a-1", lead, [p1, p2]), app_row("a-2", other, [p1, p2])])
    assert report.ok and (report.unchanged, report.created) == (1, 1)
    assert codes("a-2") == ["firm_limit"]
    assert rules.breaches_of(Application.objects.get(ref="a-2"))[0].params == {
        "firms": "광빛차체, 부산정밀",
        "max": 1,
    }


def test_a_dry_run_writes_nothing(world):
    lead, p1, p2, _other = world["firms"]
    report = run(
        [HEADER, app_row("d-1", lead, [p1, p2]), app_row("d-2", lead, [p1], government="x")], dry_run=True
    )
    assert errors(report) == [(3, "government_krw", "숫자가 아닙니다: 'x'")]
    report = run([HEADER, app_row("d-1", lead, [p1, p2])], dry_run=True)
    assert report.ok and report.created == 1
    assert not Application.objects.exists()


def test_imports_are_not_refused_by_date(world):
    lead, p1, p2, _other = world["firms"]
    make_call(code="c-closed", days_open=200, days_left=-100)
    report = run([HEADER, app_row("late-1", lead, [p1, p2], topic="")], call="c-closed")
    assert report.ok, errors(report)
    assert codes("late-1", call="c-closed") == []


def test_central_staff_only_and_the_command(world, tmp_path):
    lead, p1, p2, _other = world["firms"]
    importer = IMPORTERS["applications"]
    seoul = make_user("seoulstaff", Role.REGIONAL_STAFF, federation=region("seoul"))
    central = make_user("centralstaff", Role.CENTRAL_STAFF)
    assert importer.allowed(None) and importer.allowed(central)
    assert not importer.allowed(seoul)
    path = tmp_path / "applications.csv"
    path.write_bytes(csv_bytes([HEADER, app_row("cli-1", lead, [p1, p2])]))
    with pytest.raises(CommandError, match="권한이 없습니다"):
        call_command(
            "import", "applications", str(path), "--call", "c2026", "--as", "seoulstaff", stdout=io.StringIO()
        )
    out = io.StringIO()
    call_command("import", "applications", str(path), "--call", "c2026", "--as", "centralstaff", stdout=out)
    assert "applications 가져오기: 전체 1행 — 추가 1, 변경 0, 변동 없음 0" in out.getvalue()
    assert Application.objects.get(ref="cli-1").submitted_by == central
    assert (
        ConsortiumMember.objects.filter(consortium__application__ref="cli-1", responded_by=central).count()
        == 3
    )


def test_the_web_import_page_offers_the_call_option(world):
    central = make_user("centralstaff", Role.CENTRAL_STAFF)
    form = ImportForm(importers=allowed_importers(central))
    assert "call" in form.fields and "applications" in dict(form.fields["kind"].choices)


def test_the_queries_do_not_grow_with_the_rows(world):
    firms = [FirmFactory(industry=industry(("26", "30", "29")[n % 3])) for n in range(30)]
    group = GroupFactory()
    for firm in firms:
        MembershipFactory(group=group, firm=firm)

    def file(n, prefix):
        return [HEADER] + [
            app_row(f"{prefix}-{i}", firms[3 * i], firms[3 * i + 1 : 3 * i + 3], topic="") for i in range(n)
        ]

    with CaptureQueriesContext(connection) as small:
        assert run(file(2, "s")).ok
    with CaptureQueriesContext(connection) as large:
        assert run(file(10, "l")).ok
    assert len(large) == len(small)


# --- the firms import's status column ------------------------------------------------------------------------

FIRM_HEADER = ["사업자등록번호", "기업명", "지역", "업종(KSIC)", "영업상태"]


def test_the_firms_import_reads_the_status_column():
    first, second, third = make_brn(9101), make_brn(9102), make_brn(9103)
    report = import_file(
        "firms",
        csv_bytes(
            [
                FIRM_HEADER,
                [first, "폐업기업", "서울연합회", "26", "폐업"],
                [second, "정상기업", "서울연합회", "30", "active"],
                [third, "빈칸기업", "서울연합회", "29", ""],
            ],
            "cp949",
        ),
        actor=None,
        dry_run=False,
        filename="firms.csv",
    )
    assert report.ok, errors(report)
    status = dict(Firm.objects.values_list("name", "status"))
    assert status == {"폐업기업": "closed", "정상기업": "active", "빈칸기업": "active"}
    reopened = import_file(
        "firms",
        csv_bytes([["brn", "name", "region", "ksic", "status"], [first, "폐업기업", "seoul", "26", "정상"]]),
        actor=None,
        dry_run=False,
        filename="firms.csv",
    )
    assert reopened.ok and reopened.updated == 1
    assert [c.as_list() for c in reopened.changes] == [[2, "status", "closed", "active"]]
    bad = import_file(
        "firms",
        csv_bytes([["brn", "name", "region", "ksic", "상태"], [first, "폐업기업", "seoul", "26", "휴업"]]),
        actor=None,
        dry_run=True,
        filename="firms.csv",
    )
    assert errors(bad) == [
        (2, "status", "알 수 없는 상태입니다: '휴업' (active(정상), closed(폐업) 중 하나)")
    ]
    # Without the column the status is left alone.
    kept = import_file(
        "firms",
        csv_bytes([["brn", "name", "region", "ksic"], [second, "정상기업", "seoul", "30"]]),
        actor=None,
        dry_run=False,
        filename="firms.csv",
    )
    assert kept.ok and kept.unchanged == 1


def test_the_template_has_the_korean_headers():
    from openpyxl import load_workbook

    from yunghap.core.import_templates import build_template

    workbook = load_workbook(io.BytesIO(build_template(IMPORTERS["applications"])))
    assert [c.value for c in workbook.worksheets[0][1]] == KOREAN_HEADER


# --- concurrency ---------------------------------------------------------------------------------------------


def test_an_import_checks_again_when_an_application_was_recorded_after_its_check(world, monkeypatch):
    """The import checks its rows, then another submission with the same partner lands before its write:
    the write checks again under the call's lock, and the row is stored with `firm_limit` (any database)."""
    from yunghap.programmes.application_imports import ApplicationImporter

    lead, p1, p2, other = world["firms"]
    original = ApplicationImporter.plan
    calls = []

    def plan_then_someone_submits(self, rows):
        result = original(self, rows)
        if not calls:
            make_application(world["call"], other, [p1], ref="web-1")
        calls.append(1)
        return result

    monkeypatch.setattr(ApplicationImporter, "plan", plan_then_someone_submits)
    report = run([HEADER, app_row("late-1", lead, [p1, p2])])
    assert report.ok, errors(report)
    assert len(calls) == 2
    assert codes("late-1") == ["firm_limit"]


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL (a no-op on SQLite)"
)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_count_each_other():
    from tests.helpers import at_once

    group = GroupFactory()
    firms = [FirmFactory(industry=industry(d)) for d in ("26", "30", "29", "26", "30")]
    for firm in firms:
        MembershipFactory(group=group, firm=firm)
    make_call(code="c2026")
    shared = firms[0]
    first = [HEADER, app_row("a-1", shared, firms[1:3], topic="")]
    second = [HEADER, app_row("b-1", firms[3], [firms[4], shared], topic="")]
    reports = at_once(lambda: run(first), lambda: run(second))
    assert all(r.ok for r in reports), reports
    found = sorted(codes(ref) for ref in ("a-1", "b-1"))
    assert found == [[], ["firm_limit"]]  # whichever came second counts the first
