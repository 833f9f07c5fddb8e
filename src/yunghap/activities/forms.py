"""Forms of the ledger. They check shapes; the rules (membership on the day, dates, amounts) live in
`services`, whose Korean errors the views attach to these forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yunghap.core.components import DateInput, MoneyField
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.core.params import parse_id
from yunghap.core.versions import VersionedFormMixin
from yunghap.network.models import ExchangeGroup, Firm

from .models import Activity, Meeting, Outcome


class MeetingForm(OneTimeTokenMixin, VersionedFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("구분"), choices=Meeting.Kind.choices, initial=Meeting.Kind.MONTHLY)
    held_on = forms.DateField(label=_("개최일"), widget=DateInput())
    place = forms.CharField(label=_("장소"), max_length=200, required=False)
    agenda = forms.CharField(label=_("안건"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    minutes = forms.CharField(label=_("회의록"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    present = forms.TypedMultipleChoiceField(label=_("출석 회원사"), coerce=int, required=False)

    def __init__(self, *args: Any, members: list[Firm], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Choices are the members on the date shown; a firm ticked for another date is caught by the
        # service with a message naming it, so any whole number is accepted here.
        present = self.fields["present"]
        assert isinstance(present, forms.TypedMultipleChoiceField)
        present.choices = [(f.pk, f.name) for f in members]
        present.valid_value = lambda value: parse_id(value) is not None  # type: ignore[method-assign]


def _member_firms(group: ExchangeGroup) -> Any:
    """Firms that were ever members: the service checks the date, the list stays short."""
    return Firm.objects.filter(memberships__group=group).distinct().only("id", "name").order_by("name", "id")


class TradeForm(OneTimeTokenMixin, forms.Form):
    traded_on = forms.DateField(label=_("거래일"), widget=DateInput())
    buyer = forms.ModelChoiceField(label=_("발주(구매) 회원사"), queryset=Firm.objects.none())
    seller = forms.ModelChoiceField(label=_("수주(판매) 회원사"), queryset=Firm.objects.none())
    item = forms.CharField(label=_("품목"), max_length=200)
    amount_krw = MoneyField(label=_("금액(원)"), min_value=None)

    def __init__(self, *args: Any, group: ExchangeGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("buyer", "seller"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = _member_firms(group)


class OutcomeForm(OneTimeTokenMixin, forms.Form):
    kind = forms.ChoiceField(label=_("구분"), choices=Outcome.Kind.choices)
    title = forms.CharField(label=_("성과명"), max_length=200)
    achieved_on = forms.DateField(label=_("성과일"), widget=DateInput())
    firms = forms.ModelMultipleChoiceField(
        label=_("참여 회원사"), queryset=Firm.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    evidence = forms.FileField(
        label=_("증빙 파일"),
        required=False,
        help_text=_("PDF, HWP, 오피스 문서, 이미지(JPG·PNG), ZIP · 10MB 이하"),
    )
    description = forms.CharField(label=_("내용"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, group: ExchangeGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        firms = self.fields["firms"]
        assert isinstance(firms, forms.ModelMultipleChoiceField)
        firms.queryset = _member_firms(group)


class ActivityForm(OneTimeTokenMixin, forms.Form):
    kind = forms.ChoiceField(label=_("구분"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("활동명"), max_length=200)
    held_on = forms.DateField(label=_("활동일"), widget=DateInput())
    firms = forms.ModelMultipleChoiceField(
        label=_("참여 회원사"),
        queryset=Firm.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(label=_("내용"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, group: ExchangeGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        firms = self.fields["firms"]
        assert isinstance(firms, forms.ModelMultipleChoiceField)
        firms.queryset = _member_firms(group)
