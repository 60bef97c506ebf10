"""The tokens page: a signed-in person creates and revokes their own API tokens.

A new token is shown on the answer to the POST that made it and never
again; the page is not cached. Nothing here answers with an error page:
refusals come back as messages on the same page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.core.workflow import BUSINESS_ROLES
from jixiao.web.access import role_of
from jixiao.web.api import services
from jixiao.web.api.forms import TokenForm
from jixiao.web.api.models import ApiToken
from jixiao.web.audit.services import Context


# never cached: the answer to the POST that makes a token holds the token itself
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """List one's own tokens; POST makes a new one and shows it once."""
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_token = services.create_token(Context.of(request), form.cleaned_data["name"])
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _message(exc))
        else:
            form = TokenForm()
    assert isinstance(request.user, User)  # login_required: a signed-in person
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": ApiToken.objects.filter(user=request.user),
        "may_create": role_of(request.user) in BUSINESS_ROLES,
        "max_active": services.MAX_ACTIVE_TOKENS,
        "token_days": settings.JIXIAO_TOKEN_DAYS,
        "now": timezone.now(),
        "api_base": request.build_absolute_uri("/api/v1/"),
    }
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of one's own tokens."""
    try:
        token = services.revoke_token(Context.of(request), pk)
    except ApiToken.DoesNotExist:
        messages.error(request, "没有找到该令牌。")
    else:
        messages.success(request, f"令牌「{token.name}」已撤销，使用它的程序将无法再访问。")
    return redirect("api:tokens")


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
