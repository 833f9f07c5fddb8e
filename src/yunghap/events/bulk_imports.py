"""`yunghap import events|sessions|registrations FILE` (issue 11 §8): events, their sessions and
registrations in bulk, with the framework's rules (core/imports.py: dry run listing every row's error, all
or nothing, CP949 CSV and XLSX, limits checked before parsing, a re-import of the same file changes nothing).

- events: created or updated by `code`; `region` the organising regional federation (empty: national);
  `audience` a code of `audience.parse_audience`; `completion_threshold` empty = 80.0.
- sessions: created or updated by (event, starts_at); `hours` empty = the session's length; a place that
  is an http(s) address is the online link. A changed end, place or hours tells the people registered
  (notice kind "change").
- registrations (`--event CODE`): written in the order of `registered_at` whatever the row order, each
  through `registration.register(..., at=registered_at)`, so the first seats are confirmed and the rest
  wait in line, and the window is judged by `registered_at`. A row already registered with the same
  e-mail and `registered_at` is unchanged (re-import); the same e-mail otherwise is an error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.accounts.models import User
from yunghap.accounts.scope import scope_of
from yunghap.core.imports import (
    Column,
    Importer,
    PlanChanged,
    RowError,
    RowPlan,
    RowReader,
    cell_date,
    cell_int,
    cell_text,
    register,
)
from yunghap.core.korean import fill
from yunghap.core.validators import brn_is_valid
from yunghap.core.versions import bump_version
from yunghap.network.models import Firm

from . import event_rules
from . import import_rules as rules
from . import message_codes as codes
from . import registration as registrations
from .attendance_services import recompute_if_attended
from .audience import audience_error, parse_audience
from .models import Event, EventSession, Registration, email_key
from .notices import tell
from .registration import kst
from .scope import may_create_for

DEFAULT_THRESHOLD = Decimal("80.0")


def _changed(rows: list[RowError]) -> PlanChanged:
    return PlanChanged(rows)


class EventsImporter(Importer):
    """Who imports events, sessions and registrations: federation staff (and the system). Central staff
    reach every event; regional staff the events their federation organises (`Event.objects.managed_by`),
    and create events only for it (`may_create_for`)."""

    @classmethod
    def allowed(cls, user: Any) -> bool:
        return user is None or scope_of(user).staff

    def managed(self) -> Any:
        """The events this import may touch."""
        if self.actor is None:
            return Event.objects.all()
        return Event.objects.managed_by(self.actor)


# ------------------------------------------------------------------------------------------------ events


@register
class EventImporter(EventsImporter):
    kind = "events"
    label = gettext_lazy("교육·행사")
    affects: ClassVar[frozenset[str]] = frozenset({"statistics"})
    columns = [
        Column(
            "code",
            "행사코드",
            aliases=("행사 코드", "코드"),
            help=gettext_lazy("행사 코드 (같은 코드는 그 행사를 고칩니다)"),
            format=gettext_lazy("영문·숫자·-·_ 40자 이내"),
            example="edu-2026-01",
        ),
        Column("title", "행사명", help=gettext_lazy("행사명"), example="이업종 융합 기술세미나"),
        Column(
            "kind",
            "종류",
            aliases=("행사 종류",),
            help=gettext_lazy("행사 종류"),
            format="course, seminar, workshop, national, competition, symposium, job_fair",
            example="seminar",
        ),
        Column(
            "region",
            "지역",
            aliases=("주최 연합회", "연합회"),
            help=gettext_lazy("주최 지역연합회 코드 (비우면 전국 행사)"),
            example="seoul",
        ),
        Column(
            "audience",
            "대상",
            help=gettext_lazy("신청 대상"),
            format="everyone, members, region:CODE, group:CODE, consortium:REF",
            example="members",
        ),
        Column("capacity", "정원", help=gettext_lazy("정원(명)"), example="40"),
        Column(
            "registration_opens",
            "신청시작일",
            aliases=("신청 시작일",),
            help=gettext_lazy("신청을 받기 시작하는 날(한국 날짜, 이날 포함)"),
            format="YYYY-MM-DD",
            example="2026-03-01",
        ),
        Column(
            "registration_closes",
            "신청마감일",
            aliases=("신청 마감일",),
            help=gettext_lazy("신청을 받는 마지막 날(한국 날짜, 이날 포함)"),
            format="YYYY-MM-DD",
            example="2026-03-10",
        ),
        Column(
            "completion_threshold",
            "수료기준",
            aliases=("수료 기준", "수료 기준 출석률"),
            required=False,
            help=gettext_lazy("수료 기준 출석률(%), 비우면 80"),
            example="80",
        ),
    ]

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[RowPlan], list[RowError]]:
        errors: list[RowError] = []
        plans: list[RowPlan] = []
        codes_in_file = {cell_text(values.get("code")) for _n, values in rows}
        existing = {event.code: event for event in Event.objects.filter(code__in=codes_in_file)}
        managed = set(self.managed().filter(code__in=codes_in_file).values_list("pk", flat=True))
        seen: dict[str, int] = {}
        for number, values in rows:
            reader = RowReader(number, values, errors)
            code = reader.text("code", required=True)
            if code and (message := rules.code_error(code)):
                reader.error("code", message)
            title = " ".join(reader.text("title", required=True, max_length=rules.TITLE_MAX_LENGTH).split())
            kind = reader.parse("kind", rules.cell_kind, required=True)
            region = reader.parse("region", rules.cell_region)
            audience_text = reader.text("audience", required=True)
            spec = None
            if audience_text:
                try:
                    spec = parse_audience(audience_text)
                except ValidationError as exc:
                    reader.error("audience", exc.messages[0])
            capacity = reader.parse("capacity", cell_int, required=True)
            opens = reader.parse("registration_opens", cell_date, required=True)
            closes = reader.parse("registration_closes", cell_date, required=True)
            threshold = reader.parse("completion_threshold", rules.cell_threshold, default=DEFAULT_THRESHOLD)
            current = existing.get(code)
            if current is not None and current.pk not in managed:
                reader.error(
                    "code",
                    fill(_("행사 '%(code)s'은(는) 다른 연합회의 행사라 고칠 수 없습니다."), {"code": code}),
                )
            elif (
                current is None
                and self.actor is not None
                and not may_create_for(self.actor, getattr(region, "pk", None))
            ):
                reader.error("region", _("이 지역의 행사를 등록할 권한이 없습니다."))
            if capacity is not None and (
                message := event_rules.capacity_error(capacity, held=event_rules.holding_seats(current))
            ):
                reader.error("capacity", message)
            if opens and closes and (message := event_rules.window_order_error(opens, closes)):
                reader.error("registration_closes", message)
            if not reader.ok or spec is None:
                continue
            if code in seen:
                reader.error(
                    "code",
                    _("같은 행사 코드가 파일에 두 번 있습니다: %(code)s (행 %(first)s)")
                    % {"code": code, "first": seen[code]},
                )
                continue
            seen[code] = number
            fields: dict[str, Any] = {
                "title": title,
                "kind": kind,
                "organiser": region,
                **spec.as_fields(),
                "capacity": capacity,
                "registration_opens": opens,
                "registration_closes": closes,
                "completion_threshold": threshold,
            }
            if current is None:
                plans.append(RowPlan(number, "create", (code, None, fields)))
                continue
            changes = {
                name: (_shown_field(getattr(current, name)), _shown_field(value))
                for name, value in fields.items()
                if getattr(current, name) != value
            }
            if changes:
                plans.append(
                    RowPlan(number, "update", (code, current.version, fields), _column_changes(changes))
                )
            else:
                plans.append(RowPlan(number, "unchanged"))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        now = timezone.now()
        for plan in plans:
            if plan.action == "create":
                code, _version, fields = plan.payload
                try:
                    with transaction.atomic():
                        Event.objects.create(code=code, created_by=_user(self.actor), **fields)
                except IntegrityError:
                    raise _changed(
                        [
                            RowError(
                                plan.row,
                                "code",
                                _(
                                    "다른 사용자가 방금 같은 행사 코드를 등록했습니다: %(code)s. 다시 가져와 주세요."
                                )
                                % {"code": code},
                            )
                        ]
                    ) from None
            elif plan.action == "update":
                code, version, fields = plan.payload
                event = Event.objects.select_for_update().get(code=code)
                if event.version != version:
                    raise _changed(
                        [
                            RowError(
                                plan.row,
                                "",
                                fill(
                                    _("행사 '%(code)s'이(가) 검사 뒤에 바뀌었습니다. 다시 가져와 주세요."),
                                    {"code": code},
                                ),
                            )
                        ]
                    )
                if message := event_rules.capacity_error(
                    fields["capacity"], held=event_rules.holding_seats(event)
                ):
                    raise _changed([RowError(plan.row, "capacity", message)])
                for name, value in fields.items():
                    setattr(event, name, value)
                bump_version(event)
                event.save()
                # More seats: the people waiting get them, in line order, as after a cancellation.
                registrations.offer_free_seats(event, now)
                recompute_if_attended(event, actor=_user(self.actor))

    def audit_details(self, plans: list[RowPlan]) -> dict[str, Any]:
        return {
            "created_codes": [p.payload[0] for p in plans if p.action == "create"],
            "updated_codes": [p.payload[0] for p in plans if p.action == "update"],
        }


_FIELD_COLUMNS = {
    "organiser": "region",
    "audience_region": "audience",
    "audience_group": "audience",
    "audience_consortium": "audience",
}


def _column_changes(changes: dict[str, tuple[Any, Any]]) -> dict[str, tuple[Any, Any]]:
    """Field changes keyed by the file's column (the audience's target fields are the `audience` column)."""
    out: dict[str, tuple[Any, Any]] = {}
    for name, change in changes.items():
        out.setdefault(_FIELD_COLUMNS.get(name, name), change)
    return out


def _shown_field(value: Any) -> Any:
    if hasattr(value, "code"):
        return value.code
    if hasattr(value, "pk") and value is not None:
        return str(value)
    return value


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


# ---------------------------------------------------------------------------------------------- sessions


@register
class SessionImporter(EventsImporter):
    kind = "sessions"
    label = gettext_lazy("행사 회차")
    affects: ClassVar[frozenset[str]] = frozenset({"statistics"})
    columns = [
        Column(
            "event",
            "행사코드",
            aliases=("행사 코드", "행사"),
            help=gettext_lazy("회차가 속한 행사의 코드"),
            example="edu-2026-01",
        ),
        Column(
            "starts_at",
            "시작일시",
            aliases=("시작 일시", "시작"),
            help=gettext_lazy("시작 일시(한국 시간), 같은 행사·시작은 그 회차를 고칩니다"),
            format="YYYY-MM-DD HH:MM",
            example="2026-03-20 14:00",
        ),
        Column(
            "ends_at",
            "종료일시",
            aliases=("종료 일시", "종료"),
            help=gettext_lazy("종료 일시(한국 시간)"),
            format="YYYY-MM-DD HH:MM",
            example="2026-03-20 17:00",
        ),
        Column(
            "place",
            "장소",
            aliases=("장소 또는 온라인 주소",),
            help=gettext_lazy("장소, 또는 온라인 주소(http로 시작)"),
            example="서울 중소기업중앙회 2층",
        ),
        Column(
            "hours",
            "인정시간",
            aliases=("인정 시간", "시간"),
            required=False,
            help=gettext_lazy("인정 시간, 비우면 회차 길이"),
            example="3",
        ),
    ]

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[RowPlan], list[RowError]]:
        errors: list[RowError] = []
        plans: list[RowPlan] = []
        event_codes = {cell_text(values.get("event")) for _n, values in rows}
        events = {event.code: event for event in self.managed().filter(code__in=event_codes)}
        stored: dict[int, dict[datetime.datetime, EventSession]] = defaultdict(dict)
        for session in EventSession.objects.filter(event__in=list(events.values())):
            stored[session.event_id][session.starts_at] = session
        in_file: dict[tuple[int, datetime.datetime], tuple[int, datetime.datetime]] = {}
        for number, values in rows:
            reader = RowReader(number, values, errors)
            code = reader.text("event", required=True)
            event = events.get(code)
            if code and event is None:
                reader.error("event", fill(_("행사 코드 '%(code)s'을(를) 찾을 수 없습니다."), {"code": code}))
            starts = reader.parse("starts_at", rules.cell_moment, required=True)
            ends = reader.parse("ends_at", rules.cell_moment, required=True)
            place_text = reader.text("place", required=True, max_length=rules.PLACE_MAX_LENGTH)
            place, link = ("", "")
            if place_text:
                try:
                    place, link = rules.split_place(place_text)
                except ValueError as exc:
                    reader.error("place", exc.args[0])
            hours = reader.parse("hours", rules.cell_hours)
            if starts and ends and (message := event_rules.session_time_error(starts, ends)):
                reader.error("ends_at", message)
            if not reader.ok or event is None:
                continue
            key = (event.pk, starts)
            if key in in_file:
                reader.error(
                    "starts_at",
                    _("같은 행사의 같은 시작 일시가 파일에 두 번 있습니다 (행 %(first)s).")
                    % {"first": in_file[key][0]},
                )
                continue
            others = [
                (s.starts_at, s.ends_at)
                for start, s in stored[event.pk].items()
                if start != starts and (event.pk, start) not in in_file
            ] + [(start, end) for (event_id, start), (_row, end) in in_file.items() if event_id == event.pk]
            if message := event_rules.overlap_error(starts, ends, others):
                reader.error("starts_at", message)
                continue
            in_file[key] = (number, ends)
            if hours is None:
                hours = EventSession(starts_at=starts, ends_at=ends).length_hours
            fields = {"ends_at": ends, "place": place, "online_link": link, "hours": hours}
            current = stored[event.pk].get(starts)
            if current is None:
                plans.append(RowPlan(number, "create", (event.pk, starts, fields)))
                continue
            changes: dict[str, tuple[Any, Any]] = {}
            if current.ends_at != ends:
                changes["ends_at"] = (kst(current.ends_at), kst(ends))
            if (current.place, current.online_link) != (place, link):
                changes["place"] = (current.place or current.online_link, place_text)
            if current.hours != hours:
                changes["hours"] = (current.hours, hours)
            if changes:
                plans.append(RowPlan(number, "update", (event.pk, starts, fields), changes))
            else:
                plans.append(RowPlan(number, "unchanged"))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        by_event: dict[int, list[RowPlan]] = defaultdict(list)
        for plan in plans:
            if plan.action in ("create", "update"):
                by_event[plan.payload[0]].append(plan)
        for event_id in sorted(by_event):
            # The event's lock, as for registrations: a session's change and a registration never interleave.
            event = Event.objects.select_for_update().get(pk=event_id)
            for plan in by_event[event_id]:
                _event_id, starts, fields = plan.payload
                if plan.action == "create":
                    try:
                        with transaction.atomic():
                            EventSession.objects.create(event=event, starts_at=starts, **fields)
                    except IntegrityError:
                        raise _changed(
                            [
                                RowError(
                                    plan.row,
                                    "starts_at",
                                    _("다른 사용자가 방금 같은 회차를 등록했습니다. 다시 가져와 주세요."),
                                )
                            ]
                        ) from None
                    continue
                session = EventSession.objects.get(event=event, starts_at=starts)
                for name, value in fields.items():
                    setattr(session, name, value)
                session.save()
                recompute_if_attended(event, actor=_user(self.actor))
                active = Registration.objects.filter(
                    event=event, status__in=Registration.ACTIVE
                ).select_related("event", "user", "registered_by")
                for registration in active:
                    tell(
                        registration,
                        codes.SESSION_CHANGED_BY_IMPORT,
                        kind="change",
                        starts=kst(starts),
                        ends=kst(session.ends_at),
                        place=session.place or session.online_link,
                    )


# ------------------------------------------------------------------------------------------ registrations


def _cell_brn(value: Any) -> str:
    text = cell_text(value)
    digits = text.replace("-", "").replace(" ", "")
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        raise ValueError(_("사업자등록번호는 숫자 10자리여야 합니다: '%(value)s'") % {"value": text})
    if not brn_is_valid(digits):
        raise ValueError(_("사업자등록번호의 검증번호가 맞지 않습니다: '%(value)s'") % {"value": text})
    return digits


@register
class RegistrationImporter(EventsImporter):
    kind = "registrations"
    label = gettext_lazy("행사 신청")
    affects: ClassVar[frozenset[str]] = frozenset({"statistics"})
    columns = [
        Column(
            "name", "이름", aliases=("참가자", "성명"), help=gettext_lazy("참가자 이름"), example="김민준"
        ),
        Column(
            "email",
            "이메일",
            aliases=("전자우편", "e-mail"),
            help=gettext_lazy("참가자 이메일 (행사마다 한 번)"),
            example="minjun@example.kr",
        ),
        Column(
            "brn",
            "사업자등록번호",
            aliases=("사업자번호",),
            help=gettext_lazy("소속 회원사의 사업자등록번호 (개인은 비움)"),
            example="123-45-67890",
        ),
        Column(
            "registered_at",
            "신청일시",
            aliases=("신청 일시",),
            help=gettext_lazy("신청 일시(한국 시간): 이 순서로 좌석과 대기 순번이 정해집니다"),
            format="YYYY-MM-DD HH:MM",
            example="2026-03-02 09:30",
        ),
    ]

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--event", metavar="CODE", help=_("행사 코드 (registrations, attendance)"))

    @classmethod
    def option_fields(cls) -> dict[str, Any]:
        return {"event": forms.CharField(label=_("행사 코드"), max_length=40)}

    def event(self) -> Event | None:
        code = str(self.options.get("event") or "").strip()
        return self.managed().filter(code=code).first() if code else None

    def check_options(self) -> list[RowError]:
        code = str(self.options.get("event") or "").strip()
        if not code:
            return [RowError(0, "", _("--event 행사 코드를 지정해 주세요."))]
        if self.event() is None:
            return [RowError(0, "", fill(_("행사 코드 '%(code)s'을(를) 찾을 수 없습니다."), {"code": code}))]
        return []

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[RowPlan], list[RowError]]:
        errors: list[RowError] = []
        plans: list[RowPlan] = []
        event = self.event()
        assert event is not None  # check_options ran first
        brns = set()
        for _n, values in rows:
            with contextlib.suppress(ValueError):
                brns.add(_cell_brn(values.get("brn")))
        firms = {firm.brn: firm for firm in Firm.objects.filter(brn__in=brns)}
        stored: dict[str, list[Registration]] = defaultdict(list)
        for registration in Registration.objects.filter(event=event):
            stored[registration.email_key].append(registration)
        latest = max((r.registered_at for regs in stored.values() for r in regs), default=None)
        now = timezone.now()
        seen: dict[str, int] = {}
        candidates: list[tuple[datetime.datetime, int, dict[str, Any]]] = []
        for number, values in rows:
            reader = RowReader(number, values, errors)
            name = " ".join(reader.text("name", required=True, max_length=100).split())
            email = reader.text("email", required=True, max_length=254)
            if name and email and (message := registrations.person_error(name, email)):
                reader.error("email", message)
            brn = reader.parse("brn", _cell_brn, default="")
            firm = firms.get(brn) if brn else None
            if brn and firm is None:
                reader.error("brn", _("사업자등록번호 %(brn)s의 회원사를 찾을 수 없습니다.") % {"brn": brn})
            at = reader.parse("registered_at", rules.cell_moment, required=True)
            if not reader.ok:
                continue
            key = email_key(email)
            if key in seen:
                reader.error(
                    "email",
                    _("같은 이메일이 파일에 두 번 있습니다: %(email)s (행 %(first)s)")
                    % {"email": email, "first": seen[key]},
                )
                continue
            seen[key] = number
            if any(r.registered_at == at for r in stored.get(key, [])):
                plans.append(
                    RowPlan(number, "unchanged")
                )  # imported before: the same person, the same moment
                continue
            if message := registrations.duplicate_error(event, email):
                reader.error("email", message)
            if at > now:
                reader.error("registered_at", _("신청 일시가 지금보다 뒤입니다: %(at)s") % {"at": kst(at)})
            elif latest is not None and at < latest:
                reader.error(
                    "registered_at",
                    _(
                        "이미 등록된 마지막 신청(%(latest)s)보다 앞선 신청은 가져올 수 없습니다. 대기 순번이 신청 일시 순서와 어긋나기 때문입니다."
                    )
                    % {"latest": kst(latest)},
                )
            if message := registrations.window_error(event, at):
                reader.error("registered_at", message)
            owner = _account_of(email)
            if message := registrations.email_firm_error(email, firm=firm):
                reader.error("email", message)
            if message := audience_error(
                event, firm=firm, user=owner if firm is None else None, on=timezone.localdate(at)
            ):
                reader.error("brn" if firm is not None else "email", message)
            if reader.ok:
                candidates.append(
                    (at, number, {"name": name, "email": email, "firm": firm, "user": owner, "at": at})
                )
        for _at, number, payload in sorted(candidates, key=lambda c: (c[0], c[1])):
            plans.append(RowPlan(number, "create", payload))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        event = self.event()
        assert event is not None
        creates = sorted((p for p in plans if p.action == "create"), key=lambda p: (p.payload["at"], p.row))
        for plan in creates:
            payload = plan.payload
            try:
                registrations.register(
                    event,
                    name=payload["name"],
                    email=payload["email"],
                    firm=payload["firm"],
                    user=payload["user"],
                    actor=None,
                    at=payload["at"],
                )
            except ValidationError as exc:
                # Someone registered or changed the event between the check and the write.
                raise _changed([RowError(plan.row, "email", exc.messages[0])]) from None

    def audit_details(self, plans: list[RowPlan]) -> dict[str, Any]:
        event = self.event()
        return {"event": event.code if event else "", "rows": [p.row for p in plans if p.action == "create"]}


def _account_of(email: str) -> Any:
    """The one active account with this e-mail (the registration is then theirs: their feed, their notices)."""
    found = list(User.objects.filter(email__iexact=email.strip(), is_active=True)[:2])
    return found[0] if len(found) == 1 else None
