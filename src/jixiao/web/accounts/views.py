"""Login, logout and password change; the administrators' pages for people and roles. All in Chinese, all audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from jixiao.core.workflow import Role
from jixiao.web.access import role_of
from jixiao.web.accounts import services, throttle
from jixiao.web.accounts.forms import ChangePasswordForm
from jixiao.web.accounts.models import must_change_password
from jixiao.web.audit.services import Context
from jixiao.web.orgs.models import Organization


class LoginForm(AuthenticationForm):
    """The login form with Chinese messages."""

    error_messages = {
        "invalid_login": "用户名或密码不正确。连续输入错误 5 次，账户将被锁定 15 分钟。",
        "inactive": "该账户已停用。",
    }


class LoginView(auth_views.LoginView):
    """Sign in (django-axes counts failures and locks the account; a failing address is throttled)."""

    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Refuse a throttled address before any password is checked, else sign in as Django does."""
        wait = throttle.retry_after(request)
        if wait:
            response = render(request, "accounts/throttled.html", {"message": throttle.message()}, status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def get_success_url(self) -> str:
        """Where to go once signed in: the password page first while the password is an administrator's."""
        if must_change_password(self.request.user):
            return str(reverse_lazy("accounts:password_change"))
        return super().get_success_url()


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password (audited; API tokens end); the validators of settings apply."""

    template_name = "accounts/password.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("cycle:home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """The form, and whether the current password is one an administrator set."""
        return super().get_context_data(**kwargs) | {"temporary": must_change_password(self.request.user)}

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:
        """Save through the service, keep this session signed in, go on to the work."""
        services.change_own_password(Context.of(self.request), form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, "密码已修改。")
        return HttpResponseRedirect(self.get_success_url())


# -- administrators ----------------------------------------------------------------------------


def _admin(request: HttpRequest) -> Role:
    role = role_of(request.user)
    if role not in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        raise PermissionDenied("用户管理仅系统管理员和安全管理员可以使用。")
    return role


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    """People and their roles: the system administrator adds people, the security administrator grants roles."""
    role = _admin(request)
    users = get_user_model().objects.select_related("account__organization").order_by("username")
    return render(
        request,
        "accounts/users.html",
        {
            "users": users,
            "is_system": role is Role.SYSTEM_ADMIN,
            "is_security": role is Role.SECURITY_ADMIN,
            "locked": services.locked_usernames() if role is Role.SECURITY_ADMIN else set(),
            "roles": list(Role),
            "organizations": Organization.objects.order_by("kind", "name"),
        },
    )


@login_required
@require_POST
def user_create(request: HttpRequest) -> HttpResponse:
    """Add a person (no role yet); the first password is shown once."""
    try:
        user, password = services.create_user(
            Context.of(request), request.POST.get("username", ""), request.POST.get("display_name", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        name = user.get_username()
        messages.success(
            request, f"已添加用户 {name}，初始密码：{password}（只显示这一次，请当面交给本人，首次登录须修改）。"
        )
    return redirect("accounts:users")


@login_required
@require_POST
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Disable or re-enable a login."""
    user = get_object_or_404(get_user_model(), pk=pk)
    try:
        services.set_active(Context.of(request), user, request.POST.get("active") == "1")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已更新账户状态。")
    return redirect("accounts:users")


@login_required
@require_POST
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    """Reset a person's password: a temporary one, shown once, to be changed at their next sign-in."""
    user = get_object_or_404(get_user_model(), pk=pk)
    try:
        password = services.reset_password(Context.of(request), user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        name = user.get_username()
        messages.success(
            request, f"已重置 {name} 的密码，临时密码：{password}（只显示这一次，请当面交给本人，首次登录须修改）。"
        )
    return redirect("accounts:users")


@login_required
@require_POST
def user_role(request: HttpRequest, pk: int) -> HttpResponse:
    """Grant a person their one role."""
    user = get_object_or_404(get_user_model(), pk=pk)
    try:
        role = Role(request.POST.get("role", ""))
    except ValueError:
        messages.error(request, "请选择角色。")
        return redirect("accounts:users")
    org_id = request.POST.get("organization", "")
    # a forged id that is no number is no organization: the service says the role needs one
    organization = (
        Organization.objects.filter(pk=int(org_id)).first() if org_id.isascii() and org_id.isdigit() else None
    )
    try:
        services.grant_role(Context.of(request), user, role, organization)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已将 {user.get_username()} 设为{role.label}。")
    return redirect("accounts:users")


@login_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a login lockout."""
    user = get_object_or_404(get_user_model(), pk=pk)
    addresses = services.unlock(Context.of(request), user)
    name = user.get_username()
    if addresses:
        messages.success(request, f"已解除 {name} 的登录锁定（来自 {'、'.join(addresses)} 的失败记录已清除）。")
    else:
        messages.info(request, f"{name} 当前没有登录锁定。")
    return redirect("accounts:users")
