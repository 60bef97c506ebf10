"""The check page of a scan: the page image beside the reading, each value's box drawn over it.

The scan is made here: a declaration printed by jixiao's own PDF exporter, rasterised, turned two
degrees (as fed crooked into a scanner) and wrapped into an image-only PDF (tests/documents/ocr/testset.py).
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.documents.importer import import_path
from jixiao.exporters import pdf
from jixiao.exporters.report import build_report
from jixiao.web.imports.models import ImportJob
from tests.documents.ocr import testset
from tests.web.test_import_check import misread_declaration

pytestmark = [pytest.mark.django_db, pytest.mark.ocr]
DPI = 150


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # OCR's child process peaks near 1 GB resident and maps more address space than the default 1024 MB
    # allows (measured: refused at 1024, read at 2048); a deployment reading scans sets it so too
    settings.JIXIAO_IMPORT_MEMORY_MB = 2048
    settings.JIXIAO_IMPORT_SECONDS = 120


def scanned_declaration(folder: Path) -> bytes:
    """The test declaration printed, rasterised at 150 dpi, skewed 2 degrees, as an image-only PDF."""
    document = import_path(misread_declaration(folder)).document
    printed = pdf.render(build_report(document), font="cid")
    pages = [testset.skew(page, 2.0) for page in testset.rasterise(printed, DPI)]
    return testset.image_pdf(pages, DPI)


def test_a_scans_check_page_shows_the_page_with_each_values_box_on_its_text(
    people: dict[str, Any], login: Any, tmp_path: Path
) -> None:
    from PIL import Image

    client = login(people["dept_a"])
    scan = scanned_declaration(tmp_path)
    upload = SimpleUploadedFile("scan.pdf", scan, content_type="application/pdf")
    response = client.post("/work/imports/", {"files": [upload]})
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert job.state == ImportJob.State.READ, (job.problems, list(job.files.values_list("error", flat=True)))
    item = job.files.get()
    for frame in item.reading["pages"]:  # each page levelled by about the skew it was given
        assert frame["turned"] == 0 and abs(abs(frame["skew"]) - 2.0) < 0.6
    recognised = item.reading["recognised"]
    assert "projects[0].name" in recognised

    url = f"/work/imports/{job.pk}/files/{item.pk}/"
    page = client.get(url).content.decode()
    number = recognised["projects[0].name"]["page"]  # the exporter prints its summary before the form
    figure = re.search(rf'<figure class="scan-page" id="page-{number}">(.*?)</figure>', page, re.S)
    assert figure is not None
    view_box = re.search(r'<svg class="scan-boxes" viewBox="0 0 ([\d.]+) ([\d.]+)"', figure.group(1))
    assert view_box is not None
    width, height = float(view_box.group(1)), float(view_box.group(2))
    rects = re.findall(r'<rect class="box[^"]*" data-path="([^"]+)"', figure.group(1))
    on_page = {path for path, r in recognised.items() if r["page"] == number}
    assert len(rects) >= 10 and set(rects) <= on_page and "projects[0].name" in rects
    # every low-confidence value is highlighted as uncertain
    unsure = {path for path in on_page if recognised[path]["confidence"] < 0.8}
    marked = set(re.findall(r'<rect class="box unsure[^"]*" data-path="([^"]+)"', figure.group(1)))
    assert unsure <= marked

    image_url = f"{url}pages/{number}.png"
    assert image_url in page
    png = client.get(image_url)
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    image = Image.open(BytesIO(png.content)).convert("L")
    assert max(image.size) <= 1600
    assert abs(image.width / image.height - width / height) < 0.02
    # the page is shown as the reader saw it once levelled: the boxes' frame is the served image's frame
    import numpy as np

    from jixiao.documents.ocr import prepare
    from jixiao.documents.ocr.pages import pdf_pages

    read = next(p for p in pdf_pages(scan, "scan.pdf") if p.number == number)
    levelled, _ = prepare.clean(np.asarray(read.image))
    seen = np.asarray(Image.fromarray(levelled).resize(image.size), dtype=float)
    assert np.corrcoef(seen.ravel(), np.asarray(image, dtype=float).ravel())[0, 1] > 0.9
    # the project name's box, scaled onto the image, covers printed ink: the boxes fall on their cells
    x0, top, x1, bottom = recognised["projects[0].name"]["box"]
    scale = image.width / width
    crop = image.crop((round(x0 * scale), round(top * scale), round(x1 * scale), round(bottom * scale)))
    assert crop.getextrema()[0] < 100  # dark text inside the box
    # the page image goes through the access helper like the job itself
    assert login(people["dept_b"]).get(image_url).status_code == 404
    assert client.get(f"{url}pages/{len(item.reading['pages']) + 1}.png").status_code == 404
