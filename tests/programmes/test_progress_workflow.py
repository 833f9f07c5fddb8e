"""The report workflow: every move of the table and who may make it, every refused move, the settled
agreement, version checks, files checked before work and served only to those who see the agreement."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.programmes.progress_support import PDF, make_site
from yunghap.core.models import AuditLog, Notification
from yunghap.core.versions import StaleEdit
from yunghap.programmes import progress_reports as flow
from yunghap.programmes import progress_services as services
from yunghap.programmes.models import Agreement, Report

pytestmark = pytest.mark.django_db
S = Report.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def site():
    return make_site()


def run(action: str, report: Report, actor):
    if action == flow.SUBMIT:
        return services.submit_report(report, actor=actor, summary="진척 보고")
    if action == flow.ACCEPT:
        return services.review_report(report, actor=actor, accept=True)
    if action == flow.RETURN:
        return services.review_report(report, actor=actor, accept=False, comment="예산 집행표 보완")
    return services.skip_report(report, actor=actor, reason="협약 변경으로 중간보고 생략")


def test_the_table_is_the_documented_machine():
    assert [(m.from_state, m.action, m.to_state, m.who) for m in flow.MOVES] == [
        ("scheduled", "submit", "submitted", "lead"),
        ("returned", "submit", "submitted", "lead"),
        ("submitted", "accept", "accepted", "staff"),
        ("submitted", "return", "returned", "staff"),
        ("scheduled", "skip", "skipped", "staff"),
        ("returned", "skip", "skipped", "staff"),
    ]


@pytest.mark.parametrize(("state", "action"), list(itertools.product(S.values, flow.ACTIONS)))
def test_every_state_and_action(site, state, action):
    """Allowed moves land in the table's state for the table's role and are refused for every other role;
    moves not in the table are refused with the Korean message, whoever tries."""
    move = flow.move_for(state, action)
    report = site.report(status=state, skip_reason="사유" if state == S.SKIPPED else "")
    roles = {"lead": site.users["lead"], "staff": site.users["central"]}
    for who, user in [*roles.items(), ("partner", site.users["partner"]), ("seoul", site.users["seoul"])]:
        report.refresh_from_db()
        allowed_role = move is not None and move.who == who
        table_role = who in {m.who for m in flow.MOVES if m.action == action}
        if allowed_role:
            done = run(action, report, user)
            assert done.status == move.to_state
            report.status = state  # back for the next role
            Report.objects.filter(pk=report.pk).update(status=state)
            report.refresh_from_db()
        elif not table_role:
            with pytest.raises(PermissionDenied):
                run(action, report, user)
        else:
            with pytest.raises(ValidationError) as refused:
                run(action, report, user)
            assert refused.value.messages == [
                f"{Report.Status(state).label} 상태의 보고는 {flow.action_label(action)}할 수 없습니다."
            ]
            report.refresh_from_db()
            assert report.status == state


def test_a_settled_agreement_takes_no_report(site):
    report = site.report()
    Agreement.objects.filter(pk=site.agreement.pk).update(status=Agreement.Status.SETTLED)
    report.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.submit_report(report, actor=site.users["lead"], summary="늦은 보고")
    assert refused.value.messages == ["정산이 끝난 협약의 보고는 더 이상 제출하거나 처리할 수 없습니다."]
    assert Report.objects.get(pk=report.pk).status == S.SCHEDULED


def test_return_needs_a_comment_and_skip_a_reason(site):
    report = site.report(status=S.SUBMITTED)
    with pytest.raises(ValidationError) as no_comment:
        services.review_report(report, actor=site.users["central"], accept=False, comment=" ")
    assert no_comment.value.message_dict == {"comment": ["보완 요청 사유를 입력해 주세요."]}
    scheduled = site.report(seq=2)
    with pytest.raises(ValidationError) as no_reason:
        services.skip_report(scheduled, actor=site.users["central"], reason="")
    assert no_reason.value.message_dict == {"reason": ["생략 사유를 입력해 주세요."]}


def test_a_stale_edit_is_refused(site):
    report = site.report(status=S.SUBMITTED)
    read_at = report.version
    services.review_report(report, actor=site.users["central"], accept=False, comment="보완 1")
    resubmitted = Report.objects.get(pk=report.pk)
    services.submit_report(resubmitted, actor=site.users["lead"], summary="보완 제출")
    with pytest.raises(StaleEdit):
        services.review_report(report, actor=site.users["central"], accept=True, expected_version=read_at)


def test_submit_return_resubmit_accept_through_the_pages(client, site, django_capture_on_commit_callbacks):
    report = site.report()
    client.force_login(site.users["lead"])
    url = reverse("programmes:report_submit", kwargs={"pk": report.pk})
    page = client.get(url)
    assert page.status_code == 200 and "보고 내용" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url,
            {
                "summary": "시제품 1차 설계 완료",
                "version": report.version,
                "file": SimpleUploadedFile("중간보고.pdf", PDF, content_type="application/pdf"),
            },
        )
    assert done.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.summary, report.submitted_by) == (
        S.SUBMITTED,
        "시제품 1차 설계 완료",
        site.users["lead"],
    )
    assert Notification.objects.filter(
        recipient=site.users["central"], code="programmes.progress.report_submitted"
    ).exists()
    assert AuditLog.objects.filter(action="programmes.report.update", object_id=str(report.pk)).count() == 1

    client.force_login(site.users["central"])
    review = reverse("programmes:report_review", kwargs={"pk": report.pk})
    refused = client.post(review, {"decision": "return", "comment": "", "version": report.version})
    assert refused.status_code == 200 and "보완 요청 사유를 입력해 주세요." in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(
                review, {"decision": "return", "comment": "집행표 첨부", "version": report.version}
            ).status_code
            == 302
        )
    report.refresh_from_db()
    assert report.status == S.RETURNED and report.staff_comment == "집행표 첨부"
    note = Notification.objects.get(recipient=site.users["lead"], code="programmes.progress.report_returned")
    assert note.params["comment"] == "집행표 첨부"

    client.force_login(site.users["lead"])
    assert client.post(url, {"summary": "집행표 첨부했습니다", "version": report.version}).status_code == 302
    client.force_login(site.users["central"])
    report.refresh_from_db()
    assert (
        client.post(review, {"decision": "accept", "comment": "", "version": report.version}).status_code
        == 302
    )
    assert Report.objects.get(pk=report.pk).status == S.ACCEPTED
    # Accepted: the submit page says so and shows no form; a post is refused with the message.
    client.force_login(site.users["lead"])
    again = client.post(url, {"summary": "또 제출", "version": report.version + 1})
    assert again.status_code == 200
    assert "승인 상태의 보고는 제출할 수 없습니다." in again.content.decode()


def test_partner_reads_but_does_not_submit_and_outsider_gets_404(client, site):
    report = site.report(status=S.SUBMITTED, file=SimpleUploadedFile("r.pdf", PDF))
    client.force_login(site.users["partner"])
    assert (
        client.get(reverse("programmes:agreement_reports", kwargs={"pk": site.agreement.pk})).status_code
        == 200
    )
    assert client.get(reverse("programmes:report_submit", kwargs={"pk": report.pk})).status_code == 403
    download = client.get(reverse("programmes:report_file", kwargs={"pk": report.pk}))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.force_login(site.users["outsider"])
    for name, pk in [
        ("programmes:agreement_reports", site.agreement.pk),
        ("programmes:report_file", report.pk),
        ("programmes:report_submit", report.pk),
        ("programmes:agreement_indicators", site.agreement.pk),
    ]:
        assert client.get(reverse(name, kwargs={"pk": pk})).status_code == 404, name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.exe", b"MZ\x90\x00", "허용되지 않는 파일 형식입니다."),
        ("report.pdf", b"not a pdf", "파일 내용이 확장자(pdf)와 맞지 않습니다."),
    ],
)
def test_files_are_checked_before_anything_is_written(client, site, name, content, message):
    report = site.report()
    client.force_login(site.users["lead"])
    page = client.post(
        reverse("programmes:report_submit", kwargs={"pk": report.pk}),
        {"summary": "보고", "version": report.version, "file": SimpleUploadedFile(name, content)},
    )
    assert page.status_code == 200 and message in page.content.decode()
    report.refresh_from_db()
    assert report.status == S.SCHEDULED and not report.file and report.summary == ""


def test_a_file_over_ten_megabytes_is_refused(site):
    report = site.report()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        services.submit_report(report, actor=site.users["lead"], summary="보고", file=big)
    assert refused.value.message_dict == {"file": ["증빙 파일은 10MB 이하여야 합니다."]}
