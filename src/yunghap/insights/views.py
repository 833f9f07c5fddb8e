"""Statistics pages: the plan's survey table (reported vs observed), the trends, downloads, print.

Staff only: central staff see the whole network, regional staff their region (the region filter is fixed
to theirs). A group's officers see their own group's figures (`group_figures`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.accounts.scope import scope_of
from yunghap.core.params import year_param, year_range
from yunghap.network.models import ExchangeGroup, ExchangeType, Federation, Industry
from yunghap.surveys.models import Survey

from . import charts, reports, trends
from .selectors import ATTENDANCE_GAP, MEETINGS_GAP, MEMBERS_GAP, comparison

DISAGREEMENTS_SHOWN = 100


@dataclass
class Filters:
    region: Federation | None
    exchange_type: ExchangeType | None
    industry: Industry | None
    federations: list[Federation]
    types: list[ExchangeType]

    @property
    def codes(self) -> dict[str, str | None]:
        return {
            "region": self.region.code if self.region else None,
            "exchange_type": self.exchange_type.code if self.exchange_type else None,
        }

    def query(self, **extra: Any) -> str:
        from urllib.parse import urlencode

        params = {
            "region": self.region.code if self.region else "",
            "type": self.exchange_type.code if self.exchange_type else "",
            "industry": self.industry.code if self.industry else "",
            **extra,
        }
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})


def _staff_filters(request: HttpRequest, *, with_industry: bool = False) -> Filters:
    scope = scope_of(request.user)
    if not scope.staff:
        raise PermissionDenied(_("통계는 연합회 직원만 볼 수 있습니다."))
    federations = list(Federation.objects.filter(level=Federation.Level.REGIONAL))
    if not scope.central:
        federations = [f for f in federations if f.pk in scope.region_ids]
    code = request.GET.get("region") or ""
    region = next((f for f in federations if f.code == code), None)
    if code and region is None:
        if Federation.objects.filter(code=code).exists():
            raise PermissionDenied(_("다른 지역의 통계는 볼 수 없습니다."))
        raise Http404(_("알 수 없는 지역입니다."))
    if region is None and not scope.central:
        region = federations[0]  # regional staff never see the national figures through a blank filter
    types = list(ExchangeType.objects.all())
    type_code = request.GET.get("type") or ""
    exchange_type = next((t for t in types if t.code == type_code), None)
    if type_code and exchange_type is None:
        raise Http404(_("알 수 없는 교류 유형입니다."))
    industry = None
    industry_code = request.GET.get("industry") or ""
    if with_industry and industry_code:
        industry = Industry.objects.filter(code=industry_code).first()
        if industry is None:
            raise Http404(_("알 수 없는 업종입니다."))
    return Filters(region, exchange_type, industry, federations, types)


def _year(request: HttpRequest, default: int) -> int:
    return year_param(request.GET, "year", default=default)


# ---- survey table -------------------------------------------------------------------------------


def _survey_context(request: HttpRequest) -> dict[str, Any]:
    filters = _staff_filters(request)
    years = list(Survey.objects.order_by("-year").values_list("year", flat=True))
    year = _year(request, years[0] if years else timezone.localdate().year)
    data = comparison(year, **filters.codes)
    reported, observed = data["reported"], data["observed"]
    labels = [
        _("정보교환형"),
        _("자원협력형"),
        _("신제품개발형"),
        _("기술개발 실적 보유"),
        _("참석률 70% 이상"),
    ]

    def shares(table: dict[str, Any]) -> list[Any]:
        return [
            table["purpose_share"]["info"],
            table["purpose_share"]["resource"],
            table["purpose_share"]["newproduct"],
            table["groups_with_rnd"]["share"],
            table["attendance_70_share"],
        ]

    series = [(_("실태조사(응답)"), shares(reported))]
    if observed:
        series.append((_("활동 실적(장부)"), shares(observed)))
    columns = [(_("실태조사(응답)"), reported)]
    if observed:
        columns.append((_("활동 실적(응답 교류회)"), observed))
        columns.append((_("활동 실적(전체 교류회)"), data["observed_all"]))
    header, rows = reports.report_rows(columns)
    return {
        "filters": filters,
        "years": years,
        "year": year,
        "data": data,
        "rows": rows,
        "header": header,
        "chart": charts.bar_chart(
            _("%(year)s년 실태조사 결과 (응답 교류회 대비 %%)") % {"year": year}, labels, series
        ),
        "chart_rows": list(zip(labels, *[values for _name, values in series], strict=False)),
        "chart_series": [name for name, _values in series],
        "thresholds": {"meetings": MEETINGS_GAP, "attendance": ATTENDANCE_GAP, "members": MEMBERS_GAP},
        "disagreements_table": _disagreements_table(year, data["disagreements"][:DISAGREEMENTS_SHOWN]),
        "disagreements_shown": min(DISAGREEMENTS_SHOWN, len(data["disagreements"])),
    }


def _disagreements_table(year: int, rows: list[dict[str, Any]]) -> str:
    """Built in Python like the chart tables: at national scale it runs to hundreds of rows."""
    from django.urls import reverse
    from django.utils.html import format_html, format_html_join

    def cell(d: dict[str, Any], key: str, reason: str) -> str:
        reported = d["reported"][key]
        return format_html(
            "<td{}>{} / {}{}</td>",
            format_html(' class="differs"') if reason in d["reasons"] else "",
            charts._cell(reported),
            charts._cell(d["observed"][key]),
            format_html(" <strong>{}</strong>", _("차이")) if reason in d["reasons"] else "",
        )

    body = format_html_join(
        "",
        '<tr><th scope="row"><a href="{}">{}</a></th>{}{}{}{}</tr>',
        (
            (
                reverse("surveys:group-answer", args=[year, d["group"]["code"]]),
                d["group"]["name"],
                cell(d, "members", "members"),
                cell(d, "meetings", "meetings"),
                cell(d, "attendance_rate", "attendance"),
                cell(d, "rnd_results", "rnd_results"),
            )
            for d in rows
        ),
    )
    return body


@login_required
def survey_report_page(request: HttpRequest) -> HttpResponse:
    context = _survey_context(request)
    fmt = request.GET.get("format")
    if fmt:
        return _survey_download(context, fmt)
    return render(request, "insights/survey_report.html", context)


def _survey_download(context: dict[str, Any], fmt: str) -> HttpResponse:
    if fmt not in reports.FORMATS:
        raise Http404(_("지원하지 않는 형식입니다."))
    data, year, filters = context["data"], context["year"], context["filters"]
    name = f"survey-{year}" + (f"-{filters.region.code}" if filters.region else "")
    if fmt == "json":
        body = reports.report_json(
            data["reported"], observed=data["observed"], **{"filters": filters.codes}
        ).encode()
    else:
        body = reports.table_file(context["header"], context["rows"], fmt, f"survey {year}")
    response = HttpResponse(body, content_type=reports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# ---- trends -------------------------------------------------------------------------------------

CHARTS = [
    # (title, series keys, keys on the right axis, bars)
    (gettext_lazy("교류회 활동·휴면"), ["active_groups", "dormant_groups"], [], True),
    (gettext_lazy("회원사와 가입·탈퇴"), ["members", "joins", "leaves"], [], False),
    (gettext_lazy("모임과 출석률"), ["meetings", "attendance_rate"], ["attendance_rate"], True),
    (gettext_lazy("회원간 수발주"), ["trades_count", "trades_amount"], [], False),
    (gettext_lazy("융합기술개발 실적"), ["outcomes"], [], True),
    (gettext_lazy("업종 다양성"), ["divisions_mean", "entropy_mean"], [], False),
]


def _trend_charts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    periods = [r["period"] for r in rows]
    result = []
    for index, (title, keys, right, bar) in enumerate(CHARTS):
        labels = {k: str(trends.SERIES_BY_KEY[k].label) for k in keys}
        options = charts.line_chart(
            str(title),
            periods,
            [(labels[k], [r[k] for r in rows]) for k in keys],
            bar=bar,
            right=[labels[k] for k in right],
        )
        if keys == ["trades_count", "trades_amount"]:
            # Amounts in won dwarf counts: a second axis keeps both readable.
            options["yAxis"] = [{"type": "value"}, {"type": "value"}]
            options["series"][1]["yAxisIndex"] = 1
        result.append(
            {
                "id": f"chart-{index}",
                "json_id": f"chart-{index}-options",
                "title": title,
                "options": options,
                "table": charts.data_table(
                    str(title),
                    [str(_("기간"))]
                    + [
                        f"{s.label}" + (f" ({s.unit})" if s.unit else "")
                        for s in (trends.SERIES_BY_KEY[k] for k in keys)
                    ],
                    [(r["period"], [r[k] for k in keys]) for r in rows],
                ),
            }
        )
    return result


def _trend_rows(request: HttpRequest, filters: Filters, group_ids: list[int] | None = None) -> dict[str, Any]:
    period = "yearly" if request.GET.get("period") == "yearly" else "monthly"
    this_year = timezone.localdate().year
    first, last = year_range(request.GET, default_from=this_year - 9, default_to=this_year)
    months = trends.monthly(
        region=filters.codes["region"],
        exchange_type=filters.codes["exchange_type"],
        industry=filters.industry.code if filters.industry else None,
        start=datetime.date(first, 1, 1),
        end=datetime.date(last, 12, 1),
        group_ids=group_ids,
    )
    years = trends.yearly(months)
    return {
        "period": period,
        "from": first,
        "to": last,
        "monthly": months,
        "yearly": years,
        "rows": years if period == "yearly" else months,
    }


@login_required
def trends_page(request: HttpRequest) -> HttpResponse:
    filters = _staff_filters(request, with_industry=True)
    data = _trend_rows(request, filters)
    fmt = request.GET.get("format")
    if fmt:
        return _trends_download(data, fmt)
    return render(
        request,
        "insights/trends.html",
        {
            "filters": filters,
            "industries": Industry.objects.order_by("code").only("code", "name", "name_en"),
            **data,
            "charts": _trend_charts(data["rows"]),
            "series": trends.SERIES,
        },
    )


def _trends_download(data: dict[str, Any], fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("지원하지 않는 형식입니다."))
    body = reports.trends_file(data["monthly"], data["yearly"], fmt)
    response = HttpResponse(body, content_type=reports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="trends-{data["from"]}-{data["to"]}.{fmt}"'
    return response


@login_required
def group_figures(request: HttpRequest, code: str) -> HttpResponse:
    """One group's monthly figures: for its officers and the staff who see it."""
    group = get_object_or_404(
        ExchangeGroup.objects.visible_to(request.user).select_related("federation"), code=code
    )
    scope = scope_of(request.user)
    if not (scope.central or group.federation_id in scope.region_ids or group.pk in scope.officer_group_ids):
        raise PermissionDenied(_("이 교류회의 통계를 볼 권한이 없습니다."))
    filters = Filters(None, None, None, [], [])
    data = _trend_rows(request, filters, group_ids=[group.pk])
    return render(
        request,
        "insights/group_figures.html",
        {"group": group, **data, "charts": _trend_charts(data["rows"]), "series": trends.SERIES},
    )


# ---- printable report ---------------------------------------------------------------------------


@login_required
def print_report(request: HttpRequest) -> HttpResponse:
    """A year and a region on paper: the survey table, the ledger's year and the monthly series."""
    filters = _staff_filters(request)
    context = _survey_context(request)
    year = context["year"]
    months = trends.monthly(
        region=filters.codes["region"],
        exchange_type=filters.codes["exchange_type"],
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 12, 1),
    )
    totals = trends.yearly(months)
    context.update(
        {
            "months": months,
            "year_rows": [(s, totals[0][s.key]) for s in trends.SERIES] if totals else [],
            "charts": _trend_charts(months),
            "series": trends.SERIES,
            "generated_at": timezone.localtime(),
        }
    )
    return render(request, "insights/print_report.html", context)
