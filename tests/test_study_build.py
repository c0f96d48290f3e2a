"""学习内容：解读要点的结构规则（纯函数），以及端到端构建——解读覆盖通知每一句、任务和术语可引用、
术语首次出现处有解释、宣讲提纲与解读同步、坏的数据或页面让构建失败并指出文件和行号。"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import REPO, build, copy_site
from studycol import glossary as glossary_mod
from studycol import notice as notice_mod
from studycol import study
from studycol import tasks as tasks_mod

# ---- 解读要点的结构规则（不构建站点） ------------------------------------------------------

PAGE = """# 四、迅速有力抓好落实 { #jd4 }

导语（[[n4-1]]）。

## （一）台账管理 { #jd4-taizhang .jd-point }

重大隐患实行台账化管理（[[n4-1-2]]）。

- 展开说明。

```markdown
## （假）代码块里的标题 { #jd4-fake .jd-point }
```

## （二）没有依据 { #jd4-nocite .jd-point }

只有概括，没有引用。

## （三）编号不对 { #point-3 .jd-point }

引用了通知（[[n4-1-3]]）。

## （四）部分不符 { #jd4-wrongpart .jd-point }

引用的是第二部分（[[n2-1-1]]）。

## （五）缺概括 { #jd4-nosummary .jd-point }

- 只有列表（[[n4-1-4]]）。

## 本部分提出的任务 { #jd4-tasks }
"""


def test_points_are_parsed_with_summary_refs_and_lines():
    points = study.parse_points(PAGE)
    assert [p.id for p in points] == ["jd4-taizhang", "jd4-nocite", "point-3", "jd4-wrongpart", "jd4-nosummary"]
    first = points[0]
    assert first.title == "（一）台账管理" and first.line == 5 and first.part == "n4"
    assert first.summary == "重大隐患实行台账化管理（[[n4-1-2]]）。" and first.summary_line == 7
    assert first.notice_refs == ("n4-1-2",)


def test_point_rules_report_each_problem_with_its_line():
    problems = [str(p) for p in study.check_points(study.parse_points(PAGE), "docs/jiedu/part-4.md", line_offset=3)]
    assert any(p.startswith("docs/jiedu/part-4.md:18: ") and "没有引用通知原文" in p for p in problems), problems
    assert any(p.startswith("docs/jiedu/part-4.md:22: ") and "编号“point-3”不合规" in p for p in problems), problems
    assert any(p.startswith("docs/jiedu/part-4.md:26: ") and "没有引用 n4 的任何段落或句子" in p for p in problems), problems
    assert any(p.startswith("docs/jiedu/part-4.md:30: ") and "第一段应是一句话概括" in p for p in problems), problems
    assert len(problems) == 4


def test_summary_refs_keep_their_source_line():
    out = study.with_source("甲（[[n4-1-2]]）。\n乙（[[n4-1-3|举报]]）。", "docs/jiedu/part-4.md", 7)
    assert out == "甲（[[n4-1-2||src:docs/jiedu/part-4.md:7]]）。\n乙（[[n4-1-3|举报|src:docs/jiedu/part-4.md:8]]）。"


def test_outline_groups_points_by_notice_part_in_notice_order():
    index = "## 导语 { #jd0-a .jd-point }\n\n概括（[[n0-1]]）。\n\n## 结尾 { #jd9-b .jd-point }\n\n概括（[[n9-1-1]]）。\n"
    part1 = "## （一）定位 { #jd1-a .jd-point }\n\n概括（[[n1-1-1]]）。\n"
    groups, problems = study.outline_groups(
        [("jiedu/index.md", index, 0), ("jiedu/part-1.md", part1, 0)], ["n0", "n1", "n2", "n9"]
    )
    assert problems == []
    assert [(pid, [p.id for _, p in entries]) for pid, entries in groups] == [
        ("n0", ["jd0-a"]), ("n1", ["jd1-a"]), ("n9", ["jd9-b"])
    ]


def test_repository_interpretation_pages_follow_the_rules():
    for page in sorted((REPO / "docs" / "jiedu").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        problems = study.check_points(study.parse_points(text), str(page))
        assert problems == [], problems


def test_quick_check_passes_on_the_repository_and_fails_on_bad_data(tmp_path: Path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "tools/check_study.py"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "均符合规则" in result.stdout
    # 同一个脚本在坏数据上失败，并按“文件:行: 说明”报告
    src = copy_site(tmp_path / "src")
    (src / "tools").mkdir()
    (src / "tools" / "check_study.py").write_text((REPO / "tools" / "check_study.py").read_text(encoding="utf-8"), encoding="utf-8")
    tasks_file = src / "data" / "tasks.yml"
    text = tasks_file.read_text(encoding="utf-8")
    line = text[: text.index("timing: 及时")].count("\n") + 1
    tasks_file.write_text(text.replace("timing: 及时", "timing: 立即", 1), encoding="utf-8")
    result = subprocess.run([sys.executable, "tools/check_study.py"], cwd=src, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert f"data/tasks.yml:{line}: 任务 task-n9-zhuanfa 的时间要求“立即”没有出现在所引的通知句子中" in result.stdout


# ---- 端到端：构建仓库的站点 ----------------------------------------------------------------


def _notice() -> notice_mod.Notice:
    return notice_mod.load_notice(REPO / "data" / "notice.yml", "data/notice.yml")


def _html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def _article(html: str) -> str:
    return html.split("<article", 1)[1].split("</article>", 1)[0]


@pytest.mark.slow
def test_every_paragraph_and_sentence_is_cited_by_interpretation(built_site: Path):
    coverage = json.loads((built_site / "xref" / "coverage.json").read_text(encoding="utf-8"))
    missing = [r["id"] for r in coverage["paragraphs"] if r["解读"] == 0]
    assert missing == [], f"这些段落没有解读引用：{missing}"
    assert all(r["任务"] > 0 for r in coverage["paragraphs"] if r["id"] != "n0-1")  # 导语不提要求
    cited: set[str] = set()
    for page in (built_site / "jiedu").rglob("index.html"):
        cited |= set(re.findall(r'data-xref="(n\d+-\d+-\d+)"', page.read_text(encoding="utf-8")))
    sentences = [s.id for _, para in _notice().paragraphs() for s in para.sentences]
    assert [s for s in sentences if s not in cited] == []
    html = _html(built_site, "coverage")
    assert "尚有" not in html  # 覆盖页没有“尚有 N 段没有任何内容引用”


@pytest.mark.slow
def test_tasks_are_rendered_grouped_linkable_and_cited(built_site: Path):
    loaded = tasks_mod.load_tasks(REPO / "data" / "tasks.yml")
    html = _article(_html(built_site, "tasks"))
    for t in loaded.tasks.tasks:
        assert re.search(rf'<td id="{t.id}" data-xref-label="{re.escape(t.title)}"', html), t.id
    for g in tasks_mod.group_by_actor(loaded.tasks.tasks):
        assert f'id="{g.slug}"' in html
    # 没有脚本时筛选框隐藏、表格全部可见；筛选脚本是外部文件
    assert re.search(r'<div class="tasks-filter" data-tasks-filter hidden>', html)
    assert "<script>" not in html
    # 依据链接到通知原文
    assert 'href="../notice/#n5-1-1"' in html
    # 下载链接
    assert 'href="../downloads/tasks.xlsx"' in html and 'href="../downloads/tasks.csv"' in html
    checklist = _article(_html(built_site, "tasks/checklist"))
    assert checklist.count("□已完成") == len(loaded.tasks.tasks)
    assert re.search(r'<a class="xref xref--task" href="../#task-n4-taizhang"', checklist)


@pytest.mark.slow
def test_matrix_and_part_tables_come_from_the_task_list(built_site: Path):
    matrix = _article(_html(built_site, "jiedu/matrix"))
    for actor in tasks_mod.ACTOR_NAMES:
        assert f'<th scope="row">{actor}</th>' in matrix
    assert matrix.count('class="xref xref--task"') >= len(tasks_mod.load_tasks(REPO / "data" / "tasks.yml").tasks.tasks)
    part4 = _article(_html(built_site, "jiedu/part-4"))
    assert 'href="../../tasks/#task-n4-taizhang"' in part4
    assert "<details class=\"jd-original\" data-no-terms>" in part4 and "要紧盯重大隐患，实行台账化管理" in part4


@pytest.mark.slow
def test_glossary_entries_are_targets_and_terms_are_explained_on_first_use(built_site: Path):
    loaded = glossary_mod.load_glossary(REPO / "data" / "glossary.yml")
    page = _article(_html(built_site, "glossary"))
    entries = {
        m.group(2): m.group(1)
        for m in re.finditer(r'<div class="glossary-def" data-xref-label="([^"]+)" id="(term-[a-z0-9-]+)">', page)
    }
    assert entries == {t.id: t.term for t in loaded.glossary.terms}
    targets = json.loads((built_site / "xref" / "targets.json").read_text(encoding="utf-8"))
    assert all(targets[t.id]["kind"] == "term" for t in loaded.glossary.terms)

    part4 = _article(_html(built_site, "jiedu/part-4"))
    first = re.search(r'<a class="xref xref--term term-first" href="../../glossary/#term-taizhang" aria-describedby="(gl-tip-\d+)">台账化管理</a>', part4)
    assert first, "第四部分页面上“台账化管理”第一次出现处应链接到术语表"
    assert re.search(rf'<span class="xref-tip" role="tooltip" id="{first.group(1)}" data-search-exclude>', part4)
    assert part4.count('term-first" href="../../glossary/#term-taizhang"') == 1  # 只标第一次
    # 引用术语时的预览是术语和解释，不含出处一栏的引用
    preview = re.search(r'data-xref="term-taizhang".*?<bdi class="xref-tip__text">(.*?)</bdi>', part4, re.S)
    assert preview and preview.group(1).startswith("台账化管理") and "\ue000" not in preview.group(1)
    # 标题、通知原文页和术语表本身不加标注
    for path in ("notice", "glossary", ""):
        assert "term-first" not in _html(built_site, path)
    for h in re.findall(r"<h[1-6][^>]*>.*?</h[1-6]>", part4, re.S):
        assert "term-first" not in h


@pytest.mark.slow
def test_outline_collects_every_interpretation_point(built_site: Path):
    outline = _article(_html(built_site, "training/outline"))
    pages = sorted((REPO / "docs" / "jiedu").glob("*.md"))
    points = [p for page in pages for p in study.parse_points(page.read_text(encoding="utf-8"))]
    assert len(points) >= 20
    for p in points:
        assert f'id="ol-{p.id}"' in outline, p.id
        assert f"#{p.id}\"" in outline  # “详见解读”链接
    order = [m for m in re.findall(r'id="ol-(n\d)"', outline)]
    assert order == ["n0", "n1", "n2", "n3", "n4", "n5", "n9"]


@pytest.mark.slow
def test_new_ids_are_published(built_site: Path):
    published = (REPO / "data" / "published-ids.txt").read_text(encoding="utf-8").split()
    ids = [t.id for t in tasks_mod.load_tasks(REPO / "data" / "tasks.yml").tasks.tasks]
    ids += [t.id for t in glossary_mod.load_glossary(REPO / "data" / "glossary.yml").glossary.terms]
    assert [i for i in ids if i not in published] == [], "新的任务或术语编号尚未登记：请运行 make ids"


# ---- 端到端：坏输入让构建失败，并指出文件和行号 ---------------------------------------------------


def _fails(tmp_path: Path, src: Path) -> str:
    result = build(src, tmp_path / "out")
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out
    return out


@pytest.mark.slow
def test_bad_task_list_fails_with_file_and_line(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    data = src / "data" / "tasks.yml"
    text = data.read_text(encoding="utf-8")
    line = text[: text.index("timing: 抓紧")].count("\n") + 1
    data.write_text(text.replace("timing: 抓紧", "timing: 2024年3月底前", 1), encoding="utf-8")
    out = _fails(tmp_path, src)
    assert f"data/tasks.yml:{line}: 字段 tasks[" in out and "时间要求“2024年3月底前”不是通知使用的时间词" in out


@pytest.mark.slow
def test_bad_glossary_fails_with_file_and_line(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    data = src / "data" / "glossary.yml"
    text = data.read_text(encoding="utf-8")
    anchor = "      - notice: n4-1-2\n    related: [term-xiaohao-qingling, term-zhongda-yinhuan]"
    line = text[: text.index(anchor)].count("\n") + 1
    data.write_text(text.replace(anchor, anchor.replace("n4-1-2", "n4-1-5"), 1), encoding="utf-8")
    out = _fails(tmp_path, src)
    assert f"data/glossary.yml:{line}: 术语“台账化管理”（及其别称）没有出现在通知 n4-1-5 中" in out


@pytest.mark.slow
def test_interpretation_point_without_citation_and_unknown_marker_fail(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    page = src / "docs" / "jiedu" / "part-5.md"
    body = page.read_text(encoding="utf-8")
    line = body.count("\n") + 2
    page.write_text(body + "\n## （四）新增要点 { #jd5-new .jd-point }\n\n只有概括，没有依据。\n", encoding="utf-8")
    out = _fails(tmp_path, src)
    # 两种语言各构建一遍，同一条问题只报告一次
    assert out.count(f"docs/jiedu/part-5.md:{line}: 解读要点“（四）新增要点”没有引用通知原文") == 1

    page.write_text(body + "\n<!-- tasks:nothing -->\n", encoding="utf-8")
    out = _fails(tmp_path, src)
    assert f"docs/jiedu/part-5.md:{line}: 未知的标记“tasks:nothing”" in out
