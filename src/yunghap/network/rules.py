"""The registry's rules on who may add whom and change what: one function per rule.

The web forms (through `services`), the spreadsheet imports and the API call these same functions, so a
rule holds the same way on every path (architecture principle 12). Each refusal is a `RuleViolation`: a
`ValidationError` with a stable `code`, a Korean message and the form field / import column it is about.

Outside the actor's scope everything reads "not found": a firm that exists but is not theirs gets the same
answer as a business registration number nobody registered (finding 3 of issue 7).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yunghap.accounts.scope import scope_of
from yunghap.core.models import AuditLog
from yunghap.core.spreadsheets import iter_chunks

from .models import ExchangeGroup, Firm, Membership

CHUNK = 2000  # ids per query when an import asks about many firms

# Stable codes: tests, the API and the import compare these, never the translated messages.
FIRM_NOT_FOUND = "firm_not_found"
GROUP_NOT_MANAGED = "group_not_managed"
ENDED_PERIOD_NOT_OWN_FEDERATION = "ended_period_not_own_federation"
FIRM_NOT_EDITABLE = "firm_not_editable"
FIRM_FIELD_STAFF_ONLY = "firm_field_staff_only"
FEDERATION_OUT_OF_SCOPE = "federation_out_of_scope"

MESSAGES = {
    FIRM_NOT_FOUND: _("등록되지 않았거나 권한 밖의 사업자등록번호입니다."),
    GROUP_NOT_MANAGED: _("이 교류회의 회원 명단을 관리할 권한이 없습니다."),
    ENDED_PERIOD_NOT_OWN_FEDERATION: _(
        "이미 끝난 가입 기간은 회원사가 소속된 지역연합회나 중앙회만 기록할 수 있습니다."
    ),
    FIRM_NOT_EDITABLE: _("이 회원사의 정보를 수정할 권한이 없습니다."),
    FIRM_FIELD_STAFF_ONLY: _("사업자등록번호, 상태, 지역연합회는 소속 지역연합회만 바꿀 수 있습니다."),
    FEDERATION_OUT_OF_SCOPE: _("관할하지 않는 지역연합회로는 옮길 수 없습니다."),
}

# What a firm's own user may not change in its profile: its identity and standing are the federation's.
STAFF_ONLY_FIRM_FIELDS = ("brn", "status", "federation")


class RuleViolation(ValidationError):
    """A refused change: `code` is stable, `field` the form field or import column it concerns."""

    def __init__(self, code: str, field: str) -> None:
        super().__init__(MESSAGES[code], code=code)
        self.rule = code
        self.field = field

    def keyed(self) -> ValidationError:
        """The same error keyed by its field, as services raise them for forms."""
        return ValidationError({self.field: [ValidationError(MESSAGES[self.rule], code=self.rule)]})


def _unrestricted(actor: Any) -> bool:
    # No actor = the system (the command line, migrations, the demo); central staff keep the whole network.
    return actor is None or scope_of(actor).central


def addable_firm_ids(actor: Any, firm_ids: Iterable[int]) -> set[int]:
    """Which of these firms the actor may add to a group without asking the firm: the firms in their scope.

    Those are the firm itself (its own user), firms of the actor's federation, current members of the
    groups the actor keeps (their region's or their own), and a firm the actor registered that is not
    yet a member anywhere (an officer registers a newcomer and adds it). Anything else needs the consent
    of the firm or of its federation (`MembershipRequest`). One call for a whole import.
    """
    ids = set(firm_ids)
    if _unrestricted(actor) or not ids:
        return ids
    scope = scope_of(actor)
    found = ids & scope.firm_ids
    kept_groups = Q(group__federation_id__in=scope.region_ids) | Q(group_id__in=scope.officer_group_ids)
    members = Membership.objects.giving_access().filter(kept_groups).values("firm_id")
    in_scope = Q(federation_id__in=scope.region_ids) | Q(id__in=members)
    # In chunks: an import asks about tens of thousands of firms, more than SQLite takes as parameters.
    for chunk in iter_chunks(sorted(ids - found), CHUNK):
        found |= set(Firm.objects.filter(id__in=chunk).filter(in_scope).values_list("id", flat=True))
    rest = sorted(ids - found)
    for chunk in iter_chunks(rest, CHUNK):
        registered = {
            int(pk)
            for pk in AuditLog.objects.filter(
                actor=actor,
                action="firm.create",
                object_type="network.firm",
                object_id__in=[str(pk) for pk in chunk],
            ).values_list("object_id", flat=True)
        }
        if registered:
            joined = set(Membership.objects.filter(firm_id__in=registered).values_list("firm_id", flat=True))
            found |= registered - joined
    return found


def firm_in_scope(actor: Any, firm: Firm) -> bool:
    return firm.pk in addable_firm_ids(actor, [firm.pk])


def can_manage_members_of(actor: Any, group: ExchangeGroup) -> bool:
    """Officers keep their own group's member list; federation staff keep their region's groups'."""
    if _unrestricted(actor):
        return True
    scope = scope_of(actor)
    return group.federation_id in scope.region_ids or group.pk in scope.officer_group_ids


def check_group_managed(actor: Any, group: ExchangeGroup) -> None:
    if not can_manage_members_of(actor, group):
        raise RuleViolation(GROUP_NOT_MANAGED, "group_code")


def check_firm_addable(actor: Any, *, firm_in_scope: bool, consented: bool = False) -> None:
    """Rule 1: officers and regional staff add only firms in their scope; others need the firm's consent
    (an accepted membership request) or central staff."""
    if _unrestricted(actor) or consented or firm_in_scope:
        return
    raise RuleViolation(FIRM_NOT_FOUND, "brn")


def keeps_firm_record(actor: Any, firm_federation_id: int) -> bool:
    """Staff of the firm's own federation, or central staff (or the system)."""
    return _unrestricted(actor) or firm_federation_id in scope_of(actor).region_ids


def may_record_ended_period(actor: Any, firm_federation_id: int) -> bool:
    return keeps_firm_record(actor, firm_federation_id)


def check_ended_period(actor: Any, *, firm_federation_id: int, left_on: datetime.date | None) -> None:
    """Rule 2: a period that already ended (a left date given when it is recorded, or a stored period that
    had ended) is recorded only by staff of the firm's own federation or central staff: otherwise anyone
    could write a firm into their group's history and so into their scope."""
    if left_on is not None and not may_record_ended_period(actor, firm_federation_id):
        raise RuleViolation(ENDED_PERIOD_NOT_OWN_FEDERATION, "left_on")


def check_membership_addition(
    actor: Any,
    group: ExchangeGroup,
    *,
    firm_in_scope: bool,
    firm_federation_id: int,
    left_on: datetime.date | None,
    consented: bool = False,
) -> None:
    """Rules 1 and 2 together, for a new period: the web form, the import and the API ask this."""
    if not consented:
        check_group_managed(actor, group)
    check_firm_addable(actor, firm_in_scope=firm_in_scope, consented=consented)
    check_ended_period(actor, firm_federation_id=firm_federation_id, left_on=left_on)


def check_membership_change(
    actor: Any, group: ExchangeGroup, *, firm_federation_id: int, stored_left_on: datetime.date | None
) -> None:
    """A stored period: ending or changing a current one is the group's keepers' work; changing one that
    had already ended (or re-opening it) is rule 2's."""
    check_group_managed(actor, group)
    check_ended_period(actor, firm_federation_id=firm_federation_id, left_on=stored_left_on)


def check_firm_change(actor: Any, firm: Firm, changes: Mapping[str, Any]) -> None:
    """Rule 3: only the firm's own federation staff (and central staff) keep a firm's record; the firm's own
    user edits its profile but not its registration number, status or federation; nobody moves a firm to a
    federation they do not keep."""
    if _unrestricted(actor):
        return
    scope = scope_of(actor)
    staff = keeps_firm_record(actor, firm.federation_id)
    if not staff and firm.pk not in scope.firm_ids:
        raise RuleViolation(FIRM_NOT_EDITABLE, "__all__")
    if not staff:
        for name in STAFF_ONLY_FIRM_FIELDS:
            if name in changes:
                raise RuleViolation(FIRM_FIELD_STAFF_ONLY, name)
    federation = changes.get("federation")
    if federation is not None and getattr(federation, "pk", federation) not in scope.region_ids:
        raise RuleViolation(FEDERATION_OUT_OF_SCOPE, "federation")


# --- membership periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """One membership period as the period rules see it (a stored row, a form's values or an import row)."""

    firm_id: int | None
    role: str
    joined_on: datetime.date
    left_on: datetime.date | None
    firm_name: str = ""


OFFICER_ROLES = (Membership.Role.CHAIR, Membership.Role.SECRETARY)


def periods_overlap(
    a_joined: datetime.date,
    a_left: datetime.date | None,
    b_joined: datetime.date,
    b_left: datetime.date | None,
) -> bool:
    """Half-open periods [joined, left): a member who leaves on a day is no longer one that day, so a chair
    may hand over to the next on the day they leave."""
    return (a_left is None or b_joined < a_left) and (b_left is None or a_joined < b_left)


def membership_period_errors(
    period: Period,
    *,
    founded_on: datetime.date | None,
    others: Iterable[Period],
    today: datetime.date,
    name_holder: bool = True,
) -> dict[str, list[str]]:
    """The rules of a membership period, with Korean messages keyed by field (the one function the
    service, the form and the import call; `others` are the group's other periods).

    Nobody joins or leaves in the future, nor leaves before joining, nor joins before the group was
    founded; a firm's periods in one group do not overlap; a group has at most one chair and one
    secretary at a time. Dates are checked first: with a wrong date the overlaps are not looked at.
    """
    errors: dict[str, list[str]] = {}
    joined_on, left_on = period.joined_on, period.left_on
    if joined_on and joined_on > today:
        errors.setdefault("joined_on", []).append(str(_("가입일은 오늘 이후일 수 없습니다.")))
    if left_on and left_on > today:
        errors.setdefault("left_on", []).append(str(_("탈퇴일은 오늘 이후일 수 없습니다.")))
    if joined_on and left_on and left_on < joined_on:
        errors.setdefault("left_on", []).append(str(_("탈퇴일은 가입일보다 빠를 수 없습니다.")))
    if founded_on and joined_on and joined_on < founded_on:
        errors.setdefault("joined_on", []).append(str(_("가입일은 교류회 창립일보다 빠를 수 없습니다.")))
    if errors:
        return errors
    overlapping = [o for o in others if periods_overlap(joined_on, left_on, o.joined_on, o.left_on)]
    if period.firm_id is not None and any(o.firm_id == period.firm_id for o in overlapping):
        errors.setdefault("joined_on", []).append(
            str(_("이 회원사는 같은 기간에 이미 이 교류회의 회원입니다."))
        )
    if period.role in OFFICER_ROLES:
        holder = next((o for o in overlapping if o.role == period.role and o.firm_id != period.firm_id), None)
        label = Membership.Role(period.role).label
        if holder and name_holder:
            errors.setdefault("role", []).append(
                str(_("같은 기간에 %(role)s 직책을 맡은 회원사(%(firm)s)가 이미 있습니다."))
                % {"role": label, "firm": holder.firm_name}
            )
        elif holder:
            # Whoever accepts a request from outside the group does not see its members: no name.
            errors.setdefault("role", []).append(
                str(_("같은 기간에 %(role)s 직책을 맡은 회원사가 이미 있습니다.")) % {"role": label}
            )
    return errors
