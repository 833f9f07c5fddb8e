"""Introductions between firms (기술파트너 소개) and their history (saved searches live in `matching`).

The workflow's rules live in `workflow.py` and are enforced by `services.py`; these models only hold the
state. Visibility is on the querysets (`visible_to`), as everywhere in the project.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yunghap.accounts.scope import scope_of
from yunghap.core.models import TimeStampedModel
from yunghap.network.models import Firm, Membership

from .workflow import HIDDEN_FROM_PARTIES, OPEN_STATES, Outcome, State


def caseload_firm_ids(user: Any, on: datetime.date | None = None) -> models.QuerySet:
    """A coordinator's caseload: firms that are current members of the groups assigned to them."""
    groups = scope_of(user).coordinator_group_ids
    return Membership.objects.current(on).filter(group_id__in=groups).values("firm_id")


def caseload_firms(user: Any) -> models.QuerySet[Firm]:
    if not scope_of(user).coordinator_group_ids:
        return Firm.objects.none()
    return Firm.objects.filter(id__in=caseload_firm_ids(user))


def effective_state_of(
    state: str, respond_by: datetime.date | None, follow_up_due_on: datetime.date | None, on: datetime.date
) -> str:
    """The state an introduction is in on `on`, whether or not the scheduler has recorded it yet.

    Time moves two states on its own: an unanswered request past its deadline has expired, and an outcome
    six months old is due for its follow-up. Reads derive this (GET never writes); `yunghap
    expire_introductions` persists it later and sends the mail.
    """
    if state == State.AWAITING and respond_by is not None and respond_by < on:
        return State.EXPIRED
    if state == State.OUTCOME_RECORDED and follow_up_due_on is not None and follow_up_due_on <= on:
        return State.FOLLOW_UP_DUE
    return state


def in_effective_states(states: Any, on: datetime.date | None = None) -> Q:
    """A filter for introductions whose effective state (see `effective_state_of`) is one of `states`."""
    on = on or timezone.localdate()
    condition = Q(pk__in=[])
    for state in set(states):
        if state == State.AWAITING:
            condition |= Q(state=State.AWAITING, respond_by__gte=on)
        elif state == State.EXPIRED:
            condition |= Q(state=State.EXPIRED) | Q(state=State.AWAITING, respond_by__lt=on)
        elif state == State.OUTCOME_RECORDED:
            condition |= Q(state=State.OUTCOME_RECORDED) & (
                Q(follow_up_due_on__isnull=True) | Q(follow_up_due_on__gt=on)
            )
        elif state == State.FOLLOW_UP_DUE:
            condition |= Q(state=State.FOLLOW_UP_DUE) | Q(
                state=State.OUTCOME_RECORDED, follow_up_due_on__lte=on
            )
        else:
            condition |= Q(state=state)
    return condition


def coordinated_by_condition(user: Any) -> Q:
    """The one rule of "is the coordinator of this introduction": its own coordinator, or any coordinator
    whose caseload holds one of the two firms (so that a colleague can take over a caseload). Someone with
    no coordinator assignment coordinates none. Used by `visible_to`, `coordinated_by` and
    `services.is_coordinator_for` alike."""
    if not scope_of(user).coordinator_group_ids:
        return Q(pk__in=[])
    caseload = caseload_firm_ids(user)
    return Q(coordinator=user) | Q(seeker_id__in=caseload) | Q(partner_id__in=caseload)


class IntroductionQuerySet(models.QuerySet["Introduction"]):
    def visible_to(self, user: Any) -> IntroductionQuerySet:
        scope = scope_of(user)
        if scope.central:
            return self.all()
        if not scope.has_network_access:
            return self.none()
        condition = Q(pk__in=[])
        if scope.coordinator_group_ids:
            condition |= coordinated_by_condition(user)
        if scope.region_ids:
            condition |= Q(seeker__federation_id__in=scope.region_ids)
        if scope.firm_ids:
            condition |= (Q(seeker_id__in=scope.firm_ids) | Q(partner_id__in=scope.firm_ids)) & ~Q(
                state__in=HIDDEN_FROM_PARTIES
            )
        return self.filter(condition)

    def coordinated_by(self, user: Any) -> IntroductionQuerySet:
        """Those a coordinator works on: their own, and any involving a firm of their caseload."""
        if not scope_of(user).coordinator_group_ids:
            return self.none()
        return self.filter(coordinated_by_condition(user))

    def open(self, on: datetime.date | None = None) -> IntroductionQuerySet:
        return self.filter(in_effective_states(OPEN_STATES, on))

    def in_state(self, *states: str, on: datetime.date | None = None) -> IntroductionQuerySet:
        """Introductions whose effective state on `on` (today in Seoul) is one of `states`."""
        return self.filter(in_effective_states(states, on))


class Introduction(TimeStampedModel):
    class Answer(models.TextChoices):
        PENDING = "pending", _("응답 전")
        ACCEPTED = "accepted", pgettext_lazy("state", "수락")
        DECLINED = "declined", pgettext_lazy("state", "거절")

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("담당 코디네이터"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_introductions",
    )
    need = models.ForeignKey(
        "matching.Posting",
        verbose_name=_("기술 수요"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introductions",
    )
    seeker = models.ForeignKey(
        Firm, verbose_name=_("수요 기업"), on_delete=models.PROTECT, related_name="introductions_sought"
    )
    partner = models.ForeignKey(
        Firm, verbose_name=_("파트너 기업"), on_delete=models.PROTECT, related_name="introductions_offered"
    )
    state = models.CharField(
        _("상태"), max_length=32, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    note = models.TextField(_("코디네이터 소개 글"), blank=True, max_length=2000)
    # Message codes with parameters ({"code", "params"}; see core.messages_catalogue), rendered by `reason_texts`.
    reasons = models.JSONField(_("추천 사유"), default=list, blank=True)
    score = models.FloatField(_("추천 점수"), null=True, blank=True)
    respond_by = models.DateField(_("응답 기한"))

    seeker_answer = models.CharField(
        _("수요 기업 응답"), max_length=16, choices=Answer.choices, default=Answer.PENDING
    )
    seeker_message = models.TextField(_("수요 기업 메시지"), blank=True, max_length=1000)
    seeker_answered_at = models.DateTimeField(_("수요 기업 응답일시"), null=True, blank=True)
    partner_answer = models.CharField(
        _("파트너 기업 응답"), max_length=16, choices=Answer.choices, default=Answer.PENDING
    )
    partner_message = models.TextField(_("파트너 기업 메시지"), blank=True, max_length=1000)
    partner_answered_at = models.DateTimeField(_("파트너 기업 응답일시"), null=True, blank=True)

    sent_at = models.DateTimeField(_("요청일시"), null=True, blank=True)
    # Set once, when the second firm accepts: from then on both may see each other's contact data.
    mutually_accepted_at = models.DateTimeField(_("양측 수락일시"), null=True, blank=True)

    meeting_at = models.DateTimeField(_("미팅 일시"), null=True, blank=True)
    meeting_place = models.CharField(_("미팅 장소"), max_length=200, blank=True)
    met_on = models.DateField(_("미팅일"), null=True, blank=True)
    meeting_note = models.TextField(_("미팅 메모"), blank=True, max_length=2000)

    outcome = models.CharField(_("성과"), max_length=32, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("성과 내용"), blank=True, max_length=2000)
    outcome_recorded_on = models.DateField(_("성과 기록일"), null=True, blank=True)
    follow_up_due_on = models.DateField(_("후속 확인 예정일"), null=True, blank=True, db_index=True)
    follow_up_outcome = models.CharField(
        _("후속 확인 성과"), max_length=32, choices=Outcome.choices, blank=True
    )
    follow_up_note = models.TextField(_("후속 확인 내용"), blank=True, max_length=2000)
    followed_up_at = models.DateTimeField(_("후속 확인일시"), null=True, blank=True)
    closed_at = models.DateTimeField(_("종결일시"), null=True, blank=True)

    objects = IntroductionQuerySet.as_manager()

    # Set by `selectors.label_needs` for the viewer: the need's title, or a generic label if they may not
    # see that posting.
    need_label: str = ""

    class Meta:
        verbose_name = _("기술파트너 소개")
        verbose_name_plural = _("기술파트너 소개")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(seeker=models.F("partner")), name="introduction_two_firms"),
        ]
        indexes = [
            models.Index(fields=["state", "respond_by"]),
            models.Index(fields=["seeker", "state"]),
            models.Index(fields=["partner", "state"]),
        ]

    @property
    def reason_texts(self) -> list[str]:
        """The kept reasons in the reader's language."""
        from yunghap.core.messages_catalogue import render_stored

        return [render_stored(r) for r in self.reasons or []]

    def __str__(self) -> str:
        return f"{self.seeker} – {self.partner}"

    def state_on(self, on: datetime.date | None = None) -> str:
        return effective_state_of(
            self.state, self.respond_by, self.follow_up_due_on, on or timezone.localdate()
        )

    @property
    def effective_state(self) -> str:
        """The state as of today (Seoul); what pages show and what the services act on."""
        return self.state_on()

    def get_effective_state_display(self) -> str:
        return str(State(self.effective_state).label)

    @property
    def contacts_released(self) -> bool:
        return self.mutually_accepted_at is not None

    def side_of(self, firm_id: int) -> str | None:
        if firm_id == self.seeker_id:
            return "seeker"
        if firm_id == self.partner_id:
            return "partner"
        return None

    def answer_of(self, side: str) -> str:
        return getattr(self, f"{side}_answer")

    def firm_of(self, side: str) -> Firm:
        return self.seeker if side == "seeker" else self.partner

    def other_side(self, side: str) -> str:
        return "partner" if side == "seeker" else "seeker"


class IntroductionEvent(models.Model):
    """One row per move: the introduction's history as its participants see it."""

    introduction = models.ForeignKey(
        Introduction, verbose_name=_("소개"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("처리"), max_length=32)
    from_state = models.CharField(_("이전 상태"), max_length=32, choices=State.choices, blank=True)
    to_state = models.CharField(_("이후 상태"), max_length=32, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("처리자"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_firm = models.ForeignKey(
        Firm, verbose_name=_("처리 기업"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("메시지"), blank=True)
    created_at = models.DateTimeField(_("일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("소개 처리 이력")
        verbose_name_plural = _("소개 처리 이력")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.introduction} · {self.action}"

    @property
    def action_label(self) -> str:
        from .workflow import TRANSITIONS

        if self.action == "create":
            return str(_("소개 작성"))
        transition = TRANSITIONS.get(self.action)
        return str(transition.label) if transition else self.action


class IntroductionNote(models.Model):
    """A coordinator's working note on an introduction: seen by coordinators and staff, never by the firms."""

    introduction = models.ForeignKey(
        Introduction, verbose_name=_("소개"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("작성자"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("메모"), max_length=2000)
    created_at = models.DateTimeField(_("작성일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("코디네이터 메모")
        verbose_name_plural = _("코디네이터 메모")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.introduction} · {self.created_at:%Y-%m-%d}"


class IntroductionRequestQuerySet(models.QuerySet["IntroductionRequest"]):
    def visible_to(self, user: Any) -> IntroductionRequestQuerySet:
        """The requesting firm's users; those who look after the seeker (its coordinator, else the
        fallback chain of `matching.review`)."""
        from yunghap.matching.review import handled_firms_on

        scope = scope_of(user)
        if not scope.has_network_access:
            return self.none()
        condition = Q(requester_id__in=scope.firm_ids)
        if scope.central or scope.region_ids or scope.coordinator_group_ids:
            condition |= handled_firms_on("seeker_id", user)
        return self.filter(condition)

    def handled_by(self, user: Any) -> IntroductionRequestQuerySet:
        from yunghap.matching.review import handled_firms_on, may_review_any

        if not may_review_any(user):
            return self.none()
        return self.filter(handled_firms_on("seeker_id", user))


class IntroductionRequest(models.Model):
    """A firm asks for an introduction to the firm of a posting it saw on the board (소개 요청)."""

    class State(models.TextChoices):
        OPEN = "open", _("검토 중")
        INTRODUCED = "introduced", _("소개함")
        DECLINED = "declined", _("반려")

    posting = models.ForeignKey(
        "matching.Posting",
        verbose_name=_("게시글"),
        on_delete=models.CASCADE,
        related_name="introduction_requests",
    )
    requester = models.ForeignKey(
        Firm, verbose_name=_("요청 기업"), on_delete=models.CASCADE, related_name="introduction_requests"
    )
    # The firm that would be the introduction's seeker: the posting's firm for a need, the requester for an
    # offer. Its coordinator (or the fallback chain) handles the request, as for any introduction.
    seeker = models.ForeignKey(Firm, verbose_name=_("수요 기업"), on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("요청자"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("요청 내용"), blank=True, max_length=1000)
    state = models.CharField(
        _("상태"), max_length=16, choices=State.choices, default=State.OPEN, db_index=True
    )
    introduction = models.ForeignKey(
        Introduction,
        verbose_name=_("만든 소개"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("처리자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("처리일시"), null=True, blank=True)
    reason = models.CharField(_("반려 사유"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("요청일시"), auto_now_add=True)

    objects = IntroductionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("소개 요청")
        verbose_name_plural = _("소개 요청")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open request per firm and posting; after an answer the firm may ask again.
            models.UniqueConstraint(
                fields=["posting", "requester"],
                condition=Q(state="open"),
                name="one_open_introduction_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.posting}"
