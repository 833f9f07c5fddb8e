"""Changes to consortia and applications made in the web interface (issue 9, item 3).

One function per change, `verb_noun(obj, *, actor, ...)`: one transaction, one audit row, notifications on
commit. The rules themselves are `programmes.rules` (one function each) and the stored eligibility is
`programmes.eligibility.evaluate`; nothing here writes a second version of a rule.

- `start_application` — a lead firm's user starts a consortium and its draft for an open call;
- `save_draft` — title, topic, period, texts and the budget by cost category (version-checked);
- `invite_partner`, `remove_partner`, `respond_place` — the partners and their answers;
- `submit_application` — every rule checked with the call row locked, eligibility stored;
- `withdraw_application` — before the deadline.
Every save keeps an `ApplicationRevision` (the state after the change).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.core.audit import record_change
from yunghap.core.korean import fill
from yunghap.core.messenger import notify
from yunghap.core.versions import bump_version, lock_version
from yunghap.network.models import Firm, Membership

from . import message_codes
from .eligibility import evaluate
from .models import (
    Application,
    ApplicationBudgetLine,
    ApplicationRevision,
    Call,
    Consortium,
    ConsortiumMember,
    CostCategory,
    Topic,
)
from .rules import check_application

# (government, firm cash, firm in-kind) in won, per cost category id.
Lines = Mapping[int, tuple[int, int, int]]


# --- who may do what (read by the views; the services check again) -------------------------------------------


def is_lead_user(user: Any, application: Application) -> bool:
    from yunghap.accounts.scope import scope_of

    return application.consortium.lead_id in scope_of(user).firm_ids


def leading_topics(call: Call) -> Any:
    return call.topics.filter(status=Topic.Status.LEADING).order_by("code")


def is_current_member(firm: Firm) -> bool:
    return Membership.objects.current().filter(firm=firm).exists()


def window_error(call: Call, now: datetime.datetime | None = None) -> str:
    """Why the call takes no submission in the interface now (KST), or ""."""
    now = now or timezone.now()
    if call.published_at is None:
        return _("공개되지 않은 공모입니다.")
    opens, closes = call.window_bounds()
    if now < opens:
        return fill(
            _("접수 시작 전입니다. 접수는 %(date)s 00:00(한국 시간)부터입니다."),
            {"date": call.opens_on.isoformat()},
        )
    if now >= closes:
        return fill(
            _("접수가 마감되었습니다. 마감은 %(date)s 24:00(한국 시간)이었습니다."),
            {"date": call.closes_on.isoformat()},
        )
    return ""


# --- snapshots --------------------------------------------------------------------------------------------


def snapshot_of(application: Application) -> dict[str, Any]:
    """The application as a revision keeps it: texts, totals, budget lines and members (ids and names)."""
    lines = [
        {
            "category": line.category.code,
            "government_krw": line.government_krw,
            "firm_cash_krw": line.firm_cash_krw,
            "firm_inkind_krw": line.firm_inkind_krw,
        }
        for line in application.budget_lines.select_related("category").order_by("category__sort_order")
    ]
    members = [
        {"firm": m.firm_id, "name": m.firm.name, "role": m.role, "state": m.state}
        for m in ConsortiumMember.objects.filter(consortium_id=application.consortium_id)
        .select_related("firm")
        .order_by("role", "id")
    ]
    return {
        "status": application.status,
        "title": application.title,
        "topic": application.topic.code if application.topic is not None else None,
        "starts_on": application.starts_on.isoformat() if application.starts_on else None,
        "ends_on": application.ends_on.isoformat() if application.ends_on else None,
        "summary": application.summary,
        "plan": application.plan,
        "government_krw": application.government_krw,
        "firm_cash_krw": application.firm_cash_krw,
        "firm_inkind_krw": application.firm_inkind_krw,
        "lines": lines,
        "members": members,
        "eligibility": application.eligibility,
        "breaches": application.breaches,
    }


def keep_revision(application: Application, *, actor: Any) -> ApplicationRevision:
    last = application.revisions.aggregate(n=Max("number"))["n"] or 0
    return ApplicationRevision.objects.create(
        application=application,
        number=last + 1,
        snapshot=snapshot_of(application),
        saved_by=actor if getattr(actor, "pk", None) else None,
    )


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("call", "consortium").get(pk=application.pk)


def _require_draft(application: Application) -> None:
    if application.status != Application.Status.DRAFT:
        raise ValidationError(_("작성 중인 신청서만 고칠 수 있습니다."), code="not_draft")


def _lead_users(application: Application) -> list[Any]:
    from yunghap.matching.review import firm_users

    return firm_users([application.consortium.lead_id])


# --- starting ---------------------------------------------------------------------------------------------


@transaction.atomic
def start_application(
    call: Call, *, actor: Any, lead: Firm, name: str, title: str, topic: Topic | None
) -> Application:
    """A consortium around `lead` for `call`, its lead place (accepted) and a draft application."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    errors: dict[str, list[str]] = {}
    reason = window_error(call)
    if reason:
        raise ValidationError(reason, code="window")
    if lead.status != Firm.Status.ACTIVE:
        raise ValidationError(_("정상 영업 중인 기업만 주관기업이 될 수 있습니다."), code="closed")
    if not is_current_member(lead):
        raise ValidationError(_("현재 교류회 회원인 기업만 주관기업이 될 수 있습니다."), code="not_member")
    if topic is not None and not leading_topics(call).filter(pk=topic.pk).exists():
        errors["topic"] = [_("이 공모의 선도과제가 아닙니다.")]
    if errors:
        raise ValidationError(errors)
    consortium = Consortium.objects.create(call=call, lead=lead, name=name, created_by=actor)
    ConsortiumMember.objects.create(
        consortium=consortium,
        firm=lead,
        role=ConsortiumMember.Role.LEAD,
        state=ConsortiumMember.State.ACCEPTED,
        invited_by=actor,
        responded_by=actor,
        responded_at=timezone.now(),
    )
    application = Application.objects.create(
        call=call,
        consortium=consortium,
        ref=f"{call.code}-w{consortium.pk:05d}",
        title=title,
        topic=topic,
        created_by=actor,
    )
    keep_revision(application, actor=actor)
    record_change(
        actor,
        "programmes.application.create",
        application,
        {"call": call.code, "lead": lead.pk, "consortium": name, "title": title},
    )
    return application


# --- the draft --------------------------------------------------------------------------------------------


def budget_categories(call: Call) -> Any:
    return CostCategory.objects.filter(edition=call.cost_category_edition).order_by("sort_order", "code")


def budget_line_errors(categories: Any, lines: Lines) -> list[str]:
    """In-kind amounts on categories that take none, and negative amounts: the budget's own form rules."""
    errors = []
    by_id = {c.pk: c for c in categories}
    for category_id, (government, cash, inkind) in lines.items():
        category = by_id.get(category_id)
        if category is None:
            errors.append(_("이 공모의 비목이 아닙니다."))
            continue
        if min(government, cash, inkind) < 0:
            errors.append(fill(_("%(category)s: 금액은 0원 이상이어야 합니다."), {"category": category.name}))
        if inkind and not category.inkind_allowed:
            errors.append(
                fill(_("%(category)s에는 현물을 계상할 수 없습니다."), {"category": category.display_name})
            )
    return errors


def totals_of(lines: Lines) -> tuple[int, int, int]:
    government = sum(v[0] for v in lines.values())
    cash = sum(v[1] for v in lines.values())
    inkind = sum(v[2] for v in lines.values())
    return government, cash, inkind


@transaction.atomic
def save_draft(
    application: Application,
    *,
    actor: Any,
    expected_version: int | None,
    title: str,
    topic: Topic | None,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    summary: str,
    plan: str,
    lines: Lines,
) -> Application:
    """Save the draft: texts, the budget lines by category and their totals on the application; a revision."""
    lock_version(application, expected_version)
    application = _lock(application)
    _require_draft(application)
    errors: dict[str, list[str]] = {}
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("종료일은 시작일보다 빠를 수 없습니다.")]
    if topic is not None and not leading_topics(application.call).filter(pk=topic.pk).exists():
        errors["topic"] = [_("이 공모의 선도과제가 아닙니다.")]
    categories = list(budget_categories(application.call))
    line_errors = budget_line_errors(categories, lines)
    if line_errors:
        errors["__all__"] = line_errors
    if errors:
        raise ValidationError(errors)
    government, cash, inkind = totals_of(lines)
    before = snapshot_of(application)
    application.title = title
    application.topic = topic
    application.starts_on = starts_on
    application.ends_on = ends_on
    application.summary = summary
    application.plan = plan
    application.government_krw, application.firm_cash_krw, application.firm_inkind_krw = (
        government,
        cash,
        inkind,
    )
    existing = {line.category_id: line for line in application.budget_lines.all()}
    for category in categories:
        government_krw, cash_krw, inkind_krw = lines.get(category.pk, (0, 0, 0))
        line = existing.get(category.pk)
        if not (government_krw or cash_krw or inkind_krw):
            if line is not None:
                line.delete()
            continue
        if line is None:
            line = ApplicationBudgetLine(application=application, category=category)
        line.government_krw, line.firm_cash_krw, line.firm_inkind_krw = government_krw, cash_krw, inkind_krw
        line.save()
    after = snapshot_of(application)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        bump_version(application)
        application.save()
        keep_revision(application, actor=actor)
        record_change(actor, "programmes.application.update", application, changes)
    return application


# --- partners ---------------------------------------------------------------------------------------------


@transaction.atomic
def invite_partner(application: Application, firm: Firm, *, actor: Any) -> ConsortiumMember:
    """Invite `firm` to the consortium (again, if it declined): an active firm with a current membership."""
    application = _lock(application)
    _require_draft(application)
    if firm.status != Firm.Status.ACTIVE:
        raise ValidationError(
            fill(_("%(firm)s은(는) 정상 영업 중이 아닙니다."), {"firm": firm.name}), code="closed"
        )
    if not is_current_member(firm):
        raise ValidationError(
            fill(_("%(firm)s은(는) 현재 교류회 회원이 아닙니다."), {"firm": firm.name}), code="not_member"
        )
    place = ConsortiumMember.objects.filter(consortium_id=application.consortium_id, firm=firm).first()
    if place is not None and place.state != ConsortiumMember.State.DECLINED:
        raise ValidationError(
            fill(_("%(firm)s은(는) 이미 협력체에 있습니다."), {"firm": firm.name}), code="member"
        )
    if place is None:
        place = ConsortiumMember(consortium_id=application.consortium_id, firm=firm)
    place.role = ConsortiumMember.Role.PARTNER
    place.state = ConsortiumMember.State.INVITED
    place.invited_by = actor
    place.responded_by = None
    place.responded_at = None
    place.save()
    record_change(
        actor, "programmes.consortium_member.invite", place, {"firm": firm.pk, "state": place.state}
    )
    link = reverse("programmes:place_respond", args=[place.pk])
    params = {
        "lead": application.consortium.lead.name,
        "title": application.title,
        "call": application.call.title,
    }
    transaction.on_commit(
        lambda: notify(
            _firm_users([firm.pk]),
            code=message_codes.PLACE_INVITED,
            params=params,
            link=link,
            verb="programmes.place.invited",
        )
    )
    return place


def _firm_users(firm_ids: list[int]) -> list[Any]:
    from yunghap.matching.review import firm_users

    return firm_users(firm_ids)


@transaction.atomic
def remove_partner(place: ConsortiumMember, *, actor: Any) -> None:
    """Take an invited or declined partner off the consortium (an accepted one stays: it agreed)."""
    application = _lock(place.consortium.application)
    _require_draft(application)
    place = ConsortiumMember.objects.select_for_update().get(pk=place.pk)
    if place.role == ConsortiumMember.Role.LEAD:
        raise ValidationError(_("주관기업은 뺄 수 없습니다."), code="lead")
    if place.state == ConsortiumMember.State.ACCEPTED:
        raise ValidationError(_("참여를 수락한 기업은 뺄 수 없습니다."), code="accepted")
    record_change(
        actor, "programmes.consortium_member.delete", place, {"firm": place.firm_id, "state": place.state}
    )
    place.delete()


@transaction.atomic
def respond_place(place: ConsortiumMember, *, actor: Any, accept: bool) -> ConsortiumMember:
    """The invited firm accepts or declines its place; the lead's users hear of it on commit."""
    place = ConsortiumMember.objects.select_for_update().select_related("consortium", "firm").get(pk=place.pk)
    application = Application.objects.select_related("call", "consortium__lead").get(
        consortium=place.consortium
    )
    if place.state != ConsortiumMember.State.INVITED:
        raise ValidationError(_("이미 응답한 초대입니다."), code="answered")
    if application.status != Application.Status.DRAFT:
        raise ValidationError(_("이미 제출되었거나 철회된 신청서입니다."), code="not_draft")
    place.state = ConsortiumMember.State.ACCEPTED if accept else ConsortiumMember.State.DECLINED
    place.responded_by = actor
    place.responded_at = timezone.now()
    place.save(update_fields=["state", "responded_by", "responded_at", "updated_at"])
    record_change(actor, "programmes.consortium_member.respond", place, {"state": place.state})
    code = message_codes.PLACE_ACCEPTED if accept else message_codes.PLACE_DECLINED
    params = {"firm": place.firm.name, "title": application.title}
    link = reverse("programmes:application_detail", args=[application.pk])
    transaction.on_commit(
        lambda: notify(
            _lead_users(application), code=code, params=params, link=link, verb="programmes.place.answered"
        )
    )
    return place


# --- submitting -------------------------------------------------------------------------------------------


def submission_errors(application: Application) -> list[str]:
    """Every reason the application cannot be submitted now, in Korean: the window (KST), partners that
    have not accepted, and every broken rule of the call (`programmes.rules.check_application`)."""
    reasons = []
    window = window_error(application.call)
    if window:
        reasons.append(window)
    pending = [
        m.firm.name
        for m in ConsortiumMember.objects.filter(
            consortium_id=application.consortium_id, state=ConsortiumMember.State.INVITED
        ).select_related("firm")
    ]
    if pending:
        reasons.append(
            fill(_("참여를 수락하지 않은 기업이 있습니다: %(firms)s."), {"firms": ", ".join(pending)})
        )
    reasons += [breach.message for breach in check_application(application)]
    return reasons


@transaction.atomic
def submit_application(application: Application, *, actor: Any) -> Application:
    """Submit: with the call row locked (two submissions sharing a firm are checked one after the other, so
    `firm_limit` holds), every reason of `submission_errors` refuses it, all of them listed; otherwise the
    eligibility is stored (`eligibility.evaluate`), a revision kept and the change audited."""
    Call.objects.select_for_update().get(pk=application.call_id)
    application = _lock(application)
    if application.status != Application.Status.DRAFT:
        raise ValidationError(_("작성 중인 신청서만 제출할 수 있습니다."), code="not_draft")
    reasons = submission_errors(application)
    if reasons:
        raise ValidationError([ValidationError(r, code="refused") for r in reasons])
    application.status = Application.Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.submitted_by = actor
    bump_version(application)
    application.save(update_fields=["status", "submitted_at", "submitted_by", "version", "updated_at"])
    breaches = evaluate(application)
    if breaches:  # cannot happen after the check above under the lock; never submit an ineligible one
        raise ValidationError([ValidationError(b.message, code=b.code) for b in breaches])
    keep_revision(application, actor=actor)
    record_change(
        actor,
        "programmes.application.submit",
        application,
        {
            "status": application.status,
            "eligibility": application.eligibility,
            "rules_revision": application.rules_revision,
        },
    )
    return application


@transaction.atomic
def withdraw_application(application: Application, *, actor: Any) -> Application:
    """Withdraw a submitted application before the deadline (it still counts for `firm_limit`)."""
    Call.objects.select_for_update().get(pk=application.call_id)
    application = _lock(application)
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("제출된 신청서만 철회할 수 있습니다."), code="not_submitted")
    window = window_error(application.call)
    if window:
        raise ValidationError(window, code="window")
    application.status = Application.Status.WITHDRAWN
    bump_version(application)
    application.save(update_fields=["status", "version", "updated_at"])
    keep_revision(application, actor=actor)
    record_change(actor, "programmes.application.withdraw", application, {"status": application.status})
    return application
