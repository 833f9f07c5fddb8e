"""Texts of matching by code (core.messages_catalogue): notifications of postings and saved searches, and the
reasons of a recommendation (kept on an introduction as codes with parameters)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from yunghap.core.messages_catalogue import define, define_plural

POSTING_REVIEW_REQUESTED = define(
    "posting.review_requested", _("%(firm)s의 게시글 '%(title)s'이(가) 검토를 기다립니다.")
)
POSTING_APPROVED = define("posting.approved", _("게시글 '%(title)s'이(가) 승인되었습니다."))
POSTING_REJECTED = define("posting.rejected", _("게시글 '%(title)s'이(가) 반려되었습니다. 사유: %(note)s"))
SAVED_SEARCH_MATCH = define_plural(
    "saved_search.match",
    lambda n: ngettext(
        "저장한 검색 '%(name)s'에 맞는 새 게시글 %(count)d건: %(titles)s",
        "저장한 검색 '%(name)s'에 맞는 새 게시글 %(count)d건: %(titles)s",
        n,
    ),
)
SAVED_SEARCH_MATCH_MORE = define_plural(
    "saved_search.match_more",
    lambda n: ngettext(
        "저장한 검색 '%(name)s'에 맞는 새 게시글 %(count)d건: %(titles)s 외 %(more)d건",
        "저장한 검색 '%(name)s'에 맞는 새 게시글 %(count)d건: %(titles)s 외 %(more)d건",
        n,
    ),
)


# Reasons of a recommendation and their parts.
REASONS = {
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

for _code, _template in REASONS.items():
    define(_code, _template)
