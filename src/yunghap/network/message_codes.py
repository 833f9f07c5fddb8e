"""Notification texts of the network app, by code (core.messages_catalogue)."""

from django.utils.translation import gettext_lazy as _

from yunghap.core.messages_catalogue import define

MEMBERSHIP_REQUEST_RECEIVED = define(
    "membership_request.received",
    _("%(group)s에서 %(firm)s에 회원 가입을 요청했습니다. 수락하거나 거절해 주세요."),
)
MEMBERSHIP_REQUEST_ACCEPTED = define(
    "membership_request.accepted", _("%(firm)s이(가) %(group)s 가입 요청을 수락했습니다.")
)
MEMBERSHIP_REQUEST_DECLINED = define(
    "membership_request.declined", _("%(group)s의 가입 요청(사업자등록번호 %(brn)s)이 거절되었습니다.")
)
