"""`{% site_info as site %}`: who runs the site (settings), for the footer and the privacy page.

A tag rather than a context processor, so that pages rendered without a request (the 500 and 503 pages,
while the database may be down) show the same footer.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

register = template.Library()

FIELDS = {
    "operator": "SITE_OPERATOR",
    "address": "SITE_ADDRESS",
    "phone": "SITE_PHONE",
    "email": "SITE_EMAIL",
    "hours": "SITE_HOURS",
    "privacy_officer": "PRIVACY_OFFICER",
    "privacy_phone": "PRIVACY_OFFICER_PHONE",
    "privacy_email": "PRIVACY_OFFICER_EMAIL",
    "privacy_effective": "PRIVACY_POLICY_EFFECTIVE",
}


@register.simple_tag
def site_info() -> dict[str, Any]:
    info: dict[str, Any] = {key: getattr(settings, name) for key, name in FIELDS.items()}
    info["phone_href"] = "".join(ch for ch in info["phone"] if ch.isdigit() or ch == "+")
    return info
