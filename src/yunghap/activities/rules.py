"""The ledger's rules: one function per rule, called by the services (web forms) and the imports alike."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _


def ledger_date_errors(value: Any, *, today: datetime.date, founded_on: datetime.date | None) -> list[str]:
    """Korean messages for the date of a ledger record (meeting, trade, outcome, activity); none if it is
    fine. A record is dated: not in the future, not before its group was founded."""
    if not isinstance(value, datetime.date):
        return [_("날짜를 입력해 주세요.")]
    errors = []
    if value > today:
        errors.append(_("오늘 이후의 날짜는 기록할 수 없습니다."))
    if founded_on and value < founded_on:
        errors.append(_("교류회 창립일(%(date)s)보다 빠른 날짜입니다.") % {"date": founded_on.isoformat()})
    return errors
