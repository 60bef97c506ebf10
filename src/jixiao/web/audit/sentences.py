"""An audit event's detail as Chinese sentences, the way the audit pages show it.

The detail is stored as JSON (keys in English, values as the service wrote
them) so that the hash chain seals exactly what happened; people read it as
「把“计划完成日期”从 2026-10-31 改为 2026-11-30。」. Field names come from the
models' own Chinese names where the event names its object, else from
:data:`KEY_LABELS`; a key without a Chinese name is said as 「其他信息」, never
as its English key.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from jixiao.core.workflow import Role, State
from jixiao.web.audit.models import AuditEvent

__all__ = ["KEY_LABELS", "describe", "describe_detail", "label_of", "object_name"]

# Keys the services write outside a model's own fields (see each service's record() call).
KEY_LABELS: dict[str, str] = {
    "action": "操作",
    "addresses": "来源地址",
    "api_access_ended": "结束的接口令牌",
    "backup_created_at": "备份时间",
    "before": "修改前",
    "after": "修改后",
    "by": "操作方式",
    "carried_from": "结转自",  # a declaration started from an earlier year's (cycle.services.carry_forward)
    "chosen": "抽中的专家",
    "comment": "审核意见",
    "conclusion": "评估结论",
    "conflicts": "申明回避的单位",
    "costs": "成本测算",
    "created": "新增监控表数",  # a monitoring round's opening (monitoring.services.rounds)
    "create_units": "新建单位",
    "current_version": "当前版本",
    "day": "日期",
    "declaration": "申报表编号",
    "department": "主管部门",
    "display_name": "姓名",
    "excluded": "排除的专家",
    "expected_version": "提交时的版本",
    "expires_at": "有效期至",
    "failures": "失败次数",
    "field": "栏目",
    "file": "文件",
    "files": "文件",
    "files_deleted": "删除的文件",
    "filters": "筛选条件",
    "folder": "文件夹",
    "format": "格式",
    "from": "原状态",
    "from_declaration": "依据的绩效目标申报表编号",
    "from_year": "起始年度",
    "indicator": "指标",
    "indicators": "指标",
    "is_active": "启用",
    "kind": "类型",
    "locked": "已锁定",
    "merged_from": "并入的条目",
    "method": "请求方法",
    "minutes": "分钟",
    "missing": "缺少的文件数",
    "name": "名称",
    "notices": "通知数",
    "organization": "单位",
    "os_user": "系统用户",
    "owner": "令牌所有人",
    "pack": "评分规则包",
    "panel_size": "专家人数",
    "previous_due": "原截止日期",
    "path": "地址",
    "problems": "问题",
    "project": "项目",
    "reason": "理由",
    "records": "记录数",
    "reopened": "再次发起",
    "records_moved": "改用新规则的记录数",
    "refused": "拒收的文件",
    "removed": "已删除",
    "replaced_temporary": "替换了临时密码",
    "revoked": "已吊销",
    "role": "角色",
    "rows": "指标行",
    "monitoring_rows": "指标监控行",
    "scope": "范围",
    "seat": "专家席位",
    "seed": "随机种子",
    "setting": "设置项",
    "sha256": "文件摘要",
    "state": "状态",
    "step": "步骤",
    "tables": "数据表数",
    "temporary": "临时密码",
    "title": "标题",
    "to": "新状态",
    "unlocked": "已解锁",
    "until_year": "截止年度",
    "username": "用户名",
    "version": "版本",
    "via": "途径",
    "what": "内容",
    "while": "中断时的步骤",
    "year": "年度",
    # the summary table's filters (summary.table.Filters), kept in an export's detail
    "code": "审核发现",
    "evaluation_state": "自评状态",
    "grade": "等级",
    "q": "项目名称含",
    "sort": "排序",
    "unit": "单位",
}
# Words for the values that services write as English tokens.
VALUE_WORDS: dict[str, str] = {
    # the indicator library's curation steps (library.models.LibraryChange.Action)
    "edit": "修改",
    "rename": "改名",
    "merge": "合并",
    "retire": "停用",
    "promote": "设为共性指标",
    "demote": "改为个性指标",
    # the ex-ante assessments' steps (assessments.services: detail "step")
    "adjustments": "记录调整完善内容",
    "conclude": "出具评估结论",
    "content": "填写评估内容",
    "create": "新建",
    "draw": "抽取专家",
    "score": "专家评分",
    "scored": "评分完成",
    "abandoned": "放弃",
    "account": "账户",
    "address": "来源地址",
    "administrator": "管理员重置",
    "api": "接口",
    "backup": "备份",
    "confirm": "确认导入",
    "deadline": "截止日期",
    "import": "导入",
    "interrupted": "中断",
    "load": "载入",
    "login": "登录页",
    "notices_read": "通知标为已读",
    "overdue_reminders": "逾期提醒",
    "read": "读取",
    "restore": "恢复",
    "retry": "重试",
    "rule_pack": "评分规则包",
    "self": "本人",
    "upload": "上传",
    **{s.value: s.label for s in State},
    **{r.value: r.label for r in Role},
}
# Row lists inside a record's detail, and the model whose fields the rows hold.
_ROW_MODELS = {
    "indicators": "cycle.declarationindicator",
    "rows": "cycle.evaluationindicator",
    "monitoring_rows": "monitoring.monitoringrow",
}


def _model_label(model_label: str, key: str) -> str | None:
    """The Chinese name of ``key`` as a field of the model ``app.model``, if it is one."""
    if not model_label or "." not in model_label:
        return None
    try:
        field = apps.get_model(model_label)._meta.get_field(key)
    except (LookupError, FieldDoesNotExist, ValueError):
        return None
    # a reverse relation (a record's "indicators") has no name of its own: KEY_LABELS names it
    name = getattr(field, "verbose_name", None)
    return str(name) if name else None


_KEY_ORDER = {key: n for n, key in enumerate(KEY_LABELS)}


@functools.cache
def _field_order(model_label: str) -> dict[str, int]:
    """The position of each of the model's own fields (read once per model: called for every row of a page)."""
    if not model_label or "." not in model_label:
        return {}
    try:
        return {f.name: n for n, f in enumerate(apps.get_model(model_label)._meta.fields)}
    except (LookupError, ValueError):
        return {}


def _in_order(keys: Iterable[str], model_label: str = "") -> list[str]:
    """``keys`` in a fixed order: the model's own field order, then :data:`KEY_LABELS`' order, then by name.

    PostgreSQL keeps JSON objects with their keys sorted by length, SQLite as written: the sentences
    must read the same on both.
    """
    fields = _field_order(model_label)
    far = len(fields) + len(_KEY_ORDER)
    return sorted(keys, key=lambda k: (fields.get(k, far), _KEY_ORDER.get(k, far), k))


def label_of(key: str, model_label: str = "") -> str:
    """The Chinese name of a detail key: the model's field name first, then :data:`KEY_LABELS`."""
    return _model_label(model_label, key) or KEY_LABELS.get(key) or "其他信息"


def _value(value: object) -> str:
    """A value as people read it: 是/否, （空）, words for tokens, lists joined with 、."""
    if value is None or value == "":
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, str):
        return VALUE_WORDS.get(value, value)
    if isinstance(value, Mapping):
        return "，".join(f"{label_of(str(k))} {_value(v)}" for k, v in value.items()) or "（空）"
    if isinstance(value, Sequence):
        if any(isinstance(v, Mapping) for v in value):
            return f"{len(value)} 项"
        return "、".join(_value(v) for v in value) or "（空）"
    return str(value)


def _row_changes(key: str, before: object, after: object) -> list[str]:
    """Sentences for a list of rows (a record's indicators) changed from ``before`` to ``after``."""
    model = _ROW_MODELS.get(key, "")
    if isinstance(before, Mapping) or isinstance(after, Mapping):
        return _changed_rows(
            key, before if isinstance(before, Mapping) else {}, after if isinstance(after, Mapping) else {}, model
        )
    old = before if isinstance(before, list) else []
    new = after if isinstance(after, list) else []
    out: list[str] = []
    if len(old) != len(new):
        out.append(f"{label_of(key)}由 {len(old)} 行改为 {len(new)} 行。")
    for n, (a, b) in enumerate(zip(old, new, strict=False), start=1):
        if not isinstance(a, Mapping) or not isinstance(b, Mapping):
            continue
        for field in _in_order(b, model):
            if field != "indicator" and a.get(field) != b.get(field):
                out.append(
                    f"把第 {n} 行的“{label_of(field, model)}”从 {_value(a.get(field))} 改为 {_value(b.get(field))}。"
                )
    return out


def _changed_rows(key: str, before: Mapping[str, object], after: Mapping[str, object], model: str) -> list[str]:
    """Sentences for rows kept as only their changed cells, by row number (``services.changes``)."""
    out: list[str] = []
    rows = dict.fromkeys([*before, *after])  # row numbers, in number order whatever the database kept
    for n in sorted(rows, key=lambda r: (len(r), r)):
        a, b = before.get(n), after.get(n)
        if not isinstance(b, Mapping):
            out.append(f"删除{label_of(key)}第 {n} 行。")
        elif not isinstance(a, Mapping):
            out.append(f"新增{label_of(key)}第 {n} 行：{_value(b)}。")
        else:
            out += [
                f"把第 {n} 行的“{label_of(field, model)}”从 {_value(a.get(field))} 改为 {_value(b.get(field))}。"
                for field in _in_order(b, model)
                if field != "indicator"
            ]
    return out


def _changes(before: Mapping[str, object], after: Mapping[str, object], model: str) -> list[str]:
    """「把“X”从 A 改为 B。」 for each key that differs between two snapshots."""
    out: list[str] = []
    for key in _in_order(dict.fromkeys([*before, *after]), model):
        a, b = before.get(key), after.get(key)
        if isinstance(a, list | Mapping) or isinstance(b, list | Mapping):
            out += _row_changes(key, a, b)
        elif a != b:
            out.append(f"把“{label_of(key, model)}”从 {_value(a)} 改为 {_value(b)}。")
    return out


def _snapshot(intro: str, values: Mapping[str, object], model: str) -> str:
    """One sentence listing a snapshot's filled fields (what a new or deleted record held)."""
    parts = []
    for key in _in_order(values, model):
        value = values[key]
        if isinstance(value, list):
            parts.append(f"{label_of(key)} {len(value)} 行")
        elif value not in (None, ""):
            parts.append(f"“{label_of(key, model)}”为 {_value(value).rstrip('。')}")
    return intro + ("；".join(parts) if parts else "无内容") + "。"


def describe_detail(detail: Mapping[str, object], model: str = "") -> list[str]:
    """The sentences of one event's detail; ``model`` (``app.model``) names its object's fields."""
    if not detail:
        return []
    rest = dict(detail)
    out: list[str] = []
    before, after = rest.pop("before", None), rest.pop("after", None)
    if "from" in rest and "to" in rest:
        out.append(f"状态从“{_value(rest.pop('from'))}”变为“{_value(rest.pop('to'))}”。")
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        out += _changes(before, after, model)
    elif isinstance(after, Mapping):
        out.append(_snapshot("填写：", after, model))
    elif isinstance(before, Mapping):
        out.append(_snapshot("删除前：", before, model))
    elif before is not None or after is not None:
        # an adjustment: one value of one indicator (its field named by the indicator model)
        field = label_of(str(rest.pop("field", "")), "cycle.declarationindicator")
        where = f"“{rest.pop('indicator')}”的" if "indicator" in rest else ""
        out.append(f"把{where}“{field}”从 {_value(before)} 改为 {_value(after)}。")
    # an empty comment or an absent value says nothing worth reading
    said = [
        f"{label_of(k, model)}：{_value(rest[k]).rstrip('。')}" for k in _in_order(rest) if rest[k] not in (None, "")
    ]
    if said:
        out.append("；".join(said) + "。")
    return out


def object_name(event: AuditEvent) -> str:
    """The event's object as people name it: the model's Chinese name and its number (「绩效目标申报表 3」)."""
    if not event.object_type:
        return ""
    try:
        name = str(apps.get_model(event.object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        name = "其他对象"
    return f"{name} {event.object_id}".strip()


def describe(event: AuditEvent) -> str:
    """The event's detail as Chinese sentences, one after the other (empty when it has none)."""
    detail = event.detail if isinstance(event.detail, Mapping) else {}
    return "".join(describe_detail(detail, event.object_type))
