"""Proposals in any state, made through the services (as users would)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from yunghap.proposals import services
from yunghap.proposals.models import PolicyProposal

PDF = b"%PDF-1.4\n%test\n"


def pdf(name: str = "건의서.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# The moves that lead to each state from "submitted".
PATHS: dict[str, list[str]] = {
    "submitted": [],
    "in_review": ["start_review"],
    "correction": ["start_review", "ask_correction"],
    "answered": ["start_review", "answer"],
    "published": ["start_review", "answer", "publish_answer"],
    "closed": ["start_review", "answer", "publish_answer", "close"],
    "withdrawn": ["withdraw"],
}


def make_proposal(
    author: Any,
    *,
    staff: Any = None,
    state: str = "submitted",
    title: str = "기술개발 사업 신청서류 간소화",
    is_public: bool = False,
    attachments: tuple[Any, ...] = (),
    firm: Any = None,
) -> PolicyProposal:
    proposal = services.submit_proposal(
        actor=author,
        title=title,
        problem="신청할 때마다 같은 서류를 다시 냅니다.",
        proposal="한 번 낸 서류는 다시 내지 않게 해 주세요.",
        law="중소기업기술혁신촉진법",
        firm=firm,
        is_public=is_public,
        attachments=list(attachments),
    )
    for action in PATHS[state]:
        actor = author if action == "withdraw" else staff
        extra: dict[str, Any] = {}
        if action == "ask_correction":
            extra = {"text": "관련 공문을 붙여 주세요."}
        if action == "answer":
            extra = {"text": "검토하여 내년 공고부터 반영하겠습니다.", "outcome": "accepted"}
        proposal = services.move_proposal(proposal, action, actor=actor, **extra)
    return proposal
