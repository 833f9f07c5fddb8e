"""Web pages for offers and needs (기술 제공·수요): a firm writes its own, a coordinator reviews them before
they go beyond coordinators (services: `posting_services`)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.core.messenger import notify
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.network.models import Firm

from . import message_codes
from . import review as review_rule
from .models import Posting
from .searches import enqueue_report

KEYWORD_SPLIT = re.compile(r"[;,\n]+")
MAX_EXPIRY_DAYS = 366


class PostingForm(OneTimeTokenMixin, forms.ModelForm):
    keywords_text = forms.CharField(
        label=gettext_lazy("키워드(선택)"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("쉼표(,)나 세미콜론(;)으로 구분합니다. 예: 금형, CNC, 사출"),
    )

    class Meta:
        model = Posting
        fields = ["kind", "title", "description", "industry", "growth_engines", "expires_on", "visibility"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "expires_on": forms.DateInput(attrs={"type": "date"}),
            "growth_engines": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, firm_choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["keywords_text"].initial = ", ".join(self.instance.keywords or [])
        else:
            self.fields["expires_on"].initial = timezone.localdate() + datetime.timedelta(days=180)
        if firm_choices is not None:
            self.fields["firm"] = forms.ModelChoiceField(label=_("회원사"), queryset=firm_choices)
            self.order_fields(["firm"])

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("제목을 입력해 주세요."))
        return title

    def clean_expires_on(self) -> datetime.date:
        expires_on = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if expires_on < today:
            raise ValidationError(_("게시 기한은 오늘 이후여야 합니다."))
        if expires_on > today + datetime.timedelta(days=MAX_EXPIRY_DAYS):
            raise ValidationError(_("게시 기한은 1년 이내로 정해 주세요."))
        return expires_on

    def clean_keywords_text(self) -> list[str]:
        words = [" ".join(w.split()) for w in KEYWORD_SPLIT.split(self.cleaned_data["keywords_text"] or "")]
        words = list(dict.fromkeys(w for w in words if w))
        if len(words) > 30:
            raise ValidationError(_("키워드는 30개까지 입력할 수 있습니다."))
        if any(len(w) > 50 for w in words):
            raise ValidationError(_("키워드 하나는 50자 이내여야 합니다."))
        return words

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "keywords": data["keywords_text"],
            "industry": data["industry"],
            "growth_engines": list(data["growth_engines"]),
            "expires_on": data["expires_on"],
            "visibility": data["visibility"],
        }


def _posting_services() -> Any:
    # Imported when used: the matching app's services load its index modules, which pages here don't need.
    from yunghap.matching import posting_services

    return posting_services


def _own_firms(user: Any):
    return Firm.objects.filter(pk__in=scope_of(user).firm_ids, status=Firm.Status.ACTIVE)


def _can_edit(user: Any, posting: Posting) -> bool:
    scope = scope_of(user)
    return scope.central or posting.firm_id in scope.firm_ids


def _notify_reviewers(posting: Posting) -> None:
    notify(
        review_rule.reviewers_of(posting),
        code=message_codes.POSTING_REVIEW_REQUESTED,
        params={"firm": posting.firm.name, "title": posting.title},
        link=reverse("matching:review_queue"),
        verb="posting.review_requested",
    )


@login_required
@require_GET
def my_postings(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    if not scope.firm_ids:
        raise PermissionDenied(_("회원사 담당자만 이용할 수 있습니다."))
    qs = (
        Posting.objects.visible_to(request.user)
        .filter(firm_id__in=scope.firm_ids)
        .select_related("firm", "industry")
        .order_by("-created_at", "-id")
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "matching/postings.html", {"postings": page.object_list, "page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def posting_create(request: HttpRequest) -> HttpResponse:
    firms = _own_firms(request.user)
    if not firms.exists():
        raise PermissionDenied(_("회원사 담당자만 게시글을 쓸 수 있습니다."))
    several = firms.count() > 1
    form = PostingForm(request.POST or None, firm_choices=firms if several else None)
    if request.method == "POST" and form.is_valid():
        firm = form.cleaned_data["firm"] if several else firms.get()
        try:
            posting = onetime.submit_once(
                request,
                form,
                lambda: _posting_services().create_posting(firm, actor=request.user, **form.service_fields()),
                result_url=reverse("matching:posting_list"),
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, reverse("matching:posting_list"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _notify_reviewers(posting)
            messages.success(request, _("게시글을 등록했습니다. 코디네이터 검토 뒤 공개 범위가 적용됩니다."))
            return redirect("matching:posting_list")
    status = INVALID_FORM_STATUS if request.method == "POST" else 200
    return render(request, "matching/posting_form.html", {"form": form, "posting": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def posting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    posting = get_object_or_404(Posting.objects.visible_to(request.user).select_related("firm"), pk=pk)
    if not _can_edit(request.user, posting):
        raise PermissionDenied(_("이 게시글을 고칠 권한이 없습니다."))
    form = PostingForm(request.POST or None, instance=posting)
    if request.method == "POST" and form.is_valid():
        try:
            posting = _posting_services().update_posting(posting, actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if posting.review_status == Posting.ReviewStatus.PENDING:
                _notify_reviewers(posting)
            else:
                enqueue_report(posting.pk)
            messages.success(request, _("게시글을 고쳤습니다."))
            return redirect("matching:posting_list")
    status = INVALID_FORM_STATUS if request.method == "POST" else 200
    return render(request, "matching/posting_form.html", {"form": form, "posting": posting}, status=status)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("검토 결과"),
        choices=[("approve", gettext_lazy("승인")), ("reject", gettext_lazy("반려"))],
    )
    note = forms.CharField(label=gettext_lazy("검토 의견"), max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("반려할 때는 사유를 적어 주세요."))
        return data


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    if not review_rule.may_review_any(request.user):
        raise PermissionDenied(_("게시글 검토 담당자(코디네이터·연합회 담당자)만 이용할 수 있습니다."))
    pending = review_rule.pending_for(request.user).select_related("firm", "industry", "firm__industry")
    page = Paginator(pending, 25).get_page(request.GET.get("page"))
    postings = review_rule.label_levels(list(page.object_list))
    return render(
        request,
        "matching/review_queue.html",
        {"postings": postings, "page_obj": page, "form": ReviewForm(), "total": page.paginator.count},
    )


@login_required
@require_GET
def review_count(request: HttpRequest) -> HttpResponse:
    """The menu's badge: how many postings wait for this user's review (empty for those without a queue)."""
    if not review_rule.may_review_any(request.user):
        return HttpResponse("")
    n = review_rule.pending_for(request.user).count()
    return render(request, "matching/includes/review_count.html", {"n": n})


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    if not review_rule.may_review_any(request.user):
        raise PermissionDenied(_("게시글 검토 담당자(코디네이터·연합회 담당자)만 이용할 수 있습니다."))
    posting = get_object_or_404(Posting.objects.visible_to(request.user).select_related("firm"), pk=pk)
    if not review_rule.can_review(request.user, posting):
        raise PermissionDenied(_("이 게시글은 다른 담당자가 검토합니다."))
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                # Iterating an ErrorList gives its messages; the stubs also allow ValidationError.
                messages.error(request, str(error))
        return redirect("matching:review_queue")
    note = form.cleaned_data["note"].strip()
    try:
        if form.cleaned_data["decision"] == "approve":
            _posting_services().approve_posting(posting, actor=request.user, note=note)
            enqueue_report(posting.pk)
            code = message_codes.POSTING_APPROVED
        else:
            _posting_services().reject_posting(posting, actor=request.user, note=note)
            code = message_codes.POSTING_REJECTED
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("matching:review_queue")
    notify(
        review_rule.firm_users([posting.firm_id]),
        code=code,
        params={"title": posting.title, "note": note},
        link=reverse("matching:posting_list"),
        verb="posting.reviewed",
    )
    messages.success(request, _("검토 결과를 저장했습니다."))
    return redirect("matching:review_queue")
