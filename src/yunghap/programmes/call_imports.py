"""`yunghap import calls FILE`: calls with their rules, published as they are imported (revision 1).

Empty cells take the defaults of a new call (the plan's figures; `DEFAULT_RULES`); shares are percentages
(`75` or `75%`); `cap_applies_to` is `government`/`total` or 정부지원금/총사업비; `topics` are topic codes
separated by `;`, designated leading topics of the call (`designation.designate_leading`). The checks are
`call_services.validate_call`, the web form's. A call that has opened has frozen rules: a row that would
change it is refused; a row equal to it is unchanged.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.core.imports import (
    Column,
    Importer,
    PlanChanged,
    RowError,
    RowPlan,
    RowReader,
    cell_codes,
    cell_date,
    cell_int,
    register,
)
from yunghap.core.korean import fill

from . import call_services
from .models import Call, Topic
from .models.calls import DEFAULT_RULES, RULE_FIELDS

CAP_WORDS = {
    "government": Call.CapAppliesTo.GOVERNMENT,
    "정부지원금": Call.CapAppliesTo.GOVERNMENT,
    "정부": Call.CapAppliesTo.GOVERNMENT,
    "total": Call.CapAppliesTo.TOTAL,
    "총사업비": Call.CapAppliesTo.TOTAL,
    "총액": Call.CapAppliesTo.TOTAL,
}
WHOLE_COLUMNS = call_services.WHOLE_FIELDS
PERCENT_COLUMNS = call_services.PERCENT_FIELDS
# What the file sets and compares (the criteria and the cost-category edition are not in the file: a new
# call takes the defaults, an existing one keeps its own).
COMPARED = ("title", "opens_on", "closes_on", *RULE_FIELDS)


def import_frozen_message(call: Call) -> str:
    return fill(
        _(
            "공모 '%(code)s'은(는) 접수가 시작되어 규칙이 확정되었으므로 가져오기로 고칠 수 없습니다. "
            "규칙을 바꾸려면 공모 화면의 '규칙 정정'에서 사유와 함께 새 차수로 정정해 주세요."
        ),
        {"code": call.code},
    )


def _cap(value: Any) -> str:
    text = str(value or "").replace(" ", "").lower()
    if text not in CAP_WORDS:
        raise ValueError(
            _("상한 적용 대상은 government/total 또는 정부지원금/총사업비 중 하나여야 합니다: '%(value)s'")
            % {"value": value}
        )
    return CAP_WORDS[text]


def _whole(value: Any) -> int | None:
    return cell_int(value, minimum=None)


def _column(key: str, label: str, *aliases: str, required: bool = False, **extra: Any) -> Column:
    return Column(key, label, aliases, required=required, **extra)


HELP = {
    "code": gettext_lazy("공모를 가리키는 영문 코드 (같은 코드의 행은 그 공모를 고칩니다)"),
    "title": gettext_lazy("공모 이름"),
    "topics": gettext_lazy("이 공모의 선도과제 (등록된 과제 코드)"),
    "opens_on": gettext_lazy("접수를 시작하는 날 (한국 시간 00:00부터)"),
    "closes_on": gettext_lazy("접수를 마감하는 날 (한국 시간 24:00까지)"),
    "budget_krw": gettext_lazy("공모의 총 예산"),
    "quota": gettext_lazy("선정할 협력체 수의 상한"),
    "grant_cap_krw": gettext_lazy("협력체 하나에 대한 지원 상한"),
    "cap_applies_to": gettext_lazy("상한을 정부지원금에 적용할지 총사업비에 적용할지"),
    "government_share_max": gettext_lazy("총사업비 대비 정부지원금의 최대 비율"),
    "firm_share_min": gettext_lazy("총사업비 대비 기업부담금의 최소 비율"),
    "firm_cash_share_min": gettext_lazy("기업부담금 가운데 현금의 최소 비율"),
    "min_members": gettext_lazy("협력체의 최소 기업 수"),
    "min_divisions": gettext_lazy("참여기업의 서로 다른 업종 최소 수"),
    "max_applications_per_firm": gettext_lazy("한 기업이 이 공모에서 참여할 수 있는 신청 수"),
    "reviews_per_application": gettext_lazy("신청 하나를 평가하는 평가위원 수"),
    "pass_score": gettext_lazy("선정 대상이 되는 최소 평균 점수"),
}
FORMAT = {
    "topics": gettext_lazy("과제 코드, 여러 개는 ';'로 구분"),
    "budget_krw": gettext_lazy("원, 비우면 1,000,000,000"),
    "quota": gettext_lazy("비우면 50"),
    "grant_cap_krw": gettext_lazy("원, 비우면 20,000,000"),
    "cap_applies_to": gettext_lazy("government/total 또는 정부지원금/총사업비, 비우면 정부지원금"),
    "government_share_max": gettext_lazy("%, 비우면 75"),
    "firm_share_min": gettext_lazy("%, 비우면 25"),
    "firm_cash_share_min": gettext_lazy("기업부담금 대비 %, 비우면 20"),
    "min_members": gettext_lazy("주관기업 포함, 비우면 3"),
    "min_divisions": gettext_lazy("KSIC 중분류, 비우면 2"),
    "max_applications_per_firm": gettext_lazy("비우면 1"),
    "reviews_per_application": gettext_lazy("비우면 5"),
    "pass_score": gettext_lazy("100점 만점, 비우면 70"),
}


def _h(key: str) -> Any:
    return HELP[key]


def _f(key: str) -> Any:
    return FORMAT[key]


@register
class CallImporter(Importer):
    kind = "calls"
    label = gettext_lazy("공모")
    affects = frozenset[str]()  # calls feed neither the statistics nor the matching index
    columns = [
        _column(
            "code", "공모 코드", "공모코드", "코드", required=True, example="rnd-2026-2", help=_h("code")
        ),
        _column(
            "title", "공모명", required=True, example="2026년 이업종 융합 R&D 지원사업 2차", help=_h("title")
        ),
        _column(
            "topics",
            "선도과제",
            "과제 코드",
            format=_f("topics"),
            example="t-sensor;t-robot",
            help=_h("topics"),
        ),
        _column(
            "opens_on",
            "접수 시작일",
            "시작일",
            required=True,
            format="YYYY-MM-DD",
            example="2026-12-01",
            help=_h("opens_on"),
        ),
        _column(
            "closes_on",
            "접수 마감일",
            "마감일",
            required=True,
            format="YYYY-MM-DD",
            example="2026-12-20",
            help=_h("closes_on"),
        ),
        _column(
            "budget_krw",
            "총 예산",
            "총 예산(원)",
            "예산",
            format=_f("budget_krw"),
            example="1,000,000,000",
            help=_h("budget_krw"),
        ),
        _column(
            "quota",
            "선정 규모",
            "선정 규모(협력체 수)",
            "선정 수",
            format=_f("quota"),
            example="50",
            help=_h("quota"),
        ),
        _column(
            "grant_cap_krw",
            "협력체당 상한",
            "협력체당 상한(원)",
            "지원 상한",
            format=_f("grant_cap_krw"),
            example="20,000,000",
            help=_h("grant_cap_krw"),
        ),
        _column(
            "cap_applies_to",
            "상한 적용 대상",
            "상한 대상",
            format=_f("cap_applies_to"),
            example="정부지원금",
            help=_h("cap_applies_to"),
        ),
        _column(
            "government_share_max",
            "정부지원 최대 비율",
            "정부지원 최대 비율(%)",
            "정부 최대 비율",
            format=_f("government_share_max"),
            example="75%",
            help=_h("government_share_max"),
        ),
        _column(
            "firm_share_min",
            "기업부담 최소 비율",
            "기업부담 최소 비율(%)",
            "기업 최소 비율",
            format=_f("firm_share_min"),
            example="25%",
            help=_h("firm_share_min"),
        ),
        _column(
            "firm_cash_share_min",
            "현금 최소 비율",
            "기업부담 중 현금 최소 비율",
            "기업부담 중 현금 최소 비율(%)",
            format=_f("firm_cash_share_min"),
            example="20",
            help=_h("firm_cash_share_min"),
        ),
        _column(
            "min_members",
            "최소 참여기업 수",
            "최소 참여기업 수(주관 포함)",
            format=_f("min_members"),
            example="3",
            help=_h("min_members"),
        ),
        _column(
            "min_divisions",
            "최소 업종 수",
            "최소 업종(KSIC 중분류) 수",
            format=_f("min_divisions"),
            example="2",
            help=_h("min_divisions"),
        ),
        _column(
            "max_applications_per_firm",
            "기업당 최대 신청 수",
            "기업당 최대 참여 신청 수",
            format=_f("max_applications_per_firm"),
            example="1",
            help=_h("max_applications_per_firm"),
        ),
        _column(
            "reviews_per_application",
            "신청당 평가위원 수",
            "평가위원 수",
            format=_f("reviews_per_application"),
            example="5",
            help=_h("reviews_per_application"),
        ),
        _column(
            "pass_score",
            "선정 기준 점수",
            "기준 점수",
            format=_f("pass_score"),
            example="70",
            help=_h("pass_score"),
        ),
    ]

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[RowPlan], list[RowError]]:
        errors: list[RowError] = []
        plans: list[RowPlan] = []
        codes = {str(v.get("code") or "").strip() for _n, v in rows}
        existing = {
            call.code: call for call in Call.objects.filter(code__in=codes).prefetch_related("topics")
        }
        wanted_topics = {code for _n, v in rows for code in cell_codes(v.get("topics") or "")}
        topics = {topic.code: topic for topic in Topic.objects.filter(code__in=wanted_topics)}
        seen: dict[str, int] = {}
        for number, values in rows:
            reader = RowReader(number, values, errors)
            code = reader.text("code", required=True)
            fields: dict[str, Any] = {
                "code": code,
                "title": reader.text("title", required=True),
                "opens_on": reader.parse("opens_on", cell_date, required=True),
                "closes_on": reader.parse("closes_on", cell_date, required=True),
                "cap_applies_to": reader.parse(
                    "cap_applies_to", _cap, default=DEFAULT_RULES["cap_applies_to"]
                ),
            }
            for name in WHOLE_COLUMNS:
                fields[name] = reader.parse(name, _whole, default=DEFAULT_RULES[name])
            for name in PERCENT_COLUMNS:
                fields[name] = reader.parse(name, call_services.parse_percent, default=DEFAULT_RULES[name])
            row_topics: list[Topic] = []
            for topic_code in reader.parse("topics", cell_codes, default=[]):
                topic = topics.get(topic_code)
                if topic is None:
                    reader.error(
                        "topics", fill(_("등록되지 않은 과제입니다: %(code)s"), {"code": topic_code})
                    )
                elif topic.status == Topic.Status.REJECTED:
                    reader.error(
                        "topics",
                        _("부적합 판정을 받은 과제는 선도과제로 지정할 수 없습니다: %(codes)s")
                        % {"codes": topic_code},
                    )
                elif topic not in row_topics:
                    row_topics.append(topic)
            if code and code in seen:
                reader.error(
                    "code", _("같은 공모 코드가 파일에 두 번 있습니다(행 %(first)s).") % {"first": seen[code]}
                )
            if code:
                seen[code] = number
            if not reader.ok:
                continue
            call = existing.get(code)
            if call is not None:
                fields["criteria"] = call.criteria
                fields["cost_category_edition"] = call.cost_category_edition
            try:
                cleaned = call_services.validate_call(fields, creating=call is None)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    for message in messages:
                        reader.error(name if name in fields else "", message)
                continue
            if call is None:
                plans.append(RowPlan(number, "create", (None, cleaned, row_topics)))
                continue
            changes = {
                name: (getattr(call, name), cleaned[name])
                for name in COMPARED
                if getattr(call, name) != cleaned[name]
            }
            old_topics = sorted(t.code for t in call.topics.all())
            new_topics = sorted(t.code for t in row_topics)
            if old_topics != new_topics:
                changes["topics"] = (old_topics, new_topics)
            if not changes and call.published_at is not None:
                plans.append(RowPlan(number, "unchanged"))
                continue
            if call.is_frozen():
                reader.error("", import_frozen_message(call))
                continue
            plans.append(RowPlan(number, "update", (call, cleaned, row_topics), changes))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        for plan in plans:
            if plan.action not in ("create", "update"):
                continue
            call, cleaned, topics = plan.payload
            try:
                if call is None:
                    call = call_services.create_call(actor=self.actor, topics=topics, **cleaned)
                else:
                    fields = {name: value for name, value in cleaned.items() if name != "code"}
                    call = call_services.update_call(
                        call, actor=self.actor, expected_version=call.version, topics=topics, **fields
                    )
                if call.published_at is None:
                    call_services.publish_call(call, actor=self.actor)
            except ValidationError as exc:
                raise PlanChanged([RowError(plan.row, "", message) for message in exc.messages]) from None

    def audit_details(self, plans: list[RowPlan]) -> dict[str, Any]:
        return {
            "created_codes": [p.payload[1]["code"] for p in plans if p.action == "create"],
            "updated_codes": [p.payload[0].code for p in plans if p.action == "update"],
        }
