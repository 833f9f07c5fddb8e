"""Forms of the topic pages: the list's filters, proposing and editing a topic, screening and designating."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.accounts.scope import scope_of
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.core.versions import VersionedFormMixin
from yunghap.matching.models import Capability
from yunghap.network.models import ExchangeGroup, Firm

from . import topic_services
from .models import GrowthEngine, Topic

Q_MAX_LENGTH = 100
OWN_NAME = "self"


class EngineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.display_name}"


class TopicFilterForm(forms.Form):
    """The list's filters; a value that is not a choice is a form error beside its field (the list then
    shows every topic it would show unfiltered)."""

    engine = forms.ChoiceField(label=gettext_lazy("신성장동력"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("상태"), required=False)
    q = forms.CharField(label=gettext_lazy("검색어"), required=False, max_length=Q_MAX_LENGTH)

    def __init__(self, *args: Any, engines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["engine"].choices = [
            ("", _("전체")),
            *[(e.code, f"{e.code} {e.display_name}") for e in engines],
        ]
        fields["status"].choices = [("", _("전체")), *Topic.Status.choices]

    def filters(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            name: str(value).strip()
            for name, value in self.cleaned_data.items()
            if value and str(value).strip()
        }


def proposer_choices(user: Any) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """The firms and groups `user` may propose on behalf of, as choices `firm:<id>` / `group:<id>`, and the
    objects by choice key. Staff may also propose in their own name (`self`)."""
    scope = scope_of(user)
    choices: list[tuple[str, str]] = []
    objects: dict[str, Any] = {}
    if scope.staff:
        choices.append((OWN_NAME, _("연합회(본인 명의)")))
        objects[OWN_NAME] = None
    for firm in Firm.objects.filter(pk__in=scope.firm_ids, status=Firm.Status.ACTIVE).order_by("name"):
        key = f"firm:{firm.pk}"
        choices.append((key, _("회원사: %(name)s") % {"name": firm.name}))
        objects[key] = firm
    group_ids = scope.officer_group_ids | scope.coordinator_group_ids
    groups = ExchangeGroup.objects.exclude(status=ExchangeGroup.Status.DISSOLVED)
    groups = groups.visible_to(user) if scope.staff else groups.filter(pk__in=group_ids)
    for group in groups.order_by("name"):
        key = f"group:{group.pk}"
        choices.append((key, _("교류회: %(name)s") % {"name": group.name}))
        objects[key] = group
    return choices, objects


class TopicForm(OneTimeTokenMixin, VersionedFormMixin, forms.ModelForm):
    growth_engine = EngineChoiceField(
        label=gettext_lazy("신성장동력"), queryset=GrowthEngine.objects.order_by("code")
    )
    capabilities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("필요 역량"),
        queryset=Capability.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=gettext_lazy("매칭 역량 어휘에서 고릅니다(여러 개는 Ctrl 또는 Shift를 누른 채 선택)."),
    )

    class Meta:
        model = Topic
        fields = ["title", "growth_engine", "capabilities", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposers: dict[str, Any] = {}
        if self.instance.pk is None:
            choices, self.proposers = proposer_choices(user)
            self.fields["on_behalf"] = forms.ChoiceField(
                label=gettext_lazy("제안 명의"),
                choices=[("", _("선택하세요")), *choices],
                help_text=gettext_lazy("내가 속한 회원사나 교류회 가운데 하나를 고릅니다."),
            )
            self.fields["on_behalf"].error_messages["required"] = _("제안 명의를 골라 주세요.")
            if len(choices) == 1:
                self.fields["on_behalf"].initial = choices[0][0]
            self.order_fields(["on_behalf"])
        self.fields["title"].error_messages["required"] = _("과제명을 입력해 주세요.")
        self.fields["summary"].error_messages["required"] = _("요약을 입력해 주세요.")
        self.fields["growth_engine"].error_messages["required"] = _("신성장동력을 골라 주세요.")

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("과제명을 입력해 주세요."))
        return title

    def clean_on_behalf(self) -> str:
        value = self.cleaned_data["on_behalf"]
        if value not in self.proposers:
            raise ValidationError(_("제안 명의를 골라 주세요."))
        return str(value)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "growth_engine": data["growth_engine"],
            "summary": data["summary"],
            "capabilities": list(data["capabilities"]),
        }

    def proposer_fields(self) -> dict[str, Any]:
        chosen = self.proposers.get(self.cleaned_data["on_behalf"])
        return {
            "proposer_firm": chosen if isinstance(chosen, Firm) else None,
            "proposer_group": chosen if isinstance(chosen, ExchangeGroup) else None,
        }


class ScreenForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("검토 결과"),
        choices=[("accepted", gettext_lazy("적합")), ("rejected", gettext_lazy("부적합"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("검토 의견"),
        max_length=topic_services.NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("부적합이면 반드시 적습니다. 제안자에게 알림으로 전달됩니다."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "screen")
        super().__init__(*args, **kwargs)
        self.fields["decision"].error_messages["required"] = _("검토 결과를 골라 주세요.")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("decision") == "rejected" and not (data.get("note") or "").strip():
            self.add_error("note", _("부적합으로 검토할 때는 의견을 적어 주세요."))
        return data


class DesignateForm(forms.Form):
    call = forms.ModelChoiceField(label=gettext_lazy("공모"), queryset=topic_services.Call.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "designate")
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["call"].queryset = topic_services.open_calls()
        self.fields["call"].error_messages["required"] = _("선도과제로 지정할 공모를 골라 주세요.")
        self.fields["call"].error_messages["invalid_choice"] = _("마감되지 않은 공모 가운데에서 골라 주세요.")
