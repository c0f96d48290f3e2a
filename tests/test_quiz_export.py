"""题库导出：CSV（UTF-8，带 BOM）和 XLSX 写出后用 csv 和 openpyxl 读回，内容一致、各列合乎说明。"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from helpers import REPO
from studycol import quiz, quiz_export

HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案", "解析", "出处"]


@pytest.fixture(scope="module")
def bank_and_sources():
    bank, sources, report = quiz.check_directory(REPO / "data" / "quiz", REPO / "data" / "notice.yml", REPO / "data" / "documents.yml")
    assert report.ok
    return bank, sources


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV 文件开头应有 UTF-8 BOM，Excel 才能正确识别中文"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _read_xlsx(path: Path) -> list[list[str]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == ["题库"]
    rows = [["" if c is None else str(c) for c in r] for r in wb["题库"].iter_rows(values_only=True)]
    wb.close()
    return rows


def _check_rows(rows: list[list[str]], bank: quiz.Bank) -> None:
    assert rows[0] == HEADER == list(quiz_export.HEADER)
    body = rows[1:]
    assert len(body) == len(bank.items)
    types = {"单选题": 0, "多选题": 0, "判断题": 0, "填空题": 0}
    for r in body:
        kind, stem, options, answer, explain, source = r[0], r[1], r[2:8], r[8], r[9], r[10]
        types[kind] += 1
        assert stem and explain and source
        if kind in ("单选题", "多选题"):
            n = sum(1 for o in options if o)
            assert 2 <= n <= 6 and all(options[:n]) and not any(options[n:])
            assert answer and all(x in "ABCDEF"[:n] for x in answer)
            assert (len(answer) == 1) == (kind == "单选题")
        else:
            assert not any(options)
            if kind == "判断题":
                assert answer in ("正确", "错误")
            else:
                assert "____" in stem and answer
    assert types == {f"{k}题": v for k, v in quiz.counts_by_type(bank.items).items()}


def test_csv_and_xlsx_read_back(tmp_path: Path, bank_and_sources):
    bank, sources = bank_and_sources
    csv_path, xlsx_path = quiz_export.write_exports(bank, sources, tmp_path / "downloads")
    rows = _read_csv(csv_path)
    _check_rows(rows, bank)
    assert _read_xlsx(xlsx_path) == rows


def test_rows_carry_answer_explanation_and_source(tmp_path: Path, bank_and_sources):
    bank, sources = bank_and_sources
    csv_path, _ = quiz_export.write_exports(bank, sources, tmp_path)
    rows = {r[1]: r for r in _read_csv(csv_path)[1:]}
    r = rows["通知要求矿山企业怎样开展自查？"]
    assert r[0] == "单选题" and r[2 + "ABCDEF".index(r[8])] == "立即逐条对照《硬措施》开展自查"
    assert r[10] == "矿安〔2024〕2号通知第四部分第1段第1句（n4-1-1）"
    assert r[9].startswith("原文为")
    # 依据外部来源的题目：出处附来源说明
    fact = next(v for k, v in rows.items() if k.startswith("据媒体转述的应急管理部发布内容，《硬措施》规定：矿山在"))
    assert "安委〔2024〕1号（doc-yingcuoshi）" in fact[10] and "单一来源" in fact[10]
    # 多选题连写字母，每个字母都指向正确的选项
    multi = rows["通知第四部分点名要深挖细究的违法行为有（　　）。"]
    chosen = sorted(multi[2 + "ABCDEF".index(x)] for x in multi[8])
    assert chosen == sorted(["隐蔽工作面作业", "整合技改期间偷采", "安全监控系统造假", "违规分包转包"])
    # 自动生成的原文填空也在导出文件中
    assert any(r[0] == "填空题" and r[8] == "台账化管理" and "（n4-1-2）" in r[10] for r in rows.values())


def test_export_is_deterministic(tmp_path: Path, bank_and_sources):
    bank, sources = bank_and_sources
    a, _ = quiz_export.write_exports(bank, sources, tmp_path / "a")
    b, _ = quiz_export.write_exports(bank, sources, tmp_path / "b")
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.slow
def test_built_site_offers_the_exports(built_site: Path, bank_and_sources):
    bank, _ = bank_and_sources
    downloads = built_site / "downloads"
    rows = _read_csv(downloads / "quiz-bank.csv")
    _check_rows(rows, bank)
    assert _read_xlsx(downloads / "quiz-bank.xlsx") == rows
    index = (built_site / "quiz" / "index.html").read_text(encoding="utf-8")
    assert 'href="../downloads/quiz-bank.csv"' in index and 'href="../downloads/quiz-bank.xlsx"' in index
