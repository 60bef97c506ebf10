"""Engines for the OCR benchmark: the product's RapidOCR and Debian's Tesseract, both timed.

Tesseract is the other candidate of decision 0010. It is called as Debian ships it (the
``tesseract`` command with ``chi_sim``, one thread), through the same :class:`Engine` interface
the reader uses, so both are measured on the same pages by the same pipeline. Each engine counts
the CPU time spent inside it, so the benchmark can report the reader's own overhead as a ratio.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from jixiao.documents.ocr.engine import RapidEngine, TextBox


class Timed:
    """An engine whose calls are timed (CPU seconds of this process, and of child processes)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.name = engine.name
        self.seconds = 0.0

    def _time(self, call: str, *args: Any) -> Any:
        start = time.process_time() + _children()
        try:
            return getattr(self.engine, call)(*args)
        finally:
            self.seconds += time.process_time() + _children() - start

    def recognise(self, image: Any) -> list[TextBox]:
        """Timed recognition."""
        return self._time("recognise", image)  # type: ignore[no-any-return]

    def detect(self, image: Any) -> list[tuple[float, float, float, float]]:
        """Timed detection."""
        return self._time("detect", image)  # type: ignore[no-any-return]

    def upside_down(self, image: Any, boxes: list[tuple[float, float, float, float]]) -> float:
        """Timed orientation check."""
        return self._time("upside_down", image, boxes)  # type: ignore[no-any-return]


def _children() -> float:
    t = os.times()
    return t.children_user + t.children_system


class TesseractEngine:
    """Debian's ``tesseract`` (5.x, ``chi_sim``), lines from its TSV output, one thread."""

    name = "tesseract"

    def __init__(self, psm: int = 11) -> None:
        if shutil.which("tesseract") is None:
            raise FileNotFoundError("apt-get install tesseract-ocr tesseract-ocr-chi-sim")
        self.psm = psm

    def _tsv(self, image: Any, psm: int) -> list[dict[str, str]]:
        from PIL import Image

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "page.png"
            Image.fromarray(image).save(path)
            done = subprocess.run(
                ["tesseract", str(path), "-", "-l", "chi_sim", "--psm", str(psm), "tsv"],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            )
        return list(csv.DictReader(io.StringIO(done.stdout), delimiter="\t", quoting=csv.QUOTE_NONE))

    def recognise(self, image: Any) -> list[TextBox]:
        """Words grouped into Tesseract's lines; confidence is the mean of the words' (0..100 -> 0..1)."""
        lines: dict[tuple[str, str, str], list[dict[str, str]]] = {}
        for word in self._tsv(image, self.psm):
            if word.get("level") == "5" and (word.get("text") or "").strip():
                lines.setdefault((word["block_num"], word["par_num"], word["line_num"]), []).append(word)
        found: list[TextBox] = []
        for words in lines.values():
            x0 = min(int(w["left"]) for w in words)
            top = min(int(w["top"]) for w in words)
            x1 = max(int(w["left"]) + int(w["width"]) for w in words)
            bottom = max(int(w["top"]) + int(w["height"]) for w in words)
            text = ""
            for w in sorted(words, key=lambda w: int(w["left"])):
                piece = w["text"].strip()
                # Tesseract splits Chinese into one word a character; only Latin words keep a space
                if text and text[-1].isascii() and text[-1].isalnum() and piece[0].isascii() and piece[0].isalnum():
                    text += " "
                text += piece
            score = sum(max(float(w["conf"]), 0.0) for w in words) / len(words) / 100
            found.append(TextBox(text, (x0, top, x1, bottom), score))
        return found

    def detect(self, image: Any) -> list[tuple[float, float, float, float]]:
        """The boxes of the text lines of Tesseract's layout analysis (its level 4), not its reading."""
        boxes: list[tuple[float, float, float, float]] = []
        for row in self._tsv(image, self.psm):
            if row.get("level") == "4":
                x, y, w, h = (int(row[k]) for k in ("left", "top", "width", "height"))
                boxes.append((x, y, x + w, y + h))
        return boxes

    def upside_down(self, image: Any, boxes: list[tuple[float, float, float, float]]) -> float:
        """Tesseract's orientation and script detection (``--psm 0``) on the page."""
        from PIL import Image

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "page.png"
            small = Image.fromarray(image)
            # OSD misjudges the pipeline's small copy (about 95 dpi): give it twice the resolution
            small.resize((small.width * 2, small.height * 2)).save(path)
            done = subprocess.run(
                ["tesseract", str(path), "-", "--psm", "0"], capture_output=True, text=True, check=False
            )
        return 1.0 if "Rotate: 180" in done.stdout else 0.0


class TesseractCells(TesseractEngine):
    """Tesseract as it is best used on ruled tables: each cell cut out and read on its own.

    Read whole, a ruled page defeats Tesseract's layout analysis (rows are dropped, headings run
    together). Here the cells come from the pipeline's own grid; every cell is cropped inside its
    borders and all crops of a page are read in one ``tesseract`` run (a file list, ``--psm 6``);
    text outside the tables is read from the page with the tables whitened.
    """

    name = "tesseract-cells"

    def recognise(self, image: Any) -> list[TextBox]:
        """Each table cell's lines, then the lines outside the tables."""
        import numpy as np
        from PIL import Image

        from jixiao.documents.ocr import grid, prepare

        grey = prepare.to_grey(image) if image.ndim == 3 else image
        dpi = max(grey.shape) / (297 / 25.4)
        tables, _ = grid.find_tables(grey, 10 * dpi / 72, dpi)
        cells = [c for t in tables for row in t.rows for c in row if c is not None]
        found: list[TextBox] = []
        with tempfile.TemporaryDirectory() as tmp:
            paths: list[tuple[Path, tuple[float, float, float, float]]] = []
            for k, (x0, top, x1, bottom) in enumerate(cells):
                inset = 4
                crop = grey[int(top) + inset : int(bottom) - inset, int(x0) + inset : int(x1) - inset]
                if crop.size == 0 or crop.min() > 160:  # an empty cell
                    continue
                path = Path(tmp) / f"c{k}.png"
                Image.fromarray(crop).save(path)
                paths.append((path, (x0 + inset, top + inset, x1, bottom)))
            if paths:
                listing = Path(tmp) / "cells.txt"
                listing.write_text("\n".join(str(p) for p, _ in paths), encoding="utf-8")
                done = subprocess.run(
                    ["tesseract", str(listing), "-", "-l", "chi_sim", "--psm", "6", "tsv"],
                    capture_output=True,
                    text=True,
                    check=True,
                    env={**os.environ, "OMP_THREAD_LIMIT": "1"},
                )
                rows = list(csv.DictReader(io.StringIO(done.stdout), delimiter="\t", quoting=csv.QUOTE_NONE))
                found += _lines(rows, [origin for _, origin in paths])
            outside = grey.copy()
            for x0, top, x1, bottom in (t.bbox for t in tables):
                outside[int(top) : int(bottom), int(x0) : int(x1)] = 255
            found += super().recognise(np.ascontiguousarray(outside))
        return found


def _lines(rows: list[dict[str, str]], origins: list[tuple[float, float, float, float]]) -> list[TextBox]:
    """Tesseract's words of many crops (``page_num`` 1..n) as lines placed back on the page."""
    lines: dict[tuple[str, str, str, str], list[dict[str, str]]] = {}
    for w in rows:
        if w.get("level") == "5" and (w.get("text") or "").strip():
            lines.setdefault((w["page_num"], w["block_num"], w["par_num"], w["line_num"]), []).append(w)
    out: list[TextBox] = []
    for (page, *_), words in lines.items():
        ox, oy = origins[int(page) - 1][:2]
        words.sort(key=lambda w: int(w["left"]))
        text = ""
        for w in words:
            piece = w["text"].strip()
            if text and text[-1].isascii() and text[-1].isalnum() and piece[0].isascii() and piece[0].isalnum():
                text += " "
            text += piece
        x0 = ox + min(int(w["left"]) for w in words)
        top = oy + min(int(w["top"]) for w in words)
        x1 = ox + max(int(w["left"]) + int(w["width"]) for w in words)
        bottom = oy + max(int(w["top"]) + int(w["height"]) for w in words)
        score = sum(max(float(w["conf"]), 0.0) for w in words) / len(words) / 100
        out.append(TextBox(text, (x0, top, x1, bottom), score))
    return out


def make(name: str) -> Timed:
    """A timed engine by name: ``rapidocr``, ``tesseract`` (whole page) or ``tesseract-cells``."""
    if name == "rapidocr":
        return Timed(RapidEngine())
    return Timed(TesseractCells() if name == "tesseract-cells" else TesseractEngine())
