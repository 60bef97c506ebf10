"""The authentication backend: Django's, reading the account and its organization with the user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User


class AccountBackend(ModelBackend):
    """``ModelBackend`` whose per-request user lookup also brings the account, organization, temporary password.

    Every signed-in page needs the three (the scope of its queries, the header's 单位名称); read
    separately they are two more round trips on every request.
    """

    def get_user(self, user_id: int) -> User | None:
        """The active user with ``user_id``, its account and organization in the same query; else None."""
        model = get_user_model()
        try:
            # the temporary password too: PasswordChangeRequiredMiddleware asks for it on every request
            user = model._default_manager.select_related("account__organization", "temporary_password").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
