"""Reads of the registry for the pages: scoped querysets with their counts, and a group's industry make-up.

Every list starts from `visible_to(user)`; counts are annotations or one grouped query, never one query
per row, because the group list is load-tested.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone

from yunghap.core.i18n import in_reader_language, reader_reads_english

from .models import SIZE_CLASSES, ExchangeGroup, ExchangeType, Federation, Firm, Industry, Membership

# --- the cross-industry make-up of a group -------------------------------------------------------------


@dataclass(frozen=True)
class Composition:
    """How a group's current members spread over KSIC divisions.

    `entropy` is Shannon's H = -Σ p·ln p in nats (natural log); `evenness` is Pielou's J = H / ln S, from 0
    (all in one division) to 1 (evenly spread). J is undefined for fewer than two divisions: None.
    """

    members: int
    divisions: int
    entropy: float
    evenness: float | None
    counts: tuple[tuple[str, int], ...]  # (division code, members), largest first


def composition(division_counts: Mapping[str, int]) -> Composition:
    counts = {code: n for code, n in division_counts.items() if n > 0}
    total = sum(counts.values())
    entropy = 0.0
    for n in counts.values():
        p = n / total
        entropy -= p * math.log(p)
    entropy = max(entropy, 0.0)  # -0.0 for a single division reads oddly
    evenness = entropy / math.log(len(counts)) if len(counts) > 1 else None
    ordered = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return Composition(
        members=total, divisions=len(counts), entropy=entropy, evenness=evenness, counts=ordered
    )


def composition_of_memberships(memberships: Iterable[Any]) -> Composition:
    return composition(Counter(m.firm.industry.code for m in memberships))


# --- reference choices, read on every filter form -----------------------------------------------------

_CHOICES_KEY = "network:reference-choices:v1"


def reference_choices() -> dict[str, list[tuple[str, str]]]:
    """Regions, exchange types and KSIC divisions for the filter forms, cached until one of them changes.

    Without the cache every list page would pay three extra queries for rows that change a few times a
    year; the signal handlers below drop the cache when staff edit them.
    """
    key = f"{_CHOICES_KEY}:{'en' if reader_reads_english() else 'ko'}"
    cached = cache.get(key)
    if cached is not None:
        return cast(dict[str, list[tuple[str, str]]], cached)
    bilingual = ("code", "name", "name_en")
    choices = {
        "regions": [
            (f.code, f.display_name)
            for f in Federation.objects.filter(level=Federation.Level.REGIONAL).only(*bilingual)
        ],
        "exchange_types": [(t.code, t.display_name) for t in ExchangeType.objects.only(*bilingual)],
        "divisions": [(i.code, f"{i.code} {i.display_name}") for i in Industry.objects.only(*bilingual)],
    }
    cache.set(key, choices, 5 * 60)
    return choices


def forget_reference_choices(**_kwargs: Any) -> None:
    cache.delete_many([f"{_CHOICES_KEY}:ko", f"{_CHOICES_KEY}:en"])


def connect_signals() -> None:
    """Called by `NetworkConfig.ready()`: a change of reference data drops the cached filter choices."""
    for model in (Federation, ExchangeType, Industry):
        post_save.connect(
            forget_reference_choices, sender=model, dispatch_uid=f"choices-save-{model.__name__}"
        )
        post_delete.connect(
            forget_reference_choices, sender=model, dispatch_uid=f"choices-delete-{model.__name__}"
        )


# --- groups -------------------------------------------------------------------------------------------


def group_list(user: Any, filters: Mapping[str, Any]) -> QuerySet[ExchangeGroup]:
    """Visible groups filtered by the list's form; `attach_group_counts` adds the counts to a page of them."""
    return filter_groups(ExchangeGroup.objects.visible_to(user), filters)


def filter_groups(
    groups: QuerySet[ExchangeGroup], filters: Mapping[str, Any], *, member_firms: Any = None
) -> QuerySet[ExchangeGroup]:
    """The group list's filters on any queryset of groups (the registry's, the public directory's).

    `member_firms` limits the KSIC-division filter to these firms' memberships: the directory filters by the
    listed members only, so that it never tells which divisions unlisted members are in."""
    today = timezone.localdate()
    if filters.get("region"):
        groups = groups.filter(federation__code=filters["region"])
    if filters.get("exchange_type"):
        groups = groups.filter(exchange_types__code=filters["exchange_type"])
    if filters.get("status"):
        groups = groups.filter(status=filters["status"])
    if filters.get("division"):
        groups = groups.filter(
            Exists(
                (
                    Membership.objects.current(today)
                    if member_firms is None
                    else Membership.objects.current(today).filter(firm__in=member_firms)
                ).filter(group=OuterRef("pk"), firm__industry__code=filters["division"])
            )
        )
    if filters.get("q"):
        groups = groups.filter(Q(name__icontains=filters["q"]) | Q(code__icontains=filters["q"]))
    return (
        groups.select_related("federation")
        .prefetch_related("exchange_types")
        .order_by("federation__sort_order", "name", "pk")
    )


def attach_group_counts(groups: Iterable[ExchangeGroup]) -> list[ExchangeGroup]:
    """Set `member_count` and `division_count` (current members, distinct KSIC divisions) on each group.

    One grouped query over the page's groups only. Annotating the list queryset instead makes the
    database aggregate the memberships of every matching group before it can sort and cut the page,
    and the count query carries the same joins: 3–5 times slower on the demo network.
    """
    groups = list(groups)
    counts = {
        row["group_id"]: row
        for row in Membership.objects.current(timezone.localdate())
        .filter(group_id__in=[g.pk for g in groups])
        .values("group_id")
        .annotate(
            members=Count("firm_id", distinct=True), divisions=Count("firm__industry_id", distinct=True)
        )
        .order_by()
    }
    for group in groups:
        row: Any = counts.get(group.pk, {})
        group.member_count = row.get("members", 0)  # type: ignore[attr-defined]
        group.division_count = row.get("divisions", 0)  # type: ignore[attr-defined]
    return groups


# What a member row shows; loading only these keeps a long history cheap to build.
MEMBERSHIP_ROW_FIELDS = (
    "id",
    "group_id",
    "firm_id",
    "role",
    "joined_on",
    "left_on",
    "firm__brn",
    "firm__name",
    "firm__federation_id",
    "firm__representative",
    "firm__phone",
    "firm__industry__code",
    "firm__industry__name",
    "firm__industry__name_en",
)


def group_page_memberships(group: ExchangeGroup) -> list[Membership]:
    """All periods of a group, current and former, with firm and division, in one query."""
    return list(
        group.memberships.select_related("firm__industry")
        .only(*MEMBERSHIP_ROW_FIELDS)
        .order_by("-left_on", "firm__name", "-joined_on")
    )


@dataclass(slots=True)
class PageIndustry:
    code: str
    name: str


@dataclass(slots=True)
class PageFirm:
    id: int
    brn: str
    name: str
    federation_id: int
    representative: str
    phone: str
    industry: PageIndustry


@dataclass(slots=True)
class PagePeriod:
    """One membership period as the group page shows it: plain values, not a model instance.

    The group page is load-tested (bench/http_load.py): a group of thirty years has hundreds of periods,
    and building a Membership, a Firm and an Industry instance for each was a fifth of its time.
    """

    pk: int
    firm_id: int
    role: str
    joined_on: datetime.date
    left_on: datetime.date | None
    firm: PageFirm
    linkable: bool = False
    role_label: str = ""
    firm_url: str = ""
    edit_url: str = ""

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.joined_on <= on and (self.left_on is None or self.left_on > on)


def group_page_periods(group: ExchangeGroup, user: Any) -> list[PagePeriod]:
    """`group_page_memberships` as plain rows, each saying whether the user may open its firm
    (`Firm.objects.visible_to`, as `visible_firm_ids`): one query, values only."""
    from yunghap.accounts.scope import scope_of

    periods_of_group = Membership.objects.filter(group_id=group.pk)
    if scope_of(user).central:
        periods_of_group = periods_of_group.annotate(linkable=Value(True))
    else:
        periods_of_group = periods_of_group.annotate(
            linkable=Exists(Firm.objects.visible_to(user).filter(pk=OuterRef("firm_id")))
        )
    rows = periods_of_group.order_by("-left_on", "firm__name", "-joined_on").values_list(  # type: ignore[misc]  # `linkable` is annotated in both branches above
        "id",
        "firm_id",
        "role",
        "joined_on",
        "left_on",
        "firm__brn",
        "firm__name",
        "firm__federation_id",
        "firm__representative",
        "firm__phone",
        "firm__industry__code",
        "firm__industry__name",
        "firm__industry__name_en",
        "linkable",
    )
    industries: dict[str, PageIndustry] = {}
    periods = []
    for pk, firm_id, role, joined, left, brn, name, fed, rep, phone, code, korean, english, linkable in rows:
        industry = industries.get(code)
        if industry is None:
            # The division's name in the reader's language (as `Industry.display_name`).
            industry = industries[code] = PageIndustry(code, in_reader_language(korean, english))
        firm = PageFirm(firm_id, brn, name, fed, rep, phone, industry)
        periods.append(PagePeriod(pk, firm_id, role, joined, left, firm, bool(linkable)))
    return periods


def url_maker(name: str, kwarg: str, placeholder: str = "0000000000") -> Any:
    """A function value -> URL for one named route, reversing it once instead of once per table row.

    The placeholder must match the route's converter (digits fit int, str and slug alike).
    """
    pattern = reverse(name, kwargs={kwarg: placeholder})
    return lambda value: pattern.replace(placeholder, quote(str(value)), 1)


def split_current(memberships: Iterable[Any], on: datetime.date | None = None) -> tuple[list[Any], list[Any]]:
    """Current and former periods (Membership or PagePeriod), each in the order the group page shows."""
    on = on or timezone.localdate()
    current: list[Any] = []
    former: list[Any] = []
    for membership in memberships:
        (current if membership.is_current(on) else former).append(membership)
    role_order: dict[str, int] = {
        Membership.Role.CHAIR: 0,
        Membership.Role.SECRETARY: 1,
        Membership.Role.MEMBER: 2,
    }
    current.sort(key=lambda m: (role_order.get(m.role, 3), m.firm.name))
    former.sort(key=lambda m: (m.left_on or on, m.firm.name), reverse=True)
    return current, former


def visible_firm_ids(user: Any, firm_ids: Iterable[int]) -> set[int]:
    """Which of these firms the user may open; one query (none for central staff)."""
    ids = set(firm_ids)
    if not ids:
        return set()
    from yunghap.accounts.scope import scope_of

    if scope_of(user).central:
        return ids
    return set(Firm.objects.visible_to(user).filter(id__in=ids).values_list("id", flat=True))


# --- firms --------------------------------------------------------------------------------------------


def size_class_q(code: str) -> Q:
    for size_code, _label, low, high in SIZE_CLASSES:
        if size_code == code:
            condition = Q(employees__gte=low)
            if high is not None:
                condition &= Q(employees__lt=high)
            return condition
    return Q(pk__in=[])


def firm_list(user: Any, filters: Mapping[str, Any]) -> QuerySet[Firm]:
    return filter_firms(Firm.objects.visible_to(user), filters).select_related("federation", "industry")


def filter_firms(firms: QuerySet[Firm], filters: Mapping[str, Any], *, by_brn: bool = True) -> QuerySet[Firm]:
    """The firm list's filters on any queryset of firms, ordered by name. `by_brn=False` (the public
    directory) searches names only: the public may not confirm a business registration number."""
    if filters.get("region"):
        firms = firms.filter(federation__code=filters["region"])
    if filters.get("division"):
        if filters.get("secondary"):
            # Main or secondary industry: a subquery, so that a firm is listed once.
            also = Firm.secondary_industries.through.objects.filter(industry__code=filters["division"])
            firms = firms.filter(Q(industry__code=filters["division"]) | Q(id__in=also.values("firm_id")))
        else:
            firms = firms.filter(industry__code=filters["division"])
    if filters.get("size"):
        firms = firms.filter(size_class_q(filters["size"]))
    if filters.get("q"):
        term = filters["q"]
        digits = term.replace("-", "").replace(" ", "")
        condition = Q(name__icontains=term)
        if by_brn and digits.isdigit():
            condition |= Q(brn__startswith=digits)
        firms = firms.filter(condition)
    return firms.order_by("name", "pk")


def attach_firm_counts(firms: Iterable[Firm]) -> list[Firm]:
    """Set `group_count` (groups the firm is a current member of) on a page of firms: one grouped query."""
    firms = list(firms)
    counts = dict(
        Membership.objects.current(timezone.localdate())
        .filter(firm_id__in=[f.pk for f in firms])
        .values("firm_id")
        .annotate(n=Count("group_id", distinct=True))
        .order_by()
        .values_list("firm_id", "n")
    )
    for firm in firms:
        firm.group_count = counts.get(firm.pk, 0)  # type: ignore[attr-defined]
    return firms


def firm_page_memberships(firm: Firm) -> list[Membership]:
    return list(firm.memberships.select_related("group__federation").order_by("-joined_on", "group__name"))


# --- federations --------------------------------------------------------------------------------------


@dataclass
class FederationStats:
    federation: Federation
    groups: int = 0
    firms: int = 0
    members: int = 0


def visible_federations(user: Any) -> QuerySet[Federation]:
    """Central staff: all regional federations; regional staff: their own; others: those of their groups."""
    from yunghap.accounts.scope import scope_of

    scope = scope_of(user)
    regional = Federation.objects.filter(level=Federation.Level.REGIONAL)
    if scope.central:
        return regional
    if not scope.has_network_access:
        return regional.none()
    condition = Q(id__in=scope.region_ids) | Q(
        id__in=ExchangeGroup.objects.visible_to(user).values("federation_id")
    )
    return regional.filter(condition)


def federation_stats(federations: Iterable[Federation]) -> list[FederationStats]:
    """Groups, registered firms and current member firms per federation: three grouped queries in all."""
    stats = {f.pk: FederationStats(f) for f in federations}
    if not stats:
        return []
    ids = list(stats)
    today = timezone.localdate()
    for row in (
        ExchangeGroup.objects.filter(federation_id__in=ids).values("federation_id").annotate(n=Count("id"))
    ):
        stats[row["federation_id"]].groups = row["n"]
    for row in Firm.objects.filter(federation_id__in=ids).values("federation_id").annotate(n=Count("id")):
        stats[row["federation_id"]].firms = row["n"]
    members = (
        Membership.objects.current(today)
        .filter(group__federation_id__in=ids)
        .values("group__federation_id")
        .annotate(n=Count("firm_id", distinct=True))
    )
    for member_row in members:
        stats[member_row["group__federation_id"]].members = member_row["n"]
    return list(stats.values())


def current_member_firms(federation_ids: list[int]) -> int:
    """Firms that are members now of a group of these federations, each counted once."""
    return (
        Membership.objects.current(timezone.localdate())
        .filter(group__federation_id__in=federation_ids)
        .values("firm_id")
        .distinct()
        .count()
    )


def scope_counts(user: Any) -> dict[str, int]:
    """What the user can reach: groups, firms and current member firms in scope."""
    today = timezone.localdate()
    groups = ExchangeGroup.objects.visible_to(user)
    return {
        "groups": groups.count(),
        "firms": Firm.objects.visible_to(user).count(),
        "members": Membership.objects.current(today)
        .filter(group__in=groups)
        .values("firm_id")
        .distinct()
        .count(),
    }
