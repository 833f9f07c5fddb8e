"""The login form, with Korean messages of our own (Django's Korean one glues a combined particle to
"사용자 이름")."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("아이디"),
        max_length=150,
        error_messages={"required": _("아이디를 입력해 주세요.")},
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("비밀번호"),
        strip=False,
        error_messages={"required": _("비밀번호를 입력해 주세요.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "아이디 또는 비밀번호가 맞지 않습니다. 대문자·소문자를 구별하니 다시 확인해 주세요. "
            "5번 틀리면 30분 동안 로그인할 수 없습니다."
        ),
        "inactive": _("사용이 중지된 계정입니다. 계정을 발급한 연합회에 문의해 주세요."),
    }

    def get_invalid_login_error(self) -> forms.ValidationError:
        # ModelBackend refuses inactive users before the form can say why; with the right password, say it.
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        user: Any = get_user_model()._default_manager.filter(username=username, is_active=False).first()
        if user is not None and password and user.check_password(password):
            return forms.ValidationError(self.error_messages["inactive"], code="inactive")
        return super().get_invalid_login_error()
