"""Saved searches: a firm user or coordinator keeps a query; new approved postings that match it and that
they may see are reported to them (in-app and by e-mail), each posting once.

A posting matches when it shares at least half of the query's analysed terms (the same Kiwi terms the
matcher uses, so `센서를` meets `센서` and `스마트 팩토리` meets `스마트팩토리`) and passes the filters.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_change
from yunghap.core.messenger import notify

from . import message_codes
from .models import Posting, SavedSearch

MAX_SEARCHES_PER_USER = 50
MATCH_SHARE = 0.5
REPORT_LIST_MAX = 5


def can_save_searches(user: Any) -> bool:
    scope = scope_of(user)
    return bool(scope.firm_ids or scope.coordinator_group_ids or scope.staff)


@transaction.atomic
def create_saved_search(
    *,
    actor: Any,
    name: str,
    query: str,
    kind: str = "",
    federation_id: int | None = None,
    industry_code: str = "",
) -> SavedSearch:
    if not can_save_searches(actor):
        raise PermissionDenied(_("검색을 저장할 권한이 없습니다."))
    query = " ".join(query.split())
    if not query:
        raise ValidationError({"query": _("검색어를 입력해 주세요.")})
    if SavedSearch.objects.filter(owner=actor).count() >= MAX_SEARCHES_PER_USER:
        raise ValidationError(_("검색은 %(n)d개까지 저장할 수 있습니다.") % {"n": MAX_SEARCHES_PER_USER})
    filters: dict[str, Any] = {}
    if federation_id:
        filters["federation"] = int(federation_id)
    if industry_code:
        filters["industry"] = str(industry_code)
    search = SavedSearch.objects.create(
        owner=actor, name=name.strip() or query[:100], query=query, kind=kind, filters=filters
    )
    record_change(actor, "saved_search.create", search, {"query": query, "kind": kind, "filters": filters})
    transaction.on_commit(lambda: _enqueue_analysis(search.pk))
    return search


def _enqueue_analysis(search_id: int) -> None:
    from .tasks import analyse_saved_search

    analyse_saved_search.enqueue(search_id)


@transaction.atomic
def delete_saved_search(search: SavedSearch, *, actor: Any) -> None:
    if search.owner_id != actor.pk:
        raise PermissionDenied(_("본인이 저장한 검색만 지울 수 있습니다."))
    record_change(actor, "saved_search.delete", search, {"query": search.query})
    search.delete()


def analyse_search(search_id: int) -> None:
    """Store the query's terms (run as a task: Kiwi stays out of web workers)."""
    from .analysis import analyse_text, content_terms

    search = SavedSearch.objects.filter(pk=search_id).first()
    if search is None:
        return
    search.terms = content_terms(analyse_text(search.query))
    search.analysed_at = timezone.now()
    search.save(update_fields=["terms", "analysed_at"])


def posting_matches(search: SavedSearch, posting: Any) -> bool:
    if search.kind and posting.kind != search.kind:
        return False
    filters = search.filters or {}
    if filters.get("federation") and posting.firm.federation_id != filters["federation"]:
        return False
    if filters.get("industry"):
        industry = posting.industry or posting.firm.industry
        if industry.code != filters["industry"]:
            return False
    wanted = set(search.terms or [])
    if not wanted:
        return False
    shared = wanted & set(posting.terms or [])
    return len(shared) >= max(1, math.ceil(len(wanted) * MATCH_SHARE))


def candidate_postings(search: SavedSearch):
    """Approved, open, analysed postings the owner may see, other than their own firm's."""
    return (
        Posting.objects.visible_to(search.owner)
        .open(timezone.localdate())
        .filter(review_status=Posting.ReviewStatus.APPROVED, analysed_at__isnull=False)
        .exclude(firm_id__in=scope_of(search.owner).firm_ids)
        .select_related("firm", "industry", "firm__industry")
    )


def current_matches(search: SavedSearch, limit: int = 100) -> list[Any]:
    return [
        p
        for p in candidate_postings(search).order_by("-reviewed_at", "-id")[:2000]
        if posting_matches(search, p)
    ][:limit]


def report_new_postings(*, posting_id: int | None = None) -> int:
    """Notify each saved search's owner of matching postings approved since the search was saved and not
    reported yet. Returns the number of notifications sent."""
    sent = 0
    searches = SavedSearch.objects.filter(analysed_at__isnull=False, owner__is_active=True).select_related(
        "owner"
    )
    for search in searches.iterator(chunk_size=200):
        candidates = candidate_postings(search).filter(reviewed_at__gte=search.created_at)
        if posting_id is not None:
            candidates = candidates.filter(pk=posting_id)
        candidates = candidates.exclude(pk__in=search.reported_postings.values("pk"))
        new = [p for p in candidates.order_by("reviewed_at", "id")[:500] if posting_matches(search, p)]
        with transaction.atomic():
            search.last_checked_at = timezone.now()
            search.save(update_fields=["last_checked_at"])
            if not new:
                continue
            search.reported_postings.add(*new)
            titles = ", ".join(f"'{p.title}'" for p in new[:REPORT_LIST_MAX])
            more = len(new) - REPORT_LIST_MAX
            params = {"name": search.name, "count": len(new), "titles": titles, "more": max(more, 0)}
            notify(
                [search.owner],
                code=message_codes.SAVED_SEARCH_MATCH_MORE if more > 0 else message_codes.SAVED_SEARCH_MATCH,
                params=params,
                link=reverse("matching:saved_search_detail", args=[search.pk]),
                verb="saved_search.match",
            )
            sent += 1
    return sent


def enqueue_report(posting_id: int | None = None) -> None:
    """Report after the current transaction commits (the posting must be visible to the task)."""
    from .tasks import report_saved_searches

    transaction.on_commit(lambda: report_saved_searches.enqueue(posting_id))
