"""Logging each display of firms' unmasked personal data (개인정보 접속기록), wherever it is shown.

One function for the firm page, the firm edit form and the admin, so that "every unmasked display is
logged with every id" holds in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from yunghap.core.audit import record_access
from yunghap.core.masking import mask_email, mask_name, mask_phone
from yunghap.core.models import AccessLog

from .models import Firm

FIRM_OBJECT_TYPE = "network.firm"
# How each of `Firm.PERSONAL_FIELDS` reads for those who may not see it.
PERSONAL_MASKS = {"representative": mask_name, "phone": mask_phone, "email": mask_email}


def has_personal_data(firm: Firm) -> bool:
    return any(getattr(firm, name) for name in Firm.PERSONAL_FIELDS)


def record_firm_display(
    user: Any, firms: Iterable[Firm], request: Any = None, *, kind: str = AccessLog.Kind.VIEW
) -> AccessLog | None:
    """Log that `user` was shown these firms' representative, phone and e-mail unmasked.

    Firms with none of the three filled show nothing personal and are left out.
    """
    ids = [firm.pk for firm in firms if has_personal_data(firm)]
    return record_access(user, kind, FIRM_OBJECT_TYPE, ids, request)
