"""Notification texts of postings and saved searches, by code (core.messages_catalogue)."""

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
