"""题库导出：供考试平台导入的 CSV（UTF-8，带 BOM，Excel 可直接打开）和 XLSX。

列：题型、题干、选项A—选项F、答案、解析、出处（说明见 docs/guide/quiz.md“导出”一节）。
- 题型：单选题、多选题、判断题、填空题；
- 选项：与网页上分部分测验的顺序相同；
- 答案：选择题写选项字母（多选题连写，如 ACD），判断题写“正确”或“错误”，填空题写答案，
  有其他可接受的写法时用半角竖线“|”分隔；
- 出处：出处的人读名称和编号，外部来源另附来源说明。
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from .quiz import LETTERS, Bank, Item, Sources
from .quiz_papers import option_rng, view

HEADER: tuple[str, ...] = ("题型", "题干", *(f"选项{x}" for x in LETTERS), "答案", "解析", "出处")
TYPE_LABELS = {"单选": "单选题", "多选": "多选题", "判断": "判断题", "填空": "填空题"}


def source_text(item: Item, sources: Sources) -> str:
    q = item.q
    label = sources.labels.get(q.source)
    if label and q.source.startswith("n"):
        label = "矿安〔2024〕2号" + label
    out = f"{label}（{q.source}）" if label else q.source
    if q.provenance:
        out += f"；{q.provenance}"
    if q.confidence:
        out += f"（{q.confidence}）"
    return out


def row(item: Item, sources: Sources) -> list[str]:
    """一道题的一行。选项顺序与分部分测验页面相同（以题目编号为种子打乱，fixed_order 的题不动）。"""
    q = item.q
    v = view(item, 0, q.id, option_rng(item))
    options = list(v.options) + [""] * (len(LETTERS) - len(v.options))
    if q.type in ("单选", "多选"):
        answer = v.answer
    elif q.type == "填空":
        answer = "|".join([q.answer, *q.accept])
    else:
        answer = q.answer
    return [TYPE_LABELS[q.type], q.stem, *options, answer, q.explain, source_text(item, sources)]


def rows(bank: Bank, sources: Sources) -> list[list[str]]:
    order = {s.id: k for k, s in enumerate(bank.sets)}
    items = sorted(bank.items, key=lambda i: (order.get(i.set, len(order)), i.generated))
    return [row(i, sources) for i in items]


def to_csv(data: Iterable[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(data)
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(data: Iterable[list[str]], path: Path, title: str = "题库") -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(HEADER))
    for r in data:
        ws.append(r)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = {"A": 8, "B": 60, "I": 14, "J": 50, "K": 40}
    for col in "CDEFGH":
        widths[col] = 24
    for col, w in widths.items():
        ws.column_dimensions[col].width = w
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = wrap
    ws.freeze_panes = "A2"
    wb.properties.creator = "学习宣传贯彻《硬措施》专栏"
    wb.properties.title = "《硬措施》学习测验题库"
    wb.save(path)


def write_exports(bank: Bank, sources: Sources, directory: Path, stem: str = "quiz-bank") -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    data = rows(bank, sources)
    csv_path = directory / f"{stem}.csv"
    csv_path.write_bytes(to_csv(data))
    xlsx_path = directory / f"{stem}.xlsx"
    to_xlsx(data, xlsx_path)
    return csv_path, xlsx_path
