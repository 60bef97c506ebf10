"""Results application (结果应用) beyond the rule itself: the per-department, per-year summary table.

The rule (bands, proposals, decisions) lives with the other rule-pack data in
:mod:`jixiao.core.scoring.application`.
"""
