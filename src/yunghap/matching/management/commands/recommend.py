"""`yunghap recommend --firm BRN | --posting ID | --firms FILE [--top N] [--include-same-industry] --format json`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yunghap.core.validators import normalize_brn


class Command(BaseCommand):
    help = "기술파트너 추천: 회원사의 기술 수요(또는 게시글 하나)에 맞는 다른 업종의 파트너를 점수 순으로 출력합니다."

    def add_arguments(self, parser: Any) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--firm", help="사업자등록번호: 그 회원사의 마감되지 않은 기술 수요 전체")
        target.add_argument("--posting", type=int, help="게시글 ID (기술 수요 또는 기술 제공)")
        target.add_argument("--firms", help="사업자등록번호 목록 파일(한 줄에 하나)")
        parser.add_argument("--top", type=int, default=20)
        parser.add_argument("--include-same-industry", action="store_true")
        parser.add_argument("--region", action="append", default=[], help="지역연합회 코드 (여러 번 가능)")
        parser.add_argument("--size", action="append", default=[], help="규모: micro/small/medium/large")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        from yunghap.network.models import Federation, Firm

        from ...models import Posting
        from ...recommend import MatchFilters, recommend_for_firm, recommend_for_posting

        regions = []
        for code in options["region"]:
            federation = Federation.objects.filter(code=code).first()
            if federation is None:
                raise CommandError(f"지역연합회 코드가 없습니다: {code}")
            regions.append(federation.pk)
        filters = MatchFilters(
            regions=regions,
            size_classes=options["size"],
            include_same_industry=options["include_same_industry"],
        )
        top = options["top"]
        if top < 1:
            raise CommandError("--top 은 1 이상이어야 합니다.")

        def firm_by(brn: str) -> Firm:
            firm = (
                Firm.objects.select_related("industry", "federation").filter(brn=normalize_brn(brn)).first()
            )
            if firm is None:
                raise CommandError(f"등록되지 않은 사업자등록번호입니다: {brn}")
            return firm

        if options["posting"] is not None:
            posting = Posting.objects.select_related("firm__industry", "firm__federation").filter(
                pk=options["posting"]
            )
            if not posting:
                raise CommandError(f"게시글이 없습니다: {options['posting']}")
            self._emit(recommend_for_posting(posting[0], top=top, filters=filters), options)
        elif options["firm"]:
            self._emit(recommend_for_firm(firm_by(options["firm"]), top=top, filters=filters), options)
        else:
            path = Path(options["firms"])
            if not path.exists():
                raise CommandError(f"파일이 없습니다: {path}")
            brns = [
                line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()
            ]
            answer = {}
            for brn in dict.fromkeys(brns):
                result = recommend_for_firm(firm_by(brn), top=top, filters=filters)
                answer[normalize_brn(brn)] = [r.as_dict() for r in result]
                if result.hint:
                    self.stderr.write(f"{brn}: {result.hint}")
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=1))

    def _emit(self, result: Any, options: dict[str, Any]) -> None:
        if result.hint:
            self.stderr.write(result.hint)
        if options["format"] == "json":
            self.stdout.write(json.dumps([r.as_dict() for r in result], ensure_ascii=False, indent=1))
            return
        for rank, rec in enumerate(result, 1):
            self.stdout.write(f"{rank:>3}. {rec.firm.name} ({rec.firm.brn}) {rec.score:.3f}")
            for reason in rec.reasons:
                self.stdout.write(f"     - {reason}")
