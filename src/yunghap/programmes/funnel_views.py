"""The funnel page (programmes:funnel): staff only; central staff see the country, regional staff their region."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from yunghap.accounts.scope import scope_of
from yunghap.core.http import BAD_PARAMETER_STATUS
from yunghap.core.korean import fill
from yunghap.core.params import BadParameter, year_param
from yunghap.insights import charts
from yunghap.insights.reports import FORMATS
from yunghap.network.models import Federation

from . import funnel as funnel_rules
from .models import GrowthEngine


class FunnelFilterForm(forms.Form):
    """Year, region and growth engine; an unknown code is a message beside its field (400), never a 500."""

    year = forms.CharField(
        label=gettext_lazy("연도"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": "4", "size": "6"}),
    )
    region = forms.ChoiceField(
        label=gettext_lazy("지역연합회"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("알 수 없는 지역연합회입니다: %(value)s")},
    )
    engine = forms.ChoiceField(
        label=gettext_lazy("신성장동력"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("알 수 없는 신성장동력입니다: %(value)s")},
    )

    def __init__(
        self, data: Any, *, federations: list[Federation], national: bool, engines: list[GrowthEngine]
    ) -> None:
        super().__init__(data)
        fields: dict[str, Any] = self.fields
        fields["region"].choices = ([("", _("전국"))] if national else []) + [
            (f.code, f.display_name) for f in federations
        ]
        fields["engine"].choices = [("", _("전체"))] + [(e.code, e.display_name) for e in engines]
        for name, field in fields.items():
            field.widget.attrs.setdefault("id", f"filter-{name}")
            field.widget.attrs["class"] = "krds-input" if name == "year" else "krds-form-select"

    def clean_year(self) -> int:
        try:
            return year_param(self.data, "year", default=timezone.localdate().year)
        except BadParameter as error:
            raise forms.ValidationError(error.message, code="bad_year") from error


def _form(request: HttpRequest) -> FunnelFilterForm:
    scope = scope_of(request.user)
    if not scope.staff:
        raise PermissionDenied(_("퍼널은 연합회 직원만 볼 수 있습니다."))
    federations = list(Federation.objects.filter(level=Federation.Level.REGIONAL))
    if not scope.central:
        federations = [f for f in federations if f.pk in scope.region_ids]
    code = request.GET.get("region") or ""
    if code and code not in {f.code for f in federations} and Federation.objects.filter(code=code).exists():
        raise PermissionDenied(_("다른 지역의 퍼널은 볼 수 없습니다."))
    data = {key: request.GET.get(key) for key in ("year", "region", "engine") if key in request.GET}
    if not scope.central and not code:
        data["region"] = federations[0].code  # regional staff never see national figures through a blank
    return FunnelFilterForm(
        data, federations=federations, national=scope.central, engines=list(GrowthEngine.objects.all())
    )


def _chart(figures: dict[str, Any]) -> dict[str, Any]:
    labels = [s["label"] for s in figures["steps"]]
    count_label, rate_label = _("건수"), _("전 단계 대비 전환율(%)")
    title = _("%(year)s년 성과 퍼널") % {"year": figures["year"]}
    options = charts.line_chart(
        title,
        labels,
        [
            (count_label, [s["count"] for s in figures["steps"]]),
            (rate_label, [s["rate"] for s in figures["steps"]]),
        ],
        bar=True,
        right=[rate_label],
    )
    return {
        "id": "chart-funnel",
        "json_id": "chart-funnel-options",
        "title": title,
        "options": options,
        "table": charts.data_table(
            title,
            [pgettext("funnel", "단계"), count_label, rate_label],
            [(s["label"], [s["count"], s["rate"]]) for s in figures["steps"]],
        ),
    }


@login_required
@require_GET
def funnel(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return render(
            request, "programmes/funnel.html", {"form": form, "invalid": True}, status=BAD_PARAMETER_STATUS
        )
    region, engine = form.cleaned_data["region"] or None, form.cleaned_data["engine"] or None
    figures = funnel_rules.funnel_figures(form.cleaned_data["year"], region=region, engine=engine)
    year = form.cleaned_data["year"]
    fmt = request.GET.get("format")
    by = request.GET.get("by") or ""
    if by and (
        by not in funnel_rules.BREAKDOWNS or (by == "region" and region) or (by == "engine" and engine)
    ):
        raise BadParameter(_("나눠 볼 기준은 지역(region) 또는 신성장동력(engine)입니다."))
    if fmt:
        if fmt not in ("csv", "xlsx"):
            raise Http404(_("지원하지 않는 형식입니다."))
        if by:
            rows = funnel_rules.funnel_breakdown(year, by, region=region, engine=engine)
            body = funnel_rules.breakdown_file(rows, by, year, fmt)
        else:
            body = funnel_rules.funnel_file(figures, fmt)
        response = HttpResponse(body, content_type=FORMATS[fmt])
        name = "-".join(str(part) for part in ("funnel", year, region, engine, by) if part)
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response
    breakdowns = []
    for key, title, wanted in (
        ("region", _("지역연합회별"), not region),
        ("engine", _("신성장동력별"), not engine),
    ):
        if wanted:
            rows = funnel_rules.funnel_breakdown(year, key, region=region, engine=engine)
            breakdowns.append(
                {
                    "by": key,
                    "title": title,
                    "table": charts.data_table(
                        fill(_("%(year)s년 %(title)s 퍼널"), {"year": year, "title": title}),
                        funnel_rules.breakdown_header(key),
                        [(r["label"], [r["code"], *[s["count"] for s in r["steps"]]]) for r in rows],
                    ),
                }
            )
    query = urlencode(
        [
            (key, value)
            for key, value in (("year", figures["year"]), ("region", region), ("engine", engine))
            if value
        ]
    )
    return render(
        request,
        "programmes/funnel.html",
        {
            "form": form,
            "figures": figures,
            "chart": _chart(figures),
            "query": query,
            "breakdowns": breakdowns,
        },
    )
