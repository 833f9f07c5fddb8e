"""The feeds and the notice settings (/events/feeds/): the iCalendar feed of a region and a user's own by
its secret address, the notice preferences page and the page that issues or renews that address."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from yunghap.core import onetime
from yunghap.core.confirm import ConfirmForm, confirm_page
from yunghap.core.http import INVALID_FORM_STATUS
from yunghap.core.versions import StaleEdit, VersionedFormMixin, show_conflict
from yunghap.network.models import Federation

from . import feeds, notice_services
from .models import NoticePreference

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
CALENDAR_TYPE = "text/calendar; charset=utf-8"


class NoticeSettingsForm(VersionedFormMixin, forms.Form):
    reminders = forms.BooleanField(label=gettext_lazy("행사 전날 알림 받기"), required=False)
    changes = forms.BooleanField(label=gettext_lazy("회차 일정·장소 변경 알림 받기"), required=False)
    email = forms.BooleanField(
        label=gettext_lazy("위 알림을 이메일로도 받기"),
        required=False,
        help_text=gettext_lazy(
            "신청 확정·대기·좌석 제안·취소 같은 필수 알림은 항상 사이트와 이메일로 보냅니다."
        ),
    )


def _calendar(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def region_feed(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Federation, code=code, level=Federation.Level.REGIONAL)
    sessions = feeds.recent_sessions(feeds.region_events(region))
    name = _("%(region)s 교육·행사") % {"region": region}
    body = feeds.build_calendar(name, sessions, base_url=request.build_absolute_uri("/"))
    return _calendar(body, f"{region.code}.ics")


@require_GET
def user_feed(request: HttpRequest, token: str) -> HttpResponse:
    if not TOKEN.match(token):
        raise Http404
    preference = (
        NoticePreference.objects.filter(feed_token=token, user__is_active=True).select_related("user").first()
    )
    if preference is None:
        raise Http404
    sessions, labels = feeds.user_sessions(preference.user)
    body = feeds.build_calendar(
        _("내 교육·행사 일정"), sessions, base_url=request.build_absolute_uri("/"), labels=labels
    )
    return _calendar(body, "my-events.ics")


def _settings_initial(preference: NoticePreference) -> dict[str, Any]:
    return {name: getattr(preference, name) for name in notice_services.PREFERENCE_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def notice_settings(request: HttpRequest) -> HttpResponse:
    current = NoticePreference.of(request.user)
    context: dict[str, Any] = {"preference": current}
    status = 200
    if request.method == "POST":
        form = NoticeSettingsForm(request.POST, version=current.version)
        if form.is_valid():
            try:
                notice_services.update_preferences(
                    request.user, expected_version=form.expected_version, **form.cleaned_data
                )
            except StaleEdit as stale:
                context.update(show_conflict(form, stale))
            else:
                messages.success(request, _("알림 설정을 저장했습니다."))
                return redirect("events:notice_settings")
        status = INVALID_FORM_STATUS
    else:
        form = NoticeSettingsForm(initial=_settings_initial(current), version=current.version)
    context["form"] = form
    return render(request, "events/notice_settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponse:
    """See the address of one's calendar feed; POST issues it, or renews it (the old one stops working)."""
    current = NoticePreference.of(request.user)
    done_url = reverse("events:feed_settings")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request, form, lambda: notice_services.renew_feed_token(request.user), result_url=done_url
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, done_url)
        messages.success(
            request, _("개인 일정 피드 주소를 발급했습니다. 예전 주소는 더 이상 쓸 수 없습니다.")
        )
        return redirect(done_url)
    if current.feed_token:
        address = request.build_absolute_uri(
            reverse("events:user_feed", kwargs={"token": current.feed_token})
        )
        summary = [
            _("내 일정 피드 주소: %(url)s") % {"url": address},
            _(
                "이 주소를 아는 사람은 누구나 내 신청 일정을 볼 수 있습니다. 새로 발급하면 지금 주소는 바로 쓸 수 없게 됩니다."
            ),
        ]
        label, danger = _("주소 새로 발급"), True
    else:
        summary = [
            _("아직 개인 일정 피드 주소가 없습니다."),
            _("발급한 주소를 달력 프로그램에 등록하면 신청한 행사(확정·좌석 제안·대기)의 회차가 보입니다."),
        ]
        label, danger = _("주소 발급"), False
    return confirm_page(
        request,
        form,
        title=_("개인 일정 피드"),
        summary=summary,
        action_label=label,
        cancel_url=reverse("events:notice_settings"),
        danger=danger,
        crumbs=[(_("알림 설정"), reverse("events:notice_settings"))],
        context={"feed_token": current.feed_token or ""},
    )
