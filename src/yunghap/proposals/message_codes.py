"""Texts of the policy proposals by code (core.messages_catalogue)."""

from django.utils.translation import gettext_lazy as _

from yunghap.core.messages_catalogue import define

SUBMITTED = define("proposals.submitted", _("제도개선 건의 '%(title)s'이(가) 접수되었습니다."))
REVIEW_STARTED = define("proposals.review_started", _("제도개선 건의 '%(title)s'의 검토가 시작되었습니다."))
CORRECTION_ASKED = define(
    "proposals.correction_asked",
    _("제도개선 건의 '%(title)s'에 보완 요청이 있습니다. 보완하는 동안 처리 기한은 멈춥니다."),
)
CORRECTION_REPLIED = define(
    "proposals.correction_replied", _("제도개선 건의 '%(title)s'의 보완 내용이 제출되었습니다.")
)
ANSWER_PUBLISHED = define(
    "proposals.answer_published", _("제도개선 건의 '%(title)s'에 대한 답변이 공개되었습니다.")
)
CLOSED = define("proposals.closed", _("제도개선 건의 '%(title)s'이(가) 종결되었습니다."))
STILL_OPEN = define(
    "proposals.still_open",
    _(
        "제도개선 건의 '%(title)s'이(가) 접수 후 30일이 지났지만 아직 답변이 공개되지 않았습니다. 처리 상황을 확인해 주세요."
    ),
)
OVERDUE = define("proposals.overdue", _("제도개선 건의 '%(title)s'의 처리 기한(%(due)s)이 지났습니다."))
HIDDEN_BY_REPORTS = define(
    "proposals.hidden_by_reports",
    _("공개 건의 '%(title)s'이(가) 신고 %(count)s건으로 숨겨졌습니다. 검토해 주세요."),
)
RESTORED = define("proposals.restored", _("건의 '%(title)s'이(가) 검토 후 다시 공개되었습니다."))
KEPT_HIDDEN = define(
    "proposals.kept_hidden", _("건의 '%(title)s'은(는) 검토 결과 공개 목록에서 숨김 상태로 유지됩니다.")
)
