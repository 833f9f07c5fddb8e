"""Forms of the registry pages. They validate input; the rules of the registry live in services.py.

The edit forms never write to their instance: `_post_clean` is switched off so that the service sees
the old values, records what changed and runs the model validation itself.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from yunghap.accounts.scope import scope_of
from yunghap.core.forms import add_service_errors
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.core.validators import normalize_brn, validate_brn
from yunghap.core.versions import VersionedFormMixin

from . import rules
from .models import SIZE_CLASSES, ExchangeGroup, ExchangeType, Federation, Firm, Industry, Membership
from .selectors import reference_choices

SEARCH_MAX = 100


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class FastSelect(forms.Select):
    """A single select rendered in Python rather than one widget template per option.

    The filter bar has about a hundred options (KSIC divisions, regions); through Django's per-option
    templates they cost more than the rest of the group list page together, and that page is load-tested.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        selected = "" if value is None else str(value)
        parts = [f'<select name="{escape(name)}"']
        for key, val in final.items():
            if val is True:
                parts.append(f" {escape(key)}")
            elif val not in (None, False):
                parts.append(f' {escape(key)}="{escape(val)}"')
        parts.append(">")
        for option_value, label in self.choices:
            option = "" if option_value is None else str(option_value)
            mark = " selected" if option == selected else ""
            parts.append(f'<option value="{escape(option)}"{mark}>{escape(label)}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308  (every piece above is escaped)


class GroupFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("지역연합회"), required=False, widget=FastSelect)
    exchange_type = forms.ChoiceField(label=_("교류 유형"), required=False, widget=FastSelect)
    status = forms.ChoiceField(
        label=_("상태"),
        required=False,
        choices=_blank(_("전체")) + list(ExchangeGroup.Status.choices),
        widget=FastSelect,
    )
    division = forms.ChoiceField(label=_("업종(KSIC 중분류)"), required=False, widget=FastSelect)
    q = forms.CharField(label=_("교류회명 검색"), required=False, max_length=SEARCH_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = reference_choices()
        fields: dict[str, Any] = self.fields
        fields["region"].choices = _blank(_("전체")) + choices["regions"]
        fields["exchange_type"].choices = _blank(_("전체")) + choices["exchange_types"]
        fields["division"].choices = _blank(_("전체")) + choices["divisions"]
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"filter-{name}")
            field.widget.attrs["class"] = "krds-input" if name == "q" else "krds-form-select"

    def filters(self) -> dict[str, str]:
        """The valid filters; an invalid form filters nothing and shows its errors."""
        if not self.is_valid():
            return {}
        return {
            name: value.strip() if isinstance(value, str) else value
            for name, value in self.cleaned_data.items()
            if value
        }


class FirmFilterForm(GroupFilterForm):
    size = forms.ChoiceField(
        label=_("기업 규모"),
        required=False,
        choices=_blank(_("전체")) + [(code, label) for code, label, _low, _high in SIZE_CLASSES],
        widget=FastSelect,
    )
    secondary = forms.BooleanField(
        label=_("부 업종도 포함"),
        required=False,
        help_text=_("선택한 업종을 부 업종으로 가진 회원사도 보여 줍니다."),
    )
    q = forms.CharField(label=_("기업명·사업자등록번호 검색"), required=False, max_length=SEARCH_MAX)

    field_order = ["region", "division", "secondary", "size", "q"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["exchange_type"]
        del self.fields["status"]


class ServiceForm(OneTimeTokenMixin, VersionedFormMixin, forms.ModelForm[Any]):
    """A model form whose instance is changed by a service, not by the form.

    Creating, it carries a one-time token (`core.onetime`); editing, the version it was read at
    (`core.versions`). Neither is in `cleaned_data`: see `form.form_token` / `form.expected_version`.
    """

    def _post_clean(self) -> None:
        pass

    def add_service_errors(self, error: ValidationError) -> None:
        add_service_errors(self, error)

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            widget.attrs.setdefault(
                "class", "krds-form-select" if isinstance(widget, forms.Select) else "krds-input"
            )


def _federation_choices_for(user: Any) -> Any:
    scope = scope_of(user)
    regional = Federation.objects.filter(level=Federation.Level.REGIONAL)
    if scope.central:
        return regional
    ids = set(scope.region_ids)
    if scope.officer_group_ids:
        ids |= set(
            ExchangeGroup.objects.filter(id__in=scope.officer_group_ids).values_list(
                "federation_id", flat=True
            )
        )
    return regional.filter(id__in=ids)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class GroupForm(ServiceForm):
    exchange_types = forms.ModelMultipleChoiceField(
        label=_("교류 유형"),
        queryset=ExchangeType.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ExchangeGroup
        fields = [
            "code",
            "name",
            "federation",
            "kind",
            "founded_on",
            "status",
            "exchange_types",
            "description",
        ]
        widgets = {"founded_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"code": _("영문 소문자·숫자·하이픈, 바꾸면 주소가 바뀝니다.")}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["federation"].queryset = _federation_choices_for(user)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["exchange_types"] = list(self.instance.exchange_types.all())
            if not scope_of(user).staff:
                # An officer keeps the group's record but does not move it to another federation.
                self.fields["federation"].disabled = True
        self.style()


def split_list(value: str) -> list[str]:
    return [item.strip() for item in (value or "").replace("\n", ";").split(";") if item.strip()]


class FirmForm(ServiceForm):
    # Declared here: the model field's 10-character limit would reject the hyphenated form users type.
    brn = forms.CharField(
        label=_("사업자등록번호"), max_length=12, help_text=_("숫자 10자리(하이픈은 있어도 됩니다)")
    )
    technologies = forms.CharField(
        label=_("보유 기술"), required=False, help_text=_("여러 개는 ';'로 구분합니다."), max_length=2000
    )
    products = forms.CharField(
        label=_("주요 제품"), required=False, help_text=_("여러 개는 ';'로 구분합니다."), max_length=2000
    )
    # A 23-digit id is an invalid choice like any unknown one (core.lookups keeps it from the database).
    secondary_industries = forms.ModelMultipleChoiceField(
        label=_("부 업종(KSIC 중분류)"),
        queryset=Industry.objects.all(),
        required=False,
        help_text=_("주 업종 외에 하는 업종 (매칭에서 할 수 있는 일로 봅니다)"),
    )

    class Meta:
        model = Firm
        fields = [
            "brn",
            "name",
            "federation",
            "industry",
            "secondary_industries",
            "employees",
            "revenue_krw",
            "founded_on",
            "technologies",
            "products",
            "representative",
            "phone",
            "email",
            "address",
            "status",
        ]
        widgets = {"founded_on": DateInput()}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        federations = _federation_choices_for(user)
        if self.instance.pk:
            federations = federations | Federation.objects.filter(pk=self.instance.federation_id)
            if not rules.keeps_firm_record(user, self.instance.federation_id):
                # Only the firm's own federation (and central staff) change its identity, standing and
                # federation; its own user keeps the rest of its profile (rules.check_firm_change).
                for name in rules.STAFF_ONLY_FIRM_FIELDS:
                    self.fields[name].disabled = True
        self.fields["federation"].queryset = federations  # type: ignore[attr-defined]
        self.fields["federation"].label = _("지역연합회")
        if self.instance.pk:
            self.initial["technologies"] = "; ".join(self.instance.technologies)
            self.initial["products"] = "; ".join(self.instance.products)
            self.initial["brn"] = self.instance.brn_display
        self.style()

    def clean_brn(self) -> str:
        brn = normalize_brn(self.cleaned_data["brn"])
        validate_brn(brn)
        return brn

    def clean_technologies(self) -> list[str]:
        return split_list(self.cleaned_data["technologies"])

    def clean_products(self) -> list[str]:
        return split_list(self.cleaned_data["products"])


class MembershipForm(ServiceForm):
    class Meta:
        model = Membership
        fields = ["role", "joined_on", "left_on"]
        widgets = {"joined_on": DateInput(), "left_on": DateInput()}
        help_texts = {"left_on": _("탈퇴하면 탈퇴일을 입력합니다. 이력은 지우지 않고 남습니다.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class MembershipCreateForm(MembershipForm):
    brn = forms.CharField(
        label=_("사업자등록번호"), max_length=12, help_text=_("가입할 회원사의 사업자등록번호(숫자 10자리)")
    )

    field_order = ["brn", "role", "joined_on", "left_on"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brn"].widget.attrs["class"] = "krds-input"
        self.user = user
        self.firm: Firm | None = None
        # A valid number that names no firm the user may add: they may ask for consent or register it.
        self.requestable_brn = ""

    def clean_brn(self) -> str:
        brn = normalize_brn(self.cleaned_data["brn"])
        validate_brn(brn)
        # A firm outside the user's scope reads exactly like an unregistered number: the form must not
        # confirm that a firm exists, nor where (rules.FIRM_NOT_FOUND).
        firm = Firm.objects.filter(brn=brn).first()
        if firm is None or not rules.firm_in_scope(self.user, firm):
            self.requestable_brn = brn
            raise ValidationError(rules.MESSAGES[rules.FIRM_NOT_FOUND], code=rules.FIRM_NOT_FOUND)
        self.firm = firm
        return brn
