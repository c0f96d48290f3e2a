"""交叉引用的纯函数：扫描、解析、建议、重复检测、反向链接、覆盖统计。不构建站点。"""

from __future__ import annotations

import pytest

from studycol import ids as ids_mod
from studycol import xref


def T(anchor: str, page: str = "notice/index.md", kind: str = "notice", label: str = "L") -> xref.Target:
    return xref.Target(anchor, page, page.replace("index.md", "").replace(".md", "/"), label, "预览", kind)


def make_index(*targets: xref.Target, aliases: dict[str, str] | None = None) -> xref.Index:
    index = xref.Index(aliases=aliases or {})
    for t in targets:
        index.add(t)
    return index


# ---- 扫描 -----------------------------------------------------------------------------


def test_scan_finds_refs_with_labels_and_skips_code():
    text = "见[[n4-1-2]]和[[doc-x|《硬措施》]]。\n`[[n0]]` 不算。\n\n```\n[[n1]]\n```\n"
    found = [(m.group("id"), m.group("label")) for m in xref.scan(text)]
    assert found == [("n4-1-2", None), ("doc-x", "《硬措施》")]


def test_code_mask_matches_the_plain_regexes():
    import random

    pieces = ["`", "``", "```", "~~~", "a", " ", "\n", "[[n1-1]]", "代码", "\t", "x`y"]
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        expected = [(m.start(), m.end()) for m in xref._FENCE_RE.finditer(text)]
        expected += [(m.start(), m.end()) for m in xref._INLINE_CODE_RE.finditer(text)]
        assert xref.code_spans(text) == expected, repr(text)


def test_extract_refs_uses_original_source_lines():
    original = "---\ntitle: x\n---\n\n第一行\n\n引用[[n4-1]]在这里。\n再引用[[n4-1]]。\n"
    markdown = "第一行\n\n（其他钩子插入的一行）\n引用[[n4-1]]在这里。\n再引用[[n4-1]]。\n"
    new, refs = xref.extract_refs(markdown, page="a.md", src="docs/a.md", original=original, start_index=7)
    assert [r.line for r in refs] == [7, 8]
    assert xref.placeholder(7) in new and xref.placeholder(8) in new
    assert xref.replace_placeholders(new, lambda n: f"<{n}>").count("<7>") == 1
    assert "[[" not in new


def test_generated_refs_carry_their_data_source():
    md = "题目出处：" + xref.markup("n4-1-2", src="data/quiz/bank.yml", line=23)
    _, refs = xref.extract_refs(md, page="quiz/index.md", src="docs/quiz/index.md")
    assert refs[0].src == "data/quiz/bank.yml" and refs[0].line == 23 and refs[0].label is None


def test_markup_round_trip_with_label():
    md = xref.markup("doc-yingcuoshi", "《硬措施》", "data/x.yml", 4)
    m = xref.scan(md)[0]
    assert (m.group("id"), m.group("label"), m.group("src"), m.group("line")) == ("doc-yingcuoshi", "《硬措施》", "data/x.yml", "4")


# ---- 解析 -----------------------------------------------------------------------------


def R(anchor: str, line: int = 3) -> xref.Ref:
    return xref.Ref(anchor, None, "docs/jiedu/part-4.md", line, "jiedu/part-4.md")


def test_resolve_ok():
    index = make_index(T("n4-1-2"))
    target, problem = xref.resolve_one(R("n4-1-2"), index)
    assert problem is None and target.href == "notice/#n4-1-2"


def test_broken_ref_names_file_line_and_suggestions():
    index = make_index(T("n4-1-1"), T("n4-1-2"), T("n4-1"))
    _, problem = xref.resolve_one(R("n4-1-9", 12), index)
    text = str(problem)
    assert text.startswith("docs/jiedu/part-4.md:12:")
    assert "[[n4-1-9]] 找不到目标" in text and "最接近的有效编号" in text and "n4-1-1" in text


def test_ambiguous_ref_lists_qualified_forms():
    index = make_index(T("sources", "about.md", "heading"), T("sources", "guide/index.md", "heading"))
    _, problem = xref.resolve_one(R("sources"), index)
    assert "有歧义" in problem.message and "[[about.md#sources]]" in problem.message
    target, problem = xref.resolve_one(R("about.md#sources"), index)
    assert problem is None and target.page == "about.md"


def test_bad_id_format():
    _, problem = xref.resolve_one(R("第四部分"), make_index())
    assert "格式不对" in problem.message


def test_alias_resolves_to_successor():
    index = make_index(T("n4-2"), aliases=xref.load_aliases({"n4-1-old": "n4-2"}))
    target, problem = xref.resolve_one(R("n4-1-old"), index)
    assert problem is None and target.id == "n4-2"


def test_alias_cycle_rejected():
    with pytest.raises(ValueError, match="循环"):
        xref.load_aliases({"a": "b", "b": "a"})


def test_duplicate_ids():
    index = make_index(T("case-a", "cases/a.md", "case"), T("case-a", "cases/b.md", "case"),
                       T("intro", "x.md", "heading"), T("intro", "x.md", "heading"),
                       T("sources", "about.md", "heading"), T("sources", "guide/index.md", "heading"))
    problems = [str(p) for p in xref.duplicate_problems(index, lambda p: f"docs/{p}")]
    assert any("case-a" in p and "全站唯一" in p for p in problems)
    assert any("intro" in p and "同一页面中出现了 2 次" in p for p in problems)
    assert not any("sources" in p for p in problems)  # 普通标题在不同页面重名是允许的，只有引用它时才算歧义


def test_heading_ids_shared_by_thousands_of_pages_are_not_duplicates():
    # 案例页的标题 id 在每个案例页上各出现一次：不是重复；只有同一页面内的第二次才报告
    targets = [T("facts", f"cases/c{i}.md", "heading") for i in range(3000)] + [T("facts", "cases/c7.md", "heading")]
    problems = [str(p) for p in xref.duplicate_problems(make_index(*targets), lambda p: f"docs/{p}")]
    assert len(problems) == 1 and "docs/cases/c7.md" in problems[0] and "出现了 2 次" in problems[0]


# ---- 目标收集 ---------------------------------------------------------------------------


def test_page_anchors_reads_ids_text_and_placeholders_with_a_parser():
    ph = xref.PH_OPEN + "xref7" + xref.PH_CLOSE
    html = (
        '<h2 class="x" id="basis">建设依据<a class="headerlink" href="#basis">¶</a></h2>\n'
        '<p class="gw-p" id="n4-1"><span id="n4-1-1">第一句。</span><span id=n4-1-2>第二句。</span></p>'
        "<div data-xref-label='隐蔽工作面作业' id=\"term-x\"><p>解释<b>文字</b> &amp; 说明"
        f"<script>var s = '不算';</script>{ph}</p></div>"
        "<!-- <p id=\"in-comment\">注释里的不算</p> --><code>&lt;p id=\"shown\"&gt;</code>"
    )
    anchors, ref_anchor = xref.page_anchors(html)
    found = {a.id: a for a in anchors}
    assert [a.id for a in anchors] == ["basis", "n4-1", "n4-1-1", "n4-1-2", "term-x"]
    assert found["basis"].tag == "h2" and found["basis"].text == "建设依据"  # “¶”不算
    assert found["n4-1"].text == "第一句。第二句。" and found["n4-1-2"].text == "第二句。"  # 不带引号的属性也认得
    assert found["term-x"].label == "隐蔽工作面作业" and found["term-x"].text == "解释文字 & 说明" + ph
    assert ref_anchor == {7: "term-x"}


def test_page_anchors_survive_deep_nesting():
    html = "<div>" * 3000 + '<span id="deep">底</span>' + "</div>" * 3000
    anchors, _ = xref.page_anchors(html)
    assert [(a.id, a.text) for a in anchors] == [("deep", "底")]


def test_kind_of():
    assert xref.kind_of("n4-1-2", "span") == "notice"
    assert xref.kind_of("case-xinjing", "div") == "case"
    assert xref.kind_of("basis", "h2") == "heading"


# ---- 反向链接与覆盖 -------------------------------------------------------------------------


def C(target: str, page: str, kind: str, anchor: str | None = None) -> xref.Citation:
    return xref.Citation(target, page, page, page, kind, anchor)


def test_coverage_counts_sentences_under_their_paragraph():
    rows = xref.coverage(["n4-1", "n5-1"], [C("n4-1-2", "jiedu/a.md", "解读"), C("n4-1", "quiz/a.md", "题目"), C("n4", "x.md", "其他")])
    by = {r["id"]: r for r in rows}
    assert by["n4-1"]["解读"] == 1 and by["n4-1"]["题目"] == 1 and by["n4-1"]["total"] == 2
    assert by["n5-1"]["total"] == 0


def test_backlinks_dedupe_same_place():
    links = xref.backlinks([C("n4-1-2", "a.md", "解读", "p1"), C("n4-1-2", "a.md", "解读", "p1"), C("n4-1-3", "a.md", "解读", "p2")])
    assert len(links["n4-1"]) == 2


def test_citing_kind():
    assert xref.citing_kind("jiedu/part-1.md") == "解读"
    assert xref.citing_kind("cases/2023/xinjing.md") == "案例"
    assert xref.citing_kind("index.md") == "其他"
    assert xref.citing_kind("index.md", "任务") == "任务"


# ---- 已发布编号 ------------------------------------------------------------------------------


def test_published_registry_only_grows():
    text, added = ids_mod.merge_published(ids_mod.HEADER + "n1\nn2\n", {"n2", "n3"})
    assert ids_mod.parse_published(text) == ["n1", "n2", "n3"] and added == {"n3"}


def test_missing_published_respects_aliases():
    assert ids_mod.missing_published(["n1", "n2", "n3"], {"n1", "n4"}, {"n2": "n4", "n3": "gone"}) == ["n3"]
