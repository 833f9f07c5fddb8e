"""Staff grade the final result after the final report is accepted: 우수/보통/미흡, and 성실/불성실 for 미흡."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.programmes.progress_support import make_site
from yunghap.core.models import AuditLog
from yunghap.core.versions import StaleEdit
from yunghap.programmes.models import Agreement, Report
from yunghap.programmes.progress_services import grade_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return make_site()


def accepted_final(site):
    return site.report(Report.Kind.FINAL, status=Report.Status.ACCEPTED, due_in=-1)


def test_no_grade_before_the_final_report_is_accepted(site):
    site.report(Report.Kind.FINAL, status=Report.Status.SUBMITTED)
    with pytest.raises(ValidationError) as refused:
        grade_agreement(site.agreement, actor=site.users["central"], grade="excellent")
    assert refused.value.messages == ["최종보고가 승인된 뒤에 최종 평가를 할 수 있습니다."]


def test_only_central_staff_grade(site):
    accepted_final(site)
    for who in ("lead", "partner", "seoul"):
        with pytest.raises(PermissionDenied):
            grade_agreement(site.agreement, actor=site.users[who], grade="excellent")


@pytest.mark.parametrize(
    ("grade", "conduct", "errors"),
    [
        ("poor", "", {"conduct": ["미흡 등급은 성실 수행 또는 불성실 수행을 선택해 주세요."]}),
        ("fair", "sincere", {"conduct": ["수행 성실도는 미흡 등급일 때만 선택합니다."]}),
        ("great", "", {"grade": ["평가 등급을 선택해 주세요."]}),
    ],
)
def test_conduct_only_and_always_with_poor(site, grade, conduct, errors):
    accepted_final(site)
    with pytest.raises(ValidationError) as refused:
        grade_agreement(site.agreement, actor=site.users["central"], grade=grade, conduct=conduct)
    assert refused.value.message_dict == errors


def test_the_database_refuses_conduct_without_poor(site):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=site.agreement.pk).update(grade="fair", conduct="sincere")


def test_grade_poor_sincere_through_the_page_then_regrade(client, site):
    accepted_final(site)
    client.force_login(site.users["central"])
    url = reverse("programmes:agreement_grade", kwargs={"pk": site.agreement.pk})
    assert client.get(url).status_code == 200
    invalid = client.post(url, {"grade": "poor", "conduct": "", "version": site.agreement.version})
    assert invalid.status_code == 200
    assert "미흡 등급은 성실 수행 또는 불성실 수행을 선택해 주세요." in invalid.content.decode()
    done = client.post(url, {"grade": "poor", "conduct": "sincere", "version": site.agreement.version})
    assert done.status_code == 302
    graded = Agreement.objects.get(pk=site.agreement.pk)
    assert (graded.grade, graded.conduct, graded.graded_by) == ("poor", "sincere", site.users["central"])
    assert graded.version == site.agreement.version + 1
    page = client.get(reverse("programmes:agreement_reports", kwargs={"pk": site.agreement.pk}))
    assert "미흡</strong> · 성실 수행" in page.content.decode()
    # A second staff member working from the old page is stopped, not silently overwriting.
    stale = client.post(url, {"grade": "excellent", "conduct": "", "version": site.agreement.version})
    assert stale.status_code == 200 and "다른 사용자가 먼저 이 정보를 수정했습니다." in stale.content.decode()
    grade_agreement(graded, actor=site.users["central"], grade="excellent")
    regraded = Agreement.objects.get(pk=site.agreement.pk)
    assert (regraded.grade, regraded.conduct) == ("excellent", "")
    assert (
        AuditLog.objects.filter(
            action="programmes.agreement.update", object_id=str(site.agreement.pk)
        ).count()
        == 2
    )
    with pytest.raises(StaleEdit):
        grade_agreement(site.agreement, actor=site.users["central"], grade="fair")


def test_the_grading_page_explains_why_it_cannot_grade_yet(client, site):
    client.force_login(site.users["central"])
    page = client.get(reverse("programmes:agreement_grade", kwargs={"pk": site.agreement.pk}))
    assert (
        page.status_code == 200
        and "최종보고가 승인된 뒤에 최종 평가를 할 수 있습니다." in page.content.decode()
    )
    assert 'name="grade"' not in page.content.decode()
