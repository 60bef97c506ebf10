"""The forms in a cell stream: where each begins, its kind and year, and its blocks read in order.

A form begins at its 项目名称 (or, on a form that names no project, at its
department or unit, or at its table), together with the lines printed above
that label (title, year, 单位：万元, a unit's name). From there the reader
walks the cells and lets each label open its block: identity labels take
their values, the money block its columns and rows, the goal block its
texts, a table heading its indicator rows (:mod:`grid`), 总分 the total.
A grid that lists several projects (项目名称 as a table column) gives one
project per row that names one. Whatever is left is reported by line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from jixiao.core.model import Kind
from jixiao.documents.markup import join_cell
from jixiao.documents.reading import grammar
from jixiao.documents.reading.blocks import (
    ProjectDraft,
    is_fund_management,
    is_label,
    money_unit_of,
    read_fund_management,
    read_funds,
    read_goals,
    read_grade,
    read_identity,
    read_total,
)
from jixiao.documents.reading.cellstream import Cell, Stream
from jixiao.documents.reading.columns import TableModel, heading_at, standard_model
from jixiao.documents.reading.fusedrows import has_glued_value, split_cell
from jixiao.documents.reading.grid import GridRow, read_grid
from jixiao.documents.reading.lexicon import (
    FIELD,
    FUND_BLOCK,
    FUND_COLUMN,
    FUND_ROW,
    GOAL_BLOCK,
    GOAL_COLUMN,
    GRADE,
    LEVEL1,
    LEVEL2,
    NOTE,
    OTHER,
    SIGNATURE,
    TABLE_FRAME,
    TOTAL,
    label_of,
    lexicon,
    title_kind,
)
from jixiao.documents.reading.normal import norm
from jixiao.documents.reading.prose import is_prose_list, read_prose
from jixiao.documents.reading.provenance import READ, FieldSource
from jixiao.documents.reading.tree import drafts_of, source_of

_YEAR_ONLY = re.compile(r"^\(?(20\d{2})\)?年度?\)?$|^\((20\d{2})\)$")
_YEAR_IN = re.compile(r"(20\d{2})年度|\((20\d{2})年?度?\)")
_HEAD_WORDS = re.compile(r"^(?:附表|附件|表)\d*[-.、]?\d*$")
_NOTE_START = re.compile(r"^(?:注|备注|说明|填报说明)\d*[:.、]")
_SELF_UNIT = ("本单位", "本部门", "同上")
_SECTION = re.compile(r"^(?:[一二三四五六七八九十]+、|[(][一二三四五六七八九十]+[)]|\d+[.、](?!\d))")
_TOTAL_FUSED = re.compile(r"^(?:总分|合计|总计|自评总分)\d[\d.]*$")


@dataclass
class Reading:
    """What the stream reader found: projects, kind, year, and what it could not place."""

    kind: Kind | None
    year: int | None
    projects: list[ProjectDraft]
    unplaced: list[Cell] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str, str]] = field(default_factory=list)
    preamble: list[Cell] = field(default_factory=list)
    stream_cells: Sequence[Cell] = ()


def _headings(cells: Sequence[Cell]) -> dict[int, TableModel]:
    out: dict[int, TableModel] = {}
    i = 0
    while i < len(cells):
        model = heading_at(cells, i)
        if model is None:
            i += 1
            continue
        out[i] = model
        i = model.end
    return out


def _is_year_cell(norm: str) -> int | None:
    m = _YEAR_ONLY.match(norm)
    if m is None:
        return None
    return int(m.group(1) or m.group(2))


_VALUE_BEFORE_TITLE = re.compile(r"[≥≤=<>%]\d|\d%|\d.*绩效")
_ORG_LINE = re.compile(r"^\[?\d{3,}\]?\S{2,}(?:局|院|中心|政府|委员会|部门|学校|馆|所)$")


def _is_head(cell: Cell) -> bool:
    """A cell printed above a form's first label: title, year, money unit, sheet number, filing unit."""
    norm = cell.norm
    if title_kind(norm) is not None and not (cell.fused and _VALUE_BEFORE_TITLE.search(norm)):
        return True  # (a fused run whose figures precede the title ends the form above with a row)
    if _is_year_cell(norm) is not None or _HEAD_WORDS.match(norm):
        return True
    if money_unit_of(norm) is not None and norm.startswith(("单位", "金额单位", "(单位")):
        return True
    found = label_of(norm, FIELD)
    if found is not None and found.key == "filing_unit":
        return True
    # a unit's code and name on its own (207101天津市河北区人民法院)
    return bool(_ORG_LINE.match(norm))


def _starts(cells: Sequence[Cell], inside: set[int]) -> list[int]:
    starts = [
        i
        for i, c in enumerate(cells)
        if i not in inside and (found := label_of(c.norm, FIELD)) is not None and found.key == "name"
    ]
    if starts:
        return starts
    for key in ("organisation", "filing_unit", "department"):
        found_at = [
            i
            for i, c in enumerate(cells)
            if i not in inside and (lb := label_of(c.norm, FIELD)) is not None and lb.key == key
        ]
        if found_at:
            # the label again under a form title (a department-wide collection, one form a department) starts a
            # new form; elsewhere it repeats the first form's own (a footer, a signature block)
            return found_at[:1] + [i for i in found_at[1:] if _under_title(cells, i)]
    return []


def _under_title(cells: Sequence[Cell], i: int) -> bool:
    """True when a form title is printed within the three cells above ``cells[i]``."""
    return any(title_kind(c.norm) is not None for c in cells[max(0, i - 3) : i])


def _extend_head(cells: Sequence[Cell], start: int, floor: int) -> int:
    """The first cell of a form whose first label is at ``start``: its title, year and head fields above it."""
    i = start
    while i - 1 >= floor and start - (i - 1) <= 10:
        prev = cells[i - 1]
        if _is_head(prev) or label_of(prev.norm, FIELD, OTHER) is not None:
            i -= 1
            continue
        if i - 2 >= floor and label_of(cells[i - 2].norm, FIELD, OTHER) is not None and not is_label(prev):
            i -= 2  # a head field and its value (单位名称: …, 填报日期: …)
            continue
        break
    return i


def _table_stop(cell: Cell, cells: Sequence[Cell], j: int) -> bool:
    """True where an indicator table ends: a new form or table, 总分, footnotes, signatures, page frame."""
    norm = cell.norm
    if heading_at(cells, j) is not None:
        return True
    found = label_of(norm, FIELD, TOTAL, GRADE, SIGNATURE, FUND_BLOCK, FUND_ROW, GOAL_BLOCK, GOAL_COLUMN)
    if found is not None and not (found.kind == FIELD and found.key not in ("name", "organisation")):
        return True
    if _NOTE_START.match(norm) or (label_of(norm, NOTE) is not None and len(norm) <= 4):
        return True
    if _TOTAL_FUSED.match(norm):
        return True  # 合计100: the total row with its figure run on
    if _SECTION.match(norm) and len(norm) >= 15 and any(p in norm for p in ",，。?？"):
        return True  # a numbered paragraph of a report's narrative (3.分析评价…,…): the table is over
    if (
        "盖章" in norm
        or norm.endswith("意见")
        or norm in lexicon().navigation
        or norm.rstrip(":") in lexicon().navigation
    ):
        return True
    # a fused run may end with the next form's title: it is cut there once its rows are split, not here
    return not cell.fused and len(norm) >= 8 and title_kind(norm) is not None and label_of(norm, LEVEL1, LEVEL2) is None


def _row_layout(cells: Sequence[Cell]) -> bool:
    lines: dict[int, int] = {}
    for c in cells:
        if not c.fused:
            lines[c.line] = lines.get(c.line, 0) + 1
    if not lines:
        return False
    return sum(n >= 3 for n in lines.values()) > 0.5 * len(lines)


@dataclass
class _Walker:
    cells: Sequence[Cell]
    headings: dict[int, TableModel]
    kind: Kind
    pinyin_mode: bool
    reading: Reading

    # Complexity over 15, kept: the cursor loop over one form's cells, dispatching each block to its reader: the
    # branches are the block kinds, the loop state is shared.
    def region(self, start: int, end: int) -> list[ProjectDraft]:  # noqa: C901
        """Read the cells of one form; a grid of several projects gives several."""
        cells = self.cells
        proj = ProjectDraft(first_line=cells[start].line)
        projects = [proj]
        i = start
        while i < end:
            cell = cells[i]
            if i in self.headings:
                i = self.table(i, end, proj, projects)
                continue
            if label_of(cell.norm, LEVEL1, LEVEL2) is not None and not proj.drafts and self.opens_rows(i, end):
                # indicator rows with no heading above them (an excerpt that begins mid-table)
                self.headings[i] = standard_model(self.kind.value, i)
                self.reading.notes.append((cell.line, "此处的指标行上方没有表头，按模板的标准列读取"))
                i = self.table(i, end, proj, projects)
                continue
            found = label_of(cell.norm, FIELD, OTHER)
            if is_fund_management(cell):
                i = read_fund_management(cells, i, proj)
                continue
            if label_of(cell.norm, FUND_BLOCK, FUND_COLUMN, FUND_ROW) is not None and not (
                found is not None and found.kind == FIELD
            ):
                i, left = read_funds(cells[:end], i, proj, self.kind)
                self.reading.unplaced.extend(left)
                continue
            if found is not None:
                i = read_identity(cells[:end], i, proj)
                continue
            if label_of(cell.norm, GOAL_BLOCK, GOAL_COLUMN) is not None:
                i, left = read_goals(cells[:end], i, proj, self.kind)
                self.reading.unplaced.extend(left)
                continue
            if label_of(cell.norm, TOTAL) is not None:
                i = read_total(cells[:end], i, proj)
                continue
            if _TOTAL_FUSED.match(cell.norm) and proj.total is None:
                proj.total = grammar.number(cell.norm.lstrip("总分合计自评"))
                proj.sources["total_score"] = source_of([cell])
                i += 1
                continue
            if label_of(cell.norm, GRADE) is not None:
                i = read_grade(cells[:end], i, proj)
                continue
            if _NOTE_START.match(cell.norm) or label_of(cell.norm, NOTE, SIGNATURE) is not None:
                i = self.skip_notes(i, end)
                continue
            if _ORG_LINE.match(cell.norm) and i < start + 8:
                proj.put("filing_unit", join_cell(cell.text), source_of([cell]))  # the unit the form is filed by
                i += 1
                continue
            unit = money_unit_of(cell.norm)
            if unit is not None and proj.money_unit is None and not grammar.is_number(cell.norm):
                proj.money_unit = unit
                proj.sources.setdefault("money_unit", source_of([cell]))
            elif not self.placed_frame(cell):
                self.reading.unplaced.append(cell)
            i += 1
        for p in projects:
            p.last_line = cells[end - 1].line if end > start else p.first_line
        return projects

    def opens_rows(self, i: int, end: int) -> bool:
        """True when level labels at ``i`` are followed by a row's text and a value: indicator rows begin."""
        window = [c for c in self.cells[i : min(end, i + 6)] if label_of(c.norm, LEVEL1, LEVEL2) is None]
        return len(window) >= 2 and any(grammar.value_likeness(c.norm) >= 0.9 for c in window[1:])

    def placed_frame(self, cell: Cell) -> bool:
        """Cells of the form's frame, placed without a value: titles, years, vertical labels, frames."""
        norm = cell.norm
        if title_kind(norm) is not None or _is_year_cell(norm) is not None or _HEAD_WORDS.match(norm):
            return True
        if label_of(norm, TABLE_FRAME, LEVEL1, LEVEL2) is not None or grammar.is_filler(norm):
            return True
        # a block label cut to its first characters (总 for 总体目标, 绩 for 绩效指标)
        return len(norm) <= 2 and any(w.startswith(norm) for w in ("总体目标", "绩效指标", "年度总体目标", "项目资金"))

    def skip_notes(self, i: int, end: int) -> int:
        """Footnotes and signatures run to the next form: placed, not read."""
        j = i
        while j < end and j not in self.headings:
            found = label_of(self.cells[j].norm, FIELD)
            if found is not None and found.key == "name":
                break
            j += 1
        return j

    def table(self, h: int, end: int, proj: ProjectDraft, projects: list[ProjectDraft]) -> int:
        model = self.headings[h]
        j = model.end
        while j < end and not _table_stop(self.cells[j], self.cells, j):
            j += 1
        body: list[Cell] = []
        for cell in self.cells[model.end : j]:
            glued = cell.fused or has_glued_value(cell)
            body.extend(split_cell(cell, model, self.pinyin_mode) if glued else [cell])
        # a run-together text can glue the next form's title to the last row: the table ends there
        for k, cell in enumerate(body):
            if cell.fused and len(cell.norm) >= 8 and title_kind(cell.norm) is not None:
                self.reading.unplaced.extend(body[k:])
                body = body[:k]
                break
        grid = read_grid(body, model, _row_layout(body))
        self.reading.unplaced.extend(c for c in grid.unplaced if not grammar.is_filler(c.norm))
        if j == len(self.cells) and body:
            self.cut_at_end(grid.rows, model, body[-1], grid.unplaced)
        if model.has("proj_name"):
            self.grid_projects(grid.rows, model, proj, projects)
        else:
            drafts, leftovers, tree = drafts_of(grid.rows, model, self.pinyin_mode)
            proj.drafts.extend(drafts)
            proj.notes.extend(tree.notes)
            self.reading.unplaced.extend(leftovers)
        return j

    def cut_at_end(self, rows: list[GridRow], model: TableModel, last: Cell, unplaced: list[Cell]) -> None:
        """The text ends inside the table: say where, when its last row lacks what the rows above it print."""
        if not rows:
            return
        filled = [{model.columns[k].role for k in row.cells} for row in rows]
        usual = {r for r in ("target", "actual", "weight", "score") if sum(r in f for f in filled) * 2 > len(filled)}
        missing = usual - filled[-1]
        if missing or (unplaced and unplaced[-1] is last):
            text = " ".join(c.text for cs in rows[-1].cells.values() for c in cs)
            self.reading.warnings.append((last.line, "摘录在此截断：表格的最后一行只读到部分内容", text))

    # Complexity over 15, kept: a row opens a project, names a department total or continues the current one; the
    # three are decided on the same row with shared state.
    def grid_projects(  # noqa: C901
        self, rows: list[GridRow], model: TableModel, form: ProjectDraft, projects: list[ProjectDraft]
    ) -> None:
        """A grid of several projects: a row naming a project opens it; a row naming only a unit and an amount
        is that unit's total and names the department of the projects below."""
        chunks: list[tuple[ProjectDraft, list[GridRow]]] = []
        department: tuple[str, FieldSource] | None = None
        unit: tuple[str, FieldSource] | None = None
        for row in rows:
            own = {
                model.columns[k].role: cs for k, cs in row.cells.items() if model.columns[k].role.startswith("proj_")
            }
            rest = {k: cs for k, cs in row.cells.items() if not model.columns[k].role.startswith("proj_")}
            if "proj_unit" in own:
                unit = (join_cell(own["proj_unit"][0].text), source_of(own["proj_unit"]))
            if "proj_name" not in own and "proj_unit" in own and "proj_budget" in own and not rest:
                department = unit
                continue
            if "proj_name" in own:
                p = ProjectDraft(first_line=own["proj_name"][0].line)
                p.money_unit = form.money_unit
                p.sources.update({k: v for k, v in form.sources.items() if k == "money_unit"})
                p.put("name", join_cell(own["proj_name"][0].text), source_of(own["proj_name"]))
                if unit is not None:
                    p.put("unit", unit[0], unit[1])
                if department is not None:
                    p.put("department", department[0], department[1])
                for key in ("department", "unit"):
                    if key in form.fields:
                        p.put(key, form.fields[key], form.sources[key])
                if "proj_budget" in own:
                    figure = grammar.money(own["proj_budget"][0].norm)
                    if figure is not None:
                        p.funds["total"] = {"requested": figure[0]}
                        p.sources["funds.total.requested"] = source_of(own["proj_budget"])
                if "proj_goal" in own:
                    p.goals["goal"] = join_cell(" ".join(c.text for c in own["proj_goal"]))
                    p.sources["goal"] = source_of(own["proj_goal"])
                if "proj_category" in own:
                    p.put("category", join_cell(own["proj_category"][0].text), source_of(own["proj_category"]))
                chunks.append((p, []))
            if chunks:
                chunks[-1][1].append(GridRow(rest))
            else:
                self.reading.unplaced.extend(c for cs in row.cells.values() for c in cs)
        if not chunks:
            return
        projects.remove(form)
        for p, chunk in chunks:
            drafts, leftovers, tree = drafts_of(chunk, model, self.pinyin_mode)
            p.drafts.extend(drafts)
            p.notes.extend(tree.notes)
            self.reading.unplaced.extend(leftovers)
            projects.append(p)


def _kind_and_year(
    cells: Sequence[Cell], first: int, headings: dict[int, TableModel]
) -> tuple[Kind | None, int | None]:
    """The kind and year of the forms: from the title and year printed nearest above the first form."""
    kind: Kind | None = None
    year: int | None = None
    titles = [(i, k) for i, c in enumerate(cells) if (k := title_kind(c.norm)) is not None]
    before = [t for t in titles if t[0] <= first + 3] or titles
    if before:
        kind = Kind(before[-1][1])
    for i in range(min(first + 4, len(cells)) - 1, -1, -1):
        y = _is_year_cell(cells[i].norm)
        if y is None and any(t[0] == i for t in titles):
            m = _YEAR_IN.search(cells[i].norm) or re.search(r"(20\d{2})年", cells[i].norm)
            y = int(next(g for g in m.groups() if g)) if m else None
        if y is not None:
            year = y
            break
    roles = {r for model in headings.values() for r in model.roles}
    if kind is None:
        text = "".join(c.norm for c in cells[first : first + 200])
        if "中央主管部门" in text or "转移支付" in text:
            kind = Kind.TRANSFER_SELF_EVALUATION
        elif roles & {"actual", "score"}:
            kind = Kind.SELF_EVALUATION
        elif roles:
            kind = Kind.TARGET_DECLARATION
    elif kind is Kind.TARGET_DECLARATION and roles & {"actual", "score"}:
        kind = Kind.SELF_EVALUATION  # a page titled 目标表 whose form is a 自评表: the form decides
    return kind, year


def read_forms(stream: Stream) -> Reading:
    """Every form in the stream (see the module docstring)."""
    reading = _read_forms(stream)
    reading.stream_cells = stream.cells
    return reading


def _read_forms(stream: Stream) -> Reading:
    cells = stream.cells
    headings = _headings(cells)
    inside = {i for h, m in headings.items() for i in range(h, m.end)}
    starts = _starts(cells, inside)
    if headings and (not starts or min(headings) < starts[0]):
        # a table before any 项目名称: an excerpt that begins with the form's table, its identity cut off
        starts = [min(headings), *starts]
    if not starts:
        prose = _prose_reading(stream)
        if prose.projects:
            return prose
        # no label and no heading: a fragment that begins with the indicator rows themselves
        levels = [i for i, c in enumerate(cells) if label_of(c.norm, LEVEL1, LEVEL2) is not None]
        if not levels:
            return prose
        starts = [levels[0]]
    regions: list[tuple[int, int]] = []
    floor = 0
    heads = []
    for s in starts:
        heads.append(_extend_head(cells, s, floor))
        floor = s + 1
    for n, head in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(cells)
        regions.append((head, end))
    kind, year = _kind_and_year(cells, starts[0], headings)
    reading = Reading(kind, year, [], preamble=list(cells[: regions[0][0]]))
    walker = _Walker(cells, headings, kind or Kind.SELF_EVALUATION, stream.pinyin_mode, reading)
    for start, end in regions:
        reading.projects.extend(walker.region(start, end))
    for proj in reading.projects:
        _settle_identity(proj, kind)
        reading.unplaced.extend(proj.unplaced)
    return reading


_NOTICE_SUBJECT = re.compile(r"关于(.{4,60}?项目)(?:绩效目标|的|$)")
_DATE_LINE = re.compile(r"^20\d{2}年\d{1,2}月\d{1,2}日$")


def _prose_reading(stream: Stream) -> Reading:
    """A notice that restates its indicators in sentences (no table): the list, the project it names, its signer."""
    cells = stream.cells
    start = is_prose_list(cells)
    if start is None:
        return Reading(None, None, [])
    kind, year = _kind_and_year(cells, start, {})
    if kind not in (None, Kind.TARGET_DECLARATION):
        # a report's narrative names targets and results in sentences: that is no list to read
        return Reading(None, None, [])
    proj = ProjectDraft(first_line=cells[start].line)
    proj.drafts, end = read_prose(cells, start, stream.pinyin_mode)
    if not proj.drafts:
        return Reading(None, None, [])
    for cell in cells[:start]:
        m = _NOTICE_SUBJECT.search(cell.norm)
        if m is not None and "name" not in proj.fields:
            # the project a notice is about (关于X项目绩效目标…); the text may print it in full (同心县X项目)
            name = m.group(1)
            printed_in_full = (re.findall(rf"实施(\S{{0,12}}{re.escape(name)})", c.norm) for c in cells[:start])
            fuller = next((f for found in printed_in_full for f in found), name)
            proj.put("name", fuller, FieldSource(cell.line, cell.column, READ))
    for k in range(end, len(cells) - 1):
        # the body that signs the notice: its name on a line, the date on the next
        if _DATE_LINE.match(cells[k + 1].norm) and re.search(r"(?:政府|局|委员会|中心|办公室)$", cells[k].norm):
            proj.put("unit", join_cell(cells[k].text), source_of([cells[k]]))
            break
    reading = Reading(kind or Kind.TARGET_DECLARATION, year, [proj], preamble=list(cells[:start]))
    proj.last_line = cells[end - 1].line
    reading.unplaced.extend(c for c in cells[end:] if not _is_head(c) and not _DATE_LINE.match(c.norm))
    return reading


def _settle_identity(proj: ProjectDraft, kind: Kind | None) -> None:
    """Who the form is about: a department form's department, a unit printed as 本单位, a regional form's unit."""
    fields = proj.fields
    org = fields.get("organisation")
    filing = fields.get("filing_unit")
    if kind is Kind.DEPARTMENT_SELF_EVALUATION or ("name" not in fields and org is not None):
        if "department" not in fields and (org or filing):
            key = "organisation" if org else "filing_unit"
            proj.put("department", org or filing or "", proj.sources[key])
        return
    unit = fields.get("unit")
    if (unit is None or norm(unit) in _SELF_UNIT) and filing is not None:
        fields.pop("unit", None)
        proj.put("unit", filing, proj.sources["filing_unit"])
    if "department" not in fields and org is not None:
        proj.put("department", org, proj.sources["organisation"])
