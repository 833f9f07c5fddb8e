"""The public directory as the API and the compatibility endpoints read it: the firms that consented to be
listed and the fixed list of public fields (never a person's name, phone or e-mail).

INTEGRATION POINT (issue 12): the consent and the public card are the directory's (network); until that
lands here, `listed_firms` lists no firm at all, so nothing can be published without consent."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from yunghap.network.models import Firm


def listed_firms() -> QuerySet[Firm]:
    return Firm.objects.none()


def public_firm_id(firm: Firm) -> str:
    return str(firm.pk)


def public_firm_card(firm: Firm) -> dict[str, Any]:
    """The public fields of a listed firm, and nothing else."""
    return {
        "id": public_firm_id(firm),
        "name": firm.name,
        "region": firm.federation.code,
        "region_name": firm.federation.name,
        "industry": firm.industry.code,
        "industry_name": firm.industry.name,
        "founded_year": firm.founded_on.year if firm.founded_on else None,
        "technologies": list(firm.technologies or []),
        "products": list(firm.products or []),
    }
