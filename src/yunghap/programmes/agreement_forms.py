"""Forms of the agreement pages. The rules are the services' (`agreement_services.check_item`, which uses
the free-margin rule `change_requests.within_free_margin`); the forms read what the user typed and ask
the same functions, so the page says what the service will say."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yunghap.core.components import DateInput, MoneyField
from yunghap.core.confirm import ConfirmForm
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.core.validators import normalize_brn
from yunghap.core.versions import VersionedFormMixin

from . import agreement_services as services
from . import change_requests as cr
from .models import Agreement, AgreementTerms, ConsortiumMember, CostCategory


class MilestoneForm(OneTimeTokenMixin, forms.Form):
    title = forms.CharField(label=_("단계 목표"), max_length=200)
    deliverable = forms.CharField(
        label=_("산출물"), max_length=300, help_text=_("예: 시제품 1식, 시험성적서")
    )
    due_on = forms.DateField(label=_("완료 예정일"), widget=DateInput())


class DecideForm(ConfirmForm):
    decision = forms.ChoiceField(
        label=_("처리"),
        choices=[("approve", _("승인(변경 내용 반영)")), ("reject", _("반려"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("처리 의견"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("반려할 때는 사유를 꼭 적어 주세요."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("반려 사유를 입력해 주세요."))
        return cleaned


class ChangeRequestForm(OneTimeTokenMixin, forms.Form):
    """One request, any of its kinds: a kind becomes an item when its values differ from the agreement's."""

    reason = forms.CharField(label=_("변경 사유"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label=_("협약 시작일"), widget=DateInput())
    ends_on = forms.DateField(label=_("협약 종료일"), widget=DateInput())
    goals = forms.CharField(
        label=_("사업 목표"), max_length=8000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    remove_members = forms.MultipleChoiceField(
        label=_("뺄 참여기업"), required=False, widget=forms.CheckboxSelectMultiple
    )
    add_member_brn = forms.CharField(
        label=_("추가할 참여기업 사업자등록번호"),
        max_length=20,
        required=False,
        help_text=_("예: 123-45-67890"),
    )
    transfer_from = forms.ChoiceField(label=_("예산을 줄일 비목"), required=False)
    transfer_to = forms.ChoiceField(label=_("예산을 늘릴 비목"), required=False)
    transfer_source = forms.ChoiceField(
        label=_("옮길 재원"),
        required=False,
        choices=[("", "—"), *((s, label) for s, label in cr.SOURCE_LABELS.items())],
    )
    transfer_amount = MoneyField(label=_("옮길 금액(원)"), required=False, min_value=1)
    contact_name = forms.CharField(label=_("실무 담당자"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("담당자 전화번호"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("담당자 전자우편"), required=False)
    bank_name = forms.CharField(label=_("사업비 계좌 은행"), max_length=50, required=False)
    account_number = forms.CharField(label=_("사업비 계좌번호"), max_length=50, required=False)
    account_holder = forms.CharField(label=_("예금주"), max_length=100, required=False)

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        self.agreement = agreement
        terms = AgreementTerms.objects.filter(agreement=agreement).first() or AgreementTerms(
            agreement=agreement
        )
        self.current: dict[str, Any] = {
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            "goals": terms.goals,
            **{name: getattr(terms, name) for name in (*cr.CONTACT_FIELDS, *cr.ACCOUNT_FIELDS)},
        }
        kwargs.setdefault("initial", dict(self.current))
        super().__init__(*args, **kwargs)
        partners = ConsortiumMember.objects.filter(
            consortium_id=agreement.application.consortium_id,
            state=ConsortiumMember.State.ACCEPTED,
            role=ConsortiumMember.Role.PARTNER,
        ).select_related("firm")
        self.fields["remove_members"].choices = [  # type: ignore[attr-defined]
            (str(m.firm_id), m.firm.name) for m in partners
        ]
        categories = [("", "—")] + [
            (c.code, c.display_name)
            for c in CostCategory.objects.filter(edition=agreement.application.call.cost_category_edition)
        ]
        self.fields["transfer_from"].choices = categories  # type: ignore[attr-defined]
        self.fields["transfer_to"].choices = categories  # type: ignore[attr-defined]
        percent = agreement.application.call.free_transfer_percent
        self.fields["transfer_amount"].help_text = _(
            "줄이는 비목과 늘리는 비목 각각 승인 예산의 %(percent)s%% 이내는 통보만으로 반영되고, 넘으면 승인이 필요합니다."
        ) % {"percent": f"{percent.normalize():f}"}
        self.items: list[tuple[str, dict[str, Any]]] = []
        self.needs_approval = False

    def _changed(self, name: str) -> bool:
        value = self.cleaned_data.get(name)
        current = self.current.get(name)
        if isinstance(value, str):
            return value.strip() != (current or "").strip()
        return bool(value != current)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        items: list[tuple[str, dict[str, Any], str]] = []  # kind, values, the field an error belongs to
        if self._changed("starts_on") or self._changed("ends_on"):
            items.append(
                (
                    cr.PERIOD,
                    {
                        "starts_on": cleaned["starts_on"].isoformat(),
                        "ends_on": cleaned["ends_on"].isoformat(),
                    },
                    "ends_on",
                )
            )
        if self._changed("goals"):
            items.append((cr.GOALS, {"goals": cleaned["goals"].strip()}, "goals"))
        add: list[int] = []
        if cleaned.get("add_member_brn"):
            from yunghap.network.models import Firm

            firm = Firm.objects.filter(brn=normalize_brn(cleaned["add_member_brn"])).first()
            if firm is None:
                self.add_error("add_member_brn", _("이 사업자등록번호로 등록된 기업이 없습니다."))
                return cleaned
            add = [firm.pk]
        remove = [int(f) for f in cleaned.get("remove_members") or []]
        if add or remove:
            items.append((cr.MEMBERS, {"add": add, "remove": remove}, "add_member_brn"))
        transfer = [
            cleaned.get(n) for n in ("transfer_from", "transfer_to", "transfer_source", "transfer_amount")
        ]
        if any(transfer):
            if not all(transfer):
                self.add_error(
                    "transfer_amount",
                    _("비목 간 예산 변경은 줄일 비목, 늘릴 비목, 재원, 금액을 모두 입력해 주세요."),
                )
                return cleaned
            items.append(
                (
                    cr.BUDGET_TRANSFER,
                    {
                        "from": transfer[0],
                        "to": transfer[1],
                        "source": transfer[2],
                        "amount_krw": int(transfer[3]),  # type: ignore[arg-type]
                    },
                    "transfer_amount",
                )
            )
        if any(self._changed(n) for n in cr.CONTACT_FIELDS):
            items.append((cr.CONTACTS, {n: cleaned[n].strip() for n in cr.CONTACT_FIELDS}, "contact_name"))
        if any(self._changed(n) for n in cr.ACCOUNT_FIELDS):
            items.append((cr.ACCOUNT, {n: cleaned[n].strip() for n in cr.ACCOUNT_FIELDS}, "bank_name"))
        if not items:
            raise ValidationError(
                _("바꿀 내용이 없습니다. 바꿀 항목을 하나 이상 입력해 주세요."), code="empty"
            )
        for kind, values, field in items:
            try:
                approval, _old = services.check_item(self.agreement, kind, values)
            except ValidationError as exc:
                self.add_error(field, exc)
                continue
            self.needs_approval = self.needs_approval or approval
        self.items = [(kind, values) for kind, values, _field in items]
        return cleaned


class PaymentPlanForm(VersionedFormMixin, forms.Form):
    """The instalments of the plan, one row each (a blank row is no instalment), plus two empty rows."""

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        self.agreement = agreement
        current = list(agreement.instalments.all())
        self.row_count = len(current) + 2
        initial: dict[str, Any] = {}
        for n, instalment in enumerate(current):
            initial[f"planned_on_{n}"] = instalment.planned_on
            initial[f"amount_{n}"] = instalment.government_krw
        kwargs.setdefault("initial", initial)
        super().__init__(*args, version=agreement.version, **kwargs)
        for n in range(self.row_count):
            self.fields[f"planned_on_{n}"] = forms.DateField(
                label=_("%(n)s회차 지급 예정일") % {"n": n + 1}, required=False, widget=DateInput()
            )
            self.fields[f"amount_{n}"] = MoneyField(
                label=_("%(n)s회차 지급 예정액(원)") % {"n": n + 1}, required=False
            )
        self.rows: list[tuple[Any, int]] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        rows = []
        for n in range(self.row_count):
            day, amount = cleaned.get(f"planned_on_{n}"), cleaned.get(f"amount_{n}")
            if day is None and amount is None:
                continue
            if day is None or amount is None:
                self.add_error(f"planned_on_{n}", _("지급 예정일과 지급 예정액을 함께 입력해 주세요."))
                continue
            rows.append((day, int(amount)))
        if not self.errors:
            for error in services.payment_plan_errors(self.agreement.government_krw, rows):
                self.add_error(None, error)
        self.rows = rows
        return cleaned
