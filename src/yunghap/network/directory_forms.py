"""The public directory's filter forms: the registry's, without what the public may not filter by."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from .forms import FirmFilterForm, GroupFilterForm


class DirectoryGroupFilterForm(GroupFilterForm):
    """Region, exchange type, KSIC division (of listed members) and name: only active groups are listed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["status"]


class DirectoryFirmFilterForm(FirmFilterForm):
    """Region, KSIC division and name. No size band (head counts are not public) and no search by business
    registration number (the public may not confirm one)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["size"]
        self.fields["q"].label = _("기업명 검색")
