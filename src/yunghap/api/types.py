"""Input types of the API that are stricter than pydantic's lax defaults, so the document says what the API
takes: a date is an ISO `YYYY-MM-DD` string (pydantic alone would also take 0 or 1700000000 as a Unix time)."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from pydantic import BeforeValidator

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value
    raise ValueError("날짜는 YYYY-MM-DD 형식으로 보내 주세요.")


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date_only)]
