"""Every change to the activity ledger: validated, one transaction, one audit row.

Errors are `ValidationError`s keyed by field with Korean messages, raised before anything is written.
Membership is judged on the day of the fact (meeting, trade, result), not today: a firm that left last
year still counts for the meetings it attended while a member.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.core.audit import record_change
from yunghap.core.versions import bump_version, lock_version
from yunghap.network.models import ExchangeGroup, Firm, Membership

from . import rules
from .models import Activity, Attendance, Meeting, Outcome, Trade

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Extension → accepted leading bytes. Checking the content, not only the name, keeps executables out.
_OLE = b"\xd0\xcf\x11\xe0"
_ZIP = b"PK\x03\x04"
EVIDENCE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "hwp": (_OLE,),
    "hwpx": (_ZIP,),
    "doc": (_OLE,),
    "docx": (_ZIP,),
    "xls": (_OLE,),
    "xlsx": (_ZIP,),
    "ppt": (_OLE,),
    "pptx": (_ZIP,),
    "zip": (_ZIP,),
}


def member_ids_on(group: ExchangeGroup | int, on: datetime.date) -> set[int]:
    """Firms that were members of the group on that day."""
    group_id = group if isinstance(group, int) else group.pk
    return set(Membership.objects.filter(group_id=group_id).current(on).values_list("firm_id", flat=True))


def current_members(group: ExchangeGroup, on: datetime.date) -> list[Firm]:
    """The firms to list on a meeting's attendance sheet, by name."""
    return list(
        Firm.objects.filter(id__in=Membership.objects.filter(group=group).current(on).values("firm_id"))
        .only("id", "name", "brn")
        .order_by("name", "id")
    )


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _check_date(
    errors: dict[str, list[str]], field: str, value: Any, today: datetime.date, group: Any
) -> None:
    for message in rules.ledger_date_errors(value, today=today, founded_on=group.founded_on):
        errors.setdefault(field, []).append(message)


def _not_members_message(group: ExchangeGroup, firm_ids: Iterable[int], on: datetime.date) -> str:
    """Firms in the group's history are named (whoever records the ledger sees that history); any other
    id, a firm of another region or no firm at all, reads the same and names nothing (issue 7, finding 3)."""
    ids = set(firm_ids)
    known = dict(
        Firm.objects.filter(id__in=ids, memberships__group=group)
        .distinct()
        .order_by("name")
        .values_list("id", "name")
    )
    parts = []
    if known:
        parts.append(
            _("%(date)s에 이 교류회의 회원이 아니었던 회원사가 있습니다: %(names)s")
            % {"date": on.isoformat(), "names": ", ".join(known.values())}
        )
    if ids - set(known):
        parts.append(_("선택할 수 없는 회원사가 있습니다(%(count)s곳).") % {"count": len(ids - set(known))})
    return " ".join(parts)


def _choice(errors: dict[str, list[str]], field: str, value: Any, choices: Any) -> None:
    if value not in choices.values:
        errors.setdefault(field, []).append(_("알 수 없는 구분입니다: %(value)s") % {"value": value})


# --- meetings ---------------------------------------------------------------------------------------


def _validate_meeting(
    group: ExchangeGroup,
    *,
    kind: str,
    held_on: Any,
    present_firm_ids: set[int],
    today: datetime.date,
    exclude_pk: int | None = None,
) -> set[int]:
    """Check a meeting's facts; return the ids of the members to list on its attendance sheet."""
    errors: dict[str, list[str]] = {}
    _choice(errors, "kind", kind, Meeting.Kind)
    _check_date(errors, "held_on", held_on, today, group)
    if errors:
        raise ValidationError(errors)
    members = member_ids_on(group, held_on)
    if not members:
        errors.setdefault("held_on", []).append(
            _("%(date)s에 이 교류회의 회원사가 없습니다.") % {"date": held_on.isoformat()}
        )
    outsiders = present_firm_ids - members
    if outsiders:
        errors.setdefault("present_firm_ids", []).append(_not_members_message(group, outsiders, held_on))
    duplicate = Meeting.objects.filter(group=group, held_on=held_on, kind=kind)
    if exclude_pk:
        duplicate = duplicate.exclude(pk=exclude_pk)
    if duplicate.exists():
        errors.setdefault("held_on", []).append(_("이 날짜에 같은 구분의 모임이 이미 기록되어 있습니다."))
    if errors:
        raise ValidationError(errors)
    return members


@transaction.atomic
def record_meeting(
    group: ExchangeGroup,
    *,
    actor: Any,
    kind: str = Meeting.Kind.MONTHLY,
    held_on: datetime.date,
    place: str = "",
    agenda: str = "",
    minutes: str = "",
    present_firm_ids: Iterable[int] = (),
    today: datetime.date | None = None,
) -> Meeting:
    """A meeting and its whole attendance sheet: every member on `held_on`, present or not."""
    present = {int(i) for i in present_firm_ids}
    members = _validate_meeting(
        group, kind=kind, held_on=held_on, present_firm_ids=present, today=_today(today)
    )
    meeting = Meeting(
        group=group,
        kind=kind,
        held_on=held_on,
        place=place.strip(),
        agenda=agenda.strip(),
        minutes=minutes.strip(),
        listed_count=len(members),
        present_count=len(present),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    meeting.full_clean(exclude=["created_by"])
    meeting.save()
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, firm_id=firm_id, present=firm_id in present)
        for firm_id in sorted(members)
    )
    record_change(
        actor,
        "meeting.create",
        meeting,
        {
            "kind": kind,
            "held_on": held_on,
            "place": meeting.place,
            "listed": len(members),
            "present": sorted(present),
        },
    )
    return meeting


@transaction.atomic
def update_meeting(
    meeting: Meeting,
    *,
    actor: Any,
    present_firm_ids: Iterable[int] | None = None,
    today: datetime.date | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> Meeting:
    """Change a meeting's facts and/or who was present.

    Raises `StaleEdit` (code `stale`) when the meeting changed after the form read `expected_version`.

    Moving the date re-draws the attendance sheet from the members on the new date; those present
    stay present if they are still listed.
    """
    lock_version(meeting, expected_version)
    group = meeting.group
    old_present = set(meeting.attendances.filter(present=True).values_list("firm_id", flat=True))
    present = old_present if present_firm_ids is None else {int(i) for i in present_firm_ids}
    kind = fields.get("kind", meeting.kind)
    held_on = fields.get("held_on", meeting.held_on)
    if "held_on" in fields and present_firm_ids is None:
        present &= member_ids_on(group, held_on)
    members = _validate_meeting(
        group,
        kind=kind,
        held_on=held_on,
        present_firm_ids=present,
        today=_today(today),
        exclude_pk=meeting.pk,
    )
    changes: dict[str, list[Any]] = {}
    for name in ("kind", "held_on", "place", "agenda", "minutes"):
        if name not in fields:
            continue
        new = fields[name].strip() if isinstance(fields[name], str) and name != "kind" else fields[name]
        if getattr(meeting, name) != new:
            changes[name] = [getattr(meeting, name), new]
            setattr(meeting, name, new)
    listed_before = set(meeting.attendances.values_list("firm_id", flat=True))
    if listed_before != members:
        meeting.attendances.exclude(firm_id__in=members).delete()
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, firm_id=firm_id, present=False)
            for firm_id in sorted(members - listed_before)
        )
        changes["listed"] = [len(listed_before), len(members)]
    if present != old_present:
        meeting.attendances.filter(firm_id__in=present).update(present=True)
        meeting.attendances.exclude(firm_id__in=present).update(present=False)
        changes["present"] = [sorted(old_present), sorted(present)]
    meeting.listed_count = len(members)
    meeting.present_count = len(present)
    meeting.full_clean(exclude=["created_by"])
    if changes:
        bump_version(meeting)
    meeting.save()
    if changes:
        record_change(actor, "meeting.update", meeting, changes)
    return meeting


def delete_meeting(meeting: Meeting, *, actor: Any) -> None:
    """Delete a meeting with its attendance sheet (kept as deleted; see `delete_entry`)."""
    delete_entry(meeting, actor=actor)


# --- trades -----------------------------------------------------------------------------------------


@transaction.atomic
def record_trade(
    group: ExchangeGroup,
    *,
    actor: Any,
    buyer: Firm,
    seller: Firm,
    item: str,
    amount_krw: int,
    traded_on: datetime.date,
    today: datetime.date | None = None,
) -> Trade:
    """A purchase between two members of the group, both members on the day of the trade."""
    errors: dict[str, list[str]] = {}
    _check_date(errors, "traded_on", traded_on, _today(today), group)
    if amount_krw is None or amount_krw < 0:
        errors.setdefault("amount_krw", []).append(_("금액은 0원 이상이어야 합니다."))
    if not (item or "").strip():
        errors.setdefault("item", []).append(_("품목을 입력해 주세요."))
    if buyer.pk == seller.pk:
        errors.setdefault("seller", []).append(_("발주 회원사와 수주 회원사가 같을 수 없습니다."))
    if "traded_on" not in errors:
        members = member_ids_on(group, traded_on)
        for field, firm in (("buyer", buyer), ("seller", seller)):
            if firm.pk not in members:
                errors.setdefault(field, []).append(_not_members_message(group, [firm.pk], traded_on))
    if errors:
        raise ValidationError(errors)
    trade = Trade(
        group=group,
        buyer=buyer,
        seller=seller,
        item=item.strip(),
        amount_krw=amount_krw,
        traded_on=traded_on,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    trade.full_clean(exclude=["created_by"])
    trade.save()
    record_change(
        actor,
        "trade.create",
        trade,
        {
            "buyer": buyer.pk,
            "seller": seller.pk,
            "item": trade.item,
            "amount_krw": amount_krw,
            "traded_on": traded_on,
        },
    )
    return trade


def delete_trade(trade: Trade, *, actor: Any) -> None:
    delete_entry(trade, actor=actor)


# --- convergence R&D results and other activities ---------------------------------------------------


def validate_evidence(upload: Any) -> None:
    """Evidence files: at most 10 MB, documents or images whose content matches their extension."""
    if not upload:
        return
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": [_("증빙 파일은 10MB 이하여야 합니다.")]})
    extension = Path(upload.name).suffix.lower().lstrip(".")
    signatures = EVIDENCE_SIGNATURES.get(extension)
    if signatures is None:
        allowed = ", ".join(sorted(EVIDENCE_SIGNATURES))
        raise ValidationError(
            {
                "evidence": [
                    _("허용되지 않는 파일 형식입니다. 가능한 형식: %(allowed)s") % {"allowed": allowed}
                ]
            }
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(
            {"evidence": [_("파일 내용이 확장자(%(ext)s)와 맞지 않습니다.") % {"ext": extension}]}
        )


def _check_firms(
    errors: dict[str, list[str]], group: ExchangeGroup, firms: list[Firm], on: Any, *, required: bool
) -> None:
    if required and not firms:
        errors.setdefault("firms", []).append(_("참여 회원사를 한 곳 이상 선택해 주세요."))
    if firms and isinstance(on, datetime.date):
        outsiders = {f.pk for f in firms} - member_ids_on(group, on)
        if outsiders:
            errors.setdefault("firms", []).append(_not_members_message(group, outsiders, on))


@transaction.atomic
def record_outcome(
    group: ExchangeGroup,
    *,
    actor: Any,
    kind: str,
    title: str,
    achieved_on: datetime.date,
    firms: Iterable[Firm],
    evidence: Any = None,
    description: str = "",
    today: datetime.date | None = None,
    agreement: Any = None,
) -> Outcome:
    """`agreement`: the programmes agreement whose result this is (recorded by `programmes.result_services`)."""
    firms = list(firms)
    errors: dict[str, list[str]] = {}
    _choice(errors, "kind", kind, Outcome.Kind)
    _check_date(errors, "achieved_on", achieved_on, _today(today), group)
    if not (title or "").strip():
        errors.setdefault("title", []).append(_("성과명을 입력해 주세요."))
    _check_firms(errors, group, firms, achieved_on, required=True)
    try:
        validate_evidence(evidence)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    outcome = Outcome(
        group=group,
        kind=kind,
        title=title.strip(),
        achieved_on=achieved_on,
        description=(description or "").strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
        agreement=agreement,
    )
    if evidence:
        outcome.evidence = evidence
    outcome.full_clean(exclude=["created_by", "evidence"])
    outcome.save()
    outcome.firms.set(firms)
    record_change(
        actor,
        "outcome.create",
        outcome,
        {
            "kind": kind,
            "title": outcome.title,
            "achieved_on": achieved_on,
            "firms": sorted(f.pk for f in firms),
            "evidence": outcome.evidence.name if outcome.evidence else "",
            **({"agreement": outcome.agreement_id} if outcome.agreement_id else {}),
        },
    )
    return outcome


@transaction.atomic
def record_activity(
    group: ExchangeGroup,
    *,
    actor: Any,
    kind: str,
    title: str,
    held_on: datetime.date,
    description: str = "",
    firms: Iterable[Firm] = (),
    today: datetime.date | None = None,
) -> Activity:
    """A human-resource exchange, joint project or social-service activity of the group."""
    firms = list(firms)
    errors: dict[str, list[str]] = {}
    _choice(errors, "kind", kind, Activity.Kind)
    _check_date(errors, "held_on", held_on, _today(today), group)
    if not (title or "").strip():
        errors.setdefault("title", []).append(_("활동명을 입력해 주세요."))
    _check_firms(errors, group, firms, held_on, required=False)
    if errors:
        raise ValidationError(errors)
    activity = Activity(
        group=group,
        kind=kind,
        title=title.strip(),
        held_on=held_on,
        description=(description or "").strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    activity.full_clean(exclude=["created_by"])
    activity.save()
    activity.firms.set(firms)
    record_change(
        actor,
        "activity.create",
        activity,
        {"kind": kind, "title": activity.title, "held_on": held_on, "firms": sorted(f.pk for f in firms)},
    )
    return activity


def delete_outcome(outcome: Outcome, *, actor: Any) -> None:
    """The evidence file stays with the deleted result, so that undoing the deletion brings it back."""
    delete_entry(outcome, actor=actor)


def delete_activity(activity: Activity, *, actor: Any) -> None:
    delete_entry(activity, actor=actor)


# --- deleting and undoing ---------------------------------------------------------------------------

LedgerEntry = Meeting | Trade | Outcome | Activity
# kind (in URLs and audit actions) → model
LEDGER_KINDS: dict[str, type[Meeting] | type[Trade] | type[Outcome] | type[Activity]] = {
    "meeting": Meeting,
    "trade": Trade,
    "outcome": Outcome,
    "activity": Activity,
}


def kind_of(entry: LedgerEntry) -> str:
    return next(kind for kind, model in LEDGER_KINDS.items() if isinstance(entry, model))


def undo_window() -> datetime.timedelta:
    """How long a deleted ledger record can be restored (`LEDGER_UNDO_HOURS`)."""
    return datetime.timedelta(hours=settings.LEDGER_UNDO_HOURS)


def undo_deadline(entry: LedgerEntry) -> datetime.datetime | None:
    return entry.deleted_at + undo_window() if entry.deleted_at else None


def can_undo(entry: LedgerEntry, now: datetime.datetime | None = None) -> bool:
    deadline = undo_deadline(entry)
    return deadline is not None and (now or timezone.now()) <= deadline


def deletion_summary(entry: LedgerEntry) -> str:
    """What deleting (or restoring) the record touches, counted as the service will.

    Always ends in "…건", so callers add the object particle 을 without guessing.
    """
    if isinstance(entry, Meeting):
        return _("%(date)s %(kind)s 모임 1건과 출석 기록 %(count)s건") % {
            "date": entry.held_on.isoformat(),
            "kind": entry.get_kind_display(),
            "count": Attendance.objects.filter(meeting=entry).count(),
        }
    if isinstance(entry, Trade):
        return _("%(date)s %(item)s(%(amount)s원) 회원간 수발주 기록 1건") % {
            "date": entry.traded_on.isoformat(),
            "item": entry.item,
            "amount": f"{entry.amount_krw:,}",
        }
    if isinstance(entry, Outcome):
        facts = _("참여 회원사 %(firms)s곳") % {"firms": entry.firms.count()}
        if entry.evidence:
            facts += ", " + _("증빙 파일 포함")
        return _("‘%(title)s’(%(facts)s) 융합기술개발 실적 1건") % {"title": entry.title, "facts": facts}
    return _("%(date)s ‘%(title)s’ 교류 활동 1건") % {"date": entry.held_on.isoformat(), "title": entry.title}


def _audit_facts(entry: LedgerEntry) -> dict[str, Any]:
    if isinstance(entry, Meeting):
        return {
            "held_on": entry.held_on,
            "kind": entry.kind,
            "attendance": Attendance.objects.filter(meeting=entry).count(),
        }
    if isinstance(entry, Trade):
        return {"amount_krw": entry.amount_krw, "traded_on": entry.traded_on}
    if isinstance(entry, Outcome):
        return {"title": entry.title, "achieved_on": entry.achieved_on}
    return {"title": entry.title, "held_on": entry.held_on}


def _locked(entry: LedgerEntry) -> LedgerEntry:
    return type(entry).all_objects.select_for_update().get(pk=entry.pk)  # type: ignore[no-any-return]


@transaction.atomic
def delete_entry(entry: LedgerEntry, *, actor: Any, now: datetime.datetime | None = None) -> LedgerEntry:
    """Delete a ledger record: it is kept, marked deleted, left out of every list and statistic.

    A meeting keeps its attendance rows (they come back with it). The save marks the group's statistics
    stale (insights signals). Raises `ValidationError` (code `deleted`) for a record already deleted, so
    two clicks in two tabs delete once.
    """
    locked = _locked(entry)
    if locked.deleted_at is not None:
        raise ValidationError(_("이미 삭제된 기록입니다."), code="deleted")
    locked.deleted_at = now or timezone.now()
    locked.deleted_by = actor if getattr(actor, "pk", None) else None
    locked.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    record_change(actor, f"{kind_of(locked)}.delete", locked, _audit_facts(locked))
    entry.deleted_at, entry.deleted_by = locked.deleted_at, locked.deleted_by
    return locked


@transaction.atomic
def restore_entry(entry: LedgerEntry, *, actor: Any, now: datetime.datetime | None = None) -> LedgerEntry:
    """Undo a deletion within `LEDGER_UNDO_HOURS`; audited, and the group's statistics are marked stale."""
    locked = _locked(entry)
    if locked.deleted_at is None:
        raise ValidationError(_("삭제되지 않은 기록입니다."), code="not_deleted")
    if not can_undo(locked, now):
        raise ValidationError(
            _("삭제한 지 %(hours)s시간이 지나 되돌릴 수 없습니다. 필요하면 새로 기록해 주세요.")
            % {"hours": settings.LEDGER_UNDO_HOURS},
            code="undo_expired",
        )
    if (
        isinstance(locked, Meeting)
        and Meeting.objects.filter(
            group_id=locked.group_id, held_on=locked.held_on, kind=locked.kind
        ).exists()
    ):
        raise ValidationError(
            _("같은 날 같은 구분의 모임이 그 뒤에 다시 기록되어 있어 되돌릴 수 없습니다."), code="duplicate"
        )
    deleted_at = locked.deleted_at
    locked.deleted_at = None
    locked.deleted_by = None
    locked.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    record_change(
        actor, f"{kind_of(locked)}.restore", locked, {**_audit_facts(locked), "deleted_at": deleted_at}
    )
    entry.deleted_at = entry.deleted_by = None
    return locked


def recently_deleted(group: ExchangeGroup, now: datetime.datetime | None = None) -> list[LedgerEntry]:
    """The group's records deleted within the undo window, newest first (one query per kind)."""
    since = (now or timezone.now()) - undo_window()
    entries: list[LedgerEntry] = []
    for model in LEDGER_KINDS.values():
        entries.extend(
            model.all_objects.filter(group=group, deleted_at__gte=since).select_related("deleted_by")
        )
    return sorted(entries, key=lambda e: e.deleted_at or since, reverse=True)
