"""/api/v1/meetings, /trades and /results: the activity ledger as its pages show it (visible with its group,
`visible_to`), and the meeting writes through the ledger's form and services: record, change, the
attendance sheet, delete (kept as deleted and restorable on the ledger page, as a delete there).

Firms appear by name; their business registration number only where the user may open the firm (as the
pages link them). Amounts are integer won, dates ISO, kinds their stable codes.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Path, Query, Router, Schema

from yunghap.activities import services
from yunghap.activities.forms import MeetingForm
from yunghap.activities.models import Meeting, Outcome, Trade
from yunghap.activities.permissions import can_record
from yunghap.core.versions import StaleEdit
from yunghap.network import selectors
from yunghap.network.models import ExchangeGroup, Firm

from ..conditional import conditional_json
from ..errors import AUTH_ERRORS, READ_ERRORS, ErrorOut, error
from ..forms import filters_from
from ..pagination import Listing, PageParams, page_of
from ..types import IsoDate
from .network import MAX_ID
from .network_writes import Replayed, conflict, create_once, form_errors, replay_response

router = Router(tags=["ledger"])

WRITE_IN_GROUP: dict[int, Any] = {**READ_ERRORS, 403: ErrorOut}
EDIT_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: ErrorOut, 409: ErrorOut}


def not_recordable() -> PermissionDenied:
    return PermissionDenied(_("이 교류회의 활동을 기록할 권한이 없습니다."))


# --- filters: one form for the three lists --------------------------------------------------------------


class LedgerFilterForm(forms.Form):
    group = forms.SlugField(label=gettext_lazy("교류회"), required=False, max_length=32)
    kind = forms.ChoiceField(label=gettext_lazy("구분"), required=False, choices=[])

    def __init__(self, *args: Any, kinds: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(label=gettext_lazy("시작일"), required=False)
        self.fields["to"] = forms.DateField(label=gettext_lazy("종료일"), required=False)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "")] + list(kinds)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("종료일은 시작일보다 빠를 수 없습니다."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class MeetingFilterForm(LedgerFilterForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, kinds=Meeting.Kind.choices, **kwargs)


class TradeFilterForm(LedgerFilterForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class ResultFilterForm(LedgerFilterForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, kinds=Outcome.Kind.choices, **kwargs)


class LedgerFilters(Schema):
    group: str = Field("", max_length=32, description="교류회 코드")
    from_: IsoDate | None = Field(None, alias="from", description="이 날부터 (포함)")
    to: IsoDate | None = Field(None, description="이 날까지 (포함)")

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("by_alias", True)  # `from`, the name the form and the client use
        return super().model_dump(**kwargs)


class MeetingFilters(LedgerFilters):
    kind: str = Field("", max_length=16, description="monthly, special")


class ResultFilters(LedgerFilters):
    kind: str = Field(
        "", max_length=32, description="new_technology, new_product, patent, new_market, process_improvement"
    )


def _filtered(queryset: Any, cleaned: dict[str, Any], date_field: str) -> Any:
    if cleaned.get("group"):
        queryset = queryset.filter(group__code=cleaned["group"])
    if cleaned.get("kind"):
        queryset = queryset.filter(kind=cleaned["kind"])
    if cleaned.get("from"):
        queryset = queryset.filter(**{f"{date_field}__gte": cleaned["from"]})
    if cleaned.get("to"):
        queryset = queryset.filter(**{f"{date_field}__lte": cleaned["to"]})
    return queryset


# --- output ----------------------------------------------------------------------------------------------


class LedgerFirmOut(Schema):
    brn: str | None = Field(description="사용자가 열어 볼 수 있는 회원사일 때만")
    name: str


def firm_refs(user: Any, firms: list[Firm]) -> dict[int, LedgerFirmOut]:
    openable = selectors.visible_firm_ids(user, {f.pk for f in firms})
    return {f.pk: LedgerFirmOut(brn=f.brn if f.pk in openable else None, name=f.name) for f in firms}


class MeetingOut(Schema):
    id: int
    version: int
    group: str = Field(description="교류회 코드")
    kind: str = Field(description="monthly, special")
    held_on: datetime.date
    place: str
    agenda: str
    listed_count: int = Field(description="그날 회원사 수 (출석부 대상)")
    present_count: int
    attendance_rate: float | None = Field(description="출석률(%), 대상이 없으면 null")

    @staticmethod
    def fields_of(meeting: Meeting) -> dict[str, Any]:
        return {
            "id": meeting.pk,
            "version": meeting.version,
            "group": meeting.group.code,
            "kind": meeting.kind,
            "held_on": meeting.held_on,
            "place": meeting.place,
            "agenda": meeting.agenda,
            "listed_count": meeting.listed_count,
            "present_count": meeting.present_count,
            "attendance_rate": round(meeting.attendance_rate, 1)
            if meeting.attendance_rate is not None
            else None,
        }


class AttendanceOut(Schema):
    firm: LedgerFirmOut
    present: bool


class MeetingDetailOut(MeetingOut):
    minutes: str
    attendance: list[AttendanceOut] = Field(description="그날 회원사 전부, 출석한 회원사 먼저")


def meeting_detail(request: HttpRequest, meeting: Meeting) -> MeetingDetailOut:
    rows = list(meeting.attendances.select_related("firm").order_by("-present", "firm__name"))
    refs = firm_refs(request.user, [a.firm for a in rows])
    return MeetingDetailOut(
        **MeetingOut.fields_of(meeting),
        minutes=meeting.minutes,
        attendance=[AttendanceOut(firm=refs[a.firm_id], present=a.present) for a in rows],
    )


class TradeOut(Schema):
    id: int
    group: str
    traded_on: datetime.date
    item: str
    amount_krw: int = Field(description="금액(원)")
    buyer: LedgerFirmOut = Field(description="발주(구매) 회원사")
    seller: LedgerFirmOut = Field(description="수주(판매) 회원사")


def trades_out(request: HttpRequest, rows: list[Trade]) -> list[TradeOut]:
    refs = firm_refs(request.user, [f for t in rows for f in (t.buyer, t.seller)])
    return [
        TradeOut(
            id=t.pk,
            group=t.group.code,
            traded_on=t.traded_on,
            item=t.item,
            amount_krw=t.amount_krw,
            buyer=refs[t.buyer_id],
            seller=refs[t.seller_id],
        )
        for t in rows
    ]


class ResultOut(Schema):
    id: int
    group: str
    kind: str = Field(description="new_technology, new_product, patent, new_market, process_improvement")
    title: str
    achieved_on: datetime.date
    description: str
    firms: list[LedgerFirmOut] = Field(description="참여 회원사")
    has_evidence: bool = Field(description="증빙 파일이 있는지 (내려받기는 화면에서)")


def results_out(request: HttpRequest, rows: list[Outcome]) -> list[ResultOut]:
    refs = firm_refs(request.user, [f for o in rows for f in o.firms.all()])
    return [
        ResultOut(
            id=o.pk,
            group=o.group.code,
            kind=o.kind,
            title=o.title,
            achieved_on=o.achieved_on,
            description=o.description,
            firms=[refs[f.pk] for f in o.firms.all()],
            has_evidence=bool(o.evidence),
        )
        for o in rows
    ]


# --- reads -----------------------------------------------------------------------------------------------


def _meetings(user: Any) -> Any:
    return Meeting.objects.visible_to(user).select_related("group")


@router.get("/meetings", response={200: Listing[MeetingOut], **AUTH_ERRORS}, summary="모임 목록")
def list_meetings(request: HttpRequest, page: Query[PageParams], filters: Query[MeetingFilters]) -> Any:
    cleaned = filters_from(MeetingFilterForm, filters)
    meetings = _filtered(_meetings(request.user), cleaned, "held_on").order_by("-held_on", "-id")
    return page_of(meetings, page, lambda rows: [MeetingOut(**MeetingOut.fields_of(m)) for m in rows])


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingDetailOut, 304: None, **READ_ERRORS},
    summary="모임 상세 (출석부 포함)",
)
def get_meeting(request: HttpRequest, meeting_id: int = Path(..., ge=1, le=MAX_ID)) -> HttpResponse:
    meeting = get_object_or_404(_meetings(request.user), pk=meeting_id)
    return conditional_json(request, meeting_detail(request, meeting))


def _trades(user: Any) -> Any:
    return Trade.objects.visible_to(user).select_related("group", "buyer", "seller")


@router.get("/trades", response={200: Listing[TradeOut], **AUTH_ERRORS}, summary="회원간 수발주 목록")
def list_trades(request: HttpRequest, page: Query[PageParams], filters: Query[LedgerFilters]) -> Any:
    cleaned = filters_from(TradeFilterForm, filters)
    trades = _filtered(_trades(request.user), cleaned, "traded_on").order_by("-traded_on", "-id")
    return page_of(trades, page, lambda rows: trades_out(request, list(rows)))


@router.get(
    "/trades/{trade_id}", response={200: TradeOut, 304: None, **READ_ERRORS}, summary="회원간 수발주 상세"
)
def get_trade(request: HttpRequest, trade_id: int = Path(..., ge=1, le=MAX_ID)) -> HttpResponse:
    trade = get_object_or_404(_trades(request.user), pk=trade_id)
    (item,) = trades_out(request, [trade])
    return conditional_json(request, item)


def _results(user: Any) -> Any:
    firms = Prefetch("firms", queryset=Firm.objects.only("id", "brn", "name").order_by("name", "id"))
    return Outcome.objects.visible_to(user).select_related("group").prefetch_related(firms)


@router.get("/results", response={200: Listing[ResultOut], **AUTH_ERRORS}, summary="융합기술개발 실적 목록")
def list_results(request: HttpRequest, page: Query[PageParams], filters: Query[ResultFilters]) -> Any:
    cleaned = filters_from(ResultFilterForm, filters)
    results = _filtered(_results(request.user), cleaned, "achieved_on").order_by("-achieved_on", "-id")
    return page_of(results, page, lambda rows: results_out(request, list(rows)))


@router.get(
    "/results/{result_id}",
    response={200: ResultOut, 304: None, **READ_ERRORS},
    summary="융합기술개발 실적 상세",
)
def get_result(request: HttpRequest, result_id: int = Path(..., ge=1, le=MAX_ID)) -> HttpResponse:
    result = get_object_or_404(_results(request.user), pk=result_id)
    (item,) = results_out(request, [result])
    return conditional_json(request, item)


# --- meeting writes --------------------------------------------------------------------------------------

MEETING_FIELDS = ("kind", "held_on", "place", "agenda", "minutes")


class MeetingIn(Schema):
    kind: str | None = Field(None, max_length=200, description="monthly (기본), special")
    held_on: IsoDate | None = Field(None, description="개최일 (필수)")
    place: str | None = Field(None, max_length=1000)
    agenda: str | None = Field(None, max_length=20000)
    minutes: str | None = Field(None, max_length=200000)
    present: list[str] = Field([], max_length=10000, description="출석한 회원사의 사업자등록번호")


class MeetingPatch(Schema):
    version: int = Field(ge=1, le=MAX_ID, description="읽은 자료의 version (다르면 409)")
    kind: str | None = Field(None, max_length=200)
    held_on: IsoDate | None = None
    place: str | None = Field(None, max_length=1000)
    agenda: str | None = Field(None, max_length=20000)
    minutes: str | None = Field(None, max_length=200000)


class AttendanceIn(Schema):
    version: int = Field(ge=1, le=MAX_ID, description="읽은 자료의 version (다르면 409)")
    present: list[str] = Field(
        max_length=10000, description="출석한 회원사의 사업자등록번호 전부 (나머지는 결석)"
    )


class DeletedOut(Schema):
    id: int
    deleted_at: datetime.datetime
    restorable_until: datetime.datetime | None = Field(description="이때까지 기록 화면에서 되돌릴 수 있음")


def present_ids(brns: list[str]) -> list[int]:
    """Firm ids of the numbers sent. A number that names no firm gets an id no firm has, so that the
    service refuses it with the same words as a firm of another region (nothing about which exists)."""
    wanted = list(dict.fromkeys(str(b).replace("-", "").strip() for b in brns))
    numbers = [b for b in wanted if b.isascii() and b.isdigit() and len(b) == 10]
    found = dict(Firm.objects.filter(brn__in=numbers).values_list("brn", "id"))
    return [found.get(b, -(n + 1)) for n, b in enumerate(wanted)]


def ledger_errors(exc: ValidationError) -> Any:
    rename = {"present_firm_ids": "present"}
    if not hasattr(exc, "error_dict"):
        return error(422, "invalid", details=[{"field": "__all__", "messages": exc.messages}])
    details = [
        {
            "field": rename.get(field, field),
            "messages": [m for e in errors for m in e.messages],
            "codes": [e.code or "invalid" for e in errors],
        }
        for field, errors in exc.error_dict.items()
    ]
    return error(422, "invalid", details=details)


def _meeting_form(data: dict[str, Any], **kwargs: Any) -> MeetingForm:
    data = {k: ("" if v is None else v) for k, v in data.items()}
    form = MeetingForm(data, members=[], **kwargs)
    if not form.is_valid():
        raise form_errors(form)
    return form


def _recordable_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(_meetings(request.user), pk=meeting_id)
    if not can_record(request.user, meeting.group):
        raise not_recordable()
    return meeting


@router.post(
    "/groups/{code}/meetings", response={201: MeetingDetailOut, **WRITE_IN_GROUP}, summary="모임 기록"
)
def create_meeting(request: HttpRequest, code: str, payload: MeetingIn) -> Any:
    """A meeting and its whole attendance sheet (every member on the day; those in `present` present), as
    the meeting form records it: its officers, its region's staff and central staff."""
    user = request.user
    group = get_object_or_404(ExchangeGroup.objects.visible_to(user).select_related("federation"), code=code)
    if not can_record(user, group):
        raise not_recordable()
    body = payload.model_dump(exclude_unset=True)
    body.setdefault("kind", Meeting.Kind.MONTHLY)
    form = _meeting_form({k: body.get(k) for k in MEETING_FIELDS}, one_time=False)
    fields = {k: form.cleaned_data[k] for k in MEETING_FIELDS}
    present = present_ids(payload.present)
    try:
        meeting = create_once(
            request,
            lambda: services.record_meeting(group, actor=user, present_firm_ids=present, **fields),
            lambda m: str(m.pk),
        )
    except Replayed as again:
        first = get_object_or_404(_meetings(user), pk=int(again.reference))  # deleted since: 404
        return replay_response(request, meeting_detail(request, first))
    except ValidationError as exc:
        raise ledger_errors(exc) from None
    return 201, meeting_detail(request, _meetings(user).get(pk=meeting.pk))


@router.patch("/meetings/{meeting_id}", response={200: MeetingDetailOut, **EDIT_ERRORS}, summary="모임 수정")
def update_meeting(
    request: HttpRequest, payload: MeetingPatch, meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Change a meeting's facts; moving its date re-draws the attendance sheet from that day's members."""
    meeting = _recordable_meeting(request, meeting_id)
    body = payload.model_dump(exclude_unset=True)
    data = {k: body.get(k, getattr(meeting, k)) for k in MEETING_FIELDS}
    form = _meeting_form({**data, "version": payload.version}, one_time=False, version=meeting.version)
    fields = {k: form.cleaned_data[k] for k in MEETING_FIELDS if k in body}
    try:
        services.update_meeting(meeting, actor=request.user, expected_version=form.expected_version, **fields)
    except StaleEdit as stale:
        raise conflict(stale) from None
    except ValidationError as exc:
        raise ledger_errors(exc) from None
    return 200, meeting_detail(request, _meetings(request.user).get(pk=meeting.pk))


@router.put(
    "/meetings/{meeting_id}/attendance",
    response={200: MeetingDetailOut, **EDIT_ERRORS},
    summary="모임 출석부 저장",
)
def put_attendance(
    request: HttpRequest, payload: AttendanceIn, meeting_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Who was present: the firms listed present, every other member on the sheet absent."""
    meeting = _recordable_meeting(request, meeting_id)
    try:
        services.update_meeting(
            meeting,
            actor=request.user,
            present_firm_ids=present_ids(payload.present),
            expected_version=payload.version,
        )
    except StaleEdit as stale:
        raise conflict(stale) from None
    except ValidationError as exc:
        raise ledger_errors(exc) from None
    return 200, meeting_detail(request, _meetings(request.user).get(pk=meeting.pk))


@router.delete(
    "/meetings/{meeting_id}",
    response={200: DeletedOut, **{**READ_ERRORS, 403: ErrorOut}},
    summary="모임 기록 삭제",
)
def delete_meeting(request: HttpRequest, meeting_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    """The ledger's delete: the meeting and its sheet are kept as deleted, out of every list and statistic,
    and can be restored on the group's ledger page until `restorable_until`. Deleted already: 404."""
    meeting = _recordable_meeting(request, meeting_id)
    try:
        deleted = services.delete_entry(meeting, actor=request.user)
    except ValidationError as exc:
        raise error(404, "not_found") from exc
    return 200, DeletedOut(
        id=deleted.pk,
        deleted_at=timezone.localtime(deleted.deleted_at) if deleted.deleted_at else timezone.now(),
        restorable_until=services.undo_deadline(deleted) if services.undo_window() else None,
    )
