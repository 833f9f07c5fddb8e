"""Texts of the programmes by code (core.messages_catalogue): the reasons of broken call rules, stored on
applications as codes with parameters and rendered in the reader's language.

Helpers append their own codes below, one block per concept."""

from django.utils.translation import gettext_lazy as _

from yunghap.core.messages_catalogue import define


def rule_message_code(rule: str) -> str:
    return f"programmes.rule.{rule}"


RULE_GRANT_CAP = define(
    rule_message_code("grant_cap"),
    _("%(what)s이(가) 지원 상한을 넘습니다: %(amount)s원 (상한 %(cap)s원)."),
)
CAP_GOVERNMENT = define("programmes.cap.government", _("정부지원금"))
CAP_TOTAL = define("programmes.cap.total", _("총사업비"))
RULE_GOVERNMENT_SHARE = define(
    rule_message_code("government_share"),
    _("정부지원금 비율이 %(share)s%%로, 최대 %(max)s%%를 넘습니다."),
)
RULE_FIRM_SHARE = define(
    rule_message_code("firm_share"),
    _("기업부담금 비율이 %(share)s%%로, 최소 %(min)s%%에 못 미칩니다."),
)
RULE_CASH_SHARE = define(
    rule_message_code("cash_share"),
    _("기업부담금 중 현금 비율이 %(share)s%%로, 최소 %(min)s%%에 못 미칩니다."),
)
RULE_MEMBERS = define(
    rule_message_code("members"),
    _("참여기업이 주관기업을 포함해 %(count)s개로, 최소 %(min)s개에 못 미칩니다."),
)
RULE_DIVISIONS = define(
    rule_message_code("divisions"),
    _("참여기업의 업종(KSIC 중분류)이 %(count)s개로, 최소 %(min)s개 업종이 필요합니다."),
)
RULE_NOT_MEMBER = define(
    rule_message_code("not_member"),
    _("현재 교류회 회원이 아닌 기업이 있습니다: %(firms)s."),
)
RULE_CLOSED = define(
    rule_message_code("closed"),
    _("정상 영업 중이 아닌 기업이 있습니다: %(firms)s."),
)
RULE_FIRM_LIMIT = define(
    rule_message_code("firm_limit"),
    _("이 공모에 이미 %(max)s건의 신청에 참여한 기업이 있습니다: %(firms)s."),
)

# --- coordination (pre-planning notes, 사전 기술기획) ---
PRE_PLANNING_NOTE_ADDED = define(
    "programmes.pre_planning.note_added",
    _("%(author)s 코디네이터가 신청서 %(ref)s «%(title)s»에 사전 기술기획 메모를 남겼습니다."),
)
