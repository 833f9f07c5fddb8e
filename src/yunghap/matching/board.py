"""The board of offers and needs (기술 게시판): what a signed-in network member may see, filtered.

Visibility is the postings' own (`Posting.objects.visible_to`): approved postings shared with the network
(or public), and one's own firm's. Only approved, open postings are listed here; pending ones are in the
review queue of those who review them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from yunghap.accounts.scope import scope_of
from yunghap.network.forms import FastSelect
from yunghap.network.pagecache import wants_fragment
from yunghap.network.selectors import reference_choices

from .models import Posting

PAGE_SIZE = 20
KEYWORD_MAX = 100


class BoardFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("구분"),
        required=False,
        choices=[("", gettext_lazy("제공·수요 모두")), *Posting.Kind.choices],
        widget=FastSelect,
    )
    division = forms.ChoiceField(label=gettext_lazy("업종(KSIC 중분류)"), required=False, widget=FastSelect)
    region = forms.ChoiceField(label=gettext_lazy("지역연합회"), required=False, widget=FastSelect)
    q = forms.CharField(label=gettext_lazy("키워드 검색"), required=False, max_length=KEYWORD_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = reference_choices()
        fields: dict[str, Any] = self.fields
        fields["region"].choices = [("", _("전체")), *choices["regions"]]
        fields["division"].choices = [("", _("전체")), *choices["divisions"]]
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"board-{name}")
            field.widget.attrs["class"] = "krds-input" if name == "q" else "krds-form-select"

    def filters(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value.strip() for name, value in self.cleaned_data.items() if value and value.strip()}


def board_postings(user: Any, filters: dict[str, str]) -> QuerySet[Posting]:
    """Approved, open postings the user may see, newest first, narrowed by the board's filters."""
    qs = (
        Posting.objects.visible_to(user)
        .open()
        .filter(review_status=Posting.ReviewStatus.APPROVED)
        .select_related("firm__federation", "firm__industry", "industry")
        .order_by("-reviewed_at", "-id")
    )
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("division"):
        code = filters["division"]
        # A posting's industry is its own when given, else its firm's.
        qs = qs.filter(Q(industry__code=code) | Q(industry__isnull=True, firm__industry__code=code))
    if filters.get("region"):
        qs = qs.filter(firm__federation__code=filters["region"])
    for word in filters.get("q", "").split()[:5]:
        qs = qs.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(keywords__icontains=word)
        )
    return qs


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if not scope.has_network_access:
        raise PermissionDenied(_("교류망 회원만 기술 게시판을 볼 수 있습니다."))
    form = BoardFilterForm(request.GET or None)
    page = Paginator(board_postings(request.user, form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    template = "matching/includes/board_results.html" if wants_fragment(request) else "matching/board.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page,
            "postings": page.object_list,
            "own_firm_ids": scope.firm_ids,
            # Firm users ask a coordinator for an introduction to a posting's firm.
            "can_request": bool(scope.firm_ids),
        },
    )
