"""The web import in Chromium: the progress bar polls with htmx, and the page turns into the result by itself."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.browser.support import axe_check, login
from tests.factories import make_user
from tests.transfer.conftest import GROUP_HEADER, xlsx_bytes
from yunghap.accounts.models import Role
from yunghap.core import import_jobs, tasks
from yunghap.core.models import ImportJob
from yunghap.network.models import ExchangeGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue(monkeypatch):
    """The task queue, held back: the test plays the worker, so that the page is seen while a job waits."""
    queued: list[tuple[str, int]] = []
    for name in ("check_import", "commit_import"):
        held = SimpleNamespace(enqueue=lambda pk, name=name: queued.append((name, pk)))
        monkeypatch.setattr(tasks, name, held)
    return queued


def test_progress_then_result_then_commit(page, live_server, settings, tmp_path, queue):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path
    make_user("central", Role.CENTRAL_STAFF)
    login(page, live_server, "central", "pw-central-2026!")
    page.goto(f"{live_server.url}/data/")
    rows = [GROUP_HEADER] + [[f"sg{n}", f"서울교류회{n}", "seoul", "", "", "", ""] for n in range(5)]
    path = tmp_path / "groups.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    page.select_option("#id_kind", "groups")
    page.set_input_files("#id_file", str(path))
    page.locator("button[type=submit]", has_text="검사하기").click()
    page.wait_for_selector("progress#import-progress-bar")
    assert page.locator("label[for=import-progress-bar]").inner_text() == "검사 진행"
    axe_check(page)
    job = ImportJob.objects.get()
    assert queue == [("check_import", job.pk)]

    with page.expect_response(lambda r: r.url.endswith(f"/data/import/{job.pk}/progress/")):
        pass  # htmx polls while the job waits
    import_jobs.run_check(job.pk)  # the worker's turn
    page.wait_for_selector("text=가져오기 실행", timeout=10_000)  # HX-Refresh reloaded the page
    assert page.locator("progress").count() == 0
    axe_check(page)

    page.locator("button", has_text="가져오기 실행").click()
    page.wait_for_selector("label[for=import-progress-bar]:has-text('저장 진행')")
    import_jobs.run_commit(job.pk)
    page.wait_for_selector("text=가져오기를 마쳤습니다: 추가 5건", timeout=10_000)
    assert ExchangeGroup.objects.count() == 5

    page.goto(f"{live_server.url}/data/")
    page.locator("table", has_text="최근 가져오기").get_by_role("link", name="groups.xlsx").click()
    page.wait_for_selector("text=가져오기를 마쳤습니다")
