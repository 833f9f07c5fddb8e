from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from yunghap.core.imports import import_file
from yunghap.surveys.imports import cell_rate
from yunghap.surveys.models import SurveyResponse

HEADER = (
    "group_code,year,members,meetings,attendance_rate,purpose_info,purpose_resource,purpose_newproduct,"
    "rnd_results,trades_count,trades_amount_krw"
)


def run(
    text: str | bytes, *, year: int, dry_run: bool = False, replace: bool = False, filename: str = "s.csv"
):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return import_file(
        "survey",
        data,
        actor=None,
        dry_run=dry_run,
        filename=filename,
        options={"year": year, "replace": replace},
    )


def csv(world, *rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def test_booleans_and_rates_in_every_spelling(world):
    y = world.year
    report = run(
        csv(
            world,
            f'seoul-s01,{y},12,11,85%,Y,N,예,2,3,"1,500,000"',
            f"seoul-s02,{y},9,10,70,O,X,아니오,0,,",
            f"busan-s01,{y},20,12,69.95 %,1,0,true,1,0,0",
        ),
        year=y,
    )
    assert report.ok, report.errors
    answers = {r.group.code: r for r in SurveyResponse.objects.select_related("group")}
    a, b, c = answers["seoul-s01"], answers["seoul-s02"], answers["busan-s01"]
    assert (a.purpose_info, a.purpose_resource, a.purpose_newproduct) == (True, False, True)
    assert (b.purpose_info, b.purpose_resource, b.purpose_newproduct) == (True, False, False)
    assert (c.purpose_info, c.purpose_resource, c.purpose_newproduct) == (True, False, True)
    assert a.attendance_rate == Decimal("85.0") and a.trades_amount_krw == 1_500_000
    assert c.attendance_rate == Decimal("70.0")  # 69.95 rounds half-up to one decimal
    assert b.trades_count == 0 and b.trades_amount_krw == 0
    assert all(r.is_submitted and r.source == "import" for r in answers.values())


def test_bad_rows_write_nothing_and_say_why_in_korean(world):
    y = world.year
    report = run(
        csv(
            world,
            f"seoul-s01,{y},12,11,101,Y,N,N,0,0,0",
            f"nope-999,{y},12,11,80,Y,N,N,0,0,0",
            f"seoul-s02,{y - 1},12,11,80,Y,N,N,0,0,0",
            f"busan-s01,{y},12,11,80,아마,N,N,0,0,0",
            f"seoul-new,{y},5,3,80,Y,N,N,0,0,0",
        ),
        year=y,
    )
    assert not report.ok
    by_row = {(e.row, e.column): e.message for e in report.errors}
    assert "0~100" in by_row[(2, "attendance_rate")]
    assert "등록되지 않은 교류회" in by_row[(3, "group_code")]
    assert "--year" in by_row[(4, "year")]
    assert "예/아니오" in by_row[(5, "purpose_info")]
    assert "조사 대상이 아닙니다" in by_row[(6, "group_code")]
    assert not SurveyResponse.objects.exists()


def test_unknown_year_and_duplicate_rows(world):
    report = run(csv(world, f"seoul-s01,{world.year - 5},1,1,80,Y,N,N,0,0,0"), year=world.year - 5)
    assert [e.message for e in report.errors] == [f"{world.year - 5}년 실태조사가 개설되지 않았습니다."]
    y = world.year
    report = run(csv(world, f"seoul-s01,{y},1,1,80,Y,N,N,0,0,0", f"seoul-s01,{y},2,2,80,Y,N,N,0,0,0"), year=y)
    assert any("3행" not in e.message and "2행에도" in e.message for e in report.errors)
    assert not SurveyResponse.objects.exists()


def test_second_import_needs_replace(world):
    y = world.year
    assert run(csv(world, f"seoul-s01,{y},12,11,80,Y,N,N,0,0,0"), year=y).ok
    again = run(csv(world, f"seoul-s01,{y},15,9,75,Y,Y,N,1,0,0"), year=y)
    assert not again.ok and "--replace" in again.errors[0].message
    assert SurveyResponse.objects.get().members == 12
    dry = run(csv(world, f"seoul-s01,{y},15,9,75,Y,Y,N,1,0,0"), year=y, replace=True, dry_run=True)
    assert dry.ok and dry.updated == 1 and SurveyResponse.objects.get().members == 12
    replaced = run(csv(world, f"seoul-s01,{y},15,9,75,Y,Y,N,1,0,0"), year=y, replace=True)
    assert replaced.ok and replaced.updated == 1
    answer = SurveyResponse.objects.get()
    assert (answer.members, answer.meetings, answer.purpose_resource, answer.rnd_results) == (15, 9, True, 1)


def test_cp949_and_korean_headers(world):
    y = world.year
    text = (
        "교류회 코드,조사 연도,회원사 수,월례회 개최 횟수,평균 참석률,정보교환,자원협력,신제품개발,"
        "융합기술개발 실적,수발주 건수,수발주 금액\n"
        f"seoul-s01,{y},12,11,90%,예,아니오,예,1,2,300000\n"
    )
    report = run(text.encode("cp949"), year=y)
    assert report.ok, report.errors
    assert SurveyResponse.objects.get().purpose_newproduct is True


def test_xlsx(world, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["seoul-s01", world.year, 12, 11, 0.5 * 180, "Y", "N", "N", 0, 0, 0])
    path = tmp_path / "s.xlsx"
    book.save(path)
    report = import_file(
        "survey",
        path.read_bytes(),
        actor=None,
        dry_run=False,
        filename="s.xlsx",
        options={"year": world.year},
    )
    assert report.ok, report.errors
    assert SurveyResponse.objects.get().attendance_rate == Decimal("90.0")


@pytest.mark.parametrize("value", ["abc", "-1", "100.1", True])
def test_rate_cell_rejects(value):
    with pytest.raises(ValueError, match="숫자가 아닙니다|0~100 사이"):
        cell_rate(value)
