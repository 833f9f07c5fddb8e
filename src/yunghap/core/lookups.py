"""`in` lookups on integer columns that ignore values the column cannot hold.

Django (5.0+) already turns `id=99999999999999999999999` into "no rows" instead of a database error; `id__in`
does not, and a form's multiple choice (`ModelMultipleChoiceField` filters `pk__in=[...]`) then reaches SQLite
with a 23-digit number and fails with OverflowError, a 500 for a typed parameter. A value outside the column's
range can match no row, so it is dropped before the query is built; an empty list then matches nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


class InRangeIn(In):
    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value() and isinstance(self.rhs, (list, tuple, set)):
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    # Every integer field (ids included: AutoField and BigAutoField are IntegerFields) uses this `in`.
    IntegerField.register_lookup(InRangeIn)
