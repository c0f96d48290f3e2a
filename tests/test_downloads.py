"""重点任务清单的下载文件：CSV（UTF-8 带 BOM，Excel 能直接识别）和 XLSX（openpyxl 读回），
以及构建后它们确实出现在站点中、内容与 data/tasks.yml 一致。"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers import REPO
from studycol import notice as notice_mod
from studycol import tasks

LEDGER = ["责任单位", "责任人", "完成时限", "完成情况", "备注"]


@pytest.fixture(scope="module")
def loaded() -> tasks.LoadedTasks:
    return tasks.load_tasks(REPO / "data" / "tasks.yml")


@pytest.fixture(scope="module")
def rows(loaded) -> list[list[str]]:
    notice = notice_mod.load_notice(REPO / "data" / "notice.yml", "data/notice.yml")
    labels = {t.id: t.label for t in notice_mod.targets(notice)}
    return tasks.ledger_rows(loaded.tasks.tasks, labels)


def _check_csv(data: bytes, loaded: tasks.LoadedTasks) -> None:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV 必须以 UTF-8 BOM 开头，Excel 才能正确识别中文"
    assert b"\r\n" in data
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert read[0][-5:] == LEDGER and read[0][:3] == ["序号", "编号", "责任主体"]
    items = loaded.tasks.tasks
    assert len(read) == len(items) + 1
    for row, t in zip(read[1:], items, strict=True):
        assert row[1] == t.id and row[3] == t.title and row[4] == t.action
        assert row[5] == "、".join(t.timing)
        assert all(f"（{c}）" in row[7] for c in t.cites)
        assert row[-5:] == [""] * 5
    # 带逗号、引号的中文字段也能完整读回
    assert any("，" in row[4] for row in read[1:])


def _check_xlsx(data: bytes, loaded: tasks.LoadedTasks) -> None:
    assert zipfile.is_zipfile(io.BytesIO(data))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "xl/workbook.xml" in z.namelist() and "[Content_Types].xml" in z.namelist()
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["重点任务清单", "填写说明"]
    ws = wb["重点任务清单"]
    header = [c.value for c in ws[1]]
    assert header[-5:] == LEDGER
    assert ws.max_row == len(loaded.tasks.tasks) + 1
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert ws["A2"].value == 1 and isinstance(ws["A2"].value, int)
    for r, t in enumerate(loaded.tasks.tasks, start=2):
        assert ws.cell(row=r, column=2).value == t.id
        assert all(ws.cell(row=r, column=c).value in (None, "") for c in range(len(header) - 4, len(header) + 1))
    notes = [c.value for c in wb["填写说明"]["A"] if c.value]
    assert any("未明确" in n for n in notes) and any("责任单位" in n for n in notes)


def test_csv_round_trip(rows, loaded):
    _check_csv(tasks.to_csv(rows), loaded)


def test_xlsx_round_trip(rows, loaded):
    _check_xlsx(tasks.to_xlsx(rows, title="说明", notes=["“时间要求”照录原文，未明确的不设期限。", "责任单位等列留空。"]), loaded)


@pytest.mark.slow
def test_built_site_offers_both_downloads(built_site: Path, loaded):
    folder = built_site / "downloads"
    _check_csv((folder / "tasks.csv").read_bytes(), loaded)
    _check_xlsx((folder / "tasks.xlsx").read_bytes(), loaded)
    # 只写一份：英文版页面链接到同一组文件
    assert not (built_site / "en" / "downloads" / "tasks.csv").exists()
    en = (built_site / "en" / "tasks" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../downloads/tasks.xlsx"' in en


def test_task_numbers_are_the_same_on_the_page_the_checklist_and_the_downloads(built_site: Path):
    """任务编号处处相同：任务清单页（按责任主体分组，组内编号不连续）、自查表、CSV 和 Excel 台账中，
    同一项任务的序号相同，都按 data/tasks.yml 中的顺序从 1 起。"""
    from selectolax.lexbor import LexborHTMLParser

    def numbers(html: str, table: str, id_of) -> dict[str, int]:
        out: dict[str, int] = {}
        for tr in LexborHTMLParser(html).css(f"table.{table} tbody tr"):
            out[id_of(tr)] = int(tr.css_first("td.tasks-no").text(strip=True))
        return out

    page = numbers((built_site / "tasks" / "index.html").read_text(encoding="utf-8"), "tasks-table",
                   lambda tr: tr.css_first("td[id]").attributes["id"])
    checklist = numbers((built_site / "tasks" / "checklist" / "index.html").read_text(encoding="utf-8"),
                        "tasks-checklist", lambda tr: tr.css_first("a.xref--task").attributes["data-xref"])
    text = (built_site / "downloads" / "tasks.csv").read_text(encoding="utf-8-sig")
    from_csv = {row["编号"]: int(row["序号"]) for row in csv.DictReader(io.StringIO(text))}
    book = load_workbook(built_site / "downloads" / "tasks.xlsx", read_only=True)
    try:  # 只读方式打开的工作簿要关闭，否则文件一直开着
        rows = [r for r in book.worksheets[0].iter_rows(values_only=True) if r and r[1] and str(r[1]).startswith("task-")]
    finally:
        book.close()
    from_xlsx = {str(r[1]): int(r[0]) for r in rows}
    assert page and page == checklist == from_csv == from_xlsx
    assert sorted(page.values()) == list(range(1, len(page) + 1))
