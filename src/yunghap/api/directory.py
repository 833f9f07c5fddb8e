"""The public directory as the API and the compatibility endpoints read it: the firms that consented to be
listed (`network.public_fields.listed_firms`, the directory's own rule) with the public fields only, as
codes rather than labels (never a person's name, phone or e-mail)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from yunghap.network import public_fields, selectors
from yunghap.network.models import ExchangeGroup, Firm, FirmListing


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


# The public group directory: every active exchange group with its public fields. Groups are organisations,
# not people, and the federation publishes them (the 공공데이터포털-style feeds are public-data feeds), so
# no consent is needed; dormant and dissolved groups are not listed.


def listed_groups(filters: dict[str, Any] | None = None) -> QuerySet[ExchangeGroup]:
    """Active groups in the directory's order; `filters` are a GroupFilterForm's (region, exchange_type, q)."""
    groups = selectors.filter_groups(
        public_fields.listed_groups(), filters or {}, member_firms=public_fields.listed_firms()
    )
    return (
        groups.select_related("federation")
        .prefetch_related("exchange_types")
        .order_by("federation__sort_order", "name", "pk")
    )


def public_group_card(group: Any) -> dict[str, Any]:
    """The public fields of a group (`member_count` from network.selectors.attach_group_counts)."""
    return {
        "code": group.code,
        "name": group.name,
        "region": group.federation.code,
        "region_name": group.federation.name,
        "kind": group.kind,
        "founded_year": group.founded_on.year if group.founded_on else None,
        "exchange_types": [t.code for t in group.exchange_types.all()],
        "member_count": group.member_count,
    }
