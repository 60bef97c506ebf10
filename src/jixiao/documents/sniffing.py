"""What a file's bytes are, whatever its name says: the signatures at the start of common formats.

A finance office's folder holds more than forms: a screenshot saved as ``.pdf``, a program
renamed ``.xlsx``, a compressed archive of last year's files. Before any parser runs, the
content is named from its first bytes so that the refusal can say what the file really is
(「内容却是 PNG 图片」), not merely that it is not what was expected.

The table is data: a signature is a byte string at an offset, sometimes with a check that keeps
a plain text that happens to start with the same letters from being taken for it (text never
holds a NUL byte). No library is used: the few signatures that matter are below, and each needs
its Chinese name anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

_NUL = b"\x00"


@dataclass(frozen=True)
class Signature:
    """Bytes ``magic`` at ``offset`` mean the format ``kind``, called ``label`` in messages."""

    kind: str
    label: str
    magic: bytes
    offset: int = 0
    # a further test on the whole head, for signatures short enough to start a text by chance
    also: Callable[[bytes], bool] | None = None

    def matches(self, head: bytes) -> bool:
        """True when ``head`` (the file's first bytes) carries this signature."""
        if head[self.offset : self.offset + len(self.magic)] != self.magic:
            return False
        return self.also is None or self.also(head)


SIGNATURES: tuple[Signature, ...] = (
    # what the readers read, or name as old formats (safety.py decides what each extension wants)
    Signature("zip", "压缩包（如 .xlsx、.docx）", b"PK\x03\x04"),
    Signature("zip", "压缩包（如 .xlsx、.docx）", b"PK\x05\x06"),
    Signature("ole", "旧版或加密的 Office 文件", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    # programs
    Signature("elf", "Linux 可执行程序或程序库（ELF）", b"\x7fELF"),
    Signature("exe", "Windows 可执行程序（EXE/DLL）", b"MZ", also=lambda h: _NUL in h[2:64]),
    Signature("macho", "macOS 可执行程序（Mach-O）", b"\xcf\xfa\xed\xfe"),
    Signature("macho", "macOS 可执行程序（Mach-O）", b"\xce\xfa\xed\xfe"),
    # images
    Signature("png", "PNG 图片", b"\x89PNG\r\n\x1a\n"),
    Signature("jpeg", "JPEG 图片", b"\xff\xd8\xff"),
    Signature("gif", "GIF 图片", b"GIF87a"),
    Signature("gif", "GIF 图片", b"GIF89a"),
    Signature("bmp", "BMP 图片", b"BM", also=lambda h: h[6:10] == _NUL * 4),
    Signature("tiff", "TIFF 图片", b"II*\x00"),
    Signature("tiff", "TIFF 图片", b"MM\x00*"),
    Signature("webp", "WebP 图片", b"WEBP", offset=8, also=lambda h: h[:4] == b"RIFF"),
    Signature("heic", "HEIC 图片（手机照片）", b"ftypheic", offset=4),
    # audio and video
    Signature("mp4", "MP4 或 MOV 视频", b"ftyp", offset=4),
    Signature("wav", "WAV 音频", b"WAVE", offset=8, also=lambda h: h[:4] == b"RIFF"),
    Signature("avi", "AVI 视频", b"AVI ", offset=8, also=lambda h: h[:4] == b"RIFF"),
    Signature("mp3", "MP3 音频", b"ID3", also=lambda h: h[3:4] in (b"\x02", b"\x03", b"\x04")),
    Signature("ogg", "Ogg 音频或视频", b"OggS\x00"),
    # other archives and data
    Signature("gzip", "gzip 压缩文件（.gz）", b"\x1f\x8b"),
    Signature("7z", "7z 压缩包", b"7z\xbc\xaf\x27\x1c"),
    Signature("rar", "RAR 压缩包", b"Rar!\x1a\x07"),
    Signature("xz", "xz 压缩文件", b"\xfd7zXZ\x00"),
    Signature("bzip2", "bzip2 压缩文件", b"BZh", also=lambda h: h[4:10] == b"1AY&SY"),
    Signature("zstd", "zstd 压缩文件", b"\x28\xb5\x2f\xfd"),
    Signature("sqlite", "SQLite 数据库", b"SQLite format 3\x00"),
)

LABELS: dict[str, str] = {s.kind: s.label for s in SIGNATURES} | {
    "pdf": "PDF",
    "text": "文本",
    "binary": "二进制文件（不是文本，格式未能识别）",
}
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def kind_of(data: bytes) -> str:
    """The format of ``data`` by its first bytes: a key of :data:`LABELS`.

    ``pdf``, ``zip`` and ``ole`` are what the readers know; ``text`` is anything that may be
    text (a UTF-16 file with its byte order mark included); ``binary`` is what holds NUL bytes
    and matches no signature.
    """
    head = data[:1024]
    for signature in SIGNATURES:
        if signature.matches(head):
            return signature.kind
    # The PDF header may follow a little junk (the spec allows it within the first 1024 bytes).
    if b"%PDF-" in head:
        return "pdf"
    if _NUL in data[:4096] and not data.startswith(_UTF16_BOMS):
        return "binary"
    return "text"


def label(kind: str) -> str:
    """What a format is called in a message: ``PNG 图片``, ``Linux 可执行程序或程序库（ELF）``."""
    return LABELS.get(kind, kind)
