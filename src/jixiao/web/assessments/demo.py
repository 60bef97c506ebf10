"""The demo's ex-ante assessments: an expert pool with logins, and new projects' assessments in every state.

``jixiao demo`` calls :func:`demo_assessments` after the monitoring round. The demo unit declares four
new projects above the gate's amount; the finance bureau assesses them: one being prepared (its cost
section filled), one with the panel drawn and one sheet in, one concluded 调整完善后予以支持 with its
adjustments recorded (waiting for the bureau's approval, which the gate now lets through), one
concluded 予以支持 and approved. Every step goes through the services as a person's would, audited.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.contrib.auth.models import User

from jixiao.core.scoring.exante import national_default
from jixiao.core.workflow import Action, Role
from jixiao.web.accounts.models import Account
from jixiao.web.assessments import services
from jixiao.web.assessments.models import Assessment
from jixiao.web.audit.services import Context
from jixiao.web.cycle import services as cycle
from jixiao.web.cycle.models import Declaration
from jixiao.web.orgs.models import Organization

EXPERTS = (
    ("expert1", "周明华", "财务、审计", "上海财经大学", "教授", None),
    ("expert2", "吴立新", "医疗保障、公共卫生", "复旦大学公共卫生学院", "研究员", None),
    ("expert3", "郑雅琴", "信息化、项目管理", "上海市信息化发展研究协会", "高级工程师", None),
    ("expert4", "冯建国", "财务、资产评估", "立信会计师事务所", "注册会计师", None),
    ("expert5", "陈思远", "医疗保障、财务", "上海市医疗保障局", "高级经济师", "上海市医疗保障局"),
    ("expert6", "褚晓东", "信息化、财务", "上海某信息技术有限公司", "高级工程师", "conflict"),
)
INDICATORS = [
    cycle.IndicatorInput("产出指标", "数量指标", "系统功能模块上线数", "≥12(个)", Decimal("30")),
    cycle.IndicatorInput("产出指标", "质量指标", "系统可用率", "≥99%", Decimal("20")),
    cycle.IndicatorInput("效益指标", "社会效益指标", "医保业务线上办理率", "≥90%", Decimal("30")),
    cycle.IndicatorInput("满意度指标", "服务对象满意度指标", "参保人员满意度", "≥90%", Decimal("10")),
]
PROJECTS = ("医保智能监管平台建设", "长护险信息系统升级", "医保移动支付推广", "医保数据中心扩容")


def _declaration(ctx: Context, unit: Organization, name: str, year: int) -> Declaration:
    data = {
        "nature": "新增项目",
        "category": "特定目标类",
        "money_unit": "万元",
        "requested_total": Decimal("680.00"),
        "requested_current": Decimal("680.00"),
        "requested_carryover": Decimal("0.00"),
        "requested_other": Decimal("0.00"),
        "goal": f"建成{name}，全年上线功能模块12个，提升医保业务线上办理水平。",
    }
    return cycle.create_declaration(ctx, unit, name, year, data, INDICATORS)


def _sheet(share: str) -> dict[str, str]:
    return {q.key: str((q.weight * Decimal(share)).quantize(Decimal("0.01"))) for q in national_default().questions}


def demo_assessments(people: dict[str, User]) -> list[tuple[Role, str, str, str]]:
    """The experts (their logins returned for the demo's list) and four assessments in their states."""
    finance, dept, unit_staff = Context.system(people["finance"]), people["dept"], people["unit"]
    unit = unit_staff.account.organization
    assert unit is not None
    department = Organization.objects.get(name="上海市医疗保障局")
    logins, experts = [], {}
    for username, name, fields, affiliation, title, where in EXPERTS:
        password = secrets.token_urlsafe(12)
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.save()
        Account.objects.update_or_create(
            user=user, defaults={"role": Role.EXPERT.value, "organization": None, "display_name": name}
        )
        data = services.ExpertInput(
            name=name,
            fields=fields,
            affiliation=affiliation,
            title=title,
            department_id=department.pk if where == department.name else None,
            conflict_ids=(unit.pk,) if where == "conflict" else (),
            conflict_note="曾承接该单位信息系统运维" if where == "conflict" else "",
        )
        experts[username] = services.save_expert(finance, data, user_id=user.pk)
        logins.append((Role.EXPERT, username, password, affiliation))

    year = max(Declaration.objects.values_list("year", flat=True), default=2025)
    staff, reviewer = Context.system(unit_staff), Context.system(dept)
    made = []
    for name in PROJECTS:
        decl = _declaration(staff, unit, name, year)
        cycle.act(staff, decl, Action.SUBMIT)
        cycle.act(reviewer, Declaration.objects.get(pk=decl.pk), Action.DEPT_APPROVE)
        made.append(Declaration.objects.get(pk=decl.pk))
    preparing, scoring, adjusted, supported = (
        services.create_assessment(finance, d, f"{d.project_name}为新增信息化项目，评估其立项必要性和投入经济性。")
        for d in made
    )
    for a in (preparing, scoring, adjusted, supported):
        costs = [
            services.CostInput(
                "系统功能模块上线数",
                "个",
                Decimal(12),
                Decimal("6800000.00"),
                Decimal("520000.00"),
                "本市政务信息化项目建设指南",
            )
        ]
        services.update_assessment(finance, a, a.version, a.summary, "主要产出单位成本略高于参考标准。", costs)
    a = services.draw_panel(finance, Assessment.objects.get(pk=scoring.pk), seed="demo-scoring").assessment
    first = a.seats.select_related("expert__user").first()
    assert first is not None and first.expert.user is not None
    services.submit_scores(Context.system(first.expert.user), a, _sheet("0.85"), "立项依据充分，成本测算需细化。")
    for target, share, opinion in ((adjusted, "0.72", "建议压减模块数量后支持。"), (supported, "0.9", "同意立项。")):
        drawn = services.draw_panel(finance, Assessment.objects.get(pk=target.pk), seed=f"demo-{target.pk}")
        for seat in drawn.assessment.seats.select_related("expert__user"):
            assert seat.expert.user is not None
            services.submit_scores(Context.system(seat.expert.user), drawn.assessment, _sheet(share), opinion)
        services.conclude_assessment(finance, Assessment.objects.get(pk=target.pk), opinion)
    services.record_adjustments(
        finance, Assessment.objects.get(pk=adjusted.pk), "功能模块由 12 个压减为 10 个，申请总额调减至 560 万元。"
    )
    cycle.act(finance, supported.declaration, Action.FINANCE_APPROVE)
    return logins
