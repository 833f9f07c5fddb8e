"""Reads for the introduction pages: caseload summaries, recommendations to introduce, contact cards."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_access
from yunghap.core.masking import mask_email, mask_name, mask_phone
from yunghap.network.models import Firm
from yunghap.network.permissions import can_see_personal_data

from .models import Introduction, caseload_firms
from .services import is_coordinator_for, today
from .workflow import OPEN_STATES, State

SOON_DAYS = 3
INTRO_RELATED = ("seeker__industry", "partner__industry", "seeker__federation", "partner__federation", "need")


def caseload_summary(user: Any) -> dict[str, Any]:
    """The coordinator's desk: what is open, whose answers are late, which follow-ups are due."""
    base = Introduction.objects.coordinated_by(user).select_related(*INTRO_RELATED)
    on = today()
    return {
        "open": list(
            base.in_state(*(OPEN_STATES - {State.FOLLOW_UP_DUE}), on=on).order_by("respond_by", "id")[:100]
        ),
        # Late answers: the deadline passed (expired, waiting for the coordinator to re-ask or close), or
        # is about to.
        "overdue": list(
            base.filter(
                Q(state=State.EXPIRED)
                | Q(state=State.AWAITING, respond_by__lte=on + datetime.timedelta(days=SOON_DAYS))
            ).order_by("respond_by", "id")[:100]
        ),
        "follow_ups": list(
            base.in_state(State.FOLLOW_UP_DUE, on=on).order_by("follow_up_due_on", "id")[:100]
        ),
    }


def caseload_firm_rows(user: Any):
    """The caseload's firms with how many open needs and open introductions each has."""
    from yunghap.matching.models import Posting

    on = today()
    return (
        caseload_firms(user)
        .select_related("industry", "federation")
        .annotate(
            open_needs=Count(
                "postings",
                filter=Q(
                    postings__kind=Posting.Kind.NEED,
                    postings__closed_at__isnull=True,
                    postings__expires_on__gte=on,
                ),
                distinct=True,
            ),
        )
        .order_by("name", "id")
    )


@dataclass
class NeedRecommendations:
    need: Any
    recommendations: list[Any]
    introduced_partner_ids: set[int]


def recommendations_for_needs(firm: Firm, *, viewer: Any, top: int = 10) -> list[NeedRecommendations]:
    """Each open need of the firm with its ranked partners (from the matching engine) and the partners
    already introduced for it, so the page can say so instead of offering a second introduction."""
    from yunghap.matching.models import Posting
    from yunghap.matching.recommend import recommend_for_need

    needs = list(Posting.objects.needs().open(today()).filter(firm=firm).order_by("expires_on", "id"))
    introduced: dict[int, set[int]] = {}
    for need_id, partner_id in Introduction.objects.filter(need__in=needs, state__in=OPEN_STATES).values_list(
        "need_id", "partner_id"
    ):
        introduced.setdefault(need_id, set()).add(partner_id)
    return [
        NeedRecommendations(
            need, recommend_for_need(need, top=top, viewer=viewer), introduced.get(need.pk, set())
        )
        for need in needs
    ]


def reasons_for(need: Any, partner: Firm) -> tuple[list[Any], float | None]:
    """The engine's reasons for this pair at the time of the introduction, kept on it as a snapshot.

    Both firms read them, so they quote only what each may see of the other: approved postings shared
    with the network (`PARTIES`), never the coordinator's view."""
    from yunghap.matching.recommend import PARTIES, recommend_for_need

    for rec in recommend_for_need(need, top=200, viewer=PARTIES):
        if rec.firm.pk == partner.pk:
            return list(rec.reasons), float(rec.score)
    return [], None


@dataclass
class ContactCard:
    firm: Firm
    representative: str
    phone: str
    email: str
    masked: bool


def contact_cards(user: Any, intro: Introduction, request: Any = None) -> list[ContactCard]:
    """Both firms' contact data: unmasked for the participants only after both firms accepted (or for those
    who may see it anyway, like the firm itself); every unmasked view of another firm's data is logged."""
    scope = scope_of(user)
    participant = bool(scope.firm_ids & {intro.seeker_id, intro.partner_id}) or is_coordinator_for(
        user, intro
    )
    cards, logged = [], []
    for firm in (intro.seeker, intro.partner):
        own = firm.pk in scope.firm_ids
        unmasked = own or (intro.contacts_released and participant) or can_see_personal_data(user, firm)
        if unmasked:
            cards.append(ContactCard(firm, firm.representative, firm.phone, firm.email, False))
            if not own:
                logged.append(firm.pk)
        else:
            cards.append(
                ContactCard(
                    firm, mask_name(firm.representative), mask_phone(firm.phone), mask_email(firm.email), True
                )
            )
    if logged:
        record_access(user, "view", "network.firm", logged, request)
    return cards


def masked_hint() -> str:
    return _("연락처는 두 기업이 모두 소개를 수락한 뒤에 공개됩니다.")


def label_needs(user: Any, introductions: Iterable[Introduction]) -> list[Introduction]:
    """Set `need_label` on each introduction: the need's title if the user may see that posting, else a
    generic label (a firm must not read the other firm's unshared or pending need)."""
    from yunghap.matching.models import Posting

    rows = list(introductions)
    need_ids = {i.need_id for i in rows if i.need_id}
    visible = set(
        Posting.objects.visible_to(user).filter(pk__in=need_ids).values_list("pk", flat=True)
        if need_ids
        else []
    )
    for intro in rows:
        if not intro.need_id:
            intro.need_label = ""
        elif intro.need_id in visible and intro.need is not None:
            intro.need_label = intro.need.title
        else:
            intro.need_label = str(_("비공개 기술 수요"))
    return rows
