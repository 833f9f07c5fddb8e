"""Event pages (/events/): the calendar, an event, its sessions, registration, my registrations and the
participants. Thin: reads through `Event.objects.visible_to` / `managed_by` and
`Registration.objects.visible_to`, writes through `event_services` and `registration`.

Outside the viewer's scope a page is a 404; an event the viewer sees but does not run answers 403 on its
management pages."""

from __future__ import annotations

import calendar as calendar_module
import datetime
import io
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from yunghap.accounts.scope import scope_of
from yunghap.core import onetime
from yunghap.core.audit import record_access
from yunghap.core.confirm import ConfirmForm, confirm_page
from yunghap.core.forms import add_service_errors
from yunghap.core.http import INVALID_FORM_STATUS, next_url
from yunghap.core.korean import fill
from yunghap.core.masking import mask_email, mask_name
from yunghap.core.models import AccessLog
from yunghap.core.spreadsheets import write_table
from yunghap.core.versions import StaleEdit, show_conflict
from yunghap.network.models import ExchangeGroup, Federation, Firm, Membership

from . import event_rules, event_services, feedback, lookups, registration
from .audience import audience_error
from .forms import EventForm, FirmRegisterForm, ParticipantFilter, RegisterForm, SessionForm, event_initial
from .lookups import managed_event, visible_event
from .models import Certificate, Event, EventSession, Registration
from .scope import may_create_events

EVENT_PLAIN_FIELDS = [n for n in event_services.EVENT_FIELDS if not n.startswith("audience")]
PAGE_SIZE = 30
PARTICIPANTS_PAGE_SIZE = 50
# Sunday first, as Korean calendars are; translated with the context "weekday" ("월" alone is "Month").
WEEKDAYS = [
    pgettext_lazy("weekday", "일"),
    pgettext_lazy("weekday", "월"),
    pgettext_lazy("weekday", "화"),
    pgettext_lazy("weekday", "수"),
    pgettext_lazy("weekday", "목"),
    pgettext_lazy("weekday", "금"),
    pgettext_lazy("weekday", "토"),
]
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
REGISTRATION_OBJECT = "events.registration"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ------------------------------------------------------------------------------------------ lookups


def _detail_url(event: Event) -> str:
    return reverse("events:event_detail", kwargs={"code": event.code})


# ----------------------------------------------------------------------------------------- calendar


def _month(value: str, today: datetime.date) -> tuple[datetime.date, str]:
    """The first day of `?month=YYYY-MM`; this month and a Korean notice when the value cannot be right."""
    if not value:
        return today.replace(day=1), ""
    found = MONTH_PATTERN.match(value.strip())
    if found and 1900 <= int(found[1]) <= 2100 and 1 <= int(found[2]) <= 12:
        return datetime.date(int(found[1]), int(found[2]), 1), ""
    return today.replace(day=1), fill(
        _(
            "월 '%(value)s'을(를) 알 수 없어 이번 달을 보여 드립니다. YYYY-MM 형식(예: 2026-03)으로 써 주세요."
        ),
        {"value": value[:20]},
    )


def _shift(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """The month (default) or list (`?view=list`) of the events the viewer sees; `?region=CODE` shows that
    region's events and the national ones; `?kind=` one kind. Bad values are said, never a 500."""
    today = timezone.localdate()
    notices: list[str] = []
    month, notice = _month(request.GET.get("month", ""), today)
    if notice:
        notices.append(notice)
    kind = request.GET.get("kind", "")
    if kind and kind not in Event.Kind.values:
        notices.append(
            fill(_("종류 '%(value)s'을(를) 알 수 없어 모든 종류를 보여 드립니다."), {"value": kind[:20]})
        )
        kind = ""
    region_code = request.GET.get("region", "")
    regions = list(Federation.objects.order_by("code"))
    region = next((r for r in regions if r.code == region_code), None)
    if region_code and region is None:
        notices.append(
            fill(
                _("지역 '%(value)s'을(를) 알 수 없어 모든 지역을 보여 드립니다."), {"value": region_code[:20]}
            )
        )
        region_code = ""
    view = "list" if request.GET.get("view") == "list" else "month"
    events = Event.objects.visible_to(request.user)
    if kind:
        events = events.filter(kind=kind)
    if region is not None:
        events = events.filter(Q(organiser=region) | Q(organiser__isnull=True))
    context: dict[str, Any] = {
        "view": view,
        "notices": notices,
        "kinds": Event.Kind.choices,
        "kind": kind,
        "regions": [(r.code, r.name) for r in regions],
        "region": region_code,
        # A regional federation's public calendar can be subscribed to (the central one has no feed).
        "region_feed": region is not None and region.level == Federation.Level.REGIONAL,
        "month": month,
        "month_value": month.strftime("%Y-%m"),
        "previous_month": _shift(month, -1).strftime("%Y-%m"),
        "next_month": _shift(month, 1).strftime("%Y-%m"),
        "may_create": getattr(request.user, "is_authenticated", False) and may_create_events(request.user),
        "weekdays": [str(day) for day in WEEKDAYS],
    }
    if view == "list":
        rows = (
            events.select_related("organiser")
            .annotate(first_start=Min("sessions__starts_at"))
            .order_by("first_start", "code")
        )
        if request.GET.get("past") != "1":
            rows = rows.filter(Q(sessions__ends_at__gte=_aware(today)) | Q(sessions__isnull=True)).distinct()
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            {"page_obj": page, "rows": list(page.object_list), "past": request.GET.get("past") == "1"}
        )
    else:
        context["weeks"] = _month_grid(events, month, today)
    return render(request, "events/calendar.html", context)


def _month_grid(events: Any, month: datetime.date, today: datetime.date) -> list[list[dict[str, Any]]]:
    """Weeks (Sunday first) of days, each with the sessions starting that day (KST)."""
    start, end = _aware(month), _aware(_shift(month, 1))
    sessions = (
        EventSession.objects.filter(event__in=events, starts_at__gte=start, starts_at__lt=end)
        .select_related("event")
        .order_by("starts_at", "pk")
    )
    by_day: dict[datetime.date, list[EventSession]] = {}
    for session in sessions:
        by_day.setdefault(timezone.localdate(session.starts_at), []).append(session)
    weeks = calendar_module.Calendar(firstweekday=6).monthdatescalendar(month.year, month.month)
    return [
        [
            {
                "day": day,
                "in_month": day.month == month.month,
                "today": day == today,
                "sessions": by_day.get(day, []),
            }
            for day in week
        ]
        for week in weeks
    ]


# ------------------------------------------------------------------------------------------- detail


@require_GET
def event_detail(request: HttpRequest, code: str) -> HttpResponse:
    event = visible_event(request.user, code=code)
    user = request.user
    signed_in = getattr(user, "is_authenticated", False)
    prefetch_related_objects([event], "sessions")
    sessions = list(event.sessions.all())
    counts = dict(
        Registration.objects.filter(event=event).values_list("status").annotate(n=Count("pk")).order_by()
    )
    seats = event.seats  # the model's rule (the smallest session capacity), on the prefetched sessions
    held = sum(counts.get(status, 0) for status in Registration.HOLDING_SEAT)
    now = timezone.now()
    deadline = event.cancellation_deadline_at()
    mine: list[Registration] = []
    refusal = ""
    manages = False
    if signed_in:
        mine = list(
            Registration.objects.filter(event=event, status__in=Registration.ACTIVE)
            .filter(Q(user=user) | Q(registered_by=user))
            .order_by("queue_position")
        )
        refusal = registration.window_error(event, now) or audience_error(event, user=user) or ""
        manages = lookups.manages(user, event)
    else:
        refusal = registration.window_error(event, now) or ""
    context = {
        "event": event,
        "sessions": sessions,
        "seats": seats,
        "seats_left": max(seats - held, 0),
        "waiting": counts.get(Registration.Status.WAITING, 0),
        "confirmed": counts.get(Registration.Status.CONFIRMED, 0),
        "deadline": deadline,
        "cancel_open": deadline is None or now <= deadline,
        "mine": mine,
        "mine_self": next((r for r in mine if r.user_id == user.pk), None) if signed_in else None,
        "refusal": refusal,
        "manages": manages,
        "firm_user": signed_in and bool(scope_of(user).firm_ids),
        **_taking_part(event, user),
    }
    context.update(_after_registration(event, context["mine_self"], now))
    context["competition"] = (
        getattr(event, "competition", None) if event.kind == Event.Kind.COMPETITION else None
    )
    return render(request, "events/event_detail.html", context)


def _after_registration(event: Event, mine: Registration | None, now: datetime.datetime) -> dict[str, Any]:
    """What the viewer's own confirmed registration opens: the pass (QR) until the event ends, the valid
    certificate, and the satisfaction survey while it may be answered (the survey's own rules)."""
    if mine is None or mine.status != Registration.Status.CONFIRMED:
        return {"certificate": None, "feedback_open": False}
    certificate = Certificate.objects.filter(registration=mine, revoked_at__isnull=True).first()
    feedback_open = not (
        feedback.window_error(event, now)
        or feedback.eligibility_error(mine)
        or feedback.duplicate_error(mine)
    )
    return {"certificate": certificate, "feedback_open": feedback_open}


def _taking_part(event: Event, user: Any) -> dict[str, Any]:
    """The firms and groups of the active registrations: named (linked) for those who may see them,
    counted for the rest."""
    firm_ids = set(
        Registration.objects.filter(event=event, status__in=Registration.ACTIVE, firm__isnull=False)
        .values_list("firm_id", flat=True)
        .distinct()
    )
    if not firm_ids:
        return {"firms": [], "firms_hidden": 0, "groups": [], "groups_hidden": 0}
    group_ids = set(
        Membership.objects.current()
        .filter(firm_id__in=firm_ids)
        .values_list("group_id", flat=True)
        .distinct()
    )
    firms: list[Firm] = []
    groups: list[ExchangeGroup] = []
    if getattr(user, "is_authenticated", False):
        firms = list(Firm.objects.visible_to(user).filter(pk__in=firm_ids).order_by("name"))
        groups = list(ExchangeGroup.objects.visible_to(user).filter(pk__in=group_ids).order_by("name"))
    return {
        "firms": firms,
        "firms_hidden": len(firm_ids) - len(firms),
        "groups": groups,
        "groups_hidden": len(group_ids) - len(groups),
    }


# ------------------------------------------------------------------------------------ create / edit


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    if not may_create_events(request.user):
        raise PermissionDenied(_("행사는 연합회 담당자와 코디네이터가 만듭니다."))
    status = 200
    if request.method == "POST":
        form = EventForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                event = onetime.submit_once(
                    request,
                    form,
                    lambda: event_services.create_event(actor=request.user, **data),
                    result_url=lambda created: _detail_url(created),
                )
            except onetime.AlreadySubmitted as done:
                return done.response(request)
            except PermissionDenied as refused:
                form.add_error("organiser", str(refused))
            except ValidationError as refused:
                add_service_errors(form, refused)
            else:
                messages.success(request, _("행사를 만들었습니다. 회차를 더해 주세요."))
                return redirect("events:session_add", code=event.code)
        status = INVALID_FORM_STATUS
    else:
        form = EventForm(user=request.user)
    return render(request, "events/event_form.html", {"form": form, "event": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, code: str) -> HttpResponse:
    event = managed_event(request.user, code=code)
    context: dict[str, Any] = {"event": event}
    status = 200
    if request.method == "POST":
        form = EventForm(request.POST, user=request.user, event=event)
        if form.is_valid():
            try:
                event_services.update_event(
                    event, actor=request.user, expected_version=form.expected_version, **form.cleaned_data
                )
            except StaleEdit as stale:
                # The audience is shown by the page itself; the panel compares the plain fields.
                plain = [n for n in EVENT_PLAIN_FIELDS if n in form.fields]
                context.update(show_conflict(form, stale, fields=plain))
            except ValidationError as refused:
                add_service_errors(form, refused)
            else:
                messages.success(request, _("행사 정보를 고쳤습니다."))
                return redirect(_detail_url(event))
        status = INVALID_FORM_STATUS
    else:
        form = EventForm(initial=event_initial(event), user=request.user, event=event)
    context["form"] = form
    return render(request, "events/event_form.html", context, status=status)


# ------------------------------------------------------------------------------------------ sessions


def _session_of(event: Event, pk: int) -> EventSession:
    return get_object_or_404(EventSession.objects.select_related("event"), event=event, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def session_add(request: HttpRequest, code: str) -> HttpResponse:
    event = managed_event(request.user, code=code)
    context: dict[str, Any] = {"event": event, "session": None}
    status = 200
    if request.method == "POST":
        form = SessionForm(request.POST, version=event.version, one_time=True)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                onetime.submit_once(
                    request,
                    form,
                    lambda: event_services.add_session(
                        event, actor=request.user, expected_version=form.expected_version, **data
                    ),
                    result_url=_detail_url(event),
                )
            except onetime.AlreadySubmitted as done:
                return done.response(request)
            except StaleEdit as stale:
                # The event changed (its fields or sessions): the session form has none of its fields.
                context.update(show_conflict(form, stale, fields=[]))
            except ValidationError as refused:
                add_service_errors(form, refused)
            else:
                messages.success(request, _("회차를 더했습니다."))
                return redirect(_detail_url(event))
        status = INVALID_FORM_STATUS
    else:
        form = SessionForm(version=event.version, one_time=True)
    context["form"] = form
    return render(request, "events/session_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    event = managed_event(request.user, code=code)
    session = _session_of(event, pk)
    context: dict[str, Any] = {"event": event, "session": session}
    status = 200
    if request.method == "POST":
        form = SessionForm(request.POST, version=event.version, one_time=False)
        if form.is_valid():
            try:
                event_services.update_session(
                    session, actor=request.user, expected_version=form.expected_version, **form.cleaned_data
                )
            except StaleEdit as stale:
                context.update(show_conflict(form, stale, fields=[]))
            except ValidationError as refused:
                add_service_errors(form, refused)
            else:
                messages.success(request, _("회차를 고쳤습니다. 신청한 분들께 바뀐 일정을 알렸습니다."))
                return redirect(_detail_url(event))
        status = INVALID_FORM_STATUS
    else:
        form = SessionForm(
            initial={
                "starts_at": timezone.localtime(session.starts_at),
                "ends_at": timezone.localtime(session.ends_at),
                "place": session.place,
                "online_link": session.online_link,
                "hours": session.hours,
                "capacity": session.capacity,
            },
            version=event.version,
            one_time=False,
        )
    context["form"] = form
    return render(request, "events/session_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def session_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    event = managed_event(request.user, code=code)
    session = _session_of(event, pk)
    url = _detail_url(event)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    active = Registration.objects.filter(event=event, status__in=Registration.ACTIVE).count()
    refusal = event_rules.session_removal_error(session)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request,
                form,
                lambda: event_services.remove_session(session, actor=request.user),
                result_url=url,
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, url)
        except ValidationError as refused:
            refusal = " ".join(refused.messages)
        else:
            messages.success(request, _("회차를 삭제했습니다."))
            return redirect(url)
    when = event_rules.kst(session.starts_at)
    summary = [
        _("'%(event)s'의 %(when)s 회차를 삭제합니다.") % {"event": event.title, "when": when},
        _("신청한 %(count)s명에게 회차 취소를 알립니다.") % {"count": active},
    ]
    if refusal:
        summary = [refusal]
    return confirm_page(
        request,
        form,
        title=_("회차 삭제"),
        summary=summary,
        action_label=_("삭제"),
        cancel_url=url,
        allowed=refusal is None,
        status=200 if refusal else None,
        crumbs=[(_("교육·행사"), reverse("events:calendar")), (event.title, url)],
    )


# -------------------------------------------------------------------------------------- registration


def _own_firm(user: Any) -> Firm | None:
    firm_ids = sorted(scope_of(user).firm_ids)
    if len(firm_ids) == 1:
        return Firm.objects.filter(pk=firm_ids[0]).first()
    return None


@login_required
@require_http_methods(["GET", "POST"])
def register_self(request: HttpRequest, code: str) -> HttpResponse:
    event = visible_event(request.user, code=code)
    user: Any = request.user
    url = _detail_url(event)
    status = 200
    if request.method == "POST":
        form = RegisterForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = onetime.submit_once(
                    request,
                    form,
                    lambda: registration.register(
                        event,
                        name=data["name"],
                        email=data["email"],
                        firm=_own_firm(request.user),
                        user=request.user,
                        actor=request.user,
                    ),
                    result_url=reverse("events:my_registrations"),
                )
            except onetime.AlreadySubmitted as done:
                return done.response(request)
            except PermissionDenied as refused:
                form.add_error(None, str(refused))
            except ValidationError as refused:
                add_service_errors(form, refused)
            else:
                messages.success(request, _status_message(made))
                return redirect("events:my_registrations")
        status = INVALID_FORM_STATUS
    else:
        form = RegisterForm(
            initial={
                "name": user.get_full_name() or user.get_username(),
                "email": user.email,
            }
        )
    refusal = registration.window_error(event, timezone.now()) or audience_error(event, user=request.user)
    return render(
        request,
        "events/register.html",
        {"event": event, "form": form, "refusal": refusal, "detail_url": url},
        status=status,
    )


def _status_message(made: Registration) -> str:
    if made.status == Registration.Status.CONFIRMED:
        return _("'%(event)s' 신청이 확정되었습니다.") % {"event": made.event.title}
    place = Registration.objects.filter(
        event_id=made.event_id, status=Registration.Status.WAITING, queue_position__lte=made.queue_position
    ).count()
    return _("정원이 차서 대기자 명단 %(place)s번째에 올랐습니다. 자리가 나면 알려 드립니다.") % {
        "place": place
    }


@login_required
@require_http_methods(["GET", "POST"])
def register_firm(request: HttpRequest, code: str) -> HttpResponse:
    event = visible_event(request.user, code=code)
    firm_ids = scope_of(request.user).firm_ids
    if not firm_ids:
        raise PermissionDenied(_("회원사 사용자만 직원을 함께 신청할 수 있습니다."))
    firms = Firm.objects.filter(pk__in=firm_ids).order_by("name")
    status = 200
    if request.method == "POST":
        form = FirmRegisterForm(request.POST, firms=firms)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = onetime.submit_once(
                    request,
                    form,
                    lambda: event_services.register_people(
                        event, firm=data["firm"], people=data["people"], actor=request.user
                    ),
                    result_url=reverse("events:my_registrations"),
                )
            except onetime.AlreadySubmitted as done:
                return done.response(request)
            except PermissionDenied as refused:
                form.add_error(None, str(refused))
            except ValidationError as refused:
                for message in refused.messages:
                    form.add_error(None, message)
            else:
                confirmed = sum(1 for r in made if r.status == Registration.Status.CONFIRMED)
                messages.success(
                    request,
                    _("%(count)s명을 신청했습니다(확정 %(confirmed)s명, 대기 %(waiting)s명).")
                    % {"count": len(made), "confirmed": confirmed, "waiting": len(made) - confirmed},
                )
                return redirect("events:my_registrations")
        status = INVALID_FORM_STATUS
    else:
        form = FirmRegisterForm(firms=firms, initial={"firm": firms.first()})
    return render(
        request,
        "events/register_firm.html",
        {"event": event, "form": form, "detail_url": _detail_url(event)},
        status=status,
    )


def _changeable(request: HttpRequest, pk: int) -> Registration:
    found = get_object_or_404(Registration.objects.visible_to(request.user).select_related("event"), pk=pk)
    if not registration.may_change(found, request.user):
        raise PermissionDenied(_("이 신청을 변경할 권한이 없습니다."))
    return found


def _registration_move(
    request: HttpRequest,
    found: Registration,
    *,
    refusal: str | None,
    move: Any,
    done: str,
    back: str,
    summary: list[str],
    **page: Any,
) -> HttpResponse:
    """Ask first, then make one move of the person's registration (`registration.cancel`, `take_offer`):
    once per confirmation (one-time token); a refusal of the rule, shown instead of the question or after
    the press, leaves the registration as it was."""
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(request, form, lambda: move(found, actor=request.user), result_url=back)
        except onetime.AlreadySubmitted as already:
            return already.response(request, back)
        except ValidationError as refused:
            refusal = " ".join(refused.messages)
        else:
            messages.success(request, done)
            return redirect(back)
    return confirm_page(
        request,
        form,
        summary=[refusal] if refusal else summary,
        cancel_url=back,
        allowed=refusal is None,
        status=200 if refusal else None,
        crumbs=[(_("내 신청"), reverse("events:my_registrations"))],
        **page,
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    found = _changeable(request, pk)
    back = next_url(request, reverse("events:my_registrations"))
    summary = [
        _("%(name)s 님의 '%(event)s' 신청을 취소합니다.") % {"name": found.name, "event": found.event.title},
    ]
    if found.status in Registration.HOLDING_SEAT:
        summary.append(_("비게 되는 좌석은 대기자 명단의 첫 분께 제안됩니다."))
    return _registration_move(
        request,
        found,
        refusal=registration.cancellation_error(found, timezone.now()),
        move=registration.cancel,
        done=_("'%(event)s' 신청을 취소했습니다.") % {"event": found.event.title},
        back=back,
        summary=summary,
        title=_("신청 취소"),
        action_label=_("신청 취소"),
        context={"next": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_take(request: HttpRequest, pk: int) -> HttpResponse:
    found = _changeable(request, pk)
    summary = [
        _("%(name)s 님께 제안된 '%(event)s' 좌석을 받습니다.")
        % {"name": found.name, "event": found.event.title}
    ]
    if found.offer_expires_at:
        summary.append(_("수락 기한: %(expires)s") % {"expires": event_rules.kst(found.offer_expires_at)})
    return _registration_move(
        request,
        found,
        refusal=registration.offer_error(found, timezone.now()),
        move=registration.take_offer,
        done=_("좌석을 받았습니다. '%(event)s' 신청이 확정되었습니다.") % {"event": found.event.title},
        back=reverse("events:my_registrations"),
        summary=summary,
        title=_("제안된 좌석 받기"),
        action_label=_("좌석 받기"),
        danger=False,
    )


@login_required
@require_GET
def my_registrations(request: HttpRequest) -> HttpResponse:
    """The registrations of the user and those they made for others, with the place in line and offers."""
    user = request.user
    rows = (
        Registration.objects.visible_to(user)
        .filter(Q(user=user) | Q(registered_by=user))
        .select_related("event", "firm")
        .order_by("-registered_at", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    waiting_events = {r.event_id for r in shown if r.status == Registration.Status.WAITING}
    lines: dict[int, list[int]] = {}
    for event_id, position in (
        Registration.objects.filter(event_id__in=waiting_events, status=Registration.Status.WAITING)
        .order_by("event_id", "queue_position")
        .values_list("event_id", "queue_position")
    ):
        lines.setdefault(event_id, []).append(position)
    now = timezone.now()
    table = [
        {
            "r": r,
            "place": lines[r.event_id].index(r.queue_position) + 1
            if r.status == Registration.Status.WAITING
            else None,
            "may_cancel": r.status in Registration.ACTIVE and registration.cancellation_error(r, now) is None,
            "may_take": r.status == Registration.Status.OFFERED and registration.offer_error(r, now) is None,
        }
        for r in shown
    ]
    return render(request, "events/my_registrations.html", {"page_obj": page, "rows": table})


# -------------------------------------------------------------------------------------- participants


def _participants(event: Event, status: str) -> Any:
    rows = Registration.objects.filter(event=event).select_related("firm").order_by("queue_position")
    if status:
        rows = rows.filter(status=status)
    return rows


@login_required
@require_GET
def participants(request: HttpRequest, code: str) -> HttpResponse:
    """The event's registrations for its managers: names and e-mails masked unless `?show=full`, which
    is written to the access log (every id shown)."""
    event = managed_event(request.user, code=code)
    filters = ParticipantFilter(request.GET)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    rows = Registration.objects.visible_to(request.user).filter(
        pk__in=_participants(event, status).values("pk")
    )
    rows = rows.select_related("firm").order_by("queue_position")
    page = Paginator(rows, PARTICIPANTS_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    full = request.GET.get("show") == "full"
    if full:
        record_access(request.user, AccessLog.Kind.VIEW, REGISTRATION_OBJECT, [r.pk for r in shown], request)
    table = [
        {
            "r": r,
            "name": r.name if full else mask_name(r.name),
            "email": r.email if full else mask_email(r.email),
        }
        for r in shown
    ]
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "filters": filters,
            "status": status,
            "page_obj": page,
            "rows": table,
            "full": full,
            "statuses": Registration.Status.choices,
        },
    )


PARTICIPANT_HEADER = [
    gettext_lazy("순번"),
    gettext_lazy("이름"),
    gettext_lazy("이메일"),
    gettext_lazy("회원사"),
    gettext_lazy("상태"),
    gettext_lazy("신청 일시"),
    gettext_lazy("확정 일시"),
    gettext_lazy("좌석 제안 수락 기한"),
]


@login_required
@require_GET
def participants_export(request: HttpRequest, code: str) -> HttpResponse:
    """The participants as XLSX, unmasked (the managers' list), written to the access log."""
    event = managed_event(request.user, code=code)
    filters = ParticipantFilter(request.GET)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    rows = list(_participants(event, status))
    record_access(request.user, AccessLog.Kind.EXPORT, REGISTRATION_OBJECT, [r.pk for r in rows], request)

    def when(moment: datetime.datetime | None) -> str:
        return event_rules.kst(moment) if moment else ""

    table = [
        [
            r.queue_position,
            r.name,
            r.email,
            r.firm.name if r.firm else "",
            r.get_status_display(),
            when(r.registered_at),
            when(r.confirmed_at),
            when(r.offer_expires_at),
        ]
        for r in rows
    ]
    out = io.BytesIO()
    write_table([str(h) for h in PARTICIPANT_HEADER], table, "xlsx", out, sheet_title=event.code)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="participants-{event.code}.xlsx"'
    return response
