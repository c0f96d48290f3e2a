"""生成标记的写法和报告口：不构建站点，直接调用 studycol.markers 和 studycol.problems。"""

from __future__ import annotations

import pytest

from studycol import markers, problems
from studycol.problems import Problem, Reporter


@pytest.fixture
def reported(monkeypatch) -> list[str]:
    out: list[str] = []
    monkeypatch.setattr(problems, "_current", Reporter(out.append))
    return out


SOURCE = "---\ntitle: 示例页面\nsummary: 示例\n---\n\n# 示例页面\n\n正文。\n\n<!-- cases:nothing -->\n\n<!-- cases:latest -->\n"


def _body(source: str) -> str:
    return source.split("---\n", 2)[2]


def test_unknown_marker_is_reported_at_its_line_in_the_source_file(reported):
    out = markers.expand(_body(SOURCE), "cases", lambda m: "【最新】", source=SOURCE, path="docs/cases/index.md")
    assert "【最新】" in out and "cases:nothing" not in out
    assert reported == [
        "docs/cases/index.md:10: 未知的标记“cases:nothing”；可用的有：cases:local、cases:counts、cases:latest、"
        "cases:by-region、cases:by-category、cases:by-mine-type、cases:by-year、cases:vocab（MARK-1）"
    ]


def test_marker_error_names_the_marker_and_line(reported):
    source = "# 示例\n\n<!-- tasks:part -->\n"

    def render(m: markers.Marker) -> str:
        raise markers.MarkerError("后面要写通知部分的编号")

    assert markers.expand(source, "tasks", render, source=source, path="docs/x.md").strip() == "# 示例"
    assert reported == ["docs/x.md:3: 标记“<!-- tasks:part -->”：后面要写通知部分的编号（MARK-2）"]


def test_markers_in_code_and_other_prefixes_are_left_alone(reported):
    source = "写法：`<!-- tasks:nothing -->`。\n\n```\n<!-- tasks:table -->\n```\n\n<!-- note: 普通注释 -->\n<!-- quiz:set a -->\n"
    assert markers.expand(source, "tasks", lambda m: "X", source=source, path="docs/x.md") == source
    assert reported == []


def test_marker_arguments_reach_the_renderer():
    seen: list[tuple[str, str | None, int]] = []
    source = "甲\n<!-- quiz:set part-1 -->\n<!-- quiz:papers -->\n"
    markers.expand(source, "quiz", lambda m: seen.append((m.name, m.arg, m.line)) or "", source=source, path="p")
    assert seen == [("set", "part-1", 2), ("papers", None, 3)]


def test_generated_markdown_falls_back_to_the_marker_text_in_the_source(reported):
    source = "---\ntitle: 甲\n---\n\n正文\n\n<!-- cases:nope -->\n"
    generated = "模板生成的页面\n\n<!-- cases:nope -->\n"  # 不是源文件的结尾部分
    markers.expand(generated, "cases", lambda m: "", source=source, path="docs/a.md")
    assert reported[0].startswith("docs/a.md:7: ")


def test_every_prefix_in_the_pages_is_registered():
    import re
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    used = set()
    for page in docs.rglob("*.md"):
        for m in markers.MARKER_RE.finditer(page.read_text(encoding="utf-8")):
            if m.group(1) in markers.REGISTRY:
                used.add((m.group(1), m.group(2)))
    assert used, "页面中应当有生成标记"
    for prefix, name in used:
        assert name in markers.REGISTRY[prefix], (prefix, name)
    assert re.fullmatch(r"[a-z]+", "".join(markers.REGISTRY))


def test_reporter_reports_each_problem_once_per_build(tmp_path):
    """i18n 为每种语言把事件重跑一遍：同一次构建中只报告一次；下一次构建（mkdocs serve 重建）重新开始。"""
    from studycol import build

    out: list[str] = []
    config = object()
    first = build.begin(config, True, tmp_path, emit=out.append)
    first.reporter.report(Problem("docs/a.md", 3, "说明", "X-1"))
    assert build.begin(config, True, tmp_path) is first  # 同一次构建中另一个钩子的 on_config
    assert build.begin(config, False, tmp_path) is first  # i18n 为英文发起的内部构建
    problems.report(Problem("docs/a.md", 3, "说明", "X-1"))
    problems.report("docs/b.md:1: 另一条")
    assert out == ["docs/a.md:3: 说明（X-1）", "docs/b.md:1: 另一条"]
    again = build.begin(object(), True, tmp_path, emit=out.append)
    assert again is not first and again.content is not first.content
    problems.report(Problem("docs/a.md", 3, "说明", "X-1"))
    assert out[-1] == "docs/a.md:3: 说明（X-1）" and len(out) == 3


def test_problem_text_has_path_line_and_rule_once():
    assert str(Problem("docs/a.md", 2, "说明")) == "docs/a.md:2: 说明"
    assert str(Problem("docs/a.md", 2, "说明（X-1）", "X-1")) == "docs/a.md:2: 说明（X-1）"
    assert str(Problem("", 0, "整个站点的问题", "X-2")) == "整个站点的问题（X-2）"
