"""Indicator tables that lost their cell borders: plain pdftotext reading order.

In these extractions each table cell is printed as its own wrapped lines,
in reading order, and a row's single-line cells (target, actual, 分值, 得分)
share one line, the *value line*. Names wrap at the name column's width,
deviation notes at theirs, and a label of a merged cell can land anywhere
in its span. The reader collects the fragments between two value lines and
decides, for each, whether it continues the previous row, is that row's
deviation note, or begins the next row's name, target or actual. The
decisions rest on three observations that hold in every published layout
seen so far:

* a cell's text wraps only when its line is full, so a fragment continues
  the one before it only if that one reached the column's width;
* a value line carries, from the right: 得分, 分值, and before them as many
  of 实际完成值, 年度指标值 and the name as fitted on that line;
* targets and actuals start with a comparison sign, a digit or a tier
  phrase; names and deviation notes do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.model import Kind
from jixiao.documents.fields import Used
from jixiao.documents.forms import is_boilerplate
from jixiao.documents.levels import LevelTracker
from jixiao.documents.result import Problems
from jixiao.documents.rows import Row, cell_text, fold, is_number, number, width
from jixiao.documents.tables import Draft, apply_labels, strip_prefix
from jixiao.documents.vocab import HEADER_PIECES, LEVEL1, LEVEL2, is_label_prefix, level_of, squeeze

_VALUE_START = re.compile(r"^(?:[≥≤=<>＞＜≧≦═]|[0-9０-９]|大于|小于|不低于|不少于|不高于|不超过|达成|部分达成|未达成)")
_DEVIATION_WORDS = ("因", "原因", "疫情", "改进", "措施", "下一步", "进一步", "将", "受", "由于", "导致", "加强")
_SENTENCE_END = ("。", "！", "；")


@dataclass
class Widths:
    """Column widths (display units) learnt from one document's flowing tables."""

    name: int = 20
    deviation: int = 16

    def full(self, text: str, column: str) -> bool:
        """True when ``text`` filled its column's line, so the cell wraps onto the next one."""
        limit = self.name if column == "name" else self.deviation if column == "deviation" else self.name
        return width(text) >= limit - 3


@dataclass
class Frag:
    """A piece of cell text on its own (part of a) line."""

    text: str
    line: int
    right: bool = False  # printed to the right of another fragment on the same line


@dataclass
class Label:
    """A level label (possibly assembled from pieces broken over lines)."""

    text: str
    line: int


@dataclass
class Tail:
    """A value line: the cells before 分值, then 分值 and 得分, then the start of a deviation note."""

    line: int
    before: list[str]
    weight: Decimal | None
    score: Decimal | None
    deviation: str


Item = Frag | Label | Tail


def _is_header_row(row: Row) -> bool:
    tokens = [squeeze(t) for t in row.cells]
    return bool(tokens) and all(t in HEADER_PIECES for t in tokens)


def _find_tail(tokens: list[str]) -> int | None:
    """Index of 分值 in a value line: two numbers followed only by words."""
    for j in range(len(tokens) - 2, -1, -1):
        if is_number(tokens[j]) and is_number(tokens[j + 1]) and not any(is_number(t) for t in tokens[j + 2 :]):
            w, s = number(tokens[j]), number(tokens[j + 1])
            if w is not None and s is not None and 0 < w <= 100 and 0 <= s <= w * 2:
                return j
            return None
    return None


def _label_token(token: str) -> str | None:
    """A token that is a level label, or a unique two-character start of one (``时效``)."""
    if level_of(token) is not None:
        return token
    s = squeeze(token)
    if 2 <= len(s) <= 3:
        hits = [lab for lab in (*LEVEL2, *LEVEL1) if lab.startswith(s) and lab != s]
        if len(hits) == 1 and s + "指标" == hits[0]:
            return hits[0]
    return None


def scan(rows: list[Row], used: Used) -> list[Item]:
    """Turn table rows into labels, fragments and value lines."""
    items: list[Item] = []
    filled = [r for r in rows if not r.blank]
    i = 0
    while i < len(filled):
        row = filled[i]
        if _is_header_row(row) and not _assembles_label(filled, i):
            used.row(row)
            i += 1
            continue
        assembled = _assembles_label(filled, i)
        if assembled is not None:
            text, n = assembled
            items.append(Label(text, row.number))
            for r in filled[i : i + n]:
                used.row(r)
            i += n
            continue
        if is_boilerplate(row):
            used.row(row)
            i += 1
            continue
        tokens = list(row.cells)
        while tokens:
            lab = _label_token(tokens[0])
            if lab is None or (len(tokens) == 1 and level_of(tokens[0]) is None):
                break
            items.append(Label(lab, row.number))
            tokens.pop(0)
        j = _find_tail(tokens)
        if j is not None:
            items.append(
                Tail(row.number, tokens[:j], number(tokens[j]), number(tokens[j + 1]), " ".join(tokens[j + 2 :]))
            )
        else:
            for n, token in enumerate(tokens):
                items.append(Frag(token, row.number, right=n > 0))
        used.row(row)
        i += 1
    return items


def _assembles_label(rows: list[Row], i: int) -> tuple[str, int] | None:
    """A label broken one or two characters per line (``可持/续影/响指/标``): its text and line count."""
    text = ""
    best: tuple[str, int] | None = None
    for n in range(i, min(i + 6, len(rows))):
        if len(rows[n].cells) != 1:
            break
        piece = squeeze(rows[n].cells[0])
        if len(piece) > 3:
            break
        text += piece
        if not is_label_prefix(text):
            break
        if level_of(text) is not None:
            best = (text, n - i + 1)
    if best is not None and best[1] == 1 and level_of(best[0]) is None:
        return None
    return best


def measure(rows: list[Row]) -> Widths:
    """Learn the name and deviation column widths from every table of a document."""
    items = scan(rows, Used())
    frag_widths = sorted(width(i.text) for i in items if isinstance(i, Frag) and not i.right)
    # a name printed whole on its value line shows how wide the name column is at least
    whole_names = [width("".join(i.before[:-2])) for i in items if isinstance(i, Tail) and len(i.before) >= 3]
    dev_widths = [width(i.deviation.replace(" ", "")) for i in items if isinstance(i, Tail) and i.deviation]
    widths = Widths()
    wrapped = 0
    if frag_widths:
        # the widest name lines; a stray long line must not set the width alone
        widths.name = frag_widths[max(0, int(len(frag_widths) * 0.97) - 1)]
        wrapped = sum(1 for w in frag_widths if w >= widths.name - 2)
    if whole_names and wrapped < 5:
        # few wrapped lines to learn from: a name printed whole shows the width too
        widths.name = max(widths.name, max(whole_names))
    if dev_widths:
        widths.deviation = max(dev_widths)
    else:
        widths.deviation = int(widths.name * 0.8)
    return widths


@dataclass
class _Open:
    """The row most recently closed by a value line, still able to take continuations."""

    draft: Draft
    name_open: bool = False  # its name's last line was full: a short piece may follow
    deviation_open: bool = False  # its deviation's last line was full
    wants_deviation: bool = False


@dataclass
class FlowReader:
    """Reads one flowing indicator table."""

    kind: Kind
    widths: Widths
    problems: Problems
    tracker: LevelTracker = field(default_factory=LevelTracker)
    drafts: list[Draft] = field(default_factory=list)
    pending: list[Frag] = field(default_factory=list)
    open: _Open | None = None

    # -- pieces of the decision ---------------------------------------------

    def _continues_previous(self, frag: Frag) -> bool:
        if self.open is None or frag.right:
            return False
        d = self.open.draft
        for value in (d.actual, d.target):
            if value and fold(value).count("(") > fold(value).count(")") and ")" in fold(frag.text):
                return True
        return (
            self.open.name_open
            and width(frag.text) <= 8
            and not _VALUE_START.match(frag.text)
            and not frag.text.endswith(_SENTENCE_END)
        )

    def _attach_continuation(self, frag: Frag) -> None:
        assert self.open is not None
        d = self.open.draft
        for attr in ("actual", "target"):
            value = getattr(d, attr)
            if value and fold(value).count("(") > fold(value).count(")"):
                setattr(d, attr, value + cell_text(frag.text))
                d.lines.append(frag.line)
                return
        d.name += cell_text(frag.text)
        d.lines.append(frag.line)
        self.open.name_open = False

    def _deviation_cost(self, frags: list[Frag]) -> float:
        """How unlikely it is that ``frags`` are the previous row's deviation note."""
        if not frags:
            return 2.0 if self.open is not None and self.open.wants_deviation else 0.0
        if self.open is None:
            return 100.0
        cost = 0.0
        text = "".join(f.text for f in frags)
        looks = any(w in text for w in _DEVIATION_WORDS) or any(p in text for p in "，。；")
        if not (self.open.wants_deviation or self.open.deviation_open):
            cost += 1.0 if looks else 3.0
        existing = self.open.draft.deviation or ""
        if existing.endswith(_SENTENCE_END) and not self.open.deviation_open:
            cost += 3.0
        for f in frags[:-1]:
            if f.text.endswith(_SENTENCE_END) or not self.widths.full(f.text, "deviation"):
                cost += 2.0
        if self.widths.full(frags[-1].text, "deviation") and not frags[-1].text.endswith(_SENTENCE_END):
            cost += 0.5
        return cost

    def _name_cost(self, frags: list[Frag]) -> float:
        if not frags:
            return 10.0
        cost = 0.0
        for f in frags[:-1]:
            if not self.widths.full(f.text, "name"):
                cost += 2.0
        if any(f.text.endswith(_SENTENCE_END) for f in frags):
            cost += 1.5
        return cost

    def _split_name_values(self, frags: list[Frag], need: int) -> tuple[list[Frag], list[list[Frag]]]:
        """Split fragments into the name and ``need`` value cells (target, actual)."""
        if need == 0 or len(frags) <= 1:
            return frags, [[] for _ in range(need)]
        # The name runs while its lines are full; a value starts with a sign, digit or tier.
        start = 1
        while start < len(frags) and self.widths.full(frags[start - 1].text, "name"):
            if _VALUE_START.match(frags[start].text):
                break
            start += 1
        for k in range(1, len(frags)):
            if _VALUE_START.match(frags[k].text) and k < start:
                start = k
                break
        start = min(start, len(frags) - need) if len(frags) - need >= 1 else 1
        name, rest = frags[:start], frags[start:]
        if need == 1:
            return name, [rest]
        # two cells (target, actual): the actual starts at the next fragment that starts like a value
        cut = None
        for k in range(1, len(rest)):
            if _VALUE_START.match(rest[k].text) and not _continues(rest[k - 1].text):
                cut = k
                break
        if cut is None:
            cut = max(1, len(rest) // 2)
        return name, [rest[:cut], rest[cut:]]

    def _name_alone(self, token: str, frags: list[Frag]) -> bool:
        """A value line with one word before 分值: is it the name (its values printed elsewhere)?

        It is, when the word does not look like a value (no sign, digit or
        tier, and longer than a short phrase such as 达成指标 or 合格) and the
        fragments before it read as the previous row's deviation note.
        """
        if _VALUE_START.match(token) or width(token) <= 12:
            return False
        return self._deviation_cost(frags) < 2.0

    # -- events ---------------------------------------------------------------

    def label(self, label: Label) -> None:
        """A level label: in force from here (and for the row being read)."""
        apply_labels([label.text], self.tracker, self.drafts, has_content=True)

    def tail(self, tail: Tail) -> None:
        """A value line closes a row: resolve the fragments collected since the last one."""
        frags = [f for f in self.pending if not f.right]
        right = [f for f in self.pending if f.right]
        self.pending = []
        while frags and self._continues_previous(frags[0]):
            self._attach_continuation(frags.pop(0))
        before = tail.before
        k = len(before)
        name_part: list[str] = []
        target = actual = None
        if k >= 3:
            name_part, target, actual = before[:-2], before[-2], before[-1]
            need = 0
        elif k == 2:
            target, actual = before
            need = 0
        elif k == 1 and frags and not self._name_alone(before[0], frags):
            actual = before[0]
            need = 1
        elif k == 1:
            name_part = before
            need = 0
        else:
            need = 2
        # Where does the previous row's deviation end and this row's name begin?
        best: tuple[float, int] | None = None
        for d in range(0, len(frags) + 1):
            rest = frags[d:]
            name_frags = rest if need == 0 else rest[: max(1, len(rest) - need)]
            cost = self._deviation_cost(frags[:d])
            if not name_part:
                cost += self._name_cost(name_frags)
            elif rest and need == 0:
                cost += 0.5  # fragments before a complete name: an unusual layout
            if need and len(rest) < need + (0 if name_part else 1):
                cost += 5.0
            if best is None or cost < best[0]:
                best = (cost, d)
        d = best[1] if best else 0
        if d and self.open is not None:
            self._add_deviation(self.open, frags[:d])
        rest = frags[d:]
        name_frags, value_cells = self._split_name_values(rest, need)
        if right and need:
            # a piece printed to the right of the name, with no target on the value line, is the target
            value_cells = [right + value_cells[0], *value_cells[1:]] if value_cells else [right]
            right = []
        name = cell_text("".join(f.text for f in name_frags) + "".join(name_part))
        if need == 2:
            target = cell_text("".join(f.text for f in value_cells[0])) or None
            actual = cell_text("".join(f.text for f in value_cells[1])) or None
        elif need == 1:
            target = cell_text("".join(f.text for f in value_cells[0])) or None
        level1, level2 = self.tracker.current()
        draft = Draft(level1, level2, strip_prefix(name), lines=[tail.line])
        draft.lines = [f.line for f in name_frags] + [tail.line]
        draft.target = cell_text(target) if target else None
        draft.actual = cell_text(actual) if actual else None
        draft.weight, draft.score = tail.weight, tail.score
        pre = "".join(f.text for f in right)
        deviation = cell_text(pre + tail.deviation)
        draft.deviation = deviation or None
        self.tracker.group.append(len(self.drafts))
        self.drafts.append(draft)
        last_name_line = name_frags[-1].text if name_frags and not name_part else ""
        wants = draft.score is not None and draft.weight is not None and draft.score < draft.weight
        self.open = _Open(
            draft,
            name_open=bool(last_name_line) and self.widths.full(last_name_line, "name"),
            deviation_open=bool(tail.deviation)
            and self.widths.full(tail.deviation.split()[-1], "deviation")
            and not tail.deviation.endswith(_SENTENCE_END),
            wants_deviation=wants and not deviation,
        )

    def _add_deviation(self, target: _Open, frags: list[Frag]) -> None:
        text = cell_text("".join(f.text for f in frags))
        target.draft.deviation = (target.draft.deviation or "") + text
        target.draft.lines.extend(f.line for f in frags)
        last = frags[-1].text
        target.deviation_open = self.widths.full(last, "deviation") and not last.endswith(_SENTENCE_END)
        target.wants_deviation = False

    def finish(self) -> list[Frag]:
        """End of the table: what is pending goes to the last row's deviation, or is returned."""
        frags = self.pending
        self.pending = []
        while frags and self._continues_previous(frags[0]):
            self._attach_continuation(frags.pop(0))
        if frags and self.open is not None and self._deviation_cost(frags) < 2.0:
            self._add_deviation(self.open, frags)
            return []
        return frags


def _continues(text: str) -> bool:
    # an unclosed bracket: the cell goes on on the next line
    return fold(text).count("(") > fold(text).count(")")


def read_table(
    rows: list[Row], after: list[Row], kind: Kind, problems: Problems, used: Used, widths: Widths | None = None
) -> tuple[list[Draft], list[Row]]:
    """Indicator rows of a flowing table; rows after it that fill a row's missing values are used."""
    reader = FlowReader(kind, widths or measure(rows), problems)
    for item in scan(rows, used):
        if isinstance(item, Label):
            reader.label(item)
        elif isinstance(item, Tail):
            reader.tail(item)
        else:
            reader.pending.append(item)
    left = reader.finish()
    for frag in left:
        problems.warn(frag.line, "表格中的文字未能归入任何指标", frag.text)
    leftovers = _fill_displaced(reader, after, used)
    return reader.drafts, leftovers


def _fill_displaced(reader: FlowReader, after: list[Row], used: Used) -> list[Row]:
    """Text printed after the 总分 line that is the target and actual of a row left without them."""
    empty = [d for d in reader.drafts if d.target is None and d.actual is None]
    texts = [r for r in after if not r.blank and not is_boilerplate(r) and len(r.cells) == 1]
    if len(empty) != 1 or len(texts) < 2:
        return after
    frags = [Frag(r.text.strip(), r.number) for r in texts]
    # two cells of one column width: the first ends at its first line that is not full
    top = max(width(f.text) for f in frags)
    cut = 1
    while cut < len(frags) - 1 and width(frags[cut - 1].text) >= top - 3:
        cut += 1
    draft = empty[0]
    draft.target = cell_text("".join(f.text for f in frags[:cut]))
    draft.actual = cell_text("".join(f.text for f in frags[cut:]))
    reader.problems.note(
        texts[0].number, f"指标「{draft.name}」的指标值和实际完成值印在总分之后，已归回该指标", draft.target
    )
    for r in texts:
        used.row(r)
    return [r for r in after if r not in texts]
