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
from yunghap.core.http import BAD_PARAMETER_STATUS
from yunghap.network.models import ExchangeGroup, ExchangeType, Federation, Industry
from yunghap.surveys.models import Survey

from . import charts, education, reports, trends
from .forms import StatisticsFilterForm
from .models import GroupYear
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


class InvalidFilters(Exception):
    """The filter bar holds a value no page can answer: the page shows it with the messages (400)."""

    def __init__(self, form: StatisticsFilterForm) -> None:
        super().__init__("invalid filters")
        self.form = form


def _filter_form(request: HttpRequest, **options: Any) -> StatisticsFilterForm:
    """The filter bar bound to the query (defaults filled in), for staff; regional staff keep their region."""
    scope = scope_of(request.user)
    if not scope.staff:
        raise PermissionDenied(_("통계는 연합회 직원만 볼 수 있습니다."))
    federations = list(Federation.objects.filter(level=Federation.Level.REGIONAL))
    if not scope.central:
        federations = [f for f in federations if f.pk in scope.region_ids]
    code = request.GET.get("region") or ""
    if code and code not in {f.code for f in federations} and Federation.objects.filter(code=code).exists():
        raise PermissionDenied(_("다른 지역의 통계는 볼 수 없습니다."))
    data: dict[str, Any] = {key: request.GET.get(key) for key in request.GET}
    if not scope.central and not code:
        data["region"] = federations[0].code  # regional staff never see the national figures through a blank
    if options.get("year_default") is not None and not data.get("year"):
        data["year"] = str(options["year_default"])
    if options.get("range_defaults") is not None:
        data.setdefault("from", str(options["range_defaults"][0]))
        data.setdefault("to", str(options["range_defaults"][1]))
        data.setdefault("period", "monthly")
    return StatisticsFilterForm(
        data,
        federations=federations,
        national=scope.central,
        types=list(ExchangeType.objects.all()),
        **options,
    )


def _staff_filters(request: HttpRequest, **options: Any) -> tuple[Filters, StatisticsFilterForm]:
    form = _filter_form(request, **options)
    if not form.is_valid():
        raise InvalidFilters(form)
    cleaned = form.cleaned_data
    filters = Filters(
        cleaned.get("region"),
        cleaned.get("type"),
        cleaned.get("industry"),
        list(form.federations.values()),
        list(form.types.values()),
    )
    return filters, form


def _invalid(request: HttpRequest, form: StatisticsFilterForm, title: str) -> HttpResponse:
    return render(
        request, "insights/invalid_filters.html", {"form": form, "title": title}, status=BAD_PARAMETER_STATUS
    )


# ---- survey table -------------------------------------------------------------------------------


def _survey_context(request: HttpRequest, *, with_ledger_years: bool = False) -> dict[str, Any]:
    years = list(Survey.objects.order_by("-year").values_list("year", flat=True))
    choices = years
    if with_ledger_years:  # the printed report also covers a year of the ledger alone
        ledger_years = GroupYear.objects.order_by().values_list("year", flat=True).distinct()
        choices = sorted(set(years) | set(ledger_years), reverse=True)
    filters, form = _staff_filters(
        request, years=choices, year_default=years[0] if years else timezone.localdate().year
    )
    year = form.cleaned_data["year"]
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
    today = timezone.localdate()
    return {
        "filters": filters,
        "form": form,
        "years": years,
        "year": year,
        "ledger_until": today if year == today.year else None,
        "data": data,
        "rows": rows,
        "header": header,
        "chart": charts.bar_chart(
            _("%(year)s년 실태조사 결과 (응답 교류회 대비 %%)") % {"year": year},
            [charts.wrap_words(label) for label in labels],
            series,
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
                reverse("surveys:group_answer", args=[year, d["group"]["code"]]),
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
    try:
        context = _survey_context(request)
    except InvalidFilters as invalid:
        return _invalid(request, invalid.form, _("실태조사 결과표"))
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

# (title, series keys, keys on the right axis, bars, whole numbers on the left axis)
CHARTS = [
    (gettext_lazy("교류회 활동·휴면"), ["active_groups", "dormant_groups"], [], True, True),
    (gettext_lazy("회원사(중복 제외)와 교류회별 회원 합계"), ["firms", "members"], [], False, True),
    (gettext_lazy("신규 가입·탈퇴"), ["joins", "leaves"], [], True, True),
    (gettext_lazy("모임과 출석률"), ["meetings", "attendance_rate"], ["attendance_rate"], True, True),
    (gettext_lazy("회원간 수발주"), ["trades_count", "trades_amount"], [], False, True),
    (gettext_lazy("융합기술개발 실적"), ["outcomes"], [], True, True),
    (gettext_lazy("업종 다양성"), ["divisions_mean", "entropy_mean"], [], False, False),
]
# One group: no active/dormant count of one, no means over one group; its own meetings, members, trades.
GROUP_CHARTS = [
    (gettext_lazy("모임과 출석률"), ["meetings", "attendance_rate"], ["attendance_rate"], True, True),
    (gettext_lazy("회원사와 신규 가입·탈퇴"), ["firms", "joins", "leaves"], [], False, True),
    (gettext_lazy("회원간 수발주"), ["trades_count", "trades_amount"], [], False, True),
    (gettext_lazy("융합기술개발 실적"), ["outcomes"], [], True, True),
]


def _trend_charts(rows: list[dict[str, Any]], definitions: list[Any] = CHARTS) -> list[dict[str, Any]]:
    periods = [r["period"] for r in rows]
    result = []
    for index, (title, keys, right, bar, integer) in enumerate(definitions):
        labels = {k: str(trends.SERIES_BY_KEY[k].label) for k in keys}
        options = charts.line_chart(
            str(title),
            periods,
            [(labels[k], [r[k] for r in rows]) for k in keys],
            bar=bar,
            right=[labels[k] for k in right],
            integer=integer,
        )
        if keys == ["trades_count", "trades_amount"]:
            # Amounts in won dwarf counts: a second axis keeps both readable.
            options["yAxis"] = [
                {"type": "value", "minInterval": 1, "name": str(_("건"))},
                {"type": "value", "minInterval": 1, "name": str(_("원"))},
            ]
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


def _trend_rows(
    form: StatisticsFilterForm, filters: Filters, group_ids: list[int] | None = None
) -> dict[str, Any]:
    """The months of the chosen years up to the last complete month: the current month is left out (its
    flows would read as a drop), and the current year's yearly row says which months it holds."""
    period = form.cleaned_data["period"]
    first, last = form.cleaned_data["from"], form.cleaned_data["to"]
    today = timezone.localdate()
    current_month = today.replace(day=1)
    end = min(datetime.date(last, 12, 1), trends.month_before(current_month))
    months = trends.monthly(
        region=filters.codes["region"],
        exchange_type=filters.codes["exchange_type"],
        industry=filters.industry.code if filters.industry else None,
        start=datetime.date(first, 1, 1),
        end=end,
        group_ids=group_ids,
    )
    years = trends.yearly(months, partial_year=today.year)
    return {
        "period": period,
        "from": first,
        "to": last,
        "monthly": months,
        "yearly": years,
        "rows": years if period == "yearly" else months,
        "partial": trends.partial_note(today) if last >= today.year else "",
    }


def _trend_defaults() -> tuple[int, int]:
    this_year = timezone.localdate().year
    return this_year - 9, this_year


@login_required
def trends_page(request: HttpRequest) -> HttpResponse:
    industries = list(Industry.objects.order_by("code").only("code", "name", "name_en"))
    try:
        filters, form = _staff_filters(request, industries=industries, range_defaults=_trend_defaults())
    except InvalidFilters as invalid:
        return _invalid(request, invalid.form, _("교류회 동향 통계"))
    data = _trend_rows(form, filters)
    learning = _education_context(data, filters)
    fmt = request.GET.get("format")
    if fmt:
        return _trends_download(data, fmt, learning)
    return render(
        request,
        "insights/trends.html",
        {
            "filters": filters,
            "form": form,
            **data,
            **learning,
            "charts": _trend_charts(data["rows"]),
            "series": trends.SERIES,
        },
    )


def _education_context(
    data: dict[str, Any], filters: Filters, group: ExchangeGroup | None = None
) -> dict[str, Any]:
    """Education and events per year (issue 11 §7) for the chosen years, region and exchange type."""
    first, last = data["from"], data["to"]
    if group is not None:
        years = education.education_years(first=first, last=last, group_id=group.pk)
        events = None
        by_group: list[dict[str, Any]] = []
    else:
        region_id = filters.region.pk if filters.region else None
        exchange_type = filters.exchange_type.code if filters.exchange_type else None
        years = education.education_years(
            first=first, last=last, region_id=region_id, exchange_type=exchange_type
        )
        events = None if exchange_type else education.event_years(first=first, last=last, region_id=region_id)
        by_group = education.education_by_group(
            first=first, last=last, region_id=region_id, exchange_type=exchange_type
        )
    header, rows = education.table(education.GROUP_COLUMNS, by_group, "group")
    return {
        "education_years": years,
        "event_years": events,
        "education_groups": by_group,
        "education_charts": education.education_charts(years, events),
        "education_group_table": charts.data_table(
            str(_("교류회별 교육 (%(first)s~%(last)s년 합계)") % {"first": first, "last": last}),
            header,
            [(row[0], row[1:]) for row in rows],
        ),
        "education_note": bool(filters.industry),
    }


def _education_sheets(learning: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    sheets = [
        (
            _("교육(연도별)"),
            *education.table(education.EDUCATION_COLUMNS, learning["education_years"], "period"),
        )
    ]
    if learning["event_years"] is not None:
        sheets.append(
            (_("행사(연도별)"), *education.table(education.EVENT_COLUMNS, learning["event_years"], "period"))
        )
    if learning["education_groups"]:
        sheets.append(
            (
                _("교류회별 교육"),
                *education.table(education.GROUP_COLUMNS, learning["education_groups"], "group"),
            )
        )
    return sheets


def _trends_download(data: dict[str, Any], fmt: str, learning: dict[str, Any]) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("지원하지 않는 형식입니다."))
    body = reports.trends_file(
        data["monthly"], data["yearly"], fmt, note=data["partial"], extra_sheets=_education_sheets(learning)
    )
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
    defaults = _trend_defaults()
    data_in: dict[str, Any] = {key: request.GET.get(key) for key in request.GET}
    data_in.setdefault("from", str(defaults[0]))
    data_in.setdefault("to", str(defaults[1]))
    data_in.setdefault("period", "monthly")
    form = StatisticsFilterForm(
        data_in, federations=[], national=True, types=[], range_defaults=defaults, group=True
    )
    if not form.is_valid():
        return render(
            request,
            "insights/invalid_filters.html",
            {"form": form, "title": _("%(name)s 통계") % {"name": group.name}, "group": group},
            status=BAD_PARAMETER_STATUS,
        )
    filters = Filters(None, None, None, [], [])
    data = _trend_rows(form, filters, group_ids=[group.pk])
    return render(
        request,
        "insights/group_figures.html",
        {
            "group": group,
            "form": form,
            **data,
            **_education_context(data, filters, group),
            "charts": _trend_charts(data["rows"], GROUP_CHARTS),
            "series": trends.SERIES,
        },
    )


# ---- printable report ---------------------------------------------------------------------------


@login_required
def print_report(request: HttpRequest) -> HttpResponse:
    """A year and a region on paper: the survey table, the ledger's year and the monthly series."""
    try:
        context = _survey_context(request, with_ledger_years=True)
    except InvalidFilters as invalid:
        return _invalid(request, invalid.form, _("인쇄용 보고서"))
    filters, year = context["filters"], context["year"]
    today = timezone.localdate()
    months = trends.monthly(
        region=filters.codes["region"],
        exchange_type=filters.codes["exchange_type"],
        start=datetime.date(year, 1, 1),
        end=min(datetime.date(year, 12, 1), trends.month_before(today.replace(day=1))),
    )
    totals = trends.yearly(months, partial_year=today.year)
    context.update(
        {
            "months": months,
            "year_rows": [(s, totals[0][s.key]) for s in trends.SERIES] if totals else [],
            "charts": _trend_charts(months),
            "series": trends.SERIES,
            "partial": trends.partial_note(today) if year >= today.year else "",
            "generated_at": timezone.localtime(),
        }
    )
    return render(request, "insights/print_report.html", context)
