"""Every change to calls (공모): create, edit, publish and correct, one transaction and one audit row each.

The rule fields are checked here, in one place, for the web form and the calls import alike
(`validate_call`). A call's rules are frozen once it has opened (`Call.is_frozen`): `update_call` refuses it
(code `frozen`), and the only change left is `correct_call`, a new `CallRevision` with a reason that checks
every submitted application of the call again (`eligibility.evaluate`) in the same transaction, the call's
row locked so that two corrections or a correction and an edit never interleave.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.core.audit import record_change
from yunghap.core.korean import fill
from yunghap.core.versions import bump_version, lock_version

from .designation import designate_leading
from .eligibility import evaluate
from .models import Application, Call, CallRevision, CostCategory, Topic
from .models.calls import DEFAULT_RULES, RULE_FIELDS, default_criteria

FROZEN = "frozen"
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 8000
MAX_CRITERIA = 10
PERCENT_FIELDS = ("government_share_max", "firm_share_min", "firm_cash_share_min", "pass_score")
WHOLE_FIELDS = (
    "budget_krw",
    "quota",
    "grant_cap_krw",
    "min_members",
    "min_divisions",
    "max_applications_per_firm",
    "reviews_per_application",
)
# What a correction may change: the rule set and the review criteria (the window and texts stay).
CORRECTABLE_FIELDS = (*RULE_FIELDS, "criteria")
EDITABLE_FIELDS = (
    "title",
    "description",
    "opens_on",
    "closes_on",
    "cost_category_edition",
    *RULE_FIELDS,
    "criteria",
)


def frozen_message(call: Call) -> str:
    return fill(
        _(
            "공모 '%(code)s'은(는) 접수가 시작되어 규칙이 확정되었습니다. 수정할 수 없으며, 규칙을 바꾸려면 "
            "개정 사유와 함께 '규칙 정정'으로 새 차수를 만들어 주세요."
        ),
        {"code": call.code},
    )


def _label(name: str) -> str:
    return str(getattr(Call._meta.get_field(name), "verbose_name", name))


def parse_percent(value: Any) -> Decimal:
    """A percentage as staff write it (`75`, `75%`, `62.5`); ValueError with a Korean message otherwise.
    The form and the calls import read shares through this one parser."""
    if isinstance(value, bool):
        raise ValueError(_("비율은 숫자로 입력해 주세요 (예: 75 또는 75%)."))
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        text = str(value).strip().rstrip("%").strip().replace(",", "")
        try:
            number = Decimal(text)
        except ArithmeticError:
            raise ValueError(
                _("비율은 숫자로 입력해 주세요 (예: 75 또는 75%%): '%(value)s'") % {"value": value}
            ) from None
    if not number.is_finite():
        raise ValueError(_("비율은 숫자로 입력해 주세요 (예: 75 또는 75%%): '%(value)s'") % {"value": value})
    return number


def _percent_value(value: Any) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    try:
        return parse_percent(value)
    except ValueError:
        return None


def clean_criteria(rows: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Criteria rows `{code, name, points}` (name_en optional): codes unique, points whole and positive, 100
    in all."""
    if not isinstance(rows, list) or not rows:
        errors.setdefault("criteria", []).append(_("평가 항목을 하나 이상 입력해 주세요."))
        return []
    if len(rows) > MAX_CRITERIA:
        errors.setdefault("criteria", []).append(
            _("평가 항목은 %(n)s개까지 둘 수 있습니다.") % {"n": MAX_CRITERIA}
        )
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    problems = errors.setdefault("criteria", [])
    for index, row in enumerate(rows, start=1):
        code = str(row.get("code") or "").strip()
        name = str(row.get("name") or "").strip()
        points = row.get("points")
        if not CODE_PATTERN.match(code):
            problems.append(
                _("평가 항목 %(n)s의 코드는 영문 소문자·숫자·하이픈(-)으로 입력해 주세요.") % {"n": index}
            )
        elif code in seen:
            problems.append(fill(_("평가 항목 코드 '%(code)s'이(가) 두 번 있습니다."), {"code": code}))
        seen.add(code)
        if not name:
            problems.append(_("평가 항목 %(n)s의 이름을 입력해 주세요.") % {"n": index})
        if isinstance(points, bool) or not isinstance(points, int) or points < 1:
            problems.append(_("평가 항목 %(n)s의 배점은 1 이상의 정수여야 합니다.") % {"n": index})
            points = 0
        item = {
            "code": code,
            "name": name,
            "name_en": str(row.get("name_en") or "").strip(),
            "points": points,
        }
        cleaned.append(item)
    total = sum(item["points"] for item in cleaned)
    if not problems and total != 100:
        problems.append(_("평가 항목 배점의 합이 %(sum)s점입니다. 합은 100점이어야 합니다.") % {"sum": total})
    if not problems:
        errors.pop("criteria")
    return cleaned


def validate_call(fields: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    """The call's fields checked and normalised (percentages as Decimal); `ValidationError` keyed by field
    with every problem in Korean. Missing rule fields take the defaults (`DEFAULT_RULES`)."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}

    def error(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if creating:
        code = str(fields.get("code") or "").strip()
        if not code:
            error("code", _("공모 코드를 입력해 주세요."))
        elif not CODE_PATTERN.match(code):
            error("code", _("공모 코드는 영문 소문자·숫자·하이픈(-)·밑줄(_)로 32자 이내로 입력해 주세요."))
        elif Call.objects.filter(code=code).exists():
            error("code", _("같은 코드의 공모가 이미 있습니다: %(code)s") % {"code": code})
        values["code"] = code
    title = " ".join(str(fields.get("title") or "").split())
    if not title:
        error("title", _("공모명을 입력해 주세요."))
    elif len(title) > TITLE_MAX_LENGTH:
        error("title", _("공모명은 %(n)s자 이내로 입력해 주세요.") % {"n": TITLE_MAX_LENGTH})
    values["title"] = title
    description = str(fields.get("description") or "").strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        error(
            "description",
            _("공모 안내는 %(n)s자 이내로 입력해 주세요.") % {"n": f"{DESCRIPTION_MAX_LENGTH:,}"},
        )
    values["description"] = description
    opens_on, closes_on = fields.get("opens_on"), fields.get("closes_on")
    if opens_on is None:
        error("opens_on", _("접수 시작일을 입력해 주세요."))
    if closes_on is None:
        error("closes_on", _("접수 마감일을 입력해 주세요."))
    if opens_on is not None and closes_on is not None and closes_on < opens_on:
        error("closes_on", _("접수 마감일은 접수 시작일과 같거나 그 뒤여야 합니다."))
    values["opens_on"], values["closes_on"] = opens_on, closes_on

    for name in WHOLE_FIELDS:
        value = fields.get(name)
        if value is None or value == "":
            value = DEFAULT_RULES[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            error(name, fill(_("%(label)s은(는) 1 이상의 정수여야 합니다."), {"label": _label(name)}))
        elif name in ("quota", "min_members", "min_divisions", "max_applications_per_firm") and value > 32767:
            error(name, fill(_("%(label)s이(가) 너무 큽니다."), {"label": _label(name)}))
        values[name] = value
    cap_applies_to = fields.get("cap_applies_to") or DEFAULT_RULES["cap_applies_to"]
    if cap_applies_to not in Call.CapAppliesTo.values:
        error("cap_applies_to", _("상한 적용 대상은 정부지원금(government) 또는 총사업비(total)여야 합니다."))
    values["cap_applies_to"] = cap_applies_to
    for name in PERCENT_FIELDS:
        raw = fields.get(name)
        value = DEFAULT_RULES[name] if raw is None or raw == "" else _percent_value(raw)
        if value is None or not value.is_finite():
            error(name, fill(_("%(label)s은(는) 숫자(%%)로 입력해 주세요."), {"label": _label(name)}))
        elif not Decimal(0) <= value <= Decimal(100):
            error(name, fill(_("%(label)s은(는) 0에서 100 사이여야 합니다."), {"label": _label(name)}))
        elif value != value.quantize(Decimal("0.01")):
            error(name, fill(_("%(label)s은(는) 소수 둘째 자리까지 입력해 주세요."), {"label": _label(name)}))
        values[name] = value.quantize(Decimal("0.01")) if value is not None and name not in errors else value
    government, firm = values.get("government_share_max"), values.get("firm_share_min")
    if (
        "government_share_max" not in errors
        and "firm_share_min" not in errors
        and government is not None
        and firm is not None
        and government + firm < 100
    ):
        error(
            "firm_share_min",
            _(
                "정부지원 최대 비율(%(government)s%%)과 기업부담 최소 비율(%(firm)s%%)의 합이 100%%보다 작습니다. "
                "두 비율은 총사업비를 나눈 것이므로 합이 100%% 이상이어야 합니다(예: 75%%와 25%%)."
            )
            % {"government": format(government.normalize(), "f"), "firm": format(firm.normalize(), "f")},
        )
    criteria = fields.get("criteria")
    values["criteria"] = clean_criteria(default_criteria() if criteria is None else criteria, errors)
    edition = str(fields.get("cost_category_edition") or "2026").strip()
    if not CostCategory.objects.filter(edition=edition).exists():
        error(
            "cost_category_edition",
            fill(_("비목 기준 연도 '%(edition)s'이(가) 없습니다."), {"edition": edition}),
        )
    values["cost_category_edition"] = edition
    if errors:
        raise ValidationError(errors)
    return values


def _check_topics(topics: Iterable[Topic]) -> list[Topic]:
    topics = list(topics)
    rejected = [topic.code for topic in topics if topic.status == Topic.Status.REJECTED]
    if rejected:
        raise ValidationError(
            {
                "topics": _("부적합 판정을 받은 과제는 선도과제로 지정할 수 없습니다: %(codes)s")
                % {"codes": ", ".join(rejected)}
            }
        )
    return topics


def _set_topics(call: Call, topics: list[Topic], *, actor: Any) -> None:
    wanted = {topic.pk for topic in topics}
    removed = [pk for pk in call.topics.values_list("pk", flat=True) if pk not in wanted]
    if removed:
        call.topics.remove(*removed)
    for topic in topics:
        designate_leading(topic, call, actor=actor)


def _audit_values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: str(value) if isinstance(value, Decimal) else value for name, value in values.items()}


@transaction.atomic
def create_call(*, actor: Any, topics: Iterable[Topic] = (), **fields: Any) -> Call:
    """A draft call (seen by central staff only until `publish_call`)."""
    values = validate_call(fields, creating=True)
    topics = _check_topics(topics)
    call = Call.objects.create(created_by=actor if getattr(actor, "pk", None) else None, **values)
    _set_topics(call, topics, actor=actor)
    record_change(actor, "call.create", call, {**_audit_values(values), "topics": [t.code for t in topics]})
    return call


@transaction.atomic
def update_call(
    call: Call,
    *,
    actor: Any,
    expected_version: int | None = None,
    topics: Iterable[Topic] | None = None,
    **fields: Any,
) -> Call:
    """Edit a call that has not opened yet. A published one keeps its revision 1 in step with its rules."""
    lock_version(call, expected_version)
    call.refresh_from_db()
    if call.is_frozen():
        raise ValidationError(frozen_message(call), code=FROZEN)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    current = {name: getattr(call, name) for name in EDITABLE_FIELDS}
    values = validate_call({**current, **fields}, creating=False)
    topic_list = _check_topics(topics) if topics is not None else None
    changes = {name: value for name, value in values.items() if getattr(call, name) != value}
    topics_changed = topic_list is not None and {t.pk for t in topic_list} != set(
        call.topics.values_list("pk", flat=True)
    )
    if not changes and not topics_changed:
        return call
    for name, value in changes.items():
        setattr(call, name, value)
    bump_version(call)
    call.save()
    if topic_list is not None and topics_changed:
        _set_topics(call, topic_list, actor=actor)
    if call.published_at is not None:
        CallRevision.objects.filter(call=call, number=call.revision).update(rules=call.rules_snapshot())
    audit = _audit_values(changes)
    if topics_changed and topic_list is not None:
        audit["topics"] = [t.code for t in topic_list]
    record_change(actor, "call.update", call, audit)
    return call


@transaction.atomic
def publish_call(call: Call, *, actor: Any) -> Call:
    """Open the call to every signed-in user: its rules become revision 1."""
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.published_at is not None:
        raise ValidationError(
            fill(_("공모 '%(code)s'은(는) 이미 공개되었습니다."), {"code": locked.code}), code="published"
        )
    locked.published_at = timezone.now()
    locked.revision = 1
    bump_version(locked)
    locked.save(update_fields=["published_at", "revision", "version", "updated_at"])
    CallRevision.objects.create(
        call=locked,
        number=1,
        rules=locked.rules_snapshot(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    record_change(actor, "call.publish", locked, {"revision": 1})
    return locked


def submitted_applications(call: Call) -> Any:
    return Application.objects.filter(call=call, status=Application.Status.SUBMITTED)


@transaction.atomic
def correct_call(
    call: Call, *, actor: Any, reason: str, expected_version: int | None = None, **fields: Any
) -> Call:
    """A correction of an opened call's rules: a new revision with its reason, and every submitted
    application of the call checked again against it."""
    lock_version(call, expected_version)
    call.refresh_from_db()
    if not call.is_frozen():
        raise ValidationError(
            fill(
                _(
                    "공모 '%(code)s'은(는) 아직 접수가 시작되지 않아 규칙을 정정할 필요가 없습니다. 수정 화면에서 고쳐 주세요."
                ),
                {"code": call.code},
            ),
            code="not_frozen",
        )
    reason = " ".join((reason or "").split())
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("정정 사유를 입력해 주세요.")]
    elif len(reason) > 500:
        errors["reason"] = [_("정정 사유는 500자 이내로 입력해 주세요.")]
    unknown = set(fields) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    current = {name: getattr(call, name) for name in EDITABLE_FIELDS}
    try:
        values = validate_call({**current, **fields}, creating=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
        raise ValidationError(errors) from None
    changes = {name: values[name] for name in CORRECTABLE_FIELDS if getattr(call, name) != values[name]}
    if not changes and not errors:
        raise ValidationError(
            _("바뀐 규칙이 없습니다. 정정할 규칙을 고친 뒤 저장해 주세요."), code="unchanged"
        )
    if errors:
        raise ValidationError(errors)
    before = {name: getattr(call, name) for name in changes}
    for name, value in changes.items():
        setattr(call, name, value)
    call.revision += 1
    bump_version(call)
    call.save()
    CallRevision.objects.create(
        call=call,
        number=call.revision,
        rules=call.rules_snapshot(),
        reason=reason,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    rechecked = 0
    now_ineligible = []
    for application in submitted_applications(call).order_by("submitted_at", "id"):
        application.call = call
        if evaluate(application):
            now_ineligible.append(application.ref)
        rechecked += 1
    record_change(
        actor,
        "call.correct",
        call,
        {
            "revision": call.revision,
            "reason": reason,
            "before": _audit_values(before),
            "after": _audit_values(changes),
            "rechecked": rechecked,
            "ineligible": now_ineligible,
        },
    )
    call.rechecked = rechecked  # type: ignore[attr-defined]
    call.now_ineligible = now_ineligible  # type: ignore[attr-defined]
    return call
