"""The story's edit form and the search bar of both lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from yunghap.core.versions import VersionedFormMixin


class StoryForm(VersionedFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("제목"), max_length=200)
    summary = forms.CharField(
        label=gettext_lazy("요약"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=pgettext_lazy("story", "본문"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12})
    )


class StorySearchForm(forms.Form):
    """Industry pair, growth engine, exchange type and region; an unknown code is a message beside its field."""

    industry_a = forms.ChoiceField(label=gettext_lazy("업종 1(KSIC 중분류)"), required=False)
    industry_b = forms.ChoiceField(label=gettext_lazy("업종 2(KSIC 중분류)"), required=False)
    engine = forms.ChoiceField(label=gettext_lazy("신성장동력"), required=False)
    type = forms.ChoiceField(label=gettext_lazy("교류 유형"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("지역연합회"), required=False)

    def __init__(
        self, data: Any, *, industries: list[Any], engines: list[Any], types: list[Any], regions: list[Any]
    ) -> None:
        super().__init__(data)
        everything = [("", _("전체"))]
        industry_choices = everything + [(i.code, f"{i.code} {i.display_name}") for i in industries]
        fields: dict[str, Any] = self.fields
        fields["industry_a"].choices = industry_choices
        fields["industry_b"].choices = industry_choices
        fields["engine"].choices = everything + [(e.code, e.display_name) for e in engines]
        fields["type"].choices = everything + [(t.code, t.display_name) for t in types]
        fields["region"].choices = [("", _("전국"))] + [(f.code, f.display_name) for f in regions]
        messages = {
            "industry_a": gettext_lazy("알 수 없는 업종입니다: %(value)s"),
            "industry_b": gettext_lazy("알 수 없는 업종입니다: %(value)s"),
            "engine": gettext_lazy("알 수 없는 신성장동력입니다: %(value)s"),
            "type": gettext_lazy("알 수 없는 교류 유형입니다: %(value)s"),
            "region": gettext_lazy("알 수 없는 지역연합회입니다: %(value)s"),
        }
        for name, field in fields.items():
            field.error_messages["invalid_choice"] = messages[name]
            field.widget.attrs.setdefault("id", f"search-{name}")
            field.widget.attrs["class"] = "krds-form-select"
