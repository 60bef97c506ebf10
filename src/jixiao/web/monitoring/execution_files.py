"""Payment-system exports kept between the preview and the confirmation of an execution import.

The files a reviewer uploads are read for the preview and read again when the reviewer confirms it, so
that what is applied is what the file says, matched against the records as they are then. Between the
two they are kept under ``MEDIA_ROOT/execution/<token>/`` (0700, as every upload: ``private.py``), named
by their position, with a manifest holding the names as uploaded, who uploaded them and for which round.
The token is random; a token of someone else or of another round is not found. The folder is deleted once
the import is applied, and any folder older than :data:`KEPT_FOR` at the next upload, preview or confirmation
and by ``manage.py sweep_imports`` (but not while an import confirmed from it waits or is applied).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from jixiao.web.private import PRIVATE_FILE, private_dir
from jixiao.web.uploads import ReceivedFile

KEPT_FOR = timedelta(days=1)
MANIFEST = "manifest.json"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


class StagedMissing(LookupError):
    """No files under that token for this person and round (never uploaded, expired, or applied already)."""


@dataclass(frozen=True)
class Staged:
    """Files kept for one preview: the names as uploaded, and where their bytes are."""

    token: str
    names: tuple[str, ...]
    paths: tuple[Path, ...]

    def contents(self) -> list[tuple[str, bytes]]:
        """Each file's name as uploaded and its bytes, in upload order (what the reader takes)."""
        return [(name, path.read_bytes()) for name, path in zip(self.names, self.paths, strict=True)]


def root() -> Path:
    """The folder of every kept upload of execution imports."""
    return Path(settings.MEDIA_ROOT) / "execution"


def _display_name(name: str) -> str:
    """The name as uploaded, without any folder a browser may send, cut to the model's width."""
    return PurePath(name.replace("\\", "/")).name[:255] or "未命名文件"


def stage(files: Sequence[UploadedFile], user_id: int, round_id: int) -> Staged:
    """Keep ``files`` under a new random token for ``user_id`` and ``round_id``; older folders are cleared first."""
    sweep()
    token = secrets.token_urlsafe(24)
    folder = private_dir(root() / token)
    names: list[str] = []
    paths: list[Path] = []
    for n, upload in enumerate(files):
        name = _display_name(upload.name or "")
        target = folder / f"{n}{PurePath(name).suffix.lower()[:10]}"
        if isinstance(upload, ReceivedFile):
            os.replace(upload.path, target)  # the same file system: a rename (uploads.py)
        else:  # a file that did not come through the bounded handler (tests may post one directly)
            with open(target, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
        os.chmod(target, PRIVATE_FILE)
        names.append(name)
        paths.append(target)
    manifest = {"user": user_id, "round": round_id, "names": names, "files": [p.name for p in paths]}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return Staged(token, tuple(names), tuple(paths))


def load(token: str, user_id: int, round_id: int, *, confirmed: bool = False) -> Staged:
    """The files kept under ``token`` for this person and round, or :class:`StagedMissing`.

    ``confirmed``: read for an import confirmed in time and waiting for its task, however long the wait.
    """
    sweep()  # every look at the kept files clears the expired ones, whoever left them
    if not _TOKEN.fullmatch(token):
        raise StagedMissing(token)
    folder = root() / token
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        expired = time.time() - (folder / MANIFEST).stat().st_mtime > KEPT_FOR.total_seconds()
    except (OSError, ValueError):
        raise StagedMissing(token) from None
    if manifest.get("user") != user_id or manifest.get("round") != round_id or (expired and not confirmed):
        raise StagedMissing(token)
    paths = tuple(folder / f for f in manifest["files"])
    if not all(p.is_file() for p in paths):
        raise StagedMissing(token)
    return Staged(token, tuple(manifest["names"]), paths)


def discard(token: str) -> None:
    """Delete the files kept under ``token`` (after they were applied)."""
    if _TOKEN.fullmatch(token):
        shutil.rmtree(root() / token, ignore_errors=True)


def sweep(older_than: timedelta = KEPT_FOR) -> int:
    """Delete every kept folder older than ``older_than``, but those an import waits for or applies; how many."""
    if not root().is_dir():
        return 0
    from jixiao.web.monitoring.services.execution_jobs import busy_tokens  # the services import this module

    cutoff = time.time() - older_than.total_seconds()
    busy: set[str] | None = None  # asked of the database only when a folder is old enough to go
    removed = 0
    for folder in root().iterdir():
        try:
            old = folder.stat().st_mtime < cutoff
        except OSError:
            continue
        if old and busy is None:
            busy = busy_tokens()
        if folder.is_dir() and old and folder.name not in (busy or set()):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
