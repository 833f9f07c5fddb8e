from __future__ import annotations

from django.core.management.base import BaseCommand

from yunghap.matching.models import SavedSearch
from yunghap.matching.searches import analyse_search, report_new_postings


class Command(BaseCommand):
    help = "저장한 검색에 맞는 새 게시글을 검색 소유자에게 알립니다."

    def handle(self, *args, **options):
        # Searches saved while no worker ran are analysed here first, so none is silently skipped.
        for pk in SavedSearch.objects.filter(analysed_at__isnull=True).values_list("pk", flat=True):
            analyse_search(pk)
        sent = report_new_postings()
        self.stdout.write(f"알림 {sent}건을 보냈습니다.")
