"""Project discovery (과제발굴, issue 12 §6): the public topics, firms' "관심 있음", and the rule that makes
interested firms a topic's candidate firms.

`candidate_firms(topic)` is the one rule others call (the staff topic page, later the API and matching):
a firm is a candidate of a topic while one of its users has marked interest and the firm is in business.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_change
from yunghap.network.models import Firm

from .models import Topic, TopicInterest

PUBLIC_STATUSES = (Topic.Status.ACCEPTED, Topic.Status.LEADING)

NOT_FIRM_USER = "interest_not_firm_user"
FIRM_NOT_OWN = "interest_firm_not_own"
MESSAGES = {
    NOT_FIRM_USER: _("관심 표시는 회원사 사용자만 할 수 있습니다. 기업 계정으로 로그인해 주세요."),
    FIRM_NOT_OWN: _("관심을 표시할 기업을 선택해 주세요."),
}


def public_topics() -> QuerySet[Topic]:
    """Topics everyone may read: accepted (적합) and leading (선도과제) ones; never proposals or rejections."""
    return Topic.objects.filter(status__in=PUBLIC_STATUSES)


def candidate_firms(topic: Topic) -> QuerySet[Firm]:
    """The topic's candidate firms: firms in business whose users marked interest in it. Callers narrow it
    to what their reader may see (`Firm.objects.visible_to`)."""
    return Firm.objects.filter(topic_interests__topic=topic, status=Firm.Status.ACTIVE).order_by("name", "pk")


def interest_firms(user: Any) -> QuerySet[Firm]:
    """The firms on whose behalf `user` may mark interest: the firms they are a user of, in business."""
    return Firm.objects.filter(id__in=scope_of(user).firm_ids, status=Firm.Status.ACTIVE).order_by(
        "name", "pk"
    )


def interested_firm_ids(topic: Topic, firms: list[Firm]) -> set[int]:
    return set(TopicInterest.objects.filter(topic=topic, firm__in=firms).values_list("firm_id", flat=True))


@transaction.atomic
def set_interest(topic: Topic, firm: Firm, *, actor: Any, interested: bool) -> bool:
    """Mark (or unmark) the firm's interest in a public topic; returns whether it is interested now.

    A state, not a toggle: two clicks at once leave one row. The firm's row is locked so concurrent
    marks of one firm wait for each other; the unique constraint holds whatever happens."""
    if firm.pk not in scope_of(actor).firm_ids:
        raise ValidationError(MESSAGES[NOT_FIRM_USER], code=NOT_FIRM_USER)
    if topic.status not in PUBLIC_STATUSES:
        raise ValidationError(_("공개된 과제가 아닙니다."), code="topic_not_public")
    Firm.objects.select_for_update().filter(pk=firm.pk).first()
    existing = TopicInterest.objects.filter(topic=topic, firm=firm).first()
    if interested and existing is None:
        try:
            with transaction.atomic():
                interest = TopicInterest.objects.create(topic=topic, firm=firm, marked_by=actor)
        except IntegrityError:
            return True
        record_change(actor, "topic.interest", interest, {"topic": topic.code, "firm": firm.pk})
    elif not interested and existing is not None:
        record_change(actor, "topic.interest_withdraw", existing, {"topic": topic.code, "firm": firm.pk})
        existing.delete()
    return interested
