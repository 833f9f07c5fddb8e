"""`yunghap reanalyse_postings [--all]`: analyse stored postings again with the current analyser.

Needs analysed before the need/self split (issue 8 §6) still match on the seeker's own product words;
this re-reads them (Kiwi runs here, in the command's process). `--all` takes offers too.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "저장된 기술 수요(--all: 모든 게시글)를 현재 분석기로 다시 분석합니다."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="기술 제공도 다시 분석합니다")

    def handle(self, *args: Any, **options: Any) -> None:
        from yunghap.matching.models import Posting
        from yunghap.matching.posting_services import store_posting_analysis

        postings = Posting.objects.all() if options["all"] else Posting.objects.needs()
        count = 0
        for pk in postings.order_by("id").values_list("id", flat=True).iterator(chunk_size=1000):
            store_posting_analysis(pk)
            count += 1
        self.stdout.write(f"게시글 {count:,}건을 다시 분석했습니다.")
