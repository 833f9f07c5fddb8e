"""The coordinator's part of consortia (사전 기술기획): who coordinates an application, its caseload, and
the pre-planning notes, written by one service with its audit row and the lead firm's notification.

A coordinator's consortia are the applications led by a firm that is a current member of a group they
coordinate: `Application.objects.visible_to` for a coordinator, restricted to that part of their scope (a
coordinator who is also a firm's user sees their firm's consortia as the firm, not in the caseload).
Notes are read by the consortium's member firms' users, the lead's coordinators and central staff; never
by reviewers, even assigned ones.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from yunghap.accounts.models import Role, RoleGrant, User
from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_change
from yunghap.core.messenger import notify
from yunghap.network.models import Membership

from . import message_codes
from .models import Application, ConsortiumMember, PrePlanningNote

NOTE_MAX = 4000
# The applications a caseload lists: drafts and submitted ones (a withdrawn one needs no help any more).
CASELOAD_STATUSES = (Application.Status.DRAFT, Application.Status.SUBMITTED)


def _coordinated_leads(group_ids: Any) -> Q:
    leads = Membership.objects.giving_access().filter(group_id__in=group_ids)
    return Q(consortium__lead_id__in=leads.values("firm_id"))


def coordinated_applications(user: Any) -> QuerySet[Application]:
    """The applications `user` sees as a coordinator (none if they coordinate no group)."""
    groups = scope_of(user).coordinator_group_ids
    if not groups:
        return Application.objects.none()
    return Application.objects.visible_to(user).filter(_coordinated_leads(groups))


def caseload_applications(user: Any, *, coordinator: Any = None) -> QuerySet[Application]:
    """The caseload page's rows: a coordinator's own consortia; central staff's all, or one coordinator's
    (`coordinator`). Annotated with the last pre-planning note."""
    if scope_of(user).central:
        rows = coordinated_applications(coordinator) if coordinator is not None else Application.objects.all()
    else:
        rows = coordinated_applications(user)
    # The last note that carries into the application: on its consortium or on its topic.
    last = PrePlanningNote.objects.filter(
        Q(consortium_id=OuterRef("consortium_id")) | Q(topic_id=OuterRef("topic_id"))
    ).order_by("-created_at", "-id")
    return (
        rows.filter(status__in=CASELOAD_STATUSES)
        .select_related("call", "consortium__lead")
        .annotate(
            last_note_body=Subquery(last.values("body")[:1]),
            last_note_at=Subquery(last.values("created_at")[:1]),
        )
        .order_by("call__code", "ref", "pk")
    )


def coordinators() -> QuerySet[User]:
    """Users holding a coordinator grant (the caseload filter of central staff)."""
    ids = RoleGrant.objects.filter(role=Role.COORDINATOR).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("name", "username")


def notes_readable(user: Any) -> QuerySet[Application]:
    """Applications whose pre-planning notes `user` reads: central staff all; the consortium's member
    firms' users (not declined) and the lead's coordinators. Reviewers and regional staff read none."""
    scope = scope_of(user)
    if scope.central:
        return Application.objects.all()
    condition = Q(pk__in=[])
    if scope.firm_ids:
        places = ConsortiumMember.objects.filter(firm_id__in=scope.firm_ids).exclude(
            state=ConsortiumMember.State.DECLINED
        )
        condition |= Q(consortium__in=places.values("consortium_id"))
    if scope.coordinator_group_ids:
        condition |= _coordinated_leads(scope.coordinator_group_ids)
    return Application.objects.visible_to(user).filter(condition)


def may_add_note(user: Any, application: Application) -> bool:
    """Central staff and the coordinators of the lead's groups."""
    if scope_of(user).central:
        return True
    return coordinated_applications(user).filter(pk=application.pk).exists()


def add_pre_planning_note(application: Application, *, actor: Any, body: str) -> PrePlanningNote:
    """Add a coordinator's note; the lead firm's users are told once it is committed."""
    if not may_add_note(actor, application):
        raise PermissionDenied(
            _("주관기업 소속 교류회의 코디네이터만 사전 기술기획 메모를 남길 수 있습니다.")
        )
    if application.status == Application.Status.WITHDRAWN:
        raise ValidationError({"body": _("철회된 신청서에는 메모를 남길 수 없습니다.")})
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("메모 내용을 입력해 주세요.")})
    if len(body) > NOTE_MAX:
        raise ValidationError({"body": _("메모는 %(n)s자 이내로 써 주세요.") % {"n": f"{NOTE_MAX:,}"}})
    with transaction.atomic():
        note = PrePlanningNote.objects.create(
            application=application, consortium_id=application.consortium_id, author=actor, body=body
        )
        record_change(actor, "application.pre_planning_note", application, {"note": note.pk, "body": body})
        lead_users = list(
            User.objects.filter(
                is_active=True,
                grants__role=Role.FIRM_USER,
                grants__firm_id=application.consortium.lead_id,
            ).distinct()
        )
        params = {
            "author": str(getattr(actor, "name", "") or actor.get_username()),
            "ref": application.ref,
            "title": application.title,
        }
        link = reverse("programmes:pre_planning", kwargs={"pk": application.pk})
        transaction.on_commit(
            lambda: notify(lead_users, code=message_codes.PRE_PLANNING_NOTE_ADDED, params=params, link=link)
        )
    return note
