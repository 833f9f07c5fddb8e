"""Pages of the registry. Thin: scope from the querysets, rules from permissions.py, changes via services.py."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.audit import record_access
from yunghap.core.exports import export_query
from yunghap.core.http import next_url
from yunghap.core.korean import fill
from yunghap.core.models import AccessLog
from yunghap.core.validators import format_brn
from yunghap.core.versions import StaleEdit, show_conflict

from . import group_page, membership_requests, permissions, selectors, services
from .access import PERSONAL_MASKS, record_firm_display
from .forms import FirmFilterForm, FirmForm, GroupFilterForm, GroupForm, MembershipCreateForm, MembershipForm
from .models import ExchangeGroup, Firm, Membership, MembershipRequest
from .pagecache import cached_page, wants_fragment


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    context: dict[str, Any] = {"counts": selectors.scope_counts(request.user)}
    # Membership requests concern firms (they answer), federations (they answer) and group keepers (they ask).
    context["show_requests"] = bool(scope.firm_ids or scope.staff or scope.officer_group_ids)
    if scope.staff:
        context["federation_stats"] = selectors.federation_stats(
            selectors.visible_federations(request.user).only("code", "name", "name_en")
        )
    own_group_ids = scope.officer_group_ids | scope.coordinator_group_ids
    if scope.firm_ids:
        own_group_ids |= frozenset(
            Membership.objects.current().filter(firm_id__in=scope.firm_ids).values_list("group_id", flat=True)
        )
    if own_group_ids:
        context["own_groups"] = list(
            ExchangeGroup.objects.filter(id__in=own_group_ids).select_related("federation").order_by("name")
        )
    if scope.firm_ids:
        context["own_firms"] = list(Firm.objects.filter(id__in=scope.firm_ids).order_by("name"))
    return render(request, "network/home.html", context)


# --- groups -------------------------------------------------------------------------------------------


@login_required
@cached_page
def group_list(request: HttpRequest) -> HttpResponse:
    form = GroupFilterForm(request.GET or None)
    page = _page(request, selectors.group_list(request.user, form.filters() if form.is_bound else {}))
    context = {
        "form": form,
        "page_obj": page,
        "groups": selectors.attach_group_counts(page.object_list),
        "can_create": permissions.can_create_group(request.user),
        "export_query": export_query(request, "groups"),
    }
    template = "network/includes/group_table.html" if wants_fragment(request) else "network/group_list.html"
    return render(request, template, context)


FORMER_SHOWN = 20


@login_required
def group_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A group's facts, current members (contacts masked unless the user keeps the list), make-up, history.

    Load-tested (bench/http_load.py, figures in bench/README.md): rows are plain values, the tables are
    built in Python (`group_page`), and the number of queries is pinned (tests/web/test_group_page_speed.py).
    """
    group = get_object_or_404(
        ExchangeGroup.objects.visible_to(request.user).select_related("federation"), code=code
    )
    periods = selectors.group_page_periods(group, request.user)
    current, former = selectors.split_current(periods)
    # A group of thirty years has a long history: the page shows the latest periods, the rest on request.
    former_total = len(former)
    if request.GET.get("history") != "all":
        former = former[:FORMER_SHOWN]
    shown = current + former
    show_personal = permissions.can_see_members_personal_data(request.user, group)
    if show_personal and current:
        record_access(
            request.user, AccessLog.Kind.VIEW, "network.firm", [m.firm_id for m in current], request
        )
    linkable = {m.firm_id for m in shown if m.linkable}
    can_manage = permissions.can_manage_memberships(request.user, group)
    firm_url = selectors.url_maker("network:firm_detail", "brn")
    edit_url = selectors.url_maker("network:membership_edit", "pk", "999999999")
    role_labels = {code: str(label) for code, label in Membership.Role.choices}
    editable_by_federation: dict[tuple[bool, int], bool] = {}
    for m in shown:
        m.role_label = role_labels.get(m.role, m.role)
        m.firm_url = firm_url(m.firm.brn) if m.firm_id in linkable else ""
        # An ended period is changed only by the firm's own federation staff (rule 2): no link for others.
        key = (m.left_on is None, m.firm.federation_id)
        if key not in editable_by_federation:
            editable_by_federation[key] = can_manage and permissions.can_change_period(
                request.user, group, left_on=m.left_on, firm_federation_id=m.firm.federation_id
            )
        m.edit_url = edit_url(m.pk) if editable_by_federation[key] else ""
    make_up = selectors.composition_of_memberships(current)
    division_names = {m.firm.industry.code: m.firm.industry.name for m in current}
    context = {
        "group": group,
        "exchange_types": list(group.exchange_types.all()),
        "current": current,
        "former": former,
        "former_total": former_total,
        "current_rows": group_page.current_rows(current, show_personal=show_personal, can_manage=can_manage),
        "former_rows": group_page.former_rows(former, can_manage=can_manage),
        "chair": next((m for m in current if m.role == Membership.Role.CHAIR), None),
        "secretary": next((m for m in current if m.role == Membership.Role.SECRETARY), None),
        "show_personal": show_personal,
        "linkable_firms": linkable,
        "make_up": make_up,
        "division_rows": [(code, division_names[code], n) for code, n in make_up.counts],
        "can_edit": permissions.can_edit_group(request.user, group),
        "can_manage": can_manage,
    }
    return render(request, "network/group_detail.html", context)


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_group(request.user):
        raise PermissionDenied
    form = GroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not permissions.can_create_group(request.user, data["federation"]):
            raise PermissionDenied
        try:
            group = onetime.submit_once(
                request,
                form,
                lambda: services.create_group(actor=request.user, **data),
                result_url=lambda g: reverse("network:group_detail", kwargs={"code": g.code}),
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, reverse("network:group_list"))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("교류회를 등록했습니다."))
            return redirect("network:group_detail", code=group.code)
    return render(request, "network/group_form.html", {"form": form, "group": None})


@login_required
def group_edit(request: HttpRequest, code: str) -> HttpResponse:
    group = get_object_or_404(ExchangeGroup.objects.visible_to(request.user), code=code)
    if not permissions.can_edit_group(request.user, group):
        raise PermissionDenied
    form = GroupForm(request.POST or None, instance=group, user=request.user)
    context: dict[str, Any] = {"form": form, "group": group}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            group = services.update_group(
                group, actor=request.user, expected_version=form.expected_version, **data
            )
        except StaleEdit as error:
            current = error.current
            assert isinstance(current, ExchangeGroup)
            context |= show_conflict(
                form,
                error,
                current_value=lambda name: (
                    list(current.exchange_types.all()) if name == "exchange_types" else getattr(current, name)
                ),
            )
        except ValidationError as error:
            group.refresh_from_db()
            form.add_service_errors(error)
        else:
            messages.success(request, _("교류회 정보를 저장했습니다."))
            return redirect("network:group_detail", code=group.code)
    return render(request, "network/group_form.html", context)


# --- memberships --------------------------------------------------------------------------------------


@login_required
def membership_create(request: HttpRequest, code: str) -> HttpResponse:
    group = get_object_or_404(
        ExchangeGroup.objects.visible_to(request.user).select_related("federation"), code=code
    )
    if not permissions.can_manage_memberships(request.user, group):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = MembershipCreateForm(data, user=request.user, initial={"brn": request.GET.get("brn", "")})
    if request.method == "POST" and form.is_valid() and form.firm is not None:
        values = form.cleaned_data
        firm = form.firm
        try:
            onetime.submit_once(
                request,
                form,
                lambda: services.add_membership(
                    group,
                    firm,
                    actor=request.user,
                    role=values["role"],
                    joined_on=values["joined_on"],
                    left_on=values["left_on"],
                ),
                result_url=reverse("network:group_detail", kwargs={"code": group.code}),
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, reverse("network:group_detail", kwargs={"code": group.code}))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, fill(_("%(firm)s을(를) 회원으로 등록했습니다."), {"firm": form.firm.name})
            )
            return redirect("network:group_detail", code=group.code)
    brn = form.requestable_brn
    if brn and request.POST.get("send_request") and set(form.errors) == {"brn"}:
        # The number is unknown or outside the user's scope (the same to them): ask for consent instead.
        values = form.cleaned_data
        if values.get("left_on"):
            form.add_error("left_on", _("가입 요청은 현재 가입에만 보낼 수 있습니다. 탈퇴일을 비워 주세요."))
        else:
            try:
                membership_requests.request_membership(
                    group, actor=request.user, brn=brn, role=values["role"], joined_on=values["joined_on"]
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _(
                        "사업자등록번호 %(brn)s에 가입 요청을 보냈습니다. 회원사나 소속 연합회가 수락하면 "
                        "회원으로 등록됩니다."
                    )
                    % {"brn": format_brn(brn)},
                )
                return redirect("network:membership_request_list")
    register_url = ""
    if brn and permissions.can_create_firm(request.user):
        back = reverse("network:membership_create", kwargs={"code": group.code})
        register_url = (
            reverse("network:firm_create") + "?" + urlencode({"brn": brn, "next": f"{back}?brn={brn}"})
        )
    context = {"form": form, "group": group, "register_url": register_url, "requestable_brn": brn}
    return render(request, "network/membership_form.html", context)


@login_required
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("group__federation", "firm"), pk=pk
    )
    if not permissions.can_change_membership(request.user, membership):
        raise PermissionDenied
    form = MembershipForm(request.POST or None, instance=membership)
    context: dict[str, Any] = {"form": form, "group": membership.group, "membership": membership}
    if request.method == "POST" and form.is_valid():
        try:
            services.update_membership(
                membership, actor=request.user, expected_version=form.expected_version, **form.cleaned_data
            )
        except StaleEdit as error:
            context |= show_conflict(form, error)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("회원 가입 이력을 저장했습니다."))
            return redirect("network:group_detail", code=membership.group.code)
    return render(request, "network/membership_form.html", context)


# --- membership requests ----------------------------------------------------------------------------

REQUEST_LIST_SIZE = 50


@login_required
def membership_request_list(request: HttpRequest) -> HttpResponse:
    """Requests to decide (for one's own firm or a firm of one's federation) and requests one's groups sent."""
    visible = MembershipRequest.objects.visible_to(request.user).select_related("group__federation")
    incoming = list(
        visible.filter(MembershipRequest.objects.incoming_condition(request.user))[:REQUEST_LIST_SIZE]
    )
    outgoing = list(
        visible.filter(MembershipRequest.objects.outgoing_condition(request.user))[:REQUEST_LIST_SIZE]
    )
    # Firm names only for incoming requests: whoever sent a request learns nothing about the firm until
    # it accepts (then it is a member and in their scope).
    names = dict(Firm.objects.filter(brn__in={r.brn for r in incoming}).values_list("brn", "name"))
    for item in incoming:
        item.firm_name = names.get(item.brn, "")  # type: ignore[attr-defined]
    context = {"incoming": incoming, "outgoing": outgoing, "pending": MembershipRequest.State.PENDING}
    return render(request, "network/membership_request_list.html", context)


REQUEST_ACTIONS = {
    "accept": (
        membership_requests.accept_membership_request,
        gettext_lazy("가입 요청을 수락했습니다. 회원으로 등록되었습니다."),
    ),
    "decline": (membership_requests.decline_membership_request, gettext_lazy("가입 요청을 거절했습니다.")),
    "withdraw": (membership_requests.withdraw_membership_request, gettext_lazy("가입 요청을 철회했습니다.")),
}


@login_required
@require_POST
def membership_request_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = get_object_or_404(MembershipRequest.objects.visible_to(request.user), pk=pk)
    if action not in REQUEST_ACTIONS:
        raise Http404
    service, done = REQUEST_ACTIONS[action]
    try:
        service(item, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("network:membership_request_list")


# --- firms --------------------------------------------------------------------------------------------


@login_required
@cached_page
def firm_list(request: HttpRequest) -> HttpResponse:
    form = FirmFilterForm(request.GET or None)
    page = _page(request, selectors.firm_list(request.user, form.filters() if form.is_bound else {}))
    context = {
        "form": form,
        "page_obj": page,
        "firms": selectors.attach_firm_counts(page.object_list),
        "can_create": permissions.can_create_firm(request.user),
        "export_query": export_query(request, "firms"),
    }
    template = "network/includes/firm_table.html" if wants_fragment(request) else "network/firm_list.html"
    return render(request, template, context)


@login_required
def firm_detail(request: HttpRequest, brn: str) -> HttpResponse:
    firm = get_object_or_404(
        Firm.objects.visible_to(request.user)
        .select_related("federation", "industry__section")
        .prefetch_related("secondary_industries"),
        brn=brn,
    )
    show_personal = permissions.can_see_personal_data(request.user, firm)
    if show_personal:
        record_firm_display(request.user, [firm], request)
    memberships = selectors.firm_page_memberships(firm)
    group_ids = {m.group_id for m in memberships}
    visible_groups = (
        set(
            ExchangeGroup.objects.visible_to(request.user)
            .filter(id__in=group_ids)
            .values_list("id", flat=True)
        )
        if group_ids and not scope_of(request.user).central
        else group_ids
    )
    context = {
        "firm": firm,
        "memberships": memberships,
        "linkable_groups": visible_groups,
        "show_personal": show_personal,
        "can_edit": permissions.can_edit_firm(request.user, firm),
        "can_see_access_log": firm.pk in scope_of(request.user).firm_ids,
        # Issue 11: the firm's education history (hours, completions per course; no names), one query.
        "education": _firm_education(firm, request.user),
    }
    return render(request, "network/firm_detail.html", context)


def _firm_education(firm: Firm, viewer: Any) -> Any:
    from yunghap.events.history import education_history

    return education_history(firm=firm, viewer=viewer)


@login_required
def firm_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_firm(request.user):
        raise PermissionDenied
    form = FirmForm(request.POST or None, user=request.user, initial={"brn": request.GET.get("brn", "")})
    back_to = next_url(request, "")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            firm = onetime.submit_once(
                request,
                form,
                lambda: services.create_firm(actor=request.user, **data),
                result_url=lambda f: back_to or _firm_result_url(request, f),
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, reverse("network:firm_list"))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("회원사를 등록했습니다."))
            # An officer registering a new member goes back to the membership form: the firm is not yet
            # one of their group's and so not visible to them on its own page.
            return redirect(back_to or _firm_result_url(request, firm))
    return render(request, "network/firm_form.html", {"form": form, "firm": None, "next": back_to})


def _firm_result_url(request: HttpRequest, firm: Firm) -> str:
    if Firm.objects.visible_to(request.user).filter(pk=firm.pk).exists():
        return reverse("network:firm_detail", kwargs={"brn": firm.brn})
    return reverse("network:firm_list")


@login_required
def firm_edit(request: HttpRequest, brn: str) -> HttpResponse:
    firm = get_object_or_404(Firm.objects.visible_to(request.user), brn=brn)
    if not permissions.can_edit_firm(request.user, firm):
        raise PermissionDenied
    form = FirmForm(request.POST or None, instance=firm, user=request.user)
    context: dict[str, Any] = {"form": form, "firm": firm, "next": ""}
    if request.method == "POST" and form.is_valid():
        try:
            firm = services.update_firm(
                firm, actor=request.user, expected_version=form.expected_version, **form.cleaned_data
            )
        except StaleEdit as error:
            context |= _firm_conflict(request, form, error)
        except ValidationError as error:
            firm.refresh_from_db()
            form.add_service_errors(error)
        else:
            messages.success(request, _("회원사 정보를 저장했습니다."))
            return redirect("network:firm_detail", brn=firm.brn)
    # The form shows the stored representative, phone and e-mail unmasked (on a re-rendered POST too, and
    # the conflict panel the values saved meanwhile): one access-log row for the firm.
    record_firm_display(request.user, [firm], request)
    return render(request, "network/firm_form.html", context)


def _firm_conflict(request: HttpRequest, form: FirmForm, error: StaleEdit) -> dict[str, Any]:
    """The other person's values of a firm: personal data masked unless the user may see it."""
    current = error.current
    assert isinstance(current, Firm)
    unmasked = permissions.can_see_personal_data(request.user, current)
    return show_conflict(form, error, mask={} if unmasked else PERSONAL_MASKS)


# --- federations --------------------------------------------------------------------------------------


@login_required
def federation_list(request: HttpRequest) -> HttpResponse:
    stats = selectors.federation_stats(selectors.visible_federations(request.user))
    totals = {
        "groups": sum(s.groups for s in stats),
        "firms": sum(s.firms for s in stats),
        # Firms in groups of several regions count once in the total, as in each region's row.
        "members": selectors.current_member_firms([s.federation.pk for s in stats]),
    }
    return render(request, "network/federation_list.html", {"stats": stats, "totals": totals})


@login_required
def federation_detail(request: HttpRequest, code: str) -> HttpResponse:
    federation = get_object_or_404(selectors.visible_federations(request.user), code=code)
    (stats,) = selectors.federation_stats([federation])
    groups = selectors.group_list(request.user, {}).filter(federation=federation)
    page = _page(request, groups)
    rows = selectors.attach_group_counts(page.object_list)
    context = {"federation": federation, "stats": stats, "page_obj": page, "groups": rows}
    return render(request, "network/federation_detail.html", context)
