"""Result indicators (성과 지표): validation, who records, and the ledger Outcome rows they keep in step."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.programmes.progress_support import make_site
from yunghap.activities.models import Outcome
from yunghap.core.models import AuditLog
from yunghap.core.versions import StaleEdit
from yunghap.insights.models import StaleGroup
from yunghap.programmes.models import ResultIndicators
from yunghap.programmes.result_services import record_indicators, task_number_error

pytestmark = pytest.mark.django_db

VALUES = {
    "prototypes": 1,
    "patents_applied": 2,
    "patents_registered": 0,
    "patent_numbers": "10-2026-0012345",
    "sales_krw": 120_000_000,
    "jobs": 3,
    "follow_on_task_number": "s3312345",
    "follow_on_title": "",
}
FORMAT = (
    "후속 R&D 과제번호는 SMTECH(S와 숫자 7자리, 예: S3312345) 또는 IRIS(RS-연도-숫자 8자리, "
    "예: RS-2025-00412345) 형식이어야 합니다."
)


@pytest.fixture
def site():
    return make_site()


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("S3312345", True),
        ("s 3312345", True),
        ("RS-2025-00412345", True),
        ("rs-2025-00412345", True),
        ("", True),
        ("S331234", False),
        ("S33123456", False),
        ("RS-25-00412345", False),
        ("RS-2025-0041234", False),
        ("2025-00412345", False),
        ("IRIS-2025", False),
    ],
)
def test_task_number_formats(number, ok):
    assert task_number_error(number) == (None if ok else FORMAT)


def test_recording_creates_one_outcome_per_current_group_of_the_lead(site):
    indicators = record_indicators(site.agreement, actor=site.users["lead"], values=VALUES)
    assert indicators.follow_on_task_number == "S3312345"
    assert indicators.achieved_on == timezone.localdate()
    outcomes = list(Outcome.objects.filter(agreement=site.agreement).order_by("group_id"))
    assert [o.group for o in outcomes] == [site.group_a, site.group_b]  # not the group it left in 2015
    assert all(o.kind == "new_product" and o.achieved_on == timezone.localdate() for o in outcomes)
    # The partner is a member of group A only: it shares that group's result.
    assert set(outcomes[0].firms.all()) == {site.lead, site.partner}
    assert set(outcomes[1].firms.all()) == {site.lead}
    assert outcomes[0].title == f"{site.agreement.application.title} (협약 {site.agreement.application.ref})"
    assert outcomes[0].description == (
        "지원사업 협약 성과: 시제품 1건, 특허 출원 2건·등록 0건, 매출 120,000,000원, 고용 3명, 후속 R&D S3312345"
    )
    # The ledger's audit and the statistics' hook fired.
    assert AuditLog.objects.filter(action="outcome.create").count() == 2
    assert set(StaleGroup.objects.values_list("group_id", flat=True)) >= {site.group_a.pk, site.group_b.pk}


def test_updates_change_the_outcomes_in_place_and_zeros_remove_them(site):
    record_indicators(site.agreement, actor=site.users["lead"], values=VALUES)
    ids = set(Outcome.objects.filter(agreement=site.agreement).values_list("id", flat=True))
    indicators = record_indicators(
        site.agreement,
        actor=site.users["central"],
        values={**VALUES, "prototypes": 0, "patents_registered": 1},
        expected_version=1,
    )
    assert indicators.version == 2
    outcomes = Outcome.objects.filter(agreement=site.agreement)
    assert set(outcomes.values_list("id", flat=True)) == ids
    assert set(outcomes.values_list("kind", flat=True)) == {"patent"}
    # Unchanged values write nothing.
    again = record_indicators(
        site.agreement,
        actor=site.users["central"],
        values={**VALUES, "prototypes": 0, "patents_registered": 1},
    )
    assert again.version == 2
    with pytest.raises(StaleEdit):
        record_indicators(site.agreement, actor=site.users["lead"], values=VALUES, expected_version=1)
    zeros = dict.fromkeys(VALUES, 0) | {
        "patent_numbers": "",
        "follow_on_task_number": "",
        "follow_on_title": "",
    }
    record_indicators(site.agreement, actor=site.users["central"], values=zeros)
    assert not Outcome.objects.filter(agreement=site.agreement).exists()
    assert Outcome.all_objects.filter(agreement=site.agreement).count() == 2  # deleted, undoable


def test_who_records(site):
    for who in ("partner", "seoul", "outsider"):
        with pytest.raises(PermissionDenied):
            record_indicators(site.agreement, actor=site.users[who], values=VALUES)
    assert not ResultIndicators.objects.exists()


def test_bad_values_are_refused_with_korean_messages(site):
    with pytest.raises(ValidationError) as refused:
        record_indicators(
            site.agreement,
            actor=site.users["lead"],
            values={
                **VALUES,
                "sales_krw": -1,
                "jobs": 1.5,
                "follow_on_task_number": "",
                "follow_on_title": "후속",
            },
        )
    assert refused.value.message_dict == {
        "jobs": ["0 이상 100,000 이하의 정수로 입력해 주세요."],
        "sales_krw": ["매출액은 0원 이상의 정수(원)로 입력해 주세요."],
        "follow_on_task_number": ["후속 R&D 과제명을 적었다면 과제번호도 입력해 주세요."],
    }
    assert not Outcome.objects.exists()


def test_the_indicators_page(client, site):
    client.force_login(site.users["lead"])
    url = reverse("programmes:agreement_indicators", kwargs={"pk": site.agreement.pk})
    assert client.get(url).status_code == 200
    form = {k: ("" if v is None else v) for k, v in VALUES.items()}
    bad = client.post(url, {**form, "follow_on_task_number": "X-1", "sales_krw": "1.5"})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert FORMAT.replace("&", "&amp;") in html and "정수를 입력하세요." in html
    assert not ResultIndicators.objects.exists()
    done = client.post(url, form)
    assert done.status_code == 302
    assert ResultIndicators.objects.get().sales_krw == 120_000_000
    page = client.get(
        reverse("programmes:agreement_reports", kwargs={"pk": site.agreement.pk})
    ).content.decode()
    assert "120,000,000원" in page and "S3312345" in page and "가온교류회" in page
    client.force_login(site.users["partner"])
    assert client.get(url).status_code == 403
