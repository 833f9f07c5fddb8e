"""Spreadsheet imports of the review: `reviewers` (the pool, with accounts) and `reviews` (scores already given
on paper, for one call).

`yunghap import reviewers FILE` — `username, name, email, affiliation_brn, expertise`: a new reviewer gets an
account with the `reviewer` role and no usable password (they set one through the password reset page);
`expertise` is `;`-separated growth-engine codes or names, or capabilities of the matching vocabulary
(`programmes.vocabulary`). A re-import of the same file changes nothing.

`yunghap import reviews FILE --call CODE` — `ref, reviewer, score` and optional columns named after the call's
criteria (code or name) and `comment`. The whole file is refused, with each row and reason, when a reviewer has
a conflict with the application (the message names the code), reviews one application twice (in the file, or
a different score already stored: the same score again is the same review, unchanged), the application is
unknown, not submitted or ineligible, the score is out of range, or the reviewer is unknown.
"""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone
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
    cell_text,
    register,
)
from yunghap.core.korean import fill
from yunghap.core.validators import brn_is_valid, normalize_brn
from yunghap.core.versions import bump_version

from . import vocabulary
from .conflicts import conflict_map
from .models import Application, Call, Review, ReviewAssignment, Reviewer
from .review_services import conflict_message, points_text


def _add_call_option(parser: argparse.ArgumentParser) -> None:
    # Several kinds take `--call` (applications, reviews): the command builds one parser for all of them.
    if not any("--call" in action.option_strings for action in parser._actions):
        parser.add_argument("--call", help="공모 코드 (applications, reviews import: required)")


@register
class ReviewerImporter(Importer):
    kind = "reviewers"
    affects = frozenset[str]()  # accounts and the pool: no statistics, no matching index
    label = gettext_lazy("평가위원 명단")
    columns = [
        Column(
            "username",
            "아이디",
            aliases=("로그인 아이디", "사용자 아이디"),
            help=gettext_lazy("로그인 아이디 (같은 아이디의 행은 그 평가위원을 고칩니다)"),
            format=gettext_lazy("영문·숫자와 @ . + - _"),
            example="kim.reviewer",
        ),
        Column("name", "이름", aliases=("성명",), help=gettext_lazy("평가위원 이름"), example="김평가"),
        Column(
            "email",
            "이메일",
            aliases=("전자우편", "메일"),
            help=gettext_lazy("비밀번호 설정 안내를 받을 주소"),
            example="kim@example.kr",
        ),
        Column(
            "affiliation_brn",
            "소속 기업 사업자등록번호",
            aliases=("소속 사업자등록번호", "소속기업 사업자등록번호"),
            required=False,
            help=gettext_lazy("소속 기업이 등록된 기업이면 그 사업자등록번호 (이해충돌 판단에 쓰입니다)"),
            format=gettext_lazy("숫자 10자리, 없으면 비움"),
            example="116-82-00276",
        ),
        Column(
            "expertise",
            "전문 분야",
            aliases=("전문분야", "전문 역량"),
            required=False,
            help=gettext_lazy("신성장동력 코드·이름 또는 역량 어휘의 역량"),
            format=gettext_lazy("여러 개는 ';'로 구분"),
            example="NGE09-09;사출 성형",
        ),
    ]

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[RowPlan], list[RowError]]:
        from yunghap.accounts.models import Role, RoleGrant, User
        from yunghap.network.models import Firm

        errors: list[RowError] = []
        plans: list[RowPlan] = []
        usernames = {cell_text(v.get("username")).lower() for _n, v in rows}
        users = {
            u.username.lower(): u
            for u in User.objects.annotate(lowered=Lower("username")).filter(lowered__in=usernames - {""})
        }
        reviewers = {
            r.user_id: r
            for r in Reviewer.objects.filter(user__in=users.values()).prefetch_related(
                "expertise_engines", "expertise_capabilities"
            )
        }
        graded = set(
            RoleGrant.objects.filter(user__in=users.values(), role=Role.REVIEWER).values_list(
                "user_id", flat=True
            )
        )
        brns = {normalize_brn(cell_text(v.get("affiliation_brn"))) for _n, v in rows} - {""}
        firms = {f.brn: f for f in Firm.objects.filter(brn__in=brns)}
        engines = vocabulary.engine_lookup()
        capabilities = vocabulary.capability_lookup()
        check_username = UnicodeUsernameValidator()
        seen: dict[str, int] = {}
        for number, values in rows:
            reader = RowReader(number, values, errors)
            username = reader.text("username", required=True, max_length=150)
            if username:
                try:
                    check_username(username)
                except ValidationError:
                    reader.error(
                        "username",
                        _("아이디에는 영문·숫자와 @ . + - _만 쓸 수 있습니다: %(v)s") % {"v": username},
                    )
            name = reader.text("name", required=True, max_length=150)
            email = reader.text("email", required=True, max_length=254)
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    reader.error("email", _("이메일 주소가 올바르지 않습니다: %(v)s") % {"v": email})
            affiliation = None
            brn = normalize_brn(reader.text("affiliation_brn"))
            if brn:
                if not brn_is_valid(brn):
                    reader.error(
                        "affiliation_brn", _("사업자등록번호가 올바르지 않습니다: %(brn)s") % {"brn": brn}
                    )
                else:
                    affiliation = firms.get(brn)
                    if affiliation is None:
                        reader.error("affiliation_brn", _("등록되지 않은 기업입니다: %(brn)s") % {"brn": brn})
            chosen_engines: set[Any] = set()
            chosen_capabilities: set[Any] = set()
            for item in reader.parse("expertise", cell_list, default=[]):
                engine = vocabulary.resolve(engines, item)
                capability = None if engine else vocabulary.resolve(capabilities, item)
                if engine:
                    chosen_engines.add(engine)
                elif capability:
                    chosen_capabilities.add(capability)
                else:
                    reader.error(
                        "expertise",
                        _("신성장동력이나 역량 어휘에 없는 전문 분야입니다: %(v)s") % {"v": item},
                    )
            if not reader.ok:
                continue
            key = username.lower()
            if key in seen:
                reader.error(
                    "username", _("같은 아이디가 파일에 두 번 있습니다(행 %(first)s).") % {"first": seen[key]}
                )
                continue
            seen[key] = number
            payload: dict[str, Any] = {
                "username": username,
                "name": name,
                "email": email,
                "affiliation": affiliation,
                "engines": sorted(chosen_engines, key=lambda e: e.pk),
                "capabilities": sorted(chosen_capabilities, key=lambda c: c.pk),
            }
            user = users.get(key)
            if user is None:
                plans.append(RowPlan(number, "create", payload))
                continue
            reviewer = reviewers.get(user.pk)
            if reviewer is None and user.pk not in graded:
                reader.error(
                    "username",
                    _("평가위원이 아닌 계정이 이미 이 아이디를 씁니다: %(v)s") % {"v": user.username},
                )
                continue
            old = {
                "name": user.name,
                "email": user.email,
                "affiliation_brn": reviewer.affiliation.brn if reviewer and reviewer.affiliation else "",
                "expertise": sorted(
                    [e.code for e in reviewer.expertise_engines.all()]
                    + [c.name for c in reviewer.expertise_capabilities.all()]
                )
                if reviewer
                else [],
            }
            new = {
                "name": name,
                "email": email,
                "affiliation_brn": affiliation.brn if affiliation else "",
                "expertise": sorted([e.code for e in chosen_engines] + [c.name for c in chosen_capabilities]),
            }
            changes = {k: (old[k], new[k]) for k in new if old[k] != new[k]}
            if reviewer is not None and not changes:
                plans.append(RowPlan(number, "unchanged"))
                continue
            payload.update({"user": user, "reviewer": reviewer})
            plans.append(RowPlan(number, "update", payload, changes=changes))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        from yunghap.accounts.models import Role, RoleGrant, User

        for plan in plans:
            if plan.action == "unchanged":
                continue
            data = plan.payload
            user = data.get("user")
            if user is None:
                user = User(username=data["username"], name=data["name"], email=data["email"])
                user.set_unusable_password()
                user.save()
            else:
                user.name, user.email = data["name"], data["email"]
                user.save(update_fields=["name", "email"])
            RoleGrant.objects.get_or_create(
                user=user, role=Role.REVIEWER, federation=None, group=None, firm=None
            )
            reviewer = data.get("reviewer")
            if reviewer is None:
                reviewer = Reviewer.objects.create(user=user, affiliation=data["affiliation"])
            else:
                reviewer.affiliation = data["affiliation"]
                bump_version(reviewer)
                reviewer.save(update_fields=["affiliation", "version", "updated_at"])
            reviewer.expertise_engines.set(data["engines"])
            reviewer.expertise_capabilities.set(data["capabilities"])

    def audit_details(self, plans: list[RowPlan]) -> dict[str, Any]:
        return {
            "created": [p.payload["username"] for p in plans if p.action == "create"],
            "updated": [p.payload["username"] for p in plans if p.action == "update"],
        }


def _score(value: Any) -> Decimal:
    text = cell_text(value).replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("점수는 숫자로 써 주세요: %(v)s") % {"v": value}) from None
    if not number.is_finite():
        raise ValueError(_("점수는 숫자로 써 주세요: %(v)s") % {"v": value})
    if number != number.quantize(Decimal("0.01")):
        raise ValueError(_("점수는 소수 둘째 자리까지 쓸 수 있습니다: %(v)s") % {"v": value})
    return number.quantize(Decimal("0.01"))


@register
class ReviewImporter(Importer):
    kind = "reviews"
    affects = frozenset[str]()  # scores are read by the selection when it runs
    label = gettext_lazy("평가 결과")
    base_columns = [
        Column(
            "ref",
            "접수번호",
            aliases=("신청번호",),
            help=gettext_lazy("공모 안의 신청 접수번호"),
            example="c2026-001",
        ),
        Column(
            "reviewer",
            "평가위원",
            aliases=("평가위원 아이디", "아이디"),
            help=gettext_lazy("평가위원의 아이디"),
            example="kim.reviewer",
        ),
        Column(
            "score",
            "점수",
            aliases=("총점",),
            help=gettext_lazy("총점 (항목별 점수를 모두 적으면 비워도 되고, 적으면 그 합과 같아야 합니다)"),
            format=gettext_lazy("0~100, 소수 둘째 자리까지"),
            example="82.5",
        ),
        Column(
            "comment",
            "평가 의견",
            aliases=("의견",),
            required=False,
            help=gettext_lazy("평가 의견"),
            example="",
        ),
    ]
    columns = base_columns  # with the call's criteria added per instance (see __init__)

    def __init__(self, *, actor: Any, options: dict[str, Any] | None = None) -> None:
        super().__init__(actor=actor, options=options)
        code = cell_text(self.options.get("call"))
        self.call = Call.objects.filter(code=code).first() if code else None
        self.criteria = [c for c in (self.call.criteria if self.call else []) or [] if c.get("code")]
        taken = {c.key for c in self.base_columns}
        self.columns = list(self.base_columns) + [  # type: ignore[misc]
            Column(
                f"criterion:{c['code']}",
                str(c.get("name") or c["code"]),
                aliases=tuple(a for a in (c["code"], c.get("name_en") or "") if a and a not in taken),
                required=False,
            )
            for c in self.criteria
        ]

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        _add_call_option(parser)

    @classmethod
    def option_fields(cls) -> dict[str, Any]:
        return {"call": forms.CharField(label=gettext_lazy("공모 코드"), max_length=32)}

    def check_options(self) -> list[RowError]:
        if not cell_text(self.options.get("call")):
            return [RowError(0, "call", _("--call로 공모 코드를 지정해야 합니다."))]
        if self.call is None:
            return [
                RowError(
                    0, "call", _("등록되지 않은 공모입니다: %(code)s") % {"code": self.options.get("call")}
                )
            ]
        return []

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[RowPlan], list[RowError]]:
        assert self.call is not None, "check_options() found the call before plan() runs"
        errors: list[RowError] = []
        plans: list[RowPlan] = []
        refs = {cell_text(v.get("ref")) for _n, v in rows}
        names = {cell_text(v.get("reviewer")).lower() for _n, v in rows}
        applications = {a.ref: a for a in Application.objects.filter(call=self.call, ref__in=refs)}
        reviewers = {
            r.user.username.lower(): r
            for r in Reviewer.objects.select_related("user")
            .annotate(lowered=Lower("user__username"))
            .filter(lowered__in=names - {""})
        }
        conflicts = conflict_map(reviewers.values(), applications.values())
        assignments = {
            (a.application_id, a.reviewer_id): a
            for a in ReviewAssignment.objects.filter(application__in=applications.values())
        }
        stored = {
            (r.application_id, r.reviewer_id): r
            for r in Review.objects.filter(application__in=applications.values())
        }
        seen: dict[tuple[int, int], int] = {}
        for number, values in rows:
            reader = RowReader(number, values, errors)
            ref = reader.text("ref", required=True)
            application = applications.get(ref) if ref else None
            if ref and application is None:
                reader.error("ref", _("이 공모에 없는 접수번호입니다: %(ref)s") % {"ref": ref})
            elif application is not None and application.status != Application.Status.SUBMITTED:
                reader.error("ref", _("제출되지 않은 신청은 평가할 수 없습니다: %(ref)s") % {"ref": ref})
            elif application is not None and application.eligibility != Application.Eligibility.ELIGIBLE:
                reader.error("ref", _("적격이 아닌 신청은 평가할 수 없습니다: %(ref)s") % {"ref": ref})
            name = reader.text("reviewer", required=True)
            reviewer = reviewers.get(name.lower()) if name else None
            if name and reviewer is None:
                reader.error("reviewer", _("등록되지 않은 평가위원입니다: %(v)s") % {"v": name})
            elif reviewer is not None and not reviewer.is_active:
                reader.error("reviewer", _("위촉이 해제된 평가위원입니다: %(v)s") % {"v": name})
            criterion_scores: dict[str, str] = {}
            total = Decimal(0)
            for criterion in self.criteria:
                key = f"criterion:{criterion['code']}"
                value = reader.parse(key, _score)
                if value is None:
                    continue
                points = Decimal(str(criterion.get("points", 0)))
                if not Decimal(0) <= value <= points:
                    reader.error(
                        key,
                        _("0점부터 %(points)s점까지 입력할 수 있습니다.") % {"points": points_text(points)},
                    )
                    continue
                criterion_scores[criterion["code"]] = str(value)
                total += value
            complete = bool(self.criteria) and len(criterion_scores) == len(self.criteria)
            if criterion_scores and not complete and reader.ok:
                reader.error("score", _("항목별 점수는 모든 평가 항목에 적어야 합니다."))
            score = reader.parse("score", _score, required=not complete)
            if score is not None and not Decimal(0) <= score <= Decimal(100):
                reader.error("score", _("점수는 0부터 100까지입니다: %(v)s") % {"v": score})
            elif score is not None and complete and score != total:
                reader.error(
                    "score",
                    fill(
                        _("점수 %(score)s이(가) 항목별 점수의 합 %(total)s과(와) 다릅니다."),
                        {"score": score, "total": total},
                    ),
                )
            if score is None and complete:
                score = total
            comment = reader.text("comment", max_length=4000)
            if not reader.ok or application is None or reviewer is None or score is None:
                continue
            pair = (application.pk, reviewer.pk)
            codes = conflicts.get((reviewer.pk, application.pk))
            if codes:
                reader.error("reviewer", conflict_message(codes))
                continue
            if pair in seen:
                reader.error(
                    "reviewer",
                    _("같은 평가위원이 같은 신청을 두 번 평가했습니다(행 %(first)s).")
                    % {"first": seen[pair]},
                )
                continue
            seen[pair] = number
            existing = stored.get(pair)
            if existing is not None:
                if existing.score == score and (
                    not criterion_scores or existing.criterion_scores == criterion_scores
                ):
                    plans.append(RowPlan(number, "unchanged"))
                else:
                    reader.error(
                        "reviewer",
                        _(
                            "이 평가위원의 평가가 이미 등록되어 있습니다(점수 %(score)s). 한 신청은 한 번만 평가합니다."
                        )
                        % {"score": existing.score},
                    )
                continue
            assignment = assignments.get(pair)
            if assignment is not None and assignment.state == ReviewAssignment.State.RECUSED:
                reader.error("reviewer", _("이 평가위원은 이 신청의 평가에서 회피했습니다."))
                continue
            plans.append(
                RowPlan(
                    number,
                    "create",
                    {
                        "application": application,
                        "reviewer": reviewer,
                        "score": score,
                        "criteria": criterion_scores,
                        "comment": comment,
                        "assignment": assignment,
                    },
                )
            )
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        creates = [p for p in plans if p.action == "create"]
        if not creates:
            return
        app_ids = sorted({p.payload["application"].pk for p in creates})
        # Lock the applications: a review typed on the page meanwhile is found here, not by a constraint.
        list(Application.objects.select_for_update().filter(pk__in=app_ids).values_list("pk", flat=True))
        taken = set(
            Review.objects.filter(application_id__in=app_ids).values_list("application_id", "reviewer_id")
        )
        conflicts = conflict_map(
            {p.payload["reviewer"] for p in creates}, [p.payload["application"] for p in creates]
        )
        problems = []
        for plan in creates:
            app, reviewer = plan.payload["application"], plan.payload["reviewer"]
            if (app.pk, reviewer.pk) in taken:
                problems.append(
                    RowError(plan.row, "reviewer", _("이 평가위원의 평가가 방금 등록되었습니다."))
                )
            elif (reviewer.pk, app.pk) in conflicts:
                problems.append(
                    RowError(plan.row, "reviewer", conflict_message(conflicts[(reviewer.pk, app.pk)]))
                )
        if problems:
            raise PlanChanged(problems)
        now = timezone.now()
        for plan in creates:
            data = plan.payload
            assignment = (
                ReviewAssignment.objects.filter(application=data["application"], reviewer=data["reviewer"])
                .exclude(state=ReviewAssignment.State.RECUSED)
                .first()
            )
            if assignment is None:
                assignment = ReviewAssignment.objects.create(
                    application=data["application"],
                    reviewer=data["reviewer"],
                    method=ReviewAssignment.Method.IMPORT,
                    state=ReviewAssignment.State.SUBMITTED,
                    assigned_by=self.actor if getattr(self.actor, "pk", None) else None,
                    declared_at=now,
                )
            else:
                assignment.state = ReviewAssignment.State.SUBMITTED
                assignment.declared_at = assignment.declared_at or now
                assignment.save(update_fields=["state", "declared_at", "updated_at"])
            Review.objects.create(
                assignment=assignment,
                application=data["application"],
                reviewer=data["reviewer"],
                score=data["score"],
                criterion_scores=data["criteria"],
                comment=data["comment"],
                submitted_at=now,
            )

    def audit_details(self, plans: list[RowPlan]) -> dict[str, Any]:
        assert self.call is not None
        return {
            "call": self.call.code,
            "reviews": [
                [p.payload["application"].ref, p.payload["reviewer"].user.username, str(p.payload["score"])]
                for p in plans
                if p.action == "create"
            ],
        }
