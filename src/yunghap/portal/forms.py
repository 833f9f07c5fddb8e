"""The staff's post form (create with a one-time token, edit with the version read) and the public search bar."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from yunghap.core.components import DateInput
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.core.versions import VersionedFormMixin

from .files import ALLOWED_LABEL, attachment_errors, max_bytes
from .models import Attachment, Category, Kind


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each checked by the attachment rule (`files.attachment_errors`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        uploads = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        errors: list[str] = []
        for upload in uploads:
            errors += attachment_errors(upload)
        if errors:
            raise ValidationError(errors, code="attachment")
        return list(uploads)


def parse_cutoffs(text: str) -> list[tuple[datetime.date, str]]:
    """Lines of `YYYY-MM-DD label` (the label optional) → [(date, label)], in date order."""
    rows: list[tuple[datetime.date, str]] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        head, _sep, label = line.partition(" ")
        try:
            day = datetime.date.fromisoformat(head)
        except ValueError:
            errors.append(
                _("%(line)s번째 줄: 날짜를 YYYY-MM-DD로 적어 주세요 (예: 2026-03-31 1차 마감).")
                % {"line": number}
            )
            continue
        rows.append((day, label.strip()[:40]))
    if errors:
        raise ValidationError(errors, code="cutoffs")
    if len(rows) > 20:
        raise ValidationError(_("차수별 마감일은 20개까지 적을 수 있습니다."), code="cutoffs")
    return sorted(rows)


class PostForm(OneTimeTokenMixin, VersionedFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("제목"), max_length=200)
    category = forms.ModelChoiceField(
        label=gettext_lazy("분류"), queryset=Category.objects.none(), required=False
    )
    body = forms.CharField(
        label=pgettext_lazy("post", "본문"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy("일반 텍스트로 적습니다. 줄바꿈은 그대로 보입니다."),
    )
    pinned = forms.BooleanField(label=gettext_lazy("목록 맨 위에 고정"), required=False)
    publish_at = forms.DateTimeField(
        label=gettext_lazy("게시 일시"),
        widget=DateTimeInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        required=False,
        help_text=gettext_lazy("비우면 지금 게시합니다. 앞으로의 일시를 적으면 그때부터 공개됩니다."),
    )
    deadline_on = forms.DateField(label=gettext_lazy("마감일"), widget=DateInput, required=False)
    deadline_text = forms.CharField(
        label=gettext_lazy("마감 안내"),
        max_length=60,
        required=False,
        help_text=gettext_lazy(
            "날짜가 정해지지 않았으면 '추후 공지'처럼 적습니다. 마감일과 함께 적을 수 없습니다."
        ),
    )
    cutoffs = forms.CharField(
        label=gettext_lazy("차수별 마감일"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("한 줄에 하나씩 'YYYY-MM-DD 차수' (예: 2026-03-31 1차 마감)."),
    )
    uploads = MultipleFileField(label=gettext_lazy("첨부파일 추가"), required=False)
    remove = forms.ModelMultipleChoiceField(
        label=gettext_lazy("삭제할 첨부파일"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, kind: str, post: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["category"].queryset = Category.objects.filter(kind=kind)
        fields["category"].empty_label = _("분류 없음")
        fields["uploads"].help_text = _(
            "%(allowed)s, 한 파일 %(limit)sMB까지. 여러 파일을 한 번에 고를 수 있습니다."
        ) % {
            "allowed": ALLOWED_LABEL,
            "limit": max_bytes() // (1024 * 1024),
        }
        if post is None:
            del fields["remove"]
        else:
            fields["remove"].queryset = post.attachments.all()

    def clean_cutoffs(self) -> list[tuple[datetime.date, str]]:
        return parse_cutoffs(self.cleaned_data.get("cutoffs") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("deadline_on") and (cleaned.get("deadline_text") or "").strip():
            self.add_error(
                "deadline_text",
                _("마감일과 마감 안내 중 하나만 적어 주세요. 날짜가 정해졌으면 마감일을 쓰세요."),
            )
        return cleaned


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("검색어"), max_length=100, required=False)
    category = forms.ChoiceField(label=gettext_lazy("분류"), required=False)

    def __init__(self, data: Any, *, kind: str | None = None) -> None:
        super().__init__(data)
        field: Any = self.fields["category"]
        if kind is None:
            del self.fields["category"]
        else:
            field.choices = [("", _("전체"))] + [
                (c.slug, c.display_name) for c in Category.objects.filter(kind=kind)
            ]
            field.error_messages["invalid_choice"] = gettext_lazy("알 수 없는 분류입니다: %(value)s")
        self.fields["q"].widget.attrs.update({"id": "search-q", "type": "search"})

    def cleaned_query(self) -> str:
        return str(self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""


KIND_LABELS: dict[str, Any] = {Kind.NOTICE: gettext_lazy("공지사항"), Kind.LIBRARY: gettext_lazy("자료실")}
