"""The import check page: a misread value corrected before loading, as a reviewer does it on the page.

Every post is built from the rendered page (``tests/web/posting.py``): what the page shows is what it
sends, revision included, so posting the same page twice is the stale second post a person makes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle.models import Declaration, SourceCorrection
from jixiao.web.imports.models import ImportCorrection, ImportJob
from tests.web.posting import form_data
from tests.web.test_imports import confirm, upload

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PROJECT = "医保基金监管专项经费"
MISREAD = "≥6OO.00(个)"  # letter O for the digit 0, as a poor extraction or OCR gives it
TARGET = "projects[0].indicators[1].target"


def misread_declaration(folder: Path, extra_line: str = "") -> Path:
    """A declaration of the test tree's department, from the project's example, with one cell misread
    (and ``extra_line`` after its last indicator: a row cut off, as an excerpt or a page break leaves it)."""
    text = (ROOT / "examples" / "2023-declarations-tabbed.txt").read_text(encoding="utf-8")
    form = "财政项目支出绩效目标申报表" + text.split("财政项目支出绩效目标申报表")[1]
    form = form.replace("市容环境卫生专项检查经费", PROJECT)
    form = form.replace(
        "主管部门\t上海市绿化和市容管理局\t实施单位\t上海市绿化和市容管理局",
        "主管部门\t测试市医疗保障局\t实施单位\t测试市医保中心",
    )
    form = form.replace("≥600.00(个)", MISREAD)
    if extra_line:
        last = "\t市民对市容环境满意度\t≥85.00(%)\t\n"
        form = form.replace(last, last + extra_line + "\n")
    path = folder / "misread.txt"
    path.write_text(form, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _read(client: Client, folder: Path, extra_line: str = "") -> tuple[ImportJob, str]:
    job = upload(client, [misread_declaration(folder, extra_line)])
    assert job.state == ImportJob.State.READ, job.problems
    return job, f"/work/imports/{job.pk}/files/{job.files.get().pk}/"


def test_a_misread_cell_corrected_on_the_check_page_is_loaded_and_keeps_its_printed_source(
    people: dict[str, Any], login: Any, tmp_path: Path
) -> None:
    """Corrected, posted twice from the same page (the second refused as stale), loaded, shown in the history."""
    client = login(people["dept_a"])
    job, url = _read(client, tmp_path)
    assert url in client.get(f"/work/imports/{job.pk}/").content.decode()  # the job page links to it
    page = client.get(url).content.decode()
    assert MISREAD in page and "医保基金监管专项经费" in page and 'class="form-sheet"' in page
    data = form_data(page, "correct-other-0", path=TARGET, value="≥600.00(个)", reason="原表为600个，字母O误读")
    response = client.post(url + "correct/", data)
    assert response.status_code == 302
    # the same page posted again: its revision is out of date, nothing is applied twice
    again = client.post(url + "correct/", data)
    assert again.status_code == 409 and "已被更正过" in again.content.decode()
    assert ImportCorrection.objects.filter(job=job, withdrawn_at__isnull=True).count() == 1
    page = client.get(url).content.decode()
    assert "≥600.00(个)" in page and "原表为600个" in page
    events = AuditEvent.objects.filter(event=AuditEvent.Type.IMPORT, detail__step="correct")
    assert [e.detail["source"] for e in events] == [MISREAD]

    job = confirm(client, job, state="dept_approved")
    assert job.state == ImportJob.State.DONE, job.problems
    decl = Declaration.objects.get(project__name=PROJECT)
    assert decl.indicators.get(position=2).target == "≥600.00(个)"
    kept = SourceCorrection.objects.get(declaration=decl)
    assert (kept.source_value, kept.value, kept.by) == (MISREAD, "≥600.00(个)", people["dept_a"])
    record = client.get(f"/work/declarations/{decl.pk}/").content.decode()
    assert f"原文：{MISREAD} 更正为：≥600.00(个) 理由：原表为600个，字母O误读 更正人：dept_a" in record


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("projects[0].indicators[1].weight", "500", "分值 500 超出范围"),
        ("projects[0].funds.total.requested", "686400.005", "不是可以保存的数字"),
        ("projects[0].funds.total.requested", "-1", "不能为负数"),
        ("projects[0].start_date", "2023-02-30", "日期应写作"),
        ("projects[0].indicators[0].level1", "产出", "应为 成本指标、产出指标、效益指标、满意度指标 之一"),
        ("projects[0].name", " ", "不能为空"),
    ],
)
def test_a_bad_value_is_refused_with_the_file_and_the_field_named(
    people: dict[str, Any], login: Any, tmp_path: Path, path: str, value: str, message: str
) -> None:
    """Checked as the record forms check it; the message names the file and the place; nothing is recorded."""
    client = login(people["dept_a"])
    job, url = _read(client, tmp_path)
    page = client.get(url).content.decode()
    response = client.post(url + "correct/", form_data(page, "correct-other-0", path=path, value=value, reason="核对"))
    text = response.content.decode()
    assert response.status_code == 400 and message in text
    assert f"misread.txt：「{PROJECT}」" in text
    job.refresh_from_db()
    assert job.revision == 0 and not ImportCorrection.objects.exists()


def test_a_correction_needs_a_reason(people: dict[str, Any], login: Any, tmp_path: Path) -> None:
    client = login(people["dept_a"])
    _job, url = _read(client, tmp_path)
    page = client.get(url).content.decode()
    response = client.post(url + "correct/", form_data(page, "correct-other-0", path=TARGET, value="≥600.00(个)"))
    assert response.status_code == 400 and "请填写更正理由" in response.content.decode()
    assert not ImportCorrection.objects.exists()


def test_only_those_who_may_import_for_the_unit_may_see_and_correct(
    people: dict[str, Any], login: Any, tmp_path: Path
) -> None:
    """Another department's reviewer and unit staff do not find the job; the bureau's reviewer may correct."""
    client = login(people["dept_a"])
    _job, url = _read(client, tmp_path)
    page = client.get(url).content.decode()
    data = form_data(page, "correct-other-0", path=TARGET, value="≥600.00(个)", reason="核对原表")
    for name in ("dept_b", "staff_a1"):
        other = login(people[name])
        assert other.get(url).status_code == 404
        assert other.post(url + "correct/", data).status_code == 404
    assert not ImportCorrection.objects.exists()
    finance = login(people["finance"])
    assert finance.post(url + "correct/", data).status_code == 302
    assert ImportCorrection.objects.get().created_by == people["finance"]


def test_a_withdrawn_correction_is_not_loaded(people: dict[str, Any], login: Any, tmp_path: Path) -> None:
    """Withdrawn from its rendered form (a stale withdrawal refused), the value loads as it was read."""
    client = login(people["dept_a"])
    job, url = _read(client, tmp_path)
    page = client.get(url).content.decode()
    client.post(url + "correct/", form_data(page, "correct-other-0", path=TARGET, value="≥600", reason="误读"))
    page = client.get(url).content.decode()
    correction = ImportCorrection.objects.get()
    withdraw = f"{url}corrections/{correction.pk}/withdraw/"
    data = form_data(page, f"withdraw-{correction.pk}")
    # a second correction meanwhile (another tab): the withdrawal posted from the older page is stale
    client.post(url + "correct/", form_data(page, "correct-other-0", path=TARGET, value="≥600.00(个)", reason="改"))
    assert client.post(withdraw, data).status_code == 409
    page = client.get(url).content.decode()
    standing = ImportCorrection.objects.get(withdrawn_at__isnull=True)
    assert standing.value == "≥600.00(个)" and standing.source_value == MISREAD  # the printed value, not "≥600"
    response = client.post(f"{url}corrections/{standing.pk}/withdraw/", form_data(page, f"withdraw-{standing.pk}"))
    assert response.status_code == 302
    assert "已撤回" in client.get(url).content.decode()
    job = confirm(client, job, state="dept_approved")
    assert job.state == ImportJob.State.DONE, job.problems
    decl = Declaration.objects.get(project__name=PROJECT)
    assert decl.indicators.get(position=2).target == MISREAD
    assert not SourceCorrection.objects.exists()


def test_no_correction_once_the_job_is_confirmed(people: dict[str, Any], login: Any, tmp_path: Path) -> None:
    client = login(people["dept_a"])
    job, url = _read(client, tmp_path)
    page = client.get(url).content.decode()
    confirm(client, job, state="dept_approved")
    response = client.post(url + "correct/", form_data(page, "correct-other-0", path=TARGET, value="≥600", reason="x"))
    assert response.status_code == 403
    assert not ImportCorrection.objects.exists()


def test_an_unplaced_line_is_typed_into_its_row(people: dict[str, Any], login: Any, tmp_path: Path) -> None:
    """A row cut off at the end of the table: its target, not printed there, is put into that row with a reason."""
    client = login(people["dept_a"])
    job, url = _read(client, tmp_path, extra_line="\t\t\t巡查覆盖率\t\t")
    item = job.files.get()
    unplaced = item.reading["unplaced"]
    cut = next(n for n, u in enumerate(unplaced, start=1) if u["text"] == "巡查覆盖率")
    page = client.get(url).content.decode()
    assert "未能归位的内容" in page and "摘录在此截断" in page
    data = form_data(page, "place", unplaced=str(cut), row="0:10", column="target", value="≥98.00(%)", reason="下一页")
    assert client.post(url + "correct/", data).status_code == 302
    made = ImportCorrection.objects.get()
    assert (made.path, made.source_value, made.unplaced_line) == (
        "projects[0].indicators[10].target",
        "",
        unplaced[cut - 1]["line"],
    )
    job = confirm(client, job, state="dept_approved")
    assert job.state == ImportJob.State.DONE, job.problems
    decl = Declaration.objects.get(project__name=PROJECT)
    assert (decl.indicators.get(position=11).name, decl.indicators.get(position=11).target) == (
        "巡查覆盖率",
        "≥98.00(%)",
    )
    assert SourceCorrection.objects.get(declaration=decl).source_value == ""


LOST_LEVEL1 = """\
您现在所在的位置: 网站首页> 部门项目
项目支出绩效自评表
(2021年度)
项目名称 医保宣传经费
主管部门 测试市医疗保障局 实施单位 测试市医保中心
一级
指标
二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施




(50分)
数量指标 指标1:宣传场次 ≥1场 1场 12 12
指标2:宣传材料数量 ≥2400份 3200份 12 12
……
"""


def test_an_inferred_value_is_flagged_with_why_and_settled_by_a_correction(
    people: dict[str, Any], login: Any, tmp_path: Path
) -> None:
    """Level 1 lost to blank lines: flagged beside its row in the official form and in the list, with its note."""
    path = tmp_path / "lost-level1.txt"
    path.write_text(LOST_LEVEL1, encoding="utf-8")
    client = login(people["finance"])
    job = upload(client, [path])
    item = job.files.get()
    inferred = [p for p, s in item.reading["fields"].items() if s["confidence"] == "inferred"]
    assert "projects[0].indicators[0].level1" in inferred
    url = f"/work/imports/{job.pk}/files/{item.pk}/"
    page = client.get(url).content.decode()
    sheet = page.split('class="form-sheet"', 1)[1].split("</article>", 1)[0]
    flagged = 'class="check-value unsure" data-path="projects[0].indicators[0].level1">一级指标：推断'
    assert flagged in sheet  # beside its row in the official layout
    assert 'data-path="projects[0].indicators[0].level1"' in page.split('class="list check-values"', 1)[1]
    count = int(page.split('id="flagged-count">', 1)[1].split("<", 1)[0])
    assert count == len(inferred)
    form = "correct-" + "projects0indicators0level1"
    response = client.post(url + "correct/", form_data(page, form, reason="原表一级指标为产出指标，核对无误"))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert int(page.split('id="flagged-count">', 1)[1].split("<", 1)[0]) == count - 1
    assert 'class="check-value corrected" data-path="projects[0].indicators[0].level1"' in page
    # the weights as the original prints them (12 + 12 cannot be approved: 90 are due), corrected likewise
    for n in (0, 1):
        page = client.get(url).content.decode()
        weight = f"projects[0].indicators[{n}].weight"
        data = form_data(page, "correct-other-0", path=weight, value="45", reason="原表分值为45")
        assert client.post(url + "correct/", data).status_code == 302
    # loaded as a self-evaluation: the targets approved with it and the evaluation both show the corrections
    job = confirm(client, job)
    assert job.state == ImportJob.State.DONE, job.problems
    decl = Declaration.objects.get(project__name="医保宣传经费")
    expected = "原文：产出指标 更正为：产出指标 理由：原表一级指标为产出指标，核对无误 更正人：finance"
    assert expected in client.get(f"/work/declarations/{decl.pk}/").content.decode()
    assert expected in client.get(f"/work/evaluations/{decl.evaluation.pk}/").content.decode()


@pytest.mark.shared
def test_a_file_of_many_forms_is_checked_ten_at_a_time(people: dict[str, Any], login: Any) -> None:
    """A seed of thirteen forms: ten on the first page, three on the second; a correction there returns there."""
    from tests.shared import SEED_FILES

    seed = next(p for p in SEED_FILES if p.name.startswith("000_"))
    client = login(people["finance"])
    job = upload(client, [seed])
    item = job.files.get()
    count = len(item.projects)
    assert count > 10
    url = f"/work/imports/{job.pk}/files/{item.pk}/"
    first = client.get(url).content.decode()
    assert first.count('class="form-sheet"') == 10 and f"共 {count} 个" in first
    second = client.get(url + "?page=2").content.decode()
    assert second.count('class="form-sheet"') == count - 10
    assert item.projects[10]["name"] in second and item.projects[10]["name"] not in first
    data = form_data(second, "correct-other-10", path="projects[10].indicators[0].target", value="≥1项", reason="核对")
    response = client.post(url + "correct/", data)
    assert response.status_code == 302 and response["Location"].endswith("?page=2")
    assert ImportCorrection.objects.get().path == "projects[10].indicators[0].target"
