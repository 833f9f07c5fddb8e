"""The account tests reuse the web tests' two-region network."""

from tests.web.conftest import network  # noqa: F401  (the fixture)
