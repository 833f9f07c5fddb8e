import pytest

from tests.browser import test_every_page
from tests.test_permission_matrix import MATRIX, world  # noqa: F401
from tests.web.conftest import network  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MINE = {k: v for k, v in MATRIX.items() if k.startswith(("directory:", "public_programmes:", "programmes:topic_detail"))}


def test_mine(browser, live_server, world, tmp_path_factory, monkeypatch):  # noqa: F811
    monkeypatch.setattr(test_every_page, "MATRIX", MINE)
    monkeypatch.setattr(test_every_page, "ERROR_PAGES", [])
    test_every_page.test_every_page_at_both_widths(browser, live_server, world, tmp_path_factory)
