"""Forms of the event pages. Choices come from the user's scope; the rules live in `event_rules` and the
services (`event_services`, `registration`), whose refusals the views put on the form."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.core.components import DateInput
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.core.versions import VersionedFormMixin
from yunghap.network.models import Federation, Firm

from . import event_rules
from .models import Event, Registration
from .scope import may_create_for

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
# Rows of the firm's form: people registered at once.
FIRM_ROWS = 10
FIRM_ROWS_MAX = 50
NATIONAL = "national"


class DateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker (KST); it submits YYYY-MM-DDTHH:MM."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def organiser_choices(user: Any) -> list[tuple[str, str]]:
    """The federations `user` may create events for; `national` (central staff) first."""
    choices: list[tuple[str, str]] = []
    if may_create_for(user, None):
        choices.append((NATIONAL, str(gettext_lazy("전국 행사(중앙연합회)"))))
    for federation in Federation.objects.order_by("code"):
        if may_create_for(user, federation.pk):
            choices.append((federation.code, federation.name))
    return choices


class EventForm(OneTimeTokenMixin, VersionedFormMixin, forms.Form):
    """Create (with `organiser` and `code`, one-time token) or edit (with the version read)."""

    code = forms.SlugField(
        label=gettext_lazy("행사 코드"),
        max_length=40,
        help_text=gettext_lazy("영문 소문자·숫자·하이픈, 예: 2026-seoul-seminar-03"),
    )
    organiser = forms.ChoiceField(label=gettext_lazy("주최"))
    title = forms.CharField(label=gettext_lazy("행사명"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("종류"), choices=Event.Kind.choices)
    audience = forms.ChoiceField(label=gettext_lazy("대상"), choices=Event.Audience.choices)
    audience_target = forms.CharField(
        label=gettext_lazy("대상 코드"),
        max_length=64,
        required=False,
        help_text=gettext_lazy(
            "지역: 연합회 코드, 교류회: 교류회 코드, 협력체: 접수번호. 누구나·회원사이면 비워 둡니다."
        ),
    )
    capacity = forms.IntegerField(label=gettext_lazy("정원"), min_value=1, max_value=100_000)
    registration_opens = forms.DateField(label=gettext_lazy("신청 시작일"), widget=DateInput)
    registration_closes = forms.DateField(label=gettext_lazy("신청 마감일"), widget=DateInput)
    cancellation_deadline = forms.DateTimeField(
        label=gettext_lazy("취소 기한"),
        required=False,
        widget=DateTimeInput,
        input_formats=DATETIME_FORMATS,
        help_text=gettext_lazy("비워 두면 첫 회차 시작 때까지 취소할 수 있습니다."),
    )
    fee = forms.IntegerField(
        label=gettext_lazy("참가비(원)"),
        min_value=0,
        max_value=100_000_000,
        initial=0,
        help_text=gettext_lazy("0이면 무료입니다."),
    )
    offer_hours = forms.IntegerField(
        label=gettext_lazy("좌석 제안 수락 시간"), min_value=1, max_value=720, initial=48
    )
    attended_share = forms.IntegerField(
        label=gettext_lazy("출석 인정 비율(%)"), min_value=1, max_value=100, initial=50
    )
    marks_per_absence = forms.IntegerField(
        label=gettext_lazy("결석 1회로 보는 지각·조퇴 횟수"), min_value=1, max_value=100, initial=3
    )
    late_after_minutes = forms.IntegerField(
        label=gettext_lazy("지각 기준(분)"),
        min_value=0,
        max_value=600,
        initial=10,
        help_text=gettext_lazy("회차 시작 뒤 이 시간이 지나 확인하면 지각으로 기록합니다."),
    )
    completion_threshold = forms.DecimalField(
        label=gettext_lazy("수료 기준 출석률(%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=4,
        decimal_places=1,
        initial=Decimal("80.0"),
    )

    def __init__(self, *args: Any, user: Any, event: Event | None = None, **kwargs: Any) -> None:
        editing = event is not None
        kwargs.setdefault("one_time", not editing)
        if event is not None:
            kwargs.setdefault("version", event.version)
        super().__init__(*args, **kwargs)
        self.event = event
        if editing:
            del self.fields["code"]
            del self.fields["organiser"]
        else:
            cast(forms.ChoiceField, self.fields["organiser"]).choices = organiser_choices(user)

    def clean_code(self) -> str:
        # Whether the code is taken is the service's check, inside the one-time submit: a form pressed
        # twice is then sent to the first result instead of being told its own code is taken.
        code = str(self.cleaned_data["code"]).strip()
        message = event_rules.reserved_code_error(code)
        if message:
            raise ValidationError(message, code=event_rules.CODES["code"])
        return code

    def clean_organiser(self) -> Federation | None:
        value = self.cleaned_data["organiser"]
        if value == NATIONAL:
            return None
        return Federation.objects.get(code=value)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "audience" in cleaned:
            try:
                cleaned["audience"] = event_rules.audience_spec(
                    cleaned["audience"], cleaned.get("audience_target", "")
                )
            except ValidationError as error:
                self.add_error("audience_target", error)
        cleaned.pop("audience_target", None)
        opens, closes = cleaned.get("registration_opens"), cleaned.get("registration_closes")
        if opens and closes:
            message = event_rules.window_order_error(opens, closes)
            if message:
                self.add_error("registration_closes", ValidationError(message, code="window_order"))
        return cleaned


def event_initial(event: Event) -> dict[str, Any]:
    target = ""
    if event.audience_region_id:
        target = event.audience_region.code if event.audience_region else ""
    elif event.audience_group_id:
        target = event.audience_group.code if event.audience_group else ""
    elif event.audience_consortium_id:
        application = getattr(event.audience_consortium, "application", None)
        target = getattr(application, "ref", "") or ""
    return {
        "title": event.title,
        "kind": event.kind,
        "audience": event.audience,
        "audience_target": target,
        "capacity": event.capacity,
        "registration_opens": event.registration_opens,
        "registration_closes": event.registration_closes,
        "cancellation_deadline": event.cancellation_deadline,
        "fee": event.fee,
        "offer_hours": event.offer_hours,
        "attended_share": event.attended_share,
        "marks_per_absence": event.marks_per_absence,
        "late_after_minutes": event.late_after_minutes,
        "completion_threshold": event.completion_threshold,
    }


class SessionForm(OneTimeTokenMixin, VersionedFormMixin, forms.Form):
    """A session of an event; carries the version of the event it was read at."""

    starts_at = forms.DateTimeField(
        label=gettext_lazy("시작 일시"), widget=DateTimeInput, input_formats=DATETIME_FORMATS
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("종료 일시"), widget=DateTimeInput, input_formats=DATETIME_FORMATS
    )
    place = forms.CharField(label=gettext_lazy("장소"), max_length=200, required=False)
    online_link = forms.URLField(
        label=gettext_lazy("온라인 주소"), required=False, assume_scheme="https", max_length=200
    )
    hours = forms.DecimalField(
        label=gettext_lazy("인정 시간"),
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text=gettext_lazy("비워 두면 회차 길이(시간)입니다."),
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("회차 정원"), required=False, min_value=1, max_value=100_000
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends:
            message = event_rules.session_time_error(starts, ends)
            if message:
                self.add_error("ends_at", ValidationError(message, code="session_time"))
        if "place" in cleaned and "online_link" in cleaned:
            message = event_rules.session_place_error(cleaned["place"], cleaned["online_link"])
            if message:
                self.add_error("place", ValidationError(message, code="session_place"))
        hours = cleaned.get("hours")
        message = event_rules.hours_error(hours)
        if message:
            self.add_error("hours", ValidationError(message, code="hours"))
        return cleaned


class RegisterForm(OneTimeTokenMixin, forms.Form):
    """Registering oneself: the name and address on the registration (the account's by default)."""

    name = forms.CharField(label=gettext_lazy("이름"), max_length=100)
    email = forms.EmailField(label=gettext_lazy("이메일"), max_length=254)


@dataclass(frozen=True)
class PersonRow:
    number: int
    name: str
    email: str


class FirmRegisterForm(OneTimeTokenMixin, forms.Form):
    """A firm's user registers several employees at once: rows of name + e-mail (empty rows skipped)."""

    firm = forms.ModelChoiceField(label=gettext_lazy("회원사"), queryset=Firm.objects.none())

    def __init__(self, *args: Any, firms: Any, rows: int = FIRM_ROWS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["firm"])
        field.queryset = firms
        if self.is_bound:
            # The rows sent (a page may have added some), up to the limit.
            posted = [k for k in self.data if k.startswith("name_") or k.startswith("email_")]
            numbers = [int(k.split("_", 1)[1]) for k in posted if k.split("_", 1)[1].isdigit()]
            rows = min(max([rows, *[n for n in numbers if n <= FIRM_ROWS_MAX]]), FIRM_ROWS_MAX)
        self.row_count = rows
        for n in range(1, rows + 1):
            self.fields[f"name_{n}"] = forms.CharField(
                label=_("%(n)s번 참가자 이름") % {"n": n}, max_length=100, required=False
            )
            # Checked by the registration rule (`person_error`), so that every row's message is the same.
            self.fields[f"email_{n}"] = forms.CharField(
                label=_("%(n)s번 참가자 이메일") % {"n": n},
                max_length=254,
                required=False,
                widget=forms.EmailInput,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        people: list[PersonRow] = []
        for n in range(1, self.row_count + 1):
            name = (cleaned.get(f"name_{n}") or "").strip()
            email = (cleaned.get(f"email_{n}") or "").strip()
            if name or email:
                people.append(PersonRow(n, name, email))
        if not people and not self.errors:
            raise ValidationError(_("신청할 참가자를 한 명 이상 입력해 주세요."), code="no_rows")
        cleaned["people"] = people
        return cleaned

    def row_pairs(self) -> list[tuple[Any, Any]]:
        return [(self[f"name_{n}"], self[f"email_{n}"]) for n in range(1, self.row_count + 1)]


class ParticipantFilter(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("상태"),
        required=False,
        choices=[("", gettext_lazy("전체")), *Registration.Status.choices],
    )
