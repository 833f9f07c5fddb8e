"""`yunghap import topics FILE`: promising topics in bulk, created or updated by their code.

Columns `code, title, growth_engine, summary, capabilities` (Korean headers 과제코드, 과제명, 신성장동력, 요약,
필요역량). The growth engine by its code (`NGE09-09`) or name, capabilities `;`-separated by name, synonym
or English term (`programmes.vocabulary`). A new topic is `proposed`; an update leaves its status, its
proposer and its screening alone.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.core.imports import (
    Column,
    Importer,
    PlanChanged,
    RowError,
    RowPlan,
    RowReader,
    cell_list,
    register,
)
from yunghap.core.korean import fill

from . import topic_services
from .models import Topic
from .vocabulary import capability_lookup, engine_lookup, resolve

CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# Paths of the topic pages that a code would shadow.
RESERVED_CODES = {"new"}


@register
class TopicImporter(Importer):
    kind = "topics"
    # Topics feed no statistics and change no posting or profile: nothing derived to refresh.
    affects: ClassVar[frozenset[str]] = frozenset()
    label = gettext_lazy("유망과제")
    columns = [
        Column(
            "code",
            "과제코드",
            aliases=("과제 코드", "코드"),
            help=gettext_lazy("과제 코드 (같은 코드의 행은 그 과제를 고칩니다)"),
            format=gettext_lazy("영문·숫자·-·_ 32자 이내"),
            example="T2026-0001",
        ),
        Column("title", "과제명", help=gettext_lazy("과제명"), example="스마트 센서 융합 모듈"),
        Column(
            "growth_engine",
            "신성장동력",
            help=gettext_lazy("17개 신성장동력 가운데 하나"),
            format=gettext_lazy("코드 또는 이름"),
            example="NGE09-09",
        ),
        Column(
            "summary", "요약", help=gettext_lazy("과제 요약"), example="이업종 기업이 함께 개발하는 센서 모듈"
        ),
        Column(
            "capabilities",
            "필요역량",
            aliases=("필요 역량", "역량"),
            required=False,
            help=gettext_lazy("과제에 필요한 역량(매칭 역량 어휘)"),
            format=gettext_lazy("여러 개는 ';'로 구분"),
            example="사출 성형;IoT 센서",
        ),
    ]

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[RowPlan], list[RowError]]:
        errors: list[RowError] = []
        plans: list[RowPlan] = []
        engines = engine_lookup()
        capabilities = capability_lookup()
        codes = {str(v.get("code") or "").strip() for _n, v in rows}
        existing = {
            t.code: t
            for t in Topic.objects.filter(code__in=codes)
            .select_related("growth_engine")
            .prefetch_related("capabilities")
        }
        seen: dict[str, int] = {}
        for number, values in rows:
            reader = RowReader(number, values, errors)
            code = reader.text("code", required=True)
            if code and (not CODE.match(code) or code.lower() in RESERVED_CODES):
                reader.error(
                    "code",
                    _("과제 코드는 영문·숫자·-·_ 32자 이내로 써 주세요: '%(code)s'") % {"code": code},
                )
            title = reader.text("title", required=True, max_length=topic_services.TITLE_MAX_LENGTH)
            title = " ".join(title.split())
            summary = reader.text("summary", required=True, max_length=topic_services.SUMMARY_MAX_LENGTH)
            engine_text = reader.text("growth_engine", required=True)
            engine = resolve(engines, engine_text) if engine_text else None
            if engine_text and engine is None:
                reader.error(
                    "growth_engine",
                    fill(_("알 수 없는 신성장동력입니다: '%(value)s'"), {"value": engine_text}),
                )
            chosen: list[Any] = []
            for name in reader.parse("capabilities", cell_list, default=[]):
                capability = resolve(capabilities, name)
                if capability is None:
                    reader.error(
                        "capabilities",
                        fill(_("역량 어휘에 없는 역량입니다: '%(value)s'"), {"value": name}),
                    )
                elif capability not in chosen:
                    chosen.append(capability)
            if not reader.ok or engine is None:
                continue
            if code in seen:
                reader.error(
                    "code",
                    _("같은 과제 코드가 파일에 두 번 있습니다: %(code)s (행 %(first)s)")
                    % {"code": code, "first": seen[code]},
                )
                continue
            seen[code] = number
            payload = {
                "code": code,
                "title": title,
                "growth_engine": engine,
                "summary": summary,
                "capabilities": chosen,
            }
            current = existing.get(code)
            if current is None:
                plans.append(RowPlan(number, "create", (None, payload)))
                continue
            changes: dict[str, tuple[Any, Any]] = {}
            for name in ("title", "summary"):
                if getattr(current, name) != payload[name]:
                    changes[name] = (getattr(current, name), payload[name])
            if current.growth_engine_id != engine.pk:
                changes["growth_engine"] = (current.growth_engine.code, engine.code)
            old_caps = sorted(c.name for c in current.capabilities.all())
            new_caps = sorted(c.name for c in chosen)
            if old_caps != new_caps:
                changes["capabilities"] = (old_caps, new_caps)
            if changes:
                plans.append(RowPlan(number, "update", (current, payload), changes))
            else:
                plans.append(RowPlan(number, "unchanged"))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        for plan in plans:
            if plan.action in ("create", "update"):
                topic, payload = plan.payload
                try:
                    with transaction.atomic():
                        topic_services.save_imported_topic(topic, **payload)
                except IntegrityError:
                    # Another import or page created this code after the plan was made.
                    raise PlanChanged(
                        [
                            RowError(
                                plan.row,
                                "code",
                                _(
                                    "다른 사용자가 방금 같은 과제 코드를 등록했습니다: %(code)s. 다시 가져와 주세요."
                                )
                                % {"code": payload["code"]},
                            )
                        ]
                    ) from None

    def audit_details(self, plans: list[RowPlan]) -> dict[str, Any]:
        return {
            "created_codes": [p.payload[1]["code"] for p in plans if p.action == "create"],
            "updated_codes": [p.payload[1]["code"] for p in plans if p.action == "update"],
        }
