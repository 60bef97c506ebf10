"""The rule packs and the check registry as a Markdown document (``docs/rules.md``).

:func:`rules_markdown` builds the text from the data alone, so the document
cannot drift from what the program does; ``docs/rules.md`` is its output::

    .venv/bin/python -c "from jixiao.core.review.catalog import rules_markdown as r; print(r(), end='')" \\
        > docs/rules.md
"""

from __future__ import annotations

from jixiao.core.review.findings import CHECKS, SCOPES, Severity
from jixiao.core.scoring.packs import DEFAULT_PACK, RulePack, available_packs, load_pack

__all__ = ["rules_markdown"]


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    # A "|" in a basis text would split the cell; a newline would end the table.
    return text.replace("|", "\\|").replace("\n", " ")


_STRICTNESS = {
    "error": f"{Severity.ERROR.label}（不能提交、批复、公开）",
    "warning": Severity.WARNING.label,
    "info": Severity.INFO.label,
    "off": "不检查",
}


def _monitoring_line(pack: RulePack) -> str:
    """The pack's monitoring thresholds in one line (财预〔2019〕136号)."""
    m = pack.monitoring
    schedule = "按月（已过完的整月数 ÷ 12）" if m.schedule == "months" else "按日（当年第几天 ÷ 当年天数）"
    equal = "与指标值不同" if m.equal_forecast == "differs" else "低于指标值"
    return (
        f"- 运行监控 monitoring（{m.document}）：序时进度{schedule}；执行率低于序时进度超过 "
        f"{m.execution_margin_pct} 个百分点预警；全年预计执行数比预算少 {m.budget_forecast_shortfall_pct}% 以上预警；"
        f"“=”指标预计值{equal}即预警；预计值含 {'、'.join(m.unmet_words)} 视为不能完成；"
        f"完成目标可能性为 {'、'.join(m.unmet_likelihoods)} 的定性指标视为不能完成；"
        f"可能性为 {'、'.join(m.remedy_likelihoods)} 须填写纠偏措施"
    )


def _exante_line(pack: RulePack) -> str:
    """The pack's ex-ante assessment sheet, conclusion bands and gate in one line (中发〔2018〕34号)."""
    e = pack.exante
    sheet = "；".join(
        f"{d.name} {d.weight}（" + "、".join(f"{q.text} {q.weight}" for q in d.questions) + "）" for d in e.dimensions
    )
    return (
        f"- 事前绩效评估 exante（{e.document}）：{sheet}；总分 ≥ {e.support_min} 予以支持，"
        f"≥ {e.adjust_min} 调整完善后予以支持，其余不予支持；项目性质含 {'、'.join(e.new_natures)} 且申请总额 ≥ "
        f"{e.gate_amount_yuan} 元的申报表须经评估支持后才能批复"
    )


def _pack_section(pack: RulePack) -> list[str]:
    src = pack.source
    default = "（默认）" if pack.name == DEFAULT_PACK else ""
    lines = [
        f"### `{pack.name}`{default}：{pack.title}",
        "",
        f"- 版本 version：`{pack.version}`；适用年度 years：{pack.years[0]}–{pack.years[1]}",
        f"- 依据 official text：{src.document}“{src.title}”，{src.issuer}，{src.date}；条款：{'、'.join(src.articles)}",
        f"- 概要：{pack.summary}",
    ]
    if src.note:
        lines.append(f"- 说明：{src.note}")
    split = "、".join(f"{k} {v}" for k, v in pack.split)
    with_cost = "、".join(f"{k} {v}" for k, v in pack.split_with_cost)
    grades = "、".join(f"{g.grade} ≥ {g.min_score}" for g in pack.grades)
    tiers = "、".join(f"{t.label} {low}%–{high}%" for t, low, high in pack.tiers)
    lines += [
        f"- 分值 weights：总分 {pack.total_weight} = 预算执行率 {pack.execution_weight} + "
        f"指标 {pack.indicator_weight}；默认 {split}；含成本指标 {with_cost}",
        f"- 分值构成 shares：执行率与指标的构成（split）不符时为 {_STRICTNESS[pack.split_check]}；"
        f"一级指标与默认分配（level1）不同时为 {_STRICTNESS[pack.level1_check]}",
        f"- 取整 rounding：{pack.rounding}，{pack.places} 位小数；自评分容差 {pack.score_tolerance}；"
        f"执行率得分容差 {pack.execution_score_tolerance}",
        f"- 预算执行率 execution：`{pack.execution_formula}`，以分值为上限"
        + (
            "；分档 " + "、".join(f"≥{b.min_pct}% 得 {b.share_pct}%" for b in pack.execution_bands)
            if pack.execution_bands
            else ""
        ),
        f"- 定量指标 indicators：`{pack.indicator_score}`"
        + (f"（及格线 {pack.threshold_pct}%）" if pack.indicator_score != "proportional" else "")
        + f"；正向 `{pack.positive_completion}`；反向 `{pack.reverse_completion}`"
        + (f"（可选：{'、'.join(f'`{a}`' for a in pack.reverse_alternatives)}）" if pack.reverse_alternatives else ""),
        f"- 时限指标 deadline：`{pack.deadline}`（不晚于期限得满分，逾期 0 分）",
        f"- 定性指标 tiers：{tiers}；建议分取档内上限，自评分落在闭区间内即视为一致",
        f"- 满意度 satisfaction：`{pack.satisfaction_formula}`"
        + (
            "；分档 " + "、".join(f"≥{b.min_pct}% 得 {b.share_pct}%" for b in pack.satisfaction_bands)
            if pack.satisfaction_bands
            else ""
        ),
        f"- 等级 grades：{grades}",
        f"- 阈值 thresholds：超额 {pack.over_achievement_pct}%；执行率偏低 {pack.low_execution_pct}%；"
        f"“低执行率满分” {pack.full_marks_low_execution_pct}%",
        f"- 执行率显示取整 display：接受 {'、'.join(pack.rate_rounding)}；模板 "
        + "、".join(f"{k} = {v}" for k, v in pack.rate_templates),
        _monitoring_line(pack),
        _exante_line(pack),
        "",
        "| 规则 rule | 公式 formula | 依据 basis | 条款 article | 假设 assumption |",
        "| --- | --- | --- | --- | --- |",
    ]
    for b in pack.bases:
        cells = (f"`{b.key}`", _cell(b.formula), _cell(b.basis), _cell(b.article or ""), _cell(b.assumption or ""))
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def rules_markdown() -> str:
    """``docs/rules.md``: every rule pack and every registered check, in Chinese with English keys."""
    lines = [
        "# 评分规则与审核检查（Rule packs and review checks）",
        "",
        "本文件由 `jixiao.core.review.catalog.rules_markdown()` 根据规则包数据和检查登记表生成，请勿手工修改；",
        "修改规则请改 `src/jixiao/core/scoring/packs/*.toml`，修改检查请改 `src/jixiao/core/review/findings.py`。",
        "",
        "Generated from the rule packs and the check registry; edit those, then regenerate.",
        "",
        "## 规则包（Rule packs）",
        "",
        "规则包是带版本的数据文件，写明所依据的官方文件。文档或项目可以指定规则包，未指定时使用默认包。"
        "网页中，各主管部门按年度适用的规则包由财政部门设定，每条记录保存并注明自己的规则包"
        "（见 `docs/decisions/0006-rule-pack-per-department.md`）。",
        "",
    ]
    # Every shipped pack, default first by name order (mof-2020 sorts before mof-2021-core).
    for name in available_packs():
        lines += _pack_section(load_pack(name))
    lines += [
        "## 审核检查（Review checks）",
        "",
        "每条检查有固定的代码（code）、严重程度（error 错误 / warning 警告 / info 提示）、所指位置和中文说明。",
        "`jixiao check` 在出现 error 时以状态 1 退出。自评分与规则不一致是提示审核人关注的发现，不是错误。",
        "",
    ]
    for scope, title in SCOPES.items():
        lines += [
            f"### {title}（`{scope}`）",
            "",
            "| 代码 code | 严重程度 | 名称 | 检查内容 | 依据 |",
            "| --- | --- | --- | --- | --- |",
        ]
        for check in CHECKS:
            if check.scope == scope:
                lines.append(
                    f"| `{check.code}` | {check.severity.value}（{check.severity.label}） | {_cell(check.title)} "
                    f"| {_cell(check.checks)} | {_cell(check.basis)} |"
                )
        lines.append("")
    return "\n".join(lines)
