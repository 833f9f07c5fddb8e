"""Stored texts of competitions (notifications), rendered in the reader's language (`core.messages_catalogue`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yunghap.core.messages_catalogue import define

ASSIGNED = define(
    "competitions.assigned",
    _("경진대회 '%(competition)s'의 출품작 '%(entry)s' 평가위원으로 배정되었습니다."),
)
AWARDED = define(
    "competitions.awarded",
    _("경진대회 '%(competition)s'에서 출품작 '%(entry)s'이(가) %(rank)s위 %(prize)s을(를) 받았습니다."),
)
