"""`yunghap import applications FILE --call CODE`: applications already received, recorded by staff.

Format errors (an unknown or invalid BRN, the lead also a partner, a negative or non-numeric amount, an
unknown topic, a duplicate `ref`, an end before the start, an unknown call) refuse the whole file with their
rows. Breaking a rule of the call does not: the application is stored as submitted and ineligible, with
every rule it breaks, found by `programmes.rules.check_all` (the rule functions of the web form) and stored
by `programmes.eligibility.apply_breaches`.

`firm_limit` counts, for each firm, the applications of the call it is already in: every stored
submission (they came before this import), then the earlier rows of the file. The rows are stored with
increasing `submitted_at` in file order, so that checking a stored application again
(`rules.check_application`) gives the same answer. A row whose `ref` is already stored with the same
content is unchanged (a re-import changes nothing); the same `ref` with other content is refused (a
received application is corrected on its page, not by a second file). Imports are not refused by date.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
from collections import defaultdict
from typing import Any

from django import forms
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.core.imports import (
    Column,
    Importer,
    PlanChanged,
    RowError,
    RowPlan,
    RowReader,
    cell_codes,
    cell_date,
    cell_int,
    cell_text,
    register,
)
from yunghap.core.korean import fill
from yunghap.core.spreadsheets import iter_chunks
from yunghap.core.validators import brn_is_valid, format_brn
from yunghap.network.models import Firm

from . import rules
from .eligibility import apply_breaches
from .models import Application, Call, Consortium, ConsortiumMember, Topic

BATCH = 2000
MAX_AMOUNT = 10**15  # a quadrillion won: far beyond any programme, well inside a bigint
Rows = list[tuple[int, dict[str, Any]]]

COLUMNS = [
    Column(
        "ref",
        "접수번호",
        ("신청번호", "접수 번호"),
        help=gettext_lazy(
            "이 공모 안에서 신청서를 구별하는 번호. 같은 번호의 행은 다시 가져와도 바뀌지 않습니다."
        ),
        format=gettext_lazy("40자 이내"),
        example="2026-001",
    ),
    Column(
        "title",
        "과제명",
        ("사업명", "신청 과제명"),
        help=gettext_lazy("신청 과제의 이름"),
        example="스마트 센서 모듈 개발",
    ),
    Column(
        "topic",
        "과제코드",
        ("선도과제", "선도과제 코드", "유망과제 코드", "과제 코드"),
        required=False,
        help=gettext_lazy("신청한 선도과제(유망과제)의 코드 (없으면 비움)"),
        example="t-sensor",
    ),
    Column(
        "lead_brn",
        "주관기업 사업자등록번호",
        ("주관기업", "주관기업 사업자번호"),
        help=gettext_lazy("주관기업(핵심기술 보유 기업)의 사업자등록번호. 등록된 회원사여야 합니다."),
        format=gettext_lazy("숫자 10자리 (하이픈은 있어도 됨)"),
        example="116-82-00276",
    ),
    Column(
        "partner_brns",
        "참여기업 사업자등록번호",
        ("참여기업", "참여기업 사업자번호"),
        required=False,
        help=gettext_lazy("참여기업의 사업자등록번호 (주관기업 제외)"),
        format=gettext_lazy("여러 개는 ';'로 구분 (',' 줄바꿈도 가능)"),
        example="220-81-62517;214-86-18758",
    ),
    Column(
        "government_krw",
        "정부지원금",
        ("정부지원금(원)", "정부출연금"),
        help=gettext_lazy("신청한 정부지원금 (원)"),
        format=gettext_lazy("정수, 천 단위 쉼표 가능 (비우면 0)"),
        example=15000000,
    ),
    Column(
        "firm_cash_krw",
        "기업부담 현금",
        ("기업부담 현금(원)", "민간부담 현금", "현금"),
        help=gettext_lazy("참여기업이 부담하는 현금 (원)"),
        format=gettext_lazy("정수, 천 단위 쉼표 가능 (비우면 0)"),
        example=1000000,
    ),
    Column(
        "firm_inkind_krw",
        "기업부담 현물",
        ("기업부담 현물(원)", "민간부담 현물", "현물"),
        help=gettext_lazy("참여기업이 부담하는 현물 (원)"),
        format=gettext_lazy("정수, 천 단위 쉼표 가능 (비우면 0)"),
        example=4000000,
    ),
    Column(
        "starts_on",
        "시작일",
        ("사업 시작일", "개발 시작일"),
        required=False,
        help=gettext_lazy("사업 기간의 첫날"),
        format="YYYY-MM-DD",
        example="2026-07-01",
    ),
    Column(
        "ends_on",
        "종료일",
        ("사업 종료일", "개발 종료일"),
        required=False,
        help=gettext_lazy("사업 기간의 마지막 날 (시작일 이후)"),
        format="YYYY-MM-DD",
        example="2027-06-30",
    ),
    Column(
        "summary",
        "요약",
        ("과제 요약", "개요"),
        required=False,
        help=gettext_lazy("과제 요약 (4,000자 이내)"),
        example="이업종 3개 기업이 함께 개발하는 산업용 센서 모듈",
    ),
]


def _brn(value: Any) -> str:
    text = cell_text(value)
    digits = text.replace("-", "").replace(" ", "")
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        raise ValueError(_("사업자등록번호는 숫자 10자리여야 합니다: '%(value)s'") % {"value": text})
    if not brn_is_valid(digits):
        raise ValueError(_("사업자등록번호의 검증번호가 맞지 않습니다: '%(value)s'") % {"value": text})
    return digits


def _brns(value: Any) -> list[str]:
    found: list[str] = []
    for item in cell_codes(value):
        brn = _brn(item)
        if brn in found:
            raise ValueError(_("같은 참여기업이 두 번 있습니다: '%(value)s'") % {"value": format_brn(brn)})
        found.append(brn)
    return found


def _amount(value: Any) -> int:
    number = cell_int(value, minimum=0)
    if number is not None and number > MAX_AMOUNT:
        raise ValueError(_("값이 너무 큽니다: %(value)s") % {"value": number})
    return number or 0


@dataclasses.dataclass
class Parsed:
    """One valid row of the file, as the application it records."""

    reader: RowReader
    ref: str
    title: str
    topic_id: int | None
    lead_id: int
    partner_ids: list[int]
    government_krw: int
    firm_cash_krw: int
    firm_inkind_krw: int
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    summary: str
    breaches: list[rules.Breach] = dataclasses.field(default_factory=list)

    @property
    def firm_ids(self) -> list[int]:
        return [self.lead_id, *self.partner_ids]

    def content(self) -> tuple[Any, ...]:
        return (
            self.title,
            self.topic_id,
            self.lead_id,
            frozenset(self.partner_ids),
            self.government_krw,
            self.firm_cash_krw,
            self.firm_inkind_krw,
            self.starts_on,
            self.ends_on,
            self.summary,
        )


CONTENT_COLUMNS = (
    "title",
    "topic",
    "lead_brn",
    "partner_brns",
    "government_krw",
    "firm_cash_krw",
    "firm_inkind_krw",
    "starts_on",
    "ends_on",
    "summary",
)


@register
class ApplicationImporter(Importer):
    kind = "applications"
    label = gettext_lazy("지원사업 신청서")
    columns = COLUMNS
    affects = frozenset()  # the figures and the matching index do not read applications

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--call", help="공모 코드 (applications, reviews import: required)")

    @classmethod
    def option_fields(cls) -> dict[str, Any]:
        return {
            "call": forms.CharField(
                label=gettext_lazy("공모 코드"),
                max_length=32,
                help_text=gettext_lazy("신청서·평가 결과를 가져올 때: 어느 공모의 자료인지"),
            )
        }

    def check_options(self) -> list[RowError]:
        code = cell_text(self.options.get("call"))
        if not code:
            return [RowError(0, "call", _("--call로 공모 코드를 지정해야 합니다."))]
        call = Call.objects.filter(code=code).first()
        if call is None:
            return [RowError(0, "call", _("등록되지 않은 공모 코드입니다: '%(code)s'") % {"code": code})]
        self.call: Call = call
        return []

    # --- the plan ----------------------------------------------------------------------------------------

    def plan(self, rows: Rows) -> tuple[list[RowPlan], list[RowError]]:
        self.checked_rows = rows
        self.checked_fingerprint = self._fingerprint()
        errors: list[RowError] = []
        call = self.call
        topics = {code.lower(): pk for code, pk in Topic.objects.values_list("code", "id")}
        read: list[tuple[RowReader, dict[str, Any]]] = []
        brns: set[str] = set()
        seen: dict[str, int] = {}
        for number, values in rows:
            reader = RowReader(number, values, errors)
            ref = reader.text("ref", required=True, max_length=40)
            cells: dict[str, Any] = {
                "ref": ref,
                "title": reader.text("title", required=True, max_length=200),
                "topic": reader.text("topic", max_length=32),
                "lead": reader.parse("lead_brn", _brn, required=True, default=""),
                "partners": reader.parse("partner_brns", _brns, default=[]),
                "government_krw": reader.parse("government_krw", _amount, default=0),
                "firm_cash_krw": reader.parse("firm_cash_krw", _amount, default=0),
                "firm_inkind_krw": reader.parse("firm_inkind_krw", _amount, default=0),
                "starts_on": reader.parse("starts_on", cell_date),
                "ends_on": reader.parse("ends_on", cell_date),
                "summary": reader.text("summary", max_length=4000),
            }
            if cells["lead"] and cells["lead"] in cells["partners"]:
                reader.error(
                    "partner_brns",
                    _("주관기업이 참여기업에도 있습니다: '%(brn)s'") % {"brn": format_brn(cells["lead"])},
                )
            if cells["topic"] and cells["topic"].lower() not in topics:
                reader.error(
                    "topic", _("등록되지 않은 과제 코드입니다: '%(code)s'") % {"code": cells["topic"]}
                )
            starts, ends = cells["starts_on"], cells["ends_on"]
            if starts and ends and ends < starts:
                reader.error(
                    "ends_on",
                    _("종료일(%(end)s)이 시작일(%(start)s)보다 빠릅니다.")
                    % {"end": ends.isoformat(), "start": starts.isoformat()},
                )
            if ref:
                first = seen.get(ref)
                if first is not None:
                    reader.error(
                        "ref",
                        fill(
                            _(
                                "같은 접수번호(%(ref)s)의 행이 파일에 두 번 있습니다: 행 %(first)s와(과) 중복됩니다."
                            ),
                            {"ref": ref, "first": first},
                        ),
                    )
                else:
                    seen[ref] = number
            brns.update([cells["lead"], *cells["partners"]] if cells["lead"] else cells["partners"])
            read.append((reader, cells))

        firm_ids: dict[str, int] = {}
        for chunk in iter_chunks(sorted(b for b in brns if b), BATCH):
            firm_ids.update(Firm.objects.filter(brn__in=chunk).values_list("brn", "id"))
        parsed: list[Parsed] = []
        for reader, cells in read:
            for key, brn_list in (
                ("lead_brn", [cells["lead"]] if cells["lead"] else []),
                ("partner_brns", cells["partners"]),
            ):
                unknown = [format_brn(b) for b in brn_list if b not in firm_ids]
                if unknown:
                    reader.error(
                        key, _("등록되지 않은 사업자등록번호입니다: %(brns)s") % {"brns": ", ".join(unknown)}
                    )
            if not reader.ok:
                continue
            parsed.append(
                Parsed(
                    reader=reader,
                    ref=cells["ref"],
                    title=cells["title"],
                    topic_id=topics[cells["topic"].lower()] if cells["topic"] else None,
                    lead_id=firm_ids[cells["lead"]],
                    partner_ids=[firm_ids[b] for b in cells["partners"]],
                    government_krw=cells["government_krw"],
                    firm_cash_krw=cells["firm_cash_krw"],
                    firm_inkind_krw=cells["firm_inkind_krw"],
                    starts_on=cells["starts_on"],
                    ends_on=cells["ends_on"],
                    summary=cells["summary"],
                )
            )

        stored = self._stored({p.ref for p in parsed})
        plans: list[RowPlan] = []
        new: list[Parsed] = []
        for row in parsed:
            existing = stored.get(row.ref)
            if existing is None:
                new.append(row)
                plans.append(RowPlan(row.reader.number, "create", row))
            elif existing == row.content():
                plans.append(RowPlan(row.reader.number, "unchanged"))
            else:
                different = [
                    column
                    for column, old, value in zip(CONTENT_COLUMNS, existing, row.content(), strict=True)
                    if old != value
                ]
                row.reader.error(
                    "ref",
                    _(
                        "이미 등록된 접수번호입니다: '%(ref)s' (다른 내용: %(columns)s). "
                        "접수된 신청서는 신청서 화면에서 고칩니다."
                    )
                    % {"ref": row.ref, "columns": ", ".join(different)},
                )
        if errors:
            return plans, errors

        # Every rule for the new rows: one read of the firms' facts, then in memory in file order.
        rule_set = rules.CallRules.of(call)
        every_firm = list(dict.fromkeys(f for row in new for f in row.firm_ids))
        facts = {fact.firm_id: fact for fact in rules.member_facts(every_firm)}
        earlier: dict[int, int] = defaultdict(int, rules.earlier_applications(call, every_firm))
        for row in new:
            members = [
                dataclasses.replace(facts[firm_id], earlier_applications=earlier[firm_id])
                for firm_id in row.firm_ids
            ]
            budget = rules.Budget(row.government_krw, row.firm_cash_krw, row.firm_inkind_krw)
            row.breaches = rules.check_all(rule_set, budget, members)
            for firm_id in row.firm_ids:
                earlier[firm_id] += 1
        return plans, errors

    def _stored(self, refs: set[str]) -> dict[str, tuple[Any, ...]]:
        """ref → the content of the stored applications of the call with these refs (as `Parsed.content`)."""
        found: dict[str, dict[str, Any]] = {}
        for chunk in iter_chunks(sorted(refs), BATCH):
            for application in Application.objects.filter(call=self.call, ref__in=chunk).values(
                "id",
                "ref",
                "title",
                "topic_id",
                "consortium_id",
                "consortium__lead_id",
                "government_krw",
                "firm_cash_krw",
                "firm_inkind_krw",
                "starts_on",
                "ends_on",
                "summary",
            ):
                found[application["ref"]] = {**application, "partners": set()}
        by_consortium = {row["consortium_id"]: row for row in found.values()}
        for chunk in iter_chunks(sorted(by_consortium), BATCH):
            for consortium_id, firm_id in (
                ConsortiumMember.objects.filter(consortium_id__in=chunk, role=ConsortiumMember.Role.PARTNER)
                .exclude(state=ConsortiumMember.State.DECLINED)
                .values_list("consortium_id", "firm_id")
            ):
                by_consortium[consortium_id]["partners"].add(firm_id)
        return {
            ref: (
                row["title"],
                row["topic_id"],
                row["consortium__lead_id"],
                frozenset(row["partners"]),
                row["government_krw"],
                row["firm_cash_krw"],
                row["firm_inkind_krw"],
                row["starts_on"],
                row["ends_on"],
                row["summary"],
            )
            for ref, row in found.items()
        }

    def _fingerprint(self) -> tuple[Any, ...]:
        """What the check read of the call's submissions: another submission in between moves it."""
        found = Application.objects.filter(call=self.call).aggregate(
            n=Count("id"), last_id=Max("id"), last_change=Max("updated_at")
        )
        return (found["n"], found["last_id"], found["last_change"])

    # --- the write ---------------------------------------------------------------------------------------

    def apply(self, plans: list[RowPlan]) -> None:
        # `firm_limit` spans the call's applications: lock the call (as the web submission does), then make
        # sure no application was recorded since the check, or check again.
        call = Call.objects.select_for_update().get(pk=self.call.pk)
        if self._fingerprint() != self.checked_fingerprint:
            plans, errors = self.plan(self.checked_rows)
            if errors:
                raise PlanChanged(errors)
        rows: list[Parsed] = [p.payload for p in plans if p.action == "create"]
        if not rows:
            return
        every_firm = sorted({f for row in rows for f in row.firm_ids})
        firms: dict[int, str] = {}
        for chunk in iter_chunks(every_firm, BATCH):
            firms.update(Firm.objects.filter(id__in=chunk).values_list("id", "name"))
        now = timezone.now()
        consortia = Consortium.objects.bulk_create(
            [
                Consortium(
                    call=call,
                    lead_id=row.lead_id,
                    name=f"{firms[row.lead_id]} 협력체"[:100],
                    created_by=self.actor_or_none,
                )
                for row in rows
            ],
            batch_size=BATCH,
        )
        members = []
        for row, consortium in zip(rows, consortia, strict=True):
            for index, firm_id in enumerate(row.firm_ids):
                members.append(
                    ConsortiumMember(
                        consortium=consortium,
                        firm_id=firm_id,
                        role=ConsortiumMember.Role.LEAD if index == 0 else ConsortiumMember.Role.PARTNER,
                        state=ConsortiumMember.State.ACCEPTED,
                        invited_by=self.actor_or_none,
                        responded_by=self.actor_or_none,
                        responded_at=now,
                    )
                )
        ConsortiumMember.objects.bulk_create(members, batch_size=BATCH)
        applications = []
        for index, (row, consortium) in enumerate(zip(rows, consortia, strict=True)):
            application = Application(
                call=call,
                consortium=consortium,
                ref=row.ref,
                title=row.title,
                topic_id=row.topic_id,
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                summary=row.summary,
                government_krw=row.government_krw,
                firm_cash_krw=row.firm_cash_krw,
                firm_inkind_krw=row.firm_inkind_krw,
                status=Application.Status.SUBMITTED,
                source=Application.Source.IMPORT,
                # File order is submission order: the later row is the later application (firm_limit).
                submitted_at=now + datetime.timedelta(microseconds=index),
                submitted_by=self.actor_or_none,
                created_by=self.actor_or_none,
            )
            apply_breaches(application, row.breaches, revision=call.revision)
            applications.append(application)
        Application.objects.bulk_create(applications, batch_size=BATCH)

    @property
    def actor_or_none(self) -> Any:
        return self.actor if getattr(self.actor, "pk", None) else None

    def audit_details(self, plans: list[RowPlan]) -> dict[str, Any]:
        created = [p.payload for p in plans if p.action == "create"]
        refs = [row.ref for row in created]
        return {
            "call": self.call.code,
            "keys": refs[:200],
            "keys_truncated": len(refs) > 200,
            "ineligible": sum(1 for row in created if row.breaches),
        }
