import datetime
import io

import pytest

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user, region
from tests.transfer.conftest import run
from yunghap.accounts.models import Role
from yunghap.core.exports import export_table
from yunghap.core.models import AccessLog
from yunghap.core.spreadsheets import read_table
from yunghap.network.models import ExchangeGroup, ExchangeType, Firm, Membership

pytestmark = pytest.mark.django_db


def export(kind, user=None, fmt="csv"):
    buffer = io.BytesIO()
    export_table(kind, user, buffer, fmt)
    return buffer.getvalue()


def snapshot():
    groups = sorted(
        (
            g.code,
            g.name,
            g.federation_id,
            g.kind,
            g.founded_on,
            g.status,
            tuple(sorted(t.code for t in g.exchange_types.all())),
        )
        for g in ExchangeGroup.objects.prefetch_related("exchange_types")
    )
    firms = sorted(
        Firm.objects.values_list(
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
        )
    )
    memberships = sorted(
        Membership.objects.values_list("group__code", "firm__brn", "role", "joined_on", "left_on")
    )
    return groups, firms, memberships


@pytest.fixture
def network():
    seoul = GroupFactory(code="sg1", name='=HYPERLINK("http://x")', founded_on=datetime.date(2001, 3, 5))
    seoul.exchange_types.set(ExchangeType.objects.filter(code__in=["info", "newproduct"]))
    busan = GroupFactory(code="bs1", federation=region("busan"), status="dormant")
    firm = FirmFactory(
        name="+위험한 이름",
        phone="+82-2-1234-5678",
        technologies=["센서", "-음수로 시작"],
        products=[],
        revenue_krw=1_200_000_000,
        founded_on=datetime.date(1999, 5, 1),
    )
    other = FirmFactory(federation=region("busan"), representative="김부산", employees=None, email="")
    MembershipFactory(group=seoul, firm=firm, role="chair", joined_on=datetime.date(2002, 1, 1))
    MembershipFactory(
        group=busan, firm=other, joined_on=datetime.date(2003, 1, 1), left_on=datetime.date(2008, 12, 31)
    )
    MembershipFactory(group=busan, firm=firm, role="secretary", joined_on=datetime.date(2004, 2, 29))
    return seoul, busan, firm, other


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_round_trips_to_the_same_data(network, fmt):
    before = snapshot()
    files = {kind: export(kind, fmt=fmt) for kind in ("groups", "firms", "memberships")}
    # Into an empty registry: the three files rebuild it exactly.
    Membership.objects.all().delete()
    Firm.objects.all().delete()
    ExchangeGroup.objects.all().delete()
    for kind in ("groups", "firms", "memberships"):
        report = run(kind, files[kind], filename=f"{kind}.{fmt}")
        assert report.ok, report.errors
        assert report.created == {"groups": 2, "firms": 2, "memberships": 3}[kind]
    assert snapshot() == before
    # And over the same data: nothing changes.
    for kind in ("groups", "firms", "memberships"):
        report = run(kind, files[kind], filename=f"{kind}.{fmt}")
        assert (report.created, report.updated, report.unchanged) == (0, 0, report.total)


def test_formula_cells_are_neutralised_in_csv_and_xlsx(network):
    text = export("groups").decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    firms = read_table(export("firms", fmt="xlsx"), "firms.xlsx")
    cells = [cell for row in firms.rows for cell in row if isinstance(cell, str)]
    assert "'+위험한 이름" in cells
    assert "'+82-2-1234-5678" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_export_is_restricted_to_the_users_region(network):
    staff = make_user("seoul", Role.REGIONAL_STAFF, federation=region("seoul"))
    groups = read_table(export("groups", staff))
    assert [row[0] for row in groups.rows] == ["sg1"]
    memberships = read_table(export("memberships", staff))
    assert [row[0] for row in memberships.rows] == ["sg1"]
    firms = read_table(export("firms", staff))
    assert len(firms.rows) == 1  # the busan firm is neither in Seoul nor a member of a Seoul group


def test_personal_data_is_masked_for_users_without_the_right(network):
    seoul, busan, firm, other = network
    # A coordinator of the busan group sees its members, but not their people's contacts.
    coordinator = make_user("coord", Role.COORDINATOR, group=busan)
    from yunghap.core.exports import EXPORTERS

    rows = list(EXPORTERS["firms"]().rows(coordinator))
    by_brn = {row[0]: row for row in rows}
    # The firm that left the group in 2008 is no longer in the coordinator's scope at all (issue 7, finding 2).
    assert other.brn not in by_brn
    assert by_brn[firm.brn][2] == "홍*동"
    assert by_brn[firm.brn][4].endswith("***@example.com")
    export("firms", coordinator)
    assert not AccessLog.objects.exists()


def test_unmasked_export_is_written_to_the_access_log(network):
    seoul, busan, firm, other = network
    staff = make_user("seoul", Role.REGIONAL_STAFF, federation=region("seoul"))
    data = export("firms", staff, fmt="xlsx")
    row = read_table(data, "f.xlsx").rows[0]
    assert row[2] == "홍길동"
    log = AccessLog.objects.get()
    assert (log.user, log.kind, log.object_type, log.object_ids, log.record_count) == (
        staff,
        "export",
        "network.firm",
        [str(firm.pk)],
        1,
    )
