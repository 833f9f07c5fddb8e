"""The demo's 2009 survey gives the plan's published table exactly."""

from __future__ import annotations

import io
from decimal import Decimal

from yunghap.insights.selectors import survey_report
from yunghap.network.demo import generate_network, write_network
from yunghap.network.demo_users import create_demo_users
from yunghap.surveys.demo import build_demo
from yunghap.surveys.models import Survey, SurveyResponse


def test_demo_2009_table_is_the_plans(db):
    write_network(generate_network())
    create_demo_users()
    out = io.StringIO()
    build_demo(seed=20090301, stdout=out)
    assert survey_report(2009) == {
        "year": 2009,
        "respondents": 195,
        "purpose_share": {
            "info": Decimal("83.6"),
            "resource": Decimal("30.8"),
            "newproduct": Decimal("24.1"),
        },
        "groups_with_rnd": {"count": 46, "share": Decimal("23.6")},
        "rnd_results": 72,
        "meetings_per_year_mean": Decimal("11.0"),
        "attendance_70_share": Decimal("93.3"),
    }
    answered = SurveyResponse.objects.filter(survey__year=2009).select_related("group")
    assert all(r.group.founded_on.year < 2009 for r in answered)
    current = Survey.objects.get(status="open")
    statuses = set(current.responses.values_list("status", flat=True))
    assert statuses == {"draft", "submitted"}
    assert "2009년 응답 195개" in out.getvalue()
