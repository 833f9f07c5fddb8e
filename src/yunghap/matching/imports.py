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
        Column(
            "brn",
            "사업자등록번호",
            help=gettext_lazy("게시하는 회원사"),
            format=gettext_lazy("숫자 10자리"),
            example="116-82-00276",
        ),
        Column(
            "kind",
            "구분",
            help=gettext_lazy("기술 제공 또는 기술 수요"),
            format=gettext_lazy("제공/수요 (offer/need)"),
            example="수요",
        ),
        Column(
            "title",
            "제목",
            help=gettext_lazy("게시글 제목. 한 제목 아래 부품마다 한 행씩 올려도 됩니다."),
            example="웨어러블 재활 기기 협력",
        ),
        Column(
            "description",
            "내용",
            required=False,
            help=gettext_lazy("필요하거나 제공하는 것. 모든 열이 같은 행만 중복입니다."),
            example="근전도 센서 모듈 공급사를 찾습니다",
        ),
        Column(
            "keywords",
            "키워드",
            required=False,
            help=gettext_lazy("검색 키워드"),
            format=gettext_lazy("여러 개는 ';' 또는 ','로 구분"),
            example="센서;근전도",
        ),
        Column(
            "expires_on",
            "게시 기한",
            aliases=("게시기한", "마감일"),
            help=gettext_lazy("게시 마감일 (오늘 이후)"),
            format="YYYY-MM-DD",
            example="2026-12-31",
        ),
    ]

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[RowPlan], list[RowError]]:
        from yunghap.network.models import Firm

        errors: list[RowError] = []
        plans: list[RowPlan] = []
        brns = {normalize_brn(str(v.get("brn") or "")) for _n, v in rows}
        firms = {f.brn: f for f in Firm.objects.filter(brn__in=brns).select_related("industry")}
        # A posting is identified by every column of the file: a firm often posts several needs under one
        # title (one per component), and those differ only in their description or keywords.
        existing = {
            (brn, kind, title, description, tuple(keywords or []), expires_on)
            for brn, kind, title, description, keywords, expires_on in Posting.objects.filter(
                firm__brn__in=brns
            ).values_list("firm__brn", "kind", "title", "description", "keywords", "expires_on")
        }
        today = timezone.localdate()
        seen: dict[tuple[Any, ...], int] = {}
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
            keywords = posting_services.parse_keywords(keywords)
            key = (brn, kind, title, description, tuple(keywords), expires_on)
            if key in seen:
                reader.error(
                    "title",
                    _("모든 열이 같은 행이 파일에 두 번 있습니다(행 %(first)s).") % {"first": seen[key]},
                )
                continue
            seen[key] = number
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
        Column(
            "name",
            "역량명",
            help=gettext_lazy("역량 이름 (같은 이름의 행은 그 역량을 고칩니다)"),
            example="사출 성형",
        ),
        Column(
            "synonyms",
            "동의어",
            aliases=("한국어동의어",),
            required=False,
            help=gettext_lazy("같은 뜻의 다른 이름"),
            format=gettext_lazy("여러 개는 ';'로 구분"),
            example="사출;인젝션 성형",
        ),
        Column(
            "english_terms",
            "영문 용어",
            aliases=("영문",),
            required=False,
            help=gettext_lazy("영문 용어"),
            format=gettext_lazy("여러 개는 ';'로 구분"),
            example="injection molding",
        ),
        Column(
            "industries",
            "관련 업종",
            aliases=("KSIC",),
            required=False,
            help=gettext_lazy("이 역량을 흔히 가진 업종"),
            format=gettext_lazy("KSIC 중분류 코드, 여러 개는 ';'로 구분"),
            example="22;29",
        ),
        Column("description", "설명", required=False, help=gettext_lazy("설명"), example=""),
    ]

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[RowPlan], list[RowError]]:
        from yunghap.network.models import Industry

        errors: list[RowError] = []
        plans: list[RowPlan] = []
        from yunghap.network.ksic import Divisions

        industries = {i.code: i for i in Industry.objects.all()}
        divisions = Divisions.load()
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
                try:
                    # The one KSIC rule of the registry (network.ksic), as for firms.
                    chosen.append(industries[divisions.check(code.zfill(2))])
                except ValueError as exc:
                    reader.error("industries", str(exc))
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
                shown: dict[str, tuple[Any, Any]] = {}
                for name in ("synonyms", "english_terms", "description"):
                    if getattr(current, name) != payload[name]:
                        shown[name] = (getattr(current, name), payload[name])
                old_codes = sorted(i.code for i in current.industries.all())
                new_codes = sorted(i.code for i in chosen)
                if old_codes != new_codes:
                    shown["industries"] = (old_codes, new_codes)
                plans.append(RowPlan(number, "update", (current, payload), shown))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        for plan in plans:
            if plan.action in ("create", "update"):
                capability, payload = plan.payload
                posting_services.save_capability(capability, actor=self.actor, **payload)
