"""Changes to promising topics (유망과제): proposing, editing, screening and designating them leading topics.

Who may do what (the pages and the import ask here):
- propose: anyone with network access (firm users, group officers, coordinators, staff), on behalf of one of
  their own firms or groups (staff may also propose in their own name);
- edit: the proposer (the person, or a user of the proposing firm, or an officer of the proposing group)
  while the topic is still `proposed`; staff at any time;
- screen (적합/부적합): staff; designate a leading topic of a call: central staff (`designation`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_change
from yunghap.core.messenger import notify
from yunghap.core.versions import bump_version, lock_version

from . import message_codes
from .designation import designate_leading
from .models import Call, Topic

TITLE_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 4000
NOTE_MAX_LENGTH = 500
CODE_ATTEMPTS = 20


# --- who may -------------------------------------------------------------------------------------------


def may_propose(user: Any) -> bool:
    return scope_of(user).has_network_access


def may_edit(user: Any, topic: Topic) -> bool:
    scope = scope_of(user)
    if scope.staff:
        return True
    if topic.status != Topic.Status.PROPOSED:
        return False
    return is_proposer(user, topic)


def is_proposer(user: Any, topic: Topic) -> bool:
    scope = scope_of(user)
    return bool(
        (topic.proposed_by_id is not None and topic.proposed_by_id == getattr(user, "pk", None))
        or (topic.proposer_firm_id is not None and topic.proposer_firm_id in scope.firm_ids)
        or (topic.proposer_group_id is not None and topic.proposer_group_id in scope.officer_group_ids)
    )


def may_screen(user: Any) -> bool:
    return scope_of(user).staff


def may_designate(user: Any) -> bool:
    return scope_of(user).central


def open_calls() -> Any:
    """Calls a topic can still be designated for: not yet closed (drafts included), soonest first."""
    return Call.objects.filter(closes_on__gte=timezone.localdate()).order_by("closes_on", "code")


# --- codes ---------------------------------------------------------------------------------------------


def _next_code(year: int) -> str:
    prefix = f"T{year}-"
    pattern = re.compile(rf"^T{year}-(\d+)$")
    numbers = [
        int(m[1])
        for m in (
            pattern.match(code)
            for code in Topic.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        )
        if m
    ]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _create_with_code(fields: dict[str, Any]) -> Topic:
    """Insert with the next free code of the year; a parallel insert taking it makes this one try the next
    (the unique constraint decides, inside a savepoint)."""
    year = timezone.localdate().year
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Topic.objects.create(code=_next_code(year), **fields)
        except IntegrityError:
            continue
    raise ValidationError(_("과제 코드를 정하지 못했습니다. 잠시 뒤 다시 저장해 주세요."))


# --- services ------------------------------------------------------------------------------------------


def _clean_text(title: str, summary: str) -> tuple[str, str]:
    title = " ".join(str(title or "").split())
    summary = str(summary or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("과제명을 입력해 주세요.")]
    if not summary:
        errors["summary"] = [_("요약을 입력해 주세요.")]
    if errors:
        raise ValidationError(errors)
    return title, summary


def propose_topic(
    *,
    actor: Any,
    title: str,
    growth_engine: Any,
    summary: str,
    capabilities: Iterable[Any] = (),
    proposer_firm: Any = None,
    proposer_group: Any = None,
) -> Topic:
    title, summary = _clean_text(title, summary)
    capabilities = list(capabilities)
    with transaction.atomic():
        topic = _create_with_code(
            {
                "title": title,
                "growth_engine": growth_engine,
                "summary": summary,
                "status": Topic.Status.PROPOSED,
                "proposed_by": actor if getattr(actor, "pk", None) else None,
                "proposer_firm": proposer_firm,
                "proposer_group": proposer_group,
            }
        )
        topic.capabilities.set(capabilities)
        record_change(
            actor,
            "topic.create",
            topic,
            {
                "code": topic.code,
                "title": title,
                "growth_engine": growth_engine.code,
                "capabilities": sorted(c.name for c in capabilities),
                "proposer_firm": getattr(proposer_firm, "pk", None),
                "proposer_group": getattr(proposer_group, "pk", None),
            },
        )
    return topic


def update_topic(
    topic: Topic,
    *,
    actor: Any,
    expected_version: int | None = None,
    title: str,
    growth_engine: Any,
    summary: str,
    capabilities: Iterable[Any] = (),
) -> Topic:
    title, summary = _clean_text(title, summary)
    capabilities = list(capabilities)
    with transaction.atomic():
        lock_version(topic, expected_version)
        topic.refresh_from_db()
        if not may_edit(actor, topic):
            raise ValidationError(_("검토가 끝난 과제는 연합회 담당자만 고칠 수 있습니다."))
        changes: dict[str, Any] = {}
        for name, value in (("title", title), ("summary", summary)):
            if getattr(topic, name) != value:
                changes[name] = [getattr(topic, name), value]
                setattr(topic, name, value)
        if topic.growth_engine_id != growth_engine.pk:
            changes["growth_engine"] = [topic.growth_engine.code, growth_engine.code]
            topic.growth_engine = growth_engine
        old_caps = sorted(topic.capabilities.values_list("name", flat=True))
        new_caps = sorted(c.name for c in capabilities)
        if old_caps != new_caps:
            changes["capabilities"] = [old_caps, new_caps]
        if not changes:
            return topic
        bump_version(topic)
        topic.save()
        if "capabilities" in changes:
            topic.capabilities.set(capabilities)
        record_change(actor, "topic.update", topic, changes)
    return topic


def save_imported_topic(
    topic: Topic | None, *, code: str, title: str, growth_engine: Any, summary: str, capabilities: list[Any]
) -> Topic:
    """One row of the topics import (its one audit row is the import's): create by code, or update the
    title, engine, summary and capabilities of the topic with that code (status and proposer stay)."""
    if topic is None:
        topic = Topic.objects.create(
            code=code, title=title, growth_engine=growth_engine, summary=summary, status=Topic.Status.PROPOSED
        )
    else:
        Topic.objects.filter(pk=topic.pk).update(
            title=title, growth_engine=growth_engine, summary=summary, version=F("version") + 1
        )
    topic.capabilities.set(capabilities)
    return topic


def _proposer_users(topic: Topic) -> list[Any]:
    return [topic.proposed_by] if topic.proposed_by_id else []


def screen_topic(topic: Topic, *, actor: Any, accepted: bool, note: str = "") -> Topic:
    """적합 (`accepted`) or 부적합 with a note; the proposer is told. A leading topic is not screened again."""
    note = " ".join(str(note or "").split())
    if not accepted and not note:
        raise ValidationError({"note": [_("부적합으로 검토할 때는 의견을 적어 주세요.")]})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": [_("의견은 500자 이내로 적어 주세요.")]})
    with transaction.atomic():
        lock_version(topic, None)
        topic.refresh_from_db()
        if topic.status == Topic.Status.LEADING:
            raise ValidationError(_("선도과제로 지정된 과제는 다시 검토할 수 없습니다."))
        status = Topic.Status.ACCEPTED if accepted else Topic.Status.REJECTED
        before = topic.status
        topic.status = status
        topic.screening_note = note
        topic.screened_by = actor if getattr(actor, "pk", None) else None
        topic.screened_at = timezone.now()
        bump_version(topic)
        topic.save()
        record_change(actor, "topic.screen", topic, {"status": [before, status], "note": note})
        notify(
            _proposer_users(topic),
            code=message_codes.TOPIC_ACCEPTED if accepted else message_codes.TOPIC_REJECTED,
            params={"title": topic.title, "note": note},
            link=reverse("programmes:topic_detail", args=[topic.code]),
            verb="topic.screened",
        )
    return topic


def designate_topic(topic: Topic, call: Call, *, actor: Any) -> bool:
    """Make the topic a leading topic of the call (`designation.designate_leading`) and tell the proposer;
    False when it already was one of that call."""
    with transaction.atomic():
        try:
            done = designate_leading(topic, call, actor=actor)
        except ValueError:
            raise ValidationError(_("부적합으로 검토된 과제는 선도과제로 지정할 수 없습니다.")) from None
        if done:
            notify(
                _proposer_users(topic),
                code=message_codes.TOPIC_LEADING,
                params={"title": topic.title, "call": call.title},
                link=reverse("programmes:topic_detail", args=[topic.code]),
                verb="topic.designated",
            )
    return done


# --- reads: the topic page's matching panels ------------------------------------------------------------

PANEL_SIZE = 20
INDEX_HITS = 60


@dataclass
class FirmMatch:
    """A firm listed on a topic page, with why: the postings (the viewer may see) and the profile that
    hold the topic's capabilities or its growth engine. Registry facts only, never contact data."""

    firm: Any
    capabilities: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)
    same_engine: bool = False

    @property
    def capability_names(self) -> list[str]:
        return sorted(self.capabilities)


def _board_postings(viewer: Any, kind: str) -> Any:
    """The postings of `kind` the board shows this viewer: approved, open, visible (matching's rules)."""
    from yunghap.matching.models import Posting

    return (
        Posting.objects.visible_to(viewer)
        .open()
        .filter(kind=kind, review_status=Posting.ReviewStatus.APPROVED)
    )


def _profile_capabilities(needed: dict[int, str]) -> dict[int, set[str]]:
    """Firms whose profile technologies and products (analysed terms, `FirmProfileAnalysis`) name the
    needed capabilities, through the matching index: firm id → capability names."""
    from yunghap.matching.index import Query
    from yunghap.matching.models import FirmProfileAnalysis
    from yunghap.matching.store import get_index

    index = get_index()
    hits = index.search("supply", [Query(list(needed.values()))], top=INDEX_HITS)
    if not hits:
        return {}
    found: dict[int, set[str]] = {}
    for firm_id, terms in FirmProfileAnalysis.objects.filter(
        firm_id__in=[h.firm_id for h in hits], firm__status="active"
    ).values_list("firm_id", "terms"):
        names = {needed[c] for c in index.vocabulary.capabilities_of(terms or []) if c in needed}
        if names:
            found[firm_id] = names
    return found


def _firms(ids: Iterable[int]) -> dict[int, Any]:
    from yunghap.network.models import Firm

    # Registry facts only: no representative, phone or e-mail is read for these panels.
    return (
        Firm.objects.select_related("industry", "federation")
        .only("id", "name", "industry__code", "industry__name", "federation__name")
        .in_bulk(list(ids))
    )


def topic_matches(
    topic: Topic, viewer: Any, capabilities: Iterable[Any] | None = None
) -> tuple[list[FirmMatch], list[FirmMatch]]:
    """(candidate lead firms, firms whose needs match) for the topic page.

    Lead candidates hold a needed capability: an offer the board shows the viewer tagged with it, or the
    firm's profile (matching index). Needs: need postings the board shows the viewer with a needed
    capability or the topic's growth engine. Best first (more capabilities), then by name."""
    from yunghap.matching.models import Posting

    if capabilities is None:
        capabilities = topic.capabilities.all()
    needed = {c.pk: c.name for c in capabilities}
    leads: dict[int, FirmMatch] = {}
    needs: dict[int, FirmMatch] = {}
    offer_rows: dict[tuple[int, int, str], set[str]] = {}
    if needed:
        for pk, firm_id, title, cap_id in (
            _board_postings(viewer, Posting.Kind.OFFER)
            .filter(capabilities__in=list(needed))
            .values_list("id", "firm_id", "title", "capabilities")
            .order_by("id")[:500]
        ):
            offer_rows.setdefault((pk, firm_id, title), set()).add(needed[cap_id])
        profiles = _profile_capabilities(needed)
    else:
        profiles = {}
    need_rows: dict[tuple[int, int, str], set[str]] = {}
    engine_rows: set[tuple[int, int, str]] = set()
    board_needs = _board_postings(viewer, Posting.Kind.NEED)
    if needed:
        for pk, firm_id, title, cap_id in (
            board_needs.filter(capabilities__in=list(needed))
            .values_list("id", "firm_id", "title", "capabilities")
            .order_by("id")[:500]
        ):
            need_rows.setdefault((pk, firm_id, title), set()).add(needed[cap_id])
    for row in (
        board_needs.filter(growth_engines=topic.growth_engine_id)
        .values_list("id", "firm_id", "title")
        .order_by("id")[:500]
    ):
        engine_rows.add(row)
    firm_ids = (
        {k[1] for k in offer_rows} | set(profiles) | {k[1] for k in need_rows} | {k[1] for k in engine_rows}
    )
    firms = _firms(firm_ids) if firm_ids else {}
    for (_pk, firm_id, title), names in offer_rows.items():
        match = leads.setdefault(firm_id, FirmMatch(firms[firm_id]))
        match.capabilities |= names
        match.reasons.append(
            _("기술 제공 ‘%(title)s’: %(caps)s") % {"title": title, "caps": ", ".join(sorted(names))}
        )
    for firm_id, names in profiles.items():
        if firm_id not in firms:
            continue
        match = leads.setdefault(firm_id, FirmMatch(firms[firm_id]))
        match.capabilities |= names
        match.reasons.append(_("회원사 보유기술·제품: %(caps)s") % {"caps": ", ".join(sorted(names))})
    engine = topic.growth_engine.display_name
    for key in sorted(set(need_rows) | engine_rows):
        _pk, firm_id, title = key
        match = needs.setdefault(firm_id, FirmMatch(firms[firm_id]))
        names = need_rows.get(key, set())
        match.capabilities |= names
        parts = []
        if names:
            parts.append(", ".join(sorted(names)))
        if key in engine_rows:
            match.same_engine = True
            parts.append(_("같은 신성장동력(%(engine)s)") % {"engine": engine})
        match.reasons.append(_("기술 수요 ‘%(title)s’: %(why)s") % {"title": title, "why": " · ".join(parts)})

    def order(match: FirmMatch) -> tuple[int, int, str]:
        return (-len(match.capabilities), -int(match.same_engine), match.firm.name)

    return sorted(leads.values(), key=order)[:PANEL_SIZE], sorted(needs.values(), key=order)[:PANEL_SIZE]
