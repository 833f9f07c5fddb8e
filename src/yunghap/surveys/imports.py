"""`yunghap import survey FILE --year YYYY [--dry-run] [--replace]`: answers collected on paper."""

from __future__ import annotations

import argparse
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.core.imports import Column, Importer, RowError, RowPlan, cell_bool, cell_int, cell_text, register
from yunghap.core.korean import fill
from yunghap.network.models import ExchangeGroup

from .models import Survey, SurveyResponse
from .services import not_a_target_message, survey_targets

YES_NO = gettext_lazy("예/아니오 (Y/N, O/X, 1/0도 가능)")

VALUE_FIELDS = (
    "members",
    "meetings",
    "attendance_rate",
    "purpose_info",
    "purpose_resource",
    "purpose_newproduct",
    "rnd_results",
    "trades_count",
    "trades_amount_krw",
)


def cell_rate(value: Any) -> Decimal | None:
    """A rate 0–100, with or without `%`, one decimal kept; blank → None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(_("숫자가 아닙니다."))
    text = cell_text(value).replace(",", ".") if isinstance(value, str) else repr(value)
    text = re.sub(r"\s|%", "", text)
    try:
        rate = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(_("참석률이 숫자가 아닙니다: '%(value)s'") % {"value": cell_text(value)}) from exc
    if not rate.is_finite() or rate < 0 or rate > 100:
        raise ValueError(_("참석률은 0~100 사이여야 합니다: '%(value)s'") % {"value": cell_text(value)})
    return rate.quantize(Decimal("0.1"))


@register
class SurveyImporter(Importer):
    kind = "survey"
    affects = frozenset[str]()  # answers are compared with the figures, never counted in them
    label = gettext_lazy("실태조사 응답")
    columns = [
        Column(
            "group_code",
            "교류회 코드",
            ("교류회코드", "코드"),
            help=gettext_lazy("응답한 교류회의 코드"),
            example="seoul-tech",
        ),
        Column(
            "year",
            "조사 연도",
            ("연도",),
            help=gettext_lazy("조사 연도 (가져올 때 고른 연도와 같아야 함)"),
            example=2026,
        ),
        Column(
            "members",
            "회원사 수",
            ("회원수",),
            help=gettext_lazy("회원사 수"),
            format=gettext_lazy("정수"),
            example=23,
        ),
        Column(
            "meetings",
            "월례회 개최 횟수",
            ("월례회", "개최횟수"),
            help=gettext_lazy("한 해 월례회 횟수"),
            format=gettext_lazy("정수"),
            example=11,
        ),
        Column(
            "attendance_rate",
            "평균 참석률",
            ("참석률",),
            help=gettext_lazy("회원 평균 참석률"),
            format=gettext_lazy("0~100, % 붙여도 됨"),
            example="72.5%",
        ),
        Column(
            "purpose_info",
            "정보교환",
            ("정보교환형",),
            help=gettext_lazy("정보교환형 활동 여부"),
            format=YES_NO,
            example="예",
        ),
        Column(
            "purpose_resource",
            "자원협력",
            ("자원협력형",),
            help=gettext_lazy("자원협력형 활동 여부"),
            format=YES_NO,
            example="아니오",
        ),
        Column(
            "purpose_newproduct",
            "신제품개발",
            ("신제품개발형",),
            help=gettext_lazy("신제품개발형 활동 여부"),
            format=YES_NO,
            example="예",
        ),
        Column(
            "rnd_results",
            "융합기술개발 실적",
            ("기술개발실적", "실적"),
            help=gettext_lazy("융합기술개발 실적 건수"),
            format=gettext_lazy("정수"),
            example=2,
        ),
        Column(
            "trades_count",
            "수발주 건수",
            (),
            help=gettext_lazy("회원간 수발주 건수"),
            format=gettext_lazy("정수"),
            example=5,
        ),
        Column(
            "trades_amount_krw",
            "수발주 금액",
            ("수발주 금액(원)",),
            help=gettext_lazy("회원간 수발주 금액 (원)"),
            format=gettext_lazy("정수, 천 단위 쉼표 가능"),
            example=85000000,
        ),
    ]

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--year", type=int, help="조사 연도 (survey import: required)")
        parser.add_argument(
            "--replace", action="store_true", help="같은 교류회·연도의 기존 응답을 덮어씀 (survey import)"
        )

    def check_options(self) -> list[RowError]:
        year = self.options.get("year")
        if not year:
            return [RowError(0, "year", _("--year로 조사 연도를 지정해야 합니다."))]
        self.survey = Survey.objects.filter(year=year).first()
        if self.survey is None:
            return [RowError(0, "year", _("%(year)s년 실태조사가 개설되지 않았습니다.") % {"year": year})]
        return []

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[RowPlan], list[RowError]]:
        year = int(self.options["year"])
        replace = bool(self.options.get("replace"))
        codes = {cell_text(values.get("group_code")) for _number, values in rows}
        groups = {g.code: g for g in ExchangeGroup.objects.filter(code__in=codes)}
        assert self.survey is not None, "check_options() found the survey before plan() runs"
        eligible = set(survey_targets(self.survey).filter(code__in=codes).values_list("id", flat=True))
        existing = {
            r.group_id: r for r in SurveyResponse.objects.filter(survey=self.survey, group__code__in=codes)
        }
        plans: list[RowPlan] = []
        errors: list[RowError] = []
        seen: dict[str, int] = {}
        for number, values in rows:
            row_errors: list[RowError] = []
            code = cell_text(values.get("group_code"))
            group = groups.get(code)
            if not code:
                row_errors.append(RowError(number, "group_code", _("교류회 코드가 비어 있습니다.")))
            elif group is None:
                row_errors.append(
                    RowError(
                        number,
                        "group_code",
                        _("등록되지 않은 교류회 코드입니다: '%(code)s'") % {"code": code},
                    )
                )
            elif group.pk not in eligible:
                row_errors.append(
                    RowError(
                        number,
                        "group_code",
                        not_a_target_message(self.survey, group),
                    )
                )
            if code and code in seen:
                row_errors.append(
                    RowError(
                        number,
                        "group_code",
                        _("같은 교류회가 %(row)s행에도 있습니다. 교류회는 한 해에 한 번만 응답합니다.")
                        % {"row": seen[code]},
                    )
                )
            seen.setdefault(code, number)
            try:
                row_year = cell_int(values.get("year"))
            except ValueError as exc:
                row_errors.append(RowError(number, "year", str(exc)))
                row_year = None
            if row_year is not None and row_year != year:
                row_errors.append(
                    RowError(
                        number,
                        "year",
                        fill(
                            _("조사 연도 %(row_year)s이(가) --year %(year)s와(과) 다릅니다."),
                            {"row_year": row_year, "year": year},
                        ),
                    )
                )
            elif row_year is None and not any(e.column == "year" for e in row_errors):
                row_errors.append(RowError(number, "year", _("조사 연도가 비어 있습니다.")))
            parsed: dict[str, Any] = {}
            for name in VALUE_FIELDS:
                raw = values.get(name)
                try:
                    if name.startswith("purpose_"):
                        parsed[name] = cell_bool(raw)
                    elif name == "attendance_rate":
                        parsed[name] = cell_rate(raw)
                    else:
                        parsed[name] = cell_int(raw)
                except ValueError as exc:
                    row_errors.append(RowError(number, name, str(exc)))
            for name in ("members", "meetings", "attendance_rate"):
                if name in parsed and parsed[name] is None:
                    row_errors.append(RowError(number, name, _("값이 비어 있습니다.")))
            if parsed.get("meetings") is not None and parsed["meetings"] > 366:
                row_errors.append(RowError(number, "meetings", _("1년에 366회를 넘을 수 없습니다.")))
            for name in ("rnd_results", "trades_count", "trades_amount_krw"):
                if name in parsed and parsed[name] is None:
                    parsed[name] = 0
            current = existing.get(group.pk) if group is not None else None
            same = (
                current is not None
                and current.is_submitted
                and all(getattr(current, k) == v for k, v in parsed.items())
            )
            if group is not None and current is not None and not replace and not same:
                row_errors.append(
                    RowError(
                        number,
                        "group_code",
                        _("%(group)s의 %(year)s년 응답이 이미 있습니다. 덮어쓰려면 --replace를 지정하세요.")
                        % {"group": group.name, "year": year},
                    )
                )
            if row_errors:
                errors.extend(row_errors)
                continue
            if current is None:
                plans.append(RowPlan(number, "create", (group, None, parsed)))
            elif current.is_submitted and all(getattr(current, k) == v for k, v in parsed.items()):
                plans.append(RowPlan(number, "unchanged", (group, current, parsed)))
            else:
                shown = {
                    name: (getattr(current, name), value)
                    for name, value in parsed.items()
                    if getattr(current, name) != value
                }
                plans.append(RowPlan(number, "update", (group, current, parsed), shown))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        now = timezone.now()
        actor = self.actor if getattr(self.actor, "pk", None) else None
        to_create: list[SurveyResponse] = []
        to_update: list[SurveyResponse] = []
        for plan in plans:
            group, current, parsed = plan.payload
            if plan.action == "unchanged":
                continue
            response = current or SurveyResponse(survey=self.survey, group=group)
            for name, value in parsed.items():
                setattr(response, name, value)
            response.status = SurveyResponse.Status.SUBMITTED
            response.source = SurveyResponse.Source.IMPORT
            response.submitted_at = now
            response.submitted_by = actor
            response.updated_at = now
            (to_update if current else to_create).append(response)
        SurveyResponse.objects.bulk_create(to_create)
        if to_update:
            SurveyResponse.objects.bulk_update(
                to_update, [*VALUE_FIELDS, "status", "source", "submitted_at", "submitted_by", "updated_at"]
            )
