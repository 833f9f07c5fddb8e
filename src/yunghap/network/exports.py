"""Spreadsheet exports of the registry, in the importers' columns so that they re-import unchanged."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yunghap.accounts.scope import scope_of
from yunghap.core.exports import Exporter, register_exporter
from yunghap.core.masking import mask_email, mask_name, mask_phone

from . import selectors
from .forms import FirmFilterForm, GroupFilterForm
from .imports import FIRM_COLUMNS, GROUP_COLUMNS, MEMBERSHIP_COLUMNS
from .ksic import join_codes
from .models import ExchangeGroup, Federation, Firm, Industry, Membership
from .permissions import can_transfer_data

CHUNK = 2000


def _visible(model: Any, user: Any) -> Any:
    return model.objects.all() if user is None else model.objects.visible_to(user)


def _joined(items: Any) -> str:
    return "; ".join(str(item) for item in items or [])


def personal_data_filter(user: Any) -> tuple[bool, frozenset[int], set[int]]:
    """`can_see_personal_data` for a whole list at once: (everything?, region ids, firm ids).

    A firm's people are shown to the firm itself, its federation's staff, and the staff and officers of
    the groups it belongs to; computed with one query instead of two per firm.
    """
    if user is None:
        return True, frozenset(), set()
    scope = scope_of(user)
    if scope.central:
        return True, frozenset(), set()
    firm_ids = set(scope.firm_ids)
    if scope.region_ids or scope.officer_group_ids:
        firm_ids.update(
            Membership.objects.giving_access()
            .filter(Q(group__federation_id__in=scope.region_ids) | Q(group_id__in=scope.officer_group_ids))
            .values_list("firm_id", flat=True)
        )
    return False, scope.region_ids, firm_ids


class NetworkExporter(Exporter):
    @classmethod
    def allowed(cls, user: Any) -> bool:
        return user is None or can_transfer_data(user)


@register_exporter
class GroupExporter(NetworkExporter):
    kind = "groups"
    label = _("교류회")
    columns = GROUP_COLUMNS
    object_type = "network.exchangegroup"
    filter_form = GroupFilterForm

    def rows(self, user: Any, filters: dict[str, Any] | None = None) -> Iterator[list[Any]]:
        regions = dict(Federation.objects.values_list("id", "code"))
        groups = _visible(ExchangeGroup, user)
        if filters:
            groups = selectors.group_list(user, filters) if user is not None else groups
        groups = groups.order_by("code")
        types: dict[int, list[str]] = defaultdict(list)
        through = ExchangeGroup.exchange_types.through.objects.filter(exchangegroup__in=groups)
        for group_id, code in through.order_by("exchangetype__sort_order").values_list(
            "exchangegroup_id", "exchangetype__code"
        ):
            types[group_id].append(code)
        fields = ("id", "code", "name", "federation_id", "kind", "founded_on", "status")
        for pk, code, name, federation_id, kind, founded_on, status in groups.values_list(*fields).iterator(
            chunk_size=CHUNK
        ):
            yield [code, name, regions[federation_id], kind, founded_on, ";".join(types[pk]), status]


@register_exporter
class FirmExporter(NetworkExporter):
    kind = "firms"
    label = _("회원사")
    columns = FIRM_COLUMNS
    object_type = "network.firm"
    filter_form = FirmFilterForm

    def rows(self, user: Any, filters: dict[str, Any] | None = None) -> Iterator[list[Any]]:
        regions = dict(Federation.objects.values_list("id", "code"))
        industries = dict(Industry.objects.values_list("id", "code"))
        everything, region_ids, firm_ids = personal_data_filter(user)
        fields = (
            "id",
            "brn",
            "name",
            "representative",
            "phone",
            "email",
            "address",
            "federation_id",
            "industry_id",
            "employees",
            "revenue_krw",
            "founded_on",
            "technologies",
            "products",
            "status",
        )
        firms = _visible(Firm, user)
        if filters and user is not None:
            firms = selectors.firm_list(user, filters)
        firms = firms.order_by("brn")
        secondary: dict[int, list[str]] = defaultdict(list)
        through = Firm.secondary_industries.through.objects.filter(firm__in=firms)
        for firm_id, code in through.order_by("industry__code").values_list("firm_id", "industry__code"):
            secondary[firm_id].append(code)
        firms = firms.values_list(*fields)
        for row in firms.iterator(chunk_size=CHUNK):
            pk, brn, name, representative, phone, email, address, federation_id, *rest = row
            industry_id, employees, revenue, founded_on, technologies, products, status = rest
            if everything or federation_id in region_ids or pk in firm_ids:
                if representative or phone or email:
                    self.unmasked_ids.append(pk)
            else:
                representative, phone, email = mask_name(representative), mask_phone(phone), mask_email(email)
            yield [
                brn,
                name,
                representative,
                phone,
                email,
                address,
                regions[federation_id],
                join_codes([industries[industry_id], *secondary.get(pk, [])]),
                employees,
                revenue,
                founded_on,
                _joined(technologies),
                _joined(products),
                status,
            ]


@register_exporter
class MembershipExporter(NetworkExporter):
    kind = "memberships"
    label = _("회원 가입 이력")
    columns = MEMBERSHIP_COLUMNS
    object_type = "network.membership"

    def rows(self, user: Any, filters: dict[str, Any] | None = None) -> Iterator[list[Any]]:
        memberships = _visible(Membership, user).order_by("group__code", "firm__brn", "joined_on")
        fields = ("group__code", "firm__brn", "role", "joined_on", "left_on")
        for row in memberships.values_list(*fields).iterator(chunk_size=CHUNK):
            yield list(row)
