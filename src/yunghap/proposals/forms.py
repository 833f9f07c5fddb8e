"""The proposal's forms: submit (one-time token), edit (version), correction reply, staff forms, search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.core.versions import VersionedFormMixin

from .attachments import ACCEPT, MAX_FILES, attachment_errors, check_attachments
from .models import ProposalOutcome, ProposalState


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


ATTACHMENT_HELP = gettext_lazy(
    "선택. PDF, HWP, HWPX, XLSX, 이미지(JPG·PNG·GIF) · 파일마다 10MB 이하, 5개까지"
)


def _attachments_field(label: Any = None) -> MultipleFileField:
    return MultipleFileField(
        label=label or gettext_lazy("첨부파일"), required=False, help_text=ATTACHMENT_HELP
    )


class _ProposalFields(forms.Form):
    title = forms.CharField(label=gettext_lazy("제목"), max_length=200)
    problem = forms.CharField(
        label=gettext_lazy("현황 및 문제점"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    proposal = forms.CharField(
        label=gettext_lazy("개선 방안"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    law = forms.CharField(
        label=gettext_lazy("관련 법령·제도"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("예: 중소기업기술혁신촉진법 제9조, 산학연협력 기술개발사업"),
    )
    firm = forms.TypedChoiceField(
        label=gettext_lazy("건의 기업"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=gettext_lazy("선택. 소속 기업 이름으로 건의하려면 고르세요."),
    )
    is_public = forms.BooleanField(
        label=gettext_lazy("공개 건의로 올립니다"),
        required=False,
        help_text=gettext_lazy(
            "기본은 비공개입니다. 공개하면 로그인하지 않은 방문자도 제목, 내용과 공개된 답변을 볼 수 있습니다."
        ),
    )
    attachments = _attachments_field()

    def __init__(self, *args: Any, firms: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["firm"].choices = [("", _("개인으로 건의"))] + [(f.pk, f.name) for f in firms]
        self._firms = {f.pk: f for f in firms}
        if not firms:
            del fields["firm"]

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        errors = attachment_errors(files)
        if errors:
            raise ValidationError(errors)
        return list(files)

    def firm_object(self) -> Any:
        pk = self.cleaned_data.get("firm")
        return self._firms.get(pk) if pk else None


class ProposalForm(OneTimeTokenMixin, _ProposalFields):
    pass


class ProposalEditForm(VersionedFormMixin, _ProposalFields):
    pass


class CorrectionReplyForm(VersionedFormMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("보완 내용"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = _attachments_field(gettext_lazy("보완 첨부파일"))

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        errors = attachment_errors(files)
        if errors:
            raise ValidationError(errors)
        return list(files)


class CorrectionRequestForm(VersionedFormMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("보완 요청 내용"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )


class AnswerForm(VersionedFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("처리 결과"), choices=ProposalOutcome.choices)
    forwarded_to = forms.CharField(
        label=gettext_lazy("이송 기관"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("처리 결과가 '타 기관 이송'이면 기관 이름을 써 주세요."),
    )
    text = forms.CharField(
        label=gettext_lazy("답변"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )
    attachment = forms.FileField(
        label=gettext_lazy("답변 첨부파일"),
        required=False,
        help_text=gettext_lazy("선택. PDF, HWP, HWPX, XLSX, 이미지 · 10MB 이하"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            cleaned.get("outcome") == ProposalOutcome.FORWARDED
            and not (cleaned.get("forwarded_to") or "").strip()
        ):
            self.add_error("forwarded_to", _("이송한 기관의 이름을 써 주세요."))
        if cleaned.get("attachment"):
            check_attachments([cleaned["attachment"]], field="attachment")
        return cleaned


class ReportForm(OneTimeTokenMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("신고 사유"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("욕설, 개인정보 노출, 광고 등 신고하는 까닭을 써 주세요."),
    )


STATE_CHOICES = [("", gettext_lazy("전체"))] + list(ProposalState.choices)


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("검색어"), max_length=100, required=False)
    state = forms.ChoiceField(label=pgettext_lazy("proposal", "상태"), choices=STATE_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].error_messages["invalid_choice"] = gettext_lazy(
            "알 수 없는 상태입니다: %(value)s"
        )
        self.fields["q"].widget.attrs.update({"id": "search-q", "class": "krds-input"})
        self.fields["state"].widget.attrs.update({"id": "search-state", "class": "krds-form-select"})


class ManageSearchForm(SearchForm):
    overdue = forms.BooleanField(label=gettext_lazy("기한 초과만"), required=False)
    reported = forms.BooleanField(label=gettext_lazy("신고로 숨김만"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["overdue"].widget.attrs["id"] = "search-overdue"
        self.fields["reported"].widget.attrs["id"] = "search-reported"


__all__ = ["MAX_FILES"]
