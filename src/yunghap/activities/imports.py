"""Spreadsheet imports of the ledger: `yunghap import meetings|trades|outcomes|activities FILE [--dry-run]`.

Spreadsheet shapes (English or Korean headers; BRNs with or without hyphens; lists of BRNs separated by
`;`, `,`, `/` or line breaks; title rows above the header are skipped):

* meetings — one row per meeting: `group_code, held_on, kind, place, agenda, minutes, present_brns,
  absent_brns`. `kind` is monthly/special (월례회/임시회; monthly when blank). The attendance sheet is
  every member of the group on `held_on`; those in `present_brns` are present, everyone else absent.
  `absent_brns` is optional and only checked (members that day, not also present), so that a
  paper sheet can be copied as it is. One row per meeting keeps the sheet the way officers keep it.
* trades — `group_code, buyer_brn, seller_brn, item, amount_krw, traded_on`.
* outcomes — `group_code, kind, title, achieved_on, brns, description` (kind: new_technology/신기술,
  new_product/신제품, patent/특허, new_market/신시장, process_improvement/공정 개선).
* activities — `group_code, kind, title, held_on, brns, description` (kind: hr_exchange/인적자원 교류,
  joint_project/공동사업, social_service/사회봉사; brns optional).

The same rules as the web forms: no future dates, firms must be members of the group on the day, trades
between two different members with amounts ≥ 0. Re-importing a file changes nothing: a meeting is
identified by (group, held_on, kind), a trade by all its columns, an outcome or activity by (group,
kind, title, date). Rows of groups outside a regional staff member's region are errors.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.core.imports import (
    Column,
    RowError,
    RowPlan,
    RowReader,
    cell_codes,
    cell_date,
    cell_int,
    register,
)
from yunghap.core.validators import brn_is_valid, normalize_brn
from yunghap.network.imports import NetworkImporter, _choice_parser
from yunghap.network.models import ExchangeGroup, Firm, Membership

from . import rules
from .models import Activity, Attendance, Meeting, Outcome, Trade

BATCH = 2000
Rows = list[tuple[int, dict[str, Any]]]
GROUP_COLUMN = Column(
    "group_code",
    "교류회코드",
    ("교류회 코드", "교류회"),
    help=gettext_lazy("교류회의 코드"),
    example="seoul-tech",
)
BRN_LIST = gettext_lazy("사업자등록번호 여러 개를 ';', ',' 또는 줄바꿈으로 구분")
EXAMPLE_BRNS = "116-82-00276;220-81-62517"


class _BrnsOf(dict[int, str]):
    """Firm id → BRN, for the dry run's old → new lists; ids the file does not name are read on demand."""

    def __init__(self, firm_ids: dict[str, int]) -> None:
        super().__init__({pk: brn for brn, pk in firm_ids.items()})

    def __missing__(self, key: int) -> str:
        brn = Firm.objects.filter(pk=key).values_list("brn", flat=True).first() or "?"
        self[key] = brn
        return brn


class LedgerImporter(NetworkImporter):
    affects = frozenset({"statistics"})  # the ledger feeds the figures
    """Loads the groups, firms and membership periods a file names, in a few queries."""

    def load(self, rows: Rows, brn_columns: tuple[str, ...]) -> None:
        codes = {str(values.get("group_code") or "").strip() for _n, values in rows}
        self.groups = {
            g.code: g for g in ExchangeGroup.objects.filter(code__in=codes).select_related("federation")
        }
        brns: set[str] = set()
        for _n, values in rows:
            for column in brn_columns:
                brns.update(normalize_brn(b) for b in cell_codes(values.get(column)))
        self.firm_ids = dict(Firm.objects.filter(brn__in=brns).values_list("brn", "id"))
        self.brns_of = _BrnsOf(self.firm_ids)
        self.periods: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = defaultdict(list)
        for group_id, firm_id, joined, left in Membership.objects.filter(
            group_id__in=[g.pk for g in self.groups.values()]
        ).values_list("group_id", "firm_id", "joined_on", "left_on"):
            self.periods[group_id].append((firm_id, joined, left))
        self.today = timezone.localdate()
        self.actor_id = getattr(self.actor, "pk", None)

    def members_on(self, group_id: int, on: datetime.date) -> set[int]:
        return {
            f for f, joined, left in self.periods[group_id] if joined <= on and (left is None or left > on)
        }

    def group(self, reader: RowReader) -> ExchangeGroup | None:
        code = reader.text("group_code", required=True)
        if not code:
            return None
        group = self.groups.get(code)
        if group is None:
            reader.error("group_code", self.not_found_message("code", code))
            return None
        if not self.in_scope(group.federation_id):
            # Another region's group reads like an unknown code: no region named (issue 7, finding 3).
            reader.error("group_code", self.not_found_message("code", code))
            return None
        return group

    def date(self, reader: RowReader, column: str, group: ExchangeGroup | None) -> datetime.date | None:
        value = reader.parse(column, cell_date, required=True)
        if value is None:
            return None
        # The same rule as the web forms (activities.rules.ledger_date_errors).
        problems = rules.ledger_date_errors(
            value, today=self.today, founded_on=group.founded_on if group is not None else None
        )
        for message in problems:
            reader.error(column, message)
        return None if problems else value

    def firms(self, reader: RowReader, column: str, *, many: bool = True) -> list[int]:
        ids = []
        for raw in cell_codes(reader.values.get(column)) if many else [reader.values.get(column)]:
            brn = normalize_brn(raw)
            if not brn:
                continue
            if not brn_is_valid(brn):
                reader.error(column, _("사업자등록번호가 올바르지 않습니다: '%(brn)s'") % {"brn": raw})
            elif brn not in self.firm_ids:
                reader.error(column, self.unknown_brn_message(brn))
            else:
                ids.append(self.firm_ids[brn])
        return ids

    def check_members(
        self, reader: RowReader, column: str, group: ExchangeGroup, on: datetime.date, firm_ids: list[int]
    ) -> None:
        outsiders = set(firm_ids) - self.members_on(group.pk, on)
        if not outsiders:
            return
        # A firm in the group's history was simply not a member that day; any other registered firm reads
        # exactly like an unregistered number, so the file reveals nothing about firms outside the group.
        history = {f for f, _joined, _left in self.periods[group.pk]}
        brns = sorted(brn for brn, pk in self.firm_ids.items() if pk in outsiders & history)
        if brns:
            reader.error(
                column,
                _("%(date)s에 이 교류회의 회원이 아니었던 회원사가 있습니다: %(brns)s")
                % {"date": on.isoformat(), "brns": ", ".join(brns)},
            )
        for brn in sorted(brn for brn, pk in self.firm_ids.items() if pk in outsiders - history):
            reader.error(column, self.unknown_brn_message(brn))

    def unknown_brn_message(self, raw: Any) -> str:
        return _("등록되지 않았거나 권한 밖의 사업자등록번호입니다: '%(brn)s'") % {"brn": raw}


@register
class MeetingImporter(LedgerImporter):
    kind = "meetings"
    label = gettext_lazy("모임·출석")
    columns = [
        GROUP_COLUMN,
        Column(
            "held_on",
            "개최일",
            ("일자", "날짜"),
            help=gettext_lazy("모임 날짜. 교류회·개최일·구분이 같은 행은 그 모임을 고칩니다."),
            format="YYYY-MM-DD",
            example="2026-03-12",
        ),
        Column(
            "kind",
            "구분",
            required=False,
            help=gettext_lazy("월례회 또는 임시회"),
            format=gettext_lazy("비우면 월례회"),
            example="월례회",
        ),
        Column("place", "장소", required=False, help=gettext_lazy("모임 장소"), example="역삼동 회의실"),
        Column("agenda", "안건", required=False, help=gettext_lazy("안건"), example="공동 구매"),
        Column("minutes", "회의록", required=False, help=gettext_lazy("회의록 요지"), example=""),
        Column(
            "present_brns",
            "출석 사업자등록번호",
            ("출석", "출석회원사"),
            help=gettext_lazy("출석한 회원사. 그날 회원인 나머지는 결석으로 기록됩니다."),
            format=BRN_LIST,
            example=EXAMPLE_BRNS,
        ),
        Column(
            "absent_brns",
            "결석 사업자등록번호",
            ("결석", "결석회원사"),
            required=False,
            help=gettext_lazy("결석한 회원사 (확인용, 비워도 됨)"),
            format=BRN_LIST,
            example="",
        ),
    ]

    def plan(self, rows: Rows) -> tuple[list[RowPlan], list[RowError]]:
        self.load(rows, ("present_brns", "absent_brns"))
        errors: list[RowError] = []
        plans: list[RowPlan] = []
        kind_of = _choice_parser(Meeting.Kind, _("구분"))
        existing = {
            (m["group_id"], m["held_on"], m["kind"]): m
            for m in Meeting.objects.filter(group_id__in=[g.pk for g in self.groups.values()]).values(
                "id", "group_id", "held_on", "kind", "place", "agenda", "minutes"
            )
        }
        seen: dict[Any, int] = {}
        for number, values in rows:
            reader = RowReader(number, values, errors)
            group = self.group(reader)
            held_on = self.date(reader, "held_on", group)
            kind = reader.parse("kind", kind_of, default=Meeting.Kind.MONTHLY)
            fields = {
                "place": reader.text("place", max_length=200),
                "agenda": reader.text("agenda"),
                "minutes": reader.text("minutes"),
            }
            present = self.firms(reader, "present_brns")
            absent = self.firms(reader, "absent_brns")
            if not reader.ok or group is None or held_on is None:
                continue
            key = (group.pk, held_on, kind)
            if self.duplicate(reader, "held_on", seen, key, f"{group.code} {held_on} {kind}"):
                continue
            members = self.members_on(group.pk, held_on)
            if not members:
                reader.error(
                    "held_on", _("%(date)s에 이 교류회의 회원사가 없습니다.") % {"date": held_on.isoformat()}
                )
                continue
            self.check_members(reader, "present_brns", group, held_on, present)
            self.check_members(reader, "absent_brns", group, held_on, absent)
            both = set(present) & set(absent)
            if both:
                reader.error("absent_brns", _("출석과 결석에 함께 적힌 회원사가 있습니다."))
            if not reader.ok:
                continue
            payload = {
                "group_id": group.pk,
                "held_on": held_on,
                "kind": kind,
                "members": members,
                "present": set(present),
                **fields,
            }
            current = existing.get(key)
            if current is None:
                plans.append(RowPlan(number, "create", payload))
                continue
            payload["id"] = current["id"]
            for name in ("place", "agenda", "minutes"):
                if not reader.has(name):
                    payload[name] = current[name]
            shown = {
                name: (current[name], payload[name])
                for name in ("place", "agenda", "minutes")
                if payload[name] != current[name]
            }
            payload["changed"] = bool(shown)
            plans.append(RowPlan(number, "update", payload, shown))
        self._settle_updates(plans)
        return plans, errors

    def _settle_updates(self, plans: list[RowPlan]) -> None:
        """An existing meeting whose text and attendance are as in the file is unchanged."""
        updates = [p for p in plans if p.action == "update"]
        if not updates:
            return
        sheets: dict[int, dict[int, bool]] = defaultdict(dict)
        for meeting_id, firm_id, present in Attendance.objects.filter(
            meeting_id__in=[p.payload["id"] for p in updates]
        ).values_list("meeting_id", "firm_id", "present"):
            sheets[meeting_id][firm_id] = present
        for plan in updates:
            payload = plan.payload
            sheet = sheets[payload["id"]]
            same_sheet = (
                set(sheet) == payload["members"] and {f for f, p in sheet.items() if p} == payload["present"]
            )
            if same_sheet and not payload["changed"]:
                plan.action = "unchanged"
            elif not same_sheet:
                brns = self.brns_of
                plan.changes["present_brns"] = (
                    sorted(brns[f] for f, p in sheet.items() if p),
                    sorted(brns[f] for f in payload["present"]),
                )

    def apply(self, plans: list[RowPlan]) -> None:
        creates = [p.payload for p in plans if p.action == "create"]
        meetings = Meeting.objects.bulk_create(
            [
                Meeting(
                    group_id=p["group_id"],
                    held_on=p["held_on"],
                    kind=p["kind"],
                    place=p["place"],
                    agenda=p["agenda"],
                    minutes=p["minutes"],
                    listed_count=len(p["members"]),
                    present_count=len(p["present"]),
                    created_by_id=self.actor_id,
                )
                for p in creates
            ],
            batch_size=BATCH,
        )
        updates = [p.payload for p in plans if p.action == "update"]
        Attendance.objects.filter(meeting_id__in=[p["id"] for p in updates]).delete()
        Meeting.objects.bulk_update(
            [
                Meeting(
                    id=p["id"],
                    place=p["place"],
                    agenda=p["agenda"],
                    minutes=p["minutes"],
                    listed_count=len(p["members"]),
                    present_count=len(p["present"]),
                    updated_at=timezone.now(),
                    # An edit form read before the import is stale (`core.versions`).
                    version=F("version") + 1,  # type: ignore[misc]  # an expression, evaluated by the update
                )
                for p in updates
            ],
            ["place", "agenda", "minutes", "listed_count", "present_count", "updated_at", "version"],
            batch_size=BATCH,
        )
        sheets = [(m.pk, p) for m, p in zip(meetings, creates, strict=True)] + [(p["id"], p) for p in updates]
        Attendance.objects.bulk_create(
            (
                Attendance(meeting_id=meeting_id, firm_id=firm_id, present=firm_id in p["present"])
                for meeting_id, p in sheets
                for firm_id in sorted(p["members"])
            ),
            batch_size=BATCH,
        )


@register
class TradeImporter(LedgerImporter):
    kind = "trades"
    label = gettext_lazy("회원간 수발주")
    columns = [
        GROUP_COLUMN,
        Column(
            "buyer_brn",
            "발주 사업자등록번호",
            ("발주회원사", "구매 사업자등록번호"),
            help=gettext_lazy("발주(구매)한 회원사"),
            format=gettext_lazy("숫자 10자리"),
            example="116-82-00276",
        ),
        Column(
            "seller_brn",
            "수주 사업자등록번호",
            ("수주회원사", "판매 사업자등록번호"),
            help=gettext_lazy("수주(판매)한 회원사"),
            format=gettext_lazy("숫자 10자리"),
            example="220-81-62517",
        ),
        Column("item", "품목", help=gettext_lazy("거래 품목"), example="정밀 가공 부품"),
        Column(
            "amount_krw",
            "금액",
            ("금액(원)", "거래금액"),
            help=gettext_lazy("거래 금액 (원)"),
            format=gettext_lazy("정수, 천 단위 쉼표 가능"),
            example=15000000,
        ),
        Column(
            "traded_on",
            "거래일",
            ("일자", "날짜"),
            help=gettext_lazy("거래한 날"),
            format="YYYY-MM-DD",
            example="2026-02-20",
        ),
    ]

    def plan(self, rows: Rows) -> tuple[list[RowPlan], list[RowError]]:
        self.load(rows, ("buyer_brn", "seller_brn"))
        errors: list[RowError] = []
        plans: list[RowPlan] = []
        existing = set(
            Trade.objects.filter(group_id__in=[g.pk for g in self.groups.values()]).values_list(
                "group_id", "buyer_id", "seller_id", "item", "amount_krw", "traded_on"
            )
        )
        seen: dict[Any, int] = {}
        for number, values in rows:
            reader = RowReader(number, values, errors)
            group = self.group(reader)
            traded_on = self.date(reader, "traded_on", group)
            buyer = self.firms(reader, "buyer_brn", many=False)
            seller = self.firms(reader, "seller_brn", many=False)
            item = reader.text("item", required=True, max_length=200)
            amount = reader.parse("amount_krw", lambda v: cell_int(v, minimum=0), required=True)
            for column, found in (("buyer_brn", buyer), ("seller_brn", seller)):
                if reader.ok and not found:
                    reader.error(column, _("값이 비어 있습니다."))
            if not reader.ok or group is None or traded_on is None:
                continue
            if buyer[0] == seller[0]:
                reader.error("seller_brn", _("발주 회원사와 수주 회원사가 같을 수 없습니다."))
                continue
            self.check_members(reader, "buyer_brn", group, traded_on, buyer)
            self.check_members(reader, "seller_brn", group, traded_on, seller)
            if not reader.ok:
                continue
            key = (group.pk, buyer[0], seller[0], item, amount, traded_on)
            if self.duplicate(reader, "", seen, key, f"{group.code} {traded_on} {item}"):
                continue
            plans.append(RowPlan(number, "unchanged" if key in existing else "create", key))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        Trade.objects.bulk_create(
            [
                Trade(
                    group_id=g,
                    buyer_id=b,
                    seller_id=s,
                    item=i,
                    amount_krw=a,
                    traded_on=d,
                    created_by_id=self.actor_id,
                )
                for g, b, s, i, a, d in (p.payload for p in plans if p.action == "create")
            ],
            batch_size=BATCH,
        )


class DatedEntryImporter(LedgerImporter):
    """Outcomes and activities: a titled, dated entry of a kind with the member firms involved."""

    model: Any
    date_column: str
    firms_required: bool

    def plan(self, rows: Rows) -> tuple[list[RowPlan], list[RowError]]:
        self.load(rows, ("brns",))
        errors: list[RowError] = []
        plans: list[RowPlan] = []
        kind_of = _choice_parser(self.model.Kind, _("구분"))
        group_ids = [g.pk for g in self.groups.values()]
        existing = {
            (e["group_id"], e["kind"], e["title"], e[self.date_column]): e
            for e in self.model.objects.filter(group_id__in=group_ids).values(
                "id", "group_id", "kind", "title", self.date_column, "description"
            )
        }
        links: dict[int, set[int]] = defaultdict(set)
        through = self.model.firms.through
        owner = f"{self.model._meta.model_name}_id"
        for owner_id, firm_id in through.objects.filter(
            **{f"{owner}__in": [e["id"] for e in existing.values()]}
        ).values_list(owner, "firm_id"):
            links[owner_id].add(firm_id)
        seen: dict[Any, int] = {}
        for number, values in rows:
            reader = RowReader(number, values, errors)
            group = self.group(reader)
            kind = reader.parse("kind", kind_of, required=True)
            title = reader.text("title", required=True, max_length=200)
            on = self.date(reader, self.date_column, group)
            description = reader.text("description")
            firms = self.firms(reader, "brns")
            if reader.ok and self.firms_required and not firms:
                reader.error("brns", _("참여 회원사를 한 곳 이상 적어 주세요."))
            if not reader.ok or group is None or on is None:
                continue
            self.check_members(reader, "brns", group, on, firms)
            key = (group.pk, kind, title, on)
            if not reader.ok or self.duplicate(reader, "title", seen, key, f"{group.code} {on} {title}"):
                continue
            current = existing.get(key)
            payload = {"key": key, "description": description, "firms": set(firms)}
            if current is None:
                plans.append(RowPlan(number, "create", payload))
                continue
            payload["id"] = current["id"]
            if not reader.has("description"):
                payload["description"] = current["description"]
            shown: dict[str, tuple[Any, Any]] = {}
            firm_ids = set(firms)
            if payload["description"] != current["description"]:
                shown["description"] = (current["description"], payload["description"])
            if firm_ids != links[current["id"]]:
                brns = self.brns_of
                shown["brns"] = (
                    sorted(brns[f] for f in links[current["id"]]),
                    sorted(brns[f] for f in firm_ids),
                )
            plans.append(RowPlan(number, "update" if shown else "unchanged", payload, shown))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        creates = [p.payload for p in plans if p.action == "create"]
        objects = self.model.objects.bulk_create(
            [
                self.model(
                    group_id=g,
                    kind=k,
                    title=t,
                    description=p["description"],
                    created_by_id=self.actor_id,
                    **{self.date_column: d},
                )
                for p in creates
                for g, k, t, d in [p["key"]]
            ],
            batch_size=BATCH,
        )
        updates = [p.payload for p in plans if p.action == "update"]
        now = timezone.now()
        self.model.objects.bulk_update(
            [self.model(id=p["id"], description=p["description"], updated_at=now) for p in updates],
            ["description", "updated_at"],
            batch_size=BATCH,
        )
        through = self.model.firms.through
        owner = f"{self.model._meta.model_name}_id"
        through.objects.filter(**{f"{owner}__in": [p["id"] for p in updates]}).delete()
        pairs = [(o.pk, p) for o, p in zip(objects, creates, strict=True)] + [(p["id"], p) for p in updates]
        through.objects.bulk_create(
            [through(**{owner: pk, "firm_id": f}) for pk, p in pairs for f in sorted(p["firms"])],
            batch_size=BATCH,
        )


@register
class OutcomeImporter(DatedEntryImporter):
    kind = "outcomes"
    label = gettext_lazy("융합기술개발 실적")
    model = Outcome
    date_column = "achieved_on"
    firms_required = True
    columns = [
        GROUP_COLUMN,
        Column(
            "kind",
            "구분",
            ("성과구분",),
            help=gettext_lazy("신기술, 신제품, 특허, 신시장 또는 공정 개선"),
            format=gettext_lazy("코드 또는 한글 이름"),
            example="특허",
        ),
        Column(
            "title",
            "성과명",
            ("제목",),
            help=gettext_lazy("성과 이름. 교류회·구분·성과명·성과일이 같은 행은 그 성과를 고칩니다."),
            example="웨어러블 근전도 센서 특허",
        ),
        Column(
            "achieved_on",
            "성과일",
            ("일자", "날짜"),
            help=gettext_lazy("성과를 얻은 날"),
            format="YYYY-MM-DD",
            example="2025-11-03",
        ),
        Column(
            "brns",
            "참여 사업자등록번호",
            ("참여회원사", "사업자등록번호"),
            help=gettext_lazy("참여한 회원사 (한 곳 이상)"),
            format=BRN_LIST,
            example=EXAMPLE_BRNS,
        ),
        Column("description", "내용", required=False, help=gettext_lazy("성과 내용"), example=""),
    ]


@register
class ActivityImporter(DatedEntryImporter):
    kind = "activities"
    label = gettext_lazy("기타 교류 활동")
    model = Activity
    date_column = "held_on"
    firms_required = False
    columns = [
        GROUP_COLUMN,
        Column(
            "kind",
            "구분",
            ("활동구분",),
            help=gettext_lazy("인적자원 교류, 공동사업 또는 사회봉사"),
            format=gettext_lazy("코드 또는 한글 이름"),
            example="공동사업",
        ),
        Column(
            "title",
            "활동명",
            ("제목",),
            help=gettext_lazy("활동 이름. 교류회·구분·활동명·활동일이 같은 행은 그 활동을 고칩니다."),
            example="공동 전시회 참가",
        ),
        Column(
            "held_on",
            "활동일",
            ("일자", "날짜"),
            help=gettext_lazy("활동한 날"),
            format="YYYY-MM-DD",
            example="2025-10-15",
        ),
        Column(
            "brns",
            "참여 사업자등록번호",
            ("참여회원사", "사업자등록번호"),
            required=False,
            help=gettext_lazy("참여한 회원사 (비워도 됨)"),
            format=BRN_LIST,
            example=EXAMPLE_BRNS,
        ),
        Column("description", "내용", required=False, help=gettext_lazy("활동 내용"), example=""),
    ]
