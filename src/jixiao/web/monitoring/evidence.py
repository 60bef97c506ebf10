"""Evidence files of an action: PDF, images and Office documents, each bounded, recognised by its first bytes.

A file is accepted by its name's suffix *and* its content: a ``.pdf`` must start as a PDF does, an
image as its format does, an Office file as a ZIP (``.docx``) or an OLE compound file (``.doc``).
Kept files go to private storage under ``evidence/`` (0600, ``FILE_UPLOAD_PERMISSIONS``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile

MB = 1024 * 1024
MAX_EVIDENCE_BYTES = 20 * MB  # one file
MAX_EVIDENCE_FILES = 10  # one submission

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# each allowed suffix with the first bytes its files start with
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".doc": _OLE,
    ".xls": _OLE,
    ".ppt": _OLE,
}
ALLOWED = "、".join(s.lstrip(".").upper() for s in SIGNATURES)


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def _head(upload: UploadedFile) -> bytes:
    upload.open("rb")  # a file received to disk is opened only when read (uploads.ReceivedFile)
    head = upload.read(16)
    upload.seek(0)
    return bytes(head)


def evidence_problems(files: Sequence[UploadedFile]) -> list[str]:
    """What is wrong with the files of one submission, each naming its file (empty: all may be kept)."""
    if len(files) > MAX_EVIDENCE_FILES:
        return [f"一次最多上传 {MAX_EVIDENCE_FILES} 个佐证材料（选了 {len(files)} 个）。"]
    problems = []
    for upload in files:
        name = upload.name or "（无文件名）"
        signatures = SIGNATURES.get(_suffix(name))
        if signatures is None:
            problems.append(f"{name}：不支持的文件类型，佐证材料可以是 {ALLOWED}。")
        elif (upload.size or 0) > MAX_EVIDENCE_BYTES:
            problems.append(
                f"{name}：文件过大（{upload.size} 字节），单个佐证材料不超过 {MAX_EVIDENCE_BYTES // MB} MB。"
            )
        elif not upload.size:
            problems.append(f"{name}：文件是空的。")
        elif not _head(upload).startswith(signatures):
            problems.append(f"{name}：文件内容与扩展名 {_suffix(name)} 不符，请上传原始文件。")
    return problems


def sha256_of(upload: UploadedFile) -> str:
    """The file's SHA-256 (the upload handler's when it computed it as the file arrived)."""
    known = getattr(upload, "sha256", None)
    if isinstance(known, str):
        return known
    digest = hashlib.sha256()
    upload.open("rb")
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
