"""Pages of the board's side of introductions: a firm's public profile card, '소개 요청' (ask and the
handlers' list), and coordinators' notes on an introduction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.matching.models import Capability, Posting
from yunghap.matching.review import may_review_any
from yunghap.network.models import Firm

from . import requests
from .models import Introduction, IntroductionRequest
from .services import is_coordinator_for


class RequestForm(OneTimeTokenMixin, forms.Form):
    message = forms.CharField(
        label=gettext_lazy("코디네이터에게 전할 말(선택)"),
        required=False,
        max_length=requests.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("무엇을 함께하고 싶은지 적으면 코디네이터가 소개할 때 참고합니다."),
    )

    def __init__(self, *args: Any, firm_choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if firm_choices is not None:
            self.fields["firm"] = forms.ModelChoiceField(
                label=gettext_lazy("요청하는 회원사"), queryset=firm_choices
            )
            self.order_fields(["firm", "message"])


class IntroduceOnRequestForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("소개 글(선택)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineRequestForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("반려 사유"), max_length=500)


class NoteForm(OneTimeTokenMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("메모"), max_length=requests.NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- the public profile card ---------------------------------------------------------------------------


def card_firms(user: Any):
    """Firms whose card the user may open: those they see in the registry, those whose postings they see
    on the board, and the other firm of an introduction they take part in."""
    scope = scope_of(user)
    if not scope.has_network_access:
        return Firm.objects.none()
    if scope.central:
        return Firm.objects.all()
    postings = Posting.objects.visible_to(user).filter(review_status=Posting.ReviewStatus.APPROVED)
    intros = Introduction.objects.visible_to(user)
    return Firm.objects.filter(
        Q(id__in=Firm.objects.visible_to(user).values("id"))
        | Q(id__in=postings.values("firm_id"))
        | Q(id__in=intros.values("seeker_id"))
        | Q(id__in=intros.values("partner_id"))
    )


@login_required
@require_GET
def firm_card(request: HttpRequest, pk: int) -> HttpResponse:
    """What a firm shows another firm: name, region, industries, capabilities and public postings — no
    person's name, phone or e-mail (those come only with a mutually accepted introduction)."""
    firm = get_object_or_404(
        card_firms(request.user).filter(status=Firm.Status.ACTIVE).select_related("federation", "industry"),
        pk=pk,
    )
    postings = list(
        Posting.objects.visible_to(request.user)
        .open()
        .filter(firm=firm, review_status=Posting.ReviewStatus.APPROVED)
        .exclude(visibility=Posting.Visibility.COORDINATORS)
        .select_related("industry")
        .order_by("kind", "-reviewed_at", "-id")[:20]
    )
    capabilities = list(
        Capability.objects.filter(postings__in=[p.pk for p in postings]).distinct().order_by("name")
    )
    industries = [firm.industry] + [
        p.industry for p in postings if p.industry and p.industry != firm.industry
    ]
    context = {
        "firm": firm,
        "industries": list(dict.fromkeys(industries)),
        "capabilities": capabilities,
        "technologies": [str(t) for t in (firm.technologies or [])][:20],
        "products": [str(p) for p in (firm.products or [])][:20],
        "postings": postings,
    }
    return render(request, "introductions/firm_card.html", context)


# --- 소개 요청 ---------------------------------------------------------------------------------------------


def _own_active_firms(user: Any):
    return Firm.objects.filter(pk__in=scope_of(user).firm_ids, status=Firm.Status.ACTIVE)


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, posting: int) -> HttpResponse:
    firms = _own_active_firms(request.user)
    if not firms.exists():
        raise PermissionDenied(_("회원사 담당자만 소개를 요청할 수 있습니다."))
    target = get_object_or_404(
        requests.requestable_postings(request.user).select_related("firm__federation", "firm__industry"),
        pk=posting,
    )
    several = firms.count() > 1
    form = RequestForm(request.POST or None, firm_choices=firms if several else None)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request,
                form,
                lambda: requests.request_introduction(
                    target,
                    actor=request.user,
                    firm=form.cleaned_data["firm"] if several else firms.get(),
                    message=form.cleaned_data["message"],
                ),
                result_url=reverse("introductions:requests"),
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, reverse("introductions:requests"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("소개를 요청했습니다. 담당 코디네이터가 살펴보고 연락드립니다."))
            return redirect("introductions:requests")
    status = INVALID_FORM_STATUS if request.method == "POST" else 200
    return render(
        request, "introductions/request_form.html", {"form": form, "posting": target}, status=status
    )


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """The requests one made (firm users) and the requests one handles (coordinators, fallback staff)."""
    scope = scope_of(request.user)
    handles = may_review_any(request.user)
    if not (scope.firm_ids or handles):
        raise PermissionDenied(_("회원사 담당자와 코디네이터만 이용할 수 있습니다."))
    related = ("posting__firm", "requester", "seeker", "introduction")
    to_handle = (
        IntroductionRequest.objects.handled_by(request.user)
        .filter(state=IntroductionRequest.State.OPEN)
        .select_related(*related)
        .order_by("created_at", "id")
        if handles
        else IntroductionRequest.objects.none()
    )
    page = Paginator(to_handle, 25).get_page(request.GET.get("page"))
    mine = (
        IntroductionRequest.objects.filter(requester_id__in=scope.firm_ids).select_related(*related)[:50]
        if scope.firm_ids
        else []
    )
    return render(
        request,
        "introductions/requests.html",
        {
            "page_obj": page,
            "to_handle": page.object_list,
            "handles": handles,
            "mine": mine,
            "introduce_form": IntroduceOnRequestForm(prefix="introduce"),
            "decline_form": DeclineRequestForm(prefix="decline"),
        },
    )


@login_required
@require_POST
def request_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in {"introduce", "decline"}:
        raise Http404
    req = get_object_or_404(
        IntroductionRequest.objects.visible_to(request.user).select_related("posting"), pk=pk
    )
    if not IntroductionRequest.objects.handled_by(request.user).filter(pk=req.pk).exists():
        raise PermissionDenied(_("이 소개 요청은 다른 담당자가 처리합니다."))
    form: forms.Form
    if action == "introduce":
        form = IntroduceOnRequestForm(request.POST, prefix="introduce")
    else:
        form = DeclineRequestForm(request.POST, prefix="decline")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("introductions:requests")
    try:
        if action == "introduce":
            intro = requests.introduce_on_request(req, actor=request.user, note=form.cleaned_data["note"])
        else:
            requests.decline_request(req, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("introductions:requests")
    if action == "introduce":
        messages.success(request, _("두 기업에 소개 요청을 보냈습니다."))
        return redirect("introductions:detail", pk=intro.pk)
    messages.success(request, _("소개 요청을 반려했습니다."))
    return redirect("introductions:requests")


# --- coordinators' notes -----------------------------------------------------------------------------


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    intro = get_object_or_404(Introduction.objects.visible_to(request.user), pk=pk)
    if not is_coordinator_for(request.user, intro):
        raise PermissionDenied(_("이 소개의 코디네이터만 메모를 남길 수 있습니다."))
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            onetime.submit_once(
                request,
                form,
                lambda: requests.add_introduction_note(
                    intro, actor=request.user, text=form.cleaned_data["text"]
                ),
                result_url=reverse("introductions:detail", kwargs={"pk": intro.pk}) + "#notes",
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, reverse("introductions:detail", kwargs={"pk": intro.pk}))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("메모를 남겼습니다."))
            return redirect(reverse("introductions:detail", kwargs={"pk": intro.pk}) + "#notes")
    from .views import _render_detail, _visible

    return _render_detail(request, _visible(request, pk), note_form=form, status=INVALID_FORM_STATUS)
