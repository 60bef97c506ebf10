"""The forms of the accounts app: changing one's password."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm


class ChangePasswordForm(PasswordChangeForm):
    """Django's change-password form (current password, the validators of settings), and a new password."""

    def clean(self) -> dict[str, Any]:
        """Django's checks, then: the new password must differ from the current one (a temporary one included)."""
        cleaned = super().clean() or self.cleaned_data  # Django's returns its cleaned data
        new = cleaned.get("new_password2")
        if new and not self.has_error("new_password2") and self.user.check_password(new):
            self.add_error("new_password2", forms.ValidationError("新密码不能与当前密码相同。", code="unchanged"))
        return cleaned
