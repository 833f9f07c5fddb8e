"""Reading the personal-data access log: central staff see who saw which firm's data; a firm sees who saw its.

The rows are written by `core.audit.record_access`; every id of a row is an `AccessLogTarget`, so "who saw
this firm" is one indexed query on SQLite and PostgreSQL alike (docs/decisions.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yunghap.accounts.models import Role, RoleGrant
from yunghap.core.masking import mask_name
from yunghap.core.models import AccessLog, AccessLogTarget

from .access import FIRM_OBJECT_TYPE
from .models import Firm

# A row lists its firms by name up to this many; a bigger one (an export) shows its count.
NAMED_TARGETS = 5
# Excel refuses a cell longer than 32,767 characters; the ids of a big export are cut to fit.
XLSX_CELL_MAX = 32_000
NAME_SEARCH_MAX = 100


class AccessLogFilterForm(forms.Form):
    user = forms.CharField(label=_("이용자(아이디·이름)"), required=False, max_length=NAME_SEARCH_MAX)
    firm = forms.CharField(
        label=_("회원사(사업자등록번호·기업명)"), required=False, max_length=NAME_SEARCH_MAX
    )
    kind = forms.ChoiceField(
        label=_("구분"), required=False, choices=[("", _("전체")), *AccessLog.Kind.choices]
    )
    date_from = forms.DateField(
        label=_("시작일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("종료일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"filter-{name}")
            field.widget.attrs["class"] = "krds-form-select" if name == "kind" else "krds-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("시작일이 종료일보다 늦습니다."))
        return data


def filtered_logs(data: dict[str, Any]) -> QuerySet[AccessLog]:
    """The log rows matching the filters of a valid `AccessLogFilterForm`, newest first."""
    logs = AccessLog.objects.select_related("user")
    if text := (data.get("user") or "").strip():
        logs = logs.filter(Q(user__username__icontains=text) | Q(user__name__icontains=text))
    if text := (data.get("firm") or "").strip():
        digits = text.replace("-", "")
        firms = Firm.objects.filter(Q(brn=digits) | Q(name__icontains=text)).values_list("pk", flat=True)
        ids = [str(pk) for pk in firms[:1000]]
        logs = logs.filter(
            Exists(
                AccessLogTarget.objects.filter(
                    log=OuterRef("pk"), object_type=FIRM_OBJECT_TYPE, object_id__in=ids
                )
            )
        )
    if kind := data.get("kind"):
        logs = logs.filter(kind=kind)
    zone = timezone.get_current_timezone()
    if start := data.get("date_from"):
        logs = logs.filter(created_at__gte=datetime.datetime.combine(start, datetime.time.min, tzinfo=zone))
    if end := data.get("date_to"):
        after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        logs = logs.filter(created_at__lt=after)
    return logs


def with_grants(logs: QuerySet[AccessLog]) -> QuerySet[AccessLog]:
    grants = RoleGrant.objects.select_related("federation", "group", "firm").order_by("role", "pk")
    return logs.prefetch_related(Prefetch("user__grants", queryset=grants))


# How a grant reads as organisation and role: "서울지역연합회 직원", "테헤란기술교류회 임원".
ROLE_WITH_TARGET = {
    Role.REGIONAL_STAFF: _("%(target)s 직원"),
    Role.GROUP_OFFICER: _("%(target)s 임원"),
    Role.COORDINATOR: _("%(target)s 코디네이터"),
    Role.FIRM_USER: _("%(target)s 담당자"),
}


def role_of(user: Any) -> str:
    """The viewer's organisation and role from their current grants (the log row does not keep them)."""
    parts = []
    for grant in user.grants.all():
        target = grant.federation or grant.group or grant.firm
        template = ROLE_WITH_TARGET.get(grant.role)
        if target is not None and template is not None:
            parts.append(str(template) % {"target": target.name})
        else:
            parts.append(str(grant.get_role_display()))
    if not parts and user.is_superuser:
        parts.append(str(Role.CENTRAL_STAFF.label))
    return ", ".join(parts) if parts else gettext("역할 없음")


@dataclass
class LogRow:
    log: AccessLog
    role: str
    firms: list[tuple[str, str]]  # (brn, name) of the firms named in the row
    name: str  # in Korean order, for central staff


def page_rows(logs: list[AccessLog]) -> list[LogRow]:
    """The rows of one page with their firms' names: two queries, whatever the number of rows."""
    small = [
        log.pk for log in logs if log.object_type == FIRM_OBJECT_TYPE and log.record_count <= NAMED_TARGETS
    ]
    targets: dict[int, list[str]] = {}
    for log_id, object_id in AccessLogTarget.objects.filter(log_id__in=small).values_list(
        "log_id", "object_id"
    ):
        targets.setdefault(log_id, []).append(object_id)
    wanted = {int(i) for ids in targets.values() for i in ids if i.isdigit()}
    names = {
        str(pk): (brn, name)
        for pk, brn, name in Firm.objects.filter(pk__in=wanted).values_list("pk", "brn", "name")
    }
    return [
        LogRow(
            log,
            role_of(log.user),
            [names[i] for i in targets.get(log.pk, []) if i in names],
            person_name(log.user),
        )
        for log in logs
    ]


XLSX_HEADER = [
    _("일시"),
    _("아이디"),
    _("이름"),
    _("역할"),
    _("구분"),
    _("대상 유형"),
    _("건수"),
    _("대상 ID"),
    _("요청 경로"),
    _("접속 IP"),
]


def xlsx_rows(logs: QuerySet[AccessLog]) -> Iterator[list[Any]]:
    zone = timezone.get_current_timezone()
    for log in with_grants(logs).iterator(chunk_size=500):
        ids = ", ".join(log.object_ids)
        if len(ids) > XLSX_CELL_MAX:
            ids = ids[:XLSX_CELL_MAX].rsplit(",", 1)[0] + " …"
        yield [
            timezone.localtime(log.created_at, zone).strftime("%Y-%m-%d %H:%M:%S"),
            log.user.username,
            person_name(log.user),
            role_of(log.user),
            str(log.get_kind_display()),
            log.object_type,
            log.record_count,
            ids,
            log.path,
            log.ip_address or "",
        ]


def firm_viewer(user: Any) -> str:
    """How a firm sees who looked at its data: the organisation and role in full, the name masked.

    The firm needs to know which organisation used its people's data and to be able to point at one
    person when it asks that organisation; the staff member's full name is their own personal data.
    """
    return f"{role_of(user)} {mask_name(person_name(user) or user.username)}"


def person_name(user: Any) -> str:
    """The name as the person writes it (김민수: family name first, no space)."""
    return str(user.get_full_name())


def logs_of_firm(firm: Firm) -> QuerySet[AccessLog]:
    return with_grants(
        AccessLog.objects.filter(
            Exists(
                AccessLogTarget.objects.filter(
                    log=OuterRef("pk"), object_type=FIRM_OBJECT_TYPE, object_id=str(firm.pk)
                )
            )
        ).select_related("user")
    )
