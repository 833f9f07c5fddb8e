"""Spreadsheet imports of the ledger: `yunghap import meetings|trades|outcomes|activities FILE [--dry-run]`.

Spreadsheet shapes (English or Korean headers; BRNs with or without hyphens; lists separated by `;`):

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
    cell_date,
    cell_int,
    cell_list,
    register,
)
from yunghap.core.validators import brn_is_valid, normalize_brn
from yunghap.network.imports import NetworkImporter, _choice_parser
from yunghap.network.models import ExchangeGroup, Firm, Membership

from .models import Activity, Attendance, Meeting, Outcome, Trade

BATCH = 2000
Rows = list[tuple[int, dict[str, Any]]]
GROUP_COLUMN = Column("group_code", "교류회코드", ("교류회 코드", "교류회"))


class LedgerImporter(NetworkImporter):
    """Loads the groups, firms and membership periods a file names, in a few queries."""

    def load(self, rows: Rows, brn_columns: tuple[str, ...]) -> None:
        codes = {str(values.get("group_code") or "").strip() for _n, values in rows}
        self.groups = {
            g.code: g for g in ExchangeGroup.objects.filter(code__in=codes).select_related("federation")
        }
        brns: set[str] = set()
        for _n, values in rows:
            for column in brn_columns:
                brns.update(normalize_brn(b) for b in cell_list(values.get(column)))
        self.firm_ids = dict(Firm.objects.filter(brn__in=brns).values_list("brn", "id"))
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
        if value > self.today:
            reader.error(column, _("오늘 이후의 날짜는 기록할 수 없습니다."))
            return None
        if group is not None and group.founded_on and value < group.founded_on:
            reader.error(
                column,
                _("교류회 창립일(%(date)s)보다 빠른 날짜입니다.") % {"date": group.founded_on.isoformat()},
            )
            return None
        return value

    def firms(self, reader: RowReader, column: str, *, many: bool = True) -> list[int]:
        ids = []
        for raw in cell_list(reader.values.get(column)) if many else [reader.values.get(column)]:
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
        Column("held_on", "개최일", ("일자", "날짜")),
        Column("kind", "구분", required=False),
        Column("place", "장소", required=False),
        Column("agenda", "안건", required=False),
        Column("minutes", "회의록", required=False),
        Column("present_brns", "출석 사업자등록번호", ("출석", "출석회원사")),
        Column("absent_brns", "결석 사업자등록번호", ("결석", "결석회원사"), required=False),
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
            payload["changed"] = any(
                payload[name] != current[name] for name in ("place", "agenda", "minutes")
            )
            plans.append(RowPlan(number, "update", payload))
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
        Column("buyer_brn", "발주 사업자등록번호", ("발주회원사", "구매 사업자등록번호")),
        Column("seller_brn", "수주 사업자등록번호", ("수주회원사", "판매 사업자등록번호")),
        Column("item", "품목"),
        Column("amount_krw", "금액", ("금액(원)", "거래금액")),
        Column("traded_on", "거래일", ("일자", "날짜")),
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
            same = (
                payload["description"] == current["description"] and payload["firms"] == links[current["id"]]
            )
            plans.append(RowPlan(number, "unchanged" if same else "update", payload))
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
        Column("kind", "구분", ("성과구분",)),
        Column("title", "성과명", ("제목",)),
        Column("achieved_on", "성과일", ("일자", "날짜")),
        Column("brns", "참여 사업자등록번호", ("참여회원사", "사업자등록번호")),
        Column("description", "내용", required=False),
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
        Column("kind", "구분", ("활동구분",)),
        Column("title", "활동명", ("제목",)),
        Column("held_on", "활동일", ("일자", "날짜")),
        Column("brns", "참여 사업자등록번호", ("참여회원사", "사업자등록번호"), required=False),
        Column("description", "내용", required=False),
    ]
