"""The application's data stays its own: folders 0700, the database and uploaded files 0600.

A service's usual umask (022) would create them readable by every user of
the machine: the SQLite file holds every record and the audit log, the
uploads every submitted form. So they are created with explicit modes
(settings.py: the data folder, the SQLite file; Django's
``FILE_UPLOAD_PERMISSIONS`` for uploads), and the deployment check warns
about anything an older version or a copy left open. This module imports
nothing from Django at the top, because settings.py uses it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the settings import this module: Django is not set up yet
    from django.apps import AppConfig
    from django.core.checks import CheckMessage

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) readable by this user only; an existing folder is left as it is."""
    # mkdir(parents=True) would give the missing parents the umask's mode, not ours
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
    return path


def private_sqlite(path: Path) -> None:
    """Create an empty SQLite database file 0600 before SQLite would create it 0644 (its WAL files follow its mode)."""
    if str(path) in ("", ":memory:") or path.exists():
        return
    private_dir(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def _open_to_others(path: Path) -> int | None:
    """The mode of ``path`` if its group or other users may use it, else None."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None
    return mode if mode & 0o077 else None


def data_paths() -> list[Path]:
    """The data folder, the SQLite database and its companion files, and the uploads folder with its subfolders."""
    from django.conf import settings

    paths = [Path(settings.DATA_DIR)]
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3" and str(db["NAME"]) != ":memory:":
        paths += [Path(f"{db['NAME']}{suffix}") for suffix in ("", "-wal", "-shm")]
    media = Path(settings.MEDIA_ROOT)
    paths.append(media)
    if media.is_dir():
        # folders only, two levels (sources/ab/): a check must not walk tens of thousands of files
        subfolders = [p for p in media.iterdir() if p.is_dir()]
        paths += subfolders + [q for p in subfolders for q in p.iterdir() if q.is_dir()]
    return paths


def check_private_data(app_configs: Sequence[AppConfig] | None = None, **kwargs: object) -> list[CheckMessage]:
    """Deployment check jixiao.W201: the data folder, database or uploads can be read by other users."""
    from django.core.checks import Warning

    out: list[CheckMessage] = []
    for path in data_paths():
        mode = _open_to_others(path)
        if mode is not None:
            out.append(
                Warning(
                    f"{path} 的权限是 {mode:04o}：本机其他用户也能访问其中的数据。",
                    hint=f"以运行 jixiao 的用户执行 chmod -R go-rwx {path}（见 docs/deployment.md「文件权限」）。",
                    id="jixiao.W201",
                )
            )
    return out
