"""Stored texts of coaching (notifications), rendered in the reader's language (`core.messages_catalogue`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yunghap.core.messages_catalogue import define

MENTORSHIP_PROPOSED = define(
    "coaching.mentorship.proposed",
    _(
        "%(senior)s이(가) %(junior)s의 선배 기업(멘토)으로 제안되었습니다. 멘토링 화면에서 시작할 수 있습니다."
    ),
)
MENTORSHIP_ENDED = define(
    "coaching.mentorship.ended",
    _("%(senior)s → %(junior)s 멘토링이 종료되었습니다. 짧은 소감을 남겨 주세요."),
)
