"""The grammar of target and actual values (指标值).

A 指标值 is what a form prints in the 年度指标值 column (the target) or the
实际完成值 column (the actual value). :func:`parse_target` reads one such
cell and returns exactly one of four values. It never raises: text it
cannot read becomes :class:`FreeText` with a Chinese sentence saying why.
The parser does not know whether it reads a target or an actual value;
both columns follow the same grammar.

===========  =========================================  =============================
value        what it means                              examples
===========  =========================================  =============================
Quantity     a comparison, a number and a unit          ``≥1.00(次)``, ``=100%``, ``1``
Compound     labelled quantities that must all hold     ``医疗机构≥40% 病种≥70%``
Qualitative  a phrase: a tier, a grading scale, a       ``达成指标``, ``逐步提高``,
             vague change, a deadline or a statement    ``年底前``, ``建立健全``
FreeText     anything else, with the reason why         ``2篇《关于…的报告》``
===========  =========================================  =============================

Step 1: cleaning
----------------
The cell is cleaned before it is read; ``text`` on the result always keeps
the original input (``""`` for ``None``).

1. Full-width forms become ASCII: ``９０％`` -> ``90%``, ``（次）`` -> ``(次)``,
   ``＞＝`` -> ``>=``. The Chinese sentence marks ``，；：！？`` and ``。`` stay.
2. HTML tags are dropped (``<p>≥90%</p>``) and entities decoded (``&lt;5%``).
3. LaTeX is read: ``\\geq``/``\\ge`` -> ``≥``, ``\\leq``/``\\le`` -> ``≤``,
   ``\\%`` -> ``%``, ``\\text{次}`` -> ``次``; ``$``, braces and other commands
   are dropped. ``$\\geq 90\\%$`` -> ``≥90%``; ``$= 100.00$ (%)`` -> ``=100.00(%)``.
4. Control and invisible characters are dropped. White space is dropped
   everywhere (it only separates cells that extraction glued together:
   ``≥ 90 %`` -> ``≥90%``), except one space between two Latin letters.
5. Comparison signs are unified: ``>=  =>  ≧  ⩾  ≮  ›=`` -> ``≥``;
   ``<=  =<  ≦  ⩽  ≯  ‹=`` -> ``≤``; ``═  ==  ﹦`` -> ``=``; ``›`` -> ``>``,
   ``‹`` -> ``<``; a doubled ``≥=`` or ``≤=`` counts once.
6. Trailing ``。 . , ， ; ； 、`` are dropped, and so is one pair of brackets
   around the whole cell (``（医疗机构≥40%，病种≥70%）``).
7. A Chinese comma between digits that group thousands is a thousands
   comma: ``1，400家`` -> ``1,400家``.

Step 2: the grammar
-------------------
On the cleaned text (EBNF: ``[x]`` optional, ``{x}`` repeated, ``|`` or;
alternatives are tried in the order given, and the whole cell must match).

::

    value     = empty | too-long | placeholder | tier | range | quantity | compound | phrase ;
    empty     = nothing left after cleaning ;                          -> FreeText
    too-long  = more than 200 characters ;                             -> FreeText
    placeholder = only "-" "—" "/" "\\" "." "…" "~" "_" characters, or
                "N/A" | "NA" | "null" | "none" | "nan" | "TBD" ;      -> FreeText
    quantity  = [ label ] [ word-op ] [ op ] number [ unit ] [ post-op ] [ qualifier ] ;
    op        = "≥" | ">" | "≤" | "<" | "=" ;
    word-op   = "大于等于" | "大于或等于" | "不低于" | "不少于" | "不小于" | "至少"     (≥)
              | "小于等于" | "小于或等于" | "不高于" | "不超过" | "不多于" | "不大于"
              | "至多" | "最多" | "控制在"                                  (≤)
              | "大于" | "高于" | "多于" | "超过"                             (>)
              | "小于" | "低于" | "少于" | "不足" | "不满" | "不到"            (<)
              | "等于" | "达到" | "达" | "为"                                 (=) ;
    post-op   = "以上" | "及以上" | "或以上"                                   (≥)
              | "以下" | "及以下" | "或以下" | "以内" | "之内" | "内"          (≤)
              | "(含)" | "(含本数)"                                         (no change) ;
    number    = [ "+" | "-" ] ( digits [ "." digits ] | "." digits ) ;   digits may use
                thousands commas: "1,400" ;
    unit      = "(" unit-text [ "(" unit-text ")" ] ")"                 e.g. (次) (卷(件))
              | known-unit [ "/" known-unit ] ;                         e.g. 人次, 次/季
    unit-text = 1 to 8 characters, no digits, no brackets ;
    label     = a letter, then up to 15 letters or "/" "·" ;           e.g. 满意度, DRG/DIP
    qualifier = 1 to 8 letters ;                                       e.g. 100%消化 -> 消化
    range     = number [ unit ] ( "-" | "~" | "—" | "至" | "到" ) number [ unit ] ;
    compound  = labelled-part labelled-part { labelled-part }           (label first)
              | counted-part sep counted-part { sep counted-part } ;   (count first)
    labelled-part = { label-sep } label [ "(" ] [ word-op ] [ op ] number [ unit ] [ post-op ] [ ")" ] ;
    counted-part  = [ word-op ] [ op ] number unit label ;              label: 1 to 10 letters
    label-sep = "," | "，" | ";" | "；" | "、" | "和" | "与" | "以及" ;
    sep       = label-sep | "及" | "并" ;
    phrase    = 1 to 30 characters with at least one letter, no comparison sign,
                and no digit outside a date or "7*24小时" ;
    tier      = [ "已" | "均" | "全部" | "基本" | "全部或基本" ] ( "达成" | "达标" )
                [ "年度" | "预期" ] [ "指标" | "目标" ]                  (MET)
              | [ "已" ] "部分" ( "达成" | "达标" ) [ "年度" | "预期" ] [ "指标" | "目标" ]
                [ [ "并" ] "具有一定效果" ]                           (PARTIAL)
              | ( "未" | "未能" | "没有" | "尚未" ) ( "达成" | "达标" ) [ "年度" | "预期" ]
                [ "指标" | "目标" ] [ [ "且" ] "效果较差" ] ;           (UNMET)
                commas and 、 inside a tier are ignored

"letter" is any Chinese character or Latin letter; ``known-unit`` is the
list :data:`KNOWN_UNITS` (measure words such as 次 人次 家 件 场 期 套 篇,
time units such as 工作日 个工作日 小时 分钟 天 月 年, and %, ‰, 元, 万元, km …),
longest first, so ``15个工作日`` has unit ``个工作日``.

Rules and decisions
-------------------
* Operators. A cell with a word operator and a sign or a post-op must
  agree: ``控制在5%以内`` is ≤5%; ``=`` gives way to a more specific word
  (``达到90%以上`` is ≥90%); two of the same direction keep the first
  (``超过90%以上`` is >90%); opposite directions (``不低于90%以下``) are
  FreeText. 以上/以下/以内 include the number itself (民法典 第一千二百五十九条),
  so they read as ≥ and ≤. 达到 reads as ``=``: docs/domain.md treats ``=`` as
  "reach this".
* Direction. ≥, >, = and a bare number are positive (more is better);
  ≤ and < are reverse (less is better).
* Numbers are :class:`~decimal.Decimal` with the printed digits:
  ``1.00`` stays ``1.00``, ``.5`` is ``0.5``, ``1,400`` is ``1400``, ``-5`` is
  allowed (``≥-5%``). Chinese numerals (两次, 十二期) are not read as numbers.
* Units lose their outer brackets: ``≥1.00(次)`` has unit ``次``,
  ``≥4000(卷(件))`` has unit ``卷(件)``. A number needs no unit (``=100``).
* Labels and qualifiers. Words before the number are the ``label``
  (``满意度≥90%``), up to 8 letters after it the ``qualifier`` (``100%消化``).
  Longer trailing text, or trailing text with digits or punctuation, is
  FreeText: ``2篇《关于…的报告》`` is not a target a reviewer can check, and
  reading it as "2 篇" would hide that (write ``=2(篇)`` and put the title
  in the indicator name).
* Dates are not quantities: a year 1900-2099 followed by 年 with no sign
  (``2023年``) or a 年/月/日 number followed by more words (``12月底前``)
  is read as a deadline phrase. ``≥10(年)`` and ``12个月内`` are quantities.
* Ranges become a compound of two parts labelled 下限 (≥ the first number)
  and 上限 (≤ the second): ``80%-90%``; a unit printed once applies to both.
  A range whose lower end is larger than its upper end is FreeText.
* Compounds. Label-first parts may run together without separators
  (``医疗机构≥40%病种≥70%基金≥30%``), be separated by spaces, ``、`` ``，``
  ``；`` or 和, or put the number in brackets (``医疗机构(≥40%)``); the
  whole may be wrapped in brackets. Every part needs a sign or a unit,
  and no part may be a bare year. 及 and 并 do not separate label-first
  parts, because they begin labels such as 及时率 and 并发症. One label
  with one quantity (``满意度≥90%``) is a Quantity with a ``label``.
  **Decision**: ``=12期月报和1期年报`` is a Compound, not a quantity with a
  qualifier: it promises two separate counts (12 月报 and 1 年报) and a
  scorer must check both. Count-first parts must be joined by a ``sep``;
  a sign printed only on the first part applies to every part (the form
  has one sign cell for the whole value). One count with a noun
  (``12期月报``) stays a Quantity with a qualifier.
* Tiers (the controlled actual values of a qualitative indicator):

  - ``Tier.MET``: 达成指标 (Shanghai forms), 达成年度指标 (财预〔2020〕10号),
    全部或基本达成预期指标 (财预〔2021〕101号), 达成预期指标, and the short
    forms 达成, 已达成, 全部达成, 基本达成, 达成目标, 达标, 已达标.
  - ``Tier.PARTIAL``: 部分达成指标并具有一定效果, 部分达成年度指标并具有一定效果,
    部分达成预期指标并具有一定效果, and 部分达成, 部分达成指标, 部分达标.
  - ``Tier.UNMET``: 未达成指标且效果较差, 未达成年度指标且效果较差,
    未达成预期指标且效果较差, and 未达成, 未能达成, 没有达成, 未达标.

  **Decision**: 基本达成 is MET because 101号 puts 全部或基本达成 in the top
  tier; 达标 is the everyday word for 达成指标. 完成, 已完成, 按时完成 are NOT
  tiers: they say the work was done, not how well the indicator was met,
  and 完成 is also printed as a target (seeds 001, 002). They are plain
  statements; a scorer may compare such an actual with its target phrase.
* Qualitative families (:class:`Family`), first match wins:

  - ``TIER``: one of the tier phrases above.
  - ``SCALE``: a grading scale instead of a target: ``定性 优良中低差``,
    ``优良中差``, anything starting with 定性.
  - ``VAGUE``: a change with no end point, nothing measurable: 提高, 提升,
    降低, 减轻, 扩大, 促进, 有所提升, 逐步提高, 稳步提升, 显著提升, 同比扩大,
    影响力扩大, 提高群众满意度 … (a subject of up to 10 letters before
    the verb or an object of up to 8 after it is allowed), and any phrase
    with 有所/逐步/逐渐/稳步/不断/进一步/持续 before such a verb or before
    完善/规范/健全/强化 (``逐步完善``). It errs towards flagging: a reviewer
    reads the finding, nothing is deducted.
  - ``DEADLINE``: timing: 年底前, 及时, 按时, 如期, 立即, 约定时间, 实时 …,
    a phrase with a month or day (``2023年12月31日前``, ``6月30日前完成``),
    or a bare year (``2023年``). A year inside a statement
    (``2023年工作报告和2024年计划``) does not make a deadline.
  - ``STATEMENT``: any other phrase: 建立健全, 全覆盖, 合格, 满意,
    无重大信息泄露安全事件发生.
* A phrase may contain digits only in dates and in ``7*24小时`` (always on).
  A phrase longer than 30 characters is narrative, not a value, and is
  FreeText; so is text of placeholders only (``—``, ``/``, ``N/A``).
* Dates in phrases (:class:`When`). A deadline phrase that names exactly one
  calendar point carries it as ``when``, so a deadline target can be checked
  against an actual value that names a date (``2026年10月底前`` against
  ``9月25日上线``)::

      when      = iso-date | [ year ] month [ day ] [ end ] | year [ end ] | year-end ;
      iso-date  = year-digits ( "-" | "/" | "." ) 1-2 digits ( "-" | "/" | "." ) 1-2 digits ;
      year      = ( "19" | "20" ) 2 digits "年" [ "度" ] ;
      month     = 1-2 digits "月" [ "份" ] ;        (1 to 12)
      day       = 1-2 digits ( "日" | "号" ) ;      (a day of that month)
      end       = "底" | "末" ;                     (the last day: 10月底, 2026年底)
      year-end  = "年底" | "年末" | "年内" ;        (31 December)

  ``by`` is set when the phrase puts a limit on the point: 前, 之前, 以前,
  内, 以内, 之内, 截止, 截至, 不晚于, 不迟于 (``6月30日前``, ``10月底前``).
  An ISO date alone (``2026-09-25``) is a deadline phrase too. A phrase with
  two calendar points (``2023年工作报告和2024年计划``) carries none.
  **Decision**: a limit includes the day it names (``10月31日前`` is met on
  31 October), as 以上/以下/以内 include their number; ``10月前`` (a month
  with 前 but no 底 or day) could mean 1 October or 31 October and is kept
  with ``ambiguous`` set, never guessed.
"""

from __future__ import annotations

import calendar
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar, TypeAlias

__all__ = [
    "KNOWN_UNITS",
    "MAX_PHRASE_LENGTH",
    "Compound",
    "Direction",
    "Family",
    "FreeText",
    "LabelledQuantity",
    "Operator",
    "Qualitative",
    "Quantity",
    "TargetValue",
    "Tier",
    "When",
    "normalise",
    "parse_target",
]


class Direction(StrEnum):
    """Which way is better: more (positive) or less (reverse)."""

    POSITIVE = "positive"
    REVERSE = "reverse"


class Operator(StrEnum):
    """The comparison printed before the number."""

    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="

    @property
    def direction(self) -> Direction:
        """Reverse for ≤ and <, positive otherwise."""
        return Direction.REVERSE if self in (Operator.LE, Operator.LT) else Direction.POSITIVE


class Tier(StrEnum):
    """The three qualitative tiers of 财预〔2020〕10号 (达成 / 部分达成 / 未达成)."""

    MET = "met"
    PARTIAL = "partial"
    UNMET = "unmet"

    @property
    def label(self) -> str:
        """The wording of the Shanghai forms."""
        return _TIER_LABELS[self]


_TIER_LABELS = {
    Tier.MET: "达成指标",
    Tier.PARTIAL: "部分达成指标并具有一定效果",
    Tier.UNMET: "未达成指标且效果较差",
}


class Family(StrEnum):
    """What kind of phrase a qualitative value is (see the module docstring)."""

    TIER = "tier"
    SCALE = "scale"
    VAGUE = "vague"
    DEADLINE = "deadline"
    STATEMENT = "statement"


@dataclass(frozen=True)
class Quantity:
    """A comparison, a number and a unit: ``≥1.00(次)``, ``=100%``, a bare ``1``.

    ``text`` is the cell as given; for a part of a compound it is that
    part's piece of the cleaned cell (``≥40%``).
    """

    kind: ClassVar[str] = "quantity"

    text: str
    operator: Operator | None
    number: Decimal
    unit: str | None = None
    qualifier: str | None = None
    label: str | None = None

    @property
    def direction(self) -> Direction:
        """Positive for ≥, >, = and a bare number; reverse for ≤ and <."""
        return self.operator.direction if self.operator else Direction.POSITIVE


@dataclass(frozen=True)
class LabelledQuantity:
    """One part of a compound: ``医疗机构`` and ``≥40%``."""

    label: str
    quantity: Quantity


@dataclass(frozen=True)
class Compound:
    """Several labelled quantities that must all hold."""

    kind: ClassVar[str] = "compound"

    text: str
    parts: tuple[LabelledQuantity, ...]


@dataclass(frozen=True)
class When:
    """The one calendar point a deadline phrase names: ``2026年10月底前``, ``9月25日``, ``年底前``.

    ``year`` is None when the phrase names none (``10月底前``: the form's own
    year); ``month`` None means the whole year, ``day`` None the whole month.
    ``by`` marks a limit (前, 以内, 截止 …): at or before the point.
    ``ambiguous`` marks a month limited by 前 alone (``10月前``), which
    could end on the 1st or the 31st.
    """

    year: int | None
    month: int | None
    day: int | None
    by: bool = False
    ambiguous: bool = False


@dataclass(frozen=True)
class Qualitative:
    """A phrase: a tier (``达成指标``), a scale, a vague change, a deadline or a statement.

    ``when`` is the calendar point of a deadline phrase that names exactly one.
    """

    kind: ClassVar[str] = "qualitative"

    text: str
    phrase: str
    tier: Tier | None
    family: Family
    when: When | None = None

    @property
    def is_vague(self) -> bool:
        """True for a change with nothing measurable (``逐步提高``)."""
        return self.family is Family.VAGUE

    @property
    def is_deadline(self) -> bool:
        """True for a timing phrase (``年底前``, ``及时``)."""
        return self.family is Family.DEADLINE


@dataclass(frozen=True)
class FreeText:
    """Text that is not a readable target, with the reason in Chinese."""

    kind: ClassVar[str] = "free_text"

    text: str
    reason: str


TargetValue: TypeAlias = Quantity | Compound | Qualitative | FreeText

MAX_PHRASE_LENGTH = 30
# Far beyond any real cell; checked first so no pattern ever scans a whole page.
_MAX_CELL_LENGTH = 200

KNOWN_UNITS: tuple[str, ...] = (
    # rates and money
    "%", "‰", "个百分点", "百分点", "倍", "元", "千元", "万元", "亿元", "元/人", "分",
    # time
    "个工作日", "工作日", "自然日", "个月", "小时", "分钟", "秒", "天", "日", "周", "星期",
    "月", "季度", "季", "年", "学时", "课时", "人日", "工日",
    # counts of people and events
    "人次", "家次", "户次", "台次", "车次", "架次", "批次", "场次", "条次", "万人次", "万人",
    "万户", "万件", "万次", "人", "名", "位", "户", "家", "所", "个", "项", "件", "次", "场",
    "期", "套", "篇", "张", "条", "辆", "台", "块", "份", "本", "册", "卷", "批", "轮", "例",
    "起", "宗", "笔", "单", "种", "类", "部", "座", "栋", "间", "处", "点", "节", "堂", "门",
    "组", "队", "支", "床", "株", "棵", "头", "只", "箱", "袋", "盒", "包", "瓶", "剂", "级",
    "星", "岁", "度", "万", "亿",
    # measures
    "吨", "万吨", "公斤", "千克", "克", "斤", "亩", "万亩", "公顷", "平方米", "平方公里",
    "立方米", "米", "公里", "千米", "千瓦", "千瓦时", "kWh", "kW", "km", "m2", "m3", "㎡",
    "kg", "GB", "TB", "MB", "Mbps", "m", "t",
)  # fmt: skip

# --- cleaning -------------------------------------------------------------

# Full-width ASCII folds to ASCII, except the sentence marks a Chinese phrase keeps.
_FOLD: dict[int, str] = {o: chr(o - 0xFEE0) for o in range(0xFF01, 0xFF5F) if chr(o) not in "，；：！？"}
# Small-form signs and the math minus come from PDF fonts; NFKC is not used because it would
# also turn ① into 1 and put digits into phrases.
_FOLD.update({0x3000: " ", 0xFE6A: "%", 0xFE64: "<", 0xFE65: ">", 0xFE66: "=", 0x2212: "-", 0xFE63: "-"})
# A tag starts with a letter, so "<5%" and "<=10%" stay comparisons.
_TAG = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?\s*>")
# (?![A-Za-z]) keeps \left from being read as \le; the catch-all drops what is left of LaTeX.
_LATEX = (
    (re.compile(r"\\(?:text|mathrm|textrm|mbox|rm)\s*\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\\(?:geqslant|geq|ge)(?![A-Za-z])"), "≥"),
    (re.compile(r"\\(?:leqslant|leq|le)(?![A-Za-z])"), "≤"),
    (re.compile(r"\\gt(?![A-Za-z])"), ">"),
    (re.compile(r"\\lt(?![A-Za-z])"), "<"),
    (re.compile(r"\\times(?![A-Za-z])"), "×"),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\\[A-Za-z]+|[\\${}]"), ""),
)
_SPACE = re.compile(r"\s+")
# "1，400家": a Chinese comma between a digit and exactly three digits groups thousands.
_CHINESE_THOUSANDS = re.compile(r"(?<=[0-9])，(?=[0-9]{3}(?![0-9]))")
# Two-character forms first, so "›=" is not read as "›" followed by "=".
_SIGNS = (
    (">=", "≥"), ("=>", "≥"), ("≥=", "≥"), ("›=", "≥"), ("≧", "≥"), ("⩾", "≥"), ("≮", "≥"),
    ("<=", "≤"), ("=<", "≤"), ("≤=", "≤"), ("‹=", "≤"), ("≦", "≤"), ("⩽", "≤"), ("≯", "≤"),
    ("═", "="), ("==", "="), ("›", ">"), ("‹", "<"),
)  # fmt: skip


def _squeeze(text: str) -> str:
    """Drop white space, keeping one space between two Latin letters (``not applicable``)."""

    def join(m: re.Match[str]) -> str:
        before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
        latin = before.isascii() and before.isalpha() and after.isascii() and after.isalpha()
        return " " if latin else ""

    return _SPACE.sub(join, text)


def normalise(text: str | None) -> str:
    """The cleaned form of a cell (step 1 of the grammar): what the parser reads."""
    s = (text or "").translate(_FOLD)
    s = html.unescape(_TAG.sub("", s))
    s = _CHINESE_THOUSANDS.sub(",", s)
    for pattern, replacement in _LATEX:
        s = pattern.sub(replacement, s)
    # Invisible and control characters come from PDF extraction; white space stays for _squeeze.
    s = "".join(c for c in s if c.isspace() or not unicodedata.category(c).startswith("C"))
    s = _squeeze(s.strip())
    for old, new in _SIGNS:
        s = s.replace(old, new)
    return s.rstrip("。.,，;；、")


# --- patterns -------------------------------------------------------------

_WORD_OPS: dict[str, Operator] = {
    **dict.fromkeys(("大于等于", "大于或等于", "不低于", "不少于", "不小于", "至少"), Operator.GE),
    **dict.fromkeys(("小于等于", "小于或等于", "不高于", "不超过", "不多于", "不大于"), Operator.LE),
    **dict.fromkeys(("至多", "最多", "控制在"), Operator.LE),
    **dict.fromkeys(("大于", "高于", "多于", "超过"), Operator.GT),
    **dict.fromkeys(("小于", "低于", "少于", "不足", "不满", "不到"), Operator.LT),
    **dict.fromkeys(("等于", "达到", "达", "为"), Operator.EQ),
}
_POST_OPS: dict[str, Operator | None] = {
    **dict.fromkeys(("及以上", "或以上", "以上"), Operator.GE),
    **dict.fromkeys(("及以下", "或以下", "以下", "以内", "之内", "内"), Operator.LE),
    **dict.fromkeys(("(含)", "(含本数)"), None),
}


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so 大于等于 wins over 大于."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_LETTER = r"[^\W\d_]"
# ASCII digits only: folding has made every printed digit ASCII, and other scripts' digits are noise.
_NUMBER = r"[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)"
_UNSIGNED = r"(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)"
_OPS = "≥≤<>="
_OPS_BY_SIGN = {op.value: op for op in Operator}
_WORD_ALT = _alternation(_WORD_OPS)
_POST_ALT = _alternation(_POST_OPS)
_UNIT_ALT = _alternation(KNOWN_UNITS)
_LABEL = rf"{_LETTER}(?:{_LETTER}|[/·]){{0,15}}?"
_SEP_ALT = r"[,，;；、]|以及|和|与|及|并"
# Between label-first parts 及 and 并 would eat the start of labels such as 及时率 or 并发症.
_LABEL_SEP_ALT = r"[,，;；、]|以及|和|与"


def _unit(tag: str = "") -> str:
    """The unit pattern; ``tag`` keeps group names apart when a pattern holds two units."""
    bracketed = r"[^()0-9]{1,8}(?:\([^()0-9]{1,4}\))?"
    return rf"(?:\((?P<{tag}punit>{bracketed})\)|(?P<{tag}kunit>(?:{_UNIT_ALT})(?:/(?:{_UNIT_ALT}))?))"


# The label is lazy so that 不低于 in 满意度不低于90% is a word operator, not the end of the label.
_QUANTITY = re.compile(
    rf"(?P<label>{_LABEL})??(?P<word>{_WORD_ALT})?(?P<op>[{_OPS}])?(?P<number>{_NUMBER}){_unit()}?"
    rf"(?P<post>{_POST_ALT})?(?P<qual>{_LETTER}{{1,8}})?"
)
_RANGE = re.compile(rf"(?P<a>{_UNSIGNED}){_unit('a')}?(?P<dash>-|~|—|–|至|到)(?P<b>{_UNSIGNED}){_unit('b')}?")
_LABELLED_PART = re.compile(
    rf"(?:{_LABEL_SEP_ALT})*(?P<label>{_LABEL})(?P<open>\()?(?P<word>{_WORD_ALT})?(?P<op>[{_OPS}])?"
    rf"(?P<number>{_NUMBER}){_unit()}?(?P<post>{_POST_ALT})?(?(open)\))"
)
# The label is lazy so it stops at the first separator: 月报 in 12期月报和1期年报.
_COUNTED_PART = re.compile(
    rf"(?P<word>{_WORD_ALT})?(?P<op>[{_OPS}])?(?P<number>{_NUMBER}){_unit()}(?P<label>{_LETTER}{{1,10}}?)"
    rf"(?:(?P<sep>{_SEP_ALT})|$)"
)

# Forms print a dash or a slash for "nothing to report"; that is an empty cell, not a phrase.
_PLACEHOLDER = re.compile(r"[-—–―_/\\.。·…~]+|n/?a|null|none|nan|tbd", re.IGNORECASE)
_TIERS = (
    (Tier.PARTIAL, re.compile(r"已?部分(?:达成|达标)(?:年度|预期)?(?:指标|目标)?(?:并?具有一定效果|并?有一定效果)?")),
    (Tier.UNMET, re.compile(r"(?:未|未能|没有|尚未)(?:达成|达标)(?:年度|预期)?(?:指标|目标)?(?:且?效果较差)?")),
    (Tier.MET, re.compile(r"(?:已|均|全部|基本|全部或基本|已全部|已基本)?(?:达成|达标)(?:年度|预期)?(?:指标|目标)?")),
)
_SCALE = re.compile(r"定性.*|.*(?:优良中|优良差|好中差|高中低).*")
_VERBS = "提高|提升|增加|增长|增强|加强|改善|改进|优化|降低|下降|减少|减轻|扩大|促进|上升|缩短|缩小|好转|推进|推动"
_ADVERBS = (
    "逐步|逐渐|逐年|有所|稳步|持续|不断|进一步|显著|明显|大幅度|大幅|大大|日益|全面|整体|略有|有效|切实|得到|得以|较大"
)
_COMPARED = "同比|环比|较上年|比上年|较去年|比去年|较往年"
_VAGUE = (
    re.compile(rf"{_LETTER}{{0,10}}?(?:{_COMPARED})?(?:{_ADVERBS})*(?:{_VERBS})"),
    re.compile(rf"(?:{_COMPARED})?(?:{_ADVERBS})*(?:{_VERBS}){_LETTER}{{1,8}}"),
    # With a "gradually/somewhat" adverb even 完善 or 规范 promises nothing measurable.
    re.compile(rf".*(?:有所|逐步|逐渐|稳步|不断|进一步|持续)(?:{_VERBS}|完善|规范|健全|强化).*"),
)
_DEADLINE = re.compile(
    r".*(?:按时|及时|如期|准时|按期|限期|按计划|按进度|时间节点|年底|年末|年内|年前|月底|月末|季末|"
    r"之前|以前|截止|截至|当日|当天|当月|即时|实时|立即|立刻|第一时间|时限|约定时间|规定时间|期限).*"
)
_ISO_DATE = r"(?:19|20)[0-9]{2}[-/.][0-9]{1,2}[-/.][0-9]{1,2}"
_DATE = re.compile(rf"{_ISO_DATE}|(?:19|20)[0-9]{{2}}年度?|[0-9]{{1,2}}月份?|[0-9]{{1,2}}[日号]")
# One calendar point (see "Dates in phrases"): an ISO date, or year, month, day and 底/末 in that order.
_WHEN = re.compile(
    r"(?P<iso>(?P<iy>(?:19|20)[0-9]{2})[-/.](?P<im>[0-9]{1,2})[-/.](?P<id>[0-9]{1,2}))"
    r"|(?:(?P<year>(?:19|20)[0-9]{2})年度?)?(?:(?P<month>[0-9]{1,2})月份?(?:(?P<day>[0-9]{1,2})[日号])?)?"
    r"(?P<end>底|末)?"
    r"|(?P<yearend>年底|年末|年内)"
)
_WHEN_LIMIT = re.compile(r"前|以内|之内|内|截止|截至|不晚于|不迟于")
_BARE_BEFORE = re.compile(r"[之以]?前")
_ISO_ONLY = re.compile(_ISO_DATE)
_MONTH_OR_DAY = re.compile(r"[0-9]{1,2}[月日号]")
_ALWAYS_ON = re.compile(r"7[*×xX]24(?:小时|h)?")


# --- parsing --------------------------------------------------------------


class _Conflict(Exception):
    """Two comparison words that point opposite ways; becomes FreeText.

    An exception, because the check sits deep inside every pattern's part loop
    and one ``except`` in :func:`parse_target` turns it into the reason.
    """


def _combine(*operators: Operator | None) -> Operator | None:
    """One operator from prefix word, sign and post-op (see "Operators" in the grammar)."""
    result: Operator | None = None
    for op in operators:
        if op is None or op == result:
            continue
        if result is None or result is Operator.EQ:  # "=" (达到) gives way to a more specific word
            result = op
        elif op is not Operator.EQ and op.direction is not result.direction:
            raise _Conflict(f"前后两个比较词方向相反（{result.value} 和 {op.value}），无法判断指标方向")
    return result


def _unit_of(m: re.Match[str], tag: str = "") -> str | None:
    """The unit captured by a ``_unit(tag)`` group, brackets removed."""
    return m.group(f"{tag}punit") or m.group(f"{tag}kunit") or None


def _number(raw: str) -> Decimal:
    """The printed number as an exact Decimal (thousands commas removed)."""
    return Decimal(raw.replace(",", ""))


def _quantity_from(m: re.Match[str], text: str, inherited: Operator | None = None) -> Quantity:
    """A Quantity from a match of one of the quantity patterns."""
    unit = _unit_of(m)
    post = m.groupdict().get("post")
    if unit in ("含", "含本数"):  # "90(含)" brackets a post-op, not a unit
        unit = None
    operator = _combine(
        _WORD_OPS.get(m.group("word") or ""), _OPS_BY_SIGN.get(m.group("op") or ""), _POST_OPS.get(post or "")
    )
    return Quantity(text, operator or inherited, _number(m.group("number")), unit)


def _is_year(q: Quantity) -> bool:
    """True for a calendar year such as ``2023年``: a date, not ten years or two thousand."""
    whole = q.number == q.number.to_integral()
    return q.unit == "年" and q.operator is None and whole and 1900 <= q.number <= 2099


def _parse_quantity(s: str, text: str) -> Quantity | None:
    """The whole cell as one quantity, or None; dates are refused here."""
    m = _QUANTITY.fullmatch(s)
    if m is None:
        return None
    q = _quantity_from(m, text)
    qualifier = m.group("qual")
    # "12月底前" is a date, not an amount of time.
    if _is_year(q) or (q.unit in ("年", "月", "日") and qualifier):
        return None
    return Quantity(text, q.operator, q.number, q.unit, qualifier, m.group("label"))


def _parse_range(s: str, text: str) -> Compound | FreeText | None:
    """``80%-90%`` as a compound of 下限 and 上限, or None when the cell is not a range."""
    m = _RANGE.fullmatch(s)
    if m is None:
        return None
    unit_a, unit_b = _unit_of(m, "a"), _unit_of(m, "b")
    if unit_a and unit_b and unit_a != unit_b:
        return None
    unit = unit_b or unit_a
    low, high = _number(m.group("a")), _number(m.group("b"))
    if low > high:
        return FreeText(text, f"范围的下限 {m.group('a')} 大于上限 {m.group('b')}")
    parts = (
        LabelledQuantity("下限", Quantity(s[: m.start("dash")], Operator.GE, low, unit)),
        LabelledQuantity("上限", Quantity(s[m.end("dash") :], Operator.LE, high, unit)),
    )
    return Compound(text, parts)


def _parse_labelled(s: str, text: str) -> Compound | None:
    """Label-first parts: ``医疗机构≥40%病种≥70%``."""
    parts: list[LabelledQuantity] = []
    pos = 0
    while pos < len(s):
        m = _LABELLED_PART.match(s, pos)
        if m is None:
            return None
        end = m.end() - 1 if m.group("open") else m.end()
        q = _quantity_from(m, s[m.end("open") if m.group("open") else m.end("label") : end])
        if (q.operator is None and q.unit is None) or _is_year(q):  # every part needs a sign or a unit
            return None
        parts.append(LabelledQuantity(m.group("label"), q))
        pos = m.end()
    return Compound(text, tuple(parts)) if len(parts) >= 2 else None


def _parse_counted(s: str, text: str) -> Compound | None:
    """Count-first parts joined by a separator: ``=12期月报和1期年报``."""
    parts: list[LabelledQuantity] = []
    pos = 0
    inherited: Operator | None = None
    while pos < len(s):
        m = _COUNTED_PART.match(s, pos)
        if m is None:
            return None
        q = _quantity_from(m, s[m.start() : m.start("label")], inherited)
        if _is_year(q):
            return None
        if not parts:  # the form has one sign cell: the first part's sign applies to all parts
            inherited = q.operator
        parts.append(LabelledQuantity(m.group("label"), q))
        pos = m.end()
        if m.group("sep") and pos == len(s):  # a trailing separator is not a part
            return None
    return Compound(text, tuple(parts)) if len(parts) >= 2 else None


def _tier(core: str) -> Tier | None:
    """The tier a phrase names, if it is one of the controlled wordings."""
    for tier, pattern in _TIERS:
        if pattern.fullmatch(core):
            return tier
    return None


def _family(phrase: str, dated: bool) -> Family:
    """The family of a phrase that is not a tier (first match wins)."""
    # Separators are ignored so 优/良/中/差 and 优、良、中、差 read like 优良中差.
    core = re.sub(r"[,，、;；:：/|]", "", phrase)
    if _SCALE.fullmatch(core):
        return Family.SCALE
    if any(p.fullmatch(core) for p in _VAGUE):
        return Family.VAGUE
    if dated or _DEADLINE.fullmatch(core):
        return Family.DEADLINE
    return Family.STATEMENT


_LEADING_NUMBER = re.compile(rf"[{_OPS}]?{_NUMBER}{_unit()}?")


def _number_tail(s: str) -> str | None:
    """What follows a leading number (for the FreeText reason), or None."""
    m = _LEADING_NUMBER.match(s)
    if m is None:
        return None
    tail = s[m.end() :]
    return tail[:12] + "…" if len(tail) > 12 else tail


def _free_text_reason(s: str) -> str:
    """Why a cell with digits or signs could not be read."""
    signs = [c for c in s if c in _OPS]
    if re.search(rf"[{_OPS}]{{2,}}", s):
        return "连续出现两个比较符号，无法判断用哪一个"
    if len(signs) >= 2:
        return "出现了多个比较符号，但不是“名称+比较符号+数字”的组合写法"
    if not re.search(r"[0-9]", s):
        return f"有比较符号“{signs[0]}”，但后面没有数字"
    tail = _number_tail(s)
    if tail:
        return f"数字后面的“{tail}”既不是计量单位，也不是简短的说明词"
    if signs:
        return f"比较符号“{signs[0]}”后面不是“数字+单位”的写法"
    return "含有数字，但不是“比较符号+数字+单位”的写法，也不是日期"


def _valid_day(year: int | None, month: int, day: int) -> bool:
    """True when ``day`` exists in that month (29 February only in a leap year, or when the year is not named)."""
    return 1 <= day <= calendar.monthrange(year or 2000, month)[1]


def _when(s: str) -> When | None:
    """The one calendar point a phrase names (see "Dates in phrases"), or None for none, two, or an impossible date."""
    points: list[When] = []
    last_end = -1
    for m in _WHEN.finditer(s):
        if m.group("iso"):
            points.append(When(int(m.group("iy")), int(m.group("im")), int(m.group("id"))))
        elif m.group("yearend"):
            # 2026年年底: the year-end of the year just named, one point
            if not (points and m.start() == last_end and points[-1].month is None):
                points.append(When(None, None, None))
        elif m.group("year") or m.group("month"):
            year = int(m.group("year")) if m.group("year") else None
            month = int(m.group("month")) if m.group("month") else None
            day = int(m.group("day")) if m.group("day") else None
            # a month limited by 前 alone (10月前) says neither the 1st nor the 31st
            bare_month = month is not None and day is None and not m.group("end")
            points.append(When(year, month, day, ambiguous=bare_month and _BARE_BEFORE.match(s, m.end()) is not None))
        else:
            continue
        last_end = m.end()
    if len(points) != 1:
        return None
    point = points[0]
    if point.month is not None and not 1 <= point.month <= 12:
        return None
    if point.day is not None and (point.month is None or not _valid_day(point.year, point.month, point.day)):
        return None
    return When(point.year, point.month, point.day, bool(_WHEN_LIMIT.search(s)), point.ambiguous)


def _parse_phrase(s: str, text: str) -> Qualitative | FreeText:
    """A qualitative phrase, or FreeText when the cell is narrative or unreadable."""
    if _ISO_ONLY.fullmatch(s):
        # a date alone (2026-09-25, as spreadsheets write it) names a point in time: a deadline phrase
        when = _when(s)
        if when is None:
            return FreeText(text, f"日期“{s}”不存在")
        return Qualitative(text, s, None, Family.DEADLINE, when)
    without_dates = _DATE.sub("", _ALWAYS_ON.sub("", s))
    # Any other digit means a number the grammar could not place: flag it rather than hide it.
    if re.search(rf"[0-9{_OPS}]", without_dates):
        return FreeText(text, _free_text_reason(s))
    if not re.search(_LETTER, s):
        return FreeText(text, "无法识别的指标值：没有比较符号、数字或已知的定性表述")
    if len(s) > MAX_PHRASE_LENGTH:
        return FreeText(
            text, f"文字过长（{len(s)}字），像是一段说明而不是可核对的指标值（定性指标值不超过{MAX_PHRASE_LENGTH}字）"
        )
    # A calendar point (a month or day, or nothing but a date) is a deadline; "2023年度报告" is not.
    dated = bool(_MONTH_OR_DAY.search(s)) or not _DATE.sub("", s)
    family = _family(s, dated)
    return Qualitative(text, s, None, family, _when(s) if family is Family.DEADLINE else None)


def _unwrap(s: str) -> str:
    """The cell without one pair of brackets around all of it: ``(医疗机构≥40%,病种≥70%)``."""
    if len(s) < 3 or s[0] != "(" or s[-1] != ")":
        return s
    depth = 0
    for c in s[1:-1]:
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth < 0:  # "(次)≥(1)" closes the first bracket early: not one pair
            return s
    return s[1:-1] if depth == 0 else s


def parse_target(text: str | None) -> TargetValue:
    """Read one target or actual cell (指标值) by the grammar in this module's docstring.

    Never raises: anything unreadable is :class:`FreeText` with the reason.
    ``text`` on the result is the input as given (``""`` for None).
    """
    # str() keeps the promise never to raise when a spreadsheet reader hands over a number.
    original = "" if text is None else str(text)
    s = _unwrap(normalise(original))
    if not s:
        return FreeText(original, "指标值为空")
    if len(s) > _MAX_CELL_LENGTH:
        return FreeText(original, f"文字过长（{len(s)}字），不是指标值")
    if _PLACEHOLDER.fullmatch(s):
        return FreeText(original, f"指标值只有占位符“{s}”，等于没有填写")
    try:
        tier = _tier(re.sub(r"[,，、;；]", "", s))
        if tier:
            return Qualitative(original, s, tier, Family.TIER)
        value = _parse_range(s, original) or _parse_quantity(s, original)
        value = value or _parse_labelled(s, original) or _parse_counted(s, original)
    except _Conflict as conflict:
        return FreeText(original, str(conflict))
    return value or _parse_phrase(s, original)
