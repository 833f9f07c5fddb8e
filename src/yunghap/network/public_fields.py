"""What the public sees of the registry (issue 12 §3): one fixed list of fields, used by the directory
pages and by the API's public firm and group output.

A field not named here is never shown to the public: no person's name (대표자), phone, e-mail, address,
business registration number, revenue or head count. `public_firm_card` / `public_group_card` build the
only dictionaries the public templates and serializers read, so a template cannot reach another field by
accident (it never gets the model instance).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ExchangeGroup, Firm, FirmListing, Membership

# (key, Korean label) in the order a card shows them.
PUBLIC_FIRM_FIELDS: tuple[tuple[str, Any], ...] = (
    ("name", _("기업명")),
    ("region", _("지역")),
    ("industry", _("업종(KSIC 중분류)")),
    ("exchange_types", _("교류 유형")),
    ("founded_year", _("설립 연도")),
    ("technologies", _("보유 기술")),
    ("products", _("주요 제품")),
)
PUBLIC_GROUP_FIELDS: tuple[tuple[str, Any], ...] = (
    ("name", _("교류회명")),
    ("region", _("지역연합회")),
    ("industries", _("회원사 업종(KSIC 중분류)")),
    ("exchange_types", _("교류 유형")),
    ("founded_year", _("창립 연도")),
)
PUBLIC_FIRM_KEYS = tuple(key for key, _label in PUBLIC_FIRM_FIELDS)
PUBLIC_GROUP_KEYS = tuple(key for key, _label in PUBLIC_GROUP_FIELDS)

# The model fields a public firm query loads (`.only(...)`): personal data never even leaves the database.
FIRM_QUERY_FIELDS = (
    "id",
    "name",
    "founded_on",
    "technologies",
    "products",
    "federation__code",
    "federation__name",
    "federation__name_en",
    "industry__code",
    "industry__name",
    "industry__name_en",
)


def listed_firms() -> Any:
    """Firms that consented to be listed and are in business: the only firms the public sees."""
    return Firm.objects.filter(listing__consented=True, status=Firm.Status.ACTIVE)


def listed_groups() -> Any:
    """Active exchange groups: dormant and dissolved ones are not in the directory (decisions.md)."""
    return ExchangeGroup.objects.filter(status=ExchangeGroup.Status.ACTIVE)


def firm_exchange_types(firm_ids: Iterable[int]) -> dict[int, list[str]]:
    """The exchange types of each firm's current groups (active groups only), in their order: one query."""
    ids = list(firm_ids)
    result: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return result
    rows = (
        Membership.objects.current(timezone.localdate())
        .filter(firm_id__in=ids, group__status=ExchangeGroup.Status.ACTIVE)
        .values_list(
            "firm_id",
            "group__exchange_types__name",
            "group__exchange_types__name_en",
            "group__exchange_types__sort_order",
        )
        .filter(group__exchange_types__isnull=False)
        .distinct()
        .order_by("firm_id", "group__exchange_types__sort_order")
    )
    from yunghap.core.i18n import in_reader_language

    for firm_id, korean, english, _order in rows:
        name = in_reader_language(korean, english)
        if name not in result[firm_id]:
            result[firm_id].append(name)
    return result


def public_firm_card(firm: Firm, public_id: str, exchange_types: list[str]) -> dict[str, Any]:
    """The public card of a firm: exactly PUBLIC_FIRM_KEYS, plus its public id for its address."""
    card = {
        "public_id": public_id,
        "name": firm.name,
        "region": firm.federation.display_name,
        "region_code": firm.federation.code,
        "industry": f"{firm.industry.code} {firm.industry.display_name}",
        "industry_code": firm.industry.code,
        "exchange_types": list(exchange_types),
        "founded_year": firm.founded_on.year if firm.founded_on else None,
        "technologies": list(firm.technologies or []),
        "products": list(firm.products or []),
    }
    return card


def public_firm_cards(firms: Iterable[Firm]) -> list[dict[str, Any]]:
    """Cards for a page of firms loaded with `listing` (select_related): one more query for the types."""
    firms = list(firms)
    types = firm_exchange_types(f.pk for f in firms)
    return [public_firm_card(f, _public_id(f), types.get(f.pk, [])) for f in firms]


def _public_id(firm: Firm) -> str:
    try:
        return firm.listing.public_id
    except FirmListing.DoesNotExist:
        return ""


def public_group_card(group: ExchangeGroup, industries: list[str] | None = None) -> dict[str, Any]:
    """The public card of a group: exactly PUBLIC_GROUP_KEYS, plus its code for its address.
    `industries` are the KSIC divisions of its listed current members (never of the others)."""
    return {
        "code": group.code,
        "name": group.name,
        "region": group.federation.display_name,
        "region_code": group.federation.code,
        "industries": list(industries or []),
        "exchange_types": [t.display_name for t in group.exchange_types.all()],
        "founded_year": group.founded_year,
    }


def card_rows(card: dict[str, Any], fields: tuple[tuple[str, Any], ...]) -> list[tuple[Any, str]]:
    """(label, text) for each public field of a card, in the list's order: what a card page shows."""
    rows = []
    for key, label in fields:
        value = card.get(key)
        if isinstance(value, list):
            text = ", ".join(str(v) for v in value) if value else "—"
        elif value is None or value == "":
            text = "—"
        else:
            text = str(value)
        rows.append((label, text))
    return rows
