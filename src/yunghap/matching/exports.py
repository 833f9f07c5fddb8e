"""`yunghap export postings FILE`: offers and needs in the posting importer's columns, so that a file
re-imports unchanged. A list's download may filter by kind (`?kind=need`), firm (`?brn=`) and review
status (`?review_status=approved`), read by `PostingExportFilterForm`; rows are those the user may see."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yunghap.core.exports import Exporter, register_exporter
from yunghap.core.validators import normalize_brn
from yunghap.network.permissions import can_transfer_data

from .imports import PostingImporter
from .models import Posting

CHUNK = 2000


class PostingExportFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("구분"), required=False, choices=[("", ""), *Posting.Kind.choices])
    review_status = forms.ChoiceField(
        label=_("검토 상태"), required=False, choices=[("", ""), *Posting.ReviewStatus.choices]
    )
    brn = forms.CharField(label=_("사업자등록번호"), required=False, max_length=12)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        found = {name: value for name, value in self.cleaned_data.items() if value}
        if "brn" in found:
            found["brn"] = normalize_brn(found["brn"])
        return found


@register_exporter
class PostingExporter(Exporter):
    kind = "postings"
    label = PostingImporter.label
    columns = PostingImporter.columns
    object_type = "matching.posting"
    filter_form = PostingExportFilterForm

    @classmethod
    def allowed(cls, user: Any) -> bool:
        return user is None or can_transfer_data(user)

    def rows(self, user: Any, filters: dict[str, Any] | None = None) -> Iterator[list[Any]]:
        postings = Posting.objects.all() if user is None else Posting.objects.visible_to(user)
        filters = filters or {}
        if filters.get("kind"):
            postings = postings.filter(kind=filters["kind"])
        if filters.get("review_status"):
            postings = postings.filter(review_status=filters["review_status"])
        if filters.get("brn"):
            postings = postings.filter(firm__brn=filters["brn"])
        fields = ("firm__brn", "kind", "title", "description", "keywords", "expires_on")
        for brn, kind, title, description, keywords, expires_on in (
            postings.order_by("firm__brn", "kind", "title", "pk")
            .values_list(*fields)
            .iterator(chunk_size=CHUNK)
        ):
            yield [brn, kind, title, description, ";".join(keywords or []), expires_on]
