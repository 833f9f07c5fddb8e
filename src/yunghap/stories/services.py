"""Every change of a success story: start (pre-filled from the records), edit, and the workflow's moves.

Each is one transaction that locks the story's row (or the agreement's, to start), writes one audit row and
notifies after the commit. Who may do what is `stories.workflow.MOVES`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.core.audit import record_change
from yunghap.core.korean import fill
from yunghap.core.messenger import notify
from yunghap.core.versions import bump_version, lock_version
from yunghap.programmes.models import Agreement

from . import message_codes
from .models import StoryConsent, StoryState, SuccessStory
from .workflow import MOVES, may

# A good result (decisions.md): the settlement is closed and the final grade is 우수 or 보통; a 미흡 result,
# however sincere, is not held up as an example.
GOOD_GRADES = (Agreement.Grade.EXCELLENT, Agreement.Grade.FAIR)


def good_result_error(agreement: Agreement) -> str:
    """Why this agreement cannot become a story ("" when it can)."""
    if agreement.status != Agreement.Status.SETTLED:
        return _("정산이 끝난 협약만 성공사례로 만들 수 있습니다.")
    if agreement.grade not in GOOD_GRADES:
        return _("최종 평가가 우수 또는 보통인 협약만 성공사례로 만들 수 있습니다.")
    return ""


def candidates() -> Any:
    """Agreements with a good result and no story under way or published (central staff's start list)."""
    taken = SuccessStory.objects.exclude(state=StoryState.WITHDRAWN).values("agreement_id")
    return (
        Agreement.objects.filter(status=Agreement.Status.SETTLED, grade__in=GOOD_GRADES)
        .exclude(pk__in=taken)
        .select_related("application__consortium__lead", "application__call")
        .order_by("-ends_on", "-id")
    )


def facts_from_records(agreement: Agreement, *, viewer: Any) -> dict[str, Any]:
    """What the records say about the consortium, through the traceable chain (as `viewer` sees it)."""
    from yunghap.activities.models import Outcome
    from yunghap.introductions.models import Introduction
    from yunghap.network.models import ExchangeGroup, Firm
    from yunghap.programmes.chain import chain_of
    from yunghap.programmes.models import ConsortiumMember

    chain = chain_of(agreement, viewer=viewer)
    if chain.application is None:
        raise PermissionDenied(_("이 협약의 기록을 볼 수 없습니다."))
    application = chain.application
    roles = dict(
        ConsortiumMember.objects.filter(
            consortium_id=application.consortium_id, firm_id__in=chain.member_firm_ids
        ).values_list("firm_id", "role")
    )
    firms = {f.pk: f for f in Firm.objects.filter(pk__in=chain.member_firm_ids).select_related("industry")}
    members = [
        {
            "firm_id": firm_id,
            "name": firms[firm_id].name,
            "role": roles.get(firm_id, ConsortiumMember.Role.PARTNER),
            "industry": firms[firm_id].industry.code if firms[firm_id].industry else "",
            "industry_name": firms[firm_id].industry.name if firms[firm_id].industry else "",
        }
        for firm_id in chain.member_firm_ids
    ]
    groups = list(
        ExchangeGroup.objects.filter(pk__in=chain.group_ids).order_by("name").values("code", "name")
    )
    names = {m["firm_id"]: m["name"] for m in members}
    introductions = [
        {
            "seeker": names.get(s, ""),
            "partner": names.get(p, ""),
            "sent_on": f"{timezone.localtime(at):%Y-%m-%d}",
        }
        for s, p, at in Introduction.objects.filter(pk__in=chain.introduction_ids)
        .order_by("sent_at")
        .values_list("seeker_id", "partner_id", "sent_at")
    ]
    results = [
        {"title": title, "kind": kind, "achieved_on": f"{achieved:%Y-%m-%d}"}
        for title, kind, achieved in Outcome.objects.filter(pk__in=chain.outcome_ids)
        .order_by("achieved_on", "id")
        .values_list("title", "kind", "achieved_on")
    ]
    topic = application.topic
    engine = topic.growth_engine if topic else None
    return {
        "ref": application.ref,
        "project": application.title,
        "call": application.call.title,
        "period": [f"{agreement.starts_on:%Y-%m-%d}", f"{agreement.ends_on:%Y-%m-%d}"],
        "grade": agreement.grade,
        "members": members,
        "topic": {"code": topic.code, "title": topic.title} if topic else None,
        "growth_engine": {"code": engine.code, "name": engine.name} if engine else None,
        "money": {
            "government_krw": agreement.government_krw,
            "firm_cash_krw": agreement.firm_cash_krw,
            "firm_inkind_krw": agreement.firm_inkind_krw,
            "firm_krw": agreement.firm_cash_krw + agreement.firm_inkind_krw,
            "total_krw": agreement.government_krw + agreement.firm_cash_krw + agreement.firm_inkind_krw,
        },
        "results": results,
        "groups": groups,
        "introductions": introductions,
    }


def _first_draft(facts: dict[str, Any]) -> str:
    """A first text from the records, for staff to rewrite."""
    lead = next((m["name"] for m in facts["members"] if m["role"] == "lead"), "")
    partners = ", ".join(m["name"] for m in facts["members"] if m["role"] != "lead")
    where = ", ".join(g["name"] for g in facts["groups"]) or _("교류회")
    text = fill(
        _("%(where)s에서 만난 %(lead)s와(과) %(partners)s이(가) '%(project)s' 과제를 함께 수행했습니다."),
        {"where": where, "lead": lead, "partners": partners, "project": facts["project"]},
    )
    money = facts["money"]
    text += " " + fill(
        _("정부지원금 %(government)s원에 기업부담금 %(firm)s원을 더해 모두 %(total)s원이 쓰였습니다."),
        {
            "government": f"{money['government_krw']:,}",
            "firm": f"{money['firm_krw']:,}",
            "total": f"{money['total_krw']:,}",
        },
    )
    if facts["results"]:
        text += " " + fill(
            _("성과: %(results)s."), {"results": ", ".join(r["title"] for r in facts["results"])}
        )
    return text


@transaction.atomic
def start_story(agreement: Agreement, *, actor: Any) -> SuccessStory:
    """Central staff start a story of a settled consortium with a good result, pre-filled from the records."""
    from yunghap.accounts.scope import scope_of
    from yunghap.network.models import ExchangeGroup, Industry

    if not scope_of(actor).central:
        raise PermissionDenied(_("성공사례는 중앙연합회 직원이 시작합니다."))
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    error = good_result_error(agreement)
    if error:
        raise ValidationError(error, code="not_good")
    if SuccessStory.objects.filter(agreement=agreement).exclude(state=StoryState.WITHDRAWN).exists():
        raise ValidationError(_("이 협약의 성공사례가 이미 있습니다."), code="exists")
    facts = facts_from_records(agreement, viewer=actor)
    lead = agreement.application.consortium.lead
    engine_id = agreement.application.topic.growth_engine_id if agreement.application.topic else None
    try:
        with transaction.atomic():
            story = SuccessStory.objects.create(
                agreement=agreement,
                title=facts["project"],
                summary=agreement.application.summary[:1000],
                body=_first_draft(facts),
                facts=facts,
                growth_engine_id=engine_id,
                region_id=lead.federation_id,
                created_by=actor,
            )
    except IntegrityError:  # another staff member started one a moment ago
        raise ValidationError(_("이 협약의 성공사례가 이미 있습니다."), code="exists") from None
    story.industries.set(
        Industry.objects.filter(code__in={m["industry"] for m in facts["members"] if m["industry"]})
    )
    groups = ExchangeGroup.objects.filter(code__in=[g["code"] for g in facts["groups"]])
    story.exchange_types.set(
        {t for g in groups.prefetch_related("exchange_types") for t in g.exchange_types.all()}
    )
    record_change(actor, "stories.story.create", story, {"agreement": agreement.pk, "state": story.state})
    return story


def group_facts(group: Any, achievement: dict[str, str]) -> dict[str, Any]:
    """What a group's story is about: the group, what it achieved (`achievement`: `title`, `prize`, `on`),
    and its current member firms (each of them consents before the story is published)."""
    from yunghap.network.models import Firm, Membership

    member_ids = (
        Membership.objects.current().filter(group=group).values_list("firm_id", flat=True).order_by("firm_id")
    )
    firms = Firm.objects.filter(pk__in=list(member_ids)).select_related("industry").order_by("name")
    return {
        "kind": "group",
        "group": {"code": group.code, "name": group.name},
        "achievement": dict(achievement),
        "members": [
            {
                "firm_id": firm.pk,
                "name": firm.name,
                "role": "member",
                "industry": firm.industry.code if firm.industry else "",
                "industry_name": firm.industry.name if firm.industry else "",
            }
            for firm in firms
        ],
        "groups": [{"code": group.code, "name": group.name}],
        "introductions": [],
        "results": [],
    }


@transaction.atomic
def start_group_story(group: Any, *, achievement: dict[str, str], actor: Any) -> SuccessStory:
    """Central staff start the story of an exchange group's achievement (a competition's award): the same
    workflow as a consortium's (every member firm consents before it is published)."""
    from yunghap.accounts.scope import scope_of
    from yunghap.network.models import ExchangeGroup, Industry

    if not scope_of(actor).central:
        raise PermissionDenied(_("성공사례는 중앙연합회 직원이 시작합니다."))
    group = ExchangeGroup.objects.select_for_update().get(pk=group.pk)
    facts = group_facts(group, achievement)
    if not facts["members"]:
        raise ValidationError(
            _("현재 회원사가 없는 교류회는 성공사례로 만들 수 없습니다."), code="no_members"
        )
    body = fill(
        _("%(group)s이(가) '%(title)s'에서 %(prize)s을(를) 받았습니다."),
        {"group": group.name, "title": achievement["title"], "prize": achievement["prize"]},
    )
    story = SuccessStory.objects.create(
        group=group,
        title=fill(_("%(group)s, %(prize)s 수상"), {"group": group.name, "prize": achievement["prize"]}),
        body=body,
        facts=facts,
        region_id=group.federation_id,
        created_by=actor,
    )
    story.industries.set(
        Industry.objects.filter(code__in={m["industry"] for m in facts["members"] if m["industry"]})
    )
    story.exchange_types.set(group.exchange_types.all())
    record_change(actor, "stories.story.create", story, {"group": group.pk, "state": story.state})
    return story


def _lock(story: SuccessStory) -> SuccessStory:
    return SuccessStory.objects.select_for_update().get(pk=story.pk)


def _check(action: str, story: SuccessStory, actor: Any) -> None:
    move = MOVES[action]
    if not may(action, story, actor):
        raise PermissionDenied(_("이 작업을 할 권한이 없습니다."))
    if story.state not in move.sources:
        raise ValidationError(
            fill(
                _("'%(state)s' 상태에서는 %(action)s을(를) 할 수 없습니다."),
                {"state": story.get_state_display(), "action": str(move.label)},
            ),
            code="state",
        )


@transaction.atomic
def edit_story(
    story: SuccessStory,
    *,
    actor: Any,
    title: str,
    summary: str,
    body: str,
    expected_version: int | None = None,
) -> SuccessStory:
    lock_version(story, expected_version)
    story = _lock(story)
    _check("edit", story, actor)
    changes = {
        name: value
        for name, value in (("title", title), ("summary", summary), ("body", body))
        if getattr(story, name) != value
    }
    if changes:
        for name, value in changes.items():
            setattr(story, name, value)
        bump_version(story)
        story.save()
        record_change(actor, "stories.story.update", story, changes)
    return story


def missing_consents(story: SuccessStory) -> int:
    given = set(StoryConsent.objects.filter(story=story).values_list("firm_id", flat=True))
    return len(set(story.member_firm_ids) - given)


def _member_users(story: SuccessStory) -> list[Any]:
    from yunghap.matching.review import firm_users

    return firm_users(story.member_firm_ids)


@transaction.atomic
def move_story(story: SuccessStory, action: str, *, actor: Any) -> SuccessStory:
    """Make the workflow move `action` (not "edit": see `edit_story`)."""
    if action not in MOVES or action == "edit":
        raise ValueError(action)
    story = _lock(story)
    _check(action, story, actor)
    move = MOVES[action]
    before = story.state
    link = reverse("stories:detail", args=[story.pk])
    changes: dict[str, Any] = {}
    if action == "consent":
        firms = sorted(set(story.member_firm_ids) & set(_actor_firm_ids(actor)))
        given = set(
            StoryConsent.objects.filter(story=story, firm_id__in=firms).values_list("firm_id", flat=True)
        )
        new = [f for f in firms if f not in given]
        StoryConsent.objects.bulk_create(
            [StoryConsent(story=story, firm_id=f, consented_by=actor) for f in new]
        )
        changes = {"consented_firms": new}
        if new and missing_consents(story) == 0:
            staff = [story.created_by] if story.created_by else []
            params = {"title": story.title}
            transaction.on_commit(
                lambda: notify(
                    staff,
                    code=message_codes.CONSENTS_COMPLETE,
                    params=params,
                    link=link,
                    verb="stories.consents_complete",
                )
            )
    elif action == "revoke_consent":
        firms = sorted(set(story.member_firm_ids) & set(_actor_firm_ids(actor)))
        deleted, _rows = StoryConsent.objects.filter(story=story, firm_id__in=firms).delete()
        changes = {"revoked_firms": firms if deleted else []}
    elif action == "revise":
        StoryConsent.objects.filter(story=story).delete()
        changes = {"consents_cleared": True}
    elif action == "publish":
        missing = missing_consents(story)
        if missing:
            raise ValidationError(
                fill(
                    _(
                        "모든 참여기업이 동의해야 게시할 수 있습니다. 아직 동의하지 않은 기업이 %(count)s곳 있습니다."
                    ),
                    {"count": missing},
                ),
                code="consent_missing",
            )
        story.published_at = timezone.now()
    elif action == "withdraw":
        story.withdrawn_at = timezone.now()
    if move.target is not None:
        story.state = move.target
        changes = {**changes, "state": [before, story.state]}
    bump_version(story)
    story.save()
    record_change(actor, f"stories.story.{action}", story, changes)
    params = {"title": story.title}
    if action == "request_consent":
        users = _member_users(story)
        transaction.on_commit(
            lambda: notify(
                users,
                code=message_codes.CONSENT_REQUESTED,
                params=params,
                link=link,
                verb="stories.consent_requested",
            )
        )
    elif action == "publish":
        users = _member_users(story)
        public = reverse("stories:public_detail", args=[story.pk])
        transaction.on_commit(
            lambda: notify(
                users, code=message_codes.PUBLISHED, params=params, link=public, verb="stories.published"
            )
        )
    return story


def _actor_firm_ids(actor: Any) -> frozenset[int]:
    from yunghap.accounts.scope import scope_of

    return scope_of(actor).firm_ids
