"""The OCR engine: recognised text lines with their boxes and the engine's own confidence.

jixiao uses RapidOCR (PP-OCR models run by ONNX Runtime), whose wheel ships its Chinese detection,
recognition and orientation models (decision 0010). The models are named by path inside the
installed package, so the engine never looks for them elsewhere and never downloads anything.
It is an optional extra: without it, reading a scan stops with a message naming the command that
installs it (:data:`INSTALL_HINT`).

The rest of the OCR pipeline sees only :class:`Engine`: an image in, :class:`TextBox` es out. The
benchmarks compare another engine (Tesseract) through the same interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from jixiao.core.errors import Location, SourceError

INSTALL_HINT = "pip install -e '.[ocr]'"
MODELS = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


@dataclass(frozen=True)
class TextBox:
    """One recognised line of text: its box in image pixels (x0, top, x1, bottom) and confidence 0..1.

    ``pieces`` are its characters (or Latin words) with their own boxes, where the engine gives
    them: a line the detector ran across a cell border is split back at the border with them.
    """

    text: str
    box: tuple[float, float, float, float]
    score: float
    pieces: tuple[TextBox, ...] = ()

    @property
    def height(self) -> float:
        """The box's height in pixels."""
        return self.box[3] - self.box[1]

    @property
    def width(self) -> float:
        """The box's width in pixels."""
        return self.box[2] - self.box[0]


class Engine(Protocol):
    """What the pipeline needs from an OCR engine."""

    name: str

    def recognise(self, image: Any) -> list[TextBox]:
        """Every text line of an RGB or grey image (a numpy array), with its box and confidence."""

    def detect(self, image: Any) -> list[tuple[float, float, float, float]]:
        """The boxes of the text lines only (cheaper: no recognition), for orientation checks."""

    def upside_down(self, image: Any, boxes: list[tuple[float, float, float, float]]) -> float:
        """The share (0..1) of the given text lines that read upside down."""


def _bounds(quad: Any) -> tuple[float, float, float, float]:
    """The upright box around a quadrilateral of four points."""
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return (min(xs), min(ys), max(xs), max(ys))


def missing_engine(name: str, detail: str = "") -> SourceError:
    """The error for a scan when the OCR extra is not installed, naming the command that installs it."""
    why = f"（{detail}）" if detail else ""
    return SourceError(
        f"这是扫描件或图片，需要文字识别（OCR）组件才能读取，但尚未安装{why}：请运行 {INSTALL_HINT} 后再导入",
        Location(file=name),
    )


class RapidEngine:
    """RapidOCR with the models its wheel ships, on one thread (the machine's cores serve many users)."""

    name = "rapidocr"

    def __init__(self, threads: int = 1) -> None:
        import cv2  # noqa: F401  # the page geometry needs these too: fail here, with the install hint
        import numpy  # noqa: F401
        import onnxruntime  # noqa: F401
        import rapidocr

        models = Path(rapidocr.__file__).parent / "models"
        params: dict[str, Any] = {
            "Global.log_level": "error",
            "Global.use_cls": False,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        for task, file in MODELS.items():
            path = models / file
            if not path.is_file():  # an install without its models would otherwise try to download them
                raise FileNotFoundError(str(path))
            params[f"{task}.model_path"] = str(path)
        self._ocr: Any = rapidocr.RapidOCR(params=params)  # its result types are a union per task

    def recognise(self, image: Any) -> list[TextBox]:
        """Every text line of the image, with its box and the recogniser's confidence."""
        out = self._ocr(image, use_det=True, use_cls=False, use_rec=True, return_word_box=True)
        if out.boxes is None or out.txts is None:
            return []
        words = out.word_results if out.word_results and len(out.word_results) == len(out.txts) else None
        found: list[TextBox] = []
        for k, (quad, text, score) in enumerate(zip(out.boxes, out.txts, out.scores, strict=False)):
            pieces = tuple(TextBox(str(w), _bounds(q), float(score)) for w, _, q in words[k]) if words else ()
            found.append(TextBox(str(text), _bounds(quad), float(score), pieces))
        return found

    def detect(self, image: Any) -> list[tuple[float, float, float, float]]:
        """The boxes of the text lines, without reading them."""
        out = self._ocr(image, use_det=True, use_cls=False, use_rec=False)
        if out.boxes is None:
            return []
        return [
            (
                min(float(p[0]) for p in q),
                min(float(p[1]) for p in q),
                max(float(p[0]) for p in q),
                max(float(p[1]) for p in q),
            )
            for q in out.boxes
        ]

    def upside_down(self, image: Any, boxes: list[tuple[float, float, float, float]]) -> float:
        """The share of the text lines the orientation model reads as turned 180 degrees."""
        crops = [image[int(t) : int(b), int(x0) : int(x1)] for x0, t, x1, b in boxes if b - t > 8 and x1 - x0 > 8]
        if not crops:
            return 0.0
        flipped = 0
        for crop in crops:
            out = self._ocr(crop, use_det=False, use_cls=True, use_rec=False)
            flipped += sum(1 for label, _ in out.cls_res if str(label) == "180")
        return flipped / len(crops)


@cache
def _rapid() -> RapidEngine:
    return RapidEngine()


def default_engine(name: str) -> Engine:
    """The installed engine, loaded once per process; a clear error when the OCR extra is missing."""
    try:
        return _rapid()
    except ImportError as exc:
        raise missing_engine(name, f"缺少 {exc.name or exc}") from None
    except FileNotFoundError as exc:
        raise missing_engine(name, f"缺少识别模型 {exc}") from None
