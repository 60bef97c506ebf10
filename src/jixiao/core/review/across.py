"""Across documents: link the same project in several documents, then compare its indicators.

Two relations matter to a reviewer (docs/domain.md §5, "Across documents"):

* **approved**: a declaration and a self-evaluation of the same year. The
  self-evaluation must score the approved indicators; one added, dropped
  or re-targeted without an adjustment is a warning.
* **previous-year**: the same project in an earlier year (the latest earlier
  year that has it). Indicators added or dropped and targets raised or
  lowered are information; a target lowered after a shortfall is a warning,
  and a target kept after a shortfall or after a large over-achievement is
  worth a reviewer's question.

Projects are linked by unit and name, tolerant of small differences: the
names are compared without generic words (经费, 项目, 专项, 工作 …) and, when
they differ more, the share of indicator names they have in common decides.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher

from jixiao.core.model import Document, Indicator, Kind, Project
from jixiao.core.review.context import PriorYear, Reporter, match_key, name_key, text_key
from jixiao.core.review.findings import Severity
from jixiao.core.scoring.assess import assess, read_value, same_unit
from jixiao.core.scoring.formulas import HUNDRED, quantize
from jixiao.core.scoring.packs import RulePack
from jixiao.core.targets import Compound, Operator, Qualitative, Quantity

__all__ = [
    "ProjectLink",
    "ProjectRef",
    "below_actual",
    "check_links",
    "check_prior",
    "compare_projects",
    "compare_targets",
    "link_projects",
    "linkable",
    "match_indicators",
]

_GENERIC = ("经费", "费用", "资金", "项目", "专项", "工作", "支出", "费")
NAME_SAME = Decimal("0.85")  # names this similar link on their own
NAME_NEAR = Decimal("0.6")  # names this similar link when the indicators agree too
OVERLAP_NEAR = Decimal("0.5")
ONE = Decimal(1)
INDICATOR_SAME = Decimal("0.8")  # indicator names this similar are the same indicator
PHRASE_SAME = Decimal("0.75")  # qualitative targets this similar say the same thing
_REVERSE = (Operator.LE, Operator.LT)


@dataclass(frozen=True)
class ProjectRef:
    """Where a project sits: the document's source name and position, the project's position."""

    source: str
    document: int
    index: int
    year: int | None
    kind: Kind
    name: str
    unit: str | None


@dataclass(frozen=True)
class ProjectLink:
    """The same project in two documents; ``relation`` is ``approved`` or ``previous-year``."""

    earlier: ProjectRef
    later: ProjectRef
    relation: str
    name_similarity: Decimal
    indicator_overlap: Decimal


def _core(name: str) -> str:
    """A project name without white space, punctuation and generic trailing words."""
    key = text_key(name)
    changed = True
    while changed:
        changed = False
        for word in _GENERIC:
            if key.endswith(word) and len(key) > len(word) + 1:
                key, changed = key[: -len(word)], True
    return key


def _ratio(a: str, b: str) -> Decimal:
    """The similarity of two strings (2 × matched ÷ total length) as an exact Decimal."""
    if a == b:
        return Decimal(1)
    if not a or not b:
        return Decimal(0)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return Decimal(2 * matched) / Decimal(len(a) + len(b))


def _same_unit(a: str | None, b: str | None) -> bool:
    """Units match when equal after folding, one contains the other, or one is not printed."""
    ka, kb = text_key(a), text_key(b)
    if not ka or not kb or ka in kb or kb in ka:
        return True
    return _ratio(ka, kb) >= NAME_SAME


def _overlap(a: Project, b: Project) -> Decimal:
    """The share of indicator names two projects have in common (of the smaller set)."""
    return _share({name_key(i) for i in a.indicators}, {name_key(i) for i in b.indicators})


def _share(ka: Collection[str], kb: Collection[str]) -> Decimal:
    if not ka or not kb:
        return Decimal(0)
    return Decimal(len(set(ka) & set(kb))) / Decimal(min(len(ka), len(kb)))


class _Names:
    """Each project's core name and indicator name keys, worked out once per linking run.

    A project is compared with the projects of every earlier document; without this its keys were
    folded again for each comparison (most of the time of linking a unit's records over four years).
    Keyed by identity: the documents do not change during a run.
    """

    def __init__(self) -> None:
        self._cores: dict[int, str] = {}
        self._keys: dict[int, frozenset[str]] = {}

    def core(self, p: Project) -> str:
        """The project's name without generic words."""
        found = self._cores.get(id(p))
        if found is None:
            found = self._cores[id(p)] = _core(p.name)
        return found

    def overlap(self, a: Project, b: Project) -> Decimal:
        """:func:`_overlap` of two projects, from their kept keys."""
        return _share(self._keys_of(a), self._keys_of(b))

    def _keys_of(self, p: Project) -> frozenset[str]:
        found = self._keys.get(id(p))
        if found is None:
            found = self._keys[id(p)] = frozenset(name_key(i) for i in p.indicators)
        return found


def _relation(a: Document, b: Document) -> str | None:
    """How document ``a`` relates to a later document ``b``, if at all."""
    if a.year is None or b.year is None:
        return None
    if a.year < b.year:
        return "previous-year"
    if a.year == b.year and a.kind is Kind.TARGET_DECLARATION and b.kind is not Kind.TARGET_DECLARATION:
        return "approved"
    return None


def _bigrams(text: str) -> set[str]:
    return {text[k : k + 2] for k in range(len(text) - 1)} or {text}


def _candidates(doc_a: Document, doc_b: Document, names: _Names) -> list[tuple[Decimal, Decimal, int, int]]:
    """Scored (rank, similarity, a, b) candidate pairs of projects that may be the same project.

    Exact core names are found through a dictionary; only the projects left
    over are compared fuzzily, and only with projects that share enough
    character pairs (a cheap filter that keeps large collections linear in practice).
    """
    cores_a = [names.core(p) for p in doc_a.projects]
    exact: dict[str, list[int]] = {}
    index: dict[str, list[int]] = {}
    for pa, core in enumerate(cores_a):
        exact.setdefault(core, []).append(pa)
        for gram in _bigrams(core):
            index.setdefault(gram, []).append(pa)
    out: list[tuple[Decimal, Decimal, int, int]] = []
    for pb, b in enumerate(doc_b.projects):
        core_b = names.core(b)
        hits = [pa for pa in exact.get(core_b, ()) if _same_unit(doc_a.projects[pa].unit, b.unit)]
        if hits:
            out.extend((ONE + names.overlap(doc_a.projects[pa], b), ONE, pa, pb) for pa in hits)
            continue
        grams = _bigrams(core_b)
        shared: dict[int, int] = {}
        for gram in grams:
            for pa in index.get(gram, ()):
                shared[pa] = shared.get(pa, 0) + 1
        for pa, count in shared.items():
            # names 60% alike share at least a fifth of their character pairs; fewer cannot link
            if 5 * count < min(len(grams), len(_bigrams(cores_a[pa]))):
                continue
            a = doc_a.projects[pa]
            if not _same_unit(a.unit, b.unit):
                continue
            sim = _ratio(cores_a[pa], core_b)
            if sim < NAME_NEAR:
                continue
            overlap = names.overlap(a, b)
            if sim >= NAME_SAME or overlap >= OVERLAP_NEAR:
                out.append((sim + overlap, sim, pa, pb))
    return out


def linkable(names: Sequence[str], start: Collection[int]) -> set[int]:
    """The names (by index) that may link with those of ``start``, directly or through one another.

    Two projects are linked only when their names are alike (the same without generic words, or at
    least :data:`NAME_NEAR` similar); so a project outside the returned set never links, nor competes
    for a link, with one inside it, and reviewing the set alone finds what reviewing every name would
    find for its projects. Units are not compared: ``names`` are one unit's.
    """
    cores = [_core(n) for n in names]
    grams = [_bigrams(c) for c in cores]
    index: dict[str, list[int]] = {}
    for k, gs in enumerate(grams):
        for gram in gs:
            index.setdefault(gram, []).append(k)
    found = set(start)
    todo = list(found)
    while todo:
        k = todo.pop()
        shared: dict[int, int] = {}
        for gram in grams[k]:
            for other in index.get(gram, ()):
                shared[other] = shared.get(other, 0) + 1
        for other, count in shared.items():
            if other in found:
                continue
            # the same cheap filter and the same threshold as the linking itself (see _candidates)
            alike = cores[other] == cores[k] or (
                5 * count >= min(len(grams[k]), len(grams[other])) and _ratio(cores[k], cores[other]) >= NAME_NEAR
            )
            if alike:
                found.add(other)
                todo.append(other)
    return found


def _pair_links(
    docs: Sequence[tuple[str, Document]], i: int, j: int, relation: str, names: _Names
) -> list[ProjectLink]:
    """One-to-one links between the projects of documents ``i`` (earlier) and ``j`` (later), best first."""
    (src_a, doc_a), (src_b, doc_b) = docs[i], docs[j]
    links: list[ProjectLink] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, sim, pa, pb in sorted(_candidates(doc_a, doc_b, names), key=lambda c: (-c[0], c[2], c[3])):
        if pa in used_a or pb in used_b:
            continue
        used_a.add(pa)
        used_b.add(pb)
        a, b = doc_a.projects[pa], doc_b.projects[pb]
        links.append(
            ProjectLink(
                ProjectRef(src_a, i, pa, doc_a.year, doc_a.kind, a.name, a.unit),
                ProjectRef(src_b, j, pb, doc_b.year, doc_b.kind, b.name, b.unit),
                relation,
                sim,
                names.overlap(a, b),
            )
        )
    return links


def link_projects(
    documents: Sequence[tuple[str, Document]], *, earlier: Collection[int] | None = None
) -> list[ProjectLink]:
    """Link each project to its approved declaration and to its latest earlier year, across ``documents``.

    ``documents`` are (source name, document) pairs; documents without a
    year are not linked. A later project keeps at most one approved link
    and one previous-year link (to the latest earlier year that has it).
    ``earlier`` lists the documents that may be the earlier side of a link
    (all when None): a document still being drafted is compared with what
    came before it, but nothing is compared with it.
    """
    links: list[ProjectLink] = []
    names = _Names()
    # Every ordered pair of documents: collections are small in count even when their projects are many.
    for j, (_, later) in enumerate(documents):
        for i, (_, before) in enumerate(documents):
            may = i != j and (earlier is None or i in earlier)
            relation = _relation(before, later) if may else None
            if relation:
                links.extend(_pair_links(documents, i, j, relation, names))
    best: dict[tuple[int, int, str], ProjectLink] = {}
    for link in links:
        key = (link.later.document, link.later.index, link.relation)
        held = best.get(key)
        # the nearest earlier year wins; within a year, the better match
        rank = (link.earlier.year or 0, link.name_similarity + link.indicator_overlap)
        if held is None or rank > (held.earlier.year or 0, held.name_similarity + held.indicator_overlap):
            best[key] = link
    return sorted(best.values(), key=lambda k: (k.later.document, k.later.index, k.relation))


def match_indicators(
    earlier: Sequence[Indicator], later: Sequence[Indicator]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair the indicators of two versions of a project: (pairs, unmatched earlier, unmatched later)."""
    keys_a = [match_key(i) for i in earlier]
    keys_b = [match_key(i) for i in later]
    free_a: dict[str, list[int]] = {}
    for ia, key in enumerate(keys_a):
        free_a.setdefault(key, []).append(ia)
    pairs: list[tuple[int, int]] = []
    rest_b: list[int] = []
    for ib, key in enumerate(keys_b):
        if free_a.get(key):
            pairs.append((free_a[key].pop(0), ib))
        else:
            rest_b.append(ib)
    # Whatever did not pair by name may be the same indicator renamed slightly (监督 → 监管): best pairs first.
    rest_a = sorted(ia for left in free_a.values() for ia in left)
    fuzzy = sorted(
        ((_ratio(keys_a[ia], keys_b[ib]), ia, ib) for ia in rest_a for ib in rest_b),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    for sim, ia, ib in fuzzy:
        if sim < INDICATOR_SAME:
            break
        if ia not in taken_a and ib not in taken_b:
            taken_a.add(ia)
            taken_b.add(ib)
            pairs.append((ia, ib))
    unmatched_a = [ia for ia in rest_a if ia not in taken_a]
    unmatched_b = [ib for ib in rest_b if ib not in taken_b]
    return sorted(pairs, key=lambda p: p[1]), unmatched_a, unmatched_b


def _stricter(a: Quantity, b: Quantity) -> int:
    """+1 when ``b`` asks for more than ``a`` (same direction), -1 for less, 0 for the same number."""
    # Decimal compares by value: 1 and 1.00 are the same target.
    if a.number == b.number:
        return 0
    higher = b.number > a.number
    # For a reverse indicator (≤ days, ≤ complaints) a smaller number asks for more.
    return (1 if higher else -1) * (-1 if a.operator in _REVERSE else 1)


def _compare_quantities(a: Quantity, b: Quantity) -> tuple[str, str]:
    if not same_unit(a.unit, b.unit):
        return "changed", f"计量单位由“{a.unit}”改为“{b.unit}”"
    if (a.operator in _REVERSE) != (b.operator in _REVERSE):
        return "changed", f"比较方向由“{a.operator or ''}”改为“{b.operator or ''}”"
    step = _stricter(a, b)
    if step > 0:
        return "raised", "要求提高"
    if step < 0:
        return "lowered", "要求降低"
    if (a.operator or Operator.EQ) != (b.operator or Operator.EQ):
        return "changed", f"比较符号由“{(a.operator or Operator.EQ).value}”改为“{(b.operator or Operator.EQ).value}”"
    return "same", ""


def _quoted(value: str | None) -> str:
    """A target as a message quotes it; an empty one (a row being typed) is 空白, never Python's ``None``."""
    return f"“{value}”" if value is not None else "空白（未填写）"


def compare_targets(earlier: str | None, later: str | None) -> tuple[str, str]:
    """How a target changed: (``same`` | ``raised`` | ``lowered`` | ``changed``, a few words why)."""
    # Folded text first: ">=1次" and "≥1次" differ only in how the sign was typed.
    if text_key(earlier) == text_key(later):
        return "same", ""
    a, b = read_value(earlier), read_value(later)
    if isinstance(a, Quantity) and isinstance(b, Quantity):
        return _compare_quantities(a, b)
    if isinstance(a, Compound) and isinstance(b, Compound) and [p.label for p in a.parts] == [p.label for p in b.parts]:
        kinds = {_compare_quantities(pa.quantity, pb.quantity)[0] for pa, pb in zip(a.parts, b.parts, strict=True)}
        kinds.discard("same")
        if not kinds:
            return "same", ""
        if len(kinds) == 1 and kinds <= {"raised", "lowered"}:
            kind = kinds.pop()
            return kind, "要求提高" if kind == "raised" else "要求降低"
        return "changed", "各部分有升有降或写法改变"
    if isinstance(a, Qualitative) and isinstance(b, Qualitative) and a.tier is None and b.tier is None:
        # 及时 → 及时完成, a corrected typo: the same promise in other words is not a change a reviewer acts on
        pa, pb = text_key(a.phrase), text_key(b.phrase)
        if pa in pb or pb in pa or _ratio(pa, pb) >= PHRASE_SAME:
            return "same", ""
    return "changed", "指标值的写法改变"


def check_links(
    r: Reporter, documents: Sequence[tuple[str, Document]], links: Sequence[ProjectLink], pack: RulePack
) -> None:
    """The cross-document findings of every link, reported on the later project."""
    for link in links:
        _, doc_a = documents[link.earlier.document]
        source_b, doc_b = documents[link.later.document]
        p, c = doc_a.projects[link.earlier.index], doc_b.projects[link.later.index]
        r.source, r.year = source_b, doc_b.year
        approved = link.relation == "approved"
        if approved:
            then = f"{doc_a.year} 年批复的申报表"
        else:
            then = f"{doc_a.year} 年" + ("申报表" if doc_a.kind is Kind.TARGET_DECLARATION else "自评表")
        compare_projects(r, p, c, approved=approved, then=then, source=link.earlier.source, pack=pack)


def check_prior(r: Reporter, project: Project, prior: PriorYear) -> None:
    """The previous-year findings of ``project`` against last year's record, given as plain data.

    The web passes the project's latest earlier approved declaration with last year's actual values
    (:class:`~jixiao.core.review.context.PriorYear`), so a declaration being typed is judged as the
    cross-document pass would judge it once saved.
    """
    then = f"{prior.year} 年" + ("自评表" if prior.evaluated else "申报表")
    compare_projects(r, prior.project, project, approved=False, then=then, source=prior.source, pack=r.pack)


def below_actual(target: str | None, actual: str | None) -> tuple[Quantity, Quantity] | None:
    """(target, actual) when the target asks for less than was achieved, by the target's own direction.

    ≥, >, = and a bare number are promises to reach a number: below when the target's number is smaller
    than the actual; ≤ and < are ceilings: below when the target's number is larger. Only two plain
    quantities in the same unit are compared (a compound or qualitative target, or another unit, is not).
    """
    if not actual:
        return None
    t, a = read_value(target), read_value(actual)
    if not isinstance(t, Quantity) or not isinstance(a, Quantity) or not same_unit(t.unit, a.unit):
        return None
    lower = t.number > a.number if t.operator in _REVERSE else t.number < a.number
    return (t, a) if lower else None


def compare_projects(
    r: Reporter, p: Project, c: Project, *, approved: bool, then: str, source: str, pack: RulePack
) -> None:
    """The findings of project ``c`` against its earlier version ``p``: its approval, or an earlier year."""
    similarity = pack.phrase_similarity if pack.same_phrase_is_met else None
    threshold = pack.over_achievement_pct / HUNDRED
    where = f"{then}的“{p.name}”（{source}）"
    cited = f"{then}（{source}）"
    pairs, dropped, added = match_indicators(p.indicators, c.indicators)
    for ib in added:
        ind = c.indicators[ib]
        if approved:
            r.add(
                "indicator-added",
                c,
                f"指标“{ind.name}”（指标值{_quoted(ind.target)}）不在 {where}的指标中，且未见调整记录。",
                indicator=ind,
                index=ib,
                field="name",
                found=ind.name,
            )
        else:
            r.add(
                "yoy-indicator-added",
                c,
                f"较 {where}，新增指标“{ind.name}”（指标值{_quoted(ind.target)}）。",
                indicator=ind,
                index=ib,
                field="name",
                found=ind.name,
            )
    for ia in dropped:
        ind = p.indicators[ia]
        done = f"，实际完成“{ind.actual}”" if ind.actual is not None and not approved else ""
        if approved:
            r.add(
                "indicator-dropped",
                c,
                f"{where}的指标“{ind.name}”（指标值{_quoted(ind.target)}）在自评表中没有出现。",
                indicator=ind,
                field="name",
                expected=ind.name,
            )
        else:
            r.add(
                "yoy-indicator-dropped",
                c,
                f"{where}的指标“{ind.name}”（指标值{_quoted(ind.target)}{done}）本年度不再设置。",
                indicator=ind,
                field="name",
                expected=ind.name,
            )
    unchanged = 0
    for ia, ib in pairs:
        old, new = p.indicators[ia], c.indicators[ib]
        kind, why = compare_targets(old.target, new.target)
        unchanged += kind == "same"
        shown = f"由 {cited}的{_quoted(old.target)}改为{_quoted(new.target)}"
        # In the same year any change is a deviation from the approval; across years it is information.
        if approved:
            if kind != "same":
                r.add(
                    "target-changed",
                    c,
                    f"指标“{new.name}”的指标值{shown}（{why}），未见调整记录。",
                    indicator=new,
                    index=ib,
                    field="target",
                    expected=old.target,
                    found=new.target,
                )
            continue
        # Last year's own result decides which question to ask about this year's target.
        past = assess(old.target, old.actual, pack.reverse_completion, similarity) if old.actual else None
        short = past is not None and past.scorable and past.met is False
        over = past is not None and past.exceeded_by is not None and past.exceeded_by >= threshold
        before = f"{cited}指标值“{old.target}”，实际完成“{old.actual}”"
        # an unchanged target is the over-achievement rule's question (its threshold is the pack's), not this one's
        below = below_actual(new.target, old.actual) if kind != "same" else None
        if short and kind in ("lowered", "same"):
            lowered = kind == "lowered"
            code = "target-lowered-after-shortfall" if lowered else "target-unchanged-after-shortfall"
            tail = f"本年度反而降低为“{new.target}”" if lowered else f"本年度仍为“{new.target}”，请确认其可行性"
            r.add(
                code,
                c,
                f"指标“{new.name}”上年未完成（{before}），{tail}。",
                indicator=new,
                index=ib,
                field="target",
                expected=old.target,
                found=new.target,
                # how strict "unchanged after a miss" is, is the pack's [carry] choice (财预〔2021〕101号)
                severity=None if lowered else Severity(pack.carry.unchanged_after_miss_severity),
            )
        elif over and kind in ("lowered", "same") and past is not None and past.exceeded_by is not None:
            tail = "本年度反而降低为" if kind == "lowered" else "本年度仍为"
            r.add(
                "target-unchanged-after-over-achievement",
                c,
                f"指标“{new.name}”上年超额 {quantize(past.exceeded_by * HUNDRED, Decimal('0.01'))}%（{before}），"
                f"{tail}“{new.target}”，未据实提高。",
                indicator=new,
                index=ib,
                field="target",
                expected=old.target,
                found=new.target,
            )
        elif below is not None:
            r.add(
                "target-below-prior-actual",
                c,
                f"指标“{new.name}”的指标值“{new.target}”低于上年实际完成值（{before}），"
                "延续项目的指标值原则上不低于上年实际，确需降低请说明理由。",
                indicator=new,
                index=ib,
                field="target",
                expected=old.actual,
                found=new.target,
                severity=Severity(pack.carry.below_actual_severity),
            )
        elif kind != "same":
            code = {"raised": "yoy-target-raised", "lowered": "yoy-target-lowered"}.get(kind, "yoy-target-changed")
            r.add(
                code,
                c,
                f"指标“{new.name}”的指标值{shown}（{why}）。",
                indicator=new,
                index=ib,
                field="target",
                expected=old.target,
                found=new.target,
            )
    # One finding per project, not one per indicator: copying is a property of the whole table.
    if not approved and not added and not dropped and unchanged == len(pairs) >= 3:
        r.add(
            "yoy-targets-unchanged",
            c,
            f"项目“{c.name}”本年度的 {len(pairs)} 个指标及指标值与 {where}完全相同，未根据上年完成情况调整。",
            field="indicators",
        )
