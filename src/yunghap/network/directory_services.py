"""Changes behind the public directory: a firm's listing consent (공개 동의).

Only the firm's own users decide whether their firm is listed: federation staff keep the registry but do
not consent for a firm (decisions.md). Setting, not toggling: consenting twice, or a double-clicked form,
leaves one state and one audit row.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_change

from .models import Firm, FirmListing

NOT_FIRM_USER = "listing_not_firm_user"
MESSAGES = {
    NOT_FIRM_USER: _(
        "기업 공개 동의는 그 기업의 사용자만 할 수 있습니다. 연합회 담당자는 기업을 대신해 동의할 수 없습니다."
    ),
}


def may_manage_listing(user: Any, firm: Firm) -> bool:
    return firm.pk in scope_of(user).firm_ids


def listing_of(firm: Firm) -> FirmListing | None:
    return FirmListing.objects.filter(firm=firm).first()


@transaction.atomic
def set_listing_consent(firm: Firm, *, actor: Any, consented: bool) -> FirmListing:
    """Consent to (or withdraw from) the public directory. The firm's row is locked, so two requests at
    once give one row and the audit trail records only real changes."""
    if not may_manage_listing(actor, firm):
        raise ValidationError(MESSAGES[NOT_FIRM_USER], code=NOT_FIRM_USER)
    Firm.objects.select_for_update().filter(pk=firm.pk).first()
    listing, _created = FirmListing.objects.get_or_create(firm=firm)
    if listing.consented == consented:
        # Already so (or, new, not listed: withdrawing what was never given changes nothing).
        return listing
    old = listing.consented
    listing.consented = consented
    listing.changed_at = timezone.now()
    listing.changed_by = actor if getattr(actor, "pk", None) else None
    listing.save(update_fields=["consented", "changed_at", "changed_by"])
    record_change(
        actor,
        "firm.listing_consent" if consented else "firm.listing_withdraw",
        listing,
        {"firm": firm.pk, "consented": [old, consented]},
    )
    return listing
