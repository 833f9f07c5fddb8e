"""The funnel (plan item 8): introductions → consortia → applications → selected → completed → results with
conversion rates, per year, region and growth engine; the page, its XLSX and `yunghap report funnel` agree."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.programmes.chain_factories import make_funded, make_introduction
from tests.programmes.factories import make_application, make_call
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.programmes.funnel import funnel_figures, rate

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1


@pytest.fixture
def world(network):  # noqa: F811
    funded = make_funded(network, year=YEAR)
    # Another consortium of a call of the same year that never submitted; a Busan one that did.
    call = make_call(opens_on=datetime.date(YEAR, 6, 1), closes_on=datetime.date(YEAR, 6, 30))
    make_application(call, network.chair_firm, [], status="draft")
    make_application(call, network.busan_firm, [])
    # Introductions: one more in Seoul that year, one in Busan, one the year before (not counted).
    sent = timezone.make_aware(datetime.datetime(YEAR, 8, 1, 9))
    make_introduction(network.chair_firm, network.member_firm, sent_at=sent)
    make_introduction(network.busan_firm, network.member_firm, sent_at=sent)
    make_introduction(
        network.member_firm,
        network.busan_firm,
        sent_at=timezone.make_aware(datetime.datetime(YEAR - 1, 12, 31, 23)),
    )
    return funded


def counts(figures):
    return {s["key"]: s["count"] for s in figures["steps"]}


def test_the_figures_count_the_records(world):
    figures = funnel_figures(YEAR)
    assert counts(figures) == {
        "introductions": 3,
        "consortia": 3,
        "applications": 2,
        "selected": 1,
        "completed": 1,
        "results": 1,
    }
    rates = [s["rate"] for s in figures["steps"]]
    assert rates == [
        None,
        Decimal("100.0"),
        Decimal("66.7"),
        Decimal("50.0"),
        Decimal("100.0"),
        Decimal("100.0"),
    ]
    assert counts(funnel_figures(YEAR, region="seoul")) == {
        "introductions": 2,
        "consortia": 2,
        "applications": 1,
        "selected": 1,
        "completed": 1,
        "results": 1,
    }
    engine = world.application.topic.growth_engine.code
    assert counts(funnel_figures(YEAR, engine=engine))["consortia"] == 1


def test_a_rate_after_nobody_is_undefined_and_halves_round_up():
    assert rate(0, 0) is None
    assert rate(1, 16) == Decimal("6.3")  # 6.25 → 6.3, as a published table reads


def test_a_deleted_result_and_an_active_agreement_are_not_counted(world):
    world.outcome.deleted_at = timezone.now()
    world.outcome.save(update_fields=["deleted_at"])
    world.agreement.status = "active"
    world.agreement.grade = ""
    world.agreement.save(update_fields=["status", "grade"])
    got = counts(funnel_figures(YEAR))
    assert got["completed"] == 0 and got["results"] == 0


def test_the_page_for_central_and_regional_staff(client, network, world):  # noqa: F811
    url = reverse("programmes:funnel")
    client.force_login(network.users["central"])
    page = client.get(url, {"year": YEAR})
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="chart-funnel-options"' in body and "데이터 표" in body and "66.7" in body
    client.force_login(network.users["busan"])
    page = client.get(url, {"year": YEAR})
    assert page.status_code == 200
    assert page.context["figures"]["region"] == "busan"
    assert counts(page.context["figures"])["consortia"] == 1
    assert client.get(url, {"year": YEAR, "region": "seoul"}).status_code == 403
    for user in ("firm", "officer", "coordinator", "nobody"):
        client.force_login(network.users[user])
        assert client.get(url).status_code == 403


def test_bad_filters_are_korean_messages(client, network, world):  # noqa: F811
    client.force_login(network.users["central"])
    page = client.get(reverse("programmes:funnel"), {"year": "abc", "engine": "nope"})
    assert page.status_code == 400
    body = page.content.decode()
    assert "연도 값이 올바르지 않습니다: 숫자로 써 주세요." in body
    assert "알 수 없는 신성장동력입니다: nope" in body


def test_the_xlsx_download_has_the_page_figures(client, network, world):  # noqa: F811
    client.force_login(network.users["central"])
    response = client.get(reverse("programmes:funnel"), {"year": YEAR, "format": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("단계", "코드", "건수", "전 단계 대비 전환율(%)")
    assert [r[1:3] for r in rows[1:]] == [
        ("introductions", 3),
        ("consortia", 3),
        ("applications", 2),
        ("selected", 1),
        ("completed", 1),
        ("results", 1),
    ]


def test_the_page_costs_a_fixed_number_of_queries(client, network, world, django_assert_max_num_queries):  # noqa: F811
    client.force_login(network.users["central"])
    client.get(reverse("programmes:funnel"), {"year": YEAR})
    # The session and user, the filter's reference lists, the funnel (2) and its two breakdowns (3 each).
    with django_assert_max_num_queries(13) as first:
        client.get(reverse("programmes:funnel"), {"year": YEAR})
    make_funded(network, year=YEAR)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("programmes:funnel"), {"year": YEAR})
    with django_assert_max_num_queries(2):
        funnel_figures(YEAR, region="seoul", engine="NGE09-09")


def test_the_command_gives_the_same_figures(world, capsys, tmp_path):
    call_command("report", "funnel", "--year", str(YEAR), "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == YEAR
    assert [(s["key"], s["count"], s["rate"]) for s in data["steps"]] == [
        (s["key"], s["count"], float(s["rate"]) if s["rate"] is not None else None)
        for s in funnel_figures(YEAR)["steps"]
    ]
    call_command("report", "funnel", "--year", str(YEAR), "--region", "seoul", "--format", "csv")
    csv_text = capsys.readouterr().out
    assert "consortia,2" in csv_text
    target = tmp_path / "funnel.xlsx"
    call_command("report", "funnel", "--year", str(YEAR), "--format", "xlsx", "--output", str(target))
    assert load_workbook(target).active.cell(2, 3).value == 3


def test_the_command_refuses_a_bad_year_or_region_with_exit_code_2(world):
    with pytest.raises(CommandError, match="알 수 없는 지역연합회 코드입니다: mars") as refused:
        call_command("report", "funnel", "--year", str(YEAR), "--region", "mars")
    assert refused.value.returncode == 2
    with pytest.raises(CommandError, match="--year로 연도를 지정해야 합니다.") as refused:
        call_command("report", "funnel")
    assert refused.value.returncode == 2


def test_the_command_line_exit_code_for_a_year_that_is_no_year():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "yunghap", "report", "funnel", "--year", "20x6"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "yunghap.settings"},
    )
    assert done.returncode == 2
    assert "연도 값이 올바르지 않습니다: 숫자로 써 주세요." in done.stderr


def test_the_breakdowns_by_region_and_engine_add_up(client, network, world):  # noqa: F811
    from yunghap.programmes.funnel import funnel_breakdown

    by_region = {
        r["code"]: {s["key"]: s["count"] for s in r["steps"]} for r in funnel_breakdown(YEAR, "region")
    }
    assert by_region["seoul"] == counts(funnel_figures(YEAR, region="seoul"))
    assert by_region["busan"]["consortia"] == 1 and by_region["busan"]["introductions"] == 1
    assert sum(r["consortia"] for r in by_region.values()) == 3
    engine = world.application.topic.growth_engine.code
    by_engine = {
        r["code"]: {s["key"]: s["count"] for s in r["steps"]} for r in funnel_breakdown(YEAR, "engine")
    }
    assert by_engine[engine] == counts(funnel_figures(YEAR, engine=engine))
    assert len(by_engine) == 17

    client.force_login(network.users["central"])
    page = client.get(reverse("programmes:funnel"), {"year": YEAR})
    body = page.content.decode()
    assert 'id="funnel-by-region"' in body and 'id="funnel-by-engine"' in body
    response = client.get(reverse("programmes:funnel"), {"year": YEAR, "by": "region", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("지역연합회", "코드", "소개")
    assert any(r[1] == "seoul" and r[2:] == (2, 2, 1, 1, 1, 1) for r in rows[1:])
    # Regional staff get no region breakdown (it would show other regions) and may not ask for it.
    client.force_login(network.users["busan"])
    page = client.get(reverse("programmes:funnel"), {"year": YEAR})
    assert 'id="funnel-by-region"' not in page.content.decode()
    assert (
        client.get(reverse("programmes:funnel"), {"year": YEAR, "by": "region", "format": "xlsx"}).status_code
        == 400
    )
    assert client.get(reverse("programmes:funnel"), {"by": "nope"}).status_code == 400


def test_the_command_breakdown(world, capsys):
    call_command("report", "funnel", "--year", str(YEAR), "--by", "region", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    seoul = next(r for r in data["rows"] if r["code"] == "seoul")
    assert [s["count"] for s in seoul["steps"]] == [2, 2, 1, 1, 1, 1]
    with pytest.raises(CommandError, match="--by는 region 또는 engine입니다: x") as refused:
        call_command("report", "funnel", "--year", str(YEAR), "--by", "x")
    assert refused.value.returncode == 2


def test_the_page_in_english(client, network, world):  # noqa: F811
    from tests.test_i18n import switch_to_english

    client.force_login(network.users["central"])
    switch_to_english(client)
    body = client.get(reverse("programmes:funnel"), {"year": YEAR}).content.decode()
    assert f"Results funnel — {YEAR}" in body
    assert "Consortia formed" in body and "By growth engine" in body
