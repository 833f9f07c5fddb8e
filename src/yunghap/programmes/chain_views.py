"""The result's page with its chain (programmes:result_chain)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .chain import chain_of, outcome_visible_to


@login_required
@require_GET
def result_chain(request: HttpRequest, pk: int) -> HttpResponse:
    """A ledger result and the chain that led to it: for whoever sees the result's group or its agreement."""
    outcome = get_object_or_404(outcome_visible_to(request.user).select_related("group"), pk=pk)
    return render(
        request,
        "programmes/chain_result.html",
        {"outcome": outcome, "chain": chain_of(outcome, viewer=request.user)},
    )
