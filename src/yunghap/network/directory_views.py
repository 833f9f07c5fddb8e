"""The public directory (issue 12 §3): active exchange groups and the firms that consented to be listed,
with the public fields only (`public_fields`), for anyone, signed in or not; and the page where a firm's
users manage their consent and see their public card ("내 공개 카드").

The public pages never read `visible_to(user)`: they show the same to everyone, staff included, so that
what a visitor sees can be checked by signing out.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.confirm import ConfirmForm, confirm_page
from yunghap.core.i18n import in_reader_language
from yunghap.core.middleware_errors import error_response

from . import directory_services, public_fields, selectors
from .directory_forms import DirectoryFirmFilterForm, DirectoryGroupFilterForm
from .models import Firm, FirmListing, Membership

PAGE_SIZE = settings.PAGE_SIZE


def explained_refusal(view: Any) -> Any:
    """A 403 of this view shows its Korean reason on the error page (the project's 403 page shows none)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)  # type: ignore[no-any-return]
        except PermissionDenied as refusal:
            return error_response(request, 403, message=str(refusal) or None)

    return wrapped


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _listed_member_divisions(group_ids: list[int]) -> dict[int, list[str]]:
    """The KSIC divisions of each group's listed current members, one query: unlisted members never count."""
    result: dict[int, list[str]] = defaultdict(list)
    if not group_ids:
        return result
    rows = (
        Membership.objects.current(timezone.localdate())
        .filter(group_id__in=group_ids, firm__in=public_fields.listed_firms())
        .values_list("group_id", "firm__industry__code", "firm__industry__name", "firm__industry__name_en")
        .distinct()
        .order_by("group_id", "firm__industry__code")
    )
    for group_id, code, korean, english in rows:
        result[group_id].append(f"{code} {in_reader_language(korean, english)}")
    return result


def _public_firms() -> Any:
    return (
        public_fields.listed_firms()
        .select_related("federation", "industry", "listing")
        .only(*public_fields.FIRM_QUERY_FIELDS, "listing__public_id", "listing__consented")
    )


@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryGroupFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    groups = selectors.filter_groups(
        public_fields.listed_groups(), filters, member_firms=public_fields.listed_firms()
    )
    page = _page(
        request,
        groups.only(
            "id",
            "code",
            "name",
            "founded_on",
            "federation__code",
            "federation__name",
            "federation__name_en",
            "federation__sort_order",
        ),
    )
    divisions = _listed_member_divisions([g.pk for g in page.object_list])
    cards = [public_fields.public_group_card(g, divisions.get(g.pk, [])) for g in page.object_list]
    return render(request, "directory/group_list.html", {"form": form, "page_obj": page, "groups": cards})


@require_GET
def group_detail(request: HttpRequest, code: str) -> HttpResponse:
    group = get_object_or_404(
        public_fields.listed_groups().select_related("federation").prefetch_related("exchange_types"),
        code=code,
    )
    member_ids = Membership.objects.current(timezone.localdate()).filter(group=group).values("firm_id")
    firms = list(_public_firms().filter(id__in=member_ids).order_by("name", "pk"))
    members = public_fields.public_firm_cards(firms)
    divisions = sorted({(c["industry_code"], c["industry"]) for c in members})
    card = public_fields.public_group_card(group, [name for _code, name in divisions])
    return render(
        request,
        "directory/group_detail.html",
        {
            "group": card,
            "rows": public_fields.card_rows(card, public_fields.PUBLIC_GROUP_FIELDS),
            "members": members,
        },
    )


@require_GET
def firm_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryFirmFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    firms = selectors.filter_firms(_public_firms(), filters, by_brn=False)
    page = _page(request, firms)
    return render(
        request,
        "directory/firm_list.html",
        {"form": form, "page_obj": page, "firms": public_fields.public_firm_cards(page.object_list)},
    )


@require_GET
def firm_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    firm = get_object_or_404(_public_firms(), listing__public_id=public_id)
    card = public_fields.public_firm_cards([firm])[0]
    return render(
        request,
        "directory/firm_detail.html",
        {"card": card, "rows": public_fields.card_rows(card, public_fields.PUBLIC_FIRM_FIELDS)},
    )


# --- a firm's own consent ---------------------------------------------------------------------------------


def _require_firm_user(request: HttpRequest) -> frozenset[int]:
    firm_ids = scope_of(request.user).firm_ids
    if not firm_ids:
        raise PermissionDenied(_("공개 카드와 공개 동의는 회원사 사용자만 관리합니다."))
    return firm_ids


def own_cards(firm_ids: Any) -> list[dict[str, Any]]:
    """Each of the user's firms with its public card exactly as others see it (or would, once listed)."""
    firms = list(
        Firm.objects.filter(id__in=firm_ids)
        .select_related("federation", "industry")
        .only(*public_fields.FIRM_QUERY_FIELDS, "brn", "status")
        .order_by("name", "pk")
    )
    listings = {row.firm_id: row for row in FirmListing.objects.filter(firm_id__in=[f.pk for f in firms])}
    types = public_fields.firm_exchange_types(f.pk for f in firms)
    own = []
    for firm in firms:
        listing = listings.get(firm.pk)
        card = public_fields.public_firm_card(firm, listing.public_id if listing else "", types[firm.pk])
        own.append(
            {
                "firm": firm,
                "card": card,
                "rows": public_fields.card_rows(card, public_fields.PUBLIC_FIRM_FIELDS),
                "listing": listing,
                "listed": bool(listing and listing.consented and firm.status == Firm.Status.ACTIVE),
                "consented": bool(listing and listing.consented),
                "form": ConfirmForm(),
            }
        )
    return own


@login_required
@explained_refusal
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    firm_ids = _require_firm_user(request)
    return render(request, "directory/mine.html", {"own": own_cards(firm_ids)})


def _own_firm(request: HttpRequest, brn: str) -> Firm:
    firm_ids = _require_firm_user(request)
    firm = get_object_or_404(Firm.objects.visible_to(request.user), brn=brn)
    if firm.pk not in firm_ids:
        raise PermissionDenied(directory_services.MESSAGES[directory_services.NOT_FIRM_USER])
    return firm


def _change(request: HttpRequest, brn: str, *, consented: bool) -> HttpResponse:
    firm = _own_firm(request, brn)
    mine_url = reverse("directory:mine")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request,
                form,
                lambda: directory_services.set_listing_consent(firm, actor=request.user, consented=consented),
                result_url=lambda _listing: mine_url,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, mine_url)
        except ValidationError as error:
            raise PermissionDenied(error.messages[0]) from error
        if consented:
            messages.success(
                request, _("공개에 동의했습니다. 이제 누구나 디렉터리에서 공개 카드를 볼 수 있습니다.")
            )
        else:
            messages.success(request, _("공개 동의를 철회했습니다. 디렉터리에서 더 이상 보이지 않습니다."))
        return redirect(mine_url)
    if consented:
        title = _("%(firm)s 공개 동의") % {"firm": firm.name}
        summary = [
            _(
                "디렉터리에 이 기업의 공개 카드가 실립니다: 기업명, 지역, 업종, 교류 유형, 설립 연도, 보유 기술, 주요 제품."
            ),
            _("대표자, 연락처, 주소, 사업자등록번호, 매출액, 종업원 수는 공개하지 않습니다."),
            _("언제든 철회할 수 있습니다."),
        ]
        label = _("공개에 동의")
    else:
        title = _("%(firm)s 공개 동의 철회") % {"firm": firm.name}
        summary = [
            _("디렉터리에서 이 기업의 공개 카드가 사라집니다. 다시 동의하면 같은 주소로 다시 실립니다.")
        ]
        label = _("동의 철회")
    return confirm_page(
        request,
        form,
        title=title,
        summary=summary,
        action_label=label,
        cancel_url=mine_url,
        danger=not consented,
        crumbs=[(_("내 공개 카드"), mine_url)],
    )


@login_required
@explained_refusal
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, brn: str) -> HttpResponse:
    return _change(request, brn, consented=True)


@login_required
@explained_refusal
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, brn: str) -> HttpResponse:
    return _change(request, brn, consented=False)
