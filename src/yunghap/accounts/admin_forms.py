"""Forms of the account pages: a role on a target, and a new account with its first role."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from yunghap.core.validators import normalize_brn
from yunghap.network.models import ExchangeGroup, Federation, Firm

from . import management_services as accounts
from .models import ROLE_SCOPE_FIELD, Role, User
from .scope import scope_of


def _input(field: forms.Field) -> forms.Field:
    css = "krds-form-select" if isinstance(field.widget, forms.Select) else "krds-input"
    field.widget.attrs.setdefault("class", css)
    return field


class GrantForm(forms.Form):
    """Role and target; only the roles and targets the actor may grant are offered or accepted."""

    role = forms.ChoiceField(label=_("역할"), choices=())
    federation = forms.ModelChoiceField(
        label=_("연합회"), queryset=Federation.objects.none(), required=False, empty_label=_("선택")
    )
    group = forms.ModelChoiceField(
        label=_("교류회"), queryset=ExchangeGroup.objects.none(), required=False, empty_label=_("선택")
    )
    firm_brn = forms.CharField(
        label=_("회원사 사업자등록번호"),
        max_length=20,
        required=False,
        help_text=_("회원사 담당자일 때 입력합니다."),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        scope = scope_of(actor)
        roles = [r for r in Role if scope.central or r in accounts.REGIONAL_GRANTABLE]
        role_field = cast(forms.ChoiceField, self.fields["role"])
        role_field.choices = [("", _("선택"))] + [(r.value, r.label) for r in roles]
        role_field.error_messages["required"] = _("역할을 선택해 주세요.")
        role_field.error_messages["invalid_choice"] = _("부여할 수 없는 역할입니다.")
        if scope.central:
            federations = Federation.objects.filter(level=Federation.Level.REGIONAL)
            federation_field = cast("forms.ModelChoiceField[Federation]", self.fields["federation"])
            federation_field.queryset = federations
            federation_field.error_messages["invalid_choice"] = _("선택할 수 없는 연합회입니다.")
            groups = ExchangeGroup.objects.all()
        else:
            del self.fields["federation"]  # regional staff never grant staff roles
            groups = ExchangeGroup.objects.filter(federation_id__in=scope.region_ids)
        group_field = cast("forms.ModelChoiceField[ExchangeGroup]", self.fields["group"])
        group_field.queryset = groups.select_related("federation").order_by("federation__code", "code")
        group_field.label_from_instance = lambda g: f"{g.name} ({g.code})"  # type: ignore[method-assign,assignment]
        group_field.error_messages["invalid_choice"] = _("선택할 수 없는 교류회입니다.")
        for field in self.fields.values():
            _input(field)
        self.target: Any = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if not role:
            return data
        field = ROLE_SCOPE_FIELD[role]
        target: Any = None
        if field == "federation":
            target = data.get("federation")
            if target is None:
                self.add_error(
                    "federation" if "federation" in self.fields else None, _("연합회를 선택해 주세요.")
                )
                return data
        elif field == "group":
            target = data.get("group")
            if target is None:
                self.add_error("group", _("교류회를 선택해 주세요."))
                return data
        elif field == "firm":
            brn = normalize_brn(data.get("firm_brn") or "")
            if not brn:
                self.add_error("firm_brn", _("회원사의 사업자등록번호를 입력해 주세요."))
                return data
            target = Firm.objects.filter(brn=brn).first()
            # Outside the actor's scope a firm reads "not found", as a BRN that does not exist.
            if target is None or not accounts.can_grant(self.actor, role, target):
                self.add_error("firm_brn", _("이 사업자등록번호로 찾을 수 있는 회원사가 없습니다."))
                return data
        if not accounts.can_grant(self.actor, role, target):
            self.add_error(None, _("이 역할을 부여할 권한이 없습니다."))
        self.target = target
        return data


class UserCreateForm(GrantForm):
    username = forms.CharField(
        label=_("아이디"),
        max_length=150,
        validators=[
            UnicodeUsernameValidator(message=_("아이디는 글자, 숫자와 @ . + - _ 만 쓸 수 있습니다."))
        ],
        error_messages={"required": _("아이디를 입력해 주세요.")},
        help_text=_("글자, 숫자와 @ . + - _ 만 쓸 수 있습니다."),
    )
    name = forms.CharField(
        label=_("이름"),
        max_length=150,
        error_messages={"required": _("이름을 입력해 주세요.")},
        help_text=_("본인이 쓰는 대로 적습니다(예: 김혜민, Jane Doe)."),
    )
    email = forms.EmailField(
        label=_("이메일"),
        error_messages={
            "required": _("이메일을 입력해 주세요."),
            "invalid": _("이메일 주소 형식이 아닙니다."),
        },
        help_text=_("비밀번호를 정하는 주소를 이 이메일로 보냅니다."),
    )
    field_order = ["username", "name", "email", "role", "federation", "group", "firm_brn"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("username", "name", "email"):
            _input(self.fields[name])
        self.order_fields(self.field_order)

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("이미 사용 중인 아이디입니다."))
        return username
