"""Login, logout and password change, in Chinese, audited by the signal receivers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse_lazy


class LoginForm(AuthenticationForm):
    """The login form with Chinese messages."""

    error_messages = {
        "invalid_login": "用户名或密码不正确。连续输入错误 5 次，账户将被锁定 15 分钟。",
        "inactive": "该账户已停用。",
    }


class LoginView(auth_views.LoginView):
    """Sign in (django-axes counts failures and locks the account)."""

    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password; the validators of settings apply."""

    template_name = "accounts/password.html"
    success_url = reverse_lazy("cycle:home")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, "密码已修改。")
        return super().form_valid(form)
