"""What every check needs: where the findings go, and the words and classes of the indicator tree."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.model import Indicator, Project
from jixiao.core.review.findings import REGISTRY, Finding, Severity
from jixiao.core.scoring.packs import RulePack

__all__ = [
    "COUNT_UNITS",
    "MONEY_UNITS",
    "PriorYear",
    "Reporter",
    "is_count_name",
    "is_growth_name",
    "is_rate_name",
    "level1_class",
    "level2_class",
    "match_key",
    "name_key",
    "text_key",
]

# Measure words of counted things: a 率 measured in one of these is not a rate.
COUNT_UNITS = frozenset(
    (
        "次", "人次", "家次", "户次", "台次", "车次", "架次", "批次", "场次", "条次", "万人次", "个", "件", "家",
        "场", "期", "套", "篇", "张", "条", "辆", "台", "份", "本", "册", "卷", "批", "轮", "例", "起", "宗", "笔",
        "单", "种", "类", "部", "座", "栋", "间", "处", "项", "人", "名", "位", "户", "所", "块", "万人", "万户",
        "万件", "万次", "卷(件)",
    )
)  # fmt: skip
MONEY_UNITS = frozenset(("元", "千元", "万元", "亿元", "元/人", "元/次", "元/件", "万元/年"))
_COUNT_NAME = re.compile(r"(?:数量|次数|人数|个数|件数|户数|家数|场数|份数|台数|套数|篇数|完成数|[^指系分函参倍基]数)$")
_GROWTH = re.compile(r"增长|增幅|增速|增加|同比|环比|比上年|较上年|倍|提高率|提升率|上升")
_KEY_DROP = re.compile(r"[\s\u3000，,。.、；;：:！!？?“”\"'‘’（）()《》<>【】\[\]-]")


@functools.lru_cache(maxsize=1 << 16)
def text_key(text: str | None) -> str:
    """A text folded for comparison: NFKC, no white space or punctuation (cached: names repeat)."""
    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", text or ""))


def name_key(indicator: Indicator) -> str:
    """The comparison key of an indicator's name."""
    return text_key(indicator.name)


def match_key(indicator: Indicator) -> str:
    """A looser key for pairing the same indicator across years: 满意率 = 满意度, no trailing 指标."""
    key = name_key(indicator).replace("满意率", "满意度")
    return key[:-2] if key.endswith("指标") and len(key) > 4 else key


def is_rate_name(name: str) -> bool:
    """True for a name that promises a rate or a satisfaction level (…率, …满意度); 频率 counts times."""
    return (name.endswith("率") and not name.endswith("频率")) or name.endswith("满意度")


def is_count_name(name: str) -> bool:
    """True for a name that promises a count (…数量, …人数, …完成数), not an index (指数, 系数)."""
    return bool(_COUNT_NAME.search(name))


def is_growth_name(name: str) -> bool:
    """True for a name about growth or change, whose rate may exceed 100%."""
    return bool(_GROWTH.search(name))


def who(project: Project) -> str:
    """How a finding names its form: ``项目“X”``, or ``部门“Y”`` on a department-wide form (which names no project)."""
    if not project.name and project.department:
        return f"部门“{project.department}”"
    return f"项目“{project.name}”"


def level1_class(label: str) -> str | None:
    """The standard class of a level-1 label: cost, output, effect, satisfaction (None if unknown)."""
    # 成本 first: "产出成本指标" style labels are about cost; 满意 before 效益: "满意度效益" does not occur.
    if "成本" in label:
        return "cost"
    if "满意" in label:
        return "satisfaction"
    if "产出" in label or "完成" in label:
        return "output"
    if "效益" in label or "效果" in label:
        return "effect"
    return None


def level2_class(label: str | None) -> str | None:
    """The standard class of a level-2 label: quantity, quality, timeliness, cost (None otherwise)."""
    if not label:
        return None
    for word, cls in (("数量", "quantity"), ("质量", "quality"), ("时效", "timeliness"), ("成本", "cost")):
        if word in label:
            return cls
    return None


@dataclass(frozen=True)
class PriorYear:
    """A project's last approved year, as plain data: its targets with last year's actual values.

    ``project`` holds the approved indicators, each with ``actual`` from last year's self-evaluation
    when there is one (``evaluated``); ``grade`` and ``score`` are that self-evaluation's result.
    The web builds it from its records; core never reads them.
    """

    year: int
    source: str
    project: Project
    evaluated: bool = False
    grade: str | None = None
    score: Decimal | None = None


# Mutable on purpose: one reporter collects a whole run's findings, and the cross-document pass
# moves its source and year from link to link instead of building a reporter per link.
@dataclass
class Reporter:
    """Collects the findings of one document run; knows its source, year and rule pack."""

    pack: RulePack
    source: str | None = None
    year: int | None = None
    findings: list[Finding] = field(default_factory=list)

    def add(
        self,
        code: str,
        project: Project,
        message: str,
        *,
        indicator: Indicator | None = None,
        index: int | None = None,
        field: str | None = None,
        expected: object = None,
        found: object = None,
        severity: Severity | None = None,
    ) -> None:
        """Record one finding of the registered check ``code`` on ``project`` (and ``indicator``).

        ``severity`` overrides the registered one where the rule pack decides how strict a check is.
        """
        self.findings.append(
            Finding(
                code,
                severity or REGISTRY[code].severity,
                project.name,
                project.unit,
                indicator.name if indicator else None,
                index,
                field,
                message,
                None if expected is None else str(expected),
                None if found is None else str(found),
                self.source,
                self.year,
            )
        )
