"""The selection pages end to end: the proposal (central staff), its confirmation (once, even two staff at
once), the decision record and its XLSX, and an applicant's own result without reviewer names."""

from __future__ import annotations

import datetime
import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import FirmFactory
from tests.helpers import assert_no_writes, at_once
from tests.programmes.factories import make_application, make_call, make_review, make_reviewer
from tests.web.conftest import network  # noqa: F401  (the fixture)
from tests.write_once_support import COMMITTED_ROWS, messages_of, postgres_only, token_of
from yunghap.programmes import selection
from yunghap.programmes.models import Application, SelectionDecision, SelectionResult
from yunghap.programmes.selection_services import decide_selection

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def closed_call(**fields):
    today = timezone.localdate()
    fields.setdefault("opens_on", today - datetime.timedelta(days=40))
    fields.setdefault("closes_on", today - datetime.timedelta(days=10))
    return make_call(reviews_per_application=2, budget_krw=30_000_000, **fields)


@pytest.fixture
def call(network):  # noqa: F811
    call = closed_call(code="c-page")
    reviewers = [make_reviewer(f"page-rev{i}") for i in range(2)]
    for i, reviewer in enumerate(reviewers):
        reviewer.user.name = f"김평가{i}"
        reviewer.user.save(update_fields=["name"])
    own = make_application(
        call,
        network.member_firm,
        [network.chair_firm],
        ref="P-1",
        title="센서 하우징 융합 과제",
        government=20_000_000,
    )
    make_review(own, reviewers[0], 80, comment="협력 구성이 탄탄합니다.", criterion_scores={"technology": 32})
    make_review(own, reviewers[1], 91, comment="시장성이 분명합니다.")
    other = make_application(call, FirmFactory(name="다른기업"), ref="P-2", government=15_000_000)
    make_review(other, reviewers[0], 75)
    make_review(other, reviewers[1], 75)
    low = make_application(call, FirmFactory(name="낮은기업"), ref="P-3", government=5_000_000)
    make_review(low, reviewers[0], 60)
    make_review(low, reviewers[1], 61)
    make_application(
        call,
        FirmFactory(name="부적격기업"),
        ref="P-4",
        eligibility=Application.Eligibility.INELIGIBLE,
        breaches=[{"code": "members", "params": {"count": 1, "min": 3}}],
    )
    return call


def url(name, call):
    return reverse(f"programmes:{name}", kwargs={"code": call.code})


def test_the_proposal_page_shows_the_table_and_totals(client, network, call, django_assert_max_num_queries):  # noqa: F811
    client.force_login(network.users["central"])
    with assert_no_writes(), django_assert_max_num_queries(12):
        response = client.get(url("selection_proposal", call))
    assert response.status_code == 200
    html = response.content.decode()
    assert "센서 하우징 융합 과제" in html and "새영테크" in html
    assert "85.50" in html  # (80 + 91) / 2
    assert "20,000,000원" in html and "30,000,000원" in html
    assert "남은 예산 부족(정부지원금 초과)" in html  # P-2 does not fit the 10,000,000 left
    assert "선정 기준 점수 미달" in html
    assert "참여기업이 주관기업을 포함해 1개로, 최소 3개에 못 미칩니다." in html
    assert reverse("programmes:selection_confirm", kwargs={"code": call.code}) in html


def test_others_are_refused_and_a_draft_is_not_found(client, network, call):  # noqa: F811
    client.force_login(network.users["seoul"])
    assert client.get(url("selection_proposal", call)).status_code == 403
    assert client.get(url("selection_confirm", call)).status_code == 403
    draft = make_call(code="c-page-draft", published=False)
    assert client.get(url("selection_proposal", draft)).status_code == 404
    assert client.get(url("selection_record", call)).status_code == 404  # not decided yet


def test_confirming_records_who_when_and_the_rule_set_once(client, network, call):  # noqa: F811
    central = network.users["central"]
    client.force_login(central)
    first = client.get(url("selection_confirm", call))
    second = client.get(url("selection_confirm", call))
    assert "선정 1건, 정부지원금 합계 20,000,000원" in first.content.decode()
    response = client.post(
        url("selection_confirm", call), {"form_token": token_of(first), "note": "2026-03-10 위원회 의결"}
    )
    assert response.status_code == 302 and response["Location"] == url("selection_record", call)
    decision = SelectionDecision.objects.get(call=call)
    assert decision.decided_by == central and decision.note == "2026-03-10 위원회 의결"
    assert decision.rules_revision == 1 and decision.rules["budget_krw"] == 30_000_000
    assert decision.proposal["selected"] == [
        {"ref": "P-1", "rank": 1, "score": 85.5, "government_krw": 20_000_000}
    ]
    # The same page posted again, and a second page opened before the decision: nothing more is written.
    again = client.post(url("selection_confirm", call), {"form_token": token_of(first)})
    assert again.status_code == 302
    late = client.post(url("selection_confirm", call), {"form_token": token_of(second)})
    assert late.status_code == 302 and late["Location"] == url("selection_record", call)
    assert messages_of(late)[-1] == f"{call.code} 공모의 선정 결과는 이미 확정되었습니다."
    assert SelectionDecision.objects.count() == 1 and SelectionResult.objects.count() == 4
    page = client.get(url("selection_confirm", call)).content.decode()
    assert "이미 확정되었습니다" in page and 'id="confirm-form"' not in page


def test_an_open_call_cannot_be_confirmed_on_the_page(client, network):  # noqa: F811
    open_call = make_call(code="c-page-open")
    client.force_login(network.users["central"])
    page = client.get(url("selection_confirm", open_call)).content.decode()
    assert "접수 중인 공모는 선정을 확정할 수 없습니다" in page and 'id="confirm-form"' not in page


def test_the_record_and_its_xlsx_for_every_staff(client, network, call, django_assert_max_num_queries):  # noqa: F811
    decide_selection(call, actor=network.users["central"], note="의결")
    client.force_login(network.users["busan"])
    with assert_no_writes(), django_assert_max_num_queries(10):
        response = client.get(url("selection_record", call))
    assert response.status_code == 200
    html = response.content.decode()
    assert "규칙 1차" in html and "의결" in html and "P-4" in html and "선정 기준 점수 미달" in html
    download = client.get(url("selection_record_download", call))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="selection-{call.code}.xlsx"'
    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "순위",
        "접수번호",
        "과제명",
        "주관기업",
        "점수",
        "정부지원금(원)",
        "결과",
        "사유 코드",
        "사유",
    ]
    assert rows[1][:8] == [1, "P-1", "센서 하우징 융합 과제", "새영테크", 85.5, 20_000_000, "선정", None]
    assert [r[1] for r in rows[1:]] == ["P-1", "P-2", "P-3", "P-4"]
    assert rows[2][6:8] == ["미선정", "budget"] and rows[4][6:8] == ["부적격", "members"]
    client.force_login(network.users["firm"])
    assert client.get(url("selection_record", call)).status_code == 403


def test_the_applicant_sees_its_result_and_comments_without_reviewer_names(
    client,
    network,  # noqa: F811
    call,
    django_assert_max_num_queries,
):
    own = Application.objects.get(call=call, ref="P-1")
    result_url = reverse("programmes:application_result", kwargs={"pk": own.pk})
    client.force_login(network.users["firm"])
    assert client.get(result_url).status_code == 404  # before the decision
    decide_selection(call, actor=network.users["central"])
    with assert_no_writes(), django_assert_max_num_queries(12):
        response = client.get(result_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "선정" in html and "85.50" in html
    assert "협력 구성이 탄탄합니다." in html and "시장성이 분명합니다." in html
    assert "기술성: 32 / 40" in html
    assert "김평가" not in html and "page-rev" not in html
    # Another consortium's result is not found; the group's coordinator sees the application, not the result.
    other = Application.objects.get(call=call, ref="P-2")
    assert client.get(reverse("programmes:application_result", kwargs={"pk": other.pk})).status_code == 404
    client.force_login(network.users["coordinator"])
    assert client.get(result_url).status_code == 403


@postgres_only
@COMMITTED_ROWS
def test_two_staff_confirming_at_once_record_it_once(network, monkeypatch):  # noqa: F811
    """Each in its own connection: the second waits on the call's lock, then finds the decision."""
    call = closed_call(code="c-race")
    app = make_application(call, network.member_firm, ref="R-1", government=10_000_000)
    for i in range(2):
        make_review(app, make_reviewer(f"race-rev{i}"), 88)
    rows_of = selection.rows_of

    def slow_rows_of(locked):
        rows = rows_of(locked)
        time.sleep(0.4)  # inside the lock: the other confirmation arrives meanwhile
        return rows

    monkeypatch.setattr(selection, "rows_of", slow_rows_of)
    central = network.users["central"]
    other = type(central).objects.create_user(username="central2")
    from yunghap.accounts.models import Role, RoleGrant

    RoleGrant.objects.create(user=other, role=Role.CENTRAL_STAFF)

    def confirm(actor):
        return lambda: decide_selection(type(call).objects.get(pk=call.pk), actor=actor)

    results = at_once(confirm(central), confirm(other))
    refused = [r for r in results if isinstance(r, ValidationError)]
    recorded = [r for r in results if isinstance(r, SelectionDecision)]
    assert len(recorded) == 1 and len(refused) == 1, results
    assert refused[0].code == "decided"
    assert refused[0].messages == ["c-race 공모의 선정 결과는 이미 확정되었습니다."]
    assert SelectionDecision.objects.filter(call=call).count() == 1
    assert SelectionResult.objects.filter(decision__call=call).count() == 1


def test_a_draft_call_cannot_be_confirmed(client, network):  # noqa: F811
    draft = make_call(code="c-page-draft2", published=False)
    client.force_login(network.users["central"])
    page = client.get(url("selection_confirm", draft)).content.decode()
    assert "공개되지 않은 공모는 선정할 수 없습니다." in page and 'id="confirm-form"' not in page
    with pytest.raises(ValidationError) as refused:
        decide_selection(draft, actor=network.users["central"])
    assert refused.value.code == "unpublished"
    with pytest.raises(ValidationError) as forbidden:
        decide_selection(draft, actor=network.users["seoul"])
    assert forbidden.value.code == "forbidden"
