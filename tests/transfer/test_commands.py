import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import FirmFactory, make_user, region
from tests.transfer.conftest import FIRM_HEADER, GROUP_HEADER, csv_bytes
from yunghap.accounts.models import Role
from yunghap.cli import main
from yunghap.core.spreadsheets import read_table
from yunghap.network.models import ExchangeGroup, Firm

pytestmark = pytest.mark.django_db


def command(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def groups_file(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_bytes(
        csv_bytes(
            [
                GROUP_HEADER,
                ["sg1", "서울교류회", "seoul", "", "2001-01-01", "info", ""],
                ["bs1", "부산교류회", "busan", "", "", "", ""],
            ]
        )
    )
    return path


def test_import_dry_run_then_real_run_then_rerun(groups_file):
    out = command("import", "groups", str(groups_file), "--dry-run")
    assert "groups 가져오기 (시험 실행): 전체 2행 — 추가 2, 변경 0, 변동 없음 0" in out
    assert not ExchangeGroup.objects.exists()
    out = command("import", "groups", str(groups_file))
    assert "저장했습니다." in out
    assert ExchangeGroup.objects.count() == 2
    out = command("import", "groups", str(groups_file))
    assert "추가 0, 변경 0, 변동 없음 2" in out


def test_import_errors_print_row_and_column_and_fail(tmp_path):
    path = tmp_path / "firms.csv"
    row = ["1168200278", "가", "", "", "", "", "seoul", "99x", "", "", "", "", ""]
    path.write_bytes(csv_bytes([["사업자등록번호", *FIRM_HEADER[1:]], row]))
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import", "firms", str(path), stdout=out)
    assert failure.value.returncode == 1
    lines = out.getvalue().splitlines()
    assert "행 2, 열 사업자등록번호: 사업자등록번호의 검증번호가 맞지 않습니다: '1168200278'" in lines
    assert any(line.startswith("행 2, 열 ksic: 알 수 없는 KSIC 업종 코드입니다") for line in lines)
    assert "오류 2건: 아무것도 저장하지 않았습니다." in lines
    assert not Firm.objects.exists()


def test_import_as_a_regional_user_is_limited_to_their_region(groups_file):
    make_user("seoulstaff", Role.REGIONAL_STAFF, federation=region("seoul"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="오류"):
        call_command("import", "groups", str(groups_file), "--as", "seoulstaff", stdout=out)
    assert "행 3, 열 region: 관할 지역 밖의 자료입니다(부산연합회)." in out.getvalue()
    make_user("firmuser", Role.FIRM_USER, firm=FirmFactory())
    with pytest.raises(CommandError, match="권한이 없습니다"):
        call_command("import", "groups", str(groups_file), "--as", "firmuser", stdout=io.StringIO())


def test_export_by_extension_and_as_a_user(tmp_path):
    FirmFactory(federation=region("seoul"))
    FirmFactory(federation=region("busan"))
    out = command("export", "firms", str(tmp_path / "all.xlsx"))
    assert "firms 2행을" in out
    everything = read_table(tmp_path / "all.xlsx")
    assert len(everything.rows) == 2
    assert everything.header[:2] == ["사업자등록번호", "기업명"]  # Korean headers by default
    make_user("seoulstaff", Role.REGIONAL_STAFF, federation=region("seoul"))
    command(
        "export",
        "firms",
        str(tmp_path / "seoul.txt"),
        "--format",
        "csv",
        "--as",
        "seoulstaff",
        "--headers",
        "en",
    )
    table = read_table(tmp_path / "seoul.txt")
    assert table.header == [*FIRM_HEADER, "status"]  # status: optional on import
    assert len(table.rows) == 1
    with pytest.raises(CommandError, match="xlsx 또는 csv"):
        command("export", "firms", str(tmp_path / "x.pdf"))


# The entry point closes the database connections when it ends, as manage.py does: no test transaction.
@pytest.mark.django_db(transaction=True)
def test_the_yunghap_command_exits_with_1_on_errors(tmp_path, capsys):
    """Through the `yunghap` entry point, as a shell runs it (the exit code is what scripts check)."""
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([GROUP_HEADER, ["sg1", "가", "화성", "", "", "", ""]], encoding="cp949"))
    with pytest.raises(SystemExit) as exit_:
        main(["import", "groups", str(bad)])
    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert "행 2, 열 region: 알 수 없는 지역연합회입니다: '화성'" in captured.out
    assert "오류가 있어 가져오지 않았습니다." in captured.err
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([GROUP_HEADER, ["sg1", "가", "서울", "", "", "", ""]]))
    main(["import", "groups", str(good)])  # returns normally: exit code 0
    assert ExchangeGroup.objects.get().federation.code == "seoul"
