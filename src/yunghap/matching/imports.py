"""Spreadsheet imports of the matching app: `postings` (offers and needs) and `capabilities` (vocabulary).

Both follow the registry's rules: every row's errors in Korean, nothing written unless the whole file is
valid, dry run. Imported postings are analysed in the background like postings typed on the page.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.core.imports import (
    Column,
    Importer,
    RowError,
    RowPlan,
    RowReader,
    cell_date,
    cell_list,
    register,
)
from yunghap.core.validators import brn_is_valid, normalize_brn

from . import posting_services
from .models import DESCRIPTION_MAX_LENGTH, Capability, Posting

KIND_WORDS = {
    "offer": Posting.Kind.OFFER,
    "제공": Posting.Kind.OFFER,
    "기술제공": Posting.Kind.OFFER,
    "need": Posting.Kind.NEED,
    "수요": Posting.Kind.NEED,
    "기술수요": Posting.Kind.NEED,
}


def _kind(value: Any) -> str:
    text = str(value or "").replace(" ", "").lower()
    if text not in KIND_WORDS:
        raise ValueError(
            _("구분은 offer/need 또는 제공/수요 중 하나여야 합니다: '%(value)s'") % {"value": value}
        )
    return KIND_WORDS[text]


@register
class PostingImporter(Importer):
    kind = "postings"
    affects = frozenset({"matching"})  # each row goes through create_posting, which queues its analysis
    label = gettext_lazy("기술 제공·수요 게시글")
    columns = [
        Column("brn", "사업자등록번호"),
        Column("kind", "구분"),
        Column("title", "제목"),
        Column("description", "내용", required=False),
        Column("keywords", "키워드", required=False),
        Column("expires_on", "게시 기한", aliases=("게시기한", "마감일")),
    ]

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[RowPlan], list[RowError]]:
        from yunghap.network.models import Firm

        errors: list[RowError] = []
        plans: list[RowPlan] = []
        brns = {normalize_brn(str(v.get("brn") or "")) for _n, v in rows}
        firms = {f.brn: f for f in Firm.objects.filter(brn__in=brns).select_related("industry")}
        existing = set(
            Posting.objects.filter(firm__brn__in=brns).values_list("firm__brn", "kind", "title", "expires_on")
        )
        today = timezone.localdate()
        seen: set[tuple] = set()
        for number, values in rows:
            reader = RowReader(number, values, errors)
            brn = normalize_brn(reader.text("brn", required=True))
            firm = None
            if brn and not brn_is_valid(brn):
                reader.error("brn", _("사업자등록번호가 올바르지 않습니다: %(brn)s") % {"brn": brn})
            elif brn:
                firm = firms.get(brn)
                if firm is None:
                    reader.error("brn", _("등록되지 않은 회원사입니다: %(brn)s") % {"brn": brn})
                elif firm.status != Firm.Status.ACTIVE:
                    reader.error(
                        "brn", _("폐업한 회원사에는 게시글을 올릴 수 없습니다: %(brn)s") % {"brn": brn}
                    )
            kind = reader.parse("kind", _kind, required=True)
            title = reader.text("title", required=True, max_length=posting_services.TITLE_MAX_LENGTH)
            description = reader.text("description", max_length=DESCRIPTION_MAX_LENGTH)
            keywords = reader.parse("keywords", cell_list, default=[])
            if len(keywords) > posting_services.MAX_KEYWORDS:
                reader.error(
                    "keywords",
                    _("키워드는 %(n)s개까지 쓸 수 있습니다.") % {"n": posting_services.MAX_KEYWORDS},
                )
            expires_on = reader.parse("expires_on", cell_date, required=True)
            if expires_on is not None and expires_on < today:
                reader.error(
                    "expires_on",
                    _("게시 기한이 이미 지났습니다: %(date)s") % {"date": expires_on.isoformat()},
                )
            if not reader.ok or firm is None:
                continue
            key = (brn, kind, title, expires_on)
            if key in seen:
                reader.error("title", _("같은 회원사·구분·제목·기한의 행이 파일에 두 번 있습니다."))
                continue
            seen.add(key)
            if key in existing:
                plans.append(RowPlan(number, "unchanged"))
                continue
            payload = {
                "firm": firm,
                "kind": kind,
                "title": title,
                "description": description,
                "keywords": keywords,
                "expires_on": expires_on,
                "industry": firm.industry,
            }
            plans.append(RowPlan(number, "create", payload))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        for plan in plans:
            if plan.action == "create":
                payload = dict(plan.payload)
                posting_services.create_posting(payload.pop("firm"), actor=self.actor, **payload)


@register
class CapabilityImporter(Importer):
    kind = "capabilities"
    affects = frozenset({"matching"})  # a new vocabulary rebuilds the index on its next use
    label = gettext_lazy("역량 어휘")
    columns = [
        Column("name", "역량명"),
        Column("synonyms", "동의어", aliases=("한국어동의어",), required=False),
        Column("english_terms", "영문 용어", aliases=("영문",), required=False),
        Column("industries", "관련 업종", aliases=("KSIC",), required=False),
        Column("description", "설명", required=False),
    ]

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[RowPlan], list[RowError]]:
        from yunghap.network.models import Industry

        errors: list[RowError] = []
        plans: list[RowPlan] = []
        industries = {i.code: i for i in Industry.objects.all()}
        existing = {c.name: c for c in Capability.objects.prefetch_related("industries")}
        seen: set[str] = set()
        for number, values in rows:
            reader = RowReader(number, values, errors)
            name = reader.text("name", required=True, max_length=100)
            synonyms = reader.parse("synonyms", cell_list, default=[])
            english = reader.parse("english_terms", cell_list, default=[])
            codes = reader.parse("industries", cell_list, default=[])
            description = reader.text("description", max_length=300)
            chosen = []
            for code in codes:
                code = code.zfill(2)
                if code not in industries:
                    reader.error("industries", _("KSIC 중분류 코드가 아닙니다: %(code)s") % {"code": code})
                else:
                    chosen.append(industries[code])
            if not reader.ok:
                continue
            if name in seen:
                reader.error("name", _("같은 역량명이 파일에 두 번 있습니다: %(name)s") % {"name": name})
                continue
            seen.add(name)
            payload = {
                "name": name,
                "synonyms": synonyms,
                "english_terms": english,
                "industries": chosen,
                "description": description,
            }
            current = existing.get(name)
            if current is None:
                plans.append(RowPlan(number, "create", (None, payload)))
            elif (
                current.synonyms == synonyms
                and current.english_terms == english
                and current.description == description
                and {i.pk for i in current.industries.all()} == {i.pk for i in chosen}
            ):
                plans.append(RowPlan(number, "unchanged"))
            else:
                plans.append(RowPlan(number, "update", (current, payload)))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        for plan in plans:
            if plan.action in ("create", "update"):
                capability, payload = plan.payload
                posting_services.save_capability(capability, actor=self.actor, **payload)
