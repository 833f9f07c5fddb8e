"""`yunghap select --call CODE [--commit] --format json`: the selection proposal of a call, and with
`--commit` its record (a `SelectionDecision` decided by the system, whose `proposal` is what is printed)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yunghap.programmes import selection
from yunghap.programmes.models import Call
from yunghap.programmes.selection_services import decide_selection


class Command(BaseCommand):
    help = "공모의 선정안을 출력합니다(--commit: 선정 결과로 확정)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--call", required=True, help="공모 코드")
        parser.add_argument("--commit", action="store_true", help="선정안을 선정 결과로 확정합니다")
        parser.add_argument("--format", dest="fmt", choices=["json"], default="json")
        parser.add_argument("--note", default="", help="비고(위원회 의결 사항, --commit과 함께)")

    def handle(self, *args: Any, call: str, commit: bool, fmt: str, note: str, **options: Any) -> None:
        found = Call.objects.filter(code=call).first()
        if found is None:
            raise CommandError(f"공모를 찾을 수 없습니다: {call}")
        if commit:
            try:
                decision = decide_selection(found, actor=None, note=note)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            printed = selection.proposal_json(decision_proposal(decision))
        else:
            printed = selection.proposal_json(selection.propose(found))
        self.stdout.write(printed)


def decision_proposal(decision: Any) -> dict[str, Any]:
    """The recorded proposal with its scores as two-place decimals again (as printed before the commit)."""
    from decimal import Decimal

    data: dict[str, Any] = dict(decision.proposal)
    for key in ("selected", "not_selected"):
        data[key] = [
            {**item, "score": None if item["score"] is None else Decimal(str(item["score"]))}
            for item in data[key]
        ]
    return data
