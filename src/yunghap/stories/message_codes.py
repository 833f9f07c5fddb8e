"""Texts of the success stories by code (core.messages_catalogue)."""

from django.utils.translation import gettext_lazy as _

from yunghap.core.messages_catalogue import define

CONSENT_REQUESTED = define(
    "stories.consent_requested",
    _("성공사례 '%(title)s'의 게시에 동의해 주세요. 모든 참여기업이 동의해야 게시됩니다."),
)
PUBLISHED = define("stories.published", _("성공사례 '%(title)s'이(가) 게시되었습니다."))
CONSENTS_COMPLETE = define(
    "stories.consents_complete", _("성공사례 '%(title)s'에 모든 참여기업이 동의했습니다. 게시할 수 있습니다.")
)
