"""Pages of the activity ledger. Thin: visibility from the querysets, rules from `services`."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from yunghap.core import onetime
from yunghap.core.confirm import ConfirmForm, confirm_page
from yunghap.core.exports import export_query
from yunghap.core.forms import add_service_errors
from yunghap.core.params import parse_id
from yunghap.core.versions import StaleEdit, show_conflict
from yunghap.network.models import ExchangeGroup, Firm

from . import services
from .forms import ActivityForm, MeetingForm, OutcomeForm, TradeForm
from .models import Meeting, Outcome
from .permissions import can_record

PAGE_SIZE = 25
SUMMARY_YEARS = 10


def _visible_group(request: HttpRequest, code: str) -> ExchangeGroup:
    groups = ExchangeGroup.objects.visible_to(request.user).select_related("federation")
    return get_object_or_404(groups, code=code)


def _recordable_group(request: HttpRequest, code: str) -> ExchangeGroup:
    group = _visible_group(request, code)
    if not can_record(request.user, group):
        raise PermissionDenied(_("이 교류회의 활동을 기록할 권한이 없습니다."))
    return group


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def group_ledger(request: HttpRequest, code: str) -> HttpResponse:
    """A group's ledger at a glance: yearly figures and the latest entries of each kind."""
    group = _visible_group(request, code)
    first_year = timezone.localdate().year - SUMMARY_YEARS + 1
    years: dict[int, dict[str, Any]] = {}

    def row(year: int) -> dict[str, Any]:
        return years.setdefault(
            year,
            {
                "year": year,
                "meetings": 0,
                "listed": 0,
                "present": 0,
                "trades": 0,
                "amount": 0,
                "outcomes": 0,
                "activities": 0,
            },
        )

    for item in (
        group.meetings.filter(held_on__year__gte=first_year)
        .annotate(year=ExtractYear("held_on"))
        .values("year")
        .annotate(n=Count("id"), listed=Sum("listed_count"), present=Sum("present_count"))
    ):
        entry = row(item["year"])
        entry.update(meetings=item["n"], listed=item["listed"] or 0, present=item["present"] or 0)
    for trade in (
        group.trades.filter(traded_on__year__gte=first_year)
        .annotate(year=ExtractYear("traded_on"))
        .values("year")
        .annotate(n=Count("id"), amount=Sum("amount_krw"))
    ):
        row(trade["year"]).update(trades=trade["n"], amount=trade["amount"] or 0)
    for related, date_field, key in (
        ("outcomes", "achieved_on", "outcomes"),
        ("activities", "held_on", "activities"),
    ):
        for item in (
            getattr(group, related)
            .filter(**{f"{date_field}__year__gte": first_year})
            .annotate(year=ExtractYear(date_field))
            .values("year")
            .annotate(n=Count("id"))
        ):
            row(item["year"])[key] = item["n"]
    for entry in years.values():
        entry["rate"] = 100.0 * entry["present"] / entry["listed"] if entry["listed"] else None
    context = {
        "group": group,
        "years": [years[y] for y in sorted(years, reverse=True)],
        "meetings": group.meetings.all()[:5],
        "trades": group.trades.select_related("buyer", "seller")[:5],
        "outcomes": group.outcomes.all()[:5],
        "activities": group.activities.all()[:5],
        "can_record": can_record(request.user, group),
    }
    if context["can_record"]:
        context["recently_deleted"] = [
            {
                "entry": entry,
                "kind": services.kind_of(entry),
                "label": entry._meta.verbose_name,
                "undo_until": services.undo_deadline(entry),
            }
            for entry in services.recently_deleted(group)
        ]
        context["undo_hours"] = settings.LEDGER_UNDO_HOURS
    return render(request, "activities/group_ledger.html", context)


@login_required
def meeting_list(request: HttpRequest, code: str) -> HttpResponse:
    group = _visible_group(request, code)
    context = {
        "group": group,
        "page_obj": _page(request, group.meetings.all()),
        "can_record": can_record(request.user, group),
        "export_query": export_query(request, "meetings", group=group.code),
    }
    return render(request, "activities/meeting_list.html", context)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).select_related("group"), pk=pk)
    attendances = meeting.attendances.select_related("firm").order_by("-present", "firm__name")
    context = {
        "meeting": meeting,
        "group": meeting.group,
        "attendances": attendances,
        "can_record": can_record(request.user, meeting.group),
    }
    return render(request, "activities/meeting_detail.html", context)


def _parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def _meeting_page(
    request: HttpRequest,
    group: ExchangeGroup,
    form: MeetingForm,
    members: list[Any],
    present: set[int],
    meeting: Meeting | None,
    conflict: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {
        "group": group,
        "form": form,
        "members": members,
        "present": present,
        "meeting": meeting,
        "attendance_errors": form.errors.get("present", []),
        **(conflict or {}),
    }
    if request.GET.get("sheet"):
        return render(request, "activities/includes/attendance_sheet.html", context)
    return render(request, "activities/meeting_form.html", context)


def _meeting_form(request: HttpRequest, group: ExchangeGroup, meeting: Meeting | None) -> HttpResponse:
    """One screen for a meeting and its attendance: every member on the chosen date with a tick box.

    Changing the date re-draws the member list (by script, or with the "불러오기" button without it);
    nothing is saved until "저장".
    """
    today = timezone.localdate()
    form_options: dict[str, Any] = {"one_time": meeting is None}
    if request.method == "POST":
        held_on = _parse_date(request.POST.get("held_on"))
        posted = {i for i in map(parse_id, request.POST.getlist("present")) if i is not None}
        members = services.current_members(group, held_on) if held_on else []
        if meeting is not None:
            form_options["version"] = meeting.version  # the field; its value is the one posted
        form_options["members"] = members
        form = MeetingForm(request.POST, **form_options)
        if request.POST.get("action") == "load":
            # Redraw for the new date: keep ticks of firms still listed (and the token, the version), save
            # nothing.
            member_ids = {f.pk for f in members}
            form = MeetingForm(initial=request.POST.dict(), **form_options)
            return _meeting_page(request, group, form, members, posted & member_ids, meeting)
        if form.is_valid():
            data = form.cleaned_data
            fields = {k: data[k] for k in ("kind", "held_on", "place", "agenda", "minutes")}
            try:
                if meeting is None:
                    meeting = onetime.submit_once(
                        request,
                        form,
                        lambda: services.record_meeting(
                            group, actor=request.user, present_firm_ids=data["present"], **fields
                        ),
                        result_url=lambda m: reverse("activities:meeting_detail", kwargs={"pk": m.pk}),
                    )
                else:
                    meeting = services.update_meeting(
                        meeting,
                        actor=request.user,
                        present_firm_ids=data["present"],
                        expected_version=form.expected_version,
                        **fields,
                    )
            except onetime.AlreadySubmitted as done:
                return done.response(request, reverse("activities:meeting_list", kwargs={"code": group.code}))
            except StaleEdit as stale:
                current = stale.current
                conflict = show_conflict(
                    form, stale, current_value=lambda name: _meeting_value(current, name)
                )
                return _meeting_page(request, group, form, members, posted, meeting, conflict)
            except ValidationError as exc:
                add_service_errors(form, exc, rename={"present_firm_ids": "present"})
            else:
                messages.success(
                    request,
                    _("모임을 저장했습니다. 출석 %(present)s / %(listed)s개사")
                    % {"present": meeting.present_count, "listed": meeting.listed_count},
                )
                return redirect("activities:meeting_detail", pk=meeting.pk)
        return _meeting_page(request, group, form, members, posted, meeting)

    if meeting is not None:
        held_on = _parse_date(request.GET.get("held_on")) or meeting.held_on
        initial = {f: getattr(meeting, f) for f in ("kind", "held_on", "place", "agenda", "minutes")}
        initial["held_on"] = held_on
        present = set(meeting.attendances.filter(present=True).values_list("firm_id", flat=True))
    else:
        held_on = _parse_date(request.GET.get("held_on")) or today
        initial = {"held_on": held_on, "kind": request.GET.get("kind") or Meeting.Kind.MONTHLY}
        present = set()
    members = services.current_members(group, held_on)
    form = MeetingForm(
        initial=initial,
        members=members,
        one_time=meeting is None,
        version=meeting.version if meeting is not None else None,
    )
    return _meeting_page(request, group, form, members, present & {f.pk for f in members}, meeting)


def _meeting_value(meeting: Any, name: str) -> Any:
    if name == "present":
        firms = Firm.objects.filter(attendances__meeting=meeting, attendances__present=True).order_by("name")
        return [f.name for f in firms]
    return getattr(meeting, name, None)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, code: str) -> HttpResponse:
    return _meeting_form(request, _recordable_group(request, code), None)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).select_related("group"), pk=pk)
    if not can_record(request.user, meeting.group):
        raise PermissionDenied(_("이 교류회의 활동을 기록할 권한이 없습니다."))
    return _meeting_form(request, meeting.group, meeting)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return entry_delete(request, "meeting", pk)


@login_required
def trade_list(request: HttpRequest, code: str) -> HttpResponse:
    group = _visible_group(request, code)
    trades = group.trades.select_related("buyer", "seller")
    totals = trades.aggregate(n=Count("id"), amount=Sum("amount_krw"))
    context = {
        "group": group,
        "page_obj": _page(request, trades),
        "totals": totals,
        "can_record": can_record(request.user, group),
        "export_query": export_query(request, "trades", group=group.code),
    }
    return render(request, "activities/trade_list.html", context)


@login_required
def outcome_list(request: HttpRequest, code: str) -> HttpResponse:
    group = _visible_group(request, code)
    context = {
        "group": group,
        "page_obj": _page(request, group.outcomes.prefetch_related("firms")),
        "can_record": can_record(request.user, group),
        "export_query": export_query(request, "outcomes", group=group.code),
    }
    return render(request, "activities/outcome_list.html", context)


@login_required
def activity_list(request: HttpRequest, code: str) -> HttpResponse:
    group = _visible_group(request, code)
    context = {
        "group": group,
        "page_obj": _page(request, group.activities.prefetch_related("firms")),
        "can_record": can_record(request.user, group),
        "export_query": export_query(request, "activities", group=group.code),
    }
    return render(request, "activities/activity_list.html", context)


def _simple_create(
    request: HttpRequest,
    code: str,
    form_class: Any,
    record: Any,
    template: str,
    success: str,
    list_url: str,
) -> HttpResponse:
    group = _recordable_group(request, code)
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, group=group)
        if form.is_valid():
            result_url = reverse(list_url, kwargs={"code": group.code})
            try:
                onetime.submit_once(
                    request,
                    form,
                    lambda: record(group, actor=request.user, **form.cleaned_data),
                    result_url=result_url,
                )
            except onetime.AlreadySubmitted as done:
                return done.response(request, result_url)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, success)
                return redirect(list_url, code=group.code)
    else:
        form = form_class(group=group, initial=dict(request.GET.items()))
    return render(request, template, {"group": group, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def trade_create(request: HttpRequest, code: str) -> HttpResponse:
    return _simple_create(
        request,
        code,
        TradeForm,
        services.record_trade,
        "activities/trade_form.html",
        _("수발주 실적을 저장했습니다."),
        "activities:trade_list",
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_create(request: HttpRequest, code: str) -> HttpResponse:
    return _simple_create(
        request,
        code,
        OutcomeForm,
        services.record_outcome,
        "activities/outcome_form.html",
        _("융합기술개발 실적을 저장했습니다."),
        "activities:outcome_list",
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, code: str) -> HttpResponse:
    return _simple_create(
        request,
        code,
        ActivityForm,
        services.record_activity,
        "activities/activity_form.html",
        _("교류 활동을 저장했습니다."),
        "activities:activity_list",
    )


@login_required
def outcome_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served only to those who see the group, never from a public media URL."""
    outcome = get_object_or_404(Outcome.objects.visible_to(request.user), pk=pk)
    if not outcome.evidence:
        raise Http404
    try:
        handle = outcome.evidence.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = outcome.evidence.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


LIST_URLS = {
    "meeting": "activities:meeting_list",
    "trade": "activities:trade_list",
    "outcome": "activities:outcome_list",
    "activity": "activities:activity_list",
}
DELETED_MESSAGES = {
    "meeting": gettext_lazy("모임 기록을 삭제했습니다."),
    "trade": gettext_lazy("수발주 기록을 삭제했습니다."),
    "outcome": gettext_lazy("성과 기록을 삭제했습니다."),
    "activity": gettext_lazy("활동 기록을 삭제했습니다."),
}


def _entry(request: HttpRequest, kind: str, pk: int) -> Any:
    """A ledger record of any state in the user's scope (404 outside it), that the user may change (403)."""
    model = services.LEDGER_KINDS.get(kind)
    if model is None:
        raise Http404
    entry = get_object_or_404(model.all_objects.visible_to(request.user).select_related("group"), pk=pk)
    if not can_record(request.user, entry.group):
        raise PermissionDenied(_("이 교류회의 활동을 기록할 권한이 없습니다."))
    return entry


LIST_TITLES = {
    "meeting": gettext_lazy("모임"),
    "trade": gettext_lazy("회원간 수발주"),
    "outcome": gettext_lazy("융합기술개발 실적"),
    "activity": gettext_lazy("교류 활동"),
}


def _crumbs(group: ExchangeGroup, kind: str, list_url: str) -> list[tuple[str, str]]:
    return [
        (group.name, reverse("activities:group_ledger", kwargs={"code": group.code})),
        (str(LIST_TITLES[kind]), list_url),
    ]


def _undo_note() -> str:
    if not settings.LEDGER_UNDO_HOURS:
        return _("삭제한 기록은 되돌릴 수 없습니다(삭제 기록으로 보관됩니다).")
    return _("삭제 후 %(hours)s시간 안에는 되돌릴 수 있습니다.") % {"hours": settings.LEDGER_UNDO_HOURS}


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Remove a mistaken meeting, trade, result or activity: GET asks, POST with the page's token does it.

    Those who may record may correct. The record is kept as deleted and can be restored for a while.
    """
    entry = _entry(request, kind, pk)
    list_url = reverse(LIST_URLS[kind], kwargs={"code": entry.group.code})
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request, form, lambda: services.delete_entry(entry, actor=request.user), result_url=list_url
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, list_url)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(list_url)
        if settings.LEDGER_UNDO_HOURS:
            restore_url = reverse("activities:entry_restore", kwargs={"kind": kind, "pk": entry.pk})
            messages.success(
                request,
                format_html(
                    '{} <a data-confirm href="{}">{}</a>', DELETED_MESSAGES[kind], restore_url, _("되돌리기")
                ),
            )
        else:
            messages.success(request, str(DELETED_MESSAGES[kind]))
        return redirect(list_url)
    if entry.is_deleted and request.method == "GET":
        raise Http404
    return confirm_page(
        request,
        form,
        title=_("기록 삭제"),
        summary=[
            _("%(what)s을 삭제합니다.") % {"what": services.deletion_summary(entry)},
            _("삭제한 기록은 목록과 통계에서 빠집니다.") + " " + _undo_note(),
        ],
        action_label=_("삭제"),
        cancel_url=list_url,
        crumbs=_crumbs(entry.group, kind, list_url),
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_restore(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Undo a deletion within `LEDGER_UNDO_HOURS`: GET says what comes back, POST with the token restores."""
    entry = _entry(request, kind, pk)
    list_url = reverse(LIST_URLS[kind], kwargs={"code": entry.group.code})
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request, form, lambda: services.restore_entry(entry, actor=request.user), result_url=list_url
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, list_url)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(reverse("activities:group_ledger", kwargs={"code": entry.group.code}))
        messages.success(request, _("삭제한 기록을 되돌렸습니다."))
        return redirect(list_url)
    if not entry.is_deleted:
        if request.method == "GET":
            raise Http404
        summary = [_("삭제되지 않은 기록입니다.")]
    elif not services.can_undo(entry):
        summary = [
            _("삭제한 지 %(hours)s시간이 지나 되돌릴 수 없습니다. 필요하면 새로 기록해 주세요.")
            % {"hours": settings.LEDGER_UNDO_HOURS}
        ]
    else:
        deadline = timezone.localtime(services.undo_deadline(entry))
        summary = [
            _("%(what)s을 되돌립니다.") % {"what": services.deletion_summary(entry)},
            _("되돌린 기록은 목록과 통계에 다시 포함됩니다. %(deadline)s까지 되돌릴 수 있습니다.")
            % {"deadline": f"{deadline:%Y-%m-%d %H:%M}"},
        ]
    return confirm_page(
        request,
        form,
        title=_("삭제한 기록 되돌리기"),
        summary=summary,
        action_label=_("되돌리기"),
        cancel_url=list_url,
        crumbs=_crumbs(entry.group, kind, list_url),
        danger=False,
        allowed=entry.is_deleted and services.can_undo(entry),
    )
