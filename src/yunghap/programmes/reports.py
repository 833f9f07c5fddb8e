"""The applications of a call with their eligibility, reviews and score: one function builds the rows, for
`yunghap report applications` (JSON, CSV, XLSX) and the staff page of a call's applications.

The reasons are the stored breaches rendered in Korean whatever the reader's language (the report is the
record the committee reads); the score is `programmes.scoring.application_score` over the submitted
reviews (None until there is one). Drafts are not applications yet and are left out; withdrawn ones are in,
marked.
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yunghap.core.spreadsheets import write_table
from yunghap.core.validators import format_brn

from .models import Application, Call, ConsortiumMember, Review
from .rules import RULE_CODES, breaches_of
from .scoring import application_score

STATUSES = (Application.Eligibility.ELIGIBLE, Application.Eligibility.INELIGIBLE)


def applications_of(call: Call, user: Any = None) -> QuerySet[Application]:
    """The call's submitted (and withdrawn) applications `user` sees; all of them for the system (None)."""
    applications = Application.objects.all() if user is None else Application.objects.visible_to(user)
    return (
        applications.filter(call=call)
        .exclude(status=Application.Status.DRAFT)
        .select_related("consortium__lead", "topic")
        .annotate(
            member_count=Count(
                "consortium__members", filter=Q(consortium__members__state=ConsortiumMember.State.ACCEPTED)
            )
        )
        .order_by("ref", "id")
    )


def application_rows(
    call: Call, *, user: Any = None, eligibility: str = "", rule: str = ""
) -> list[dict[str, Any]]:
    """One dict per application (ordered by ref), filtered by eligibility and by a rule code it breaks.

    Two queries whatever the number of applications: the applications, and the scores of their reviews."""
    applications = applications_of(call, user)
    if eligibility:
        applications = applications.filter(eligibility=eligibility)
    found = list(applications)
    scores: dict[int, list[Decimal]] = defaultdict(list)
    if found:
        for application_id, points in Review.objects.filter(application__in=applications).values_list(
            "application_id", "score"
        ):
            scores[application_id].append(points)
    rows = []
    with translation.override("ko"):
        for application in found:
            breaches = breaches_of(application)
            codes = [breach.code for breach in breaches]
            if rule and rule not in codes:
                continue
            lead = application.consortium.lead
            topic = application.topic
            score = application_score(scores[application.pk])
            submitted = application.submitted_at
            rows.append(
                {
                    "ref": application.ref,
                    "title": application.title,
                    "topic": topic.code if topic is not None else None,
                    "lead": lead.name,
                    "lead_brn": format_brn(lead.brn),
                    "members": application.member_count,  # type: ignore[attr-defined]
                    "government_krw": application.government_krw,
                    "firm_cash_krw": application.firm_cash_krw,
                    "firm_inkind_krw": application.firm_inkind_krw,
                    "total_krw": application.total_krw,
                    "source": application.source,
                    "submitted_at": timezone.localtime(submitted).isoformat() if submitted else None,
                    "withdrawn": application.status == Application.Status.WITHDRAWN,
                    "status": application.eligibility or None,
                    "rules": codes,
                    "reasons": [breach.message for breach in breaches],
                    "reviews": len(scores[application.pk]),
                    "score": score,
                }
            )
    return rows


# --- files ---------------------------------------------------------------------------------------------------


def report_json(call: Call, rows: Sequence[dict[str, Any]]) -> str:
    """`{"call": code, "title": …, "applications": [row, …]}`; the score as a number (82.5) or null."""
    body = {
        "call": call.code,
        "title": call.title,
        "applications": [
            {**row, "score": None if row["score"] is None else float(row["score"])} for row in rows
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2)


def table_header() -> list[str]:
    return [
        _("접수번호"),
        _("과제명"),
        _("과제코드"),
        _("주관기업"),
        _("주관기업 사업자등록번호"),
        _("참여기업 수(주관 포함)"),
        _("정부지원금"),
        _("기업부담 현금"),
        _("기업부담 현물"),
        _("총사업비"),
        _("제출 일시"),
        _("적격 여부"),
        _("위반 규칙"),
        _("사유"),
        _("평가 수"),
        _("점수"),
    ]


def status_label(row: dict[str, Any]) -> str:
    labels = dict(Application.Eligibility.choices)
    label = str(labels.get(row["status"] or "", ""))
    return f"{label} ({_('철회')})" if row["withdrawn"] else label


def table_rows(rows: Sequence[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            row["ref"],
            row["title"],
            row["topic"] or "",
            row["lead"],
            row["lead_brn"],
            row["members"],
            row["government_krw"],
            row["firm_cash_krw"],
            row["firm_inkind_krw"],
            row["total_krw"],
            (row["submitted_at"] or "")[:19].replace("T", " "),
            status_label(row),
            ";".join(row["rules"]),
            "\n".join(row["reasons"]),
            row["reviews"],
            "" if row["score"] is None else f"{row['score']:.2f}",
        ]
        for row in rows
    ]


def table_file(call: Call, rows: Sequence[dict[str, Any]], fmt: str) -> bytes:
    """CSV (UTF-8 with BOM) or XLSX, formulas neutralised (core.spreadsheets.write_table)."""
    buffer = io.BytesIO()
    write_table(table_header(), table_rows(rows), fmt, buffer, sheet_title=f"applications {call.code}")
    return buffer.getvalue()


def check_filters(eligibility: str, rule: str) -> list[str]:
    """The problems of the filters, in Korean (empty when both are known or blank)."""
    problems = []
    if eligibility and eligibility not in STATUSES:
        problems.append(
            _("알 수 없는 적격 여부입니다: '%(value)s' (eligible 또는 ineligible)") % {"value": eligibility}
        )
    if rule and rule not in RULE_CODES:
        problems.append(
            _("알 수 없는 규칙 코드입니다: '%(value)s' (%(codes)s 중 하나)")
            % {"value": rule, "codes": ", ".join(RULE_CODES)}
        )
    return problems
