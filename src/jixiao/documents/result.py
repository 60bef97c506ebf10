"""What an import returns: the document, where each project came from, and every problem."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from jixiao.core.errors import Location
from jixiao.core.model import Document
from jixiao.core.serialize import JsonValue, iter_dumps
from jixiao.documents.reading.provenance import FieldSource

# Told how far a long read has come: the fraction done (0 to 1) and the stage, in Chinese.
Progress = Callable[[float, str], None]


def no_progress(done: float, stage: str) -> None:
    """The progress hook of a caller that shows none."""


@dataclass(frozen=True)
class ImportWarning:
    """A line or value the reader could not place, or a call it had to make, with its place."""

    location: Location
    message: str
    text: str = ""
    # "warning": something was not placed or is doubtful; "note": a call the reader made and reports.
    level: str = "warning"

    def __str__(self) -> str:
        quoted = f"：「{self.text}」" if self.text else ""
        return f"{self.location}: {self.message}{quoted}"


@dataclass(frozen=True)
class ProjectSource:
    """Where one project of the document was printed: its first and last line."""

    first_line: int
    last_line: int
    indicator_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class Recognised:
    """A value read by OCR: its page, its box and how sure the reading is.

    ``box`` is (x0, top, x1, bottom) in points from the top left of the page as it was read (turned
    upright and levelled). ``ocr`` is the engine's own confidence in the weakest line of the cell,
    ``reader`` the reader's (lower where the value breaks the form's arithmetic or was not placed
    cleanly); ``confidence`` combines the two.
    """

    page: int
    box: tuple[float, float, float, float]
    ocr: float
    reader: float = 1.0

    @property
    def confidence(self) -> float:
        """The engine's and the reader's confidence together (their product), 0..1."""
        return round(self.ocr * self.reader, 3)


@dataclass(frozen=True)
class ScannedPage:
    """A page read by OCR as it was read: its size in points once upright, and what was done to stand it so.

    ``turned`` is the quarter turns (clockwise) applied, ``skew`` the degrees it was then levelled by
    (counter-clockwise): the web draws the page this way, so the values' boxes fall on their cells.
    """

    page: int
    width: float
    height: float
    turned: int = 0
    skew: float = 0.0

    def to_json(self) -> dict[str, object]:
        """The page's entry in ``reading.pages`` of an import's JSON."""
        return {
            "page": int(self.page),
            "width": float(self.width),
            "height": float(self.height),
            "turned": int(self.turned),
            "skew": float(self.skew),
        }


@dataclass(frozen=True)
class ImportResult:
    """One source read: the document, the source lines of each project, and the warnings."""

    source: str
    document: Document
    warnings: tuple[ImportWarning, ...] = ()
    projects: tuple[ProjectSource, ...] = ()
    encoding: str = "utf-8"
    layout: str = ""
    # For cell-based sources (XLSX, DOCX, PDF): where each value was printed, by JSON path
    # such as ``projects[0].indicators[2].target``; text sources place values by line instead.
    locations: dict[str, Location] = field(default_factory=dict)
    # Where each value came from and how sure the reading is, by the same JSON paths: read from a
    # cell, chosen by the form's arithmetic, or inferred (see jixiao.documents.reading.provenance).
    fields: dict[str, FieldSource] = field(default_factory=dict)
    # For scans read by OCR: the page, box and confidence of each value, by the same JSON paths.
    recognised: dict[str, Recognised] = field(default_factory=dict)
    # For scans: each page's size and orientation as it was read (the frame of the boxes above).
    pages: tuple[ScannedPage, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the whole source was placed without a warning (notes are fine)."""
        return not self.problems

    @property
    def problems(self) -> tuple[ImportWarning, ...]:
        """The warnings proper, without the notes."""
        return tuple(w for w in self.warnings if w.level == "warning")


@dataclass
class Problems:
    """Collects warnings while a reader works; one per source."""

    source: str
    items: list[ImportWarning] = field(default_factory=list)

    def warn(self, line: int | None, message: str, text: str = "") -> None:
        """Record a warning at ``line`` of this source."""
        self.items.append(ImportWarning(Location(file=self.source, line=line), message, text))

    def note(self, line: int | None, message: str, text: str = "") -> None:
        """Record a note: a reading decision worth telling the user, not a problem."""
        self.items.append(ImportWarning(Location(file=self.source, line=line), message, text, level="note"))


def reading_record(result: ImportResult) -> JsonValue:
    """The importer's ``reading`` record: where each value came from and what was not placed."""
    reading: dict[str, JsonValue] = {"source": result.source, "layout": result.layout}
    reading["fields"] = {path: src.to_json() for path, src in result.fields.items()}
    reading["unplaced"] = [
        {"line": w.location.line, "page": w.location.page, "text": w.text, "message": w.message}
        for w in result.problems
    ]
    if result.recognised:  # a scan: where on which page each value was recognised, and how surely
        # plain floats: the engine's scores are numpy's, whose repr is no JSON number
        reading["recognised"] = {
            path: {
                "page": int(r.page),
                "box": [float(v) for v in r.box],
                "ocr": float(r.ocr),
                "reader": float(r.reader),
                "confidence": float(r.confidence),
            }
            for path, r in result.recognised.items()
        }
        reading["pages"] = [page.to_json() for page in result.pages]
    return reading


def iter_reading_json(result: ImportResult) -> Iterator[str]:
    """:func:`reading_json` in pieces, one project at a time (what ``jixiao import`` streams to its file)."""
    return iter_dumps(result.document, extra={"reading": reading_record(result)})


def reading_json(result: ImportResult) -> str:
    """The document JSON with its ``reading``: where each value came from and what was not placed.

    This is what ``jixiao import`` writes. The ``reading`` key is the importer's record, outside the
    document proper (``loads`` reads the document and passes it over; compare_gold ignores it).
    """
    return "".join(iter_reading_json(result))
