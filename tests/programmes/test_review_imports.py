"""`yunghap import reviewers` and `yunghap import reviews --call`: real XLSX and CP949 CSV files, Korean headers,
title rows, every row's error, all or nothing, re-import changes nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from tests.programmes.factories import assign, make_application, make_call, make_review, make_reviewer
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role, RoleGrant, User
from yunghap.core.imports import import_file
from yunghap.matching.models import Capability
from yunghap.network.models import Firm
from yunghap.programmes.models import DeclaredConflict, Review, ReviewAssignment, Reviewer

pytestmark = pytest.mark.django_db


def xlsx(path, rows):
    book = Workbook()
    sheet = book.active
    for r in rows:
        sheet.append(list(r))
    book.save(path)
    return str(path)


def cp949_csv(path, rows):
    text = "\n".join(",".join(str(c) for c in r) for r in rows) + "\n"
    path.write_bytes(text.encode("cp949"))
    return str(path)


def errors_of(report):
    return [(e.row, e.column, e.message) for e in report.errors]


# --- reviewers --------------------------------------------------------------------------------------


def test_reviewers_import_creates_accounts_and_reimport_changes_nothing(network, tmp_path):  # noqa: F811
    Capability.objects.create(name="사출 성형", synonyms=["인젝션"])
    path = xlsx(
        tmp_path / "reviewers.xlsx",
        [
            ["2026년 평가위원 명단"],
            ["아이디", "이름", "이메일", "소속 기업 사업자등록번호", "전문 분야"],
            ["kim.rev", "김평가", "kim@example.kr", network.chair_firm.brn, "NGE09-09;인젝션"],
            ["lee.rev", "이심사", "lee@example.kr", "", "LED 응용"],
            ["아이디", "이름", "이메일", "소속 기업 사업자등록번호", "전문 분야"],  # the header again
        ],
    )
    report = import_file("reviewers", path, actor=None, dry_run=False, filename="reviewers.xlsx")
    assert report.ok, errors_of(report)
    assert (report.created, report.unchanged) == (2, 0)
    kim = Reviewer.objects.get(user__username="kim.rev")
    assert kim.user.name == "김평가" and not kim.user.has_usable_password()
    assert kim.affiliation == network.chair_firm
    assert [e.code for e in kim.expertise_engines.all()] == ["NGE09-09"]
    assert [c.name for c in kim.expertise_capabilities.all()] == ["사출 성형"]
    assert RoleGrant.objects.filter(user=kim.user, role=Role.REVIEWER).exists()
    lee = Reviewer.objects.get(user__username="lee.rev")
    assert lee.affiliation is None and lee.expertise_engines.count() == 1

    again = import_file("reviewers", path, actor=None, dry_run=False, filename="reviewers.xlsx")
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_reviewers_import_row_errors_in_a_cp949_csv(network, tmp_path):  # noqa: F811
    make_user_plain = User.objects.create_user(username="staffer", password="x-2026-pw!")
    path = cp949_csv(
        tmp_path / "reviewers.csv",
        [
            ["아이디", "이름", "이메일", "소속 사업자등록번호", "전문분야"],
            ["a.rev", "가평가", "a@example.kr", "999-99-99999", ""],
            ["b.rev", "나평가", "b@example.kr", "", "없는분야"],
            ["c.rev", "다평가", "not-an-email", "", ""],
            ["staffer", "라평가", "d@example.kr", "", ""],
            ["e.rev", "마평가", "e@example.kr", "", ""],
            ["E.REV", "마평가", "e@example.kr", "", ""],
        ],
    )
    report = import_file("reviewers", path, actor=None, dry_run=False, filename="reviewers.csv")
    got = errors_of(report)
    assert [(row, column) for row, column, _m in got] == [
        (2, "affiliation_brn"),
        (3, "expertise"),
        (4, "email"),
        (5, "username"),
        (7, "username"),
    ]
    assert "없는분야" in got[1][2]
    assert not Reviewer.objects.exists() and not User.objects.filter(username="e.rev").exists()
    del make_user_plain


# --- reviews ----------------------------------------------------------------------------------------


@pytest.fixture
def review_call(network):  # noqa: F811
    call = make_call(code="c-imp")
    other = Firm.objects.get(name="구로전자")
    good = make_application(call, network.member_firm, [], ref="c-imp-001")
    second = make_application(call, other, [], ref="c-imp-002")
    bad = make_application(call, network.busan_firm, [], ref="c-imp-003", eligibility="ineligible")
    reviewers = {name: make_reviewer(name) for name in ("r1", "r2", "r3")}
    return {"call": call, "good": good, "second": second, "bad": bad, "reviewers": reviewers, "net": network}


def test_reviews_import_creates_assignments_and_reviews(review_call, tmp_path):
    s = review_call
    assign(s["second"], s["reviewers"]["r2"], declared=False)  # assigned on the page, scored on paper
    path = xlsx(
        tmp_path / "reviews.xlsx",
        [
            ["접수번호", "평가위원", "점수", "기술성", "사업성", "협력성", "평가 의견"],
            ["c-imp-001", "r1", 81, 35, 26, 20, "좋음"],
            ["c-imp-002", "r2", "72.5", "", "", "", ""],
            ["c-imp-001", "R2", "", 30, 30, 30, ""],  # the total from the criteria
        ],
    )
    report = import_file(
        "reviews", path, actor=None, dry_run=False, filename="reviews.xlsx", options={"call": "c-imp"}
    )
    assert report.ok, errors_of(report)
    assert report.created == 3
    r1 = Review.objects.get(reviewer=s["reviewers"]["r1"])
    assert r1.score == Decimal("81.00") and r1.criterion_scores == {
        "technology": "35.00",
        "feasibility": "26.00",
        "cooperation": "20.00",
    }
    assert r1.assignment.method == "import" and r1.assignment.state == "submitted"
    assert Review.objects.get(reviewer=s["reviewers"]["r2"], application=s["good"]).score == Decimal("90.00")
    paper = ReviewAssignment.objects.get(application=s["second"], reviewer=s["reviewers"]["r2"])
    assert paper.method == "manual" and paper.state == "submitted"
    again = import_file(
        "reviews", path, actor=None, dry_run=False, filename="reviews.xlsx", options={"call": "c-imp"}
    )
    assert again.ok and (again.created, again.unchanged) == (0, 3)


@pytest.mark.parametrize("code", ["affiliation", "same_group", "applicant", "declared"])
def test_reviews_import_refuses_a_conflict_naming_its_code(code, review_call, tmp_path):
    s = review_call
    net = s["net"]
    reviewer = s["reviewers"]["r1"]
    if code == "declared":
        DeclaredConflict.objects.create(reviewer=reviewer, firm=net.member_firm)
    else:
        reviewer.affiliation = {
            "affiliation": net.member_firm,
            "same_group": net.chair_firm,
            # 구로전자 leads c-imp-002: a conflict with every other application of the call.
            "applicant": Firm.objects.get(name="구로전자"),
        }[code]
        reviewer.save()
    path = xlsx(
        tmp_path / "r.xlsx", [["ref", "reviewer", "score"], ["c-imp-001", "r1", 80], ["c-imp-002", "r2", 70]]
    )
    report = import_file(
        "reviews", path, actor=None, dry_run=False, filename="r.xlsx", options={"call": "c-imp"}
    )
    got = errors_of(report)
    assert len(got) == 1 and got[0][:2] == (2, "reviewer")
    assert got[0][2].startswith(f"이해충돌({code}): ")
    assert not Review.objects.exists() and not ReviewAssignment.objects.exists()


def test_reviews_import_refuses_the_whole_file_with_every_row(review_call, tmp_path):
    s = review_call
    make_review(s["second"], s["reviewers"]["r3"], 60)
    path = cp949_csv(
        tmp_path / "reviews.csv",
        [
            ["2026년 평가 결과"],
            ["접수번호", "평가위원", "점수"],
            ["c-imp-001", "r1", "80"],
            ["c-imp-001", "r1", "85"],  # twice in the file
            ["c-imp-002", "r3", "75"],  # already stored with another score
            ["c-imp-003", "r2", "75"],  # ineligible
            ["c-imp-999", "r2", "75"],  # unknown
            ["c-imp-002", "r2", "101"],  # out of range
            ["c-imp-002", "nobody", "70"],  # unknown reviewer
        ],
    )
    report = import_file(
        "reviews", path, actor=None, dry_run=False, filename="reviews.csv", options={"call": "c-imp"}
    )
    got = errors_of(report)
    assert [(row, column) for row, column, _m in got] == [
        (4, "reviewer"),
        (5, "reviewer"),
        (6, "ref"),
        (7, "ref"),
        (8, "score"),
        (9, "reviewer"),
    ]
    assert got[0][2] == "같은 평가위원이 같은 신청을 두 번 평가했습니다(행 3)."
    assert got[2][2] == "적격이 아닌 신청은 평가할 수 없습니다: c-imp-003"
    assert Review.objects.count() == 1


def test_reviews_import_from_the_command_line_needs_the_call(review_call, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [["ref", "reviewer", "score"], ["c-imp-001", "r1", 80]])
    out = io.StringIO()
    call_command("import", "reviews", path, "--call", "c-imp", stdout=out, stderr=io.StringIO())
    assert Review.objects.get().score == Decimal("80.00")
    report = import_file("reviews", path, actor=None, dry_run=True, filename="r.xlsx", options={})
    assert errors_of(report)[0][:2] == (0, "call")
