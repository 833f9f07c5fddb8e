from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.factories import GroupFactory
from yunghap.network.models import ExchangeType
from yunghap.surveys.models import Survey, SurveyResponse

YEAR = 2009


@pytest.fixture
def survey(db):
    return Survey.objects.create(year=YEAR, opened_on=datetime.date(YEAR, 3, 1), status="closed")


@pytest.fixture
def answer(survey):
    """answer(group=None, **fields): a submitted answer (a new Seoul group unless one is given)."""

    def make(group=None, status=SurveyResponse.Status.SUBMITTED, types=(), **fields):
        group = group or GroupFactory()
        if types:
            group.exchange_types.set(ExchangeType.objects.filter(code__in=types))
        values = {"members": 10, "meetings": 11, "attendance_rate": Decimal("80.0"), **fields}
        return SurveyResponse.objects.create(survey=survey, group=group, status=status, **values)

    return make
