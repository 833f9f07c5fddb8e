"""The public directory as the API and the compatibility endpoints read it: the firms that consented to be
listed and the fixed list of public fields (never a person's name, phone or e-mail).

INTEGRATION POINT (issue 12): the consent and the public card are the directory's (network); until that
lands here, `listed_firms` lists no firm at all, so nothing can be published without consent."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from yunghap.network.models import ExchangeGroup, Firm


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


# The public group directory: every active exchange group with its public fields. Groups are organisations,
# not people, and the federation publishes them (the 공공데이터포털-style feeds are public-data feeds), so
# no consent is needed; dormant and dissolved groups are not listed.
# INTEGRATION POINT (issue 12): when the portal's directory has its own group selector, call it here.


def listed_groups(filters: dict[str, Any] | None = None) -> QuerySet[ExchangeGroup]:
    """Active groups in the directory's order; `filters` are a GroupFilterForm's (region, exchange_type, q)."""
    filters = filters or {}
    groups = ExchangeGroup.objects.filter(status=ExchangeGroup.Status.ACTIVE)
    if filters.get("region"):
        groups = groups.filter(federation__code=filters["region"])
    if filters.get("exchange_type"):
        groups = groups.filter(exchange_types__code=filters["exchange_type"])
    if filters.get("q"):
        groups = groups.filter(Q(name__icontains=filters["q"]) | Q(code__icontains=filters["q"]))
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
