"""``jixiao demo``: a fresh SQLite database, an organization tree, a login per role, documents in every state."""

from __future__ import annotations

import hashlib
import secrets
import string
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jixiao.core.errors import JixiaoError
from jixiao.core.workflow import Role, State
from jixiao.documents.importer import ALL_SUFFIXES, expand, import_path
from jixiao.web.accounts.models import Account
from jixiao.web.audit.services import Context
from jixiao.web.cycle.services.loading import LoadError, load_document
from jixiao.web.orgs.models import Organization

EXAMPLES = Path(__file__).resolve().parents[6] / "examples"
# The demo tree: a city 医疗保障局 with its units and a district centre, as in the seeds.
TREE = {
    "上海市医疗保障局": [
        "上海市医疗保险事业管理中心",
        "上海市医疗保障局监督检查所",
        "上海市医药集中招标采购事务管理所（上海医药采购中心）",
    ],
    "上海市宝山区医疗保障局": ["上海市宝山区医疗保险事务中心"],
}
# Records take these states in turn, so every state of the cycle can be seen.
STATES = (State.DRAFT, State.SUBMITTED, State.RETURNED, State.DEPT_APPROVED, State.APPROVED, State.PUBLISHED)


def _password() -> str:
    # random for every demo: no well-known demo password exists anywhere
    alphabet = string.ascii_letters + string.digits
    body = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"Jx-{body}7a"


class Command(BaseCommand):
    help = "建立演示数据库：组织机构、每个角色一个账户、各种状态的示例文档，然后启动服务。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--from", dest="source", help="从该文件夹读取文档（默认：项目自带的 examples）")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="服务地址（默认 127.0.0.1:8000）")
        parser.add_argument("--no-serve", action="store_true", help="只建立数据，不启动服务")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        source = Path(options["source"]) if options["source"] else EXAMPLES
        if not source.is_dir():
            raise CommandError(f"文件夹不存在：{source}")
        with transaction.atomic():
            bureau, logins = self._people()
            loaded, failed = self._documents(source, bureau)
            self._deadlines()
            self._monitoring()
            self._carry()
            logins += self._assessments()
            self._results()
            self._library()  # last: mined from everything the demo holds
        self.stdout.write(self.style.SUCCESS(f"演示数据已建立：{loaded} 个文件已载入。"))
        for line in failed:
            self.stdout.write(self.style.WARNING(line))
        host = options["addr"]
        self.stdout.write(f"\n访问地址：http://{host}/\n\n登录账户（本次随机生成的密码）：")
        for role, username, password, org in logins:
            self.stdout.write(f"  {role.label:<10} {username:<12} {password}   {org}")
        if failed:
            raise CommandError(f"{len(failed)} 个文件未能载入，见上。")
        if not options["no_serve"]:
            self.stdout.write("\n按 Ctrl+C 停止服务。")
            call_command("runserver", host, use_reloader=False, use_threading=True)

    def _people(self) -> tuple[Organization, list[tuple[Role, str, str, str]]]:
        bureau, _ = Organization.objects.get_or_create(name="上海市财政局", kind=Organization.Kind.BUREAU)
        departments = {}
        for department_name, units in TREE.items():
            dept, _ = Organization.objects.get_or_create(
                name=department_name, kind=Organization.Kind.DEPARTMENT, parent=bureau
            )
            departments[department_name] = dept
            for unit in units:
                Organization.objects.get_or_create(name=unit, kind=Organization.Kind.UNIT, parent=dept)
        city = departments["上海市医疗保障局"]
        centre = Organization.objects.get(name="上海市医疗保险事业管理中心")
        people = [
            (Role.UNIT_STAFF, "unit", centre, "张填报"),
            (Role.DEPT_REVIEWER, "dept", city, "李审核"),
            (Role.FINANCE_REVIEWER, "finance", bureau, "王财政"),
            (Role.SYSTEM_ADMIN, "sysadmin", None, "系统管理员"),
            (Role.SECURITY_ADMIN, "secadmin", None, "安全管理员"),
            (Role.AUDIT_ADMIN, "auditor", None, "审计管理员"),
        ]
        logins = []
        User = get_user_model()
        for role, username, org, display in people:
            password = _password()
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.save()
            Account.objects.update_or_create(
                user=user, defaults={"role": role.value, "organization": org, "display_name": display}
            )
            logins.append((role, username, password, org.name if org else "—"))
        return bureau, logins

    def _deadlines(self) -> None:
        """Every demo year's dates, set by the demo's finance bureau: the lists and home pages show 逾期 records."""
        from datetime import date

        from jixiao.web.cycle.models import Declaration
        from jixiao.web.notices.models import Stage
        from jixiao.web.notices.services.deadlines import set_deadline

        ctx = Context.system(get_user_model().objects.get(username="finance"))
        for year in sorted(set(Declaration.objects.values_list("year", flat=True))):
            # a year's targets are declared with the budget, the autumn before; monitored in summer; evaluated after
            for stage, due in (
                (Stage.DECLARATION, date(year - 1, 11, 30)),
                (Stage.MONITORING, date(year, 8, 31)),
                (Stage.SELF_EVALUATION, date(year + 1, 4, 30)),
            ):
                set_deadline(ctx, year, stage, due, note="演示数据")

    def _library(self) -> None:
        """The indicator library mined from the demo's documents, one entry promoted by the finance bureau."""
        from jixiao.web.library.demo import demo_library

        demo_library(get_user_model().objects.get(username="finance"))

    def _monitoring(self) -> None:
        """A monitoring round of the latest approved year, the demo unit's forms in every state."""
        from jixiao.web.monitoring.demo import demo_round

        User = get_user_model()
        people = {u.username: u for u in User.objects.filter(username__in=("finance", "dept", "unit"))}
        demo_round(people)
        from jixiao.web.rectification.demo import demo_items  # 整改事项 in every state, after the monitoring actions

        demo_items(people)

    def _assessments(self) -> list[tuple[Role, str, str, str]]:
        """The expert pool (their logins) and new projects' ex-ante assessments in every state."""
        from jixiao.web.assessments.demo import demo_assessments

        User = get_user_model()
        return demo_assessments({u.username: u for u in User.objects.filter(username__in=("finance", "dept", "unit"))})

    def _results(self) -> None:
        """Results decisions of the latest evaluated year: one accepted, one changed with a reason, the rest pending."""
        from jixiao.web.results.demo import demo_decisions

        demo_decisions(get_user_model().objects.get(username="finance"))

    def _carry(self) -> None:
        """A declaration of the demo unit carried forward from its last approved year (从上年结转)."""
        from jixiao.web.cycle.demo import demo_carry

        demo_carry(get_user_model().objects.get(username="unit"))

    def _documents(self, source: Path, bureau: Organization) -> tuple[int, list[str]]:
        ctx = Context.system()
        counters: dict[str, int] = {}
        loaded = 0
        failed: list[str] = []

        demo_units = {name for department, units in TREE.items() for name in (department, *units)}
        offsets: dict[str, int] = {}

        def next_state(n: int, project: Any) -> State:
            # each unit's records go round the states, so every login sees the whole cycle; units
            # outside the demo tree start at different points, so every state appears among them too
            key = project.unit or project.department or ""
            if key not in offsets:
                offsets[key] = 0 if key in demo_units else len(offsets)
            count = counters.get(key, 0)
            counters[key] = count + 1
            return STATES[(offsets[key] + count) % len(STATES)]

        for path in expand([source], ALL_SUFFIXES):
            try:
                result = import_path(path)
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                load_document(
                    ctx,
                    result.document,
                    bureau=bureau,
                    source=(path.name, digest),
                    state_for=next_state,
                    create_orgs=True,
                )
                loaded += 1
            except (JixiaoError, LoadError) as exc:
                failed.append(f"{path}: {exc}")
        return loaded, failed
