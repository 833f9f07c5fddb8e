"""Forms of the matching funds and the settlement. They check shapes; the rules (the payment rule, the
categories of the agreement's edition, evidence files, settled agreements) live in `fund_services` and
`settlement_services`, whose Korean errors the views put on these forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yunghap.core.components import DateInput, MoneyField
from yunghap.core.confirm import ConfirmForm
from yunghap.core.onetime import OneTimeTokenMixin

from .fund_services import validate_evidence_file
from .models import CostCategory


class DepositForm(OneTimeTokenMixin, forms.Form):
    deposited_on = forms.DateField(label=_("입금일"), widget=DateInput())
    firm_cash_krw = MoneyField(label=_("입금액(원)"), min_value=1)
    evidence = forms.CharField(
        label=_("증빙(문서번호)"), max_length=200, required=False, help_text=_("예: 통장 거래내역 2026-07-15")
    )


class PaymentForm(OneTimeTokenMixin, forms.Form):
    paid_on = forms.DateField(label=_("지급일"), widget=DateInput())
    government_krw = MoneyField(label=_("지급액(원)"), min_value=1)


class SpendingForm(OneTimeTokenMixin, forms.Form):
    category = forms.ChoiceField(label=_("비목"))
    spent_on = forms.DateField(label=_("집행일"), widget=DateInput())
    amount_krw = MoneyField(label=_("집행액(원)"), min_value=1)
    payee = forms.CharField(label=_("지급처"), max_length=200)
    evidence = forms.CharField(
        label=_("증빙(문서번호)"),
        max_length=200,
        required=False,
        help_text=_("세금계산서·영수증 번호. 파일 또는 문서번호가 없으면 불인정으로 기록됩니다."),
    )
    evidence_file = forms.FileField(
        label=_("증빙 파일"), required=False, help_text=_("PDF, JPG, PNG, XLSX · 10MB 이하")
    )

    def __init__(self, *args: Any, edition: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ChoiceField)
        category_field.choices = [("", _("선택"))] + [
            (category.code, category.display_name)
            for category in CostCategory.objects.filter(edition=edition).order_by("sort_order", "code")
        ]

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        try:
            validate_evidence_file(upload)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["evidence_file"]) from None
        return upload


class SettlementCloseForm(ConfirmForm):
    note = forms.CharField(
        label=_("검토 의견"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RepaymentForm(OneTimeTokenMixin, forms.Form):
    paid_on = forms.DateField(label=_("납부일"), widget=DateInput())
    amount_krw = MoneyField(label=_("납부액(원)"), min_value=1)
