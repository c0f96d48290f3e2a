"""看不见的字符（issue 18：零宽字符和双向控制字符，规则 TEXT-1）：标题、front matter 和数据文件的字段中一律拒绝。

每个用例一个夹具（tests/fixtures/hostile/text/，内容虚构），15 种字符各至少一次。断言：被拒绝、文件和行号对、
说明是中文并把字符写成 \\u202e 这样的编码（消息里本身不含看不见的字符）、没有 Python 回溯、在时限内完成。
案例还要被案例加载器拒绝（这样的案例不进任何索引页）。最后两个测试（slow）各做一次严格构建：
案例标题中的 U+202E 不出现在任何页面上；页面和数据文件中的问题每条报告一次。
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import REPO, build, copy_site
from studycol import cases, safety, textchars
from studycol.yamlsrc import DataError

FIXTURES = Path(__file__).parent / "fixtures" / "hostile" / "text"
TIME_LIMIT = 2.0
CHINESE = re.compile(r"[\u4e00-\u9fff]")
TODAY = dt.date(2026, 12, 3)


@dataclasses.dataclass(frozen=True)
class Hidden:
    fixture: str
    dest: str
    line: int
    char: str  # 消息中应出现的编码，如 \u202e
    field: str  # 消息中应出现的字段或位置


CASES = [
    Hidden("case-title-rlo.md", "docs/cases/2024-shili-rlo.md", 3, "\\u202e", "字段 title"),
    Hidden("case-company-zwsp.md", "docs/cases/2024-shili-zwsp.md", 12, "\\u200b", "字段 company"),
    Hidden("case-city-lri.md", "docs/cases/2024-shili-lri.md", 11, "\\u2066", "字段 region.city"),
    Hidden("case-place-rli.md", "docs/cases/2024-shili-rli.md", 12, "\\u2067", "字段 region.place"),
    Hidden("case-short-bom.md", "docs/cases/2024-shili-bom.md", 4, "\\ufeff", "字段 short"),
    Hidden("case-title-escaped.md", "docs/cases/2024-shili-escaped.md", 3, "\\u202e", "字段 title"),
    Hidden("case-lesson-block-rlm.md", "docs/cases/2024-shili-rlm.md", 22, "\\u200f", "字段 lessons[1]"),
]
PAGES = [
    Hidden("page-title-rlo.md", "docs/shili/title.md", 2, "\\u202e", "字段 title"),
    Hidden("page-description-lrm.md", "docs/shili/description.md", 3, "\\u200e", "字段 description"),
    Hidden("page-heading-lre.md", "docs/shili/heading.md", 6, "\\u202a", "标题"),
    Hidden("page-heading-setext-zwj.md", "docs/shili/setext.md", 6, "\\u200d", "标题"),
    Hidden("page-subheading-rle.md", "docs/shili/subheading.md", 8, "\\u202b", "标题"),
]
DATA = [
    Hidden("data-quiz-stem-lro.yml", "data/quiz/shili.yml", 6, "\\u202d", "字段 questions[1].stem"),
    Hidden("data-option-pdi.yml", "data/shili-options.yml", 6, "\\u2069", "字段 questions[1].options[2]"),
    Hidden("data-key-zwnj.yml", "data/shili-terms.yml", 4, "\\u200c", "字段名"),
    Hidden("data-title-fsi.yml", "data/shili-tasks.yml", 4, "\\u2068", "字段 tasks[1].title"),
]
ALL = CASES + PAGES + DATA
# case-title-rlo.md 里还有 U+202C（结束方向嵌入）
COVERED = {h.char for h in ALL} | {"\\u202c"}


def skeleton(tmp: Path) -> Path:
    (tmp / "docs" / "_snippets").mkdir(parents=True)
    (tmp / "data").mkdir()
    (tmp / "docs" / "index.md").write_text("---\ntitle: 首页\n---\n\n# 首页\n\n正文。\n", encoding="utf-8")
    return tmp


def place(root: Path, fixture: str, dest: str) -> None:
    target = root / dest
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((FIXTURES / fixture).read_bytes())


def assert_message(text: str, case: Hidden) -> None:
    assert text.startswith(f"{case.dest}:{case.line}: "), text
    assert text.endswith("（TEXT-1）") and case.char in text and case.field in text, text
    assert CHINESE.search(text) and "Traceback" not in text
    assert not textchars.has_any(text), "消息本身不能含看不见的字符"


def test_every_character_has_a_fixture():
    assert {f"\\u{ord(c):04x}" for c in textchars.NAMES} == COVERED
    for f in FIXTURES.iterdir():
        assert "示例" in f.read_text(encoding="utf-8"), f"{f.name} 应使用虚构名称"


@pytest.mark.parametrize("case", ALL, ids=[h.fixture for h in ALL])
def test_hidden_characters_are_refused_by_the_source_screen(tmp_path: Path, case: Hidden):
    root = skeleton(tmp_path)
    place(root, case.fixture, case.dest)
    t0 = time.perf_counter()
    _, problems = safety.screen_repo(root)
    assert time.perf_counter() - t0 < TIME_LIMIT
    mine = [str(p) for p in problems if p.rule == "TEXT-1"]
    assert len(mine) == 1, [str(p) for p in problems]
    assert_message(mine[0], case)


@pytest.mark.parametrize("case", CASES, ids=[h.fixture for h in CASES])
def test_the_case_loader_refuses_the_case_with_the_same_message(case: Hidden):
    vocab = cases.load_vocab(REPO / "data" / "case-vocab.yml").vocab
    text = (FIXTURES / case.fixture).read_text(encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(DataError) as exc:
        cases.parse_case(text, case.dest, vocab, TODAY)
    assert time.perf_counter() - t0 < TIME_LIMIT
    found = [str(e) for e in exc.value.errors if "TEXT-1" in str(e)]
    assert len(found) == 1, [str(e) for e in exc.value.errors]
    assert_message(found[0], case)
    page_msgs = [str(p) for p in safety.front_matter_problems(text, case.dest)]
    assert found[0] in page_msgs, "两处检查的消息应完全相同（make check-content 只列一次）"


def test_clean_text_code_blocks_and_body_paragraphs_pass(tmp_path: Path):
    root = skeleton(tmp_path)
    place(root, "ok-text.md", "docs/shili/ok.md")
    _, problems = safety.screen_repo(root)
    assert [str(p) for p in problems] == []
    assert textchars.yaml_problems("title: 普通标题\n", "data/x.yml") == []


def test_escaped_and_described():
    assert textchars.escaped("甲\u202e乙\u200b") == "甲\\u202e乙\\u200b"
    assert textchars.describe("\u202e\u202e\u200b") == "\\u202e（从右到左强制）、\\u200b（零宽空格）"


def test_deep_nesting_and_aliases_do_not_hang_or_crash():
    deep = "a: " + "[" * 900 + "\u202e" + "]" * 900 + "\n"
    t0 = time.perf_counter()
    textchars.yaml_problems(deep, "data/deep.yml")  # 解析器拒绝或接受都行，不能抛异常
    bomb = "a: &a [\"\u202e\", \"\u202e\"]\n" + "".join(f"{c}: &{c} [*{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    found = textchars.yaml_problems(bomb, "data/bomb.yml")
    assert time.perf_counter() - t0 < TIME_LIMIT
    assert len(found) == 2  # 别名指向的同一节点只看一次


def test_check_content_lists_each_problem_once(tmp_path: Path):
    root = skeleton(tmp_path / "repo")
    import shutil

    shutil.rmtree(root / "data")
    shutil.copytree(REPO / "data", root / "data")
    case = CASES[0]
    place(root, case.fixture, case.dest)
    page = PAGES[2]
    place(root, page.fixture, page.dest)
    proc = subprocess.run(
        [sys.executable, str(REPO / "tools" / "check_content.py"), "--root", str(root)],
        capture_output=True, text=True, timeout=60,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "Traceback" not in out, out
    for h in (case, page):
        hits = [ln for ln in out.splitlines() if ln.startswith(f"{h.dest}:{h.line}: ") and "TEXT-1" in ln]
        assert len(hits) == 1, out
        assert_message(hits[0], h)


# ---- 严格构建 ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_rtl_override_in_a_case_title_reaches_no_page(tmp_path: Path):
    root = copy_site(tmp_path / "src")
    case = CASES[0]
    place(root, case.fixture, case.dest)
    out = tmp_path / "site"
    t0 = time.perf_counter()
    proc = build(root, out)
    assert time.perf_counter() - t0 < 300
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "Traceback" not in log, log[-3000:]
    hits = [ln for ln in log.splitlines() if f"{case.dest}:{case.line}: " in ln and "（TEXT-1）" in ln]
    assert len(hits) == 1, log[-3000:]
    for page in out.rglob("*") if out.exists() else []:
        if page.is_file() and page.suffix in (".html", ".json", ".js", ".xml"):
            assert "\u202e" not in page.read_text(encoding="utf-8", errors="replace"), page


@pytest.mark.slow
def test_strict_build_reports_pages_and_data_once_each(tmp_path: Path):
    root = copy_site(tmp_path / "src")
    cfg = root / "mkdocs.yml"
    nav = ""
    for h in PAGES:
        place(root, h.fixture, h.dest)
        nav += f"  - 示例{len(nav)}: {h.dest.removeprefix('docs/')}\n"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("\nnav:\n", "\nnav:\n" + nav, 1), encoding="utf-8")
    data = DATA[1]  # 不属于任何加载器的数据文件：只有安全检查读它
    place(root, data.fixture, data.dest)
    out = tmp_path / "site"
    proc = build(root, out)
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "Traceback" not in log, log[-3000:]
    for h in PAGES + [data]:
        hits = [ln for ln in log.splitlines() if f"{h.dest}:{h.line}: " in ln and "（TEXT-1）" in ln]
        assert len(hits) == 1, (h, log[-3000:])


def test_id_fields_are_left_to_id_1():
    """编号字段中看不见的字符由 ID-1 报告（编号格式或引用解析），TEXT-1 不重复；别称（aliases）是文字，照查。"""
    assert textchars.yaml_problems("id: case-a\u200db\ncites: [n1\u200d-1]\nsource: s\u200d1\n", "data/x.yml") == []
    found = textchars.yaml_problems("aliases: [示例\u200b别称]\n", "data/x.yml")
    assert [p.line for p in found] == [1]
