"""pdfminer's errors in Chinese: why a PDF could not be opened, in words a finance officer can act on.

pdfminer (under pdfplumber) raises many exception types with English texts such as
「No /Root object! - Is this really a PDF?」. They fall into a few cases a user can do something
about (a truncated download, a password, a damaged file); each is named here by the exception's
type and text. Anything else is called a damaged PDF, with the type's name kept for whoever
reports it.
"""

from __future__ import annotations

# (what to look for in the exception's type names or text, the sentence that explains it)
_CASES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("Password", "Encrypt", "encrypt"), "PDF 已加密，需要密码才能打开：请提供未加密的 PDF"),
    (("TextExtractionNotAllowed",), "PDF 设置了禁止提取文字，无法读取：请提供未加此限制的 PDF"),
    (("PSEOF", "EOF", "NoValidXRef", "xref"), "PDF 文件不完整（可能在下载或复制时被截断），无法读取"),
    (("No /Root", "Root object", "PDFSyntaxError"), "PDF 文件结构损坏（找不到文档目录），无法读取"),
)


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps (pdfplumber wraps pdfminer's error in its own)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        inner = current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        current = inner or current.__cause__ or current.__context__
    return seen


def describe(exc: BaseException) -> str:
    """The Chinese sentence for an error pdfminer raised while opening or reading a PDF."""
    chain = _chain(exc)
    said = " ".join(f"{type(e).__name__} {e}" for e in chain)
    for needles, sentence in _CASES:
        if any(n in said for n in needles):
            return sentence
    return f"PDF 文件已损坏，无法读取（错误类型 {type(chain[-1]).__name__}）"
