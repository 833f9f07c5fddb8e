"""The public directory as the API and the compatibility endpoints read it: the firms that consented to be
listed (`network.public_fields.listed_firms`, the directory's own rule) with the public fields only, as
codes rather than labels (never a person's name, phone or e-mail)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from yunghap.network import public_fields
from yunghap.network.models import Firm, FirmListing


def listed_firms() -> QuerySet[Firm]:
    return public_fields.listed_firms().select_related("listing", "federation", "industry")


def public_firm_id(firm: Firm) -> str:
    """The directory's opaque address of the firm (never its business registration number)."""
    try:
        return firm.listing.public_id
    except FirmListing.DoesNotExist:
        return ""


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
