"""Texts of event notifications by code (core.messages_catalogue), stored with their parameters."""

from django.utils.translation import gettext_lazy as _

from yunghap.core.messages_catalogue import define

REGISTRATION_CONFIRMED = define(
    "events.registration.confirmed", _("'%(event)s' 신청이 확정되었습니다 (%(name)s).")
)
REGISTRATION_WAITING = define(
    "events.registration.waiting",
    _("'%(event)s'의 정원이 차서 %(name)s 님의 신청이 대기자 명단 %(place)s번째에 올랐습니다."),
)
REGISTRATION_OFFERED = define(
    "events.registration.offered",
    _("'%(event)s'에 빈 좌석이 생겼습니다. %(name)s 님, %(expires)s까지 좌석을 받아 주세요."),
)
OFFER_EXPIRED = define(
    "events.registration.offer_expired",
    _("'%(event)s' 좌석 제안의 수락 기한(%(expires)s)이 지나 %(name)s 님의 신청이 취소되었습니다."),
)
REGISTRATION_CANCELLED = define(
    "events.registration.cancelled", _("'%(event)s' 신청이 취소되었습니다 (%(name)s).")
)
# The reminder the day before the first session (`yunghap remind_events`, helper 3); a kind users may turn off.
EVENT_REMINDER = define(
    "events.registration.reminder",
    _("%(name)s 님, 내일 %(starts)s에 '%(event)s'이(가) 시작됩니다. 장소: %(place)s"),
)
# A session's end, place or hours changed by `yunghap import sessions` (kind "change").
SESSION_CHANGED_BY_IMPORT = define(
    "events.session.changed_by_import",
    _("'%(event)s' %(starts)s 회차가 바뀌었습니다: %(ends)s 종료, 장소 %(place)s (%(name)s)."),
)
FEEDBACK_INVITED = define(
    "events.feedback.invited",
    _("'%(event)s'에 참가해 주셔서 감사합니다. %(until)s까지 만족도 조사에 답해 주세요: %(url)s"),
)
SESSION_CHANGED = define(
    "events.session.changed",
    _("'%(event)s' 회차 일정이 바뀌었습니다: %(before)s → %(after)s (%(place)s)."),
)
SESSION_REMOVED = define(
    "events.session.removed", _("'%(event)s'의 %(when)s 회차가 취소되었습니다 (%(name)s).")
)
CERTIFICATE_ISSUED = define(
    "events.certificate.issued",
    _("'%(event)s'을(를) 수료하여 %(name)s 님의 수료증(%(number)s)이 발급되었습니다."),
)
CERTIFICATE_REVOKED = define(
    "events.certificate.revoked",
    _("출석 정정으로 '%(event)s' %(name)s 님의 수료증(%(number)s)이 취소되었습니다."),
)
