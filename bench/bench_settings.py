"""Settings for the HTTP benchmark: the project's own, with a URLconf that adds the bare reference page."""

from yunghap.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
