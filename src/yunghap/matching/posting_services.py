"""Every change to postings, capabilities and conflicts, one transaction and one audit row each.

Analysis is queued after commit (`tasks.analyse_posting`), so saving never waits for Kiwi; with the
immediate backend (development, tests) it runs right after the commit.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.core.audit import record_change

from .models import DESCRIPTION_MAX_LENGTH, Capability, Conflict, FirmProfileAnalysis, Posting

TITLE_MAX_LENGTH = 200
MAX_KEYWORDS = 20
CONTENT_FIELDS = ("title", "description", "keywords")
# From narrowest to widest audience.
VISIBILITY_RANK: dict[str, int] = {
    Posting.Visibility.COORDINATORS: 0,
    Posting.Visibility.NETWORK: 1,
    Posting.Visibility.PUBLIC: 2,
}


def parse_keywords(value: str | Iterable[str] | None) -> list[str]:
    """Keywords from `a; b, c` text or a list: trimmed, de-duplicated, in order."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.replace(",", ";").split(";")
    return list(dict.fromkeys(k.strip() for k in value if k and k.strip()))


def validate_posting_fields(fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    title = (fields.get("title") or "").strip()
    if not title:
        errors["title"] = _("제목을 입력해 주세요.")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("제목은 %(n)s자 이내로 써 주세요.") % {"n": TITLE_MAX_LENGTH}
    if len(fields.get("description") or "") > DESCRIPTION_MAX_LENGTH:
        errors["description"] = _("내용은 %(n)s자 이내로 써 주세요(지금 %(len)s자).") % {
            "n": f"{DESCRIPTION_MAX_LENGTH:,}",
            "len": f"{len(fields['description']):,}",
        }
    if len(fields.get("keywords") or []) > MAX_KEYWORDS:
        errors["keywords"] = _("키워드는 %(n)s개까지 쓸 수 있습니다.") % {"n": MAX_KEYWORDS}
    if fields.get("kind") not in Posting.Kind.values:
        errors["kind"] = _("구분은 기술 제공 또는 기술 수요여야 합니다.")
    if not isinstance(fields.get("expires_on"), datetime.date):
        errors["expires_on"] = _("게시 기한을 YYYY-MM-DD 형식으로 입력해 주세요.")
    if errors:
        raise ValidationError(errors)


def _queue_analysis(posting_id: int) -> None:
    from .tasks import analyse_posting

    transaction.on_commit(lambda: analyse_posting.enqueue(posting_id))


@transaction.atomic
def create_posting(
    firm: Any,
    *,
    actor: Any,
    kind: str,
    title: str,
    expires_on: datetime.date,
    description: str = "",
    keywords: str | Iterable[str] | None = None,
    industry: Any = None,
    growth_engines: Iterable[Any] = (),
    visibility: str = Posting.Visibility.NETWORK,
    review_status: str = Posting.ReviewStatus.PENDING,
) -> Posting:
    fields = {
        "kind": kind,
        "title": (title or "").strip(),
        "description": (description or "").strip(),
        "keywords": parse_keywords(keywords),
        "expires_on": expires_on,
    }
    validate_posting_fields(fields)
    posting = Posting.objects.create(
        firm=firm,
        industry=industry,
        visibility=visibility,
        review_status=review_status,
        created_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    if growth_engines:
        posting.growth_engines.set(growth_engines)
    record_change(actor, "posting.create", posting, {**fields, "visibility": visibility})
    _queue_analysis(posting.pk)
    return posting


@transaction.atomic
def update_posting(posting: Posting, *, actor: Any, **changes: Any) -> Posting:
    """Change a posting; a changed text of an approved posting goes back to review."""
    if "keywords" in changes:
        changes["keywords"] = parse_keywords(changes["keywords"])
    for key in ("title", "description"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    growth_engines = changes.pop("growth_engines", None)
    allowed = {"kind", "title", "description", "keywords", "industry", "expires_on", "visibility"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"update_posting: unknown fields {sorted(unknown)}")
    merged = {f: changes.get(f, getattr(posting, f)) for f in ("kind", *CONTENT_FIELDS, "expires_on")}
    validate_posting_fields(merged)
    moved = {k: v for k, v in changes.items() if getattr(posting, k) != v}
    text_changed = any(k in moved for k in CONTENT_FIELDS)
    widened = "visibility" in moved and VISIBILITY_RANK.get(moved["visibility"], 99) > VISIBILITY_RANK.get(
        posting.visibility, 99
    )
    for key, value in moved.items():
        setattr(posting, key, value)
    # A coordinator approved the text for an audience: a new text, or a wider audience, needs a new review.
    if (text_changed or widened) and posting.review_status == Posting.ReviewStatus.APPROVED:
        posting.review_status = Posting.ReviewStatus.PENDING
        moved["review_status"] = Posting.ReviewStatus.PENDING
    posting.save()
    if growth_engines is not None:
        posting.growth_engines.set(growth_engines)
    record_change(actor, "posting.update", posting, moved)
    if text_changed:
        _queue_analysis(posting.pk)
    return posting


def _review(posting: Posting, *, actor: Any, status: str, note: str) -> Posting:
    posting.review_status = status
    posting.reviewed_by = actor if getattr(actor, "pk", None) else None
    posting.reviewed_at = timezone.now()
    posting.review_note = (note or "").strip()[:500]
    posting.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    record_change(actor, f"posting.{status}", posting, {"review_status": status, "note": posting.review_note})
    return posting


@transaction.atomic
def approve_posting(posting: Posting, *, actor: Any, note: str = "") -> Posting:
    return _review(posting, actor=actor, status=Posting.ReviewStatus.APPROVED, note=note)


@transaction.atomic
def reject_posting(posting: Posting, *, actor: Any, note: str = "") -> Posting:
    if not (note or "").strip():
        raise ValidationError({"note": _("반려 사유를 입력해 주세요.")})
    return _review(posting, actor=actor, status=Posting.ReviewStatus.REJECTED, note=note)


@transaction.atomic
def close_posting(posting: Posting, *, actor: Any) -> Posting:
    posting.closed_at = timezone.now()
    posting.save(update_fields=["closed_at", "updated_at"])
    record_change(actor, "posting.close", posting, {"closed_at": posting.closed_at})
    return posting


@transaction.atomic
def declare_conflict(firm: Any, *, actor: Any, competitor: Any, note: str = "") -> Conflict:
    if firm.pk == competitor.pk:
        raise ValidationError({"competitor": _("자기 회사를 경쟁사로 지정할 수 없습니다.")})
    conflict, _created = Conflict.objects.get_or_create(
        firm=firm, competitor=competitor, defaults={"note": note.strip()[:200], "created_by": actor}
    )
    record_change(actor, "conflict.declare", conflict, {"competitor": competitor.brn})
    return conflict


@transaction.atomic
def withdraw_conflict(conflict: Conflict, *, actor: Any) -> None:
    record_change(actor, "conflict.withdraw", conflict, {"competitor": conflict.competitor.brn})
    conflict.delete()


@transaction.atomic
def save_capability(
    capability: Capability | None,
    *,
    actor: Any,
    name: str,
    synonyms: Iterable[str] = (),
    english_terms: Iterable[str] = (),
    industries: Iterable[Any] | None = None,
    description: str = "",
) -> Capability:
    """Create (capability None) or change a vocabulary entry; the matching index picks it up on its next look."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("역량명을 입력해 주세요.")})
    clash = Capability.objects.filter(name=name)
    if capability is not None:
        clash = clash.exclude(pk=capability.pk)
    if clash.exists():
        raise ValidationError({"name": _("같은 이름의 역량이 이미 있습니다: %(name)s") % {"name": name}})
    values = {
        "name": name,
        "synonyms": parse_keywords(list(synonyms)),
        "english_terms": parse_keywords(list(english_terms)),
        "description": (description or "").strip()[:300],
    }
    action = "capability.update" if capability else "capability.create"
    if capability is None:
        capability = Capability.objects.create(**values)
    else:
        for key, value in values.items():
            setattr(capability, key, value)
        capability.save()
    if industries is not None:
        capability.industries.set(industries)
    record_change(actor, action, capability, values)
    return capability


@transaction.atomic
def delete_capability(capability: Capability, *, actor: Any) -> None:
    record_change(actor, "capability.delete", capability, {"name": capability.name})
    capability.delete()
    # The index notices a vocabulary change by count and last update; a deletion lowers the count.


# -- analysis (run by tasks; loads Kiwi) -------------------------------------------------------------


def store_posting_analysis(posting_id: int) -> int:
    from .analysis import analyse_need, analyse_text
    from .vocabulary import Vocabulary

    posting = Posting.objects.filter(pk=posting_id).first()
    if posting is None:
        return 0
    own: list[str] = []
    if posting.kind == Posting.Kind.NEED:
        # What the seeker describes of itself is not what it needs (see analysis.analyse_need).
        parts = analyse_need(posting.text)
        terms, own = parts.sought, parts.own
    else:
        terms = analyse_text(posting.text)
    found = Vocabulary.from_db().capabilities_of(terms)
    with transaction.atomic():
        Posting.objects.filter(pk=posting_id).update(
            terms=terms, own_terms=own, analysed_at=timezone.now(), updated_at=timezone.now()
        )
        posting.capabilities.set(found.keys())
    return len(terms)


def profile_text(firm: Any) -> str:
    # Secondary industries are what the firm can also do: their names count as its offers too.
    also = [industry.name for industry in firm.secondary_industries.all()] if firm.pk else []
    return "\n".join(str(item) for item in [*(firm.technologies or []), *(firm.products or []), *also])


def store_profile_analysis(firm_id: int) -> int:
    from yunghap.network.models import Firm

    from .analysis import analyse_text

    firm = Firm.objects.filter(pk=firm_id).first()
    if firm is None:
        return 0
    text = profile_text(firm)
    digest = hashlib.sha256(text.encode()).hexdigest()
    current = FirmProfileAnalysis.objects.filter(firm=firm).first()
    if current is not None and current.source_hash == digest:
        return len(current.terms)
    terms = analyse_text(text)
    FirmProfileAnalysis.objects.update_or_create(
        firm=firm, defaults={"source_hash": digest, "terms": terms, "analysed_at": timezone.now()}
    )
    return len(terms)


def profile_needs_analysis(firm: Any) -> bool:
    digest = hashlib.sha256(profile_text(firm).encode()).hexdigest()
    return not FirmProfileAnalysis.objects.filter(firm=firm, source_hash=digest).exists()
