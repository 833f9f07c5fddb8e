"""Firms ask for an introduction (소개 요청), coordinators keep working notes on introductions.

A firm user who sees a posting on the board asks to be introduced to its firm. The request goes to whoever
looks after the introduction's seeker (the posting's firm for a need, the requester for an offer): its
coordinators, or when none covers it the federation staff of `matching.review`'s chain. They introduce the
two firms (the usual workflow starts) or decline with a reason. A firm has one open request per posting.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_change
from yunghap.core.messenger import notify
from yunghap.matching.models import Posting
from yunghap.matching.review import firm_users, responsible_users
from yunghap.network.models import Firm

from .models import Introduction, IntroductionNote, IntroductionRequest
from .services import create_introduction, is_coordinator_for

MESSAGE_MAX = 1000
NOTE_MAX = 2000


def requestable_postings(user: Any):
    """Postings a firm user may ask an introduction for: approved, open, visible to them, not their own."""
    return (
        Posting.objects.visible_to(user)
        .open()
        .filter(review_status=Posting.ReviewStatus.APPROVED)
        .exclude(firm_id__in=scope_of(user).firm_ids)
    )


def seeker_of(posting: Posting, requester: Firm) -> Firm:
    return posting.firm if posting.kind == Posting.Kind.NEED else requester


@transaction.atomic
def request_introduction(
    posting: Posting, *, actor: Any, firm: Firm | None = None, message: str = ""
) -> IntroductionRequest:
    firm_ids = scope_of(actor).firm_ids
    if not firm_ids:
        raise PermissionDenied(_("회원사 담당자만 소개를 요청할 수 있습니다."))
    if firm is None:
        if len(firm_ids) != 1:
            raise ValidationError({"firm": _("요청할 회원사를 골라 주세요.")})
        firm = Firm.objects.get(pk=next(iter(firm_ids)))
    if firm.pk not in firm_ids:
        raise PermissionDenied(_("자기 회사의 이름으로만 소개를 요청할 수 있습니다."))
    if posting.firm_id == firm.pk:
        raise ValidationError(_("우리 회사의 게시글에는 소개를 요청할 수 없습니다."))
    if firm.status != Firm.Status.ACTIVE:
        raise ValidationError(_("폐업한 기업은 소개를 요청할 수 없습니다."))
    if not requestable_postings(actor).filter(pk=posting.pk).exists():
        raise ValidationError(_("마감되었거나 승인되지 않은 게시글입니다."))
    open_requests = IntroductionRequest.objects.filter(
        posting=posting, requester=firm, state=IntroductionRequest.State.OPEN
    )
    duplicate = _("이 게시글에 대한 소개 요청이 이미 검토 중입니다.")
    if open_requests.exists():
        raise ValidationError(duplicate)
    seeker = seeker_of(posting, firm)
    try:
        with transaction.atomic():  # the constraint decides between two requests racing
            req = IntroductionRequest.objects.create(
                posting=posting,
                requester=firm,
                seeker=seeker,
                requested_by=actor,
                message=(message or "").strip()[:MESSAGE_MAX],
            )
    except IntegrityError:
        raise ValidationError(duplicate) from None
    record_change(actor, "introduction_request.create", req, {"posting": posting.pk, "message": req.message})
    # In-app notices are rows of this transaction; their e-mail goes after commit (core.messenger).
    notify(
        responsible_users(seeker),
        message=_("%(firm)s이(가) 게시글 '%(title)s'의 기업과의 소개를 요청했습니다.")
        % {"firm": firm.name, "title": posting.title},
        link=reverse("introductions:requests"),
        verb="introduction_request.created",
    )
    return req


def _locked_open(req: IntroductionRequest) -> IntroductionRequest:
    locked = (
        IntroductionRequest.objects.select_for_update()
        .select_related("posting__firm", "requester")
        .get(pk=req.pk)
    )
    if locked.state != IntroductionRequest.State.OPEN:
        raise ValidationError(_("이미 처리된 소개 요청입니다."))
    return locked


def _check_handler(actor: Any, req: IntroductionRequest) -> None:
    if not IntroductionRequest.objects.handled_by(actor).filter(pk=req.pk).exists():
        raise PermissionDenied(_("이 소개 요청은 다른 담당자가 처리합니다."))


@transaction.atomic
def introduce_on_request(req: IntroductionRequest, *, actor: Any, note: str = "") -> Introduction:
    """Introduce the two firms of a request: the introduction is created and both firms are asked."""
    _check_handler(actor, req)
    req = _locked_open(req)
    posting = req.posting
    seeker, partner = (
        (posting.firm, req.requester) if posting.kind == Posting.Kind.NEED else (req.requester, posting.firm)
    )
    intro = create_introduction(
        actor=actor,
        seeker=seeker,
        partner=partner,
        need=posting if posting.kind == Posting.Kind.NEED else None,
        note=note or req.message,
        reasons=[_("%(firm)s의 소개 요청") % {"firm": req.requester.name}],
    )
    req.state = IntroductionRequest.State.INTRODUCED
    req.introduction = intro
    req.handled_by = actor
    req.handled_at = timezone.now()
    req.save(update_fields=["state", "introduction", "handled_by", "handled_at"])
    record_change(actor, "introduction_request.introduce", req, {"introduction": intro.pk})
    return intro


@transaction.atomic
def decline_request(req: IntroductionRequest, *, actor: Any, reason: str) -> IntroductionRequest:
    _check_handler(actor, req)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("반려 사유를 적어 주세요.")})
    req = _locked_open(req)
    req.state = IntroductionRequest.State.DECLINED
    req.reason = reason[:500]
    req.handled_by = actor
    req.handled_at = timezone.now()
    req.save(update_fields=["state", "reason", "handled_by", "handled_at"])
    record_change(actor, "introduction_request.decline", req, {"reason": req.reason})
    notify(
        firm_users([req.requester_id]),
        message=_("게시글 '%(title)s'에 대한 소개 요청이 반려되었습니다. 사유: %(reason)s")
        % {"title": req.posting.title, "reason": reason},
        link=reverse("introductions:requests"),
        verb="introduction_request.declined",
    )
    return req


# --- coordinators' notes on an introduction -----------------------------------------------------------


def can_see_notes(user: Any, intro: Introduction) -> bool:
    """Coordinators of the introduction and federation staff who see it; never the firms."""
    scope = scope_of(user)
    return bool(scope.central or scope.region_ids) or is_coordinator_for(user, intro)


@transaction.atomic
def add_introduction_note(intro: Introduction, *, actor: Any, text: str) -> IntroductionNote:
    if not is_coordinator_for(actor, intro):
        raise PermissionDenied(_("이 소개의 코디네이터만 메모를 남길 수 있습니다."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("메모 내용을 입력해 주세요.")})
    if len(text) > NOTE_MAX:
        raise ValidationError({"text": _("메모는 %(n)s자 이내로 써 주세요.") % {"n": f"{NOTE_MAX:,}"}})
    note = IntroductionNote.objects.create(introduction=intro, author=actor, text=text)
    record_change(actor, "introduction.note", intro, {"note": note.pk, "text": text})
    return note
