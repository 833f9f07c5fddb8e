"""`yunghap report survey --year YYYY [--region CODE] [--type CODE] --format json|csv|xlsx [--output FILE]`
and `yunghap report applications --call CODE [--eligibility E] [--rule CODE] --format json|csv|xlsx [--output
FILE]` (a call's applications with their eligibility, reviews and score: programmes.reports), and
`yunghap report settlement --call CODE --format json|csv|xlsx` (every agreement's settlement), and
`yunghap report funnel --year YYYY [--region CODE] [--engine CODE] [--by region|engine] --format json|csv|xlsx`
(programmes.funnel), and `yunghap report completion --event CODE --format json|csv|xlsx` (every
registration's completion: events.completion_report)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yunghap.insights import reports
from yunghap.insights.selectors import comparison
from yunghap.network.models import ExchangeType, Federation


def report_year(text: str) -> int:
    """--year as the pages read it (core.params): a Korean message and exit code 2 for a bad value."""
    from argparse import ArgumentTypeError

    from yunghap.core.params import BadParameter, year_param

    try:
        return year_param({"year": text}, "year", default=0)
    except BadParameter as error:
        raise ArgumentTypeError(error.message) from error


class Command(BaseCommand):
    help = "실태조사 결과표(계획서의 표) 또는 공모의 신청 현황을 JSON, CSV 또는 XLSX로 출력합니다."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["survey", "applications", "settlement", "funnel", "completion"])
        parser.add_argument("--year", type=report_year, help="조사 연도 (survey, funnel: 필수)")
        parser.add_argument("--call", help="공모 코드 (applications: 필수)")
        parser.add_argument("--eligibility", default="", help="applications: eligible 또는 ineligible만")
        parser.add_argument("--rule", default="", help="applications: 이 규칙을 어긴 신청만 (예: firm_limit)")
        parser.add_argument("--region", help="지역연합회 코드 (예: seoul)")
        parser.add_argument(
            "--type", dest="exchange_type", help="교류 유형 코드 (info, resource, newproduct)"
        )
        parser.add_argument("--engine", help="funnel: 신성장동력 코드 (예: NGE09-09)")
        parser.add_argument(
            "--by", default="", help="funnel: 지역(region) 또는 신성장동력(engine)별로 나눠 출력"
        )
        parser.add_argument("--event", help="completion: 행사 코드 (필수)")
        parser.add_argument("--format", dest="fmt", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--output", help="파일 경로 (없으면 표준 출력; xlsx는 파일 필요)")

    def handle(
        self,
        *args: Any,
        kind: str,
        year: int | None,
        region: str | None,
        exchange_type: str | None,
        fmt: str,
        output: str | None,
        **options: Any,
    ) -> None:
        if fmt == "xlsx" and not output:
            raise CommandError("XLSX는 --output 파일로만 출력할 수 있습니다.")
        if kind == "settlement":
            body = self.settlement(options.get("call"), fmt)
        elif kind == "completion":
            body = self.completion(options.get("event"), fmt)
        elif kind == "funnel":
            body = self.funnel(year, region, options.get("engine"), fmt, options.get("by") or "")
        elif kind == "applications":
            body = self.applications(options.get("call"), options["eligibility"], options["rule"], fmt)
        else:
            if year is None:
                raise CommandError("--year로 조사 연도를 지정해야 합니다.")
            body = self.survey(year, region, exchange_type, fmt)
        if output:
            Path(output).write_bytes(body)
            self.stderr.write(f"{output}에 저장했습니다.")
        else:
            self.stdout.write(body.decode("utf-8"), ending="")

    def applications(self, code: str | None, eligibility: str, rule: str, fmt: str) -> bytes:
        from yunghap.programmes import reports as programme_reports
        from yunghap.programmes.models import Call

        if not code:
            raise CommandError("--call로 공모 코드를 지정해야 합니다.")
        call = Call.objects.filter(code=code).first()
        if call is None:
            raise CommandError(f"등록되지 않은 공모 코드입니다: {code}")
        problems = programme_reports.check_filters(eligibility, rule)
        if problems:
            raise CommandError(" ".join(problems))
        rows = programme_reports.application_rows(call, eligibility=eligibility, rule=rule)
        if fmt == "json":
            return (programme_reports.report_json(call, rows) + "\n").encode()
        return programme_reports.table_file(call, rows, fmt)

    def completion(self, code: str | None, fmt: str) -> bytes:
        """`yunghap report completion --event CODE`: every registration's stored completion."""
        from yunghap.events import completion_report
        from yunghap.events.models import Event

        if not code:
            raise CommandError("--event로 행사 코드를 지정해야 합니다.", returncode=2)
        event = Event.objects.filter(code=code).first()
        if event is None:
            raise CommandError(f"등록되지 않은 행사 코드입니다: {code}", returncode=2)
        rows = completion_report.completion_rows(event)
        if fmt == "json":
            return (completion_report.report_json(rows) + "\n").encode()
        return completion_report.report_file(event, rows, fmt)

    def settlement(self, code: str | None, fmt: str) -> bytes:
        """`yunghap report settlement --call CODE`: every agreement's settlement (programmes.settlement_services)."""
        from yunghap.programmes import settlement_services
        from yunghap.programmes.models import Call

        if not code:
            raise CommandError("--call로 공모 코드를 지정해야 합니다.")
        call = Call.objects.filter(code=code).first()
        if call is None:
            raise CommandError(f"등록되지 않은 공모 코드입니다: {code}")
        rows = settlement_services.call_settlement_rows(call)
        if fmt == "json":
            return (settlement_services.report_json(call, rows) + "\n").encode()
        return settlement_services.report_file(call, rows, fmt)

    def survey(self, year: int, region: str | None, exchange_type: str | None, fmt: str) -> bytes:
        if region and not Federation.objects.filter(code=region, level=Federation.Level.REGIONAL).exists():
            raise CommandError(f"알 수 없는 지역연합회 코드입니다: {region}")
        if exchange_type and not ExchangeType.objects.filter(code=exchange_type).exists():
            raise CommandError(f"알 수 없는 교류 유형 코드입니다: {exchange_type}")
        data = comparison(year, region=region, exchange_type=exchange_type)
        reported, observed = data["reported"], data["observed"]
        if fmt == "json":
            body = (
                reports.report_json(
                    reported, observed=observed, filters={"region": region, "exchange_type": exchange_type}
                )
                + "\n"
            ).encode()
        else:
            columns = [("실태조사(응답)", reported)] + ([("활동 실적(장부)", observed)] if observed else [])
            header, rows = reports.report_rows(columns)
            body = reports.table_file(header, rows, fmt, f"survey {year}")
        return body

    def funnel(
        self, year: int | None, region: str | None, engine: str | None, fmt: str, by: str = ""
    ) -> bytes:
        """The funnel of programmes.funnel (the page's figures); a bad year, region or engine exits with 2."""
        from yunghap.programmes import funnel
        from yunghap.programmes.models import GrowthEngine

        if not year:
            raise CommandError("--year로 연도를 지정해야 합니다.", returncode=2)
        if region and not Federation.objects.filter(code=region, level=Federation.Level.REGIONAL).exists():
            raise CommandError(f"알 수 없는 지역연합회 코드입니다: {region}", returncode=2)
        if engine and not GrowthEngine.objects.filter(code=engine).exists():
            raise CommandError(f"알 수 없는 신성장동력 코드입니다: {engine}", returncode=2)
        if by:
            if by not in funnel.BREAKDOWNS:
                raise CommandError(f"--by는 region 또는 engine입니다: {by}", returncode=2)
            rows = funnel.funnel_breakdown(year, by, region=region, engine=engine)
            if fmt == "json":
                return (funnel.breakdown_json(rows, by, year) + "\n").encode()
            return funnel.breakdown_file(rows, by, year, fmt)
        figures = funnel.funnel_figures(year, region=region, engine=engine)
        if fmt == "json":
            return (funnel.funnel_json(figures) + "\n").encode()
        return funnel.funnel_file(figures, fmt)
