"""一图读懂：海报由通知和重点任务清单生成，数据变了图就变；直接调用 studycol，不构建站点。"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from studycol import htmlscreen, infographic
from studycol.content import Content

REPO = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def content() -> Content:
    return Content(REPO)


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_poster_shows_parts_keywords_actors_and_timing(content):
    tasks = content.tasks.tasks.tasks
    poster = infographic.build_poster(content.notice, tasks)
    assert [p.no for p in poster.parts] == ["一", "二", "三", "四", "五"]
    from studycol.notice import marked_phrases

    n4 = next(p for p in content.notice.parts if p.id == "n4")
    marked = [w for para in n4.paragraphs for st in para.sentences for w in marked_phrases(st.text)]
    assert marked and list(poster.parts[3].keywords) == list(dict.fromkeys(marked))  # 第四部分原文中标出的关键词，依次不重复
    assert sum(n for _, n in poster.timings) + poster.unspecified >= len(tasks) == poster.task_total
    svg = infographic.render_svg(poster)
    shown = texts(svg)
    assert "加强组织领导" in shown and marked[0] in shown
    assert any(s.startswith("各级矿山安全监管监察部门（") for s in shown)
    assert htmlscreen.scan_svg(svg) == []


def test_adding_a_task_changes_the_poster(content):
    tasks = list(content.tasks.tasks.tasks)
    before = infographic.render_svg(infographic.build_poster(content.notice, tasks))
    extra = tasks[0].model_copy(update={"id": "task-n4-shili", "title": "示例新增任务", "cites": ("n4-1-2",),
                                         "actor": ("国家矿山安全监察局",), "timing": ("立即",)})
    after = infographic.render_svg(infographic.build_poster(content.notice, [*tasks, extra]))
    assert after != before
    assert "示例新增任务（立即）" in texts(after) and "示例新增任务（立即）" not in texts(before)
    assert f"谁要做什么（{len(tasks) + 1}项重点任务）" in texts(after)
    assert infographic.layout(infographic.build_poster(content.notice, [*tasks, extra])).height >= infographic.layout(
        infographic.build_poster(content.notice, tasks)).height


def test_every_value_is_escaped(content):
    poster = infographic.build_poster(content.notice, content.tasks.tasks.tasks)
    hostile = dataclasses.replace(poster, actors=(infographic.ActorBox("<script>alert(1)</script>", (infographic.TaskItem("t", "a&b<c", ()),)),))
    svg = infographic.render_svg(hostile)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a&amp;b&lt;c" in svg
    assert htmlscreen.scan_svg(svg) == []
    ET.fromstring(svg)  # 仍是合规的 XML


def test_wrap_keeps_punctuation_off_line_starts_and_brackets_off_line_ends():
    lines = infographic.wrap("一二三四五（六七八九十）。", 10, 50)
    assert all(not ln.startswith(("，", "。", "）")) for ln in lines)
    assert all(not ln.endswith(("（", "《")) for ln in lines)
    assert "".join(lines) == "一二三四五（六七八九十）。"
