"""Backing up and restoring an installation: the database and every uploaded file it names, verified by a manifest.

``backup`` writes a new folder (under a ``.partial`` name until it is
complete) and records an audit event. ``restore`` first checks every file
of the backup against the manifest and refuses a damaged one; it refuses to
overwrite data unless told to; it puts the uploads in place only once the
database is back; then it proves the result: the same rows per table, the
same file digests, and an audit log that still ends with the backup's head.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jixiao import __version__
from jixiao.web.audit import chain
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.backups import databases
from jixiao.web.backups.manifest import BackupError, FileEntry, Manifest, sha256_of
from jixiao.web.private import PRIVATE_FILE, private_dir

_CHUNK = 1024 * 1024


@dataclass
class Outcome:
    """A finished backup or restore: its folder, its manifest, and what is not as it should be."""

    folder: Path
    manifest: Manifest
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts


def _copy(source: Path, target: Path) -> tuple[str, int]:
    """Copy one file, 0600 in folders 0700, hashing it on the way; its SHA-256 and size."""
    private_dir(target.parent)
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as src, target.open("xb") as dst:
        target.chmod(PRIVATE_FILE)
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def backup(destination: Path) -> Outcome:
    """Write a complete, verified backup folder under ``destination`` and audit it."""
    if destination.exists() and not destination.is_dir():
        raise BackupError(f"{destination}：不是文件夹。请给出存放备份的文件夹。")
    private_dir(destination)
    chain.seal_now()  # the copy's audit log ends with a sealed head the restore can check
    name = f"jixiao-backup-{_stamp()}"
    n = 1
    while (destination / name).exists() or (destination / f"{name}.partial").exists():
        n += 1
        name = f"jixiao-backup-{_stamp()}-{n}"
    partial = private_dir(destination / f"{name}.partial")
    try:
        database, snap = databases.snapshot(partial)
        media = Path(settings.MEDIA_ROOT)
        files: list[FileEntry] = []
        missing: list[tuple[str, str]] = []
        for stored, recorded in sorted(snap.files.items()):
            source = media / stored
            if not _safe_name(stored):
                missing.append((stored, "存储名不在上传文件夹之内，未备份"))
            elif not source.is_file():
                missing.append((stored, f"文件缺失：{source}"))
            else:
                digest, size = _copy(source, partial / "uploads" / stored)
                if recorded and digest != recorded:
                    (partial / "uploads" / stored).unlink()
                    missing.append((stored, f"内容与数据库登记的摘要不符（文件已损坏）：{source}"))
                else:
                    files.append(FileEntry(f"uploads/{stored}", digest, size))
        manifest = Manifest(
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            jixiao_version=__version__,
            vendor=connection.vendor,
            database=FileEntry(database.name, sha256_of(database), database.stat().st_size),
            tables=snap.tables,
            migrations=snap.migrations,
            audit_head=snap.audit_head,
            files=files,
            missing=missing,
        )
        manifest.write(partial)
        final = destination / name
        partial.rename(final)  # only a complete backup carries a backup's name
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    record(
        Context.system(),
        AuditEvent.Type.EXPORT,
        success=not missing,
        detail={
            "step": "backup",
            "folder": str(final),
            "tables": len(snap.tables),
            "rows": sum(snap.tables.values()),
            "files": len(files),
            "missing": len(missing),
            "os_user": getpass.getuser(),
        },
    )
    return Outcome(final, manifest, [f"{stored}：{why}" for stored, why in missing])


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


def _pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def restore(folder: Path, replace: bool = False) -> Outcome:
    """Put a backup back into the configured database and uploads folder, then prove it is the same."""
    manifest = Manifest.read(folder)
    damaged = manifest.damaged(folder)
    if damaged:
        raise BackupError("备份已损坏，没有恢复任何内容：\n" + "\n".join(damaged))
    if manifest.vendor != connection.vendor:
        raise BackupError(
            f"该备份来自 {manifest.vendor} 数据库，当前配置的是 {connection.vendor}：只能恢复到同一种数据库。"
        )
    media = Path(settings.MEDIA_ROOT)
    tables = databases.table_names()
    if (tables or _has_files(media)) and not replace:
        raise BackupError(
            f"目标中已有数据（数据库中有 {len(tables)} 个表；上传文件夹 {media} "
            f"{'中有文件' if _has_files(media) else '为空'}）。恢复会替换全部数据："
            "请先停止网站和后台任务，确认无误后加 --replace 重新执行。"
        )
    stamp = _stamp()
    staging = media.parent / f".{media.name}.restoring-{stamp}"
    try:
        for entry in manifest.files:
            _copy(folder / entry.path, staging / PurePosixPath(entry.path).relative_to("uploads"))
        databases.put_back(manifest.vendor, folder / manifest.database.path, replace)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    notes = []
    if _has_files(media):
        kept = media.with_name(f"{media.name}.before-restore-{stamp}")
        media.rename(kept)
        notes.append(f"原上传文件夹已改名保留为 {kept}，确认恢复无误后可删除。")
    elif media.exists():
        shutil.rmtree(media)
    if staging.exists():
        staging.rename(media)
    else:  # a backup without uploads
        private_dir(media)
    outcome = Outcome(folder, manifest, _differences(manifest, media), notes)
    if manifest.missing:
        outcome.notes.append(f"备份时已有 {len(manifest.missing)} 个上传文件缺失，未能恢复（见备份清单 missing）。")
    pending = _pending_migrations()
    if pending:
        outcome.notes.append(f"备份来自较早的版本：请执行 manage.py migrate（{pending} 个迁移待执行）。")
    elif not outcome.problems:
        record(
            Context.system(),
            AuditEvent.Type.IMPORT,
            detail={"step": "restore", "folder": str(folder), "backup_created_at": manifest.created_at},
        )
    if connection.vendor == "postgresql":
        outcome.notes.append("PostgreSQL：恢复不带权限，请以迁移所用的角色执行 manage.py grant_app_role 应用角色。")
    return outcome


def _differences(manifest: Manifest, media: Path) -> list[str]:
    """Every way the restored data differs from the manifest: rows per table, file digests, the audit chain."""
    problems = []
    for table, now in databases.counts(list(manifest.tables)).items():
        if now != manifest.tables[table]:
            problems.append(
                f"表 {table}：备份时 {manifest.tables[table]} 行，恢复后 {now if now is not None else '缺失'}。"
            )
    for entry in manifest.files:
        path = media / PurePosixPath(entry.path).relative_to("uploads")
        if not path.is_file() or sha256_of(path) != entry.sha256:
            problems.append(f"{path}：恢复后的文件与备份清单中的摘要不符。")
    if manifest.audit_head is not None and not problems and _pending_migrations() == 0:
        verification = chain.verify(manifest.audit_head)
        if not verification.ok:
            problems.append(f"审计日志：{verification.problem}")
    return problems
