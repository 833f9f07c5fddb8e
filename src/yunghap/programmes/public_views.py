"""The programmes' public pages (issue 12 §4, §6), for anyone, signed in or not.

Calls: published calls only, whoever reads (central staff see drafts in /programmes/, never here). Topics:
accepted and leading ones (`discovery.public_topics`); a signed-in firm user marks "관심 있음" for one of
their firms. Nothing here depends on the reader but the interest panel.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.network.directory_views import explained_refusal

from . import call_rules_text, discovery
from .call_views import annotate_calls, group_calls
from .models import Call, GrowthEngine, Topic
from .topic_forms import TopicFilterForm

PAGE_SIZE = 20
SEARCH_WORDS = 5


def published_calls() -> Any:
    """Calls the public reads: published ones. Drafts never, whoever asks."""
    return Call.objects.filter(published_at__isnull=False)


@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    groups = group_calls(published_calls())
    sections = [
        (state, call_rules_text.STATE_LABELS[state], groups[state])
        for state in (call_rules_text.OPEN, call_rules_text.UPCOMING, call_rules_text.CLOSED)
    ]
    return render(request, "programmes/public/call_list.html", {"sections": sections})


@require_GET
def call_detail(request: HttpRequest, code: str) -> HttpResponse:
    call = get_object_or_404(published_calls(), code=code)
    annotate_calls([call], timezone.now())
    topics = list(call.topics.filter(status__in=discovery.PUBLIC_STATUSES).select_related("growth_engine"))
    return render(
        request,
        "programmes/public/call_detail.html",
        {
            "call": call,
            "sentences": call_rules_text.rules_sentences(call),
            "topics": sorted(topics, key=lambda t: t.code),
            "is_open": call.state == call_rules_text.OPEN,  # type: ignore[attr-defined]
        },
    )


class PublicTopicFilterForm(TopicFilterForm):
    """Growth engine and words; the status filter keeps only the public statuses."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("전체")),
            *[(value, label) for value, label in Topic.Status.choices if value in discovery.PUBLIC_STATUSES],
        ]
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"discovery-{name}")
            field.widget.attrs["class"] = "krds-input" if name == "q" else "krds-form-select"


@require_GET
def topic_list(request: HttpRequest) -> HttpResponse:
    engines = list(GrowthEngine.objects.order_by("code"))
    form = PublicTopicFilterForm(request.GET or None, engines=engines)
    filters = form.filters()
    topics = discovery.public_topics().select_related("growth_engine")
    if filters.get("engine"):
        topics = topics.filter(growth_engine__code=filters["engine"])
    if filters.get("status"):
        topics = topics.filter(status=filters["status"])
    for word in filters.get("q", "").split()[:SEARCH_WORDS]:
        topics = topics.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(code__icontains=word)
        )
    page = Paginator(topics.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/public/topic_list.html",
        {"form": form, "page_obj": page, "topics": page.object_list},
    )


def _topic_page(request: HttpRequest, topic: Topic, *, error: str = "", status: int = 200) -> HttpResponse:
    firms: list[Any] = []
    interested: set[int] = set()
    if request.user.is_authenticated:
        firms = list(discovery.interest_firms(request.user).only("id", "name"))
        interested = discovery.interested_firm_ids(topic, firms)
    calls = list(topic.calls.filter(published_at__isnull=False).order_by("-opens_on", "code"))
    return render(
        request,
        "programmes/public/topic_detail.html",
        {
            "topic": topic,
            "capabilities": list(topic.capabilities.order_by("name").values_list("name", flat=True)),
            "calls": calls,
            "firms": [(firm, firm.pk in interested) for firm in firms],
            "error": error,
        },
        status=status,
    )


def _public_topic(code: str) -> Topic:
    return get_object_or_404(discovery.public_topics().select_related("growth_engine"), code=code)


@require_GET
def topic_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _topic_page(request, _public_topic(code))


@explained_refusal
def topic_interest(request: HttpRequest, code: str) -> HttpResponse:
    """POST: mark (`interested=1`) or unmark (`interested=0`) one of the user's firms' interest; without
    `interested`, it toggles. A visitor is sent to sign in and back to the topic."""
    detail_url = reverse("public_programmes:topic_detail", kwargs={"code": code})
    if not request.user.is_authenticated:
        return redirect_to_login(detail_url)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    topic = _public_topic(code)
    firms = list(discovery.interest_firms(request.user))
    if not firms:
        raise PermissionDenied(discovery.MESSAGES[discovery.NOT_FIRM_USER])
    firm = _chosen_firm(request, firms)
    if firm is None:
        return _topic_page(
            request, topic, error=str(discovery.MESSAGES[discovery.FIRM_NOT_OWN]), status=INVALID_FORM_STATUS
        )
    wanted = request.POST.get("interested")
    if wanted in ("1", "0"):
        interested = wanted == "1"
    else:
        interested = firm.pk not in discovery.interested_firm_ids(topic, [firm])
    try:
        discovery.set_interest(topic, firm, actor=request.user, interested=interested)
    except ValidationError as error:
        raise PermissionDenied(error.messages[0]) from error
    if interested:
        messages.success(request, _("%(firm)s의 관심을 표시했습니다.") % {"firm": firm.name})
    else:
        messages.success(request, _("%(firm)s의 관심 표시를 거두었습니다.") % {"firm": firm.name})
    return redirect(detail_url)


def _chosen_firm(request: HttpRequest, firms: list[Any]) -> Any:
    """The firm named by `firm` (an id of one of the user's firms); the only one when they have one."""
    raw = request.POST.get("firm", "")
    if raw.isascii() and raw.isdigit() and len(raw) < 19:
        return next((f for f in firms if f.pk == int(raw)), None)
    if not raw and len(firms) == 1:
        return firms[0]
    return None
