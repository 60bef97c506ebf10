"""A PDF that cannot be opened is refused with a Chinese sentence saying why, not pdfminer's English."""

from __future__ import annotations

import re
from io import BytesIO

import pytest

from jixiao.core.errors import SourceError
from jixiao.documents.importer import import_bytes

LATIN_WORDS = re.compile(r"[A-Za-z]{3,}")


def _pdf(encrypt: str | None = None) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    page = canvas.Canvas(buffer, encrypt=encrypt)
    page.drawString(100, 700, "项目名称 2024")
    page.showPage()
    page.save()
    return buffer.getvalue()


@pytest.mark.parametrize(
    "make, said",
    [
        (lambda: _pdf(encrypt="secret"), "已加密"),
        (lambda: _pdf()[: len(_pdf()) // 2], "不完整"),
        (lambda: b"%PDF-1.4\n" + bytes(range(256)) * 8, "损坏"),
    ],
)
def test_a_pdf_that_cannot_be_opened_is_explained_in_chinese(make: object, said: str) -> None:
    """Encrypted, truncated and damaged PDFs each get their reason in Chinese, with no English words."""
    with pytest.raises(SourceError) as info:
        import_bytes(make(), "自评表.pdf")  # type: ignore[operator]
    message = info.value.message
    assert said in message
    assert LATIN_WORDS.findall(message.replace("PDF", "")) == [], message
