"""Staff pages for the capability vocabulary (역량 어휘): list, add, edit, delete.

Central and regional federation staff keep it (the admin offers the same); everyone else gets a 403.
Changes go through `posting_services.save_capability` / `delete_capability`; the matching index notices
them on its next look.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.forms import add_service_errors
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.network.models import Industry

from . import posting_services
from .models import Capability


def _require_staff(user: Any) -> None:
    if not scope_of(user).staff:
        raise PermissionDenied(_("역량 어휘는 연합회 직원만 관리할 수 있습니다."))


class CapabilityForm(OneTimeTokenMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("역량명"), max_length=100)
    synonyms = forms.CharField(
        label=gettext_lazy("한국어 동의어"),
        required=False,
        help_text=gettext_lazy("';'로 구분 (예: 금형 제작; 몰드)"),
    )
    english_terms = forms.CharField(
        label=gettext_lazy("영문 용어"), required=False, help_text=gettext_lazy("';'로 구분 (예: mold; PLC)")
    )
    industries = forms.ModelMultipleChoiceField(
        label=gettext_lazy("관련 업종(KSIC 중분류)"), queryset=Industry.objects.all(), required=False
    )
    description = forms.CharField(label=gettext_lazy("설명"), max_length=300, required=False)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "synonyms": posting_services.parse_keywords(data["synonyms"]),
            "english_terms": posting_services.parse_keywords(data["english_terms"]),
            "industries": list(data["industries"]),
            "description": data["description"],
        }


@login_required
def vocabulary_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    query = request.GET.get("q", "").strip()
    capabilities = Capability.objects.annotate(posting_count=Count("postings")).prefetch_related("industries")
    if query:
        capabilities = capabilities.filter(Q(name__icontains=query) | Q(synonyms__icontains=query))
    page = Paginator(capabilities.order_by("name"), 50).get_page(request.GET.get("page"))
    return render(request, "matching/vocabulary_list.html", {"page": page, "query": query})


def _save(request: HttpRequest, capability: Capability | None) -> HttpResponse:
    _require_staff(request.user)
    # Adding a capability carries a one-time token; an edit saves the same values again, harmlessly.
    one_time = capability is None
    if request.method == "POST":
        form = CapabilityForm(request.POST, one_time=one_time)
        if form.is_valid():
            done_url = reverse("matching:vocabulary_list")
            try:
                onetime.submit_once(
                    request,
                    form,
                    lambda: posting_services.save_capability(
                        capability, actor=request.user, **form.service_fields()
                    ),
                    result_url=done_url,
                )
            except onetime.AlreadySubmitted as done:
                return done.response(request, done_url)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("matching:vocabulary_list")
    elif capability is not None:
        form = CapabilityForm(
            one_time=False,
            initial={
                "name": capability.name,
                "synonyms": "; ".join(capability.synonyms),
                "english_terms": "; ".join(capability.english_terms),
                "industries": list(capability.industries.all()),
                "description": capability.description,
            },
        )
    else:
        form = CapabilityForm()
    return render(request, "matching/vocabulary_form.html", {"form": form, "capability": capability})


@login_required
def vocabulary_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@login_required
def vocabulary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save(request, get_object_or_404(Capability, pk=pk))


@login_required
def vocabulary_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    capability = get_object_or_404(Capability, pk=pk)
    if request.method == "POST":
        posting_services.delete_capability(capability, actor=request.user)
        return redirect("matching:vocabulary_list")
    return render(request, "matching/vocabulary_delete.html", {"capability": capability})
