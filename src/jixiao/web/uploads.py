"""Uploaded files go to disk as they arrive, within their limits, hashed on the way; never whole into memory.

Django keeps a small upload in memory and a large one in a temporary file, and the import then read
each file whole into memory before checking its size: five 200 MB files took a gigabyte before they
were refused. :class:`BoundedUploadHandler` (the only upload handler, ``FILE_UPLOAD_HANDLERS``) writes
every file to ``MEDIA_ROOT/incoming/`` in 64 KB chunks, counting its size and SHA-256 as it goes, and
stops the upload as soon as one file passes :data:`~jixiao.documents.safety.MAX_BYTES` or the request
passes ``JIXIAO_UPLOAD_MAX_MB``: the rest of the request is read a chunk at a time and thrown away, and
the view shows why (``request.upload_refused``). Memory stays at one chunk whatever is sent.

A received file is closed once complete (a thousand files do not hold a thousand descriptors), moved
into storage when it is kept (a rename: the same file system) and deleted with the request otherwise.
What a killed process leaves in ``incoming/`` is removed by ``manage.py sweep_imports``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from jixiao.documents.safety import MAX_BYTES
from jixiao.web.private import private_dir

MB = 1024 * 1024


def incoming_folder() -> Path:
    """Where uploads are received: beside the kept files, so that keeping one is a rename."""
    return Path(settings.MEDIA_ROOT) / "incoming"


class ReceivedFile(UploadedFile):
    """An upload received to disk, with its size and SHA-256; opened only when read."""

    def __init__(self, path: Path, name: str, content_type: str, size: int, charset: str | None, sha256: str) -> None:
        super().__init__(None, name, content_type, size, charset)
        self.path = path
        self.sha256 = sha256

    def temporary_file_path(self) -> str:
        """Where the bytes are (storage moves the file from here instead of copying it)."""
        return str(self.path)

    def open(self, mode: str | None = "rb", *args: object, **kwargs: object) -> ReceivedFile:
        """Open the received bytes for reading (Django's other arguments of ``open`` do not apply to bytes)."""
        self.file = open(self.path, mode or "rb")  # noqa: SIM115 - closed by close(), as every Django File
        return self

    def close(self) -> None:
        """Close it and delete what was received, unless storage has moved it away."""
        if self.file is not None:
            self.file.close()
            self.file = None
        self.path.unlink(missing_ok=True)


class BoundedUploadHandler(FileUploadHandler):
    """Receives every file to disk, refusing the upload at the first file or total past its limit."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.total = 0
        self.limit_total = getattr(settings, "JIXIAO_UPLOAD_MAX_MB", 1024) * MB
        self._handle: BinaryIO | None = None
        self._path: Path | None = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        """Open a fresh file in ``incoming/`` for the next upload."""
        super().new_file(*args, **kwargs)
        folder = private_dir(incoming_folder())  # 0700 up to the uploads folder (private.py)
        fd, path = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=folder)
        self._handle = os.fdopen(fd, "wb")
        self._path = Path(path)
        self._size = 0
        self._digest = hashlib.sha256()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        """Write one chunk, or stop the whole upload when a limit is passed."""
        self._size += len(raw_data)
        self.total += len(raw_data)
        if self._size > MAX_BYTES:
            self._refuse(f"{self.file_name}：文件过大（上限 {MAX_BYTES // MB} MB），本次上传的文件均未保存。")
        if self.total > self.limit_total:
            self._refuse(f"一次上传的文件合计超过 {self.limit_total // MB} MB，本次上传的文件均未保存：请分批上传。")
        assert self._handle is not None
        self._handle.write(raw_data)
        self._digest.update(raw_data)

    def file_complete(self, file_size: int) -> ReceivedFile | None:
        """Close the received file and hand it over, with its hash."""
        if self._handle is None or self._path is None:
            return None
        self._handle.close()
        self._handle = None
        return ReceivedFile(
            self._path, self.file_name or "", self.content_type or "", file_size, self.charset, self._digest.hexdigest()
        )

    def upload_interrupted(self) -> None:
        """The client went away: delete the partial file."""
        self._discard()

    def _discard(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._path is not None:
            self._path.unlink(missing_ok=True)
            self._path = None

    def _refuse(self, message: str) -> None:
        self._discard()
        if self.request is not None:
            # attr-defined: the app's own request attribute, read back by the view with getattr
            self.request.upload_refused = message  # type: ignore[attr-defined]
            # Read the rest of the request and throw it away, a chunk at a time, so that the browser gets the
            # page that says why. Django's own way (StopUpload without reset) reads it line by line, and a file
            # without line breaks is one line: it would hold the whole rest of the request in memory.
            stream = getattr(self.request, "_stream", None)
            while stream is not None and stream.read(self.chunk_size):
                pass
        raise StopUpload(connection_reset=True)
