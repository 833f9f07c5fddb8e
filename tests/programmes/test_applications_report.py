"""`yunghap report applications` and the staff page of a call's applications: the same rows
(programmes.reports.application_rows) as JSON, CSV (UTF-8 with BOM, formulas neutralised), XLSX and HTML."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tests.programmes.factories import make_application, make_call, make_review, make_reviewer, make_topic
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.network.models import Firm
from yunghap.programmes import reports, rules
from yunghap.programmes.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(network):  # noqa: F811
    call = make_call(code="c-rep", title="2026년 융합 R&D")
    topic = make_topic(code="t-rep")
    guro = Firm.objects.get(name="구로전자")
    rule_set = rules.CallRules.of(call)
    reviewers = [make_reviewer(f"rv{n}") for n in range(5)]
    a1 = make_application(call, network.member_firm, [network.chair_firm, guro], ref="c-rep-001", topic=topic)
    for reviewer, score in zip(reviewers, (61, 70, 75, 88, 99), strict=True):
        make_review(a1, reviewer, score)
    breaches = [
        rules.check_grant_cap(rule_set, rules.Budget(20_000_001, 0, 0)),
        rules.Breach("firm_limit", {"firms": "부산정밀", "max": 1}),
    ]
    a2 = make_application(
        call,
        network.busan_firm,
        [],
        ref="c-rep-002",
        government=20_000_001,
        cash=0,
        inkind=0,
        eligibility=Application.Eligibility.INELIGIBLE,
        breaches=[b.as_data() for b in breaches if b],
    )
    a3 = make_application(
        call, network.chair_firm, [network.member_firm], ref="c-rep-003", title="=HYPERLINK(1)"
    )
    make_review(a3, reviewers[0], 80)
    make_review(a3, reviewers[1], "85.00")
    make_application(call, guro, [], ref="c-rep-004", status=Application.Status.DRAFT)
    return {"call": call, "a1": a1, "a2": a2, "a3": a3, "network": network}


def report(*args):
    out = io.StringIO()
    call_command("report", "applications", "--call", "c-rep", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_json_report_whatever_the_locale(data):
    with translation.override("en"):
        payload = json.loads(report("--format", "json"))
    assert payload["call"] == "c-rep" and payload["title"] == "2026년 융합 R&D"
    rows = payload["applications"]
    assert [r["ref"] for r in rows] == ["c-rep-001", "c-rep-002", "c-rep-003"]  # the draft is left out
    first, second, third = rows
    assert set(first) == {
        "ref",
        "title",
        "topic",
        "lead",
        "lead_brn",
        "members",
        "government_krw",
        "firm_cash_krw",
        "firm_inkind_krw",
        "total_krw",
        "source",
        "submitted_at",
        "withdrawn",
        "status",
        "rules",
        "reasons",
        "reviews",
        "score",
    }
    assert (first["status"], first["rules"], first["reasons"], first["reviews"], first["score"]) == (
        "eligible",
        [],
        [],
        5,
        77.67,  # 61 and 99 dropped: (70 + 75 + 88) / 3
    )
    assert (first["topic"], first["lead"], first["members"], first["total_krw"]) == (
        "t-rep",
        "새영테크",
        3,
        20_000_000,
    )
    assert second["status"] == "ineligible"
    assert second["rules"] == ["grant_cap", "firm_limit"]
    assert second["reasons"] == [
        "정부지원금이 지원 상한을 넘습니다: 20,000,001원 (상한 20,000,000원).",
        "이 공모에 이미 1건의 신청에 참여한 기업이 있습니다: 부산정밀.",
    ]
    assert (second["reviews"], second["score"], second["withdrawn"]) == (0, None, False)
    assert (third["reviews"], third["score"]) == (2, 82.5)


def test_filters_and_errors_of_the_command(data, tmp_path):
    payload = json.loads(report("--eligibility", "ineligible"))
    assert [r["ref"] for r in payload["applications"]] == ["c-rep-002"]
    payload = json.loads(report("--rule", "firm_limit"))
    assert [r["ref"] for r in payload["applications"]] == ["c-rep-002"]
    assert json.loads(report("--rule", "closed"))["applications"] == []
    with pytest.raises(CommandError, match="알 수 없는 규칙 코드입니다: 'nope'"):
        report("--rule", "nope")
    with pytest.raises(CommandError, match="XLSX는 --output"):
        report("--format", "xlsx")
    with pytest.raises(CommandError, match="등록되지 않은 공모 코드입니다: c-none"):
        call_command("report", "applications", "--call", "c-none", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--call"):
        call_command("report", "applications", stdout=io.StringIO())


def test_csv_with_bom_and_neutralised_formulas(data, tmp_path):
    target = tmp_path / "r.csv"
    report("--format", "csv", "--output", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [str(h) for h in reports.table_header()]
    assert rows[0][:2] == ["접수번호", "과제명"]
    assert [r[0] for r in rows[1:]] == ["c-rep-001", "c-rep-002", "c-rep-003"]
    assert rows[3][1] == "'=HYPERLINK(1)"
    assert rows[2][11:] == [
        "부적격",
        "grant_cap;firm_limit",
        "정부지원금이 지원 상한을 넘습니다: 20,000,001원 (상한 20,000,000원).\n"
        "이 공모에 이미 1건의 신청에 참여한 기업이 있습니다: 부산정밀.",
        "0",
        "",
    ]
    assert rows[1][14:] == ["5", "77.67"]


def test_xlsx(data, tmp_path):
    target = tmp_path / "r.xlsx"
    report("--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "접수번호" and len(values) == 4
    assert values[1][0] == "c-rep-001" and values[1][6] == 15_000_000 and values[1][15] == "77.67"


# --- the page ------------------------------------------------------------------------------------------------


def page(client, **params):
    return client.get(reverse("programmes:call_applications", kwargs={"code": "c-rep"}), params)


def refs(response):
    return [row["ref"] for row in response.context["rows"]]


def test_central_staff_see_every_application_and_filter(data, client):
    client.force_login(data["network"].users["central"])
    response = page(client)
    assert response.status_code == 200
    assert refs(response) == ["c-rep-001", "c-rep-002", "c-rep-003"]
    html = response.content.decode()
    assert "정부지원금이 지원 상한을 넘습니다: 20,000,001원 (상한 20,000,000원)." in html
    assert "20,000,001원" in html and "77.67" in html
    assert refs(page(client, eligibility="ineligible")) == ["c-rep-002"]
    assert refs(page(client, eligibility="eligible")) == ["c-rep-001", "c-rep-003"]
    assert refs(page(client, rule="grant_cap")) == ["c-rep-002"]
    assert refs(page(client, rule="members")) == []
    bad = page(client, rule="nope")
    assert bad.status_code == 400
    assert "알 수 없는 규칙 코드입니다: &#x27;nope&#x27;" in bad.content.decode()
    assert page(client, eligibility="maybe").status_code == 400


def test_regional_staff_see_the_applications_led_by_firms_of_their_region(data, client):
    users = data["network"].users
    client.force_login(users["seoul"])
    assert refs(page(client)) == ["c-rep-001", "c-rep-003"]
    client.force_login(users["busan"])
    assert refs(page(client)) == ["c-rep-002"]
    response = client.get(
        reverse("programmes:call_applications_download", kwargs={"code": "c-rep"}), {"format": "csv"}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["c-rep-002"]
    client.force_login(users["firm"])
    assert page(client).status_code == 403


def test_the_download(data, client):
    client.force_login(data["network"].users["central"])
    url = reverse("programmes:call_applications_download", kwargs={"code": "c-rep"})
    response = client.get(url, {"eligibility": "eligible"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="applications-c-rep-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["c-rep-001", "c-rep-003"]
    response = client.get(url, {"format": "csv", "rule": "firm_limit"})
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert client.get(url, {"format": "pdf"}).status_code == 400


def test_the_query_count_does_not_grow_with_the_applications(data, client, django_assert_max_num_queries):
    client.force_login(data["network"].users["central"])
    with django_assert_max_num_queries(8):
        assert page(client).status_code == 200
    firms = data["network"]
    reviewer = make_reviewer("rv-more")
    for n in range(20):
        application = make_application(data["call"], firms.chair_firm, [firms.member_firm], ref=f"more-{n}")
        make_review(application, reviewer, 70 + n)
    with django_assert_max_num_queries(8):
        assert len(refs(page(client))) == 23
