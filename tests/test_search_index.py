"""搜索索引整理：拆到段落和句子、合并语言副本、繁简映射、页面权重、改用本站引擎。不构建站点。"""

from __future__ import annotations

import json

import pytest

from helpers import REPO
from studycol import search_index as si
from studycol.yamlsrc import DataError, parse_yaml

ZW = "\u200b"


def seg(text: str) -> str:
    """测试用切分：每个汉字一词（真实构建用 jieba）。"""
    return si.HAN_RE.sub(lambda m: ZW + ZW.join(m.group(0)) + ZW, text).strip(ZW)


PAGE = """<html><body><nav>导航里的字不算</nav>
<article class="md-content__inner md-typeset">
<h1 id="notice-title">通知<a class="headerlink" href="#notice-title">¶</a></h1>
<p id="addressees">各省局：</p>
<h2 id="n4">四、落实<a class="headerlink" href="#n4">¶</a></h2>
<p class="gw-p" id="n4-1"><span class="gw-s" id="n4-1-1">要紧盯重大隐患。</span><span class="gw-s" id="n4-1-2">要畅通举报渠道。</span></p>
<p>没有编号的段落留在章节条目里。</p>
<p id="hidden">被排除的段落。</p>
<p id="mixed">先写<strong id="kw">关键词</strong>再写说明。<script>var x = "脚本不算";</script></p>
</article></body></html>"""

DOCS = [
    {"location": "notice/", "title": "通知原文", "text": ""},
    {"location": "notice/#notice-title", "title": "通知", "text": "<p>各省局：</p>"},
    {
        "location": "notice/#n4",
        "title": "四、落实",
        "text": "<p>要紧盯重大隐患。要畅通举报渠道。</p> <p>没有编号的段落留在章节条目里。</p> <p>先写关键词再写说明。</p>",
        "tags": ["落实"],
    },
]


def read(page: str):
    return PAGE if page == "notice/" else None


def test_blocks_of_finds_id_blocks_with_inner_anchors():
    blocks = si.blocks_of(si.article_html(PAGE))
    assert [b.id for b in blocks] == ["addressees", "n4-1", "hidden", "mixed"]
    n41 = blocks[1]
    assert n41.text == "要紧盯重大隐患。要畅通举报渠道。"
    assert n41.anchors == [(0, "n4-1-1"), (8, "n4-1-2")]
    mixed = blocks[3]
    assert mixed.text == "先写关键词再写说明。" and mixed.anchors == [(2, "kw")]


def test_may_have_blocks_agrees_with_blocks_of():
    """写出页面时的预判（hooks/search.py 据此不再读回没有块的页面）：有块的页面一定判为“可能有”。"""
    assert si.may_have_blocks(PAGE) and si.blocks_of(si.article_html(PAGE))
    plain = '<html><body><article class="md-content__inner md-typeset"><h2 id="a">标题</h2><p>正文。</p></article></body></html>'
    assert not si.may_have_blocks(plain) and si.blocks_of(si.article_html(plain)) == []
    outside = '<html><body><p id="x">正文外</p><article class="md-content__inner md-typeset"><p>正文。</p></article></body></html>'
    assert not si.may_have_blocks(outside) and si.blocks_of(si.article_html(outside)) == []


def test_split_sentences_become_entries_and_sections_keep_the_rest():
    docs, n = si.split_blocks([dict(d) for d in DOCS], read, seg)
    locs = [d["location"] for d in docs]
    assert locs == [
        "notice/",
        "notice/#notice-title",
        "notice/#addressees",
        "notice/#n4",
        "notice/#n4-1-1",
        "notice/#n4-1-2",
        "notice/#mixed",
    ]
    assert n == 4
    by = {d["location"]: d for d in docs}
    # 句子条目：标题沿用所在章节，文字已切分，按原文单位加权，沿用章节的标签
    assert by["notice/#n4-1-1"]["title"] == "四、落实"
    assert si.plain_text(by["notice/#n4-1-1"]["text"]) == "要紧盯重大隐患。"
    assert ZW in by["notice/#n4-1-1"]["text"]
    assert by["notice/#n4-1-1"]["boost"] == si.UNIT_BOOST and by["notice/#n4-1-1"]["tags"] == ["落实"]
    # 章节条目只留下不属于任何带 id 块的文字
    assert si.plain_text(by["notice/#n4"]["text"]) == "没有编号的段落留在章节条目里。"
    assert si.plain_text(by["notice/#notice-title"]["text"]) == ""
    # 不覆盖全块的锚点（段中的关键词）：整块一条，锚点记下偏移
    assert by["notice/#mixed"]["anchors"] == [[2, "kw"]]
    # 插件没有收录的段落（如 data-search-exclude）不会因拆分重新进入索引
    assert "notice/#hidden" not in by


def test_anchor_offsets_count_utf16_units():
    page = '<article class="md-content__inner"><p id="p">𠀀字<b id="b">后</b></p></article>'
    docs, _ = si.split_blocks([{"location": "x/", "title": "X", "text": "<p>𠀀字后</p>"}], lambda _: page, seg)
    assert docs[1]["anchors"] == [[3, "b"]]  # 𠀀 在 JavaScript 中占两个码元


def test_dedupe_drops_identical_language_copies_only():
    docs = [
        {"location": "a/", "title": "甲", "text": "<p>同</p>"},
        {"location": "b/", "title": "乙", "text": "<p>中文</p>"},
        {"location": "en/a/", "title": "甲", "text": "<p>同</p>"},
        {"location": "en/b/", "title": "B", "text": "<p>English</p>"},
    ]
    out, fallback = si.dedupe_languages(docs, ["en/"])
    assert [d["location"] for d in out] == ["a/", "b/", "en/b/"]
    assert fallback == {"en/": ["a/"]}


def test_t2s_pairs_only_for_characters_in_the_index():
    pairs = si.t2s_pairs(set("监控系统党"))
    table = dict(zip(pairs[::2], pairs[1::2]))
    assert table["監"] == "监" and table["統"] == "统" and table["黨"] == "党"
    assert all(s in "监控系统党" for s in table.values())
    assert "發" not in table  # “发”不在索引中
    assert len(pairs) % 2 == 0


def test_ranking_applies_longest_prefix_and_language_copies():
    ranking = si.Ranking(boost={"notice/": 2, "quiz/": 0.5, "quiz/intro/": 1})
    docs = [
        {"location": "notice/#n1"},
        {"location": "en/notice/#n1", "boost": 1.5},
        {"location": "quiz/part-1/"},
        {"location": "quiz/intro/#x"},
        {"location": "guide/"},
        {"location": "notice/index.html#n1"},  # U 盘版的地址
        {"location": "quiz/part-1.html"},
    ]
    assert si.apply_ranking(docs, ranking, ["en/"]) == 5
    assert [d.get("boost") for d in docs] == [2.0, 3.0, 0.5, None, None, 2.0, 0.5]


@pytest.mark.parametrize(
    "yaml_text, line, fragment",
    [
        ("boost:\n  notice/: 2\n  /quiz/: 2\n", 3, "不是页面地址前缀"),
        ("boost:\n  notice: 2\n", 2, "不是页面地址前缀"),
        ("boost:\n  quiz/: 1\n  notice/: 0\n", 3, "超出范围"),
        ("boost:\n  notice/: 很高\n", 2, "应为数字"),
        ("weights:\n  notice/: 2\n", 1, "不认识的字段"),
    ],
)
def test_ranking_file_errors_are_chinese_with_line(yaml_text, line, fragment):
    with pytest.raises(DataError) as exc:
        si.ranking_from(parse_yaml(yaml_text, "data/search/ranking.yml"))
    err = exc.value.errors[0]
    assert (err.path, err.line) == ("data/search/ranking.yml", line) and fragment in err.message


def test_repo_ranking_file_is_valid():
    ranking = si.load_ranking(REPO / "data" / "search" / "ranking.yml", "data/search/ranking.yml")
    assert ranking.boost.get("notice/", 1) > 1


def test_point_worker_uses_column_engine_with_page_language():
    cfg = {"base": "../..", "search": "../../assets/javascripts/workers/search.x.min.js", "features": []}
    html = f'<html lang="en" class="no-js"><body><script id="__config" type="application/json">{json.dumps(cfg)}</script></body></html>'
    out = si.point_worker(html, "assets/javascripts/search-worker.js")
    got = json.loads(out.split('application/json">')[1].split("</script>")[0])
    assert got["search"] == "../../assets/javascripts/search-worker.js?lang=en"
    assert got["base"] == "../.." and got["features"] == []
    assert si.point_worker("<html><body>无配置</body></html>", "w.js") == "<html><body>无配置</body></html>"


def test_postprocess_is_idempotent_and_records_its_data():
    index = {"config": {"lang": ["zh"], "separator": "[\\s]+"}, "docs": [dict(d) for d in DOCS]}
    out, stats = si.postprocess(index, read, seg, ["en/"], ["抽查", "评估"], si.Ranking(boost={"notice/": 2}), compact=False)
    extra = out["config"]["studycol"]
    assert extra["version"] == si.FORMAT_VERSION and extra["words"] == ["抽查", "评估"]
    assert extra["languages"] == {"en/": []} and isinstance(extra["t2s"], str)
    assert "segmented" not in extra and ZW in out["docs"][4]["text"]  # 为 Material 的引擎整理：保留切分
    assert stats["blocks"] == 4 and stats["boosted"] == len(out["docs"])
    again, stats2 = si.postprocess(out, read, seg, ["en/"])
    assert again is out and stats2 == {}


def test_compact_index_moves_segmentation_into_a_word_list():
    docs = [
        {"location": "notice/", "title": "通知" + ZW + "原文", "text": ""},
        {"location": "notice/#n4", "title": "四" + ZW + "、" + ZW + "落实",
         "text": "<p>" + ZW.join(["要", "紧盯", "重大", "隐患", "。", "要", "畅通", "举报", "渠道", "。"]) + "</p>"},
    ]
    index = {"config": {"separator": "[\\s、。]+"}, "docs": docs}
    out, stats = si.postprocess(index, read, seg, [], ["抽查"], None)
    extra = out["config"]["studycol"]
    assert extra["segmented"] is False
    assert set(extra["words"]) == {"通知", "原文", "落实", "紧盯", "重大", "隐患", "畅通", "举报", "渠道", "抽查"}
    assert all(ZW not in d["title"] + d["text"] for d in out["docs"])
    by = {d["location"]: d for d in out["docs"]}
    assert by["notice/#n4-1-1"]["text"] == "<p>要紧盯重大隐患。</p>"
    assert stats["words"] == 10


# ---- 语言副本页面复用默认语言的条目 -------------------------------------------------------------


class _Toc:
    def __init__(self, ident: str, children=()):
        self.id, self.url, self.children = ident, "#" + ident, list(children)


class _Page:
    def __init__(self, content: str, url: str, title: str = "页面", meta=None, toc=()):
        self.content, self.url, self.title, self.meta, self.toc = content, url, title, dict(meta or {}), list(toc)


def _material_entries(page: _Page) -> list[dict]:
    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex(lang=["zh"], separator=r"[\s\-]+", pipeline=[], fields={})
    index.add_entry_from_context(page)
    return index.entries


ZH_PAGE = (
    '<h1 id="top">标题<a class="headerlink" href="#top" title="本节链接">¶</a></h1><p>第一段文字。</p>'
    '<h2 id="sec">小节<a class="headerlink" href="#sec" title="本节链接">¶</a></h2><p>第二段 title="x" 文字。</p>'
)


def test_same_signature_means_material_builds_the_same_entries_at_another_address():
    toc = [_Toc("top", [_Toc("sec")])]
    zh = _Page(ZH_PAGE, "cases/a/", toc=toc, meta={"tags": ["案例"]})
    # 英文版回退显示的同一页面：只有“¶”链接的提示文字是英文
    en = _Page(ZH_PAGE.replace('title="本节链接"', 'title="Link to this section"'), "en/cases/a/", toc=toc, meta={"tags": ["案例"]})
    sig = lambda p: si.page_signature(p.content, p.title, p.meta, ["top", "sec"])  # noqa: E731
    assert sig(zh) == sig(en)
    zh_entries = _material_entries(zh)
    assert zh_entries and si.relocate_entries(zh_entries, zh.url, en.url) == _material_entries(en)


@pytest.mark.parametrize(
    "change",
    [
        lambda p: setattr(p, "content", p.content.replace("第二段", "第三段")),  # 文字
        lambda p: setattr(p, "content", p.content.replace('title="x"', 'title="y"')),  # 正文里像属性的文字
        lambda p: setattr(p, "title", "Page"),  # 导航译名改了页面标题
        lambda p: p.meta.update(tags=["Case"]),
        lambda p: p.meta.update(search={"boost": 2}),
        lambda p: p.meta.update(title="另一个标题"),
    ],
)
def test_any_input_the_search_plugin_reads_changes_the_signature(change):
    zh, en = _Page(ZH_PAGE, "a/"), _Page(ZH_PAGE, "en/a/")
    change(en)
    assert si.page_signature(zh.content, zh.title, zh.meta, ["top"]) != si.page_signature(en.content, en.title, en.meta, ["top"])
    assert si.page_signature(ZH_PAGE, "页面", {}, ["top"]) != si.page_signature(ZH_PAGE, "页面", {}, ["top", "sec"])


def test_relocate_entries_copies_and_refuses_a_foreign_address():
    entries = [{"location": "a/#x", "title": "t", "text": "", "tags": ["甲"]}, {"location": "a/", "title": "t", "text": ""}]
    out = si.relocate_entries(entries, "a/", "en/a/")
    assert [e["location"] for e in out] == ["en/a/#x", "en/a/"] and entries[0]["location"] == "a/#x"
    out[0]["tags"].append("乙")
    assert entries[0]["tags"] == ["甲"]
    with pytest.raises(ValueError):
        si.relocate_entries([{"location": "b/"}], "a/", "en/a/")


def test_memo_segmenter_matches_material_and_reuses_each_han_run():
    import random

    import jieba
    from material.plugins.search.plugin import SearchIndex

    # Material 的切分函数（私有方法）：升级后改名或改了写法，这个测试会提醒检查搜索钩子中的替换
    material = SearchIndex(lang=["zh"], separator=r"[\s\-]+", pipeline=[], fields={})._segment_chinese
    calls: list[bytes] = []

    def cut(value: bytes):
        calls.append(value)
        return jieba.cut(value)

    segment, done = si.memo_segmenter(cut)
    samples = [
        "", "English only", "煤矿安全生产", "矿安〔2024〕2号：严格落实“硬措施”", "〇一二 々 ⺀⺁ 𠀀𠀁字", "\u200b开头", "A股 和 B股",
        "全面排查重大事故隐患，坚决遏制重特大事故。" * 3,
    ]
    rng = random.Random(7)
    pieces = ["煤矿", "安全", "隐患排查", "，", "。", " ", "a1", "〔", "〕", "𠀀", "〇", "\u200b", "治理体系"]
    samples += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(300)]
    for text in samples:
        assert segment(text) == material(text), text
    # 每个不同的汉字串只交给 jieba 一次
    assert len(calls) == len(set(calls)) == len(done)
    assert segment("煤矿安全生产") == material("煤矿安全生产") and len(calls) == len(done)


def test_search_hook_gives_each_new_index_the_memo_segmenter():
    """钩子在插件读取页面之前，把记住结果的切分函数装到插件（每种语言新建的）索引对象上。"""
    import importlib.util
    from types import SimpleNamespace

    from material.plugins.search.plugin import SearchIndex

    spec = importlib.util.spec_from_file_location("search_hook_for_test", REPO / "hooks" / "search.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    segment, done = si.memo_segmenter(lambda value: [value.decode("utf-8")])
    plugin = SimpleNamespace(config=SimpleNamespace(jieba_dict_user=""), search_index=SearchIndex(lang=["zh"], separator=r"[\s\-]+", pipeline=[], fields={}))
    config = SimpleNamespace(plugins={"material/search": plugin})
    page = _Page(ZH_PAGE, "cases/a/", toc=[_Toc("top", [_Toc("sec")])])
    page.file = SimpleNamespace(src_uri="cases/a.md")
    hook._state["segment"] = segment
    hook.on_page_context({}, page=page, config=config, nav=None)
    assert plugin.search_index._segment_chinese is segment
    plugin.search_index.add_entry_from_context(page)
    assert plugin.search_index.entries[0]["title"] == "标题" and "标题" in done  # 切分经过了记住结果的函数
    # 英文版：插件又新建了索引对象，钩子再装一次
    plugin.search_index = SearchIndex(lang=["zh"], separator=r"[\s\-]+", pipeline=[], fields={})
    hook.on_page_context({}, page=page, config=config, nav=None)
    assert plugin.search_index._segment_chinese is segment
