"""Attendance pages (issue 11 §3): the staff check-in list and QR scan of a session, the participant's pass,
certificate download, the public verification page and the education history.

Thin: reads through `Event.objects.visible_to/managed_by` and `Registration.objects.visible_to`, writes
through `attendance_services`. A session of an event the user cannot see is 404; one they see but do not run
is 403. Managers see participants' names and e-mails unmasked (they check people in), and every such display
is logged (`core.audit.record_access`).
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunghap.core.audit import record_access
from yunghap.core.masking import mask_name

from . import attendance_services as services
from .attendance_forms import AttendanceForm, ScanForm, SearchForm, VerifyForm
from .certificates import InvalidCertificateNumber, certificate_pdf, parse_certificate_number
from .history import education_history
from .lookups import refuse_unless_managed
from .models import Attendance, Certificate, Event, EventSession, Registration
from .scope import may_create_events

PAGE_SIZE = 100
REGISTRATION = "events.registration"


def _session_for_manager(request: HttpRequest, pk: int) -> EventSession:
    """The session when the user runs its event: 404 when they do not see the event, 403 when they only see it."""
    session = get_object_or_404(
        EventSession.objects.filter(event__in=Event.objects.visible_to(request.user)).select_related("event"),
        pk=pk,
    )
    refuse_unless_managed(request.user, session.event, _("이 행사의 출석을 관리할 권한이 없습니다."))
    return session


# --------------------------------------------------------------------------------------- staff pages


@login_required
@require_GET
def attendance_index(request: HttpRequest) -> HttpResponse:
    """The sessions of the events the user runs, the nearest first: where check-in starts."""
    if not may_create_events(request.user):
        raise PermissionDenied(_("행사를 운영하는 담당자와 코디네이터만 이용할 수 있습니다."))
    today = timezone.localdate()
    rows = (
        EventSession.objects.filter(event__in=Event.objects.managed_by(request.user))
        .select_related("event")
        .order_by("starts_at", "pk")
    )
    upcoming = request.GET.get("when", "") != "past"
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    rows = rows.filter(ends_at__gte=start_of_today) if upcoming else rows.filter(ends_at__lt=start_of_today)
    if not upcoming:
        rows = rows.order_by("-starts_at", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/attendance/index.html",
        {"page_obj": page, "rows": list(page.object_list), "upcoming": upcoming},
    )


def _participants(session: EventSession, query: str) -> Any:
    here = Attendance.objects.filter(session=session)
    rows = (
        Registration.objects.filter(event_id=session.event_id, status=Registration.Status.CONFIRMED)
        .select_related("firm")
        .prefetch_related(Prefetch("attendances", queryset=here, to_attr="here"))
        .order_by("name", "queue_position")
    )
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(email__icontains=query))
    return rows


def _list_context(
    request: HttpRequest, session: EventSession, *, errors: dict[int, list[str]] | None = None
) -> dict[str, Any]:
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = Paginator(_participants(session, query), PAGE_SIZE).get_page(request.GET.get("page"))
    people = list(page.object_list)
    record_access(request.user, "view", REGISTRATION, [p.pk for p in people], request)
    rows = []
    for registration in people:
        attendance = registration.here[0] if registration.here else None
        rows.append(
            {
                "registration": registration,
                "attendance": attendance,
                "form": AttendanceForm(
                    prefix=f"r{registration.pk}",
                    initial={
                        "minutes_present": attendance.minutes_present
                        if attendance
                        else services.session_minutes(session),
                        "late": attendance.late if attendance else False,
                        "left_early": attendance.left_early if attendance else False,
                    },
                ),
                "errors": (errors or {}).get(registration.pk, []),
            }
        )
    return {
        "session": session,
        "event": session.event,
        "search": form,
        "query": query,
        "page_obj": page,
        "rows": rows,
        "checked_in": Attendance.objects.filter(session=session).count(),
        "confirmed": Registration.objects.filter(
            event_id=session.event_id, status=Registration.Status.CONFIRMED
        ).count(),
        "length": services.session_minutes(session),
    }


@login_required
@require_GET
def attendance_list(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for_manager(request, pk)
    return render(request, "events/attendance/list.html", _list_context(request, session))


@login_required
@require_POST
def attendance_record(request: HttpRequest, pk: int, registration: int) -> HttpResponse:
    """One person at one session: `action=check_in` (now) or `action=save` (minutes, late, left early)."""
    session = _session_for_manager(request, pk)
    person = get_object_or_404(Registration.objects.filter(event_id=session.event_id), pk=registration)
    back = reverse("events:attendance_list", args=[session.pk])
    query = (request.POST.get("q") or "")[:100]
    if query:
        back += "?" + urlencode({"q": query})
    action = request.POST.get("action", "")
    problems: list[str] = []
    if action == "check_in":
        try:
            result = services.check_in(person, session, actor=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            if result.already:
                messages.info(request, _("%(name)s 님은 이미 출석 확인되었습니다.") % {"name": person.name})
            else:
                messages.success(request, _("%(name)s 님의 출석을 확인했습니다.") % {"name": person.name})
            return redirect(back)
    elif action == "save":
        form = AttendanceForm(request.POST, prefix=f"r{person.pk}")
        if form.is_valid():
            try:
                services.record_attendance(
                    person,
                    session,
                    method=Attendance.Method.LIST,
                    actor=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                problems = error.messages
            else:
                messages.success(
                    request, _("%(name)s 님의 출석 기록을 저장했습니다.") % {"name": person.name}
                )
                return redirect(back)
        else:
            problems = [
                f"{form.fields[name].label}: {' '.join(str(e) for e in errs)}"
                for name, errs in form.errors.items()
            ]
    else:
        problems = [_("출석 확인 또는 저장 중 하나를 선택해 주세요.")]
    context = _list_context(request, session, errors={person.pk: problems})
    context["form_errors"] = problems
    return render(request, "events/attendance/list.html", context)


def _scan_result(request: HttpRequest, session: EventSession, token: str) -> tuple[bool, str, str, str]:
    """(ok, code, message, masked name) of a scanned or typed pass at this session."""
    person = services.registration_of_token(token)
    if person is None:
        refusal = services.token_error()
        return False, refusal.code, refusal.message, ""
    name = mask_name(person.name)
    try:
        result = services.check_in(person, session, actor=request.user, method=Attendance.Method.QR)
    except ValidationError as error:
        return False, error.code or "refused", " ".join(error.messages), name
    if result.already:
        return True, "already", _("%(name)s 님은 이미 출석 확인되었습니다.") % {"name": name}, name
    late = _(" (지각)") if result.attendance.late else ""
    return True, "checked_in", _("%(name)s 님의 출석을 확인했습니다.") % {"name": name} + late, name


@login_required
@require_http_methods(["GET", "POST"])
def attendance_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff's QR scanner (camera, jsQR) and its fallback form; JSON for the scanner's requests."""
    session = _session_for_manager(request, pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    result: dict[str, Any] | None = None
    form = ScanForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            ok, code, message, name = _scan_result(request, session, form.cleaned_data["token"])
            result = {"ok": ok, "code": code, "message": message, "name": name}
        else:
            refusal = services.token_error()
            result = {"ok": False, "code": refusal.code, "message": refusal.message, "name": ""}
        result["checked_in"] = Attendance.objects.filter(session=session).count()
        if wants_json:
            return JsonResponse(result)
        if result["ok"]:
            form = ScanForm()
    response = render(
        request,
        "events/attendance/scan.html",
        {
            "session": session,
            "event": session.event,
            "form": form,
            "result": result,
            "checked_in": Attendance.objects.filter(session=session).count(),
        },
    )
    # The one page that may use the camera (elsewhere camera=() stays).
    response.headers["Permissions-Policy"] = settings.PERMISSIONS_POLICY.replace("camera=()", "camera=(self)")
    return response


# ------------------------------------------------------------------------------ participants' pages


@login_required
@require_GET
def registration_pass(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant's pass (입장권): the QR code of a confirmed registration, as inline SVG."""
    registration = get_object_or_404(
        Registration.objects.visible_to(request.user).select_related("event"), pk=pk
    )
    token = qr_svg = ""
    if registration.status == Registration.Status.CONFIRMED:
        token = services.pass_token(registration)
        qr_svg = _qr_svg(token)
    sessions = list(registration.event.sessions.order_by("starts_at"))
    return render(
        request,
        "events/attendance/pass.html",
        {
            "registration": registration,
            "event": registration.event,
            "sessions": sessions,
            "token": token,
            "qr_svg": qr_svg,
            "certificate": services.valid_certificate(registration),
        },
    )


def _qr_svg(token: str) -> str:
    """The QR code of `token` as an inline `<svg>` (paths only: no script, no style attribute)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        token,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=10,
        border=4,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    svg: str = image.to_string(encoding="unicode")
    # Drop the fixed mm size so the stylesheet sizes it; the viewBox keeps the proportions.
    label = _("입장권 QR 코드")
    return _SVG_SIZE.sub(f'<svg class="qr-code" role="img" aria-label="{label}"', svg, count=1)


_SVG_SIZE = re.compile(r'^<svg width="[^"]*" height="[^"]*"')


@login_required
@require_GET
def certificate_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The valid certificate's PDF, for the holder, their firm's users and the event's managers."""
    certificate = get_object_or_404(
        Certificate.objects.filter(
            registration__in=Registration.objects.visible_to(request.user), revoked_at__isnull=True
        ).select_related("event", "event__organiser"),
        pk=pk,
    )
    record_access(request.user, "export", REGISTRATION, [certificate.registration_id], request)
    issuer = _issuer(certificate.event)
    body = certificate_pdf(
        certificate.number,
        certificate.holder_name,
        certificate.event.title,
        certificate.hours,
        timezone.localdate(certificate.issued_at),
        str(issuer),
        verify_url=request.build_absolute_uri(reverse("events:certificate_verify"))
        + "?"
        + urlencode({"number": certificate.number}),
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    return response


def _issuer(event: Event) -> str:
    """Who awards it: the organising federation, else the central one (national events)."""
    from yunghap.network.models import Federation

    federation = event.organiser or Federation.objects.filter(level=Federation.Level.CENTRAL).first()
    return str(federation.display_name) if federation else _("중소기업 이업종교류연합회")


@require_GET
def certificate_verify(request: HttpRequest) -> HttpResponse:
    """Public: is this a certificate number, and is it valid? Name masked, course, hours, date issued.

    Reads only (a GET that writes nothing, cacheable by a rate-limiting proxy)."""
    form = VerifyForm(request.GET or None)
    outcome: dict[str, Any] | None = None
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["number"]
        try:
            number = parse_certificate_number(text)
        except InvalidCertificateNumber as error:
            outcome = {"state": error.code, "message": str(error)}
        else:
            certificate = (
                Certificate.objects.filter(number=str(number))
                .select_related("event", "event__organiser")
                .first()
            )
            if certificate is None:
                outcome = {
                    "state": "unknown",
                    "message": _("%(number)s 번호로 발급된 수료증이 없습니다.") % {"number": number},
                }
            elif certificate.revoked_at is not None:
                outcome = {
                    "state": "revoked",
                    "message": _("%(date)s에 취소된 수료증입니다. 유효하지 않습니다.")
                    % {"date": timezone.localdate(certificate.revoked_at).isoformat()},
                    "certificate": certificate,
                }
            else:
                outcome = {
                    "state": "valid",
                    "message": _("유효한 수료증입니다."),
                    "certificate": certificate,
                    "holder": mask_name(certificate.holder_name),
                    "issued_on": timezone.localdate(certificate.issued_at),
                    "hours": services.hours_text(certificate.hours),
                }
    return render(request, "events/attendance/verify.html", {"form": form, "outcome": outcome})


@login_required
@require_GET
def my_history(request: HttpRequest) -> HttpResponse:
    """나의 교육 이력: the user's own courses, hours and completions, with their pass and certificate."""
    user: Any = request.user
    history = education_history(user=user)
    registrations = {
        r.event_id: r
        for r in Registration.objects.filter(user=user, status__in=Registration.ACTIVE)
        .select_related("event")
        .prefetch_related(
            Prefetch(
                "certificates", queryset=Certificate.objects.filter(revoked_at__isnull=True), to_attr="valid"
            )
        )
    }
    rows = [
        {"course": course, "registration": registrations.get(course.event_id)} for course in history.courses
    ]
    waiting = [r for r in registrations.values() if r.status != Registration.Status.CONFIRMED]
    return render(
        request,
        "events/attendance/history.html",
        {"history": history, "rows": rows, "waiting": waiting},
    )
