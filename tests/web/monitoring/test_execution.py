"""Importing the payment system's execution figures into a round, as a reviewer does it in the browser.

The file is uploaded through the page's form, the preview read, and the confirmation posted as rendered
(issue 16, item 5): matched, unmatched, duplicated and malformed rows, a stale preview, the scope of each
role, forms already submitted, 万元 forms, the unit's read-only figure kept through a save, and the audit.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.core.workflow import Action, State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.sentences import describe
from jixiao.web.monitoring import execution_files, services
from jixiao.web.monitoring.models import ExecutionImport, MonitoringRecord, MonitoringRound
from jixiao.web.monitoring.services.execution import STALE
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import FILLED, fill, open_all, record_of
from tests.web.posting import form_entries

pytestmark = pytest.mark.django_db
HEADER = "主管部门,单位,项目名称,已支付金额（元）"
DEPT_A, DEPT_B = "测试市医疗保障局", "测试市教育局"
A1, A2, B1 = "测试市医保中心", "测试市医保监督所", "测试市教师发展中心"
NAME = "业务培训经费"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _csv(*rows: str, name: str = "执行数.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join([HEADER, *rows]).encode("utf-8"), content_type="text/csv")


def _upload(client: Client, round_: MonitoringRound, *files: SimpleUploadedFile) -> tuple[str, str]:
    """Upload as the page's form posts it; the preview page it leads to, and its address."""
    page = client.get(f"/work/monitoring/rounds/{round_.pk}/execution/").content.decode()
    assert 'id="execution-upload-form"' in page and 'name="files"' in page
    response = client.post(f"/work/monitoring/rounds/{round_.pk}/execution/", {"files": list(files)})
    assert response.status_code == 302, response.content.decode()[:500]
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    return preview.content.decode(), response["Location"]


def _confirm(client: Client, page: str, address: str, **ticks: str) -> str:
    """Post the confirmation form as rendered (boxes ticked by name); the page it leads to, messages included."""
    data = dict(form_entries(page, "execution-confirm-form")) | ticks
    response = client.post(f"{address}apply/", data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _figures(round_: MonitoringRound) -> dict[str, Decimal | None]:
    return {r.unit.name: r.executed_to_date for r in MonitoringRecord.objects.filter(round=round_)}


def test_matched_rows_are_written_with_their_source_and_audit(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """Three rows, three forms: each gets its amount, its file and row, a new version and an audit event."""
    round_ = open_all(people)
    finance = login(people["finance"])
    assert 'id="import-execution"' in finance.get(f"/work/monitoring/rounds/{round_.pk}/").content.decode()
    page, address = _upload(
        finance,
        round_,
        _csv(f"{DEPT_A},{A1},{NAME},45000.00", f"{DEPT_A},{A2},{NAME}项目,120000", f"{DEPT_B},{B1},{NAME},0"),
    )
    assert "将写入的执行数（3）" in page and "45,000.00" in page and "45.00%" in page
    # more paid than the budget is a warning with both numbers, and does not stop the import
    assert "已支付 120000.00 元，超过年度预算数 100000.00 元（超出 20000.00 元）" in page
    versions = {r.pk: r.version for r in MonitoringRecord.objects.filter(round=round_)}
    done = _confirm(finance, page, address)
    assert "已导入执行数：读取 3 行，写入 3 张监控表" in done
    assert _figures(round_) == {A1: Decimal("45000.00"), A2: Decimal("120000.00"), B1: Decimal("0.00")}
    a1 = record_of(round_, approved["a1"])
    assert (a1.execution_file, a1.execution_sheet, a1.execution_row) == ("执行数.csv", "", 2)
    assert a1.version == versions[a1.pk] + 1
    imported = ExecutionImport.objects.get()
    assert (imported.files, imported.rows_read, imported.figures_applied) == (["执行数.csv"], 3, 3)
    assert a1.execution_import == imported and imported.uploaded_by == people["finance"]
    event = AuditEvent.objects.filter(event=AuditEvent.Type.UPDATE, object_id=str(a1.pk)).latest("pk")
    assert event.detail["before"]["executed_to_date"] is None
    assert event.detail["after"] == {
        "executed_to_date": "45000.00",
        "execution_file": "执行数.csv",
        "execution_row": 2,
        "execution_import": imported.pk,
    }
    said = describe(event)
    assert "把“截至监控日执行数”从 （空） 改为 45000.00。" in said and "“执行数来源行”从 （空） 改为 2" in said
    # audited when confirmed and when applied (in the background: execution_jobs)
    steps = AuditEvent.objects.filter(event=AuditEvent.Type.IMPORT, object_id=str(imported.pk)).order_by("pk")
    assert [e.detail.get("step") for e in steps] == ["confirm", None] and steps[1].detail["applied"] == 3
    # the kept files are gone once applied; the same address now says so
    assert not any(execution_files.root().iterdir())
    again = finance.get(address, follow=True).content.decode()
    assert "没有找到这次上传的文件" in again


def test_unmatched_rows_are_listed_and_written_only_when_left_out_on_purpose(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """A row of no project in the round stops the import until the reviewer ticks to leave it out."""
    round_ = open_all(people)
    finance = login(people["finance"])
    page, address = _upload(finance, round_, _csv(f"{DEPT_A},{A1},{NAME},100.00", f"{DEPT_A},{A1},不存在的项目,5.00"))
    assert "未对应到本批次项目的行（1）" in page and "执行数.csv 第3行" in page
    refused = _confirm(finance, page, address)
    assert "执行数.csv 第3行：未找到对应项目" in refused
    assert _figures(round_)[A1] is None and ExecutionImport.objects.get().state == "failed"
    done = _confirm(finance, page, address, accept_unmatched="1")
    assert "写入 1 张监控表" in done and _figures(round_)[A1] == Decimal("100.00")


def test_duplicated_rows_stop_the_whole_import(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """Two rows for one project: both named with their amounts, no confirm button, and a forced post writes nothing."""
    round_ = open_all(people)
    finance = login(people["finance"])
    page, address = _upload(
        finance,
        round_,
        _csv(f"{DEPT_A},{A1},{NAME},100.00", f"{DEPT_A},{A1},{NAME},200.00", f"{DEPT_B},{B1},{NAME},300.00"),
    )
    assert "出现 2 次：执行数.csv 第2行（100.00 元）、执行数.csv 第3行（200.00 元）" in page
    assert 'id="execution-confirm-form"' not in page
    digest = page.split('name="digest" value="')[1].split('"')[0] if 'name="digest"' in page else ""
    response = finance.post(f"{address}apply/", {"digest": digest}, follow=True)
    assert "没有写入任何执行数" in response.content.decode()
    assert "出现 2 次" in finance.get(address).content.decode()  # the preview it links back to says why
    assert set(_figures(round_).values()) == {None}  # B1's good row was not written either


def test_malformed_rows_are_named_by_file_row_and_column_and_nothing_is_written(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """A bad amount in one of two files: the place and the fix are shown, and neither file is imported."""
    round_ = open_all(people)
    finance = login(people["finance"])
    good = _csv(f"{DEPT_A},{A1},{NAME},100.00", name="一.csv")
    bad = _csv(f"{DEPT_B},{B1},{NAME},十万", f"{DEPT_A},{A2},{NAME},1.234", name="二.csv")
    page, address = _upload(finance, round_, good, bad)
    assert "文件中需要修改的地方（2 处）" in page
    assert "二.csv 第2行 第4列「已支付金额（元）」" in page and "十万" in page
    assert "二.csv 第3行" in page
    assert 'id="execution-confirm-form"' not in page
    response = finance.post(f"{address}apply/", {"digest": ""}, follow=True)
    assert "二.csv 第2行" in response.content.decode()
    assert set(_figures(round_).values()) == {None} and not ExecutionImport.objects.filter(state="done").exists()


def test_a_preview_gone_stale_is_refused(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """The unit submits its form between the preview and the confirmation: the plan changed, nothing is written."""
    round_ = open_all(people)
    finance = login(people["finance"])
    page, address = _upload(finance, round_, _csv(f"{DEPT_A},{A1},{NAME},100.00", f"{DEPT_B},{B1},{NAME},300.00"))
    a1 = fill(record_of(round_, approved["a1"]), people["staff_a1"])
    services.act(ctx(people["staff_a1"]), a1, Action.SUBMIT)
    refused = _confirm(finance, page, address)
    assert STALE in refused
    assert _figures(round_) == {A1: Decimal("45000.00"), A2: None, B1: None}
    # the new preview lists the submitted form as kept, and applies the rest
    page = finance.get(address).content.decode()
    assert "已提交或已批复、不作修改的监控表（1）" in page
    assert "写入 1 张监控表" in _confirm(finance, page, address)
    assert _figures(round_) == {A1: Decimal("45000.00"), A2: None, B1: Decimal("300.00")}


def test_a_department_imports_only_into_its_own_units_and_a_unit_not_at_all(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """Department A's reviewer sees department B's row as unmatched and cannot write it; a unit is refused."""
    round_ = open_all(people)
    dept_a = login(people["dept_a"])
    page, address = _upload(dept_a, round_, _csv(f"{DEPT_A},{A1},{NAME},100.00", f"{DEPT_B},{B1},{NAME},300.00"))
    assert "未对应到本批次项目的行（1）" in page and f"{DEPT_B} / {B1} / {NAME}" in page
    # another reviewer cannot use this upload's token
    other = login(people["dept_b"]).get(address, follow=True).content.decode()
    assert "没有找到这次上传的文件" in other
    _confirm(dept_a, page, address, accept_unmatched="1")
    assert _figures(round_) == {A1: Decimal("100.00"), A2: None, B1: None}
    staff = login(people["staff_a1"])
    assert staff.get(f"/work/monitoring/rounds/{round_.pk}/execution/").status_code == 403
    refused = staff.post(f"/work/monitoring/rounds/{round_.pk}/execution/", {"files": [_csv()]})
    assert refused.status_code == 403
    assert 'id="import-execution"' not in staff.get(f"/work/monitoring/rounds/{round_.pk}/").content.decode()


def test_a_form_filed_in_wan_yuan_takes_the_amount_only_when_exact(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """123,400.00 元 is 12.34 万元; 123,456.78 元 would be 12.345678 万元 and is refused, naming the row."""
    round_ = open_all(people)
    MonitoringRecord.objects.filter(pk=record_of(round_, approved["a2"]).pk).update(
        money_unit="万元", budget_total=Decimal("10.00")
    )
    finance = login(people["finance"])
    page, _ = _upload(finance, round_, _csv(f"{DEPT_A},{A2},{NAME},123456.78"))
    assert "折合 12.345678 万元，超过两位小数" in page and 'id="execution-confirm-form"' not in page
    page, address = _upload(finance, round_, _csv(f"{DEPT_A},{A2},{NAME},123400.00"))
    assert "12.34 万元" in page
    _confirm(finance, page, address)
    assert _figures(round_)[A2] == Decimal("12.34")


def test_the_units_form_shows_the_imported_figure_read_only_and_keeps_it_through_a_save(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """The unit sees 来自支付数据（文件 第N行）; its save, even with the figure forced in, keeps the import's."""
    round_ = open_all(people)
    finance = login(people["finance"])
    page, address = _upload(finance, round_, _csv(f"{DEPT_A},{A1},{NAME},45000.00"))
    _confirm(finance, page, address)
    rec = record_of(round_, approved["a1"])
    staff = login(people["staff_a1"])
    edit = staff.get(f"/work/monitoring/records/{rec.pk}/edit/").content.decode()
    assert "截至监控日执行数来自支付数据（执行数.csv 第2行）" in edit
    entries = form_entries(edit, "monitoring-form")
    assert "executed_to_date" not in dict(entries)  # disabled: the browser does not send it
    data: dict[str, Any] = {}
    for name, value in entries:
        data.setdefault(name, []).append(value)
    data |= {"outcome": ["已组织培训2次。"], "forecast_total": ["98000.00"], "save": [""]}
    response = staff.post(f"/work/monitoring/records/{rec.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rec.refresh_from_db()
    assert (rec.executed_to_date, rec.outcome, rec.forecast_total) == (
        Decimal("45000.00"),
        "已组织培训2次。",
        Decimal("98000.00"),
    )
    # a post that forces another figure (a hand-made request) is saved with the imported one kept
    data |= {"executed_to_date": ["1.00"], "version": [str(rec.version)]}
    assert staff.post(f"/work/monitoring/records/{rec.pk}/edit/", data).status_code == 302
    rec.refresh_from_db()
    assert rec.executed_to_date == Decimal("45000.00") and rec.version == 4
    # and the form shows where it came from on its page
    assert "执行数.csv 第2行" in staff.get(f"/work/monitoring/records/{rec.pk}/").content.decode()


def test_the_service_keeps_the_figure_and_refuses_another_money_unit(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """Through the service too: the imported figure stays, and 元 cannot become 万元 under it."""
    round_ = open_all(people)
    finance = login(people["finance"])
    page, address = _upload(finance, round_, _csv(f"{DEPT_A},{A1},{NAME},45000.00"))
    _confirm(finance, page, address)
    rec = record_of(round_, approved["a1"])
    saved = services.update_record(
        ctx(people["staff_a1"]), rec, rec.version, dict(FILLED, executed_to_date=Decimal("1.00")), []
    )
    assert saved.executed_to_date == Decimal("45000.00") and saved.outcome == FILLED["outcome"]
    assert saved.state == State.DRAFT.value
    with pytest.raises(ValidationError, match="金额单位不能改为万元"):
        services.update_record(ctx(people["staff_a1"]), saved, saved.version, {"money_unit": "万元"}, [])


def test_an_xlsx_export_with_a_title_and_a_total_row_names_its_sheet_on_the_form(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """A workbook as the payment system writes it: title line, 万元 column, total row skipped, sheet named."""
    from io import BytesIO

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "支付进度"
    ws.append(["2025年预算执行情况表（截至7月31日）"])
    ws.append(["主管部门", "单位", "项目名称", "累计支付（万元）"])
    ws.append([DEPT_A, A1, NAME, 4.5])
    ws.append([DEPT_B, B1, NAME, "0.0123"])
    ws.append(["合计", None, None, 4.5123])
    buffer = BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile(
        "支付.xlsx", buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    round_ = open_all(people)
    finance = login(people["finance"])
    page, address = _upload(finance, round_, upload)
    assert "将写入的执行数（2）" in page and "未读取的合计、说明行和工作表" in page
    _confirm(finance, page, address)
    assert _figures(round_) == {A1: Decimal("45000.00"), A2: None, B1: Decimal("123.00")}
    rec = record_of(round_, approved["a1"])
    shown = login(people["staff_a1"]).get(f"/work/monitoring/records/{rec.pk}/edit/").content.decode()
    assert "来自支付数据（支付.xlsx 工作表「支付进度」 第3行）" in shown


def test_the_same_preview_confirmed_twice_is_applied_once(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """A second confirmation of one preview (a double click, a second tab) is refused: nothing is written twice."""
    round_ = open_all(people)
    finance = login(people["finance"])
    page, address = _upload(finance, round_, _csv(f"{DEPT_A},{A1},{NAME},100.00"))
    files = execution_files.load(address.rstrip("/").rsplit("/", 1)[1], people["finance"].pk, round_.pk).contents()
    digest = dict(form_entries(page, "execution-confirm-form"))["digest"]
    services.execution.apply(ctx(people["finance"]), round_, files, digest)
    with pytest.raises(ValidationError, match="导入预览已过期"):
        services.execution.apply(ctx(people["finance"]), round_, files, digest)
    versions = list(
        MonitoringRecord.objects.filter(round=round_, executed_to_date__isnull=False).values_list("version")
    )
    assert ExecutionImport.objects.count() == 1 and versions == [(2,)]
