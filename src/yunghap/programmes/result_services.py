"""Recording an agreement's results (성과 지표) and keeping them in the groups' ledger.

An agreement's results are one convergence R&D result (융합기술개발 실적) of each exchange group its lead
firm belongs to when the results are first recorded: one `activities.Outcome` per such group, with
`Outcome.agreement` pointing back here. They are created through the ledger's own service
(`activities.services.record_outcome`: its checks, audit row and the statistics' post_save hook), so the
insights figures (`GroupMonth`/`GroupYear.outcomes`, the trend page) and the survey's observed figures
(`insights.selectors.observed_by_group`, `surveys.selectors`) count them like any result in the ledger.
Later updates (follow-up answers) change those rows in place; they never move the result to another
group or date. Indicators that are all zero are no result: their Outcome rows are deleted (undoably).

Follow-on R&D task numbers (후속 R&D 과제번호), normalised to upper case without spaces:
- SMTECH (중소기업 기술개발사업 종합관리시스템): `S` and 7 digits, e.g. `S3312345`;
- IRIS (범부처통합연구지원시스템): `RS-`, the year, `-` and 8 digits, e.g. `RS-2025-00412345`.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yunghap.core.audit import record_change
from yunghap.core.versions import StaleEdit, bump_version

from . import progress_reports as flow
from .models import Agreement, ConsortiumMember, ResultIndicators

SMTECH_TASK = re.compile(r"^S\d{7}$")
IRIS_TASK = re.compile(r"^RS-(19|20)\d{2}-\d{8}$")
SALES_MAX = 10**15  # a quadrillion won: more is a typing error, not a sale
COUNT_MAX = 100_000
FIELDS = (
    "prototypes",
    "patents_applied",
    "patents_registered",
    "patent_numbers",
    "sales_krw",
    "jobs",
    "follow_on_task_number",
    "follow_on_title",
)


def normalise_task_number(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def task_number_error(value: str) -> str | None:
    """The Korean message for a follow-on task number that is neither SMTECH's nor IRIS's format."""
    value = normalise_task_number(value)
    if not value or SMTECH_TASK.match(value) or IRIS_TASK.match(value):
        return None
    return _(
        "후속 R&D 과제번호는 SMTECH(S와 숫자 7자리, 예: S3312345) 또는 IRIS(RS-연도-숫자 8자리, "
        "예: RS-2025-00412345) 형식이어야 합니다."
    )


def may_record(user: Any, agreement: Agreement) -> bool:
    """The lead firm's users and central staff record the results."""
    return flow.is_staff(user) or flow.is_lead_user(user, agreement)


def validate_values(values: dict[str, Any]) -> dict[str, Any]:
    """Clean the indicator values (one rule for the form, the follow-ups and the demo); raises per field."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name in ("prototypes", "patents_applied", "patents_registered", "jobs"):
        value = values.get(name, 0) or 0
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= COUNT_MAX:
            errors[name] = [_("0 이상 %(max)s 이하의 정수로 입력해 주세요.") % {"max": f"{COUNT_MAX:,}"}]
        clean[name] = value
    sales = values.get("sales_krw", 0) or 0
    if not isinstance(sales, int) or isinstance(sales, bool) or not 0 <= sales <= SALES_MAX:
        errors["sales_krw"] = [_("매출액은 0원 이상의 정수(원)로 입력해 주세요.")]
    clean["sales_krw"] = sales
    number = normalise_task_number(values.get("follow_on_task_number", ""))
    problem = task_number_error(number)
    if problem:
        errors["follow_on_task_number"] = [problem]
    clean["follow_on_task_number"] = number
    clean["follow_on_title"] = (values.get("follow_on_title") or "").strip()[:200]
    if clean["follow_on_title"] and not number:
        errors.setdefault("follow_on_task_number", []).append(
            _("후속 R&D 과제명을 적었다면 과제번호도 입력해 주세요.")
        )
    clean["patent_numbers"] = (values.get("patent_numbers") or "").strip()[:500]
    if errors:
        raise ValidationError(errors)
    return clean


def record_indicators(
    agreement: Agreement,
    *,
    actor: Any,
    values: dict[str, Any],
    expected_version: int | None = None,
    today: datetime.date | None = None,
) -> ResultIndicators:
    """Create or update the agreement's indicators and the ledger Outcome rows that count them.

    `today` (default: the local date) dates a first result in the ledger, as the ledger's services do."""
    if actor is not None and not may_record(actor, agreement):
        raise PermissionDenied(_("성과 지표는 주관기업 사용자와 중앙연합회 담당자만 입력할 수 있습니다."))
    clean = validate_values(values)
    with transaction.atomic():
        # The agreement's row is the lock: two first recordings at once make one indicators row.
        locked = (
            Agreement.objects.select_for_update()
            .select_related("application__consortium")
            .get(pk=agreement.pk)
        )
        indicators = ResultIndicators.objects.filter(agreement=locked).first()
        created = indicators is None
        if indicators is None:
            indicators = ResultIndicators(agreement=locked)
        elif expected_version is not None and indicators.version != expected_version:
            raise StaleEdit(indicators, expected_version)
        before = {name: getattr(indicators, name) for name in FIELDS}
        for name in FIELDS:
            setattr(indicators, name, clean[name])
        if not created and before == {name: clean[name] for name in FIELDS}:
            return indicators
        if not created:
            bump_version(indicators)
        indicators.recorded_by = actor if getattr(actor, "pk", None) else None
        if indicators.achieved_on is None and indicators.has_result():
            indicators.achieved_on = today or timezone.localdate()
        indicators.save()
        record_change(
            actor,
            "programmes.indicators.create" if created else "programmes.indicators.update",
            indicators,
            {name: clean[name] for name in FIELDS if created or before[name] != clean[name]},
        )
        sync_outcomes(locked, indicators, actor=actor)
    return indicators


def outcome_kind(indicators: ResultIndicators) -> str:
    """The ledger's kind of result: a prototype is a new product, else patents, else a new technology."""
    from yunghap.activities.models import Outcome

    if indicators.prototypes:
        return Outcome.Kind.NEW_PRODUCT
    if indicators.patents_applied or indicators.patents_registered:
        return Outcome.Kind.PATENT
    return Outcome.Kind.NEW_TECHNOLOGY


def outcome_description(indicators: ResultIndicators) -> str:
    parts = [
        _("시제품 %(n)s건") % {"n": indicators.prototypes},
        _("특허 출원 %(a)s건·등록 %(r)s건")
        % {"a": indicators.patents_applied, "r": indicators.patents_registered},
        _("매출 %(amount)s원") % {"amount": f"{indicators.sales_krw:,}"},
        _("고용 %(n)s명") % {"n": indicators.jobs},
    ]
    if indicators.follow_on_task_number:
        parts.append(_("후속 R&D %(number)s") % {"number": indicators.follow_on_task_number})
    return _("지원사업 협약 성과: ") + ", ".join(parts)


def lead_groups(agreement: Agreement, on: Any) -> list[Any]:
    """The exchange groups the lead firm is a member of on `on` (its current membership when recorded)."""
    from yunghap.network.models import ExchangeGroup, Membership

    ids = (
        Membership.objects.filter(firm_id=agreement.application.consortium.lead_id)
        .current(on)
        .values("group_id")
    )
    return list(ExchangeGroup.objects.filter(id__in=ids).order_by("id"))


def sync_outcomes(agreement: Agreement, indicators: ResultIndicators, *, actor: Any) -> list[Any]:
    """Make the ledger say what the indicators say (inside the caller's transaction)."""
    from yunghap.activities import services as ledger
    from yunghap.activities.models import Outcome
    from yunghap.network.models import Firm, Membership

    live = list(Outcome.objects.filter(agreement=agreement).order_by("id"))
    if not indicators.has_result():
        for outcome in live:
            ledger.delete_outcome(outcome, actor=actor)
        return []
    kind = outcome_kind(indicators)
    # Ledger text is stored data: written in the site's language (Korean), whoever records it.
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(title)s (협약 %(ref)s)") % {
            "title": agreement.application.title[:150],
            "ref": agreement.application.ref,
        }
        description = outcome_description(indicators)
    if live:
        for outcome in live:
            changes = {
                name: value
                for name, value in (("kind", kind), ("title", title), ("description", description))
                if getattr(outcome, name) != value
            }
            if changes:
                for name, value in changes.items():
                    setattr(outcome, name, value)
                outcome.save()  # post_save marks the group's statistics stale
                record_change(actor, "outcome.update", outcome, changes)
        return live
    on = indicators.achieved_on or timezone.localdate()
    member_ids = ConsortiumMember.objects.filter(
        consortium_id=agreement.application.consortium_id, state=ConsortiumMember.State.ACCEPTED
    ).values("firm_id")
    created = []
    for group in lead_groups(agreement, on):
        firms = Firm.objects.filter(
            id__in=Membership.objects.filter(group=group, firm_id__in=member_ids)
            .current(on)
            .values("firm_id")
        ).order_by("id")
        created.append(
            ledger.record_outcome(
                group,
                actor=actor,
                kind=kind,
                title=title,
                achieved_on=on,
                firms=list(firms),
                description=description,
                agreement=agreement,
                today=on,
            )
        )
    return created
