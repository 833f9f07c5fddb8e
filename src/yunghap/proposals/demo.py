"""Demo policy proposals (`yunghap demo`): ten proposals of the demo users in every state — public ones with
support and published answers, private ones, one awaiting a correction, one overdue, one withdrawn and one
hidden by three reports. Made through the services (audit rows, notices); idempotent (skipped when any
exists); without the demo users it says so and makes nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from .models import PolicyProposal

# (author, title, public, path of moves, days since submission, supporters, outcome, forwarded to)
PROPOSALS: list[tuple[str, str, bool, list[str], int, list[str], str, str]] = [
    (
        "firm",
        "R&D 과제 신청서류 중복 제출 폐지",
        True,
        ["start_review", "answer", "publish_answer", "close"],
        40,
        ["officer", "seoul", "coordinator"],
        "accepted",
        "",
    ),
    (
        "officer",
        "이업종교류회 월례회 비용의 지원 항목 인정",
        True,
        ["start_review", "answer", "publish_answer"],
        25,
        ["firm", "coordinator"],
        "partly",
        "",
    ),
    (
        "firm",
        "중소기업 공동 특허출원 수수료 감면 확대",
        True,
        ["start_review", "answer", "publish_answer"],
        20,
        ["officer"],
        "forwarded",
        "특허청",
    ),
    (
        "coordinator",
        "협력체 매칭자금 기업부담 현물 인정 비율 상향",
        True,
        ["start_review", "answer"],
        12,
        ["firm", "officer", "seoul"],
        "not_accepted",
        "",
    ),
    ("firm", "지역 전시회 참가비 지원 신청 기간 연장", True, ["start_review"], 18, ["officer"], "", ""),
    (
        "officer",
        "교류회 회원사 실태조사 항목 간소화",
        False,
        ["start_review", "ask_correction"],
        9,
        [],
        "",
        "",
    ),
    ("firm", "기술파트너 매칭 결과의 공개 범위 조정", False, [], 3, [], "", ""),
    ("seoul", "지역연합회 행사 보조금 정산 서식 통일", True, [], 2, ["firm"], "", ""),
    ("firm", "수출 바우처 사업 중복 지원 제한 완화", False, ["withdraw"], 7, [], "", ""),
    ("officer", "홍보용 공개 건의(신고로 숨김 예시)", True, [], 5, [], "", ""),
]
REPORTERS = ("firm", "seoul", "coordinator")
ANSWERS = {
    "accepted": "건의 내용을 반영해 다음 공고부터 한 번 낸 서류는 다시 내지 않도록 바꾸었습니다.",
    "partly": "월례회 장소 임차료는 인정하되 식비는 계속 제외합니다.",
    "forwarded": "수수료 감면은 특허청 소관이어서 건의를 이송했습니다. 특허청에서 직접 답변드릴 예정입니다.",
    "not_accepted": "현물 인정 비율은 정부 지침에 따라 정해져 있어 올해는 바꾸기 어렵습니다.",
}


def build_demo(*, seed: int, stdout: Any) -> None:
    from yunghap.accounts.models import User

    from . import services

    if PolicyProposal.objects.exists():
        stdout.write("제도개선 건의: 이미 있어 시연 데이터를 만들지 않았습니다.")
        return
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["central", "seoul", "officer", "firm", "coordinator"])
    }
    if "central" not in users or "firm" not in users:
        stdout.write("제도개선 건의: 시연 사용자가 없어 만들지 않았습니다.")
        return
    central = users["central"]
    now = timezone.now()
    made = 0
    for author_name, title, public, path, days, fans, outcome, forwarded in PROPOSALS:
        author = users.get(author_name) or users["firm"]
        proposal = services.submit_proposal(
            actor=author,
            title=title,
            problem=f"{title}: 현장의 중소기업이 같은 절차를 되풀이하느라 시간과 비용을 씁니다.",
            proposal="절차를 한 번으로 줄이고, 이미 낸 자료는 기관끼리 주고받도록 해 주세요.",
            law="중소기업기술혁신촉진법" if made % 2 == 0 else "이업종교류 지원사업 운영지침",
            is_public=public,
        )
        PolicyProposal.objects.filter(pk=proposal.pk).update(submitted_at=now - datetime.timedelta(days=days))
        proposal.refresh_from_db()
        for action in path:
            extra: dict[str, Any] = {}
            if action == "ask_correction":
                extra = {"text": "관련 공문이나 사례를 붙여 주세요."}
            elif action == "answer":
                extra = {"text": ANSWERS[outcome], "outcome": outcome, "forwarded_to": forwarded}
            actor = author if action == "withdraw" else central
            proposal = services.move_proposal(proposal, action, actor=actor, **extra)
        for fan in fans:
            if fan in users and users[fan].pk != author.pk:
                services.support_proposal(proposal, actor=users[fan])
        if title.startswith("홍보용"):
            for reporter in REPORTERS:
                services.report_proposal(proposal, actor=users[reporter], reason="광고성 내용입니다.")
        made += 1
    stdout.write(f"제도개선 건의: {made}건 (공개 7, 비공개 3, 신고로 숨김 1)")


def reset_demo() -> None:
    PolicyProposal.objects.all().delete()
