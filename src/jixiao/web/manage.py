"""``python -m jixiao.web.manage``: Django's manage.py for this project."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a Django management command with the jixiao settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
