"""The directory's objects for the permission matrix: the Seoul chair firm consented to be listed."""

from __future__ import annotations

from typing import Any

from yunghap.network.models import FirmListing


def list_firm(firm: Any, *, consented: bool = True) -> FirmListing:
    listing, _created = FirmListing.objects.get_or_create(firm=firm)
    listing.consented = consented
    listing.save(update_fields=["consented"])
    return listing


def add_directory(w: dict[str, Any], network: Any) -> dict[str, Any]:
    return {"listed_firm": list_firm(network.chair_firm)}
