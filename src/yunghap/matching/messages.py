"""Message codes of matching (see `yunghap.core.message_codes`): the reasons of a recommendation.

Reasons are kept on an introduction as codes with parameters and shown in the reader's language.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # Parts of a reason
    "matching.lead.need": _("수요"),
    "matching.lead.offer": _("제공"),
    "matching.unshared.offer": _("비공개 기술 제공"),
    "matching.unshared.need": _("비공개 기술 수요"),
    "matching.profile": _("회원사 보유기술·제품"),
    # Reasons
    "matching.reason.capabilities": _("%(lead)s ‘%(asked)s’에 맞는 역량: %(caps)s (‘%(theirs)s’)"),
    "matching.reason.shared_words": _("%(lead)s ‘%(asked)s’와 겹치는 말: %(terms)s (‘%(theirs)s’)"),
    "matching.reason.terms": _("일치하는 말: %(terms)s"),
    "matching.reason.same_industry": _("업종: %(pair)s (같은 업종)"),
    "matching.reason.cross_industry": _("업종: %(pair)s (이업종)"),
    "matching.reason.shared_groups": _("이미 같은 교류회 회원: %(groups)s"),
    "matching.reason.same_region": _("같은 지역: %(region)s"),
    "matching.reason.region": _("지역: %(region)s"),
}
