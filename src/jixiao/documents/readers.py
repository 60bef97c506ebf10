"""A text source to a document: which reader reads it.

Two readers read text. The layout readers (:mod:`jixiao.documents.reader`:
tab-separated tables, ``pdftotext`` reading order with wrapped cells,
``key：value`` lists) were built for the tidy layouts of the seeds and the
project's examples, and read those exactly. The stream reader
(:mod:`jixiao.documents.reading`) reads any extraction by its cells and
anchors. A text that a layout reader places line for line, without a single
warning, is taken as that reader read it; any other text is read by the
stream reader, unless that finds no indicator where the layout reader found
some. A monitoring form stays the layout reader's, warnings and all: the
stream reader does not read its columns. See
docs/decisions/0007-reading-published-forms.md.
"""

from __future__ import annotations

from dataclasses import replace

from jixiao.core.errors import JixiaoError, SourceError
from jixiao.core.model import Kind
from jixiao.documents.reader import read_text
from jixiao.documents.reading.provenance import FieldSource
from jixiao.documents.reading.reader import read_stream_text
from jixiao.documents.result import ImportResult, Progress, no_progress
from jixiao.documents.text import TextSource


def read_source(source: TextSource, progress: Progress = no_progress) -> ImportResult:
    """Read a decoded text with the reader that reads it best (see the module docstring)."""
    layout: ImportResult | None = None
    layout_error: JixiaoError | None = None
    try:
        layout = read_text(source, progress)
    except SourceError as exc:
        layout_error = exc
    if layout is not None and layout.ok and layout.document.indicator_count:
        return with_line_sources(layout)
    if layout is not None and layout.document.kind is Kind.MONITORING and layout.document.indicator_count:
        # the stream reader knows no 全年预计/偏差原因/可能性 column: a monitoring form is the layout
        # reader's, its warnings kept (they name what it could not place)
        return with_line_sources(layout)
    try:
        stream = read_stream_text(source)
    except SourceError:
        if layout is not None:
            return with_line_sources(layout)
        assert layout_error is not None
        raise
    if layout is None or stream.document.indicator_count or not layout.document.indicator_count:
        return stream
    return with_line_sources(layout)


def with_line_sources(result: ImportResult) -> ImportResult:
    """A layout reader's result with the line each value was read from (those readers work by line)."""
    if result.fields:
        return result
    fields: dict[str, FieldSource] = {}
    for n, (project, where) in enumerate(zip(result.document.projects, result.projects, strict=False)):
        base = f"projects[{n}]"
        for key in ("name", "department", "unit"):
            if getattr(project, key):
                fields[f"{base}.{key}"] = FieldSource(where.first_line, None)
        for k, (ind, line) in enumerate(zip(project.indicators, where.indicator_lines, strict=False)):
            for key in ("name", "target", "actual", "weight", "score", "deviation"):
                if getattr(ind, key) not in (None, ""):
                    fields[f"{base}.indicators[{k}].{key}"] = FieldSource(line or None, None)
    return replace(result, fields=fields)
