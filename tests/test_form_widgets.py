"""The form components themselves (core/components.py): money, dates, selects, checks, errors."""

from __future__ import annotations

import datetime

import pytest
from django import forms

from yunghap.core.components import DateInput, MoneyField, parse_money


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1,234,000원", 1234000),
        ("1234000", 1234000),
        (" 1 234 000 원 ", 1234000),
        ("₩1,000", 1000),
        ("１２３", 123),  # a Korean IME's full-width digits
        ("0", 0),
        ("", None),
    ],
)
def test_money_is_parsed_as_typed(typed, amount):
    assert parse_money(typed) == amount


class AmountForm(forms.Form):
    amount = MoneyField(label="금액(원)")


@pytest.mark.parametrize("typed", ["12a", "1.5", "١٢", "²", "1,000달러", "-"])
def test_money_that_is_not_a_whole_number_of_won_is_a_korean_error(typed):
    form = AmountForm({"amount": typed})
    assert not form.is_valid()
    assert form.errors["amount"] == ["금액은 숫자로 입력해 주세요 (예: 1,234,000원)."]


def test_money_below_zero_is_refused_in_korean():
    form = AmountForm({"amount": "-1,000"})
    assert not form.is_valid()
    assert form.errors["amount"] == ["금액은 0원 이상이어야 합니다."]


def test_money_is_shown_with_separators_and_won():
    form = AmountForm({"amount": "1,234,000원"})
    assert form.is_valid() and form.cleaned_data["amount"] == 1234000
    html = str(AmountForm(initial={"amount": 1234000})["amount"])
    assert 'value="1,234,000"' in html
    assert 'data-component="money"' in html and 'inputmode="numeric"' in html
    assert '<span class="money-unit">원</span>' in html


def test_errors_and_help_are_tied_to_their_input():
    class NameForm(forms.Form):
        name = forms.CharField(label="이름", help_text="실명으로")

    html = str(NameForm({"name": ""})["name"].as_field_group())
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'id="id_name_error"' in html and 'id="id_name_helptext"' in html
    assert 'aria-invalid="true"' in html
    assert "(필수)" in html


def test_selects_say_choose_in_korean_instead_of_dashes():
    class PickForm(forms.Form):
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "가")])

    html = str(PickForm()["kind"])
    assert "---------" not in html and "선택하세요" in html
    assert 'class="krds-form-select"' in html


def test_check_boxes_and_radios_come_before_their_labels_in_a_krds_form_check():
    class ChoiceForm(forms.Form):
        many = forms.MultipleChoiceField(choices=[("1", "하나")], widget=forms.CheckboxSelectMultiple)
        one = forms.ChoiceField(choices=[("1", "하나")], widget=forms.RadioSelect)
        agree = forms.BooleanField(label="동의", required=False)

    form = ChoiceForm()
    for name, kind in (("many", "checkbox"), ("one", "radio")):
        html = str(form[name].as_field_group())
        assert f'<div class="krds-form-check"><input type="{kind}"' in html
        assert f'data-component="{kind}"' in html and "<legend" in html
    agree = str(form["agree"].as_field_group())
    assert '<div class="krds-form-check"><input type="checkbox"' in agree
    assert '<label for="id_agree">동의</label>' in agree


def test_dates_are_submitted_and_shown_as_iso():
    class DayForm(forms.Form):
        day = forms.DateField(widget=DateInput())

    html = str(DayForm(initial={"day": datetime.date(2026, 3, 2)})["day"])
    assert 'type="date"' in html and 'value="2026-03-02"' in html and 'data-component="date"' in html


def test_a_toggle_switch_is_the_krds_switch_with_its_label():
    from yunghap.core.components import ToggleSwitch

    class SettingForm(forms.Form):
        notify = forms.BooleanField(label="알림 받기", required=False, widget=ToggleSwitch)

    html = str(SettingForm()["notify"].as_field_group())
    assert '<div class="krds-form-toggle-switch"><input type="checkbox"' in html
    assert 'data-component="switch"' in html and '<span class="switch-toggle"><i></i></span>알림 받기' in html


def test_a_multiple_select_is_a_krds_select():
    class ManyForm(forms.Form):
        kinds = forms.MultipleChoiceField(choices=[("a", "가"), ("b", "나")])

    html = str(ManyForm()["kinds"])
    assert 'class="krds-form-select multi-select"' in html and "multiple" in html
    assert 'data-component="multiselect"' in html
