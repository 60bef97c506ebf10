"""A backup's manifest: what it holds, with the SHA-256 of every file, so a restore can prove it put back the same.

A backup is a folder::

    jixiao-backup-20261207-134501/
        manifest.json          this file's content
        database.sqlite3       SQLite: an online-backup copy   (or database.dump: pg_dump's custom format)
        uploads/sources/…      every uploaded file the database names, under its stored name

The manifest also keeps each table's row count as of the database copy and
the head of the audit log's hash chain, which ``check_audit --anchor``
accepts: a restored log must still end with that event.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "jixiao.backup/1"
MANIFEST = "manifest.json"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Chinese, naming the file."""


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks (an upload may be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class FileEntry:
    """One file of the backup: where it is in the folder, its stored name under uploads, its size and SHA-256."""

    path: str
    sha256: str
    size: int


@dataclass
class Manifest:
    """The content of manifest.json."""

    created_at: str
    jixiao_version: str
    vendor: str
    database: FileEntry
    tables: dict[str, int]
    migrations: dict[str, str]
    audit_head: tuple[int, str] | None
    files: list[FileEntry] = field(default_factory=list)
    # uploads the database names that could not be backed up: (stored name, why)
    missing: list[tuple[str, str]] = field(default_factory=list)
    format: str = FORMAT

    def write(self, folder: Path) -> Path:
        """Write manifest.json into ``folder``, readable by this user only."""
        data = asdict(self)
        path = folder / MANIFEST
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        path.chmod(0o600)
        return path

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The manifest of the backup in ``folder``; a BackupError in plain words if it is not one."""
        path = folder / MANIFEST
        if not folder.is_dir():
            raise BackupError(f"{folder}：不是文件夹，或不存在。请给出 jixiao backup 所建的备份文件夹。")
        if not path.is_file():
            raise BackupError(f"{folder}：其中没有 {MANIFEST}，不是 jixiao backup 所建的备份（或尚未完成）。")
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise BackupError(f"{path}：备份格式为「{data.get('format')}」，本版本只能恢复 {FORMAT}。")
            head = data["audit_head"]
            manifest = cls(
                created_at=data["created_at"],
                jixiao_version=data["jixiao_version"],
                vendor=data["vendor"],
                database=FileEntry(**data["database"]),
                tables={str(k): int(v) for k, v in data["tables"].items()},
                migrations=dict(data["migrations"]),
                audit_head=(int(head[0]), str(head[1])) if head else None,
                files=[FileEntry(**f) for f in data["files"]],
                missing=[(str(m[0]), str(m[1])) for m in data["missing"]],
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupError(f"{path}：清单不完整或已损坏（{exc}）。") from exc
        for entry in manifest.files:
            # a restore writes these paths under the uploads folder: never outside it
            parts = Path(entry.path).parts
            if Path(entry.path).is_absolute() or ".." in parts or parts[:1] != ("uploads",):
                raise BackupError(f"{path}：清单中的文件路径「{entry.path}」不在 uploads/ 之下，拒绝恢复。")
        return manifest

    def damaged(self, folder: Path) -> list[str]:
        """Every file of the backup that is missing or no longer has its recorded size and SHA-256."""
        problems = []
        for entry in [self.database, *self.files]:
            path = folder / entry.path
            if not path.is_file():
                problems.append(f"{path}：文件缺失。")
            elif path.stat().st_size != entry.size or sha256_of(path) != entry.sha256:
                problems.append(f"{path}：内容与清单中的摘要不符（文件已损坏或被改动）。")
        return problems
