"""Spreadsheet imports of the registry: exchange groups, firms and memberships (issue 2, section 4).

Each importer reads what it needs in a few bulk queries, checks every row in memory (so that a dry run of
100,000 rows takes seconds and the errors come with row and column), and writes with bulk_create /
bulk_update. A column left out of the file leaves that field alone; a blank cell in a present column
clears it. Rows outside the actor's scope are errors, never silently skipped.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    cell_list,
    cell_text,
    insert_rows,
    register,
    update_rows,
)
from yunghap.core.korean import fill
from yunghap.core.masking import is_mask_of
from yunghap.core.spreadsheets import iter_chunks
from yunghap.core.validators import brn_is_valid, normalize_brn

from . import rules
from .access import PERSONAL_MASKS
from .ksic import Divisions, join_codes
from .models import ExchangeGroup, ExchangeType, Federation, Firm, Industry, Membership
from .permissions import can_transfer_data
from .services import lock_group

BATCH = 2000
GroupTypes = ExchangeGroup.exchange_types.through

Rows = list[tuple[int, dict[str, Any]]]


def _lookup_key(text: str) -> str:
    return "".join(str(text).split()).lower()


class RegionLookup:
    """A regional federation by code, Korean or English name, name without 연합회, or province."""

    def __init__(self) -> None:
        self.by_key: dict[str, Federation] = {}
        self.by_id: dict[int, Federation] = {}
        for federation in Federation.objects.filter(level=Federation.Level.REGIONAL):
            self.by_id[federation.pk] = federation
            names = [federation.code, federation.name, federation.name_en]
            names.append(federation.name.removesuffix("연합회"))
            names.extend(p for p in federation.provinces.split(";") if p)
            for name in names:
                if name:
                    self.by_key.setdefault(_lookup_key(name), federation)

    def parse(self, value: Any) -> Federation:
        federation = self.by_key.get(value) if isinstance(value, str) else None
        if federation is None:
            federation = self.by_key.get(_lookup_key(cell_text(value)))
        if federation is None:
            raise ValueError(
                _("알 수 없는 지역연합회입니다: '%(value)s' (코드 또는 이름, 예: seoul, 서울연합회)")
                % {"value": cell_text(value)}
            )
        return federation


def _choice_parser(choices: Any, what: str) -> Any:
    """Parse a TextChoices cell given as its code or its Korean label."""
    lookup = {}
    for code, label in choices.choices:
        lookup[_lookup_key(code)] = code
        lookup[_lookup_key(str(label))] = code

    def parse(value: Any) -> str:
        found = lookup.get(_lookup_key(cell_text(value)))
        if found is None:
            options = ", ".join(f"{code}({label})" for code, label in choices.choices)
            raise ValueError(
                _("알 수 없는 %(what)s입니다: '%(value)s' (%(options)s 중 하나)")
                % {"what": what, "value": cell_text(value), "options": options}
            )
        return str(found)

    return parse


def _past_date(message: str) -> Any:
    today = timezone.localdate()

    def parse(value: Any) -> datetime.date | None:
        date: datetime.date | None = cell_date(value)
        if date and date > today:
            raise ValueError(message)
        return date

    return parse


class NetworkImporter(Importer):
    affects = frozenset({"statistics"})  # groups, firms and memberships feed the figures
    """Shared by the registry's importers: who may import, and the actor's regional scope."""

    @classmethod
    def allowed(cls, user: Any) -> bool:
        return user is None or can_transfer_data(user)

    def __init__(self, *, actor: Any, options: dict[str, Any] | None = None) -> None:
        super().__init__(actor=actor, options=options)
        # None = the whole network (the system, or central staff).
        self.region_ids: frozenset[int] | None = None
        if actor is not None:
            scope = scope_of(actor)
            if not scope.central:
                self.region_ids = scope.region_ids

    def in_scope(self, federation_id: int | None) -> bool:
        return self.region_ids is None or federation_id in self.region_ids

    def not_found_message(self, what: str, value: str = "") -> str:
        """An existing key outside the importer's scope reads like a key nobody registered: no name, no
        region (issue 7, finding 3)."""
        if what == "brn":
            return str(rules.MESSAGES[rules.FIRM_NOT_FOUND])
        return _("등록되지 않았거나 권한 밖의 교류회코드입니다: '%(code)s'") % {"code": value}

    def out_of_scope_message(self, federation: Federation | None) -> str:
        name = federation.name if federation else "-"
        return _("관할 지역 밖의 자료입니다(%(region)s). 소속 연합회의 자료만 가져올 수 있습니다.") % {
            "region": name
        }

    def duplicate(self, reader: RowReader, column: str, seen: dict[Any, int], key: Any, shown: str) -> bool:
        """Is this key already on an earlier row of the file? Then this row is an error."""
        first = seen.get(key)
        if first is not None:
            reader.error(
                column,
                fill(
                    _("같은 키(%(key)s)의 행이 파일에 두 번 있습니다: 행 %(first)s와(과) 중복됩니다."),
                    {"key": shown, "first": first},
                ),
            )
            return True
        seen[key] = reader.number
        return False


# --- exchange groups ---------------------------------------------------------------------------------

GROUP_COLUMNS = [
    Column(
        "code",
        "교류회코드",
        ("교류회 코드", "코드"),
        help=gettext_lazy("교류회를 구별하는 고유 코드입니다. 같은 코드의 행은 그 교류회를 고칩니다."),
        format=gettext_lazy("영문·숫자·'-'·'_', 32자 이내"),
        example="seoul-tech",
    ),
    Column(
        "name",
        "교류회명",
        ("교류회 이름", "명칭"),
        help=gettext_lazy("교류회 이름"),
        example="테헤란기술교류회",
    ),
    Column(
        "region",
        "지역",
        ("지역연합회", "연합회"),
        help=gettext_lazy("소속 지역연합회"),
        format=gettext_lazy("코드, 이름 또는 시·도 (예: seoul, 서울연합회, 서울특별시)"),
        example="서울연합회",
    ),
    Column(
        "kind",
        "구분",
        required=False,
        help=gettext_lazy("단위교류회 또는 프로젝트 교류회"),
        format=gettext_lazy("코드 또는 한글 이름 (비우면 단위교류회)"),
        example="단위교류회",
    ),
    Column(
        "founded_on",
        "창립일",
        ("설립일",),
        required=False,
        help=gettext_lazy("교류회를 만든 날"),
        format="YYYY-MM-DD",
        example="2005-03-15",
    ),
    Column(
        "exchange_types",
        "교류유형",
        ("교류 유형", "유형"),
        required=False,
        help=gettext_lazy("교류회의 교류 유형 (여러 개 가능)"),
        format=gettext_lazy("정보교환형, 자원협력형, 신제품개발형을 ';'로 구분"),
        example="정보교환형;신제품개발형",
    ),
    Column(
        "status",
        "상태",
        required=False,
        help=gettext_lazy("활동, 휴면 또는 해산"),
        format=gettext_lazy("코드 또는 한글 이름 (비우면 활동)"),
        example="활동",
    ),
]
GROUP_FIELDS = ("name", "federation_id", "kind", "founded_on", "status")


def _code(value: Any) -> str:
    text = cell_text(value)
    if not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in text):
        raise ValueError(_("코드는 영문, 숫자, '-', '_'만 쓸 수 있습니다: '%(value)s'") % {"value": text})
    return text


@register
class GroupImporter(NetworkImporter):
    kind = "groups"
    label = gettext_lazy("교류회")
    columns = GROUP_COLUMNS

    def plan(self, rows: Rows) -> tuple[list[RowPlan], list[RowError]]:
        errors: list[RowError] = []
        plans: list[RowPlan] = []
        regions = RegionLookup()
        types = {}
        for exchange_type in ExchangeType.objects.all():
            types[_lookup_key(exchange_type.code)] = exchange_type.code
            types[_lookup_key(exchange_type.name)] = exchange_type.code
        existing = {
            row["code"]: row
            for row in ExchangeGroup.objects.values("id", "code", *GROUP_FIELDS, "federation__name")
        }
        existing_types: dict[int, set[str]] = defaultdict(set)
        for group_id, type_code in GroupTypes.objects.values_list("exchangegroup_id", "exchangetype__code"):
            existing_types[group_id].add(type_code)
        kind_of = _choice_parser(ExchangeGroup.Kind, _("구분"))
        status_of = _choice_parser(ExchangeGroup.Status, _("상태"))
        founded_on = _past_date(_("창립일은 오늘 이후일 수 없습니다."))

        def types_of(value: Any) -> frozenset[str]:
            codes = set()
            for item in cell_list(value):
                code = types.get(_lookup_key(item))
                if code is None:
                    raise ValueError(
                        _(
                            "알 수 없는 교류유형입니다: '%(value)s' (info, resource, newproduct 또는 %(names)s)"
                        )
                        % {"value": item, "names": "정보교환형, 자원협력형, 신제품개발형"}
                    )
                codes.add(code)
            return frozenset(codes)

        seen: dict[str, int] = {}
        for number, values in rows:
            reader = RowReader(number, values, errors)
            code = reader.parse("code", _code, required=True, default="")
            if len(code) > 32:
                reader.error("code", _("코드는 32자 이내여야 합니다."))
            fields: dict[str, Any] = {"name": reader.text("name", required=True, max_length=100)}
            federation = reader.parse("region", regions.parse, required=True)
            fields["federation_id"] = federation.pk if federation else None
            if reader.has("kind"):
                fields["kind"] = reader.parse("kind", kind_of, default=ExchangeGroup.Kind.UNIT)
            if reader.has("founded_on"):
                fields["founded_on"] = reader.parse("founded_on", founded_on)
            if reader.has("status"):
                fields["status"] = reader.parse("status", status_of, default=ExchangeGroup.Status.ACTIVE)
            type_codes = reader.parse("exchange_types", types_of, default=frozenset())
            if code and self.duplicate(reader, "code", seen, code, code):
                continue
            if not reader.ok:
                continue
            current = existing.get(code)
            if current is not None and not self.in_scope(current["federation_id"]):
                reader.error("code", self.not_found_message("code", code))
                continue
            if not self.in_scope(fields["federation_id"]):
                reader.error("region", self.out_of_scope_message(federation))
                continue
            if current is None:
                plans.append(RowPlan(number, "create", (code, fields, type_codes)))
                continue
            changed = {k: v for k, v in fields.items() if current[k] != v}
            new_types = type_codes if reader.has("exchange_types") else None
            if new_types is not None and new_types == existing_types[current["id"]]:
                new_types = None
            if changed or new_types is not None:
                shown: dict[str, tuple[Any, Any]] = {}
                for name, value in changed.items():
                    if name == "federation_id":
                        shown["region"] = (regions.by_id[current[name]].code, federation.code)
                    else:
                        shown[name] = (current[name], value)
                if new_types is not None:
                    shown["exchange_types"] = (sorted(existing_types[current["id"]]), sorted(new_types))
                plans.append(RowPlan(number, "update", (current, changed, new_types), shown))
            else:
                plans.append(RowPlan(number, "unchanged"))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        types = dict(ExchangeType.objects.values_list("code", "id"))
        creates = [p.payload for p in plans if p.action == "create"]
        insert_rows(ExchangeGroup, ({"code": code, **fields} for code, fields, _types in creates))
        ids: dict[str, int] = {}
        for chunk in iter_chunks([code for code, _f, _t in creates], BATCH):
            ids.update(ExchangeGroup.objects.filter(code__in=chunk).values_list("code", "id"))
        links = [(ids[code], type_codes) for code, _fields, type_codes in creates]
        merged = []
        for current, changed, new_types in (p.payload for p in plans if p.action == "update"):
            merged.append({"id": current["id"], **{name: current[name] for name in GROUP_FIELDS}, **changed})
            if new_types is not None:
                links.append((current["id"], new_types))
        update_rows(ExchangeGroup, merged, list(GROUP_FIELDS))
        relinked = [group_id for group_id, _codes in links]
        for chunk in iter_chunks(relinked, BATCH):
            GroupTypes.objects.filter(exchangegroup_id__in=chunk).delete()
        GroupTypes.objects.bulk_create(
            [
                GroupTypes(exchangegroup_id=group_id, exchangetype_id=types[code])
                for group_id, codes in links
                for code in sorted(codes)
            ],
            batch_size=BATCH,
        )

    def audit_details(self, plans: list[RowPlan]) -> dict[str, Any]:
        return _changed_keys(plans, lambda p: p.payload[0] if p.action == "create" else p.payload[0]["code"])


def _changed_keys(plans: list[RowPlan], key_of: Any, limit: int = 200) -> dict[str, Any]:
    keys = [key_of(p) for p in plans if p.action in ("create", "update")]
    return {"keys": keys[:limit], "keys_truncated": len(keys) > limit}


# --- firms ---------------------------------------------------------------------------------------------

FIRM_COLUMNS = [
    Column(
        "brn",
        "사업자등록번호",
        ("사업자번호", "사업자 등록번호"),
        help=gettext_lazy("회원사를 구별하는 번호입니다. 같은 번호의 행은 그 회원사를 고칩니다."),
        format=gettext_lazy("숫자 10자리 (하이픈은 있어도 됨)"),
        example="116-82-00276",
    ),
    Column("name", "기업명", ("회사명", "업체명", "상호"), help=gettext_lazy("상호"), example="(주)새영테크"),
    Column(
        "representative",
        "대표자",
        ("대표자명", "대표"),
        required=False,
        help=gettext_lazy("대표자 이름 (개인정보)"),
        example="김민준",
    ),
    Column(
        "phone",
        "전화번호",
        ("연락처", "전화"),
        required=False,
        help=gettext_lazy("대표 전화"),
        example="02-1234-5678",
    ),
    Column(
        "email",
        "이메일",
        ("전자우편", "이메일주소", "e-mail"),
        required=False,
        help=gettext_lazy("대표 이메일"),
        example="contact@saeyoung.co.kr",
    ),
    Column(
        "address",
        "주소",
        ("소재지",),
        required=False,
        help=gettext_lazy("사업장 주소"),
        example="서울특별시 강남구 테헤란로 1",
    ),
    Column(
        "region",
        "지역",
        ("지역연합회", "연합회"),
        help=gettext_lazy("회원사 기록을 관리하는 지역연합회"),
        format=gettext_lazy("코드, 이름 또는 시·도 (예: seoul, 서울연합회)"),
        example="서울연합회",
    ),
    Column(
        "ksic",
        "업종(KSIC)",
        ("업종", "업종코드", "KSIC", "산업분류", "업종(KSIC 중분류)"),
        help=gettext_lazy("한국표준산업분류 코드. 첫 코드가 주 업종, 나머지는 부 업종입니다."),
        format=gettext_lazy("중분류 2자리 또는 세분류 5자리, 여러 개는 ';'로 구분 (',' 줄바꿈도 가능)"),
        example="26;62",
    ),
    Column(
        "employees",
        "종업원수",
        ("종업원 수", "직원수", "직원 수"),
        required=False,
        help=gettext_lazy("상시 종업원 수"),
        format=gettext_lazy("정수 (명은 붙여도 됨)"),
        example=25,
    ),
    Column(
        "revenue_krw",
        "매출액",
        ("매출액(원)", "매출"),
        required=False,
        help=gettext_lazy("연 매출액 (원)"),
        format=gettext_lazy("정수, 천 단위 쉼표 가능"),
        example=1200000000,
    ),
    Column(
        "founded_on",
        "설립일",
        ("창업일",),
        required=False,
        help=gettext_lazy("회사 설립일"),
        format="YYYY-MM-DD",
        example="1999-05-01",
    ),
    Column(
        "technologies",
        "보유기술",
        ("보유 기술", "기술"),
        required=False,
        help=gettext_lazy("보유 기술 (매칭에 쓰임)"),
        format=gettext_lazy("여러 개는 ';' 또는 줄바꿈으로 구분"),
        example="센서;임베디드 SW",
    ),
    Column(
        "products",
        "주요제품",
        ("주요 제품", "제품"),
        required=False,
        help=gettext_lazy("주요 제품"),
        format=gettext_lazy("여러 개는 ';' 또는 줄바꿈으로 구분"),
        example="산업용 센서",
    ),
    Column(
        "status",
        "상태",
        ("영업상태", "영업 상태"),
        required=False,
        help=gettext_lazy("정상 영업 중인지, 폐업했는지 (지원사업 신청 자격에 쓰임)"),
        format=gettext_lazy("active(정상) 또는 closed(폐업), 비우면 정상"),
        example="정상",
    ),
]
FIRM_FIELDS = (
    "name",
    "representative",
    "phone",
    "email",
    "address",
    "federation_id",
    "industry_id",
    "employees",
    "revenue_krw",
    "founded_on",
    "technologies",
    "products",
    "status",
)
# Column key → (model field, max length) for the free-text columns.
FIRM_TEXT = {
    "representative": 50,
    "phone": 20,
    "address": 200,
}
MAX_INT = 2**31 - 1


def _brn(value: Any) -> str:
    text = cell_text(value)
    digits = text.replace("-", "").replace(" ", "")
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        raise ValueError(_("사업자등록번호는 숫자 10자리여야 합니다: '%(value)s'") % {"value": text})
    if not brn_is_valid(digits):
        raise ValueError(_("사업자등록번호의 검증번호가 맞지 않습니다: '%(value)s'") % {"value": text})
    return digits


_validate_email = EmailValidator()
# Plain ASCII addresses, a strict subset of what EmailValidator accepts: checked without its lazy machinery.
_PLAIN_EMAIL = re.compile(
    r"[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def _email(value: Any) -> str:
    text = cell_text(value)
    if len(text) <= 254 and _PLAIN_EMAIL.fullmatch(text):
        return text
    try:
        _validate_email(text)
    except ValidationError as exc:
        raise ValueError(_("올바른 이메일 주소가 아닙니다: '%(value)s'") % {"value": text}) from exc
    if len(text) > 254:
        raise ValueError(_("이메일 주소가 너무 깁니다."))
    return text


def _bounded_int(value: Any) -> int | None:
    number = cell_int(value, minimum=0)
    if number is not None and number > MAX_INT:
        raise ValueError(_("값이 너무 큽니다: %(value)s") % {"value": number})
    return number


def _revenue(value: Any) -> int | None:
    number = cell_int(value, minimum=0)
    if number is not None and number >= 2**63:
        raise ValueError(_("값이 너무 큽니다: %(value)s") % {"value": number})
    return number


def _attach_secondary(firms: dict[str, dict[str, Any]]) -> None:
    """Add each loaded firm's secondary industry ids (as a tuple, ordered by id) under `secondary_industries`."""
    by_id = {row["id"]: row for row in firms.values()}
    for row in by_id.values():
        row["secondary_industries"] = ()
    through = Firm.secondary_industries.through
    found: dict[int, list[int]] = defaultdict(list)
    for chunk in iter_chunks(sorted(by_id), BATCH):
        for firm_id, industry_id in through.objects.filter(firm_id__in=chunk).values_list(
            "firm_id", "industry_id"
        ):
            found[firm_id].append(industry_id)
    for firm_id, industry_ids in found.items():
        by_id[firm_id]["secondary_industries"] = tuple(sorted(industry_ids))


def _load_by_brn(brns: Iterable[str], fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for chunk in iter_chunks(sorted(set(brns)), BATCH):
        for row in Firm.objects.filter(brn__in=chunk).values("id", "brn", *fields):
            found[row["brn"]] = row
    return found


@register
class FirmImporter(NetworkImporter):
    kind = "firms"
    label = gettext_lazy("회원사")
    columns = FIRM_COLUMNS

    def plan(self, rows: Rows) -> tuple[list[RowPlan], list[RowError]]:
        errors: list[RowError] = []
        regions = RegionLookup()
        divisions = Divisions.load()
        known: dict[Any, tuple[int, list[int]]] = {}  # the same few cells repeat on every row

        def ksic(value: Any) -> tuple[int, list[int]]:
            key = (value.__class__, value)
            if key not in known:
                known[key] = divisions.parse_list(value)
            return known[key]

        founded_on = _past_date(_("설립일은 오늘 이후일 수 없습니다."))
        status_of = _choice_parser(Firm.Status, _("상태"))
        parsed: list[tuple[RowReader, str, dict[str, Any], Federation | None]] = []
        seen: dict[str, int] = {}
        for number, values in rows:
            reader = RowReader(number, values, errors)
            brn = reader.parse("brn", _brn, required=True, default="")
            fields: dict[str, Any] = {"name": reader.text("name", required=True, max_length=100)}
            for key, max_length in FIRM_TEXT.items():
                if reader.has(key):
                    fields[key] = reader.text(key, max_length=max_length)
            if reader.has("email"):
                fields["email"] = reader.parse("email", _email, default="")
            federation = reader.parse("region", regions.parse, required=True)
            fields["federation_id"] = federation.pk if federation else None
            main, secondary = reader.parse("ksic", ksic, required=True, default=(None, []))
            fields["industry_id"] = main
            fields["secondary_industries"] = tuple(secondary)
            if reader.has("employees"):
                fields["employees"] = reader.parse("employees", _bounded_int)
            if reader.has("revenue_krw"):
                fields["revenue_krw"] = reader.parse("revenue_krw", _revenue)
            if reader.has("founded_on"):
                fields["founded_on"] = reader.parse("founded_on", founded_on)
            for key in ("technologies", "products"):
                if reader.has(key):
                    fields[key] = reader.parse(key, cell_list, default=[])
            if reader.has("status"):
                fields["status"] = reader.parse("status", status_of, default=Firm.Status.ACTIVE)
            if brn and self.duplicate(reader, "brn", seen, brn, brn):
                continue
            if reader.ok:
                parsed.append((reader, brn, fields, federation))

        existing = _load_by_brn((p[1] for p in parsed), FIRM_FIELDS)
        _attach_secondary(existing)
        plans: list[RowPlan] = []
        for reader, brn, fields, federation in parsed:
            current = existing.get(brn)
            if current is None:
                if not self.in_scope(fields["federation_id"]):
                    reader.error("region", self.out_of_scope_message(federation))
                    continue
                plans.append(RowPlan(reader.number, "create", (brn, fields)))
                continue
            # Only the firm's own federation keeps its record (rules.check_firm_change); any other
            # importer reads an existing number as unknown, without its name or region.
            if not rules.keeps_firm_record(self.actor, current["federation_id"]):
                reader.error("brn", self.not_found_message("brn"))
                continue
            if fields["federation_id"] != current["federation_id"] and not self.in_scope(
                fields["federation_id"]
            ):
                reader.error("region", self.out_of_scope_message(federation))
                continue
            changed = {}
            for name, value in fields.items():
                old = current[name]
                if old == value or (name == "secondary_industries" and set(old) == set(value)):
                    continue
                # A masked export (홍*동) re-imported must not overwrite the real value with the mask.
                mask = PERSONAL_MASKS.get(name)
                if mask and is_mask_of(mask, value, old):
                    continue
                changed[name] = value
            if changed:
                plans.append(
                    RowPlan(
                        reader.number, "update", (current, changed), self._shown(current, changed, regions)
                    )
                )
            else:
                plans.append(RowPlan(reader.number, "unchanged"))
        return plans, errors

    def _shown(
        self, current: dict[str, Any], changed: dict[str, Any], regions: RegionLookup
    ) -> dict[str, tuple[Any, Any]]:
        """The changed cells as the file writes them (old → new); old personal data stays masked."""
        if not hasattr(self, "industry_codes"):
            self.industry_codes = dict(Industry.objects.values_list("id", "code"))
        codes = self.industry_codes

        def ksic_of(values: dict[str, Any]) -> str:
            return join_codes(
                [codes[values["industry_id"]], *sorted(codes[i] for i in values["secondary_industries"])]
            )

        shown: dict[str, tuple[Any, Any]] = {}
        for name, value in changed.items():
            if name == "federation_id":
                shown["region"] = (regions.by_id[current[name]].code, regions.by_id[value].code)
            elif name in ("industry_id", "secondary_industries"):
                shown["ksic"] = (ksic_of(current), ksic_of({**current, **changed}))
            else:
                old = current[name]
                mask = PERSONAL_MASKS.get(name)
                shown[name] = (mask(old) if mask and old else old, value)
        return shown

    def apply(self, plans: list[RowPlan]) -> None:
        # Generators: only one batch of rows is materialised at a time.
        insert_rows(Firm, ({"brn": p.payload[0], **p.payload[1]} for p in plans if p.action == "create"))
        update_rows(
            Firm,
            (
                {"id": current["id"], **{name: current[name] for name in FIRM_FIELDS}, **changed}
                for current, changed in (p.payload for p in plans if p.action == "update")
            ),
            list(FIRM_FIELDS),
        )
        # Secondary industries: the created firms' ids are read back by number, in batches.
        links: dict[str, tuple[int, ...]] = {}
        for plan in plans:
            if plan.action == "create" and plan.payload[1]["secondary_industries"]:
                links[plan.payload[0]] = plan.payload[1]["secondary_industries"]
        ids: dict[str, int] = {}
        for chunk in iter_chunks(sorted(links), BATCH):
            ids.update(Firm.objects.filter(brn__in=chunk).values_list("brn", "id"))
        relinked = {ids[brn]: industries for brn, industries in links.items()}
        for plan in plans:
            if plan.action == "update" and "secondary_industries" in plan.payload[1]:
                relinked[plan.payload[0]["id"]] = plan.payload[1]["secondary_industries"]
        through = Firm.secondary_industries.through
        for chunk in iter_chunks(sorted(relinked), BATCH):
            through.objects.filter(firm_id__in=chunk).delete()
        through.objects.bulk_create(
            [
                through(firm_id=firm_id, industry_id=industry_id)
                for firm_id, industries in relinked.items()
                for industry_id in industries
            ],
            batch_size=BATCH,
        )

    def audit_details(self, plans: list[RowPlan]) -> dict[str, Any]:
        return _changed_keys(plans, lambda p: p.payload[0] if p.action == "create" else p.payload[0]["brn"])


# --- memberships ---------------------------------------------------------------------------------------

MEMBERSHIP_COLUMNS = [
    Column(
        "group_code",
        "교류회코드",
        ("교류회 코드",),
        help=gettext_lazy("가입한 교류회의 코드"),
        example="seoul-tech",
    ),
    Column(
        "brn",
        "사업자등록번호",
        ("사업자번호", "사업자 등록번호"),
        help=gettext_lazy("등록된 회원사의 사업자등록번호"),
        format=gettext_lazy("숫자 10자리"),
        example="116-82-00276",
    ),
    Column(
        "role",
        "직책",
        ("역할",),
        required=False,
        help=gettext_lazy("회장, 총무 또는 회원"),
        format=gettext_lazy("코드 또는 한글 이름 (비우면 회원)"),
        example="회원",
    ),
    Column(
        "joined_on",
        "가입일",
        ("가입 일자",),
        help=gettext_lazy("가입한 날. 교류회·회원사·가입일이 같은 행은 그 이력을 고칩니다."),
        format="YYYY-MM-DD",
        example="2010-01-01",
    ),
    Column(
        "left_on",
        "탈퇴일",
        ("탈퇴 일자",),
        required=False,
        help=gettext_lazy("탈퇴한 날 (회원이면 비움)"),
        format="YYYY-MM-DD",
        example="",
    ),
]
OFFICER_ROLES = rules.OFFICER_ROLES


@register
class MembershipImporter(NetworkImporter):
    kind = "memberships"
    label = gettext_lazy("회원 가입 이력")
    columns = MEMBERSHIP_COLUMNS

    def plan(self, rows: Rows) -> tuple[list[RowPlan], list[RowError]]:
        errors: list[RowError] = []
        self.checked_rows = rows
        today = timezone.localdate()
        groups: dict[str, dict[str, Any]] = {
            row["code"]: dict(row)
            for row in ExchangeGroup.objects.values("id", "code", "federation_id", "founded_on")
        }
        role_of = _choice_parser(Membership.Role, _("직책"))

        parsed: list[tuple[RowReader, Any, str, str, Any, Any]] = []
        seen: dict[Any, int] = {}
        for number, values in rows:
            reader = RowReader(number, values, errors)
            group_code = reader.text("group_code", required=True)
            brn = reader.parse("brn", _brn, required=True, default="")
            role = reader.parse("role", role_of, default=Membership.Role.MEMBER)
            joined_on = reader.parse("joined_on", cell_date, required=True)
            left_on = reader.parse("left_on", cell_date)
            group = groups.get(group_code)
            if group and not self.in_scope(group["federation_id"]):
                group = None
            if group_code and group is None:
                reader.error("group_code", self.not_found_message("code", group_code))
            if group and joined_on:
                key = (group_code, brn, joined_on)
                shown = f"{group_code}, {brn}, {joined_on:%Y-%m-%d}"
                if self.duplicate(reader, "joined_on", seen, key, shown):
                    continue
            parsed.append((reader, group, brn, role, joined_on, left_on))

        firms = _load_by_brn((p[2] for p in parsed if p[0].ok), ("name", "federation_id"))
        for reader, _group, brn, *_rest in parsed:
            if reader.ok and brn not in firms:
                reader.error("brn", self.not_found_message("brn"))
        valid = [p for p in parsed if p[0].ok]

        # Every period of the touched groups, as they will be after the import, checked in memory.
        group_ids = sorted({p[1]["id"] for p in valid})
        periods: dict[tuple[int, int, Any], dict[str, Any]] = {}
        self.checked_fingerprint = self._fingerprint(group_ids)
        for chunk in iter_chunks(group_ids, 500):
            for row in Membership.objects.filter(group_id__in=chunk).values(
                "id", "group_id", "firm_id", "firm__name", "role", "joined_on", "left_on"
            ):
                period: dict[str, Any] = {**row, "row": None}
                periods[(row["group_id"], row["firm_id"], row["joined_on"])] = period
        addable = rules.addable_firm_ids(self.actor, {firms[p[2]]["id"] for p in valid})
        plans: list[RowPlan] = []
        for reader, group, brn, role, joined_on, left_on in valid:
            firm = firms[brn]
            period_key = (group["id"], firm["id"], joined_on)
            current = periods.get(period_key)
            # The same rules as the web form (rules.check_membership_addition / _change); consent cannot
            # be asked in a file, so a firm outside the importer's scope is a row error reading "not found".
            keeper = ExchangeGroup(pk=group["id"], federation_id=group["federation_id"])
            try:
                if current is None:
                    rules.check_membership_addition(
                        self.actor,
                        keeper,
                        firm_in_scope=firm["id"] in addable,
                        firm_federation_id=firm["federation_id"],
                        left_on=left_on,
                    )
                elif current["role"] != role or current["left_on"] != left_on:
                    rules.check_membership_change(
                        self.actor,
                        keeper,
                        firm_federation_id=firm["federation_id"],
                        stored_left_on=current["left_on"],
                    )
            except rules.RuleViolation as refused:
                reader.error(refused.field, refused.messages[0])
                continue
            if current is None:
                action = "create"
                current = periods[period_key] = {"id": None, "group_id": group["id"], "firm_id": firm["id"]}
                current.update(joined_on=joined_on, firm__name=firm["name"])
            elif current["role"] == role and current["left_on"] == left_on:
                action = "unchanged"
            else:
                action = "update"
            period_changes = {
                name: (current[name], value)
                for name, value in (("role", role), ("left_on", left_on))
                if action == "update" and current[name] != value
            }
            current.update(role=role, left_on=left_on, row=reader)
            plans.append(RowPlan(reader.number, action, current, period_changes))

        by_group_firm: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
        officers: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
        for period in periods.values():
            by_group_firm[(period["group_id"], period["firm_id"])].append(period)
            if period["role"] in OFFICER_ROLES:
                officers[(period["group_id"], period["role"])].append(period)
        founded = {group["id"]: group["founded_on"] for group in groups.values()}
        for plan in plans:
            if plan.action == "unchanged":
                continue  # already stored as it is: re-importing an export never fails on old data
            period = plan.payload
            reader = period["row"]
            # The same rule as the web form (rules.membership_period_errors), against every period of the
            # group as it will be after the import.
            others = [
                rules.Period(o["firm_id"], o["role"], o["joined_on"], o["left_on"], o["firm__name"])
                for o in [
                    *by_group_firm[(period["group_id"], period["firm_id"])],
                    *(
                        officers[(period["group_id"], period["role"])]
                        if period["role"] in OFFICER_ROLES
                        else []
                    ),
                ]
                if o is not period
            ]
            found = rules.membership_period_errors(
                rules.Period(period["firm_id"], period["role"], period["joined_on"], period["left_on"]),
                founded_on=founded[period["group_id"]],
                others=others,
                today=today,
            )
            for field, messages in found.items():
                for message in messages:
                    reader.error(field, message)
        return [p for p in plans if p.payload["row"].ok], errors

    def apply(self, plans: list[RowPlan]) -> None:
        # The period rules span rows: lock the touched groups (in id order, so two imports cannot deadlock)
        # as add_membership does, then make sure nothing changed in them since the check, or check again.
        group_ids = sorted({p.payload["group_id"] for p in plans})
        for group_id in group_ids:
            lock_group(ExchangeGroup(pk=group_id))
        if self._fingerprint(group_ids) != self.checked_fingerprint:
            plans, errors = self.plan(self.checked_rows)
            if errors:
                raise PlanChanged(errors)
        columns = ("group_id", "firm_id", "role", "joined_on", "left_on")
        insert_rows(
            Membership, ({name: p.payload[name] for name in columns} for p in plans if p.action == "create")
        )
        update_rows(
            Membership,
            (p.payload for p in plans if p.action == "update"),
            ["role", "left_on"],
        )

    @staticmethod
    def _fingerprint(group_ids: list[int]) -> tuple[Any, ...]:
        """What the check read of these groups' periods: any insert, update or delete since moves it."""
        found = Membership.objects.filter(group_id__in=group_ids).aggregate(
            n=Count("id"), last_id=Max("id"), last_change=Max("updated_at")
        )
        return (found["n"], found["last_id"], found["last_change"])

    def audit_details(self, plans: list[RowPlan]) -> dict[str, Any]:
        def key_of(plan: RowPlan) -> str:
            row = plan.payload["row"]
            return (
                f"{cell_text(row.values.get('group_code'))}/{normalize_brn(cell_text(row.values.get('brn')))}"
            )

        return _changed_keys(plans, key_of)
