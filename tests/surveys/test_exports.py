"""Survey answers export in the importer's columns and re-import unchanged (issue 8 §4)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from yunghap.core.exports import export_table
from yunghap.core.imports import import_file
from yunghap.surveys.models import SurveyResponse


@pytest.mark.parametrize(("fmt", "headers"), [("xlsx", "ko"), ("csv", "en")])
def test_survey_answers_reimport_unchanged(world, central, fmt, headers):
    SurveyResponse.objects.create(
        survey=world.survey,
        group=world.seoul_a,
        status=SurveyResponse.Status.SUBMITTED,
        members=12,
        meetings=11,
        attendance_rate=Decimal("72.5"),
        purpose_info=True,
        purpose_newproduct=True,
        rnd_results=2,
        trades_count=3,
        trades_amount_krw=45_000_000,
    )
    SurveyResponse.objects.create(survey=world.survey, group=world.seoul_b, members=1, meetings=1)  # a draft
    buffer = io.BytesIO()
    assert export_table("survey", central, buffer, fmt, headers=headers, filters={"year": world.year}) == 1
    report = import_file(
        "survey",
        buffer.getvalue(),
        actor=central,
        dry_run=True,
        filename=f"s.{fmt}",
        options={"year": world.year},
    )
    assert report.ok, report.errors
    assert (report.unchanged, report.changed) == (1, 0)
