"""浏览器端搜索引擎（docs/assets/javascripts/search-worker.js）的单元测试：在 Node 中直接调用它的函数。

覆盖：正规化（括号、全角、繁体）、查询切分、子串匹配、排序、落点（句子锚点）、摘要高亮、语言视图、消息协议。
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from helpers import REPO

WORKER = REPO / "docs" / "assets" / "javascripts" / "search-worker.js"
ZW = "\u200b"


def z(*words: str) -> str:
    return ZW.join(words)


INDEX = {
    "config": {
        "lang": ["zh"],
        "separator": "[\\s\\u200b\\u3000\\-、。，．？！；：（）《》“”]+",
        "studycol": {
            "version": 1,
            "languages": {"en/": ["notice/"]},
            "t2s": "監监統统報报號号礦矿",
            "words": ["抽查", "评估"],
        },
    },
    "docs": [
        {"location": "notice/", "title": "通知原文", "text": "<p>" + z("发文", "字号", "：", "矿安") + "〔2024〕2" + z("号") + "</p>"},
        {"location": "notice/#n4", "title": z("四", "、", "落实"), "text": ""},
        {"location": "notice/#n4-1-1", "title": z("四", "、", "落实"), "boost": 3,
         "text": "<p>" + z("深挖", "细究", "隐蔽", "工作面", "作业", "、", "安全", "监控", "系统", "造假", "等", "违法行为", "。") + "</p>"},
        {"location": "notice/#n4-1-2", "title": z("四", "、", "落实"), "boost": 3,
         "text": "<p>" + z("要", "紧盯", "重大", "隐患", "，", "实行", "台账", "化", "管理", "。") + "</p>"},
        {"location": "notice/#n5-1-2", "title": z("五", "、", "领导"), "boost": 3,
         "text": "<p>" + z("将", "定期", "开展", "抽查和评估", "，", "进行", "通报", "。") + "</p>"},
        {"location": "guide/", "title": "编辑指南", "text": "<p>" + z("安全", "生产", "的", "说明", "。") + "</p>"},
        {"location": "guide/#mixed", "title": "示例", "anchors": [[0, "s1"], [6, "s2"]],
         "text": "<p>" + z("第一", "句", "讲", "安全", "。", "第二", "句", "讲", "监控", "系统", "。") + "</p>"},
        {"location": "en/about/", "title": "About", "text": "<p>About this column.</p>"},
        {"location": "cases/x/", "title": "某案例", "tags": ["偷采"], "text": "<p>" + z("案情", "略", "。") + "</p>"},
    ],
}

SCRIPT = r"""
const w = require(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = {};
for (const [name, job] of Object.entries(input.jobs)) {
  w.setup(input.index);
  out[name] = {
    normalize: job.normalize ? w.normalize(job.normalize) : undefined,
    analyze: job.q ? w.analyze(job.q) : undefined,
    result: job.q ? w.search(job.q) : undefined,
  };
}
process.stdout.write(JSON.stringify(out));
"""


def run_node(jobs: dict, index: dict = INDEX, env_lang: str | None = None) -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.fail("没有找到 node；请运行 make test（构建和浏览器测试同样需要 Node.js）。")
    script = SCRIPT
    if env_lang is not None:
        # 工作线程从自身地址的 ?lang= 得知页面语言；在 Node 中用 self.location 模拟
        script = f"global.self = {{location: {{href: 'x/search-worker.js?lang={env_lang}'}}}};\n" + script
    proc = subprocess.run(
        [node, "-e", script, str(WORKER)],
        input=json.dumps({"index": index, "jobs": jobs}),
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def flat(result: dict) -> list[dict]:
    return [item for group in result["items"] for item in group if item["score"] > 0]


def test_normalize_brackets_fullwidth_traditional():
    out = run_node({
        "a": {"normalize": "礦安〔2024〕2號"},
        "b": {"normalize": "矿安［２０２４］２号"},
        "c": {"normalize": "矿安（2024）2号"},
        "d": {"normalize": "ICP 備案"},
    })
    assert out["a"]["normalize"] == out["b"]["normalize"] == out["c"]["normalize"] == "矿安20242号"
    assert out["d"]["normalize"] == "icp備案"  # 映射表里只有索引中出现的字


def test_query_analysis_drops_question_words_and_splits_into_index_words():
    out = run_node({
        "question": {"q": "如何紧盯重大隐患"},
        "phrase": {"q": "安全监控系统造假"},
        "inside": {"q": "抽查评估"},
        "single": {"q": "台账化"},
    })
    assert out["question"]["analyze"]["terms"] == ["紧盯", "重大", "隐患"]
    assert out["phrase"]["analyze"]["terms"] == ["安全", "监控", "系统", "造假"]
    # “抽查和评估”在索引中是一个词；补充词表让“抽查评估”能拆开，分别在原文中找到
    assert out["inside"]["analyze"]["terms"] == ["抽查", "评估"]
    # “化”单字与相邻的词在正文中连着出现，并成一个词
    assert out["single"]["analyze"]["terms"] == ["台账化"]


def test_substring_matching_finds_words_inside_and_across_index_tokens():
    out = run_node({"inside": {"q": "监控"}, "across": {"q": "账化管"}, "docno": {"q": "矿安[2024]2号"}, "trad": {"q": "安全監控系統"}})
    assert flat(out["inside"]["result"])[0]["location"] == "notice/#n4-1-1"
    assert flat(out["across"]["result"])[0]["location"] == "notice/#n4-1-2"
    top = flat(out["docno"]["result"])[0]
    assert top["location"] == "notice/"
    assert "<mark>矿安〔2024〕2号</mark>" in top["text"]  # 高亮原文写法
    trad = flat(out["trad"]["result"])[0]
    assert trad["location"] == "notice/#n4-1-1"
    assert trad["terms"] == {"安全监控系统": True}  # 目标页面按简体原文高亮，连着的词并成一段


def test_tags_are_searched_like_titles():
    out = run_node({"q": {"q": "偷采"}})
    top = flat(out["q"]["result"])[0]
    assert top["location"] == "cases/x/" and top["tags"] == ["偷采"]
    assert top["terms"] == {"偷采": True}


def test_ranking_prefers_full_coverage_and_adjacent_words():
    out = run_node({"q": {"q": "安全监控"}})
    locs = [i["location"] for i in flat(out["q"]["result"])]
    assert locs[0] == "notice/#n4-1-1"
    # 只含“安全”的条目覆盖不到一半，不列出
    assert "guide/" not in locs


def test_anchors_land_on_the_sentence_with_the_match():
    out = run_node({"second": {"q": "监控系统"}, "first": {"q": "第一句"}})
    assert [i["location"] for i in flat(out["second"]["result"])][:2] == ["notice/#n4-1-1", "guide/#s2"]
    assert flat(out["first"]["result"])[0]["location"] == "guide/#s1"


def test_missing_terms_are_reported_and_results_grouped_with_page_entry():
    out = run_node({"q": {"q": "紧盯 造假 不存在的词"}})
    groups = out["q"]["result"]["items"]
    assert groups[0][-1]["location"] == "notice/"  # 每组都有页面本身（Material 的界面需要）
    first = groups[0][0]
    assert first["terms"].get("紧盯") is True and first["terms"].get("造假") is False
    # 页面本身那一行没有命中，它的链接（Material 由 terms 生成 ?h=）仍带上本组命中的词，不是空的 ?h=
    entry = groups[0][-1]
    assert entry["score"] == 0 and entry["terms"] == {"紧盯": True, "造假": True}


def test_language_views():
    zh = run_node({"q": {"q": "about"}}, env_lang="zh")
    assert flat(zh["q"]["result"]) == []  # 中文页面不显示英文页面的条目
    en = run_node({"q": {"q": "监控"}, "about": {"q": "about"}}, env_lang="en")
    # 英文页面：只有中文的页面（notice/ 在 en/ 下是副本）改指向 en/ 下的同一页
    assert flat(en["q"]["result"])[0]["location"] == "en/notice/#n4-1-1"
    assert flat(en["about"]["result"])[0]["location"] == "en/about/"


def test_message_protocol_setup_ready_query_result():
    script = r"""
    const sent = [];
    global.postMessage = m => sent.push(m);
    let handler;
    global.addEventListener = (type, fn) => { handler = fn; };
    require(process.argv[1]);
    const index = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    handler({data: {type: 0, data: {config: index.config, docs: index.docs, options: {suggest: false}}}});
    handler({data: {type: 2, data: '监控'}});
    handler({data: {type: 2, data: ''}});
    process.stdout.write(JSON.stringify(sent));
    """
    proc = subprocess.run([shutil.which("node") or "node", "-e", script, str(WORKER)], input=json.dumps(INDEX),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    sent = json.loads(proc.stdout)
    assert sent[0] == {"type": 1}
    assert sent[1]["type"] == 3 and sent[1]["data"]["items"][0][0]["location"] == "notice/#n4-1-1"
    assert sent[2] == {"type": 3, "data": {"items": []}}
