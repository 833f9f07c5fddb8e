"""Every change of a competition: set-up, entries, reviewer assignment, scores, awards, success stories.

Each is one transaction that locks the row it changes (or the competition's, for assignments and awards),
writes one audit row (`core.audit.record_change`) and notifies after the commit. Who may do what:
- the competition's managers (`Competition.objects.managed_by`, i.e. the event's) set it up, assign
  reviewers, see the ranking and record the awards; central staff turn a winning entry into a story
  (`stories.services.start_story` decides the rest);
- an exchange group's officer enters for the group, a consortium's lead firm's users for the consortium;
- an assigned reviewer without a conflict scores the entry.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_change
from yunghap.core.korean import fill
from yunghap.core.messenger import notify
from yunghap.core.versions import bump_version, lock_version

from . import message_codes
from .conflicts import conflict_map, conflicts_of
from .models import Award, Competition, Criterion, Entry, Prize, ReviewerAssignment, Score, ScoreSheet
from .ranking import Ranked, Row, rank, sheet_total


@dataclass(frozen=True)
class CriterionInput:
    name: str
    weight: int
    max_points: int


def _manager(competition: Competition, actor: Any) -> None:
    if not Competition.objects.managed_by(actor).filter(pk=competition.pk).exists():
        raise PermissionDenied(_("이 경진대회를 운영하는 담당자만 할 수 있습니다."))


def criteria_error(criteria: list[CriterionInput]) -> str:
    if not criteria:
        return _("평가 항목을 하나 이상 입력해 주세요.")
    if len({c.name for c in criteria}) != len(criteria):
        return _("평가 항목 이름이 겹칩니다.")
    if sum(c.weight for c in criteria) != 100:
        return fill(
            _("가중치의 합은 100이어야 합니다(지금 %(sum)s)."), {"sum": sum(c.weight for c in criteria)}
        )
    return ""


def prizes_error(prizes: list[tuple[int, str]]) -> str:
    ranks = sorted(r for r, _name in prizes)
    if not prizes:
        return _("시상 내역을 하나 이상 입력해 주세요.")
    if ranks != list(range(1, len(ranks) + 1)):
        return _("시상 순위는 1위부터 빠짐없이 차례로 입력해 주세요.")
    return ""


def _check_setup(
    entry_opens: Any, entry_closes: Any, criteria: list[CriterionInput], prizes: list[tuple[int, str]]
) -> None:
    errors: dict[str, str] = {}
    if entry_closes < entry_opens:
        errors["entry_closes"] = _("출품 마감일은 시작일보다 빠를 수 없습니다.")
    if error := criteria_error(criteria):
        errors["criteria"] = error
    if error := prizes_error(prizes):
        errors["prizes"] = error
    if errors:
        raise ValidationError(errors)


def _write_rows(
    competition: Competition, criteria: list[CriterionInput], prizes: list[tuple[int, str]]
) -> None:
    competition.criteria.all().delete()
    competition.prizes.all().delete()
    Criterion.objects.bulk_create(
        Criterion(competition=competition, position=i, name=c.name, weight=c.weight, max_points=c.max_points)
        for i, c in enumerate(criteria, start=1)
    )
    Prize.objects.bulk_create(Prize(competition=competition, rank=r, name=name) for r, name in sorted(prizes))


def _rows_as_data(criteria: list[CriterionInput], prizes: list[tuple[int, str]]) -> dict[str, Any]:
    return {
        "criteria": [[c.name, c.weight, c.max_points] for c in criteria],
        "prizes": [[r, name] for r, name in sorted(prizes)],
    }


@transaction.atomic
def set_up(
    event: Any,
    *,
    actor: Any,
    entry_opens: Any,
    entry_closes: Any,
    reviews_per_entry: int,
    criteria: list[CriterionInput],
    prizes: list[tuple[int, str]],
) -> Competition:
    """Make `event` (of kind competition, run by `actor`) a competition."""
    from yunghap.events.models import Event

    if not Event.objects.managed_by(actor).filter(pk=event.pk).exists():
        raise PermissionDenied(_("이 행사를 운영하는 담당자만 할 수 있습니다."))
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.kind != Event.Kind.COMPETITION:
        raise ValidationError(_("종류가 경진대회인 행사만 경진대회로 설정할 수 있습니다."), code="kind")
    if Competition.objects.filter(event=event).exists():
        raise ValidationError(_("이 행사는 이미 경진대회로 설정되어 있습니다."), code="exists")
    _check_setup(entry_opens, entry_closes, criteria, prizes)
    competition = Competition.objects.create(
        event=event,
        entry_opens=entry_opens,
        entry_closes=entry_closes,
        reviews_per_entry=reviews_per_entry,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _write_rows(competition, criteria, prizes)
    record_change(
        actor,
        "competitions.competition.create",
        competition,
        {
            "event": event.code,
            "entry_opens": entry_opens,
            "entry_closes": entry_closes,
            "reviews_per_entry": reviews_per_entry,
            **_rows_as_data(criteria, prizes),
        },
    )
    return competition


@transaction.atomic
def change_setup(
    competition: Competition,
    *,
    actor: Any,
    entry_opens: Any,
    entry_closes: Any,
    reviews_per_entry: int,
    criteria: list[CriterionInput],
    prizes: list[tuple[int, str]],
    expected_version: int | None = None,
) -> Competition:
    """Change the window, the reviews per entry, the criteria and the prizes; the criteria not once scoring
    has begun, nothing once the awards are recorded."""
    _manager(competition, actor)
    lock_version(competition, expected_version)
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if competition.awards.exists():
        raise ValidationError(_("수상이 기록된 경진대회는 바꿀 수 없습니다."), code="awarded")
    _check_setup(entry_opens, entry_closes, criteria, prizes)
    before = [CriterionInput(c.name, c.weight, c.max_points) for c in competition.criteria.all()]
    before_prizes = [(p.rank, p.name) for p in competition.prizes.all()]
    scored = ScoreSheet.objects.filter(assignment__entry__competition=competition).exists()
    if before != criteria and scored:
        raise ValidationError(
            {"criteria": _("평가가 시작된 뒤에는 평가 항목을 바꿀 수 없습니다.")}, code="scored"
        )
    changes: dict[str, Any] = {}
    for name, value in (
        ("entry_opens", entry_opens),
        ("entry_closes", entry_closes),
        ("reviews_per_entry", reviews_per_entry),
    ):
        if getattr(competition, name) != value:
            setattr(competition, name, value)
            changes[name] = value
    if before != criteria or before_prizes != sorted(prizes):
        if before != criteria:
            competition.criteria.all().delete()
            Criterion.objects.bulk_create(
                Criterion(
                    competition=competition, position=i, name=c.name, weight=c.weight, max_points=c.max_points
                )
                for i, c in enumerate(criteria, start=1)
            )
        competition.prizes.all().delete()
        Prize.objects.bulk_create(Prize(competition=competition, rank=r, name=n) for r, n in sorted(prizes))
        changes.update(_rows_as_data(criteria, prizes))
    if changes:
        bump_version(competition)
        competition.save()
        record_change(actor, "competitions.competition.update", competition, changes)
    return competition


# --- entries


def entrant_choices(user: Any, competition: Competition | None = None) -> tuple[list[Any], list[Any]]:
    """(groups, consortia) `user` may enter for: the groups they are officer of, the consortia led by
    their firm; without those that already entered `competition`."""
    from yunghap.network.models import ExchangeGroup
    from yunghap.programmes.models import Consortium

    scope = scope_of(user)
    groups = ExchangeGroup.objects.filter(pk__in=scope.officer_group_ids).order_by("name")
    consortia = Consortium.objects.filter(lead_id__in=scope.firm_ids).select_related("call").order_by("-id")
    if competition is not None:
        groups = groups.exclude(pk__in=competition.entries.filter(group__isnull=False).values("group_id"))
        consortia = consortia.exclude(
            pk__in=competition.entries.filter(consortium__isnull=False).values("consortium_id")
        )
    return list(groups), list(consortia)


def may_make(user: Any, entry: Entry) -> bool:
    """The group's officer, or a user of the consortium's lead firm."""
    scope = scope_of(user)
    if entry.group_id:
        return entry.group_id in scope.officer_group_ids
    return entry.consortium is not None and entry.consortium.lead_id in scope.firm_ids


def window_error(competition: Competition) -> str:
    today = timezone.localdate()
    if today < competition.entry_opens:
        return fill(_("출품은 %(day)s부터 받습니다."), {"day": f"{competition.entry_opens:%Y-%m-%d}"})
    if today > competition.entry_closes:
        return fill(_("출품이 %(day)s에 마감되었습니다."), {"day": f"{competition.entry_closes:%Y-%m-%d}"})
    return ""


@transaction.atomic
def create_entry(
    competition: Competition,
    *,
    actor: Any,
    group: Any = None,
    consortium: Any = None,
    title: str,
    summary: str,
) -> Entry:
    """A draft entry for a group (by its officer) or a consortium (by its lead firm's user), in the window."""
    if (group is None) == (consortium is None):
        raise ValidationError({"entrant": _("교류회와 협력체 중 하나만 골라 주세요.")}, code="entrant")
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    entry = Entry(competition=competition, group=group, consortium=consortium, title=title, summary=summary)
    if not may_make(actor, entry):
        raise PermissionDenied(_("교류회 회장(임원)이나 협력체 주관기업 담당자만 출품할 수 있습니다."))
    if error := window_error(competition):
        raise ValidationError(error, code="window")
    entry.created_by = actor
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise ValidationError(
            {"entrant": _("이 교류회·협력체는 이미 이 경진대회에 출품했습니다.")}, code="exists"
        ) from None
    record_change(
        actor,
        "competitions.entry.create",
        entry,
        {
            "competition": competition.pk,
            "group": group and group.pk,
            "consortium": consortium and consortium.pk,
        },
    )
    return entry


def _lock_entry(entry: Entry) -> Entry:
    return (
        Entry.objects.select_for_update(of=("self",))
        .select_related("competition", "consortium")
        .get(pk=entry.pk)
    )


def _maker(entry: Entry, actor: Any) -> None:
    if not may_make(actor, entry):
        raise PermissionDenied(_("출품한 교류회 회장(임원)이나 협력체 주관기업 담당자만 할 수 있습니다."))


@transaction.atomic
def edit_entry(
    entry: Entry, *, actor: Any, title: str, summary: str, expected_version: int | None = None
) -> Entry:
    lock_version(entry, expected_version)
    entry = _lock_entry(entry)
    _maker(entry, actor)
    if entry.status == Entry.Status.SUBMITTED and window_error(entry.competition):
        raise ValidationError(_("출품 기간이 지나 제출한 출품작을 고칠 수 없습니다."), code="window")
    changes = {n: v for n, v in (("title", title), ("summary", summary)) if getattr(entry, n) != v}
    if changes:
        for name, value in changes.items():
            setattr(entry, name, value)
        bump_version(entry)
        entry.save()
        record_change(actor, "competitions.entry.update", entry, changes)
    return entry


@transaction.atomic
def submit_entry(entry: Entry, *, actor: Any) -> Entry:
    entry = _lock_entry(entry)
    _maker(entry, actor)
    if entry.status == Entry.Status.SUBMITTED:
        raise ValidationError(_("이미 제출한 출품작입니다."), code="state")
    if error := window_error(entry.competition):
        raise ValidationError(error, code="window")
    before = entry.status
    entry.status = Entry.Status.SUBMITTED
    entry.submitted_by = actor
    entry.submitted_at = timezone.now()
    bump_version(entry)
    entry.save()
    record_change(actor, "competitions.entry.submit", entry, {"status": [before, entry.status]})
    return entry


@transaction.atomic
def withdraw_entry(entry: Entry, *, actor: Any) -> Entry:
    entry = _lock_entry(entry)
    _maker(entry, actor)
    if entry.status != Entry.Status.SUBMITTED:
        raise ValidationError(_("제출한 출품작만 철회할 수 있습니다."), code="state")
    if entry.competition.awards.exists():
        raise ValidationError(_("수상이 기록된 뒤에는 철회할 수 없습니다."), code="awarded")
    entry.status = Entry.Status.WITHDRAWN
    bump_version(entry)
    entry.save()
    record_change(actor, "competitions.entry.withdraw", entry, {"status": ["submitted", "withdrawn"]})
    return entry


# --- reviewers


def reviewer_pool() -> Any:
    """The programmes' reviewer pool: the reviewers currently appointed."""
    from yunghap.programmes.models import Reviewer

    return Reviewer.objects.filter(is_active=True, user__is_active=True).select_related("user", "affiliation")


def _notify_assigned(pairs: list[ReviewerAssignment]) -> None:
    for item in pairs:
        notify(
            [item.reviewer.user],
            code=message_codes.ASSIGNED,
            params={"competition": item.entry.competition.event.title, "entry": item.entry.title},
            link=reverse("competitions:score", args=[item.pk]),
        )


def _refuse_if_awarded(competition: Competition) -> None:
    if competition.awards.exists():
        raise ValidationError(_("수상이 기록된 경진대회는 바꿀 수 없습니다."), code="awarded")


@transaction.atomic
def assign_reviewer(entry: Entry, reviewer: Any, *, actor: Any) -> ReviewerAssignment:
    """Assign one reviewer by hand; never one with a conflict (the calls' rule)."""
    _manager(entry.competition, actor)
    competition = Competition.objects.select_for_update().get(pk=entry.competition_id)
    _refuse_if_awarded(competition)
    entry = Entry.objects.select_related("competition__event").get(pk=entry.pk)
    if entry.status != Entry.Status.SUBMITTED:
        raise ValidationError(_("제출된 출품작에만 평가위원을 배정합니다."), code="state")
    if not reviewer_pool().filter(pk=reviewer.pk).exists():
        raise ValidationError({"reviewer": _("위촉 중인 평가위원이 아닙니다.")}, code="inactive")
    codes = conflicts_of(reviewer, entry)
    if codes:
        raise ValidationError(
            {
                "reviewer": fill(
                    _("이해충돌이 있어 배정할 수 없습니다(%(codes)s)."), {"codes": ", ".join(codes)}
                )
            },
            code="conflict",
        )
    if ReviewerAssignment.objects.filter(entry=entry, reviewer=reviewer).exists():
        raise ValidationError({"reviewer": _("이미 배정된 평가위원입니다.")}, code="exists")
    item = ReviewerAssignment.objects.create(
        entry=entry, reviewer=reviewer, method=ReviewerAssignment.Method.MANUAL, assigned_by=actor
    )
    record_change(actor, "competitions.assignment.create", item, {"entry": entry.pk, "reviewer": reviewer.pk})
    _notify_assigned([item])
    return item


def plan_for(competition: Competition) -> list[tuple[int, int]]:
    """The (entry id, reviewer id) pairs the automatic assignment would add: the programmes' planner
    (`programmes.assignment.plan_assignments`: no conflict, balanced loads) over this competition."""
    from yunghap.programmes.assignment import Slot, plan_assignments

    entries = list(
        competition.entries.filter(status=Entry.Status.SUBMITTED).only(
            "pk", "competition_id", "group_id", "consortium_id"
        )
    )
    reviewers = list(reviewer_pool())
    if not entries or not reviewers:
        return []
    assigned: dict[int, set[int]] = defaultdict(set)
    loads: dict[int, int] = defaultdict(int)
    for entry_id, reviewer_id in ReviewerAssignment.objects.filter(
        entry__competition=competition
    ).values_list("entry_id", "reviewer_id"):
        assigned[entry_id].add(reviewer_id)
        loads[reviewer_id] += 1
    slots = [
        Slot(
            application=e.pk,
            needed=max(0, competition.reviews_per_entry - len(assigned[e.pk])),
            assigned=frozenset(assigned[e.pk]),
        )
        for e in entries
    ]
    conflicts = conflict_map(reviewers, entries)
    return plan_assignments(slots, [r.pk for r in reviewers], conflicts, {}, loads)


@transaction.atomic
def auto_assign(competition: Competition, *, actor: Any) -> list[ReviewerAssignment]:
    _manager(competition, actor)
    competition = Competition.objects.select_for_update().select_related("event").get(pk=competition.pk)
    _refuse_if_awarded(competition)
    pairs = plan_for(competition)
    items = ReviewerAssignment.objects.bulk_create(
        ReviewerAssignment(
            entry_id=entry_id,
            reviewer_id=reviewer_id,
            method=ReviewerAssignment.Method.AUTO,
            assigned_by=actor,
        )
        for entry_id, reviewer_id in pairs
    )
    if items:
        record_change(
            actor, "competitions.competition.auto_assign", competition, {"pairs": [list(p) for p in pairs]}
        )
        _notify_assigned(
            list(
                ReviewerAssignment.objects.filter(pk__in=[i.pk for i in items]).select_related(
                    "reviewer__user", "entry__competition__event"
                )
            )
        )
    return items


# --- scores


def assignment_for(user: Any, pk: int) -> ReviewerAssignment | None:
    """The user's own assignment, if they have no conflict with the entry (else None: a 404)."""
    if not scope_of(user).authenticated:
        return None
    item = (
        ReviewerAssignment.objects.filter(pk=pk, reviewer__user_id=user.pk)
        .select_related("reviewer", "entry__competition__event", "entry__group", "entry__consortium")
        .first()
    )
    if item is None or conflicts_of(item.reviewer, item.entry):
        return None
    return item


def parse_points(value: Any, criterion: Criterion) -> Decimal:
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("점수를 숫자로 입력해 주세요."), code="points") from None
    if not points.is_finite() or points < 0 or points > criterion.max_points:
        raise ValidationError(
            fill(_("점수는 0점부터 %(max)s점까지입니다."), {"max": criterion.max_points}), code="points"
        )
    if points != points.quantize(Decimal("0.1")):
        raise ValidationError(_("점수는 소수점 한 자리까지 입력합니다."), code="points")
    return points


@transaction.atomic
def submit_scores(
    assignment: ReviewerAssignment, *, actor: Any, scores: dict[int, tuple[Any, str]]
) -> ScoreSheet:
    """The reviewer's points and comment for every criterion (criterion id → (points, comment))."""
    item = assignment_for(actor, assignment.pk)
    if item is None:
        raise PermissionDenied(_("배정받은 평가위원만 평가할 수 있습니다."))
    competition = Competition.objects.select_for_update().get(pk=item.entry.competition_id)
    _refuse_if_awarded(competition)
    item = ReviewerAssignment.objects.select_for_update().select_related("entry").get(pk=item.pk)
    if item.entry.status != Entry.Status.SUBMITTED:
        raise ValidationError(_("제출된 출품작만 평가할 수 있습니다."), code="state")
    if ScoreSheet.objects.filter(assignment=item).exists():
        raise ValidationError(_("이미 평가를 제출했습니다."), code="exists")
    criteria = list(competition.criteria.all())
    errors: dict[str, list[str]] = {}
    rows: list[tuple[Criterion, Decimal, str]] = []
    for criterion in criteria:
        raw, comment = scores.get(criterion.pk, ("", ""))
        try:
            points = parse_points(raw, criterion)
        except ValidationError as exc:
            errors[f"points_{criterion.pk}"] = exc.messages
            points = Decimal(0)
        comment = (comment or "").strip()
        if not comment:
            errors[f"comment_{criterion.pk}"] = [_("항목마다 평가 의견을 적어 주세요.")]
        rows.append((criterion, points, comment))
    if errors:
        raise ValidationError(errors)
    total = sheet_total((p, c.weight, c.max_points) for c, p, _comment in rows)
    sheet = ScoreSheet.objects.create(assignment=item, total=total, submitted_at=timezone.now())
    Score.objects.bulk_create(Score(sheet=sheet, criterion=c, points=p, comment=m) for c, p, m in rows)
    record_change(
        actor,
        "competitions.sheet.create",
        sheet,
        {"entry": item.entry_id, "total": total, "scores": {c.name: p for c, p, _m in rows}},
    )
    return sheet


# --- ranking and awards


def ranking_of(competition: Competition) -> list[tuple[Ranked, Entry]]:
    """The ranking (`competitions.ranking.rank`) of the submitted entries, with the entries."""
    entries = {
        e.pk: e
        for e in competition.entries.filter(status=Entry.Status.SUBMITTED).select_related(
            "group", "consortium__lead"
        )
    }
    totals: dict[int, list[Decimal]] = defaultdict(list)
    for entry_id, total in ScoreSheet.objects.filter(assignment__entry_id__in=list(entries)).values_list(
        "assignment__entry_id", "total"
    ):
        totals[entry_id].append(total)
    rows = [Row(pk, tuple(totals[pk]), e.submitted_at) for pk, e in entries.items()]
    return [(r, entries[r.entry]) for r in rank(rows, sheets_required=competition.reviews_per_entry)]


def awards_error(competition: Competition) -> str:
    """Why the awards cannot be recorded now ("" when they can)."""
    if competition.awards.exists():
        return _("수상은 이미 기록되었습니다. 기록된 수상은 바꿀 수 없습니다.")
    if timezone.localdate() <= competition.entry_closes:
        return _("출품 마감 뒤에 수상을 기록할 수 있습니다.")
    ranked = [r for r, _e in ranking_of(competition) if r.rank is not None]
    if not ranked:
        return _("평가를 마친 출품작이 없습니다.")
    submitted = competition.entries.filter(status=Entry.Status.SUBMITTED).count()
    if len(ranked) < submitted:
        return fill(
            _("평가를 마치지 않은 출품작이 %(count)s건 있습니다."), {"count": submitted - len(ranked)}
        )
    return ""


def planned_awards(competition: Competition) -> list[tuple[Prize, Ranked, Entry]]:
    """Each prize with the entry that holds its rank (prizes below the last ranked entry are not given)."""
    by_rank = {r.rank: (r, e) for r, e in ranking_of(competition) if r.rank is not None}
    return [(p, *by_rank[p.rank]) for p in competition.prizes.all() if p.rank in by_rank]


@transaction.atomic
def record_awards(competition: Competition, *, actor: Any) -> list[Award]:
    """Give each prize to the entry of its rank, once and for all."""
    _manager(competition, actor)
    competition = Competition.objects.select_for_update().select_related("event").get(pk=competition.pk)
    if error := awards_error(competition):
        raise ValidationError(error, code="awards")
    awards = []
    for prize, ranked, entry in planned_awards(competition):
        assert ranked.score is not None and ranked.rank is not None
        awards.append(
            Award.objects.create(
                competition=competition,
                rank=ranked.rank,
                prize_name=prize.name,
                entry=entry,
                score=ranked.score,
                recorded_by=actor,
            )
        )
    record_change(
        actor,
        "competitions.awards.create",
        competition,
        {"awards": [[a.rank, a.prize_name, a.entry_id, a.score] for a in awards]},
    )
    for award in awards:
        people = [u for u in (award.entry.created_by, award.entry.submitted_by) if u is not None]
        notify(
            people,
            code=message_codes.AWARDED,
            params={
                "competition": competition.event.title,
                "entry": award.entry.title,
                "rank": award.rank,
                "prize": award.prize_name,
            },
            link=reverse("competitions:entry_detail", args=[award.entry_id]),
        )
    return awards


# --- success stories


def story_agreement(entry: Entry) -> Any:
    """The agreement a consortium entry's story is about (a story tells a consortium's agreement)."""
    if not entry.consortium_id:
        return None
    from yunghap.programmes.models import Agreement

    return Agreement.objects.filter(application__consortium_id=entry.consortium_id).first()


def story_error(entry: Entry) -> str:
    """Why this entry cannot become a success story now ("" when it can)."""
    from yunghap.stories.services import good_result_error

    if not Award.objects.filter(entry=entry).exists():
        return _("수상한 출품작만 성공사례로 등록할 수 있습니다.")
    if entry.story_id:
        return _("이 출품작은 이미 성공사례로 등록되었습니다.")
    if entry.group_id:
        return ""  # a group's story tells its award (stories.services.start_group_story)
    agreement = story_agreement(entry)
    if agreement is None:
        return _("이 협력체에는 협약이 없어 성공사례로 등록할 수 없습니다.")
    return good_result_error(agreement)


@transaction.atomic
def make_story(entry: Entry, *, actor: Any) -> Any:
    """Start a success story of a winning entry through `stories.services.start_story` (central staff)."""
    from yunghap.stories.services import start_group_story, start_story

    if not scope_of(actor).central:
        raise PermissionDenied(_("성공사례는 중앙연합회 직원이 시작합니다."))
    entry = _lock_entry(entry)
    if error := story_error(entry):
        raise ValidationError(error, code="story")
    if entry.group_id:
        award = Award.objects.select_related("competition__event").get(entry=entry)
        achievement = {
            "title": award.competition.event.title,
            "prize": award.prize_name,
            "on": f"{timezone.localtime(award.recorded_at):%Y-%m-%d}",
        }
        story = start_group_story(entry.group, achievement=achievement, actor=actor)
    else:
        story = start_story(story_agreement(entry), actor=actor)
    entry.story = story
    entry.save(update_fields=["story"])
    record_change(actor, "competitions.entry.story", entry, {"story": story.pk})
    return story
