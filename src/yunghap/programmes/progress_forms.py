"""Forms of the reports, grade, indicators and follow-ups. They clean input; the rules live in the services
(`progress_services`, `result_services`, `followups`), which the forms call through the views.

Every form edits an existing, versioned row (a report, the agreement, the indicators, a follow-up), so each
carries the version it was read at (`VersionedFormMixin`) instead of a one-time token.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yunghap.core.versions import VersionedFormMixin

from . import progress_services, result_services
from .models import Agreement


def _clean_task_number(value: str) -> str:
    """The services' own rule (`result_services.task_number_error`), shown on the field at once."""
    problem = result_services.task_number_error(value)
    if problem:
        raise forms.ValidationError(problem)
    return result_services.normalise_task_number(value)


class ReportSubmitForm(VersionedFormMixin, forms.Form):
    summary = forms.CharField(
        label=_("보고 내용"),
        max_length=progress_services.SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("수행 내용, 목표 대비 진척, 문제와 대응을 적습니다."),
    )
    file = forms.FileField(
        label=_("보고서 파일"),
        required=False,
        help_text=_("선택. 10MB 이하의 PDF, HWP(X), DOC(X), XLS(X), PPT(X), 이미지 또는 ZIP."),
    )

    def clean_file(self) -> Any:
        # Size and type are checked before anything is written (the service checks again).
        upload = self.cleaned_data.get("file")
        try:
            progress_services.validate_report_file(upload)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["file"]) from None
        return upload


class ReportReviewForm(VersionedFormMixin, forms.Form):
    DECISIONS = (("accept", _("승인")), ("return", _("보완 요청")))
    decision = forms.ChoiceField(label=_("검토 결과"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("검토 의견"),
        max_length=progress_services.COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("보완 요청이면 무엇을 보완할지 적어 주세요(필수)."),
    )


class ReportSkipForm(VersionedFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("생략 사유"),
        max_length=progress_services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GradeForm(VersionedFormMixin, forms.Form):
    grade = forms.ChoiceField(
        label=_("최종 평가 등급"), choices=Agreement.Grade.choices, widget=forms.RadioSelect
    )
    conduct = forms.ChoiceField(
        label=_("수행 성실도(미흡일 때)"),
        choices=[("", _("해당 없음")), *Agreement.Conduct.choices],
        required=False,
        help_text=_("미흡 등급이면 성실 수행 또는 불성실 수행을 선택합니다."),
    )


class IndicatorsForm(VersionedFormMixin, forms.Form):
    prototypes = forms.IntegerField(
        label=_("시제품(건)"), min_value=0, max_value=result_services.COUNT_MAX, initial=0
    )
    patents_applied = forms.IntegerField(
        label=_("특허 출원(건)"), min_value=0, max_value=result_services.COUNT_MAX, initial=0
    )
    patents_registered = forms.IntegerField(
        label=_("특허 등록(건)"), min_value=0, max_value=result_services.COUNT_MAX, initial=0
    )
    patent_numbers = forms.CharField(
        label=_("특허 출원·등록번호"), max_length=500, required=False, help_text=_("선택. 쉼표로 구분합니다.")
    )
    sales_krw = forms.IntegerField(
        label=_("매출액(원)"), min_value=0, max_value=result_services.SALES_MAX, initial=0
    )
    jobs = forms.IntegerField(
        label=_("고용 창출(명)"), min_value=0, max_value=result_services.COUNT_MAX, initial=0
    )
    follow_on_task_number = forms.CharField(
        label=_("후속 R&D 과제번호"),
        max_length=32,
        required=False,
        help_text=_("SMTECH: S와 숫자 7자리(예: S3312345), IRIS: RS-연도-숫자 8자리(예: RS-2025-00412345)."),
    )
    follow_on_title = forms.CharField(label=_("후속 R&D 과제명"), max_length=200, required=False)

    def clean_follow_on_task_number(self) -> str:
        return _clean_task_number(self.cleaned_data.get("follow_on_task_number", ""))

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in result_services.FIELDS}


class FollowUpAnswerForm(VersionedFormMixin, forms.Form):
    sales_krw = forms.IntegerField(
        label=_("협약 종료 후 누적 매출액(원)"), min_value=0, max_value=result_services.SALES_MAX
    )
    jobs = forms.IntegerField(
        label=_("협약 종료 후 누적 고용 창출(명)"), min_value=0, max_value=result_services.COUNT_MAX
    )
    follow_on_task_number = forms.CharField(
        label=_("후속 R&D 과제번호"),
        max_length=32,
        required=False,
        help_text=_("후속 R&D가 있으면 SMTECH(S3312345) 또는 IRIS(RS-2025-00412345) 과제번호."),
    )
    note = forms.CharField(
        label=_("기타 의견"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_follow_on_task_number(self) -> str:
        return _clean_task_number(self.cleaned_data.get("follow_on_task_number", ""))
