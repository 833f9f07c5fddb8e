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

# Topics (유망과제): what the proposer is told after screening and designation.
TOPIC_ACCEPTED = define(
    "programmes.topic.accepted", _("제안한 과제 '%(title)s'이(가) 적합으로 검토되었습니다.")
)
TOPIC_REJECTED = define(
    "programmes.topic.rejected", _("제안한 과제 '%(title)s'이(가) 부적합으로 검토되었습니다. 의견: %(note)s")
)
TOPIC_LEADING = define(
    "programmes.topic.leading",
    _("제안한 과제 '%(title)s'이(가) 공모 '%(call)s'의 선도과제로 지정되었습니다."),
)
# --- consortia and applications in the web interface (application_services) ---
PLACE_INVITED = define(
    "programmes.place.invited",
    _("%(lead)s이(가) '%(title)s' 협력체(%(call)s)에 참여기업으로 초대했습니다. 수락 또는 거절해 주세요."),
)
PLACE_ACCEPTED = define(
    "programmes.place.accepted",
    _("%(firm)s이(가) 신청서 '%(title)s'의 협력체 참여를 수락했습니다."),
)
PLACE_DECLINED = define(
    "programmes.place.declined",
    _("%(firm)s이(가) 신청서 '%(title)s'의 협력체 참여를 거절했습니다."),
)
# --- review (helper 5): the conflicts of interest, as reasons a person reads (programmes.conflicts codes)
CONFLICT_AFFILIATION = define(
    "programmes.conflict.affiliation", _("평가위원의 소속 기업이 이 협력체의 참여기업입니다.")
)
CONFLICT_SAME_GROUP = define(
    "programmes.conflict.same_group",
    _("평가위원의 소속 기업이 참여기업과 같은 교류회에서 활동하고 있습니다."),
)
CONFLICT_APPLICANT = define(
    "programmes.conflict.applicant", _("평가위원의 소속 기업이 이 공모의 다른 신청에 참여하고 있습니다.")
)
CONFLICT_DECLARED = define(
    "programmes.conflict.declared", _("평가위원이 참여기업과의 이해충돌을 신고했습니다.")
)

# --- selection (선정): why an application is not selected (programmes.selection) ---


def selection_reason_code(reason: str) -> str:
    return f"programmes.selection.{reason}"


SELECTION_INCOMPLETE_REVIEW = define(
    selection_reason_code("incomplete_review"), _("평가 미완료(공모가 정한 평가 수에 못 미침)")
)
SELECTION_BELOW_PASS = define(selection_reason_code("below_pass"), _("선정 기준 점수 미달"))
SELECTION_QUOTA = define(selection_reason_code("quota"), _("선정 규모(협력체 수) 도달"))
SELECTION_BUDGET = define(selection_reason_code("budget"), _("남은 예산 부족(정부지원금 초과)"))
# --- coordination (pre-planning notes, 사전 기술기획) ---
PRE_PLANNING_NOTE_ADDED = define(
    "programmes.pre_planning.note_added",
    _("%(author)s 코디네이터가 신청서 %(ref)s «%(title)s»에 사전 기술기획 메모를 남겼습니다."),
)


# Post-award funds (programmes.funds): why a payment is refused and why spending is not recognised.
FUNDS_PAYMENT_BEFORE_DEPOSIT = define(
    rule_message_code("funds.payment_before_deposit"),
    _(
        "기업부담 현금 %(cash)s원 중 %(deposited)s원만 %(date)s까지 입금되어 정부지원금을 지급할 수 없습니다"
        "(기업부담 현금 전액 입금 후 지급)."
    ),
)
FUNDS_PAYMENT_OVER_GRANT = define(
    rule_message_code("funds.payment_over_grant"),
    _("지급액 합계 %(paid)s원이 정부지원금 %(grant)s원을 넘습니다(남은 지급 가능액 %(left)s원)."),
)
FUNDS_OUTSIDE_PERIOD = define(
    rule_message_code("funds.outside_period"),
    _("협약 기간(%(starts)s ~ %(ends)s) 밖의 집행입니다."),
)
FUNDS_NO_EVIDENCE = define(rule_message_code("funds.no_evidence"), _("증빙(파일 또는 문서번호)이 없습니다."))


# Agreements (협약, programmes.agreement_services): who is told what when an agreement is made or changed.
AGREEMENT_CREATED = define(
    "programmes.agreement.created",
    _("%(ref)s %(title)s 협약이 작성되었습니다. 협약 내용을 확인하고 [협약 확인]을 눌러 주세요."),
)
AGREEMENT_CHANGE_SUBMITTED = define(
    "programmes.agreement.change_submitted",
    _("%(ref)s 협약의 변경 신청(%(number)s차)이 접수되어 승인을 기다립니다."),
)
AGREEMENT_CHANGE_APPROVED = define(
    "programmes.agreement.change_approved",
    _("%(ref)s 협약의 변경 신청(%(number)s차)이 승인되어 반영되었습니다."),
)
AGREEMENT_CHANGE_REJECTED = define(
    "programmes.agreement.change_rejected",
    _("%(ref)s 협약의 변경 신청(%(number)s차)이 반려되었습니다: %(reason)s"),
)
# --- settlement (정산, helper 2): what the members are told ---
SETTLEMENT_CLOSED = define(
    "programmes.settlement.closed",
    _(
        "협약 %(ref)s «%(title)s»의 정산이 확정되었습니다: 정부지원금 인정액 %(due)s원, "
        "환수액 %(recovery)s원."
    ),
)
SETTLEMENT_DUE_SOON = define(
    "programmes.settlement.due_soon",
    _(
        "협약 %(ref)s «%(title)s»의 정산 기한(%(due)s)이 %(days)s일 남았습니다. 집행 내역과 증빙을 확인해 주세요."
    ),
)
# Reports, grades and follow-ups (programmes.progress_services, programmes.followups): notices sent.
PROGRESS_REPORT_DUE_SOON = define(
    "programmes.progress.report_due_soon",
    _("%(ref)s 협약의 %(kind)s 제출 기한이 %(due)s입니다(%(days)s일 남음)."),
)
PROGRESS_REPORT_OVERDUE = define(
    "programmes.progress.report_overdue",
    _("%(ref)s 협약의 %(kind)s 제출 기한(%(due)s)이 지났습니다. 제출해 주세요."),
)
PROGRESS_REPORT_SUBMITTED = define(
    "programmes.progress.report_submitted",
    _("%(ref)s 협약의 %(kind)s가 제출되었습니다. 검토해 주세요."),
)
PROGRESS_REPORT_ACCEPTED = define(
    "programmes.progress.report_accepted", _("%(ref)s 협약의 %(kind)s가 승인되었습니다.")
)
PROGRESS_REPORT_RETURNED = define(
    "programmes.progress.report_returned",
    _("%(ref)s 협약의 %(kind)s에 보완 요청이 있습니다: %(comment)s"),
)
PROGRESS_FOLLOWUP_OPEN = define(
    "programmes.progress.followup_open",
    _("%(ref)s 협약 종료 %(years)s년 후 추적조사(매출·후속 R&D·고용)에 응답해 주세요."),
)
