from tests.web.conftest import login, network  # noqa: F401  (the fixtures)
