"""Web pages under load: a province-sized PostgreSQL database, gunicorn, 20 concurrent signed-in clients.

    python benchmarks/bench_web.py [--scale 1.0] [--duration 20] [--clients 20] [--workers 5]
                                   [--db jixiao_bench] [--keep] [--reuse] [--pages ...]

What it does, in order:

1. **Database.** Creates the PostgreSQL database ``--db`` (127.0.0.1:5432,
   user ``postgres``) and migrates it with ``python -m jixiao.web.manage
   migrate``; with ``--reuse`` an existing database generated at the same
   scale is used as it is.
2. **Data.** A province at ``--scale`` 1.0: 1 finance bureau, 50
   departments, 1,000 units, 20,000 project-years (declarations of
   2022-2025, in every state) with 12-18 indicators each (~300,000), the
   self-evaluations of 2022-2024 in every state with their indicator rows,
   review history and a few adjustments; one reviewer per department, one
   filer per unit, three finance reviewers. Loaded with PostgreSQL COPY,
   then ``VACUUM ANALYZE``. A second, small database (``<db>_small``, 1% of
   a province, or a tenth of ``--scale`` when that is smaller) is made the
   same way to compare query counts.
3. **Queries per page**, in-process with ``CaptureQueriesContext`` against
   both databases, and ``EXPLAIN ANALYZE`` of the slowest statement.
4. **Load.** gunicorn (sync workers, ``--workers``, default 5 for a
   2-core machine: 2 x cores + 1, so that a worker waiting on PostgreSQL
   leaves a core to another) serves the project through ``bench_settings``
   (the project's settings with a URLconf that adds one bare view,
   ``bench_urls``). ``--clients`` threads each sign in through the login
   page (with its CSRF token) as the finance reviewer and as the unit
   filer, then request one page as fast as they can for ``--duration``
   seconds after a short warm-up; pages one after another.
5. **Report**: requests per second, p50, p95, p99, errors (non-200 or a
   page without its expected text), and p50/p95 as a ratio to the bare
   view's (``bare``: anonymous, no database; ``bare_signed_in`` adds the
   session read every signed-in request pays, and its write once a minute); ``alone`` is the
   p50 of one client by itself (``--solo`` seconds), the page's own time
   without queueing; ``queries``/``small`` the query counts at both sizes.
   The table is printed and ``benchmarks/results/web.json`` keeps the run
   under its scale. The goal: p95 under 300 ms for the cycle's lists,
   record pages and form (issue 4) and under 500 ms for the finance
   bureau's 汇总表 and dashboard (issue 6), no errors, the same query
   count per page at both sizes. The summaries cache their figures by
   data version (``jixiao.web.summary.cache``): under load every request
   after the first is a hit, so their ``alone`` column is the cost of a
   hit; the query counts and ``page_ms`` in the results file are measured
   with the cache emptied before each request, so they are the cost of a
   miss.

The clients never pause, so with 20 of them the server runs flat out and
p50 is close to 20 / (requests per second): the latency is mostly
queueing for a core, and it falls with the CPU each page costs.

The machine may be shared: before each page the bench waits (up to
``--quiet-timeout``) for an idle machine, counts the CPU other programs
use while it measures (``others``, in cores, from /proc), and measures
again (``--retries``) when they used more than 0.15 of a core, keeping
the cleanest attempt. The load generator runs on the same machine as
gunicorn and PostgreSQL and takes its share of the cores.

The databases are dropped at the end unless ``--keep``. Not part of the
test run (``tests/web/test_query_counts.py`` is the test of the query
counts).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "web.json"
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
PASSWORD = "Bench-jixiao-2025!"
BENCH_USERS = {"finance": "bench_finance", "dept": "bench_dept", "staff": "bench_staff"}
GOAL_P95_MS = 300.0
CENT = Decimal("0.01")


def database_url(db: str) -> str:
    """The DATABASE_URL of a benchmark database."""
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{db}"


def child_env(db: str) -> dict[str, str]:
    """The environment of every child: the database, development settings (no HTTPS redirect), DEBUG off."""
    env = dict(os.environ)
    env.pop("JIXIAO_ENV", None)
    env |= {
        "DATABASE_URL": database_url(db),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "JIXIAO_DEBUG": "0",  # DEBUG keeps every query in memory and is not how a server runs
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT / "src"), env.get("PYTHONPATH", "")]),
    }
    return env


# -- the data set (runs in a child with Django set up) --------------------------------------------

PROVINCE = "江南省"
DEPARTMENTS = [
    "发展和改革委员会", "教育厅", "科学技术厅", "工业和信息化厅", "民族宗教事务委员会", "公安厅", "民政厅",
    "司法厅", "人力资源和社会保障厅", "自然资源厅", "生态环境厅", "住房和城乡建设厅", "交通运输厅", "水利厅",
    "农业农村厅", "商务厅", "文化和旅游厅", "卫生健康委员会", "退役军人事务厅", "应急管理厅", "审计厅",
    "国有资产监督管理委员会", "市场监督管理局", "广播电视局", "体育局", "统计局", "医疗保障局", "林业局",
    "粮食和物资储备局", "监狱管理局", "药品监督管理局", "知识产权局", "地方金融管理局", "机关事务管理局",
    "信访局", "人民防空办公室", "档案馆", "地震局", "气象局", "供销合作社联合社", "残疾人联合会",
    "妇女联合会", "科学技术协会", "文学艺术界联合会", "社会科学院", "农业科学院", "总工会", "红十字会",
    "疾病预防控制局", "数据局",
]  # fmt: skip
UNIT_SUFFIXES = [
    "机关本级", "信息中心", "事务服务中心", "发展研究中心", "宣传教育中心", "培训中心", "综合行政执法总队",
    "评估中心", "档案室", "监测中心", "技术中心", "后勤服务中心", "规划研究院", "质量检验所", "数据中心",
    "应急保障中心", "对外交流中心", "科技推广站", "财务核算中心", "离退休干部服务中心",
]  # fmt: skip
TOPICS = [
    "信息化系统运行维护", "业务培训", "专项督查", "办公设备购置", "政策课题研究", "宣传教育", "基础设施维修改造",
    "数据采集与监测", "人才队伍建设", "公共服务能力提升", "应急物资储备", "标准化建设", "档案数字化",
    "安全生产检查", "政策实施效果评估", "科普活动", "对外交流合作", "执法装备更新", "网络安全等级保护测评",
    "办公用房维修", "重点实验室运行", "乡村振兴帮扶", "政务服务热线运行", "统计调查", "质量抽检",
    "森林防火", "食品安全监测", "职业技能提升行动", "老年人关爱服务", "残疾人康复救助",
]  # fmt: skip
TOPIC_SUFFIXES = ["经费", "项目", "专项资金"]
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
# given names, one or two characters
GIVEN = [*"伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚文华鑫宇浩婷雪", "秀英", "桂英", "建华", "志强", "海燕"]
CENTRAL = ["财政部", "教育部", "国家卫生健康委员会", "农业农村部", "交通运输部", "民政部"]
# (一级, 二级, 三级, 年度指标值, 达成时的实际值, 未达成时的实际值)
TEMPLATES = [
    ("产出指标", "数量指标", "培训场次", "≥4(次)", "5次", "3次"),
    ("产出指标", "数量指标", "培训人次", "≥200(人次)", "236人次", "168人次"),
    ("产出指标", "数量指标", "设备购置数量", "=30(台)", "30台", "26台"),
    ("产出指标", "数量指标", "检查覆盖单位数", "≥50(家)", "57家", "41家"),
    ("产出指标", "数量指标", "宣传材料发放", "≥5000(份)", "5600份", "4200份"),
    ("产出指标", "数量指标", "研究报告数量", "=3(篇)", "3篇", "2篇"),
    ("产出指标", "质量指标", "培训合格率", "≥90%", "96%", "85%"),
    ("产出指标", "质量指标", "设备验收合格率", "=100%", "100%", "97%"),
    ("产出指标", "质量指标", "系统可用率", "≥99.5%", "99.8%", "99.1%"),
    ("产出指标", "质量指标", "问题整改率", "≥95%", "98%", "90%"),
    ("产出指标", "时效指标", "项目完成及时率", "=100%", "100%", "92%"),
    ("产出指标", "时效指标", "资金支付及时率", "≥95%", "100%", "88%"),
    ("成本指标", "经济成本指标", "人均培训成本", "≤800(元/人)", "742元/人", "865元/人"),
    ("成本指标", "经济成本指标", "设备单价", "≤5(万元/台)", "4.6万元/台", "5.3万元/台"),
    ("效益指标", "社会效益指标", "业务能力提升情况", "有效提升", "有效提升", "部分提升"),
    ("效益指标", "社会效益指标", "群众知晓率", "≥85%", "91%", "80%"),
    ("效益指标", "社会效益指标", "服务对象覆盖率", "≥90%", "94%", "86%"),
    ("效益指标", "经济效益指标", "节约运行成本", "≥10(万元)", "12.5万元", "8万元"),
    ("效益指标", "可持续影响指标", "长效机制建立情况", "建立健全", "已建立", "正在建立"),
    ("效益指标", "可持续影响指标", "系统持续运行年限", "≥5(年)", "5年", "3年"),
    ("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥85%", "92%", "83%"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "95%", "87%"),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "93%", "88%"),
    ("满意度指标", "服务对象满意度指标", "基层单位满意度", "≥85%", "90%", "82%"),
]
FUND_ITEMS = [
    "资金到位情况",
    "资金分配情况",
    "资金使用情况",
    "资金管理制度",
    "资金监管情况",
    "财务核算情况",
    "信息公开情况",
]
RETURN_COMMENTS = [
    "请细化绩效指标，补充可量化的指标值。",
    "预算执行率偏低，请说明原因。",
    "满意度指标缺少调查方式，请补充。",
]
DEVIATIONS = [
    "受项目招标进度影响，部分任务延至下年度完成，将加强计划管理。",
    "实际需求低于预期，下一步将优化资金安排。",
]
YEARS = (2022, 2023, 2024, 2025)
START_YEAR_WEIGHTS = (0.6, 0.15, 0.15, 0.1)
DECLARATION_STATES = {
    2022: (("published", 0.7), ("approved", 0.3)),
    2023: (("published", 0.7), ("approved", 0.3)),
    2024: (("published", 0.5), ("approved", 0.5)),
    2025: (
        ("draft", 0.2), ("submitted", 0.25), ("returned", 0.1), ("dept_approved", 0.15), ("approved", 0.2),
        ("published", 0.1),
    ),
}  # fmt: skip
EVALUATION_STATES = {
    2022: (("published", 0.6), ("approved", 0.4)),
    2023: (("published", 0.6), ("approved", 0.4)),
    2024: (
        ("draft", 0.3), ("submitted", 0.2), ("returned", 0.1), ("dept_approved", 0.15), ("approved", 0.15),
        ("published", 0.1),
    ),
}  # fmt: skip
# the review path that leaves a record in each state: (action, who: staff/dept/finance, old, new)
PATHS = {
    "draft": [],
    "submitted": [("submit", "staff", "draft", "submitted")],
    "returned": [("submit", "staff", "draft", "submitted"), ("return", "dept", "submitted", "returned")],
    "dept_approved": [
        ("submit", "staff", "draft", "submitted"),
        ("dept_approve", "dept", "submitted", "dept_approved"),
    ],
    "approved": [
        ("submit", "staff", "draft", "submitted"),
        ("dept_approve", "dept", "submitted", "dept_approved"),
        ("finance_approve", "finance", "dept_approved", "approved"),
    ],
}
PATHS["published"] = [*PATHS["approved"], ("publish", "finance", "approved", "published")]


def _pick(rnd: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    x, acc = rnd.random(), 0.0
    for value, weight in weighted:
        acc += weight
        if x < acc:
            return value
    return weighted[-1][0]


def _history(state: str, cycles: int) -> list[tuple[str, str, str, str]]:
    """The review steps of a record in ``state`` that was returned and resubmitted ``cycles`` times."""
    back = [("submit", "staff", "draft", "submitted"), ("return", "dept", "submitted", "returned")]
    steps = back * cycles + PATHS[state]
    if cycles and steps[len(back) * cycles :]:
        # after a return, the next submission starts from 退回, not from 草稿
        first = steps[len(back) * cycles]
        steps[len(back) * cycles] = (first[0], first[1], "returned", first[3])
    for n in range(2, len(back) * cycles, 2):
        steps[n] = (steps[n][0], steps[n][1], "returned", steps[n][3])
    return steps


class Spec:
    """One declaration to generate, with its self-evaluation (the first pass decides everything)."""

    __slots__ = (
        "adjust", "cycles", "ev_cycles", "ev_filled", "ev_id", "ev_state", "first_indicator", "id", "kind", "met",
        "money", "project", "state", "templates", "unit", "weights", "year",
    )  # fmt: skip


def _split(total: int, parts: int) -> list[Decimal]:
    """``total`` points over ``parts`` indicators as whole numbers, the remainder on the first rows."""
    base, extra = divmod(total, parts)
    return [Decimal(base + (1 if n < extra else 0)) for n in range(parts)]


def _money(rnd: random.Random) -> tuple[str, Decimal, Decimal, Decimal, Decimal]:
    """Unit, total, current appropriation, carry-over and other funds; the parts add up to the total."""
    total = Decimal(rnd.randrange(50, 50000)) * 1000
    current = (total * Decimal(rnd.choice((1, 1, 1, 0.9, 0.8)))).quantize(Decimal(100))
    carry = ((total - current) * Decimal(rnd.choice((1, 0.5)))).quantize(Decimal(100))
    other = total - current - carry
    if rnd.random() < 0.2:
        wan = Decimal(10000)
        parts = [(v / wan).quantize(CENT) for v in (current, carry)]
        total_w = (total / wan).quantize(CENT)
        return "万元", total_w, parts[0], parts[1], total_w - parts[0] - parts[1]
    return "元", total, current, carry, other


# Complexity over 15, kept: a benchmark's data generator, one script step after step, read top to bottom.
def generate(scale: float, seed: int) -> dict[str, Any]:  # noqa: C901
    """Load a province at ``scale`` into the (migrated, empty) database of DATABASE_URL; return what it made.

    The bench writes straight into the tables with COPY: the services would
    write one row at a time with its audit event and history, which is
    what a person does and not what a benchmark of reading needs. So the
    audit log and the django-simple-history tables stay empty, there are
    no publications (only the public portal reads them), and the stored
    review findings and their counts are not computed; the review history
    shown on the pages (StateChange, Adjustment) is generated.
    """
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from jixiao.web.accounts.models import Account
    from jixiao.web.cycle import models as cm
    from jixiao.web.cycle.views import PAGE_SIZE
    from jixiao.web.orgs.models import Organization

    user_model = get_user_model()
    rnd = random.Random(seed)
    started = time.perf_counter()
    n_depts = max(1, round(50 * scale))
    n_units = max(n_depts, round(1000 * scale))
    n_decls = max(n_units, round(20000 * scale))
    now = datetime(2025, 6, 30, 9, 0, tzinfo=UTC)

    def person() -> str:
        return rnd.choice(SURNAMES) + rnd.choice(GIVEN)

    # organizations: the bureau, departments, units (round-robin over departments)
    orgs = [Organization(id=1, name=f"{PROVINCE}财政厅", kind="bureau", code="100")]
    depts = []
    for d in range(n_depts):
        name = DEPARTMENTS[d] if d < len(DEPARTMENTS) else f"第{d + 1}直属机构"
        depts.append(
            Organization(id=2 + d, name=f"{PROVINCE}{name}", kind="department", parent_id=1, code=f"{101 + d}")
        )
    units = []
    for u in range(n_units):
        dept = depts[u % n_depts]
        k = u // n_depts
        stem = dept.name.removeprefix(PROVINCE)
        suffix = UNIT_SUFFIXES[k] if k < len(UNIT_SUFFIXES) else f"第{k + 1}分中心"
        name = f"{PROVINCE}{stem}{suffix}" if k else f"{dept.name}机关本级"
        units.append(
            Organization(
                id=2 + n_depts + u,
                name=name,
                kind="unit",
                parent_id=dept.id,
                department_id=dept.id,
                code=f"{dept.code}{k:03d}",
            )
        )
    orgs += depts + units

    # people: three finance reviewers, a reviewer per department, a filer per unit
    hashed = user_model(username="x")
    hashed.set_password(PASSWORD)
    unusable = user_model(username="y")
    unusable.set_unusable_password()
    users: list[Any] = []
    accounts: list[Any] = []

    def add_user(username: str, role: str, org_id: int, known: bool) -> int:
        uid = len(users) + 1
        password = hashed.password if known else unusable.password
        users.append(user_model(id=uid, username=username, password=password, is_active=True, date_joined=now))
        accounts.append(Account(id=uid, user_id=uid, role=role, organization_id=org_id, display_name=person()))
        return uid

    finance_ids = [add_user(BENCH_USERS["finance"], "finance_reviewer", 1, True)]
    finance_ids += [add_user(f"finance{n}", "finance_reviewer", 1, False) for n in (1, 2)]
    dept_user = {
        dept.id: add_user(BENCH_USERS["dept"] if d == 0 else f"dept{d:03d}", "dept_reviewer", dept.id, d == 0)
        for d, dept in enumerate(depts)
    }
    unit_user = {
        unit.id: add_user(BENCH_USERS["staff"] if u == 0 else f"staff{u:04d}", "unit_staff", unit.id, u == 0)
        for u, unit in enumerate(units)
    }
    bench_unit = units[0].id

    # projects, each from its first year to 2025, until there are n_decls project-years
    projects: list[Any] = []
    specs: list[Spec] = []
    per_unit: dict[int, int] = {}
    combos = [t + s for t in TOPICS for s in TOPIC_SUFFIXES]
    unit_names = {unit.id: rnd.sample(combos, len(combos)) for unit in units}
    next_indicator = 1
    while len(specs) < n_decls:
        unit = units[len(projects) % n_units]
        k = per_unit.get(unit.id, 0)
        per_unit[unit.id] = k + 1
        pid = len(projects) + 1
        name = unit_names[unit.id][k % len(combos)] + (f"（{k // len(combos) + 1}期）" if k >= len(combos) else "")
        created = datetime(2021, 9, 1, tzinfo=UTC) + timedelta(days=rnd.randrange(300))
        projects.append(
            cm.Project(id=pid, unit_id=unit.id, department_id=unit.department_id, name=name, created_at=created)
        )
        start = rnd.choices(range(len(YEARS)), weights=START_YEAR_WEIGHTS)[0]
        for year in YEARS[start:]:
            if len(specs) >= n_decls:
                break
            s = Spec()
            s.id, s.project, s.unit, s.year = len(specs) + 1, pid, unit.id, year
            s.kind = "transfer" if rnd.random() < 0.05 and unit.id != bench_unit else "project"
            s.state = _pick(rnd, DECLARATION_STATES[year])
            s.cycles = 1 if s.state != "draft" and rnd.random() < 0.15 else 0
            n = rnd.randint(12, 18)
            s.templates = sorted(rnd.sample(range(len(TEMPLATES)), n))
            s.weights = _split(90, n)
            s.first_indicator, next_indicator = next_indicator, next_indicator + n
            s.money = _money(rnd)
            s.adjust = s.state in ("approved", "published") and rnd.random() < 0.03
            s.ev_id = None
            if year <= 2024:
                # last years' self-evaluations; the bench filer's unit keeps its 2024 ones open as drafts
                s.ev_state = "draft" if unit.id == bench_unit and year == 2024 else _pick(rnd, EVALUATION_STATES[year])
                s.ev_cycles = 1 if s.ev_state != "draft" and rnd.random() < 0.1 else 0
                s.met = [rnd.random() < 0.85 for _ in range(n)]
                s.ev_filled = n if s.ev_state != "draft" else rnd.randint(0, n)
            specs.append(s)
    evaluated = [s for s in specs if s.year <= 2024]
    for n, s in enumerate(evaluated, start=1):
        s.ev_id = n
    by_project = {p.id: p for p in projects}
    unit_by_id = {u.id: u for u in units}

    def stamp(year: int, month: int, spread: int) -> datetime:
        return datetime(year, month, 1, 9, tzinfo=UTC) + timedelta(
            days=rnd.randrange(spread), minutes=rnd.randrange(600)
        )

    def declarations() -> Any:
        for s in specs:
            money_unit, total, current, carry, other = s.money
            topic = by_project[s.project].name
            created = stamp(s.year - 1, 9, 60)
            yield _make(
                cm.Declaration,
                id=s.id,
                project_id=s.project,
                project_name=topic,
                year=s.year,
                # the review's counts the services store on every write (the bulk load bypasses them)
                errors=int(rnd.random() < 0.05),
                warnings=rnd.choice((0, 0, 1, 1, 2, 3)),
                infos=rnd.choice((0, 0, 0, 1)),
                kind=s.kind,
                central_department=rnd.choice(CENTRAL) if s.kind == "transfer" else "",
                fund_users=unit_by_id[s.unit].name if s.kind == "transfer" else "",
                state=s.state,
                version=1 + len(_history(s.state, s.cycles)) + (1 if s.adjust else 0),
                nature=rnd.choice(("经常性项目", "经常性项目", "一次性项目")),
                category=rnd.choice(("特定目标类", "其他运转类", "特定目标类")),
                start_date=date(s.year, 1, 1),
                end_date=date(s.year, 12, 31),
                money_unit=money_unit,
                requested_total=total,
                requested_current=current,
                requested_carryover=carry,
                requested_other=other,
                overall_goal=f"通过实施{topic}，持续提升本单位履职能力和公共服务水平。",
                goal=f"{s.year}年度按计划完成{topic}各项任务，资金使用规范，服务对象满意度不低于90%。",
                created_at=created,
                updated_at=created + timedelta(days=30),
            )

    def indicators() -> Any:
        for s in specs:
            for k, (t, weight) in enumerate(zip(s.templates, s.weights, strict=True)):
                level1, level2, name, target, _, _ = TEMPLATES[t]
                yield cm.DeclarationIndicator(
                    id=s.first_indicator + k,
                    declaration_id=s.id,
                    position=k + 1,
                    level1=level1,
                    level2=level2,
                    name=name,
                    target=target,
                    weight=weight,
                )

    def scores(s: Spec) -> list[Decimal | None]:
        out: list[Decimal | None] = []
        for k, weight in enumerate(s.weights):
            if k >= s.ev_filled:
                out.append(None)
            else:
                out.append(weight if s.met[k] else (weight * Decimal("0.8")).quantize(CENT))
        return out

    def evaluations() -> Any:
        for s in evaluated:
            money_unit, total, _, _, _ = s.money
            adjusted = (total * Decimal(rnd.choice(("1", "1", "0.95", "1.05")))).quantize(CENT)
            executed = (adjusted * Decimal(rnd.uniform(0.7, 1.0))).quantize(CENT)
            rate = (executed / adjusted * 100).quantize(CENT, ROUND_HALF_UP)
            execution = (Decimal(10) * min(rate, Decimal(100)) / 100).quantize(CENT)
            draft = s.ev_state == "draft"
            points = [p for p in scores(s) if p is not None]
            total_score = None if draft else execution + sum(points, Decimal(0))
            grade = "" if total_score is None else next(g for g, floor in GRADES if total_score >= floor)
            created = stamp(s.year + 1, 1, 40)
            yield _make(
                cm.SelfEvaluation,
                id=s.ev_id,
                declaration_id=s.id,
                year=s.year,
                project_name=by_project[s.project].name,
                summary_grade=grade,
                errors=int(rnd.random() < 0.05),
                warnings=rnd.choice((0, 1, 1, 2, 4)),
                infos=rnd.choice((0, 0, 1)),
                state=s.ev_state,
                version=1 + len(_history(s.ev_state, s.ev_cycles)) + (0 if draft and not s.ev_filled else 1),
                money_unit=money_unit,
                initial_total=total,
                adjusted_total=adjusted,
                executed_total=None if draft and rnd.random() < 0.5 else executed,
                initial_current=total,
                adjusted_current=adjusted,
                executed_current=None if draft else executed,
                rate_pct=None if draft else rate,
                rate_current=None if draft else rate,
                execution_rate=None if draft else rate,
                execution_weight=Decimal(10),
                execution_score=None if draft else execution,
                outcome="" if draft else f"全年完成{by_project[s.project].name}主要任务，预算执行率{rate}%。",
                total_score=total_score,
                suggested_total=total_score,
                grade=grade,
                created_at=created,
                updated_at=created + timedelta(days=20),
            )

    def evaluation_rows() -> Any:
        row_id = 0
        for s in evaluated:
            for k, (t, score) in enumerate(zip(s.templates, scores(s), strict=True)):
                row_id += 1
                _, _, _, _, met, short = TEMPLATES[t]
                filled = score is not None
                yield cm.EvaluationIndicator(
                    id=row_id,
                    evaluation_id=s.ev_id,
                    indicator_id=s.first_indicator + k,
                    actual=(met if s.met[k] else short) if filled else "",
                    score=score,
                    deviation="" if not filled or s.met[k] else rnd.choice(DEVIATIONS),
                )

    def fund_management() -> Any:
        row_id = 0
        for s in evaluated:
            if s.kind != "transfer":
                continue
            for position, item in enumerate(FUND_ITEMS, start=1):
                row_id += 1
                yield cm.FundManagementItem(
                    id=row_id,
                    evaluation_id=s.ev_id,
                    position=position,
                    item=item,
                    description="按规定执行，未发现问题。",
                )

    def state_changes() -> Any:
        row_id = 0
        for s in specs:
            dept = unit_by_id[s.unit].department_id
            who = {"staff": unit_user[s.unit], "dept": dept_user[dept]}
            records = [("declaration_id", s.id, s.state, s.cycles, s.year - 1, 10)]
            if s.ev_id is not None:
                records.append(("evaluation_id", s.ev_id, s.ev_state, s.ev_cycles, s.year + 1, 2))
            for column, pk, state, cycles, year, month in records:
                at = stamp(year, month, 20)
                for action, by, old, new in _history(state, cycles):
                    row_id += 1
                    at += timedelta(days=rnd.randint(1, 6), minutes=rnd.randrange(600))
                    user = who.get(by) or rnd.choice(finance_ids)
                    yield cm.StateChange(
                        id=row_id,
                        **{column: pk},
                        action=action,
                        old_state=old,
                        new_state=new,
                        comment=rnd.choice(RETURN_COMMENTS) if action == "return" else "",
                        by_id=user,
                        at=at,
                    )

    def adjustments() -> Any:
        row_id = 0
        for s in specs:
            if s.adjust:
                row_id += 1
                _, _, _, target, _, _ = TEMPLATES[s.templates[0]]
                yield cm.Adjustment(
                    id=row_id,
                    declaration_id=s.id,
                    indicator_id=s.first_indicator,
                    field="target",
                    old_value=target,
                    new_value=target.replace("≥", "≥1"),
                    reason="年中任务调整，经财政同意。",
                    by_id=finance_ids[0],
                    at=stamp(s.year, 7, 60),
                )

    tables: list[tuple[Any, Any]] = [
        (Organization, orgs),
        (user_model, users),
        (Account, accounts),
        (cm.Project, projects),
        (cm.Declaration, declarations()),
        (cm.DeclarationIndicator, indicators()),
        (cm.SelfEvaluation, evaluations()),
        (cm.EvaluationIndicator, evaluation_rows()),
        (cm.FundManagementItem, fund_management()),
        (cm.StateChange, state_changes()),
        (cm.Adjustment, adjustments()),
    ]
    counts: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        for model, rows in tables:
            counts[model._meta.label] = _copy(connection, cursor, model, rows)
        for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _ in tables]):
            cursor.execute(sql)
    loaded = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    vacuumed = time.perf_counter()

    # the records the load and the query counts use
    rot = random.Random(seed + 1)
    visible = [s for s in specs if s.state != "draft"]
    ev_visible = [s for s in evaluated if s.ev_state != "draft"]

    def first(items: list[Spec], **want: Any) -> int | None:
        for s in items:
            if all(getattr(s, k) == v for k, v in want.items()):
                return int(s.ev_id if "ev_state" in want else s.id)
        return None

    measure = {
        # an approved 2024 declaration with the usual review history: submitted, approved twice, no return
        "declaration": first(specs, year=2024, state="approved", cycles=0, adjust=False, kind="project"),
        # the same with one return and resubmission: two more history rows
        "declaration_returned": first(specs, year=2024, state="approved", cycles=1, adjust=False, kind="project"),
        "evaluation": first(evaluated, ev_state="dept_approved", ev_cycles=0, kind="project")
        or first(evaluated, ev_state="approved", ev_cycles=0, kind="project"),
        "form": first([s for s in evaluated if s.unit == bench_unit], ev_state="draft", kind="project"),
    }
    pks = {
        "declaration": [s.id for s in rot.sample(visible, min(500, len(visible)))],
        "evaluation": [s.ev_id for s in rot.sample(ev_visible, min(500, len(ev_visible)))],
        "form": [s.ev_id for s in evaluated if s.unit == bench_unit and s.ev_state == "draft"],
    }
    return {
        "scale": scale,
        "seed": seed,
        "rows": counts,
        "departments": n_depts,
        "units": n_units,
        "project_years": len(specs),
        "declaration_indicators": counts[cm.DeclarationIndicator._meta.label],
        "pages_of_list": math.ceil(len(visible) / PAGE_SIZE),
        "evaluation_pages_of_list": math.ceil(len(ev_visible) / PAGE_SIZE),
        "measure": measure,
        "pks": pks,
        "load_seconds": round(loaded - started, 2),
        "vacuum_analyze_seconds": round(vacuumed - loaded, 2),
    }


GRADES = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)), ("差", Decimal(0)))
_FIELDS: dict[Any, set[str]] = {}


def _make(model: Any, **values: Any) -> Any:
    """A model instance from the values its current fields know (the schema changes while the bench stays)."""
    if model not in _FIELDS:
        _FIELDS[model] = {f.name for f in model._meta.concrete_fields} | {
            f.attname for f in model._meta.concrete_fields
        }
    return model(**{k: v for k, v in values.items() if k in _FIELDS[model]})


def _copy(connection: Any, cursor: Any, model: Any, rows: Any) -> int:
    """COPY ``rows`` (model instances, ids set) into the model's table; columns the table lacks are skipped."""
    table = model._meta.db_table
    present = {c.name for c in connection.introspection.get_table_description(cursor, table)}
    fields = [f for f in model._meta.concrete_fields if f.column in present]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    stamped = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    count = 0
    with cursor.cursor.copy(f"COPY {qn(table)} ({columns}) FROM STDIN") as copy:
        for obj in rows:
            values = []
            for f in fields:
                # generated timestamps keep their generated value; pre_save would stamp them with now()
                value = getattr(obj, f.attname) if f.attname in stamped else None
                if value is None:
                    value = f.pre_save(obj, add=True)
                values.append(f.get_db_prep_save(value, connection))
            copy.write_row(values)
            count += 1
    return count


# -- queries per page (runs in a child with Django set up) ----------------------------------------


def pages(meta: dict[str, Any]) -> dict[str, tuple[str, list[str], str]]:
    """Every page the load drives: who asks (finance/staff/none), the URLs it rotates over, text a good answer has."""
    pks, last = meta["pks"], max(1, meta["pages_of_list"])
    return {
        "bare": ("none", ["/bench/bare/"], "ok"),
        "bare_signed_in": ("finance", ["/bench/bare/"], "ok"),
        "declaration_list": ("finance", ["/work/declarations/"], "绩效目标申报表"),
        "declaration_list_last_page": ("finance", [f"/work/declarations/?page={last}"], "绩效目标申报表"),
        "declaration_page": ("finance", [f"/work/declarations/{pk}/" for pk in pks["declaration"]], "绩效目标申报表"),
        "evaluation_list": ("finance", ["/work/evaluations/"], "绩效自评表"),
        "evaluation_page": ("finance", [f"/work/evaluations/{pk}/" for pk in pks["evaluation"]], "绩效自评表"),
        "evaluation_form": ("staff", [f"/work/evaluations/{pk}/edit/" for pk in pks["form"]], 'id="evaluation-form"'),
        "summary": ("finance", ["/work/summary/?year=2024"], "汇总表"),
        "summary_filtered": ("finance", ["/work/summary/?year=2024&grade=%E4%BC%98&sort=-rate"], "汇总表"),
        "dashboard": ("finance", ["/work/summary/dashboard/?year=2024"], "统计图"),
    }  # fmt: skip


def count_queries(meta: dict[str, Any], explain: bool) -> dict[str, Any]:
    """Queries of one GET of each page (after a warm-up GET), on the canonical records; EXPLAIN the slowest."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    backend = "jixiao.web.accounts.backends.AccountBackend"
    clients = {}
    for who in ("finance", "staff"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=BENCH_USERS[who]), backend=backend)
        clients[who] = client
    measure = meta["measure"]
    urls = {
        "declaration_list": ("finance", "/work/declarations/"),
        "declaration_list_last_page": ("finance", f"/work/declarations/?page={max(1, meta['pages_of_list'])}"),
        "evaluation_list": ("finance", "/work/evaluations/"),
        "declaration_page": ("finance", f"/work/declarations/{measure['declaration']}/"),
        "declaration_page_returned_once": ("finance", f"/work/declarations/{measure['declaration_returned']}/"),
        "evaluation_page": ("finance", f"/work/evaluations/{measure['evaluation']}/"),
        "evaluation_form": ("staff", f"/work/evaluations/{measure['form']}/edit/"),
        "summary": ("finance", "/work/summary/?year=2024"),
        # grade 优: the generated scores are mostly 优, and a filter that finds nothing in the small
        # data set skips the rows query there, which would read as a difference in query counts
        "summary_filtered": ("finance", "/work/summary/?year=2024&grade=%E4%BC%98&sort=-rate"),
        "dashboard": ("finance", "/work/summary/dashboard/?year=2024"),
    }
    out: dict[str, Any] = {}
    slowest: tuple[float, str, str] = (0.0, "", "")
    for name, (who, url) in urls.items():
        if "None" in url:
            continue  # no record of that shape at this size
        client = clients[who]
        assert client.get(url).status_code == 200, url  # warm every per-process cache first
        timed: list[tuple[float, str]] = []

        def timer(execute: Any, sql: str, params: Any, many: bool, context: Any, timed: list[Any] = timed) -> Any:
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent = time.perf_counter() - began
                try:  # the statement as PostgreSQL ran it, so that it can be explained
                    shown = connection.ops.compose_sql(sql, params) if params and not many else sql
                except Exception:  # an unusual parameter: keep the placeholders
                    shown = sql
                timed.append((spent, shown))

        cache.clear()  # the summaries cache their figures by data version: count and time the miss
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        count = len(captured.captured_queries)  # now: the next request clears the connection's query log
        elapsed = []
        for _ in range(5):  # the page's own time, one request at a time, uncached: the median of five
            cache.clear()
            began = time.perf_counter()
            client.get(url)
            elapsed.append(time.perf_counter() - began)
        top = max(timed)
        out[name] = {
            "url": url,
            "queries": count,
            "db_ms": round(sum(t for t, _ in timed) * 1000, 2),
            "page_ms": round(sorted(elapsed)[2] * 1000, 1),
            "slowest_ms": round(top[0] * 1000, 2),
            "slowest_sql": top[1][:400],
        }
        if top[0] > slowest[0] and top[1].lstrip().upper().startswith("SELECT"):
            slowest = (top[0], name, top[1])
    if explain and slowest[2]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest[2])
            plan = [row[0] for row in cursor.fetchall()]
        out["_explain"] = {"page": slowest[1], "ms": round(slowest[0] * 1000, 2), "sql": slowest[2], "plan": plan}
    return out


# -- the orchestrator: databases, children, gunicorn, load ----------------------------------------


def _pg(dbname: str = "postgres") -> Any:
    import psycopg

    return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=dbname, autocommit=True)


def db_exists(db: str) -> bool:
    """True when the database exists."""
    with _pg() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,)).fetchone() is not None


def drop_db(db: str) -> None:
    """Drop the database (closing what still connects to it)."""
    from psycopg import sql

    with _pg() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db)))


def read_meta(db: str) -> dict[str, Any] | None:
    """What the generator recorded in the database, or None when it is not a finished benchmark database."""
    if not db_exists(db):
        return None
    with _pg(db) as conn:
        if conn.execute("SELECT to_regclass('bench_meta')").fetchone()[0] is None:
            return None
        row = conn.execute("SELECT value FROM bench_meta WHERE key = 'meta'").fetchone()
    return json.loads(row[0]) if row else None


def run_child(db: str, *args: str) -> str:
    """Run a step in a child process with the database's environment; its stdout."""
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=child_env(db), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-6000:])
        raise SystemExit(f"step failed: {' '.join(args)[:200]}")
    return done.stdout


def migrations_fingerprint() -> str:
    """A digest of every migration file: a reused database must have been made with the same schema."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "jixiao" / "web").glob("*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def prepare(db: str, scale: float, seed: int, reuse: bool) -> dict[str, Any]:
    """The database at ``scale``: reused when asked and it matches, else created, migrated and loaded."""
    meta = read_meta(db)
    schema = migrations_fingerprint()
    if reuse and meta is not None and (meta["scale"], meta["seed"], meta.get("schema")) == (scale, seed, schema):
        print(f"[{db}] reusing the database generated at scale {scale}", flush=True)
        return meta | {"reused": True}
    if reuse and meta is not None:
        print(f"[{db}] not reusable (other scale, seed or migrations): generating it again", flush=True)
    from psycopg import sql

    drop_db(db)
    with _pg() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))
    started = time.perf_counter()
    run_child(db, "-m", "jixiao.web.manage", "migrate", "--noinput", "-v", "0")
    migrated = time.perf_counter()
    print(f"[{db}] migrated in {migrated - started:.1f} s; loading scale {scale}...", flush=True)
    out = run_child(db, str(Path(__file__).resolve()), "_generate", "--scale", str(scale), "--seed", str(seed))
    meta = json.loads(out.strip().splitlines()[-1])
    meta["schema"] = schema
    meta["migrate_seconds"] = round(migrated - started, 2)
    meta["generate_seconds"] = round(time.perf_counter() - migrated, 2)
    with _pg(db) as conn:
        conn.execute("CREATE TABLE bench_meta (key text PRIMARY KEY, value text NOT NULL)")
        conn.execute("INSERT INTO bench_meta VALUES ('meta', %s)", (json.dumps(meta, ensure_ascii=False),))
        meta["database_bytes"] = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        meta["table_bytes"] = dict(
            conn.execute(
                "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' "
                "ORDER BY 2 DESC LIMIT 8"
            ).fetchall()
        )
        conn.execute("UPDATE bench_meta SET value = %s WHERE key = 'meta'", (json.dumps(meta, ensure_ascii=False),))
    rows = sum(meta["rows"].values())
    print(
        f"[{db}] {rows:,} rows in {meta['load_seconds']} s (COPY) + {meta['vacuum_analyze_seconds']} s "
        f"(VACUUM ANALYZE); database {meta['database_bytes'] / 2**20:.0f} MiB",
        flush=True,
    )
    return meta | {"reused": False}


class Browser:
    """One signed-in person: a cookie jar over one HTTP connection (reopened when the server closes it)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
        """Send one request with the jar's cookies; keep what the server sets."""
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "zh-hans"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.will_close:
            self.conn.close()
        return response.status, dict(response.headers), data

    def login(self, username: str) -> None:
        """Sign in through the login page, as a person does: its CSRF cookie and token, then the POST."""
        status, _, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"login page: HTTP {status}")
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1).decode()}
        status, headers, _ = self.request("POST", "/accounts/login/", urlencode(form).encode())
        if status != 302 or "login" in headers.get("Location", ""):
            raise RuntimeError(f"login as {username}: HTTP {status}")


def start_server(db: str, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn on a free port, serving the project through ``bench_settings``; waits until it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn), "jixiao.web.wsgi:application", "--workers", str(workers), "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}", "--pythonpath", str(HERE), "--backlog", "2048", "--timeout", "120",
        "--log-level", "warning", "--error-logfile", str(log),
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=child_env(db))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/bench/bare/")
            if conn.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit("gunicorn did not answer within 90 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop the gunicorn this bench started (its master; the workers follow)."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an ordered list."""
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def drive(browsers: list[Browser], urls: list[str], expect: str, duration: float, warmup: float) -> dict[str, Any]:
    """Every browser requests ``urls`` in turn, as fast as the server answers; timings after the warm-up."""
    marker = expect.encode()
    start = time.perf_counter() + 0.2
    measure_from, stop = start + warmup, start + warmup + duration
    results: list[list[tuple[float, bool, str]]] = [[] for _ in browsers]

    def run(n: int, browser: Browser) -> None:
        mine = results[n]
        i = n * 7919  # each browser starts at another record
        while time.perf_counter() < start:
            time.sleep(0.001)
        while True:
            began = time.perf_counter()
            if began >= stop:
                return
            url = urls[i % len(urls)]
            i += 1
            try:
                status, _, body = browser.request("GET", url)
                ok, why = status == 200 and marker in body, f"HTTP {status}"
            except (http.client.HTTPException, OSError) as exc:
                ok, why = False, type(exc).__name__
            if began >= measure_from:
                mine.append((time.perf_counter() - began, ok, "" if ok else why))

    threads = [threading.Thread(target=run, args=(n, b), daemon=True) for n, b in enumerate(browsers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    samples = [s for per in results for s in per]
    latencies = sorted(s[0] * 1000 for s in samples)
    errors = [s[2] for s in samples if not s[1]]
    return {
        "requests": len(samples),
        "rps": round(len(samples) / duration, 1),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "records": len(urls),
    }


OTHERS_TOLERATED = 0.15  # cores other programs may use during a measurement before it is taken again


def processes(server_pid: int) -> dict[int, tuple[str, float]]:
    """Every process (Linux /proc): whose it is (this load generator, gunicorn, postgres, kernel, other) and its CPU."""
    hz = os.sysconf("SC_CLK_TCK")
    me, found = os.getpid(), {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue  # gone meanwhile
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        rest = stat[stat.rindex(")") + 2 :].split()
        pid, ppid, used = int(entry), int(rest[1]), (int(rest[11]) + int(rest[12])) / hz
        if pid == me:
            kind = "load_generator"
        elif server_pid in (pid, ppid):
            kind = "gunicorn"
        elif comm.startswith("postgres"):
            kind = "postgres"  # ours and anyone else's: PostgreSQL does not say for whom
        elif ppid == 2 or pid == 2:
            kind = "kernel"
        else:
            kind = "others"
        found[pid] = (kind, used)
    return found


class CpuWatch:
    """The CPU each kind of process uses while a page is measured, sampled every second from /proc.

    A process counts from when it is first seen (from zero when it started
    meanwhile) to when it is last seen, so short-lived ones (PostgreSQL's
    parallel workers, a test run that ends) are not lost in between; one
    that lives less than a second may be missed.
    """

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.first = processes(server_pid)
        self.last = dict(self.first)
        self.began = time.monotonic()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        for pid, (kind, used) in processes(self.server_pid).items():
            self.first.setdefault(pid, (kind, 0.0))
            self.last[pid] = (kind, used)

    def _run(self) -> None:
        while not self.done.wait(1.0):
            self._sample()

    def stop(self) -> dict[str, float]:
        """Cores used per kind of process since the start, on average."""
        self.done.set()
        self.thread.join()
        self._sample()
        spent: dict[str, float] = {}
        for pid, (kind, used) in self.last.items():
            spent[kind] = spent.get(kind, 0.0) + max(0.0, used - self.first[pid][1])
        window = time.monotonic() - self.began
        return {k: round(v / window, 2) for k, v in sorted(spent.items()) if k != "kernel"}


def wait_quiet(server_pid: int, timeout: float) -> float:
    """Wait (up to ``timeout`` s) until other programs and PostgreSQL are nearly idle; the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        watch = CpuWatch(server_pid)
        time.sleep(1.5)
        used = watch.stop()
        if used.get("others", 0.0) + used.get("postgres", 0.0) < 0.2:
            break
    return time.monotonic() - started


def load(db: str, meta: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """Start gunicorn, sign the clients in, drive each page; the table rows."""
    log = RESULTS.parent / "web-gunicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    server, port = start_server(db, args.workers, log)
    try:
        people: dict[str, list[Browser]] = {"none": [Browser(port) for _ in range(args.clients)]}
        for who in ("finance", "staff"):
            people[who] = [Browser(port) for _ in range(args.clients)]
            signing = [threading.Thread(target=b.login, args=(BENCH_USERS[who],)) for b in people[who]]
            for t in signing:
                t.start()
            for t in signing:
                t.join()
            missing = sum("sessionid" not in b.cookies for b in people[who])
            if missing:
                raise SystemExit(f"{missing} of {args.clients} {who} clients could not sign in; see {log}")
        rows: dict[str, Any] = {}
        for name, (who, urls, expect) in pages(meta).items():
            if args.pages and name not in args.pages:
                continue
            if not urls:
                print(f"  {name}: no record to request at this scale, skipped", flush=True)
                continue
            row: dict[str, Any] = {}
            for attempt in range(1 + args.retries):
                # the machine is shared: start on a quiet machine, and measure again when others got busy
                waited = wait_quiet(server.pid, args.quiet_timeout)
                solo = drive(people[who][:1], urls, expect, args.solo, 0.5) if args.solo > 0 else None
                watch = CpuWatch(server.pid)
                this = drive(people[who], urls, expect, args.duration, args.warmup)
                # cores used meanwhile: the clients, gunicorn, PostgreSQL, every other program
                this["cpu_cores"] = {"others": 0.0} | watch.stop()
                this["waited_for_quiet_s"], this["attempt"] = round(waited, 1), attempt + 1
                if solo is not None:
                    this["solo_p50_ms"], this["solo_rps"] = solo["p50_ms"], solo["rps"]
                if not row or this["cpu_cores"]["others"] < row["cpu_cores"]["others"]:
                    row = this
                if this["cpu_cores"]["others"] <= OTHERS_TOLERATED:
                    break
                print(f"  {name}: other programs used {this['cpu_cores']['others']} cores, measuring again", flush=True)
            rows[name] = row
            print(
                f"  {name:<31} {row['rps']:>7} req/s  p50 {row['p50_ms']:>7} ms  p95 {row['p95_ms']:>7} ms  "
                f"errors {row['errors']}  (alone: p50 {row.get('solo_p50_ms', '-')} ms; "
                f"others used {row['cpu_cores']['others']} cores)",
                flush=True,
            )
        return rows
    finally:
        stop_server(server)


def table(run: dict[str, Any]) -> str:
    """The printed report of one run."""
    rows, base = run["pages"], run["pages"].get("bare")
    data = run["data"]
    lines = [
        f"scale {run['scale']}: {data['project_years']:,} project-years, {data['declaration_indicators']:,} "
        f"indicators, database {data['database_bytes'] / 2**20:.0f} MiB; "
        f"{run['clients']} clients, {run['workers']} gunicorn workers, {run['duration']} s per page",
        f"{'page':<31}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'p50/bare':>10}{'p95/bare':>10}{'alone':>8}{'queries':>9}{'small':>7}{'others':>8}",
    ]
    queries = run["queries"]
    for name, row in rows.items():
        full, small = queries["full"].get(name, {}), queries["small"].get(name, {})
        r50 = f"{row['p50_ms'] / base['p50_ms']:.1f}x" if base else "-"
        r95 = f"{row['p95_ms'] / base['p95_ms']:.1f}x" if base else "-"
        lines.append(
            f"{name:<31}{row['rps']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}{row['errors']:>8}"
            f"{r50:>10}{r95:>10}{row.get('solo_p50_ms', '-'):>8}{full.get('queries', '-'):>9}"
            f"{small.get('queries', '-'):>7}{row.get('cpu_cores', {}).get('others', '-'):>8}"
        )
    for name in queries["full"]:
        if name not in rows and not name.startswith("_"):
            full, small = queries["full"][name], queries["small"].get(name, {})
            lines.append(f"{name:<31}{'(queries only)':>70}{full['queries']:>9}{small.get('queries', '-'):>7}")
    goal = run["goal"]
    lines.append(
        f"goal: p95 < {GOAL_P95_MS:.0f} ms {'met' if goal['p95'] else 'NOT met'}; "
        f"errors {'none' if goal['no_errors'] else 'SOME'}; query counts "
        f"{'independent of size' if goal['queries_independent'] else 'DIFFER with size: ' + ', '.join(goal['differs'])}"
    )
    explain = queries["full"].get("_explain")
    if explain:
        lines.append(f"slowest statement ({explain['page']}, {explain['ms']} ms): EXPLAIN ANALYZE")
        lines += ["  " + line for line in explain["plan"]]
    return "\n".join(lines)


def main() -> None:
    """Parse the options and run the benchmark, or one of its child steps."""
    if len(sys.argv) > 1 and sys.argv[1] in ("_generate", "_queries"):
        step = argparse.ArgumentParser()
        step.add_argument("step")
        step.add_argument("--scale", type=float, default=1.0)
        step.add_argument("--seed", type=int, default=2025)
        step.add_argument("--meta")
        step.add_argument("--explain", action="store_true")
        a = step.parse_args()
        if a.step == "_generate":
            print(json.dumps(generate(a.scale, a.seed), ensure_ascii=False))
        else:
            print(json.dumps(count_queries(json.loads(a.meta), a.explain), ensure_ascii=False))
        return

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = a province (20,000 project-years)")
    parser.add_argument("--small-scale", type=float, help="size of the query-count comparison (default 1%%)")
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds per page")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds before each page")
    parser.add_argument("--solo", type=float, default=5.0, help="seconds of one client alone per page (0: skip)")
    parser.add_argument("--retries", type=int, default=2, help="measure a page again when other programs were busy")
    parser.add_argument("--quiet-timeout", type=float, default=120.0, help="wait this long for an idle machine")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers (2 x cores + 1 on 2 cores)")
    parser.add_argument("--db", default="jixiao_bench")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--pages", nargs="*", help="only these pages (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a database generated at the same scale")
    args = parser.parse_args()
    small_scale = args.small_scale or min(0.01, args.scale / 10)
    small_db = f"{args.db}_small"

    try:
        meta = prepare(args.db, args.scale, args.seed, args.reuse)
        small = prepare(small_db, small_scale, args.seed, args.reuse)
        print("queries per page (in-process)...", flush=True)
        me = str(Path(__file__).resolve())
        queries = {
            "full": json.loads(run_child(args.db, me, "_queries", "--meta", json.dumps(meta), "--explain")),
            "small": json.loads(run_child(small_db, me, "_queries", "--meta", json.dumps(small))),
        }
        print(f"load: {args.clients} clients, {args.workers} workers, {args.duration} s per page", flush=True)
        rows = load(args.db, meta, args)
    finally:
        if not args.keep:
            for db in (args.db, small_db):
                drop_db(db)

    compared = [n for n in queries["full"] if not n.startswith("_") and n in queries["small"]]
    differs = [n for n in compared if queries["full"][n]["queries"] != queries["small"][n]["queries"]]
    run = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "scale": args.scale,
        "small_scale": small_scale,
        "clients": args.clients,
        "workers": args.workers,
        "duration": args.duration,
        "data": {k: v for k, v in meta.items() if k not in ("pks",)},
        "small_data": {k: v for k, v in small.items() if k not in ("pks",)},
        "pages": rows,
        "queries": queries,
        "goal": {
            "p95": all(r["p95_ms"] < GOAL_P95_MS for r in rows.values()),
            "no_errors": all(r["errors"] == 0 for r in rows.values()),
            "queries_independent": not differs,
            "differs": differs,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    runs = previous.get("runs", {}) if isinstance(previous, dict) else {}
    runs[str(args.scale)] = run
    RESULTS.write_text(json.dumps({"runs": runs}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print()
    print(table(run))
    print(f"\nresults: {RESULTS.relative_to(ROOT)} (runs[{str(args.scale)!r}])")


if __name__ == "__main__":
    main()
