import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import FirmFactory, GroupFactory, make_user, region
from tests.transfer.conftest import FIRM_HEADER, GROUP_HEADER, csv_bytes, xlsx_bytes
from yunghap.accounts.models import Role
from yunghap.core.models import AccessLog
from yunghap.core.spreadsheets import read_table
from yunghap.network.models import ExchangeGroup, Firm

pytestmark = pytest.mark.django_db

GOOD = [GROUP_HEADER, ["sg1", "서울교류회", "seoul", "", "2001-01-01", "info", ""]]


@pytest.fixture
def staff_client(client, seoul_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(seoul_staff)
    return client


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Upload a file; the check task runs (immediate backend) after the request's commit."""

    def upload(client, kind, data, name="data.csv", follow=True):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("transfer:import_check"), {"kind": kind, "file": SimpleUploadedFile(name, data)}
            )
        if follow and response.status_code == 302:
            return client.get(response["Location"])
        return response

    return upload


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def commit(client, job_pk):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("transfer:import_commit", args=[job_pk]))
        assert response.status_code == 302, response.status_code
        return client.get(response["Location"])

    return commit


def test_dry_run_first_then_commit(staff_client, tmp_path, upload, commit):
    page = staff_client.get(reverse("transfer:home"))
    assert page.status_code == 200
    assert "교류회코드" in page.content.decode()  # the column guide
    response = upload(staff_client, "groups", xlsx_bytes(GOOD), "groups.xlsx")
    assert response.status_code == 200
    html = response.content.decode()
    assert "가져오기 실행" in html
    assert not ExchangeGroup.objects.exists()
    job = response.context["job"]
    assert (job.state, job.rows_done, job.rows_total) == ("checked", 1, 1)
    assert (tmp_path / job.file_path).is_file()
    committed = commit(staff_client, job.pk)
    assert "가져오기를 마쳤습니다: 추가 1건" in committed.content.decode()
    assert ExchangeGroup.objects.get().code == "sg1"
    job.refresh_from_db()
    assert job.state == "committed" and job.file_path == "" and job.audit_log.action == "groups.import"
    assert not list(tmp_path.glob("imports/*/*.upload"))
    again = commit(staff_client, job.pk)
    assert "이미 가져온 파일입니다" in again.content.decode()
    assert ExchangeGroup.objects.count() == 1


def test_errors_are_listed_and_there_is_no_commit_button(staff_client, upload, commit):
    rows = [GROUP_HEADER, ["sg1", "가", "화성", "", "", "", ""], ["bs1", "나", "busan", "", "", "", ""]]
    response = upload(staff_client, "groups", csv_bytes(rows, "cp949"))
    html = response.content.decode()
    assert "가져오기 실행" not in html
    assert "알 수 없는 지역연합회입니다: &#x27;화성&#x27;" in html
    assert "관할 지역 밖의 자료입니다(부산연합회)" in html
    assert [(e["row"], e["column"]) for e in response.context["errors"]] == [(2, "region"), (3, "region")]
    job = response.context["job"]
    errors_csv = staff_client.get(reverse("transfer:import_errors", args=[job.pk]))
    assert read_table(errors_csv.content).rows[0][:2] == ["2", "region"]
    # Posting the commit of an invalid file writes nothing either.
    refused = commit(staff_client, job.pk)
    assert "이 파일은 가져올 수 없습니다" in refused.content.decode()
    assert not ExchangeGroup.objects.exists()


def test_another_users_job_is_not_found(staff_client, client, upload):
    job = upload(staff_client, "groups", csv_bytes(GOOD)).context["job"]
    other = make_user("other", Role.CENTRAL_STAFF)
    client.force_login(other)
    assert client.post(reverse("transfer:import_commit", args=[job.pk])).status_code == 404
    assert client.get(reverse("transfer:import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("transfer:import_progress", args=[job.pk])).status_code == 404
    assert client.get(f"/data/import/{job.pk}/errors.csv").status_code == 404
    assert client.post("/data/import/../../etc/commit/").status_code == 404
    assert not ExchangeGroup.objects.exists()


def test_bad_upload_shows_the_form_again(staff_client, upload):
    response = upload(staff_client, "groups", b"%PDF-1.4", "x.pdf")
    assert response.status_code == 200
    assert "XLSX 또는 CSV 파일만" in response.content.decode()


@pytest.mark.parametrize("role", [Role.FIRM_USER, Role.GROUP_OFFICER, Role.COORDINATOR, Role.REVIEWER, None])
def test_only_federation_staff_may_transfer(client, role, upload):
    scope = {Role.FIRM_USER: {"firm": FirmFactory()}}.get(role, {})
    if role in (Role.GROUP_OFFICER, Role.COORDINATOR):
        scope = {"group": GroupFactory()}
    client.force_login(make_user("someone", role, **scope))
    assert client.get(reverse("transfer:home")).status_code == 403
    assert upload(client, "groups", csv_bytes(GOOD)).status_code == 403
    assert client.get(reverse("transfer:export", args=["firms", "csv"])).status_code == 403
    assert not ExchangeGroup.objects.filter(code="sg1").exists()


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("transfer:export", args=["firms", "csv"]))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_export_download_is_scoped_and_logged(staff_client, seoul_staff):
    FirmFactory(federation=region("seoul"), founded_on=datetime.date(2000, 1, 1))
    FirmFactory(federation=region("busan"))
    response = staff_client.get(reverse("transfer:export", args=["firms", "xlsx"]) + "?headers=en")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="firms-')
    table = read_table(b"".join(response.streaming_content), "f.xlsx")
    assert table.header == [*FIRM_HEADER, "status"]
    assert len(table.rows) == 1
    log = AccessLog.objects.get()
    assert (log.user, log.kind, log.path) == (seoul_staff, "export", "/data/export/firms.xlsx?headers=en")
    korean = staff_client.get(reverse("transfer:export", args=["firms", "csv"]))
    # 회원사-YYYYMMDD.csv, in RFC 5987 form
    assert korean["Content-Disposition"].startswith(
        "attachment; filename*=utf-8''%ED%9A%8C%EC%9B%90%EC%82%AC-"
    )
    assert read_table(b"".join(korean.streaming_content), "f.csv").header[0] == "사업자등록번호"
    assert staff_client.get("/data/export/firms.pdf").status_code == 404
    assert staff_client.get("/data/export/nothing.csv").status_code == 404


def test_web_import_of_firms_as_central_staff(client, central, settings, tmp_path, upload, commit):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(central)
    row = ["1168200276", "가", "", "", "", "", "busan", "26", "3", "", "", "", ""]
    job = upload(client, "firms", csv_bytes([FIRM_HEADER, row])).context["job"]
    commit(client, job.pk)
    assert Firm.objects.get().federation.code == "busan"


def test_web_dry_run_shows_each_changed_field_old_to_new(client, central, settings, tmp_path, upload):
    """Issue 8 §4: a row renaming (주)새영테크 to 외부업체 says so on the check page, not just "변경 1"."""
    settings.MEDIA_ROOT = tmp_path
    FirmFactory(brn="1168200276", name="(주)새영테크", federation=region("seoul"))
    client.force_login(central)
    data = csv_bytes(
        [["사업자등록번호", "기업명", "지역", "업종(KSIC)"], ["116-82-00276", "외부업체", "서울", "26;62"]]
    )
    page = upload(client, "firms", data)
    assert page.context["changes"] == [
        {"row": 2, "column": "기업명", "old": "(주)새영테크", "new": "외부업체"},
        {"row": 2, "column": "업종(KSIC)", "old": "26", "new": "26;62"},
    ]
    html = page.content.decode()
    assert 'id="import-changes"' in html and "(주)새영테크" in html and "외부업체" in html
