"""端到端：坏题库让严格构建失败，报告题库文件、行号和题目编号；好题库生成测验页面、100% 覆盖和导出文件。"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import REPO, build, copy_site
from studycol import ids as ids_mod

pytestmark = pytest.mark.slow


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in ln)


def _fails(tmp_path: Path, src: Path) -> str:
    result = build(src, tmp_path / "out")
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out
    return out


def test_wrong_answer_fails_with_file_line_and_id(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    bank = src / "data" / "quiz" / "part-4.yml"
    text = bank.read_text(encoding="utf-8")
    block = text.index("- id: q-n4-selfcheck")
    end = text.index("answer: A", block)
    bank.write_text(text[:end] + "answer: E" + text[end + len("answer: A"):], encoding="utf-8")
    out = _fails(tmp_path, src)
    line = _line_of(bank, "- id: q-n4-selfcheck")
    assert f"data/quiz/part-4.yml:{line}: 题目 q-n4-selfcheck：单选题的答案“E”超出了选项范围" in out


def test_answer_not_in_source_fails(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    bank = src / "data" / "quiz" / "part-5.yml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("answer: 有人管", "answer: 有人督办", 1), encoding="utf-8")
    out = _fails(tmp_path, src)
    line = _line_of(bank, "- id: q-n5-ownership")
    assert f"data/quiz/part-5.yml:{line}: 题目 q-n5-ownership：答案“有人督办”不在出处（通知第五部分第1段第1句）的文字中" in out


def test_unresolved_page_anchor_is_reported_by_xref(tmp_path: Path):
    """出处是页面锚点时由交叉引用解析；找不到时报告题库文件和行号。"""
    src = copy_site(tmp_path / "src")
    bank = src / "data" / "quiz" / "facts.yml"
    text = bank.read_text(encoding="utf-8")
    block = text.index("- id: q-fact-drafting")
    pos = text.index("source: doc-yingcuoshi", block)
    bank.write_text(text[:pos] + "source: about.md#no-such-anchor" + text[pos + len("source: doc-yingcuoshi"):], encoding="utf-8")
    out = _fails(tmp_path, src)
    line = _line_of(bank, "- id: q-fact-drafting")
    assert f"data/quiz/facts.yml:{line}: 引用 [[about.md#no-such-anchor]] 找不到目标" in out


def test_near_duplicate_warning_fails_strict_build(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    bank = src / "data" / "quiz" / "part-5.yml"
    extra = (
        "\n  - id: q-n5-evaluator-copy\n    type: 单选\n    stem: 通知第五部分规定，由谁开展抽查、评估？\n"
        "    options: [国家矿山安全监察局, 各省级人民政府]\n    answer: A\n    from_text: true\n"
        "    explain: 见原文。\n    source: n5-1-2\n"
    )
    bank.write_text(bank.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra, encoding="utf-8")
    out = _fails(tmp_path, src)
    line = _line_of(bank, "- id: q-n5-evaluator-copy")
    found = re.findall(rf"data/quiz/part-5\.yml:{line}: 题目 q-n5-evaluator-copy：题干与 q-n5-evaluator（data/quiz/part-5\.yml:\d+）高度相似", out)
    assert len(found) == 1, out[-3000:]  # 两种语言各构建一遍，只报告一次
    assert "in strict mode" in out


def test_unknown_quiz_marker(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    page = src / "docs" / "quiz" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<!-- quiz:nothing -->\n", encoding="utf-8")
    out = _fails(tmp_path, src)
    line = _line_of(page, "<!-- quiz:nothing -->")
    assert f"docs/quiz/index.md:{line}: 未知的标记“quiz:nothing”" in out


def test_quiz_pages_ids_and_full_coverage(built_site: Path):
    targets = json.loads((built_site / "xref" / "targets.json").read_text(encoding="utf-8"))
    qids = {i for i, t in targets.items() if t["kind"] == "q"}
    assert len(qids) >= 80
    assert all(targets[i]["page"].startswith("quiz/") for i in qids)
    cov = json.loads((built_site / "xref" / "coverage.json").read_text(encoding="utf-8"))
    assert cov["paragraphs"] and all(row["题目"] > 0 for row in cov["paragraphs"]), cov["paragraphs"]
    page = (built_site / "coverage" / "index.html").read_text(encoding="utf-8")
    total = len(cov["paragraphs"])
    assert f"通知共 {total} 段，已被引用 {total} 段" in page or f"通知共{total}段，已被引用{total}段" in page
    part4 = (built_site / "quiz" / "part-4" / "index.html").read_text(encoding="utf-8")
    assert 'id="q-n4-selfcheck"' in part4 and 'href="../../notice/#n4-1-1"' in part4
    assert "<script>" not in part4.split('<div class="quiz')[1].split("</form>")[0]


def test_question_ids_are_published(built_site: Path):
    """题目编号发布后不改不删：新题目要用 make ids 登记。"""
    targets = json.loads((built_site / "xref" / "targets.json").read_text(encoding="utf-8"))
    published = set(ids_mod.parse_published((REPO / "data" / "published-ids.txt").read_text(encoding="utf-8")))
    missing = sorted(i for i, t in targets.items() if t["kind"] == "q" and i not in published)
    assert missing == [], "有新的题目编号尚未登记：请运行 make ids（" + "、".join(missing[:5]) + "）"
