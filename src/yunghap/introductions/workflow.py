"""The introduction workflow as data: its states, the moves between them, who may make each move, and whom
each move concerns. Services (introductions.services) enforce this table and nothing else does.

A coordinator proposes two firms to each other; both are asked and answer before a deadline; then a
meeting, an outcome, and six months later a follow-up asking what came of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class State(models.TextChoices):
    PROPOSED = "proposed", _("제안 작성")
    AWAITING = "awaiting", _("응답 대기")
    ACCEPTED = "accepted", _("양측 수락")
    DECLINED = "declined", pgettext_lazy("state", "거절")
    EXPIRED = "expired", _("응답 기한 경과")
    MEETING_SCHEDULED = "meeting_scheduled", _("미팅 예정")
    MET = "met", _("미팅 완료")
    OUTCOME_RECORDED = "outcome_recorded", _("성과 기록")
    FOLLOW_UP_DUE = "follow_up_due", _("후속 확인 필요")
    CLOSED = "closed", _("종결")
    WITHDRAWN = "withdrawn", _("철회")


class Outcome(models.TextChoices):
    NONE = "none", _("성과 없음")
    NDA = "nda", _("비밀유지계약(NDA)")
    JOINT_DEVELOPMENT = "joint_development", _("공동 기술개발")
    TRADE = "trade", _("거래(수발주)")
    CONSORTIUM = "consortium", _("협력체(컨소시엄) 구성")


class Actor(models.TextChoices):
    """Who may make a move. PARTY is a user of one of the two introduced firms, acting for that firm."""

    COORDINATOR = "coordinator", _("코디네이터")
    PARTY = "party", _("소개 대상 기업")
    SYSTEM = "system", _("시스템")


class Audience(models.TextChoices):
    COORDINATOR = "coordinator", _("코디네이터")
    PARTIES = "parties", _("양측 기업")
    OTHER_PARTY = "other_party", _("상대 기업")


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    # Whom the move concerns (the actor is never notified of their own move).
    audience: frozenset[str]
    message: str
    # The move completes only when both firms have made it; until then the state stays where it is and
    # `partial_message` goes out instead.
    needs_both_parties: bool = False
    partial_message: str = ""


def _t(action, label, sources, target, actors, audience, message, **kw) -> Transition:
    return Transition(
        action, label, frozenset(sources), target, frozenset(actors), frozenset(audience), message, **kw
    )


S, A, W = State, Actor, Audience
# Messages take %(seeker)s, %(partner)s, %(actor_firm)s and %(deadline)s.
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t(
            "send",
            _("소개 요청 보내기"),
            {S.PROPOSED},
            S.AWAITING,
            {A.COORDINATOR},
            {W.PARTIES},
            _(
                "코디네이터가 %(seeker)s와(과) %(partner)s의 기술파트너 소개를 요청했습니다. %(deadline)s까지 응답해 주세요."
            ),
        ),
        _t(
            "accept",
            _("수락"),
            {S.AWAITING},
            S.ACCEPTED,
            {A.PARTY},
            {W.COORDINATOR, W.OTHER_PARTY},
            _(
                "%(seeker)s–%(partner)s 소개: 양측이 모두 수락했습니다. 이제 상대 기업의 연락처를 볼 수 있습니다."
            ),
            needs_both_parties=True,
            partial_message=_(
                "%(actor_firm)s이(가) %(seeker)s–%(partner)s 소개를 수락했습니다. 상대 기업의 응답을 기다립니다."
            ),
        ),
        _t(
            "decline",
            _("거절"),
            {S.AWAITING},
            S.DECLINED,
            {A.PARTY},
            {W.COORDINATOR, W.OTHER_PARTY},
            _("%(seeker)s–%(partner)s 소개가 성사되지 않았습니다(%(actor_firm)s 거절)."),
        ),
        _t(
            "expire",
            _("기한 경과 처리"),
            {S.AWAITING},
            S.EXPIRED,
            {A.SYSTEM},
            {W.COORDINATOR, W.PARTIES},
            _("%(seeker)s–%(partner)s 소개 요청의 응답 기한(%(deadline)s)이 지났습니다."),
        ),
        _t(
            "extend",
            _("기한 연장 후 재요청"),
            {S.AWAITING, S.EXPIRED},
            S.AWAITING,
            {A.COORDINATOR},
            {W.PARTIES},
            _("%(seeker)s–%(partner)s 소개 요청의 응답 기한이 %(deadline)s(으)로 연장되었습니다."),
        ),
        _t(
            "schedule_meeting",
            _("미팅 일정 등록"),
            {S.ACCEPTED, S.MEETING_SCHEDULED},
            S.MEETING_SCHEDULED,
            {A.COORDINATOR, A.PARTY},
            {W.COORDINATOR, W.PARTIES},
            _("%(seeker)s–%(partner)s 미팅 일정이 등록되었습니다."),
        ),
        _t(
            "record_meeting",
            _("미팅 완료 기록"),
            {S.MEETING_SCHEDULED},
            S.MET,
            {A.COORDINATOR, A.PARTY},
            {W.COORDINATOR, W.PARTIES},
            _("%(seeker)s–%(partner)s 미팅이 완료로 기록되었습니다."),
        ),
        _t(
            "record_outcome",
            _("성과 기록"),
            {S.MET},
            S.OUTCOME_RECORDED,
            {A.COORDINATOR},
            {W.PARTIES},
            _("%(seeker)s–%(partner)s 소개의 성과가 기록되었습니다. 6개월 뒤 후속 확인을 요청드립니다."),
        ),
        _t(
            "follow_up_due",
            _("후속 확인 요청"),
            {S.OUTCOME_RECORDED},
            S.FOLLOW_UP_DUE,
            {A.SYSTEM},
            {W.COORDINATOR, W.PARTIES},
            _("%(seeker)s–%(partner)s 소개 후 6개월이 지났습니다. 그 뒤 어떤 결과가 있었는지 알려 주세요."),
        ),
        _t(
            "record_follow_up",
            _("후속 확인 기록"),
            {S.FOLLOW_UP_DUE},
            S.CLOSED,
            {A.COORDINATOR, A.PARTY},
            {W.COORDINATOR, W.PARTIES},
            _("%(seeker)s–%(partner)s 소개의 후속 확인이 기록되어 종결되었습니다."),
        ),
        _t(
            "withdraw",
            _("소개 철회"),
            {S.PROPOSED, S.AWAITING, S.ACCEPTED, S.MEETING_SCHEDULED},
            S.WITHDRAWN,
            {A.COORDINATOR},
            {W.PARTIES},
            _("코디네이터가 %(seeker)s–%(partner)s 소개를 철회했습니다."),
        ),
        _t(
            "close",
            _("종결"),
            {S.EXPIRED, S.DECLINED},
            S.CLOSED,
            {A.COORDINATOR},
            set(),
            _("%(seeker)s–%(partner)s 소개가 종결되었습니다."),
        ),
    ]
}

# States in which the introduction still needs someone's work (the coordinator's "open" list).
OPEN_STATES = frozenset({S.PROPOSED, S.AWAITING, S.ACCEPTED, S.MEETING_SCHEDULED, S.MET, S.FOLLOW_UP_DUE})
# Firms see an introduction only once it has been sent to them.
HIDDEN_FROM_PARTIES = frozenset({S.PROPOSED})

FOLLOW_UP_MONTHS = 6
DEFAULT_RESPONSE_DAYS = 14
MAX_RESPONSE_DAYS = 60


def allowed(action: str, state: str, actor: str) -> bool:
    transition = TRANSITIONS.get(action)
    return bool(transition and state in transition.sources and actor in transition.actors)


def actions_from(state: str, actor_kinds: set[str]) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources and t.actors & actor_kinds]
