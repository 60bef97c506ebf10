"""The vocabulary of the forms (``lexicon.toml``) and what a printed cell is, by that vocabulary.

:func:`label_of` answers whether a cell is a label and which: an identity
field, a money column or row, a goal heading, a table column, a level of the
indicator tree, a total, a title. Cells are compared in their matching form
(:mod:`~jixiao.documents.reading.normal`) once their decorations are off:
``*年度总体绩效目标``, ``预算数(A)``, ``产出指标(50分)``, ``项目资金(万元)``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

# What a label can be; a reader asks for the kind it expects where it is.
FIELD = "field"
OTHER = "other"
FUND_BLOCK = "fund_block"
FUND_COLUMN = "fund_column"
FUND_ROW = "fund_row"
GOAL_BLOCK = "goal_block"
GOAL_COLUMN = "goal_column"
TABLE_COLUMN = "table_column"
TABLE_FRAME = "table_frame"
LEVEL1 = "level1"
LEVEL2 = "level2"
TOTAL = "total"
GRADE = "grade"
NOTE = "note"
SIGNATURE = "signature"


@dataclass(frozen=True, slots=True)
class Label:
    """A cell read as a label: its kind, what it names, and the notes printed with it."""

    kind: str
    key: str  # the field, column, row or class it names
    text: str  # the label itself (matching form, decorations off)
    weight: str | None = None  # (50分): the points a level or block carries
    money_unit: str | None = None  # (万元)
    period: str | None = None  # (长期) / (年度): paired long-term and annual columns
    rank: int = 0  # several labels for one field: the lowest rank wins


@dataclass(frozen=True)
class Lexicon:
    """``lexicon.toml`` read once."""

    fields: dict[str, str]
    other_fields: frozenset[str]
    fund_blocks: frozenset[str]
    fund_columns: dict[str, str]
    fund_rows: dict[str, str]
    goal_blocks: frozenset[str]
    goal_columns: dict[str, str]
    table_columns: dict[str, str]
    table_frames: frozenset[str]
    level1: dict[str, str]
    level2: dict[str, str]
    level2_short: dict[str, str]
    class_names: dict[str, str]
    totals: tuple[str, ...]
    grades: tuple[str, ...]
    notes: tuple[str, ...]
    signatures: tuple[str, ...]
    titles: tuple[tuple[re.Pattern[str], str], ...]
    comparators: dict[str, str]
    natures: frozenset[str]
    qualitative: tuple[str, ...]
    units: frozenset[str]
    navigation: tuple[str, ...]
    as_of_headings: re.Pattern[str]
    _all: dict[str, list[Label]] = field(default_factory=dict, repr=False)


@cache
def lexicon() -> Lexicon:
    """The vocabulary, loaded from the package data on first use."""
    data = tomllib.loads(resources.files(__package__).joinpath("lexicon.toml").read_text(encoding="utf-8"))
    lex = Lexicon(
        fields=dict(data["fields"]),
        other_fields=frozenset(data["other_fields"]["labels"]),
        fund_blocks=frozenset(data["fund_blocks"]["labels"]),
        fund_columns=dict(data["fund_columns"]),
        fund_rows=dict(data["fund_rows"]),
        goal_blocks=frozenset(data["goal_blocks"]["labels"]),
        goal_columns=dict(data["goal_columns"]),
        table_columns=dict(data["table_columns"]),
        table_frames=frozenset(data["table_frames"]["labels"]),
        level1=dict(data["level1"]),
        level2=dict(data["level2"]),
        level2_short=dict(data["level2_short"]),
        class_names=dict(data["class_names"]),
        totals=tuple(data["totals"]["labels"]),
        grades=tuple(data["grades"]["labels"]),
        notes=tuple(data["notes"]["labels"]),
        signatures=tuple(data["signatures"]["labels"]),
        titles=tuple((re.compile(t["pattern"]), t["kind"]) for t in data["titles"]),
        comparators=dict(data["comparators"]),
        natures=frozenset(data["natures"]["words"]),
        qualitative=tuple(sorted(data["qualitative"]["words"], key=len, reverse=True)),
        units=frozenset(data["units"]["words"]),
        navigation=tuple(data["navigation"]["words"]),
        as_of_headings=re.compile(data["as_of_headings"]["pattern"]),
    )
    _index(lex)
    return lex


# Complexity over 15, kept: builds one index from every section of the lexicon; one branch per section, no logic to
# separate.
def _index(lex: Lexicon) -> None:  # noqa: C901
    """Every label text with what it can be (one text may name a field and a table column)."""

    def add(text: str, kind: str, key: str, rank: int = 0) -> None:
        lex._all.setdefault(text, []).append(Label(kind, key, text, rank=rank))

    for text, spec in lex.fields.items():
        key, _, rank = spec.partition(":")
        add(text, FIELD, key, int(rank or 0))
    for text in lex.other_fields:
        add(text, OTHER, "")
    for text in lex.fund_blocks:
        add(text, FUND_BLOCK, "")
    for text, key in lex.fund_columns.items():
        add(text, FUND_COLUMN, key)
    for text, key in lex.fund_rows.items():
        add(text, FUND_ROW, key)
    for text in lex.goal_blocks:
        add(text, GOAL_BLOCK, "")
    for text, key in lex.goal_columns.items():
        add(text, GOAL_COLUMN, key)
    for text, key in lex.table_columns.items():
        add(text, TABLE_COLUMN, key)
    for text in lex.table_frames:
        add(text, TABLE_FRAME, "")
    for text, key in lex.level1.items():
        add(text, LEVEL1, key)
    for text, key in {**lex.level2, **lex.level2_short}.items():
        add(text, LEVEL2, key)
    for text in lex.totals:
        add(text, TOTAL, "")
    for text in lex.grades:
        add(text, GRADE, "")
    for text in lex.notes:
        add(text, NOTE, "")
    for text in lex.signatures:
        add(text, SIGNATURE, "")


# Decorations: a leading marker, bracketed notes at the end, a trailing colon.
_LEAD = re.compile(r"^[*★※#]+")
_TAIL_NOTE = re.compile(r"\(([^()]{0,16})\)$|(\d+(?:\.\d+)?分?)\)$")
_WEIGHT = re.compile(r"^(\d+(?:\.\d+)?)分?$")
_BARE_WEIGHT = re.compile(r"(\d+(?:\.\d+)?)分?$")
_LEVEL_NUMBER = re.compile(r"^(?:[(]?[一二三四五六七八九十]+[)、.]|\d+[.、])")


@lru_cache(maxsize=16384)
def strip_decorations(text: str) -> tuple[str, tuple[str, ...]]:
    """(the label, its bracketed notes) of a matching-form cell: ``产出指标(50分)`` -> (产出指标, (50分,))."""
    core = _LEAD.sub("", text).rstrip(":")
    notes: list[str] = []
    while True:
        m = _TAIL_NOTE.search(core)
        if m is None or m.start() == 0:
            break
        notes.insert(0, m.group(1) if m.group(1) is not None else m.group(2))
        core = core[: m.start()].rstrip(":")
    return core, tuple(notes)


def _annotate(label: Label, notes: tuple[str, ...]) -> Label:
    weight = money = period = None
    for note in notes:
        n = note.replace(" ", "")
        if n in ("万元", "元"):
            money = n
        elif n in ("长期", "年度"):
            period = n
        elif (m := _WEIGHT.match(n)) is not None or ("分" in n and (m := _BARE_WEIGHT.search(n)) is not None):
            weight = m.group(1)
    if weight is money is period is None:
        return label
    return Label(label.kind, label.key, label.text, weight, money, period, label.rank)


@lru_cache(maxsize=65536)
def labels_of(norm: str) -> tuple[Label, ...]:
    """Every reading of a cell as a label (empty when it is none)."""
    lex = lexicon()
    if not norm or len(norm) > 40:
        return ()
    core, notes = strip_decorations(norm)
    # 截至7月31日执行数 -> 截至监控日执行数: a monitoring form's dated heading
    core = lex.as_of_headings.sub("截至监控日", core, count=1)
    found = lex._all.get(core)
    if found is None and notes and core[-1:].isdigit() and core[:-1] in lex._all:
        core = core[:-1]  # 年度绩效目标2(40分): the second of several blocks
        found = lex._all[core]
    if found is None:
        # a level label with its points fused on: 管理指标30, 产出指标50分
        m = _BARE_WEIGHT.search(core)
        if m is not None and m.start() > 0 and core[: m.start()] in lex.level1:
            return (_annotate(lex._all[core[: m.start()]][0], (m.group(0),)),)
        # an extraction lost a cell's first character: 级预算单位名称 for 一级预算单位名称
        if len(core) >= 5:
            near = [t for t in lex.fields if len(t) == len(core) + 1 and t.endswith(core)]
            if len(near) == 1:
                return tuple(_annotate(lb, notes) for lb in lex._all[near[0]])
        # OCR misreads the last character of a label as a Latin letter: 主管部n for 主管部门
        if len(core) >= 4 and core[-1].isascii() and core[-1].isalpha():
            near = [t for t in lex.fields if len(t) == len(core) and t.startswith(core[:-1])]
            if len(near) == 1:
                return tuple(_annotate(lb, notes) for lb in lex._all[near[0]])
        # vertical labels read by OCR in scrambled order: 出标产指 for 产出指标
        if 4 <= len(core) <= 7:
            scrambled = _anagrams().get("".join(sorted(core)))
            if scrambled is not None:
                return tuple(_annotate(lb, notes) for lb in lex._all[scrambled])
        # numbered headings: (一)产出指标, 1.数量指标
        bare = _LEVEL_NUMBER.sub("", core)
        if bare != core:
            found = [lb for lb in lex._all.get(bare, []) if lb.kind in (LEVEL1, LEVEL2)]
        if not found:
            return ()
    return tuple(_annotate(lb, notes) for lb in found)


@cache
def _anagrams() -> dict[str, str]:
    lex = lexicon()
    return {"".join(sorted(t)): t for t in (*lex.level1, *lex.level2) if len(t) >= 4}


def label_of(norm: str, *kinds: str) -> Label | None:
    """The first reading of a cell as a label of one of ``kinds`` (any kind when none is given)."""
    for lb in labels_of(norm):
        if not kinds or lb.kind in kinds:
            return lb
    return None


def orphan_weight(norm: str) -> str | None:
    """``(50分)`` printed alone where a level-1 label lost its words: the points, else None."""
    m = re.fullmatch(r"\((\d+(?:\.\d+)?)分?\)|(\d+(?:\.\d+)?)分\)?", norm)
    if m is None:
        return None
    return m.group(1) or m.group(2)


@lru_cache(maxsize=4096)
def is_label_start(norm: str) -> bool:
    """True when ``norm`` begins some level label without being one (``生态`` of 生态效益指标)."""
    lex = lexicon()
    return any(lab.startswith(norm) and lab != norm for lab in (*lex.level1, *lex.level2))


def class_name(cls: str) -> str | None:
    """The level-1 label a standard class prints as (``output`` -> 产出指标)."""
    return lexicon().class_names.get(cls)


def title_kind(norm: str) -> str | None:
    """The kind of form a title names (``…绩效自评表`` -> self_evaluation), or None."""
    if len(norm) > 120 or len(norm) < 4:
        return None
    for pattern, kind in lexicon().titles:
        if pattern.search(norm):
            return kind
    return None


@cache
def segment_pattern() -> re.Pattern[str]:
    """The labels that cut a run-together text into cells, with their decorations.

    Whole-cell-only labels (社会效益 without 指标, 说明, 指标) are left out: inside a
    sentence they are words, not labels.
    """
    lex = lexicon()
    words = {
        *lex.fields,
        *lex.other_fields,
        *lex.fund_blocks,
        *lex.fund_columns,
        *lex.fund_rows,
        *lex.goal_blocks,
        *lex.goal_columns,
        *lex.table_columns,
        *lex.level1,
        *lex.level2,
        *lex.totals,
        *lex.grades,
        *lex.signatures,
        "绩效指标",
    }
    words -= {"说明", "备注", "指标", "符号", "目标值", "完成值", "负责人", "项目单位", "合计", "项目效益", "项目产出"}
    # OCR's Latin letter for the last character of an identity label (主管部n)
    fuzzy = [re.escape(w[:-1]) + "[A-Za-z]" for w in lex.fields if len(w) >= 4]
    alternation = "|".join([*(re.escape(w) for w in sorted(words, key=len, reverse=True)), *fuzzy])
    return re.compile(rf"[*★]?(?:{alternation})(?:\d{{1,2}}(?=\())?(?:\([^()]{{0,14}}\))*:?")
