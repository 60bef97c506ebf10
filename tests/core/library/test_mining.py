"""Mining documents into library entries: counts, variants, units, directions, target ranges, met rates."""

from __future__ import annotations

import json
from decimal import Decimal

from jixiao.core.library import Library, build_library, direction_of, quartiles, search
from jixiao.core.model import Document, Indicator, Kind, Project


def _row(name: str, target: str | None, actual: str | None = None, level2: str = "质量指标") -> Indicator:
    return Indicator(level1="产出指标", level2=level2, name=name, target=target, actual=actual)


def _doc(kind: Kind, year: int, projects: list[tuple[str, str, list[Indicator]]]) -> Document:
    return Document(
        kind=kind,
        year=year,
        projects=tuple(Project(name=n, department=d, indicators=tuple(rows)) for n, d, rows in projects),
    )


DECLARATIONS = _doc(
    Kind.TARGET_DECLARATION,
    2023,
    [
        (
            "县道公路养护",
            "县交通运输局",
            [_row("满意度", "≥90%", level2="服务对象满意度指标"), _row("培训人数", "≥100(人)")],
        ),
        ("义务教育学生资助", "县教育局", [_row("受益群众满意率", "≥95%"), _row("培训次数", "=4(次)")]),
    ],
)
EVALUATIONS = _doc(
    Kind.SELF_EVALUATION,
    2024,
    [
        ("县道公路养护", "县交通运输局", [_row("服务对象满意度", "≥90%", "92%"), _row("事故发生率", "≤5%", "3%")]),
        ("基层医疗机构补助", "县卫生健康委", [_row("满意度指标", "≥85%", "80%"), _row("事故发生率", "≤2%", "4%")]),
        ("河道整治", "县水利局", [_row("水质达标比例", "80%-90%", "85%"), _row("项目规范性", "规范")]),
    ],
)


def _entry(library: Library, name: str) -> object:
    (entry,) = [e for e in library.entries if e.name == name or name in e.variants]
    return entry


def test_wordings_cluster_with_counts_and_statistics() -> None:
    """Four wordings of 满意度 in four projects and three departments are one common entry, with its numbers."""
    library = build_library([DECLARATIONS, EVALUATIONS])
    (entry,) = [e for e in library.entries if e.code == "GX-0101"]
    assert entry.name == "服务对象满意度" and entry.level1 == "满意度指标"
    assert entry.variants == {"满意度": 1, "受益群众满意率": 1, "服务对象满意度": 1, "满意度指标": 1}
    assert (entry.uses, entry.projects, entry.departments) == (4, 3, 3)
    assert entry.years == (2023, 2024) and entry.common
    assert (entry.unit, entry.direction) == ("%", "越大越好")
    (t,) = entry.targets
    assert (t.unit, t.count, t.min, t.median, t.max) == ("%", 4, Decimal("85"), Decimal("90"), Decimal("95"))
    # declarations have no actual values: only the two self-evaluation rows are judged, one met (92 ≥ 90)
    assert (entry.assessed, entry.met, entry.met_rate) == (2, 1, Decimal("50.0"))
    assert set(entry.sectors) == {"交通", "教育", "卫生健康"}


def test_similar_words_stay_separate_entries() -> None:
    """培训人数 and 培训次数 are two entries with their own units."""
    library = build_library([DECLARATIONS])
    people, times = _entry(library, "培训人数"), _entry(library, "培训次数")
    assert people is not times
    assert (people.unit, times.unit) == ("人", "次")  # type: ignore[attr-defined]


def test_directions_of_targets() -> None:
    """≤ is 越小越好, a range 区间, a phrase 定性; each entry takes its usual direction."""
    assert direction_of("≤5%")[0] == "越小越好"
    assert direction_of("80%-90%")[0] == "区间"
    assert direction_of("规范")[0] == "定性"
    assert direction_of("=4(次)")[0] == "越大越好"
    library = build_library([EVALUATIONS])
    accidents = _entry(library, "事故发生率")
    assert accidents.direction == "越小越好"  # type: ignore[attr-defined]
    assert (accidents.assessed, accidents.met) == (2, 1)  # type: ignore[attr-defined]
    assert _entry(library, "水质达标比例").direction == "区间"  # type: ignore[attr-defined]
    assert _entry(library, "项目规范性").direction == "定性"  # type: ignore[attr-defined]


def test_quartiles_are_exact() -> None:
    """Quartiles interpolate between ranks in Decimal, exact to the digit."""
    assert quartiles([Decimal(n) for n in ("1", "2", "3", "4")]) == (
        Decimal("1"),
        Decimal("1.75"),
        Decimal("2.5"),
        Decimal("3.25"),
        Decimal("4"),
    )


def test_framework_common_indicators_are_seeded_and_codes_are_stable() -> None:
    """An empty library holds the 101号 common indicators; a mined entry's code is the same in every build."""
    empty = build_library([])
    assert {e.code for e in empty.entries} >= {"GX-0101", "GX-0102"}
    first = _entry(build_library([DECLARATIONS]), "培训人数")
    again = _entry(build_library([EVALUATIONS, DECLARATIONS]), "培训人数")
    assert first.code == again.code and first.code.startswith("ZB-")  # type: ignore[attr-defined]


def test_json_round_trip_and_search() -> None:
    """The library read back from its JSON is the same; search finds an entry by any of its variants."""
    library = build_library([DECLARATIONS, EVALUATIONS])
    again = Library.from_json(json.loads(json.dumps(library.to_json(), ensure_ascii=False)))
    assert again == library
    assert [e.code for e in search(again, "受益群众")] == ["GX-0101"]
    assert next(e.name for e in search(again, "满意率")) == "服务对象满意度"
    assert [e.name for e in search(again, "培训 人数")] == ["培训人数"]
    assert search(again, "不存在的指标") == []
