"""A call's rules in plain sentences, for the firms who apply (the call page; later the portal and the API).

One function, `rules_sentences`, turns a rule set (a `Call`, or a revision's snapshot through
`CallRules.from_snapshot`) into the sentences a firm reads, in the reader's language; `window_text` and
`state_of` say when the call takes submissions. Figures are written as staff write them: `20,000,000원`,
`75%`, dates `YYYY-MM-DD` with the hour in KST.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .rules import CallRules, percent, won
from .scoring import TRIM_FROM

# The state of a call, as firms see it (and central staff, for drafts).
DRAFT = "draft"
UPCOMING = "upcoming"
OPEN = "open"
CLOSED = "closed"
STATE_LABELS = {
    DRAFT: gettext_lazy("공개 전(작성 중)"),
    UPCOMING: gettext_lazy("접수 예정"),
    OPEN: gettext_lazy("접수 중"),
    CLOSED: gettext_lazy("마감"),
}


def state_of(call: Any, now: datetime.datetime | None = None) -> str:
    """`draft`, `upcoming`, `open` or `closed` (the window in KST, as `Call.window_bounds`)."""
    if call.published_at is None:
        return DRAFT
    now = now or timezone.now()
    opens, closes = call.window_bounds()
    if now < opens:
        return UPCOMING
    if now < closes:
        return OPEN
    return CLOSED


def state_label(call: Any, now: datetime.datetime | None = None) -> str:
    return str(STATE_LABELS[state_of(call, now)])


def window_text(opens_on: datetime.date, closes_on: datetime.date) -> str:
    """`2026-12-01 00:00 ~ 2026-12-20 24:00 (한국 시간)`: the last day is taken whole."""
    return _("%(opens)s 00:00 ~ %(closes)s 24:00 (한국 시간)") % {
        "opens": opens_on.isoformat(),
        "closes": closes_on.isoformat(),
    }


def rules_sentences(rules: CallRules | Any) -> list[str]:
    """The rule set in plain sentences, budget first, then the consortium, the review and the selection.

    `rules` is a `CallRules` or anything `CallRules.of` reads (a `Call`)."""
    if not isinstance(rules, CallRules):
        rules = CallRules.of(rules)
    figures = {
        "cap": won(rules.grant_cap_krw),
        "government_max": percent(rules.government_share_max),
        "firm_min": percent(rules.firm_share_min),
        "cash_min": percent(rules.firm_cash_share_min),
    }
    sentences = []
    if rules.cap_applies_to == "total":
        sentences.append(
            _(
                "총사업비는 협력체당 최대 %(cap)s원이며, 정부지원금은 총사업비의 %(government_max)s%% 이내입니다."
            )
            % figures
        )
    else:
        sentences.append(
            _("정부지원금은 협력체당 최대 %(cap)s원이며 총사업비의 %(government_max)s%% 이내입니다.")
            % figures
        )
    sentences.append(
        _("기업부담금은 총사업비의 %(firm_min)s%% 이상이며 그중 현금이 %(cash_min)s%% 이상이어야 합니다.")
        % figures
    )
    sentences.append(
        _(
            "참여기업은 주관기업을 포함해 %(members)s개 이상이어야 하며, 서로 다른 업종(KSIC 중분류)이 "
            "%(divisions)s개 이상이어야 합니다."
        )
        % {"members": rules.min_members, "divisions": rules.min_divisions}
    )
    sentences.append(_("참여기업은 모두 현재 교류회 회원이고 정상 영업 중이어야 합니다."))
    sentences.append(
        _("한 기업은 이 공모에서 %(max)s건의 신청까지 참여할 수 있습니다(주관·참여 모두 포함).")
        % {"max": rules.max_applications_per_firm}
    )
    sentences.append(
        _(
            "신청마다 평가위원 %(reviews)s명이 평가합니다. 평가 점수는 평가위원 점수의 평균이며, "
            "%(trim)s명 이상이면 최고점과 최저점을 하나씩 빼고 평균합니다."
        )
        % {"reviews": rules.reviews_per_application, "trim": TRIM_FROM}
    )
    sentences.append(
        _(
            "평균 %(pass)s점 이상인 신청 가운데 점수가 높은 순으로, 총 예산 %(budget)s원 안에서 "
            "최대 %(quota)s개 협력체를 선정합니다."
        )
        % {"pass": percent(rules.pass_score), "budget": won(rules.budget_krw), "quota": rules.quota}
    )
    return sentences
