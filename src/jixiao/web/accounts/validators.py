"""Password rules beyond Django's: three of four character classes (等保 level 3), and no user name inside."""

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


class UserNameValidator:
    """A password must not contain the person's user name or name, written forwards or backwards.

    Django's UserAttributeSimilarityValidator compares the whole password with the name and lets
    ``finance-Bureau-1`` through for ``finance``: padding lowers the similarity ratio below its bar.
    Containment is what a guesser tries first, so it is refused outright.
    """

    # shorter names (``kx``) turn up in good passwords by chance: too short to be a pattern worth refusing
    MIN_LENGTH = 3

    def validate(self, password: str, user: object = None) -> None:
        """Refuse a password that contains the user name, the first or last name, or any of them reversed."""
        if user is None:
            return
        folded = password.casefold()
        get_username = getattr(user, "get_username", None)
        names = [
            get_username() if get_username else "",
            getattr(user, "first_name", ""),
            getattr(user, "last_name", ""),
        ]
        for name in names:
            name = (name or "").casefold()
            # a Chinese name of two characters is as personal as a user name of three letters
            long_enough = len(name) >= (2 if not name.isascii() else self.MIN_LENGTH)
            if long_enough and (name in folded or name[::-1] in folded):
                raise ValidationError("密码不能包含用户名或姓名（正写或倒写）。", code="password_contains_username")

    def get_help_text(self) -> str:
        """The rule, for the password form."""
        return "密码不能包含用户名或姓名。"
