"""搜索索引不收录重复的生成内容：交叉引用和术语的悬停预览、案例页上引用的通知原文、《硬措施》转述和相关案例列表。

这些文字在每个引用它的页面上重复出现；收进索引会让搜索通知里的一句话得到成百上千条案例结果，
索引也随案例数成倍增长（见 bench/scale_bench.py）。

Material 的索引程序按标签名记录被排除的元素：被排除的元素内部有同名的子元素时，子元素一结束，
排除就提前结束。所以模板中被排除的块内不套同名元素；第一组测试直接用 Material 的解析器核对模板。
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest
from material.plugins.search.plugin import Parser

from helpers import REPO

TEMPLATES = REPO / "overrides"


def _sections(html: str) -> str:
    parser = Parser()
    parser.feed(html)
    parser.close()
    return " ".join("".join(s.title) + " " + "".join(s.text) for s in parser.data)


def _render(name: str, **ctx) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)))
    return env.get_template(name).render(**ctx)


def test_material_parser_drops_nested_same_tag_exclusion():
    """前提：Material 的解析器确有这个问题（它若修好了，这条测试提醒我们可以放宽模板写法）。"""
    html = '<h1 id="t">题</h1><p>前<span data-search-exclude><span>甲</span>乙</span>后</p>'
    text = _sections(html)
    assert "甲" not in text and "乙" in text


def test_xref_preview_is_not_indexed():
    target = type("T", (), {"kind": "notice", "id": "n4-1-2", "label": "通知第四部分第1段第2句"})()
    ref = type("R", (), {"label": "", "id": "n4-1-2"})()
    link = _render("partials/column/xref-link.html", target=target, ref=ref, href="#n4-1-2", n=1, preview="预览原文句子")
    text = _sections(f'<h1 id="t">题</h1><p>前文{link}后文</p>')
    assert "通知第四部分第1段第2句" in text  # 链接文字照常收录
    assert "预览原文句子" not in text
    assert "后文" in text


@pytest.mark.parametrize("name", ["partials/column/glossary-term.html", "partials/column/en/glossary-term.html"])
def test_glossary_tooltip_is_not_indexed(name: str):
    if not (TEMPLATES / name).is_file():
        pytest.fail(f"缺少模板 {name}")
    term = type("G", (), {"term": "台账化管理", "explanation": "解释文字甲", "term_en": "Ledger", "explanation_en": "Explanation text."})()
    tip = _render(name, term=term, word="台账化管理", href="#term-x", k=1)
    text = _sections(f'<h1 id="t">题</h1><p>前文{tip}后文</p>')
    assert "台账化管理" in text and "后文" in text
    assert "解释文字甲" not in text and "Explanation text." not in text and "Term:" not in text


def _index(site: Path) -> list[dict]:
    """主索引和按需加载的各部分（search/part-*.js，内容是一次函数调用，参数中有 JSON）中的全部条目。"""
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    for part in sorted((site / "search").glob("part-*.js")):
        text = part.read_text(encoding="utf-8")
        payload = json.loads(text[text.index("{") : text.rindex("}") + 1])
        docs += payload["docs"] if isinstance(payload, dict) and "docs" in payload else []
    return docs


@pytest.mark.slow
def test_case_pages_index_their_own_text_only(built_site: Path):
    docs = _index(built_site)
    cases = [d for d in docs if d["location"].startswith("cases/20")]
    assert cases, "索引中没有案例页面"
    case_pages = {d["location"].split("#")[0] for d in cases}
    # 案例自己的内容照常收录
    assert any("#narrative" in d["location"] and d["text"] for d in cases)
    for d in cases:
        loc = d["location"]
        # 引用的通知原文以“——通知第…句”结尾的引文块、《硬措施》转述、相关案例列表都不收录
        assert "——通知第" not in d["text"], loc
        if loc.endswith("#measures") or loc.endswith("#related"):
            assert d["text"] == "", (loc, d["text"][:80])
    # 悬停预览不收录：任何条目都不含预览的标签样式“术语：”
    assert not any("术语：" in d["text"] for d in docs if d["location"].split("#")[0] in case_pages)
