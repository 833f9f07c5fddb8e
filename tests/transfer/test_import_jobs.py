"""The web import as background jobs (issue 7, findings 4.1 and 8): progress, result page, one commit."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.activities.conftest import ledger  # noqa: F401  (the fixture)
from tests.factories import make_user
from tests.helpers import at_once
from tests.transfer.conftest import GROUP_HEADER, csv_bytes, xlsx_bytes
from yunghap.accounts.models import Role
from yunghap.activities.models import Trade
from yunghap.core import import_jobs
from yunghap.core.models import AuditLog, ImportJob
from yunghap.network.models import ExchangeGroup

TRADE_HEADER = ["group_code", "buyer_brn", "seller_brn", "item", "amount_krw", "traded_on"]


def trades_file(ledger, count=3000):  # noqa: F811
    start = datetime.date(2025, 1, 1)
    rows = [
        [ledger.group.code, ledger.alpha.brn, ledger.beta.brn, f"금형 부품 {n}", 1000 + n, start]
        for n in range(count)
    ]
    return csv_bytes([TRADE_HEADER, *rows])


def post_file(client, kind, data, name="data.csv"):
    return client.post(
        reverse("transfer:import_check"), {"kind": kind, "file": SimpleUploadedFile(name, data)}
    )


@pytest.fixture
def staff(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = make_user("importer", Role.CENTRAL_STAFF)
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_states_progress_and_result_pages(client, staff, django_capture_on_commit_callbacks):
    rows = [GROUP_HEADER] + [[f"sg{n}", f"서울교류회{n}", "seoul", "", "", "", ""] for n in range(3)]
    # The upload only stores the file; the check is queued for the worker.
    with django_capture_on_commit_callbacks() as queued:
        response = post_file(client, "groups", xlsx_bytes(rows), "groups.xlsx")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/data/import/{job.pk}/"
    assert (job.state, job.rows_done, job.rows_total, job.user) == ("checking", 0, 0, staff)
    assert len(job.sha256) == 64 and job.size > 0
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page and "검사 진행" in page
    fragment = client.get(reverse("transfer:import_progress", args=[job.pk]))
    assert "HX-Refresh" not in fragment and "<progress" in fragment.content.decode()
    assert "<script" not in page.split("<main", 1)[1].split("</main>")[0]

    for callback in queued:
        callback()  # the worker runs the check
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.rows_total) == ("checked", 3, 3)
    assert job.report["created"] == 3 and not ExchangeGroup.objects.exists()
    assert client.get(reverse("transfer:import_progress", args=[job.pk]))["HX-Refresh"] == "true"
    result = client.get(reverse("transfer:import_job", args=[job.pk])).content.decode()
    assert "가져오기 실행" in result and "<progress" not in result

    with django_capture_on_commit_callbacks() as queued:
        client.post(reverse("transfer:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == "running"
    assert "저장 진행" in client.get(reverse("transfer:import_job", args=[job.pk])).content.decode()
    # A second press while the first runs queues nothing and says so.
    with django_capture_on_commit_callbacks() as second:
        again = client.post(reverse("transfer:import_commit", args=[job.pk]), follow=True)
    assert not second
    assert "이미 가져온 파일입니다" in again.content.decode()
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.state == "committed" and job.committed_at is not None
    assert ExchangeGroup.objects.count() == 3
    assert job.audit_log == AuditLog.objects.get(action="groups.import")
    # The user comes back to the result from /data/.
    hub = client.get(reverse("transfer:home")).content.decode()
    assert f'href="/data/import/{job.pk}/"' in hub and "저장 완료" in hub
    done = client.get(reverse("transfer:import_job", args=[job.pk])).content.decode()
    assert "가져오기를 마쳤습니다: 추가 3건, 변경 0건, 변동 없음 0건." in done


@pytest.mark.django_db
def test_progress_counts_rows_read_of_the_total(staff, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(import_jobs, "PROGRESS_SECONDS", 0)
    seen = []
    original = import_jobs._Progress.__call__

    def spy(self, done, total):
        original(self, done, total)
        job = ImportJob.objects.get(pk=self.job_id)
        seen.append((job.rows_done, job.rows_total))

    monkeypatch.setattr(import_jobs._Progress, "__call__", spy)
    rows = [GROUP_HEADER] + [[f"sg{n}", f"교류회{n}", "seoul", "", "", "", ""] for n in range(2500)]
    upload = SimpleUploadedFile("groups.xlsx", xlsx_bytes(rows))
    with django_capture_on_commit_callbacks(execute=True):
        job = import_jobs.start_import(staff, upload, kind="groups", options={})
    # Rows as the sheet counts them, the header included, then the data rows checked.
    assert seen[:2] == [(1000, 2501), (2000, 2501)] and seen[-1] == (2501, 2501)
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.rows_total) == ("checked", 2500, 2500)


@pytest.mark.django_db
def test_the_web_worker_does_not_parse_the_upload(
    client, staff, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise AssertionError("parsed in the request")

    monkeypatch.setattr("yunghap.core.imports.import_file", refuse)
    monkeypatch.setattr("yunghap.core.import_jobs.import_file", refuse)
    with django_capture_on_commit_callbacks() as queued:
        response = post_file(client, "groups", csv_bytes([GROUP_HEADER]))
    assert response.status_code == 302 and len(queued) == 1


def _in_threads(*targets):
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent connections need PostgreSQL (SQLite locks the whole file)")
    results = at_once(*targets, timeout=120)
    failures = [r for r in results if isinstance(r, Exception)]
    assert not failures, failures
    return results


@pytest.mark.django_db(transaction=True)
def test_two_parallel_commits_import_once(ledger, settings, tmp_path):  # noqa: F811
    """Two presses of "가져오기 실행" at once, on two connections: 3,000 trades stay 3,000."""
    settings.MEDIA_ROOT = tmp_path
    user = make_user("importer", Role.CENTRAL_STAFF)
    first, second = Client(), Client()
    for browser in (first, second):
        browser.force_login(user)
    checked = first.get(post_file(first, "trades", trades_file(ledger))["Location"])
    job = checked.context["job"]
    assert job.state == "checked" and job.report["created"] == 3000, job.report

    def press(browser):
        return lambda: browser.post(reverse("transfer:import_commit", args=[job.pk]), follow=True)

    pages = _in_threads(press(first), press(second))
    assert Trade.objects.count() == 3000
    assert sorted("이미 가져온 파일입니다" in page.content.decode() for page in pages) == [False, True]
    job.refresh_from_db()
    assert job.state == "committed"
    assert AuditLog.objects.filter(action="trades.import").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_commit_is_claimed_inside_the_write_transaction(ledger, settings, tmp_path):  # noqa: F811
    """Even two commit tasks of one job (a retried task, two workers) write once: the row lock decides."""
    settings.MEDIA_ROOT = tmp_path
    user = make_user("importer", Role.CENTRAL_STAFF)
    job = import_jobs.start_import(
        user, SimpleUploadedFile("t.csv", trades_file(ledger)), kind="trades", options={}
    )
    job.refresh_from_db()
    assert job.state == "checked"  # checked at once: no transaction is open, the immediate backend runs it
    # As the commit button leaves it, without running the task: two workers then take the same job.
    ImportJob.objects.filter(pk=job.pk).update(state="running")
    states = _in_threads(lambda: import_jobs.run_commit(job.pk), lambda: import_jobs.run_commit(job.pk))
    assert states == ["committed", "committed"]
    assert Trade.objects.count() == 3000
    assert AuditLog.objects.filter(action="trades.import").count() == 1


@pytest.mark.django_db
def test_files_are_removed_when_nothing_can_be_committed(client, staff, tmp_path, upload_checked):
    bad = upload_checked(client, csv_bytes([GROUP_HEADER, ["sg1", "가", "화성", "", "", "", ""]]))
    assert bad.state == "checked" and bad.errors and bad.file_path == ""
    good = upload_checked(client, csv_bytes([GROUP_HEADER, ["sg1", "가", "seoul", "", "", "", ""]]))
    assert good.committable and (tmp_path / good.file_path).is_file()
    # A day later the next upload removes the file that was never committed; its page offers no commit.
    ImportJob.objects.filter(pk=good.pk).update(created_at=good.created_at - datetime.timedelta(hours=25))
    upload_checked(client, csv_bytes([GROUP_HEADER, ["sg2", "나", "seoul", "", "", "", ""]]))
    good.refresh_from_db()
    assert good.file_path == "" and not good.committable
    page = client.get(reverse("transfer:import_job", args=[good.pk])).content.decode()
    assert "가져오기 실행" not in page
    refused = client.post(reverse("transfer:import_commit", args=[good.pk]), follow=True)
    assert "이 파일은 가져올 수 없습니다" in refused.content.decode()
    assert not ExchangeGroup.objects.exists()
    assert len(list((tmp_path / "imports" / str(staff.pk)).iterdir())) == 1  # only the newest upload


@pytest.fixture
def upload_checked(django_capture_on_commit_callbacks):
    def upload(client, data):
        with django_capture_on_commit_callbacks(execute=True):
            post_file(client, "groups", data)
        return ImportJob.objects.latest("pk")

    return upload


@pytest.mark.django_db
def test_a_commit_whose_worker_died_can_be_run_again_and_still_writes_once(
    client, staff, settings, django_capture_on_commit_callbacks
):
    """A worker killed mid-commit leaves the job "running" with nothing written (its transaction rolled back):
    after IMPORT_JOB_STALL_MINUTES the page says so and offers to run it again; a live one is never re-run."""
    rows = [GROUP_HEADER] + [[f"sg{n}", f"서울교류회{n}", "seoul", "", "", "", ""] for n in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, "groups", csv_bytes(rows))
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks() as lost:
        client.post(reverse("transfer:import_commit", args=[job.pk]))
    assert len(lost) == 1  # the worker that takes this task is killed: it never runs
    url = reverse("transfer:import_job", args=[job.pk])
    # Still fresh: no offer, and a second press queues nothing.
    assert "다시 실행" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks() as queued:
        client.post(reverse("transfer:import_commit", args=[job.pk]))
    assert not queued

    ImportJob.objects.filter(pk=job.pk).update(active_at=job.created_at - datetime.timedelta(minutes=31))
    page = client.get(url).content.decode()
    assert (
        "30분 넘게 진행되지 않았습니다" in page and "가져오기 다시 실행" in page and "<progress" not in page
    )
    assert client.get(reverse("transfer:import_progress", args=[job.pk]))["HX-Refresh"] == "true"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("transfer:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == "committed" and ExchangeGroup.objects.count() == 2
    # The lost task, should it ever run after all, writes nothing more.
    for callback in lost:
        callback()
    assert ExchangeGroup.objects.count() == 2 and AuditLog.objects.filter(action="groups.import").count() == 1
