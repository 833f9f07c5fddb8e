"""Demo data of reports, grades, results and follow-ups (`yunghap demo`), over the demo's agreements.

Deterministic for a seed and idempotent (nothing is done when the first agreement already has results).
Every write goes through the services (as the system, `actor=None`), so the ledger's Outcome rows, audit
rows and statistics marks are what they would be in real use:
- agreement 1: interim and final reports accepted, graded 우수, indicators with a prototype, patents,
  sales and a follow-on SMTECH task, and its first follow-up answered;
- agreement 2: final report accepted, graded 미흡 · 성실 수행, small indicators;
- agreement 3: interim report submitted, waiting for staff's review; the rest keep their schedule.
"""

from __future__ import annotations

import random

from django.utils import timezone

from . import followups, progress_services, result_services
from .models import Agreement, FollowUp, Report, ResultIndicators


def _schedule(agreement: Agreement) -> dict[str, Report]:
    """The agreement's interim and final reports (made here when the agreement has no schedule yet)."""
    reports = {r.kind: r for r in agreement.reports.order_by("seq")}
    middle = agreement.starts_on + (agreement.ends_on - agreement.starts_on) // 2
    for kind, due_on in ((Report.Kind.INTERIM, middle), (Report.Kind.FINAL, agreement.ends_on)):
        if kind not in reports:
            reports[kind] = Report.objects.create(agreement=agreement, kind=kind, due_on=due_on)
    return reports


def _accept(report: Report, summary: str) -> None:
    if report.status in (Report.Status.SCHEDULED, Report.Status.RETURNED):
        report = progress_services.submit_report(report, actor=None, summary=summary)
    if report.status == Report.Status.SUBMITTED:
        progress_services.review_report(report, actor=None, accept=True, comment="적정")


def build_progress_demo(agreements: list[Agreement], rng: random.Random) -> dict[str, int]:
    counts = {"reports": 0, "graded": 0, "indicators": 0, "followups": 0}
    if not agreements or ResultIndicators.objects.filter(agreement=agreements[0]).exists():
        return counts
    for index, agreement in enumerate(agreements[:3]):
        reports = _schedule(agreement)
        if index == 0:
            _accept(reports[Report.Kind.INTERIM], "시제품 설계와 핵심 부품 시험을 마쳤습니다.")
            _accept(reports[Report.Kind.FINAL], "시제품을 완성하고 특허 2건을 출원했습니다.")
            progress_services.grade_agreement(agreement, actor=None, grade=Agreement.Grade.EXCELLENT)
            result_services.record_indicators(
                agreement,
                actor=None,
                values={
                    "prototypes": 1,
                    "patents_applied": 2,
                    "patents_registered": 1,
                    "patent_numbers": "10-2026-00" + str(rng.randint(10000, 99999)),
                    "sales_krw": rng.randint(8, 30) * 10_000_000,
                    "jobs": rng.randint(2, 6),
                    "follow_on_task_number": f"S{rng.randint(3000000, 3999999)}",
                    "follow_on_title": "융합 센서 모듈 상용화",
                },
            )
            followup, _ = FollowUp.objects.get_or_create(
                agreement=agreement,
                years_after=1,
                defaults={"due_on": followups.years_later(agreement.ends_on, 1)},
            )
            if followup.status == FollowUp.Status.SCHEDULED:
                # The demo shows an answered follow-up whatever today's date: opened as the command would.
                FollowUp.objects.filter(pk=followup.pk).update(
                    status=FollowUp.Status.OPEN, opened_at=timezone.now()
                )
                followup.refresh_from_db()
            followups.answer_followup(
                followup,
                actor=None,
                sales_krw=rng.randint(31, 60) * 10_000_000,
                jobs=rng.randint(6, 9),
                note="양산 라인을 갖추고 첫 납품을 시작했습니다.",
            )
            counts.update(reports=counts["reports"] + 2, graded=1, indicators=1, followups=1)
        elif index == 1:
            _accept(reports[Report.Kind.FINAL], "목표의 일부만 달성했습니다(부품 수급 지연).")
            progress_services.grade_agreement(
                agreement, actor=None, grade=Agreement.Grade.POOR, conduct=Agreement.Conduct.SINCERE
            )
            result_services.record_indicators(
                agreement,
                actor=None,
                values={
                    "prototypes": 0,
                    "patents_applied": 1,
                    "patents_registered": 0,
                    "patent_numbers": "",
                    "sales_krw": 0,
                    "jobs": 1,
                    "follow_on_task_number": "",
                    "follow_on_title": "",
                },
            )
            counts.update(reports=counts["reports"] + 1, graded=counts["graded"] + 1)
            counts["indicators"] += 1
        else:
            interim = reports[Report.Kind.INTERIM]
            if interim.status == Report.Status.SCHEDULED:
                progress_services.submit_report(interim, actor=None, summary="1단계 시험 결과를 보고합니다.")
                counts["reports"] += 1
    return counts


def build_demo_progress_for_all(seed: int) -> dict[str, int]:
    """The hook of `programmes.demo.build_demo`: every agreement of the demo, oldest first."""
    agreements = list(Agreement.objects.order_by("ends_on", "pk"))
    return build_progress_demo(agreements, random.Random(seed * 13 + 3))
