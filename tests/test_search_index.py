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


def test_tidy_site_runs_on_a_built_site_without_the_build_engine(tmp_path):
    """构建后的整理只读写 site/ 中的文件：不经 MkDocs，直接对一个目录调用也能完成（换引擎时照用）。"""
    from studycol import problems

    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "notice").mkdir()
    (site / "notice" / "index.html").write_text(PAGE, encoding="utf-8")
    docs = [dict(d) for d in DOCS] + [{"location": "cases/a/", "title": "示例案例", "text": "<p>示例局的测试数据。</p>"}]
    index = {"config": {"lang": ["zh"], "separator": "[\\s]+"}, "docs": docs}
    (site / "search" / "search_index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    (site / "search" / "part-009.js").write_text("// 上一次构建留下的", encoding="utf-8")
    rule = si.load_parts_rule(REPO / "data" / "search" / "parts.yml", "data/search/parts.yml")
    seen: list[str] = []
    before = problems.current()
    problems.use(problems.Reporter(seen.append))
    try:
        stats = si.tidy_site(site, ["示例"], prefixes=["en/"], ranking=None, parts_rule=rule)
    finally:
        problems.use(before)

    assert stats is not None and stats["blocks"] == 4 and stats["parts"] == 2
    stub = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert stub["docs"] == [] and stub["config"]["studycol"]["main"] == si.PART_URL.format(si.MAIN_PART)
    written = sorted(p.name for p in (site / "search").glob("part-*.js"))
    assert written == ["part-000.js", "part-001.js"]  # 旧的分批文件删去；案例延后到第 1 批
    assert "cases/a/" in (site / "search" / "part-001.js").read_text(encoding="utf-8")
    assert "cases/a/" not in (site / "search" / "part-000.js").read_text(encoding="utf-8")
    # parts.yml 中的分类索引页在这个站点里不存在：各报告一次，指向规则文件
    assert len(seen) == 4 and all(s.startswith("data/search/parts.yml:1: sections_only 中的") for s in seen)
    assert si.tidy_site(site, [], prefixes=["en/"], ranking=None, parts_rule=rule) is None  # 已整理过
