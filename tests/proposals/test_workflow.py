"""The proposal's workflow: every move allowed and refused (Korean messages), the clock with its pause, the
author's withdrawal, and that support never moves anything."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import make_user
from tests.proposals.factories import make_proposal
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog, Notification
from yunghap.proposals import deadlines, services
from yunghap.proposals.models import PolicyProposal, ProposalState
from yunghap.proposals.workflow import MOVES

pytestmark = pytest.mark.django_db


def _at(proposal: PolicyProposal, days_ago: int) -> PolicyProposal:
    PolicyProposal.objects.filter(pk=proposal.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return PolicyProposal.objects.get(pk=proposal.pk)


def test_the_whole_path_notifies_the_author_on_commit(network, django_capture_on_commit_callbacks):  # noqa: F811
    firm, central = network.users["firm"], network.users["central"]
    with django_capture_on_commit_callbacks(execute=True):
        p = make_proposal(firm, staff=central, state="closed")
    assert p.state == ProposalState.CLOSED and p.outcome == "accepted"
    codes = list(Notification.objects.filter(recipient=firm).order_by("pk").values_list("code", flat=True))
    assert codes == [
        "proposals.submitted",
        "proposals.review_started",
        "proposals.answer_published",
        "proposals.closed",
    ]
    actions = set(AuditLog.objects.filter(object_id=str(p.pk)).values_list("action", flat=True))
    assert {"proposals.proposal.create", "proposals.proposal.answer", "proposals.proposal.close"} <= actions


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        ("submitted", "answer", "'접수' 상태에서는 답변 작성을 할 수 없습니다."),
        ("in_review", "start_review", "'검토 중' 상태에서는 검토 시작을 할 수 없습니다."),
        ("answered", "ask_correction", "'답변 완료' 상태에서는 보완 요청을 할 수 없습니다."),
        ("answered", "close", "답변을 공개한 뒤에 종결할 수 있습니다."),
        ("published", "publish_answer", "답변은 이미 공개되었습니다."),
        ("closed", "publish_answer", "'종결' 상태에서는 답변 공개를 할 수 없습니다."),
    ],
)
def test_moves_out_of_their_states_are_refused_in_korean(network, state, action, message):  # noqa: F811
    p = make_proposal(network.users["firm"], staff=network.users["central"], state=state)
    with pytest.raises(ValidationError) as refused:
        services.move_proposal(p, action, actor=network.users["central"], text="x", outcome="accepted")
    assert refused.value.messages == [message]


@pytest.mark.parametrize("persona", ["seoul", "busan", "officer", "coordinator", "nobody"])
def test_only_central_staff_move_the_workflow(network, persona):  # noqa: F811
    p = make_proposal(network.users["firm"], staff=network.users["central"])
    with pytest.raises(PermissionDenied):
        services.move_proposal(p, "start_review", actor=network.users[persona])
    with pytest.raises(PermissionDenied):
        services.move_proposal(p, "start_review", actor=network.users["firm"])  # the author neither


def test_the_author_withdraws_before_the_answer_and_not_after(network):  # noqa: F811
    firm, central = network.users["firm"], network.users["central"]
    for state in ("submitted", "in_review", "correction"):
        p = make_proposal(firm, staff=central, state=state)
        assert services.move_proposal(p, "withdraw", actor=firm).state == ProposalState.WITHDRAWN
    answered = make_proposal(firm, staff=central, state="answered")
    with pytest.raises(ValidationError) as refused:
        services.move_proposal(answered, "withdraw", actor=firm)
    assert refused.value.messages == ["'답변 완료' 상태에서는 철회를 할 수 없습니다."]
    with pytest.raises(PermissionDenied):
        services.move_proposal(make_proposal(firm, staff=central), "withdraw", actor=central)


def test_the_answer_needs_an_outcome_a_text_and_a_body_for_forwarding(network):  # noqa: F811
    p = make_proposal(network.users["firm"], staff=network.users["central"], state="in_review")
    with pytest.raises(ValidationError) as refused:
        services.move_proposal(p, "answer", actor=network.users["central"], outcome="forwarded", text="")
    assert refused.value.message_dict == {
        "forwarded_to": ["이송한 기관의 이름을 써 주세요."],
        "text": ["답변 내용을 써 주세요."],
    }
    done = services.move_proposal(
        p,
        "answer",
        actor=network.users["central"],
        outcome="forwarded",
        forwarded_to="중소벤처기업부",
        text="이송",
    )
    assert (done.state, done.forwarded_to) == (ProposalState.ANSWERED, "중소벤처기업부")


def test_due_date_is_14_days_plus_the_pause(network):  # noqa: F811
    firm, central = network.users["firm"], network.users["central"]
    p = _at(make_proposal(firm, staff=central, state="in_review"), 10)
    submitted = timezone.localdate(p.submitted_at)
    assert deadlines.due_date(p) == submitted + datetime.timedelta(days=14)
    p = services.move_proposal(p, "ask_correction", actor=central, text="공문을 붙여 주세요.")
    # Five days pass while the correction is pending: the due date moves with them.
    PolicyProposal.objects.filter(pk=p.pk).update(paused_since=timezone.now() - datetime.timedelta(days=5))
    p.refresh_from_db()
    assert deadlines.due_date(p) == submitted + datetime.timedelta(days=19)
    assert not deadlines.is_overdue(p, submitted + datetime.timedelta(days=19))
    p = services.move_proposal(p, "reply_correction", actor=firm, text="공문을 붙였습니다.")
    assert (p.state, p.paused_days, p.paused_since) == (ProposalState.IN_REVIEW, 5, None)
    assert deadlines.due_date(p) == submitted + datetime.timedelta(days=19)
    assert deadlines.is_overdue(p, submitted + datetime.timedelta(days=20))
    p = services.move_proposal(p, "answer", actor=central, text="반영", outcome="partly")
    assert deadlines.is_overdue(p, submitted + datetime.timedelta(days=20))  # not yet published
    p = services.move_proposal(p, "publish_answer", actor=central)
    assert not deadlines.is_overdue(p, submitted + datetime.timedelta(days=40))


def test_support_never_moves_the_workflow_nor_the_clock(network):  # noqa: F811
    firm, central = network.users["firm"], network.users["central"]
    p = _at(make_proposal(firm, staff=central, is_public=True), 20)
    before = (p.state, deadlines.due_date(p), deadlines.is_overdue(p), p.version)
    for index in range(5):
        services.support_proposal(p, actor=make_user(f"fan{index}", Role.FIRM_USER, firm=network.chair_firm))
    p.refresh_from_db()
    assert (p.state, deadlines.due_date(p), deadlines.is_overdue(p), p.version) == before
    assert p.supports.count() == 5
    # Every move reads the same with or without support: none of the workflow's rules names it.
    assert all("support" not in m.action for m in MOVES.values())


def test_support_once_per_user_never_by_the_author_and_only_public(network):  # noqa: F811
    firm, central = network.users["firm"], network.users["central"]
    p = make_proposal(firm, staff=central, is_public=True)
    services.support_proposal(p, actor=central)
    with pytest.raises(ValidationError) as again:
        services.support_proposal(p, actor=central)
    assert again.value.messages == ["이미 공감한 건의입니다."]
    with pytest.raises(PermissionDenied) as own:
        services.support_proposal(p, actor=firm)
    assert str(own.value) == "자신의 건의에는 공감을 할 수 없습니다."
    private = make_proposal(firm, staff=central)
    with pytest.raises(ValidationError) as hidden:
        services.support_proposal(private, actor=central)
    assert hidden.value.messages == ["공개된 건의에만 공감을 할 수 있습니다."]


def test_the_third_report_hides_until_staff_review(network, django_capture_on_commit_callbacks):  # noqa: F811
    firm, central = network.users["firm"], network.users["central"]
    p = make_proposal(firm, staff=central, is_public=True)
    reporters = [network.users[name] for name in ("seoul", "busan", "officer")]
    services.report_proposal(p, actor=reporters[0], reason="광고")
    with pytest.raises(ValidationError) as again:
        services.report_proposal(p, actor=reporters[0], reason="광고")
    assert again.value.messages == ["이미 신고한 건의입니다."]
    services.report_proposal(p, actor=reporters[1], reason="욕설")
    assert PolicyProposal.objects.public().filter(pk=p.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_proposal(p, actor=reporters[2], reason="개인정보")
    assert not PolicyProposal.objects.public().filter(pk=p.pk).exists()
    assert PolicyProposal.objects.visible_to(firm).filter(pk=p.pk).exists()  # the author still sees it
    assert not PolicyProposal.objects.visible_to(network.users["nobody"]).filter(pk=p.pk).exists()
    assert Notification.objects.filter(recipient=central, code="proposals.hidden_by_reports").count() == 1
    services.review_reports(p, "restore", actor=central)
    assert PolicyProposal.objects.public().filter(pk=p.pk).exists()
    with pytest.raises(ValidationError) as nothing:
        services.review_reports(p, "restore", actor=central)
    assert nothing.value.messages == ["검토를 기다리는 신고가 없습니다."]
    # Reviewed reports no longer count: three new ones hide it again.
    for name in ("coordinator", "nobody"):
        services.report_proposal(p, actor=network.users[name], reason="광고")
    assert PolicyProposal.objects.public().filter(pk=p.pk).exists()
    services.report_proposal(
        p, actor=make_user("third", Role.FIRM_USER, firm=network.chair_firm), reason="광고"
    )
    assert not PolicyProposal.objects.public().filter(pk=p.pk).exists()
    services.review_reports(p, "keep_hidden", actor=central)
    p.refresh_from_db()
    assert p.moderation == "kept_hidden" and not PolicyProposal.objects.public().filter(pk=p.pk).exists()


def test_hides_after_is_the_one_counting_rule():
    assert [services.hides_after(n) for n in range(5)] == [False, False, False, True, True]


def test_the_author_edits_until_review_with_a_version_check(network):  # noqa: F811
    from yunghap.core.versions import StaleEdit

    firm, central = network.users["firm"], network.users["central"]
    p = make_proposal(firm, staff=central)
    args = {"title": "새 제목", "problem": "문제", "proposal_text": "방안", "law": "", "is_public": True}
    done = services.edit_proposal(p, actor=firm, expected_version=1, **args)
    assert (done.title, done.is_public, done.version) == ("새 제목", True, 2)
    with pytest.raises(StaleEdit):
        services.edit_proposal(p, actor=firm, expected_version=1, **{**args, "title": "다른 제목"})
    reviewed = make_proposal(firm, staff=central, state="in_review")
    with pytest.raises(ValidationError) as refused:
        services.edit_proposal(reviewed, actor=firm, **args)
    assert refused.value.messages == ["'검토 중' 상태에서는 수정을 할 수 없습니다."]
