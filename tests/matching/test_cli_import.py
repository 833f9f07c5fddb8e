from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command

from tests.factories import FirmFactory, industry
from yunghap.core.imports import import_file
from yunghap.matching.models import Capability, Posting

from .conftest import NEED, OFFER

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(firms, vocabulary, post):
    need = post(firms["seeker"], NEED, "사출 금형 협력사 구함")
    offer = post(firms["molder"], OFFER, "정밀 몰드 제작", "사출성형 가능")
    post(firms["same_div"], OFFER, "금형 제작")
    return need, offer


def run(*args: str) -> object:
    out, err = io.StringIO(), io.StringIO()
    call_command("recommend", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue())


def test_firm_json_is_a_ranked_list_with_reasons(world, firms):
    result = run("--firm", firms["seeker"].brn, "--format", "json")
    assert [r["brn"] for r in result] == [firms["molder"].brn]
    assert isinstance(result[0]["score"], float) and result[0]["score"] > 0
    assert all(isinstance(reason, str) for reason in result[0]["reasons"])
    assert not {"phone", "email", "representative"} & set(result[0])


def test_include_same_industry_flag(world, firms):
    result = run("--firm", firms["seeker"].brn, "--include-same-industry", "--top", "5", "--format", "json")
    assert {r["brn"] for r in result} == {firms["molder"].brn, firms["same_div"].brn}
    assert result == sorted(result, key=lambda r: -r["score"])


def test_posting_offer_lists_firms_that_need_it(world, firms):
    _need, offer = world
    result = run("--posting", str(offer.pk), "--format", "json")
    assert [r["brn"] for r in result] == [firms["seeker"].brn]


def test_firms_file_answers_many_firms_keyed_by_brn(world, firms, tmp_path):
    listing = tmp_path / "brns.txt"
    listing.write_text(f"{firms['seeker'].brn}\n{firms['lookalike'].brn}\n", encoding="utf-8")
    result = run("--firms", str(listing), "--format", "json")
    assert set(result) == {firms["seeker"].brn, firms["lookalike"].brn}
    assert result[firms["seeker"].brn][0]["brn"] == firms["molder"].brn
    assert result[firms["lookalike"].brn] == []  # no open needs: empty, not an error


def _csv(tmp_path, rows: list[str]):
    path = tmp_path / "postings.csv"
    path.write_text("\n".join(["brn,kind,title,description,keywords,expires_on", *rows]), encoding="utf-8")
    return path


def test_posting_import_all_or_nothing_with_korean_errors(tmp_path, django_capture_on_commit_callbacks):
    firm = FirmFactory(industry=industry("29"))
    soon = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    bad = _csv(
        tmp_path,
        [
            f"{firm.brn},제공,금형 제작,정밀 금형,금형;몰드,{soon}",
            f"{firm.brn},판매,무엇,,,{soon}",
            f"1234567890,need,센서,,,{soon}",
            f"{firm.brn},need,,,,2001-01-01",
        ],
    )
    report = import_file("postings", str(bad), actor=None, dry_run=False, filename="postings.csv")
    assert not report.ok and Posting.objects.count() == 0
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "offer/need" in messages[(3, "kind")]
    assert "사업자등록번호" in messages[(4, "brn")] or "회원사" in messages[(4, "brn")]
    assert (5, "title") in messages and "지났습니다" in messages[(5, "expires_on")]

    good = _csv(
        tmp_path,
        [f"{firm.brn},제공,금형 제작,정밀 금형,금형;몰드,{soon}", f"{firm.brn},수요,PLC 제어,,,{soon}"],
    )
    dry = import_file("postings", str(good), actor=None, dry_run=True, filename="postings.csv")
    assert dry.ok and dry.created == 2 and Posting.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        done = import_file("postings", str(good), actor=None, dry_run=False, filename="postings.csv")
    assert done.created == 2
    offer = Posting.objects.get(kind=OFFER)
    assert offer.keywords == ["금형", "몰드"] and "금형" in offer.terms  # analysed after commit
    again = import_file("postings", str(good), actor=None, dry_run=False, filename="postings.csv")
    assert again.unchanged == 2 and Posting.objects.count() == 2


def test_capability_import_creates_and_updates_vocabulary(tmp_path):
    path = tmp_path / "capabilities.csv"
    path.write_text(
        "역량명,동의어,영문 용어,관련 업종\n금형 제작,몰드;금형,mold,29;22\n도금,전기도금,plating,XX\n",
        encoding="utf-8-sig",
    )
    report = import_file("capabilities", str(path), actor=None, dry_run=False, filename="capabilities.csv")
    assert not report.ok and "KSIC" in report.errors[0].message and not Capability.objects.exists()
    path.write_text(
        "역량명,동의어,영문 용어,관련 업종\n금형 제작,몰드;금형,mold,29;22\n", encoding="utf-8-sig"
    )
    assert import_file("capabilities", str(path), actor=None, dry_run=False, filename="c.csv").created == 1
    mold = Capability.objects.get()
    assert mold.synonyms == ["몰드", "금형"] and {i.code for i in mold.industries.all()} == {"29", "22"}
    assert import_file("capabilities", str(path), actor=None, dry_run=False, filename="c.csv").unchanged == 1
