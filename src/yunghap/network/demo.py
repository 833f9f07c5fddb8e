"""The demo network: the plan's federation at its real size, generated from a seed.

`generate_network(seed)` is pure Python (no database): 274 unit groups over the 13 regional
federations, 5,684 firms with valid business registration numbers, officers rotated every two or three
years and membership histories. `write_network()` stores it with a handful of bulk inserts, so the whole
demo takes a few seconds on SQLite. The same seed always gives the same network (see `network_digest()`).

Dates are generated up to `DEMO_AS_OF`, a fixed day, so that the data does not depend on the day the demo
runs. `yunghap demo` (management/commands/demo.py) calls these, then creates the demo logins
(`demo_users.create_demo_users()`), then the `build_demo()` of the other apps. `insert_rows()` is the
fast bulk insert those can use too.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from yunghap.core.audit import record_bulk_change

from . import demo_data as vocab
from .models import (
    PUBLIC_ID_ALPHABET,
    PUBLIC_ID_LENGTH,
    ExchangeGroup,
    ExchangeType,
    Federation,
    Firm,
    FirmListing,
    Industry,
    Membership,
)
from .reference import EXCHANGE_TYPES

DEFAULT_SEED = 20090301  # the plan's figures are "as of March 2009"
DEMO_AS_OF = datetime.date(2026, 3, 31)
TOTAL_FIRMS = 5684
SECOND_GROUP_SHARE = 0.05  # firms that are current members of two groups
DISSOLVED_GROUPS = 5
DORMANT_GROUPS = 17
# Shares of the plan's survey (multiple answers): 정보교환형 83.6%, 자원협력형 30.8%, 신제품개발형 24.1%.
EXCHANGE_TYPE_SHARES = {"info": 0.836, "resource": 0.308, "newproduct": 0.241}

DEMO_PASSWORD = "yunghap-demo-2026"  # noqa: S105  (printed for everyone: demo only)
DEMO_USERNAMES = ("central", "seoul", "officer", "firm", "coordinator", "reviewer")
TYPE_NAMES = {code: name for code, name, _en, _description in EXCHANGE_TYPES}


@dataclass
class GroupSpec:
    code: str
    name: str
    region: str
    place: tuple[str, str, str]
    founded_on: datetime.date
    status: str = ExchangeGroup.Status.ACTIVE
    dissolved_on: datetime.date | None = None
    exchange_types: list[str] = field(default_factory=list)
    divisions: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    description: str = ""


@dataclass
class FirmSpec:
    brn: str
    name: str
    representative: str
    phone: str
    email: str
    address: str
    region: str
    division: str
    employees: int
    revenue_krw: int
    technologies: list[str]
    products: list[str]
    founded_on: datetime.date | None = None


@dataclass
class Stint:
    """A firm's uninterrupted presence in a group; officer terms inside it split it into membership rows."""

    group: int
    firm: int
    joined_on: datetime.date
    left_on: datetime.date | None
    terms: list[tuple[datetime.date, datetime.date | None, str]] = field(default_factory=list)


@dataclass
class MembershipSpec:
    group: int
    firm: int
    role: str
    joined_on: datetime.date
    left_on: datetime.date | None


@dataclass
class Network:
    groups: list[GroupSpec]
    firms: list[FirmSpec]
    memberships: list[MembershipSpec]


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def brn_check_digit(first_nine: str) -> str:
    nums = [int(c) for c in first_nine]
    total = sum(n * w for n, w in zip(nums, (1, 3, 7, 1, 3, 7, 1, 3, 5), strict=True)) + (nums[8] * 5) // 10
    return str((10 - total % 10) % 10)


class _Generator:
    def __init__(self, seed: int, as_of: datetime.date) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.groups: list[GroupSpec] = []
        self.firms: list[FirmSpec] = []
        self.stints: list[Stint] = []
        self.group_firms: list[set[int]] = []
        self.used_brns: set[str] = set()
        self.used_names: set[str] = set()
        self.used_domains: set[str] = set()

    # ---- groups -------------------------------------------------------------------------------
    def make_groups(self) -> None:
        rng = self.rng
        used_names: set[str] = set()
        for region, count in vocab.GROUPS_PER_REGION.items():
            places = list(vocab.PLACES[region])
            rng.shuffle(places)
            specs = []
            for i in range(count):
                place = places[i % len(places)]
                name = self._group_name(place[0], used_names)
                # Exchange began in 1989; most groups were founded in the 1990s and early 2000s.
                year = rng.choices(
                    range(1989, 2009), weights=[3 + min(k, 8) - max(0, k - 12) for k in range(20)]
                )[0]
                founded = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
                specs.append(GroupSpec(code="", name=name, region=region, place=place, founded_on=founded))
            # Codes follow founding order within a region: seoul-001 is Seoul's oldest group.
            specs.sort(key=lambda g: (g.founded_on, g.name))
            for number, spec in enumerate(specs, start=1):
                spec.code = f"{region}-{number:03d}"
            self.groups.extend(specs)
        self.group_firms = [set() for _ in self.groups]
        self._assign_statuses()
        self._assign_exchange_types()
        for spec in self.groups:
            self._assign_divisions(spec)
            types = "·".join(TYPE_NAMES[t] for t in spec.exchange_types)
            spec.description = (
                f"{spec.place[0]} 지역의 서로 다른 업종 중소기업이 {spec.founded_on.year}년에 결성한 "
                f"단위교류회로, {types} 활동을 합니다."
            )

    def _group_name(self, place: str, used: set[str]) -> str:
        for _attempt in range(40):
            name = f"{place}{self.rng.choice(vocab.GROUP_THEMES)}"
            if name not in used:
                used.add(name)
                return name
        number = 2
        while f"{place}제{number}이업종교류회" in used:
            number += 1
        used.add(f"{place}제{number}이업종교류회")
        return f"{place}제{number}이업종교류회"

    def _assign_statuses(self) -> None:
        rng = self.rng
        old = [g for g in self.groups if g.founded_on.year <= 2003]
        for spec in rng.sample(old, DISSOLVED_GROUPS):
            spec.status = ExchangeGroup.Status.DISSOLVED
            spec.dissolved_on = random_date(rng, add_years(spec.founded_on, 6), add_years(self.as_of, -1))
        alive = [g for g in self.groups if g.status == ExchangeGroup.Status.ACTIVE]
        for spec in rng.sample(alive, DORMANT_GROUPS):
            spec.status = ExchangeGroup.Status.DORMANT

    def _assign_exchange_types(self) -> None:
        """Exactly the plan's shares; every group has at least one type."""
        rng = self.rng
        n = len(self.groups)
        order = list(range(n))
        rng.shuffle(order)
        counts = {code: round(n * share) for code, share in EXCHANGE_TYPE_SHARES.items()}
        info = set(order[: counts["info"]])
        others = order[counts["info"] :]
        resource = set(others[: len(others) // 2 + 3])
        newproduct = set(others[len(others) // 2 + 3 :])
        pool = [i for i in order if i in info]
        resource.update(rng.sample(pool, counts["resource"] - len(resource)))
        newproduct.update(rng.sample(pool, counts["newproduct"] - len(newproduct)))
        for i, spec in enumerate(self.groups):
            spec.exchange_types = [
                code
                for code, chosen in (("info", info), ("resource", resource), ("newproduct", newproduct))
                if i in chosen
            ]

    def _assign_divisions(self, spec: GroupSpec) -> None:
        """A cross-industry mix: 6–15 divisions, weighted by the national mix and the region's industry."""
        boost = vocab.REGION_BOOST.get(spec.region, {})
        codes = list(vocab.DIVISIONS)
        weights = [vocab.DIVISIONS[c]["weight"] * boost.get(c, 1.0) for c in codes]
        wanted = self.rng.randint(6, 15)
        chosen: list[str] = []
        while len(chosen) < wanted:
            code = self.rng.choices(codes, weights=weights)[0]
            if code not in chosen:
                chosen.append(code)
        spec.divisions = chosen
        spec.weights = [vocab.DIVISIONS[c]["weight"] * boost.get(c, 1.0) for c in chosen]

    # ---- firms --------------------------------------------------------------------------------
    def make_firms(self) -> None:
        rng = self.rng
        living = [i for i, g in enumerate(self.groups) if g.status != ExchangeGroup.Status.DISSOLVED]
        sizes = [round(rng.triangular(15, 28, 20)) for _ in living]
        while sum(sizes) != TOTAL_FIRMS:
            k = rng.randrange(len(sizes))
            if sum(sizes) > TOTAL_FIRMS and sizes[k] > 15:
                sizes[k] -= 1
            elif sum(sizes) < TOTAL_FIRMS and sizes[k] < 28:
                sizes[k] += 1
        for group_index, size in zip(living, sizes, strict=True):
            spec = self.groups[group_index]
            # Every division of the group's mix is represented, the rest follow its weights.
            divisions = spec.divisions[:size] + rng.choices(
                spec.divisions, weights=spec.weights, k=max(0, size - len(spec.divisions))
            )
            rng.shuffle(divisions)
            charter = max(5, round(size * rng.uniform(0.15, 0.35)))
            for position, division in enumerate(divisions):
                place = spec.place if rng.random() < 0.75 else rng.choice(vocab.PLACES[spec.region])
                firm_index = self._new_firm(spec.region, place, division)
                joined = spec.founded_on if position < charter else self._join_date(spec, self.as_of)
                self._add_stint(group_index, firm_index, joined, None)

    def _join_date(self, spec: GroupSpec, end: datetime.date) -> datetime.date:
        return random_date(self.rng, spec.founded_on + datetime.timedelta(days=30), end)

    def _add_stint(self, group: int, firm: int, joined: datetime.date, left: datetime.date | None) -> None:
        self.stints.append(Stint(group, firm, joined, left))
        self.group_firms[group].add(firm)

    def _new_firm(self, region: str, place: tuple[str, str, str], division: str) -> int:
        rng = self.rng
        info = vocab.DIVISIONS[division]
        corporate = rng.random() < 0.7
        while True:
            office = rng.choice(vocab.TAX_OFFICES[region])
            kind = rng.choice(("81", "86", "87")) if corporate else f"{rng.randint(1, 79):02d}"
            nine = f"{office:03d}{kind}{rng.randint(1, 9999):04d}"
            brn = nine + brn_check_digit(nine)
            if brn not in self.used_brns:
                self.used_brns.add(brn)
                break
        while True:
            if rng.random() < 0.7:
                first, second = rng.choice(vocab.STEM_FIRST), rng.choice(vocab.STEM_SECOND)
                stem, roman = first[0] + second[0], first[1] + second[1]
            else:
                stem, roman = rng.choice(vocab.STEM_MODERN)
            suffix = rng.choice(info["suffixes"] + ["산업", "테크"])
            if stem + suffix not in self.used_names:
                self.used_names.add(stem + suffix)
                break
        if corporate:
            name = rng.choice(("(주)" + stem + suffix, stem + suffix + "(주)", "주식회사 " + stem + suffix))
        else:
            name = stem + suffix
        domain = roman + vocab.SUFFIX_ROMAN.get(suffix, "co")
        number = 1
        while domain + (str(number) if number > 1 else "") in self.used_domains:
            number += 1
        domain += str(number) if number > 1 else ""
        self.used_domains.add(domain)
        employees = int(min(450, max(3, math.exp(rng.gauss(3.2 if corporate else 2.2, 0.95)))))
        revenue = employees * math.exp(rng.gauss(math.log(2.2e8), 0.45))
        technologies = rng.sample(info["tech"], k=min(len(info["tech"]), rng.randint(2, 4)))
        if rng.random() < 0.2:  # a skill from another industry: what makes cross-industry matching work
            other = vocab.DIVISIONS[rng.choice(list(vocab.DIVISIONS))]["tech"]
            extra = rng.choice(other)
            if extra not in technologies:
                technologies.append(extra)
        surname = rng.choices([s for s, _w in vocab.SURNAMES], weights=[w for _s, w in vocab.SURNAMES])[0]
        given = rng.sample(vocab.GIVEN_SYLLABLES, 2)
        floor = f", {rng.randint(2, 12)}층" if rng.random() < 0.35 else ""
        self.firms.append(
            FirmSpec(
                brn=brn,
                name=name,
                representative=surname + "".join(given),
                phone=f"010-{rng.randint(2000, 9999)}-{rng.randint(0, 9999):04d}",
                email=f"{rng.choice(vocab.EMAIL_LOCALS)}@{domain}.co.kr",
                address=f"{place[1]} {place[2]} {rng.choice(vocab.ROADS)} {rng.randint(1, 480)}{floor}",
                region=region,
                division=division,
                employees=employees,
                revenue_krw=int(round(revenue, -6)),
                technologies=technologies,
                products=rng.sample(info["products"], k=min(len(info["products"]), rng.randint(1, 3))),
            )
        )
        return len(self.firms) - 1

    # ---- histories ----------------------------------------------------------------------------
    def make_histories(self) -> None:
        rng = self.rng
        by_region: dict[str, list[int]] = {}
        for index, firm in enumerate(self.firms):
            by_region.setdefault(firm.region, []).append(index)
        groups_by_region: dict[str, list[int]] = {}
        for index, spec in enumerate(self.groups):
            if spec.status != ExchangeGroup.Status.DISSOLVED:
                groups_by_region.setdefault(spec.region, []).append(index)

        # About 5% of firms are current members of a second group of their region.
        for firm_index in rng.sample(range(len(self.firms)), round(len(self.firms) * SECOND_GROUP_SHARE)):
            region = self.firms[firm_index].region
            options = [
                g
                for g in groups_by_region[region]
                if firm_index not in self.group_firms[g] and len(self.group_firms[g]) < 30
            ]
            target = rng.choice(options)
            self._add_stint(target, firm_index, self._join_date(self.groups[target], self.as_of), None)

        for group_index, spec in enumerate(self.groups):
            pool = by_region[spec.region]
            end = spec.dissolved_on or self.as_of
            if spec.dissolved_on:
                # A dissolved group's members all left on its last day; they belong to other groups now.
                size = rng.randint(14, 22)
                charter = rng.randint(5, 8)
                for position, firm_index in enumerate(self._outsiders(group_index, pool, size)):
                    joined = (
                        spec.founded_on if position < charter else self._join_date(spec, add_years(end, -1))
                    )
                    self._add_stint(group_index, firm_index, joined, end)
            # Members who left: roughly one every two or three years of the group's life.
            years = (end - spec.founded_on).days / 365.25
            for firm_index in self._outsiders(group_index, pool, int(years * rng.uniform(0.3, 0.6))):
                joined = spec.founded_on if rng.random() < 0.3 else self._join_date(spec, add_years(end, -1))
                left = random_date(rng, add_years(joined, 1), min(add_years(joined, 12), end))
                self._add_stint(group_index, firm_index, joined, left)

        stints_by_group: dict[int, list[Stint]] = {}
        for stint in self.stints:
            stints_by_group.setdefault(stint.group, []).append(stint)
        for group_index, spec in enumerate(self.groups):
            self._rotate_officers(spec, stints_by_group[group_index])

        first_join: dict[int, datetime.date] = {}
        for stint in self.stints:
            if stint.firm not in first_join or stint.joined_on < first_join[stint.firm]:
                first_join[stint.firm] = stint.joined_on
        for index, firm in enumerate(self.firms):
            year = max(1955, first_join[index].year - rng.randint(1, 25))
            firm.founded_on = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))

    def _outsiders(self, group_index: int, pool: list[int], count: int) -> list[int]:
        chosen: list[int] = []
        while len(chosen) < count:
            firm_index = self.rng.choice(pool)
            if firm_index not in self.group_firms[group_index] and firm_index not in chosen:
                chosen.append(firm_index)
        return chosen

    def _rotate_officers(self, spec: GroupSpec, stints: list[Stint]) -> None:
        """Chair and secretary serve two- or three-year terms from the founding day; the last term is open."""
        rng = self.rng
        end = spec.dissolved_on or self.as_of
        start = spec.founded_on
        previous: dict[str, Stint | None] = {"chair": None, "secretary": None}
        while start <= end:
            term_end: datetime.date | None = add_years(start, rng.choice((2, 2, 3)))
            assert term_end is not None
            if term_end > end:
                term_end = spec.dissolved_on  # open (None) for a living group
            must_last = term_end or end
            candidates = [
                s
                for s in stints
                if s.joined_on <= start
                and (s.left_on is None if term_end is None else (s.left_on is None or s.left_on >= must_last))
            ]
            taken: list[Stint] = []
            for role in ("chair", "secretary"):
                options = [s for s in candidates if s is not previous[role] and s not in taken] or [
                    s for s in candidates if s not in taken
                ]
                holder = rng.choice(options)
                holder.terms.append((start, term_end, role))
                taken.append(holder)
                previous[role] = holder
            if term_end is None or term_end >= end:
                break
            start = term_end

    def memberships(self) -> list[MembershipSpec]:
        rows: list[MembershipSpec] = []
        member = Membership.Role.MEMBER
        for stint in self.stints:
            cursor: datetime.date | None = stint.joined_on
            for start, end, role in sorted(stint.terms, key=lambda t: t[0]):
                assert cursor is not None
                if start > cursor:
                    rows.append(MembershipSpec(stint.group, stint.firm, member, cursor, start))
                rows.append(MembershipSpec(stint.group, stint.firm, role, start, end))
                cursor = end
            if cursor is not None and (stint.left_on is None or cursor < stint.left_on):
                rows.append(MembershipSpec(stint.group, stint.firm, member, cursor, stint.left_on))
        return rows


def generate_network(seed: int = DEFAULT_SEED, as_of: datetime.date = DEMO_AS_OF) -> Network:
    generator = _Generator(seed, as_of)
    generator.make_groups()
    generator.make_firms()
    generator.make_histories()
    return Network(groups=generator.groups, firms=generator.firms, memberships=generator.memberships())


_PLAIN_TYPES = {
    "CharField", "TextField", "SlugField", "EmailField", "URLField", "BooleanField", "ForeignKey",
    "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField",
    "SmallIntegerField", "BigIntegerField",
}  # fmt: skip


def insert_rows(model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT many rows in multi-row statements: bulk_create spends most of its time building model
    instances and preparing each value, which for 20,000 memberships is seconds on a small machine.

    Values go through each field's own database preparation (dates, JSON). Columns left out get their
    default (timestamps: now), as with bulk_create. Used by the other apps' `build_demo` too.
    """
    meta = model._meta
    fields: list[Any] = [meta.get_field(name) for name in columns]
    # Columns not given get what bulk_create would give them: timestamps now, defaults, else NULL.
    now = timezone.now()
    extra_fields, extra_values = [], []
    for f in meta.concrete_fields:
        if f in fields or f.primary_key:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.has_default():
            value = f.get_default()
        else:
            continue
        extra_fields.append(f)
        extra_values.append(f.get_db_prep_save(value, connection))
    stamp_values = tuple(extra_values)
    fields += extra_fields
    preparers: list[Any] = []
    for f in fields[: len(columns)]:
        internal = f.get_internal_type()
        if internal in _PLAIN_TYPES:
            preparers.append(None)
        elif internal == "DateField":
            preparers.append(connection.ops.adapt_datefield_value)
        else:  # datetimes (time zones), JSON, decimals: the field knows
            preparers.append(lambda value, f=f: f.get_db_prep_save(value, connection))
    prepared = [
        tuple(value if prep is None else prep(value) for value, prep in zip(row, preparers, strict=True))
        + stamp_values
        for row in rows
    ]
    # Multi-row VALUES: one round trip per batch on PostgreSQL, within SQLite's variable limit.
    batch = max(1, min(1000, connection.ops.bulk_batch_size(fields, prepared) or 1000))
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608  (names from the model, values bound)
        connection.ops.quote_name(meta.db_table),
        ", ".join(connection.ops.quote_name(f.column) for f in fields),
    )
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), batch):
            chunk = prepared[start : start + batch]
            cursor.execute(head + ", ".join([one_row] * len(chunk)), [v for row in chunk for v in row])


@transaction.atomic
def write_network(network: Network) -> dict[str, int]:
    """Store a generated network with a few bulk statements (no per-row queries). The database must hold none."""
    federations = dict(Federation.objects.values_list("code", "id"))
    industries = dict(Industry.objects.values_list("code", "id"))
    types = dict(ExchangeType.objects.values_list("code", "id"))
    groups = ExchangeGroup.objects.bulk_create(
        [
            ExchangeGroup(
                code=g.code,
                name=g.name,
                federation_id=federations[g.region],
                kind=ExchangeGroup.Kind.UNIT,
                founded_on=g.founded_on,
                status=g.status,
                description=g.description,
            )
            for g in network.groups
        ]
    )
    through = ExchangeGroup.exchange_types.through
    through.objects.bulk_create(
        [
            through(exchangegroup_id=group.pk, exchangetype_id=types[code])
            for group, spec in zip(groups, network.groups, strict=True)
            for code in spec.exchange_types
        ]
    )
    insert_rows(
        Firm,
        FIRM_COLUMNS,
        [
            (
                f.brn,
                f.name,
                f.representative,
                f.phone,
                f.email,
                f.address,
                federations[f.region],
                industries[f.division],
                f.employees,
                f.revenue_krw,
                f.founded_on,
                f.technologies,
                f.products,
                Firm.Status.ACTIVE,
            )
            for f in network.firms
        ],
    )
    firm_ids = dict(Firm.objects.values_list("brn", "id"))
    insert_rows(
        Membership,
        ["group", "firm", "role", "joined_on", "left_on"],
        [
            (groups[m.group].pk, firm_ids[network.firms[m.firm].brn], m.role, m.joined_on, m.left_on)
            for m in network.memberships
        ],
    )
    listed = demo_listings(network, firm_ids)
    summary = {"groups": len(groups), "firms": len(network.firms), "memberships": len(network.memberships)}
    record_bulk_change(None, "demo.create", "network.exchangegroup", {**summary, "listed_firms": listed})
    return summary


LISTED_SHARE = 0.5  # firms that consented to the public directory (공개 동의)


def demo_listings(network: Network, firm_ids: dict[str, int]) -> int:
    """About half of the demo firms consent to be listed in the public directory; which ones, and their
    public ids, follow from the generated network (the same seed gives the same listings)."""
    rng = random.Random(f"listing:{len(network.firms)}:{network.firms[0].brn if network.firms else ''}")
    rows = []
    for firm in network.firms:
        consented = rng.random() < LISTED_SHARE
        public_id = "".join(rng.choice(PUBLIC_ID_ALPHABET) for _n in range(PUBLIC_ID_LENGTH))
        # A row for every firm (its public id fixed by the seed), so the demo logins' settings stay stable.
        rows.append((firm_ids[firm.brn], public_id, consented))
    insert_rows(FirmListing, ["firm", "public_id", "consented"], rows)
    return sum(1 for row in rows if row[2])


FIRM_COLUMNS = [
    "brn",
    "name",
    "representative",
    "phone",
    "email",
    "address",
    "federation",
    "industry",
    "employees",
    "revenue_krw",
    "founded_on",
    "technologies",
    "products",
    "status",
]


def network_digest() -> str:
    """A fingerprint of the stored network: equal digests mean identical groups, firms and histories."""
    digest = hashlib.sha256()
    row: Any
    for row in ExchangeGroup.objects.order_by("code").values_list(
        "code", "name", "federation__code", "founded_on", "status", "description"
    ):
        digest.update(repr(row).encode())
    for row in ExchangeGroup.exchange_types.through.objects.order_by(
        "exchangegroup__code", "exchangetype__code"
    ).values_list("exchangegroup__code", "exchangetype__code"):
        digest.update(repr(row).encode())
    for row in Firm.objects.order_by("brn").values_list(
        "brn",
        "name",
        "representative",
        "phone",
        "email",
        "address",
        "federation__code",
        "industry__code",
        "employees",
        "revenue_krw",
        "founded_on",
        "technologies",
        "products",
    ):
        digest.update(repr(row).encode())
    for row in Membership.objects.order_by("group__code", "firm__brn", "joined_on").values_list(
        "group__code", "firm__brn", "role", "joined_on", "left_on"
    ):
        digest.update(repr(row).encode())
    return digest.hexdigest()
