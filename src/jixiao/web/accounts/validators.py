"""Password rules beyond Django's: at least three of four character classes (等保 level 3)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """A password must mix at least three of: lower case, upper case, digits, other characters."""

    def validate(self, password: str, user: object = None) -> None:
        """Refuse a password that uses fewer than three character classes."""
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError(
                "密码至少要包含小写字母、大写字母、数字、其他符号中的三类。", code="password_too_simple"
            )

    def get_help_text(self) -> str:
        """The rule, for the password form."""
        return "密码至少要包含小写字母、大写字母、数字、其他符号中的三类。"
