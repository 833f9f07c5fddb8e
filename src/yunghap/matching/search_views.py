"""Saved searches: list and save, see what matches now, delete."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from yunghap.core import onetime
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.network.models import Federation, Industry

from . import searches
from .models import SavedSearch


class SavedSearchForm(OneTimeTokenMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("이름"), max_length=100, required=False)
    query = forms.CharField(label=gettext_lazy("검색어"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("구분"), choices=SavedSearch.Kind.choices, required=False)
    federation = forms.ModelChoiceField(
        label=gettext_lazy("지역"),
        queryset=Federation.objects.filter(level=Federation.Level.REGIONAL),
        required=False,
        empty_label=gettext_lazy("전체"),
    )
    industry = forms.ModelChoiceField(
        label=gettext_lazy("업종(KSIC 중분류)"),
        queryset=Industry.objects.all(),
        required=False,
        empty_label=gettext_lazy("전체"),
        to_field_name="code",
    )


@login_required
@require_http_methods(["GET", "POST"])
def saved_search_list(request: HttpRequest) -> HttpResponse:
    if not searches.can_save_searches(request.user):
        raise PermissionDenied(_("검색을 저장할 권한이 없습니다."))
    form = SavedSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            search = onetime.submit_once(
                request,
                form,
                lambda: searches.create_saved_search(
                    actor=request.user,
                    name=data["name"],
                    query=data["query"],
                    kind=data["kind"],
                    federation_id=data["federation"].pk if data["federation"] else None,
                    industry_code=data["industry"].code if data["industry"] else "",
                ),
                result_url=lambda s: reverse("matching:saved_search_detail", kwargs={"pk": s.pk}),
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, reverse("matching:saved_search_list"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("검색을 저장했습니다. 맞는 새 게시글이 승인되면 알려 드립니다."))
            return redirect("matching:saved_search_detail", pk=search.pk)
    saved = SavedSearch.objects.visible_to(request.user)
    status = INVALID_FORM_STATUS if request.method == "POST" else 200
    return render(request, "matching/saved_searches.html", {"form": form, "searches": saved}, status=status)


@login_required
def saved_search_detail(request: HttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch.objects.visible_to(request.user), pk=pk)
    matches = searches.current_matches(search) if search.analysed_at else []
    return render(request, "matching/saved_search.html", {"search": search, "matches": matches})


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch.objects.visible_to(request.user), pk=pk)
    searches.delete_saved_search(search, actor=request.user)
    messages.success(request, _("저장한 검색을 지웠습니다."))
    return redirect("matching:saved_search_list")
