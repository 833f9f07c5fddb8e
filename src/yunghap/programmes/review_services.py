"""Review (평가) without conflicts: the reviewer pool, assignments (automatic and by hand) and reviews.

Every change is a service `verb_noun(obj, *, actor, ...)`: one transaction, one audit row. Conflicts are
computed now by `programmes.conflicts` whenever a reviewer is assigned or acts: a reviewer with a conflict
is never assigned, and none of their actions on that application goes through (the views answer 404).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_change
from yunghap.core.korean import fill
from yunghap.core.messages_catalogue import render
from yunghap.core.versions import bump_version, lock_version

from . import assignment as algorithm
from .conflicts import conflict_map, conflicts_of
from .models import Application, Call, DeclaredConflict, Review, ReviewAssignment, Reviewer

ACTIVE_STATES = (
    ReviewAssignment.State.ASSIGNED,
    ReviewAssignment.State.OPEN,
    ReviewAssignment.State.SUBMITTED,
)


# --- reading ------------------------------------------------------------------------------------------


def conflict_reason(code: str) -> str:
    """The Korean (reader's language) reason of one conflict code."""
    return render(f"programmes.conflict.{code}", fallback=code)


def conflict_message(codes: Iterable[str]) -> str:
    """`이해충돌(affiliation): 평가위원의 소속 기업이 …` for each code, joined."""
    return " ".join(
        fill(_("이해충돌(%(code)s): %(reason)s"), {"code": code, "reason": conflict_reason(code)})
        for code in codes
    )


def can_manage_reviews(user: Any) -> bool:
    """The reviewer pool and the assignments are central staff's work."""
    return scope_of(user).central


def _require_staff(actor: Any) -> None:
    if actor is not None and not can_manage_reviews(actor):
        raise PermissionDenied(_("평가위원과 평가 배정은 중앙회 담당자만 관리할 수 있습니다."))


def expertise_keys(engine_codes: Iterable[str], capability_ids: Iterable[int]) -> frozenset[str]:
    """The keys the assignment compares: a topic's and a reviewer's growth engines and capabilities."""
    return frozenset({f"engine:{c}" for c in engine_codes} | {f"cap:{c}" for c in capability_ids})


def reviewer_expertise(reviewers: Iterable[Reviewer]) -> dict[int, frozenset[str]]:
    """Reviewer id → expertise keys, in two queries."""
    ids = [r.pk for r in reviewers]
    engines: dict[int, set[str]] = defaultdict(set)
    capabilities: dict[int, set[int]] = defaultdict(set)
    for rid, code in Reviewer.expertise_engines.through.objects.filter(reviewer_id__in=ids).values_list(
        "reviewer_id", "growthengine__code"
    ):
        engines[rid].add(code)
    for rid, cid in Reviewer.expertise_capabilities.through.objects.filter(reviewer_id__in=ids).values_list(
        "reviewer_id", "capability_id"
    ):
        capabilities[rid].add(cid)
    return {rid: expertise_keys(engines[rid], capabilities[rid]) for rid in ids}


def topic_expertise(applications: Iterable[Application]) -> dict[int, frozenset[str]]:
    """Application id → the keys of its topic (growth engine and needed capabilities), in two queries."""
    from .models import Topic

    apps = list(applications)
    topic_ids = {a.topic_id for a in apps if a.topic_id}
    engines = dict(Topic.objects.filter(pk__in=topic_ids).values_list("pk", "growth_engine__code"))
    capabilities: dict[int, set[int]] = defaultdict(set)
    for tid, cid in Topic.capabilities.through.objects.filter(topic_id__in=topic_ids).values_list(
        "topic_id", "capability_id"
    ):
        capabilities[tid].add(cid)
    return {
        a.pk: expertise_keys(
            [engines[a.topic_id]] if a.topic_id in engines else [],
            capabilities[a.topic_id] if a.topic_id else set(),
        )
        for a in apps
    }


def reviewable_applications(call: Call) -> Any:
    """The applications of a call that are reviewed: submitted and eligible."""
    return Application.objects.filter(
        call=call, status=Application.Status.SUBMITTED, eligibility=Application.Eligibility.ELIGIBLE
    )


def call_loads(call: Call) -> dict[int, int]:
    """Reviewer id → assignments they hold in the call (not recused)."""
    return dict(
        ReviewAssignment.objects.filter(application__call=call, state__in=ACTIVE_STATES)
        .values("reviewer_id")
        .annotate(n=Count("id"))
        .values_list("reviewer_id", "n")
    )


def counts_toward_reviews(state: str, conflicted: bool) -> bool:
    """Does an assignment fill one of the application's reviews? Not when recused, nor when a conflict
    arose since (its reviewer can no longer open the application), unless the review is already in."""
    if state == ReviewAssignment.State.SUBMITTED:
        return True
    return state in ACTIVE_STATES and not conflicted


def active_reviewers() -> Any:
    return Reviewer.objects.filter(is_active=True, user__is_active=True).select_related("user", "affiliation")


def auto_assignment_plan(call: Call) -> list[tuple[Application, Reviewer]]:
    """What the automatic assignment would add now (the confirmation counts it, the service writes it)."""
    applications = list(reviewable_applications(call).order_by("pk"))
    reviewers = list(active_reviewers())
    if not applications or not reviewers:
        return []
    conflicts = conflict_map(reviewers, applications)
    held: dict[int, set[int]] = defaultdict(set)  # application → reviewers on it (any state, recused too)
    active: Counter[int] = Counter()
    for app_id, rid, state in ReviewAssignment.objects.filter(application__in=applications).values_list(
        "application_id", "reviewer_id", "state"
    ):
        held[app_id].add(rid)
        if counts_toward_reviews(state, (rid, app_id) in conflicts):
            active[app_id] += 1
    topics = topic_expertise(applications)
    slots = [
        algorithm.Slot(
            application=a.pk,
            needed=max(0, call.reviews_per_application - active[a.pk]),
            topic=topics[a.pk],
            assigned=frozenset(held[a.pk]),
        )
        for a in applications
    ]
    pairs = algorithm.plan_assignments(
        slots, [r.pk for r in reviewers], conflicts, reviewer_expertise(reviewers), call_loads(call)
    )
    by_app = {a.pk: a for a in applications}
    by_reviewer = {r.pk: r for r in reviewers}
    return [(by_app[a], by_reviewer[r]) for a, r in pairs]


# --- the pool -----------------------------------------------------------------------------------------


def update_reviewer(
    reviewer: Reviewer,
    *,
    actor: Any,
    affiliation: Any = None,
    affiliation_name: str = "",
    expertise_engines: Iterable[Any] = (),
    expertise_capabilities: Iterable[Any] = (),
    is_active: bool = True,
    expected_version: int | None = None,
) -> Reviewer:
    _require_staff(actor)
    engines = sorted(e.pk for e in expertise_engines)
    capabilities = sorted(c.pk for c in expertise_capabilities)
    with transaction.atomic():
        lock_version(reviewer, expected_version)
        reviewer = Reviewer.objects.get(pk=reviewer.pk)
        before = {
            "affiliation": reviewer.affiliation_id,
            "affiliation_name": reviewer.affiliation_name,
            "is_active": reviewer.is_active,
            "expertise_engines": sorted(reviewer.expertise_engines.values_list("pk", flat=True)),
            "expertise_capabilities": sorted(reviewer.expertise_capabilities.values_list("pk", flat=True)),
        }
        after = {
            "affiliation": affiliation.pk if affiliation else None,
            "affiliation_name": affiliation_name,
            "is_active": is_active,
            "expertise_engines": engines,
            "expertise_capabilities": capabilities,
        }
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changes:
            reviewer.affiliation = affiliation
            reviewer.affiliation_name = affiliation_name
            reviewer.is_active = is_active
            bump_version(reviewer)
            reviewer.save(
                update_fields=["affiliation", "affiliation_name", "is_active", "version", "updated_at"]
            )
            reviewer.expertise_engines.set(engines)
            reviewer.expertise_capabilities.set(capabilities)
            record_change(actor, "reviewer.update", reviewer, changes)
    return reviewer


def add_declared_conflict(reviewer: Reviewer, *, actor: Any, firm: Any, reason: str = "") -> DeclaredConflict:
    """Staff record a conflict the reviewer told them of (code `declared`)."""
    _require_staff(actor)
    with transaction.atomic():
        if DeclaredConflict.objects.filter(reviewer=reviewer, firm=firm).exists():
            raise ValidationError({"firm": _("이미 신고된 이해충돌입니다.")})
        try:
            with transaction.atomic():
                conflict = DeclaredConflict.objects.create(reviewer=reviewer, firm=firm, reason=reason)
        except IntegrityError as error:
            raise ValidationError({"firm": _("이미 신고된 이해충돌입니다.")}) from error
        record_change(actor, "reviewer.declare_conflict", reviewer, {"firm": firm.pk, "reason": reason})
    return conflict


# --- assignments --------------------------------------------------------------------------------------


def _check_reviewable(application: Application) -> None:
    if application.status != Application.Status.SUBMITTED or (
        application.eligibility != Application.Eligibility.ELIGIBLE
    ):
        raise ValidationError(_("제출된 적격 신청에만 평가위원을 배정할 수 있습니다."))


def assign_reviewer(
    application: Application,
    reviewer: Reviewer,
    *,
    actor: Any,
    method: str = ReviewAssignment.Method.MANUAL,
) -> ReviewAssignment:
    """Assign by hand: refused for a conflicted reviewer (with the conflict's reason), twice, or an
    inactive reviewer."""
    _require_staff(actor)
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _check_reviewable(application)
        if not reviewer.is_active:
            raise ValidationError({"reviewer": _("위촉이 해제된 평가위원입니다.")})
        codes = conflicts_of(reviewer, application)
        if codes:
            raise ValidationError({"reviewer": conflict_message(codes)}, code="conflict")
        if ReviewAssignment.objects.filter(application=application, reviewer=reviewer).exists():
            raise ValidationError({"reviewer": _("이미 이 신청에 배정된 평가위원입니다.")})
        item = ReviewAssignment.objects.create(
            application=application, reviewer=reviewer, method=method, assigned_by=actor
        )
        record_change(
            actor,
            "review_assignment.create",
            item,
            {"application": application.ref, "reviewer": reviewer.pk, "method": method},
        )
    return item


def auto_assign(call: Call, *, actor: Any) -> list[ReviewAssignment]:
    """Assign every reviewable application of the call its missing reviewers (programmes.assignment).

    The call row is locked: two staff pressing at once assign once (the second finds nothing missing)."""
    _require_staff(actor)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        pairs = auto_assignment_plan(call)
        created = ReviewAssignment.objects.bulk_create(
            [
                ReviewAssignment(
                    application=app, reviewer=reviewer, method=ReviewAssignment.Method.AUTO, assigned_by=actor
                )
                for app, reviewer in pairs
            ]
        )
        if created:
            record_change(
                actor,
                "review_assignment.auto",
                call,
                {"assignments": [[app.ref, reviewer.pk] for app, reviewer in pairs]},
            )
    return created


def unassign_reviewer(item: ReviewAssignment, *, actor: Any) -> None:
    """Remove an assignment before any review of it."""
    _require_staff(actor)
    with transaction.atomic():
        item = ReviewAssignment.objects.select_for_update().select_related("application").get(pk=item.pk)
        if item.state == ReviewAssignment.State.SUBMITTED or Review.objects.filter(assignment=item).exists():
            raise ValidationError(_("평가가 제출된 배정은 취소할 수 없습니다."))
        details = {"application": item.application.ref, "reviewer": item.reviewer_id, "state": item.state}
        record_change(actor, "review_assignment.delete", item, details)
        item.delete()


# --- the reviewer's side ------------------------------------------------------------------------------


def _own_open(item: ReviewAssignment, actor: Any, states: Iterable[str]) -> ReviewAssignment:
    """The assignment locked, if it is the actor's, unconflicted and in one of `states`."""
    item = (
        ReviewAssignment.objects.select_for_update()
        .select_related("application", "application__call", "reviewer")
        .get(pk=item.pk)
    )
    if item.reviewer.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("본인에게 배정된 평가만 할 수 있습니다."))
    if conflicts_of(item.reviewer, item.application):
        raise PermissionDenied(_("이해충돌이 있는 신청은 평가할 수 없습니다."))
    if item.state not in states:
        raise ValidationError(
            _("이 배정은 지금 이 단계를 진행할 수 없습니다: %(state)s") % {"state": item.get_state_display()}
        )
    return item


def declare_no_conflict(item: ReviewAssignment, *, actor: Any) -> ReviewAssignment:
    """The reviewer states they have no conflict with the consortium: the application opens to them."""
    with transaction.atomic():
        item = _own_open(item, actor, [ReviewAssignment.State.ASSIGNED])
        item.state = ReviewAssignment.State.OPEN
        item.declared_at = timezone.now()
        item.save(update_fields=["state", "declared_at", "updated_at"])
        record_change(actor, "review_assignment.declare_no_conflict", item, {"state": ["assigned", "open"]})
    return item


def declare_conflict(item: ReviewAssignment, *, actor: Any, firm: Any, reason: str) -> ReviewAssignment:
    """The reviewer declares a conflict with a member firm: recorded (code `declared`), and they recuse."""
    with transaction.atomic():
        item = _own_open(item, actor, [ReviewAssignment.State.ASSIGNED, ReviewAssignment.State.OPEN])
        members = set(item.application.consortium.members.values_list("firm_id", flat=True))
        if firm.pk not in members:
            raise ValidationError({"firm": _("이 협력체의 참여기업이 아닙니다.")})
        DeclaredConflict.objects.get_or_create(reviewer=item.reviewer, firm=firm, defaults={"reason": reason})
        item.state = ReviewAssignment.State.RECUSED
        item.recused_at = timezone.now()
        item.recusal_reason = reason
        item.save(update_fields=["state", "recused_at", "recusal_reason", "updated_at"])
        record_change(actor, "review_assignment.declare_conflict", item, {"firm": firm.pk, "reason": reason})
    return item


def recuse(item: ReviewAssignment, *, actor: Any, reason: str) -> ReviewAssignment:
    """The reviewer steps back from an assignment not yet scored (reason required)."""
    if not reason.strip():
        raise ValidationError({"reason": _("회피 사유를 입력해 주세요.")})
    with transaction.atomic():
        item = _own_open(item, actor, [ReviewAssignment.State.ASSIGNED, ReviewAssignment.State.OPEN])
        item.state = ReviewAssignment.State.RECUSED
        item.recused_at = timezone.now()
        item.recusal_reason = reason.strip()
        item.save(update_fields=["state", "recused_at", "recusal_reason", "updated_at"])
        record_change(actor, "review_assignment.recuse", item, {"reason": item.recusal_reason})
    return item


def points_text(points: Decimal) -> str:
    """Points as people write them: 40, 12.5 (never 4E+1)."""
    return str(int(points)) if points == points.to_integral_value() else format(points.normalize(), "f")


def criteria_of(call: Call) -> list[dict[str, Any]]:
    return [c for c in (call.criteria or []) if c.get("code")]


def check_criterion_scores(
    call: Call, scores: dict[str, Any]
) -> tuple[dict[str, str], Decimal, dict[str, str]]:
    """Points per criterion (each 0..its points) → (scores as strings, total, errors by criterion code)."""
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    total = Decimal(0)
    for criterion in criteria_of(call):
        code = criterion["code"]
        value = scores.get(code)
        if value is None or value == "":
            errors[code] = _("점수를 입력해 주세요.")
            continue
        points = Decimal(str(criterion.get("points", 0)))
        value = Decimal(str(value))
        if value < 0 or value > points:
            errors[code] = _("0점부터 %(points)s점까지 입력할 수 있습니다.") % {"points": points_text(points)}
            continue
        cleaned[code] = str(value)
        total += value
    return cleaned, total, errors


def submit_review(
    item: ReviewAssignment, *, actor: Any, criterion_scores: dict[str, Any], comment: str
) -> Review:
    """Score an open assignment once: points per criterion of the call, the total, a comment."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("평가 의견을 입력해 주세요.")})
    with transaction.atomic():
        item = _own_open(item, actor, [ReviewAssignment.State.OPEN])
        cleaned, total, errors = check_criterion_scores(item.application.call, criterion_scores)
        if errors:
            raise ValidationError({f"criterion_{code}": message for code, message in errors.items()})
        if total > 100:
            raise ValidationError(_("총점은 100점을 넘을 수 없습니다."))
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    assignment=item,
                    application=item.application,
                    reviewer=item.reviewer,
                    score=total,
                    criterion_scores=cleaned,
                    comment=comment.strip(),
                    submitted_at=timezone.now(),
                )
        except IntegrityError as error:
            raise ValidationError(_("이미 평가를 제출했습니다.")) from error
        item.state = ReviewAssignment.State.SUBMITTED
        item.save(update_fields=["state", "updated_at"])
        record_change(actor, "review.submit", review, {"score": str(total), "criteria": cleaned})
    return review


def queue_of(user: Any) -> list[ReviewAssignment]:
    """The reviewer's assignments, those with a conflict (computed now) left out."""
    reviewer = Reviewer.objects.filter(user=user).first()
    if reviewer is None:
        return []
    items = list(
        ReviewAssignment.objects.filter(reviewer=reviewer)
        .select_related("application", "application__call")
        .order_by("-application__call__opens_on", "application__ref")
    )
    conflicts = conflict_map([reviewer], [i.application for i in items])
    return [i for i in items if (reviewer.pk, i.application_id) not in conflicts]
