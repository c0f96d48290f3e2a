"""搜索索引分批加载（studycol/search_index.py 的 split_parts 等）：不构建站点。

检查：哪些条目延后（案例页面整页、分类索引页只延后各节）、每条恰在一处、各批不超上限、
插回位置能还原原来的顺序、词表和语言副本记录分到各批后合起来不变、结果可重现、规则文件的中文报错；
引子（search_index.json）只含 config、不随案例增长，主索引作为第 0 批在第一次搜索时读入，结果与不分批时相同。
"""

from __future__ import annotations

import json
import random

import pytest

from helpers import REPO
from studycol import search_index as si
from studycol.yamlsrc import DataError, parse_yaml

ZW = "\u200b"
RULE = si.PartsRule(deferred=["cases/"], sections_only=["cases/by-region/"], pages_per_part=4, part_kb=16)


@pytest.mark.parametrize(
    "location, deferred",
    [
        ("cases/2023-xinjing-tanta/", True),
        ("cases/2023-xinjing-tanta/#facts", True),
        ("cases/2023-xinjing-tanta/index.html#facts", True),  # U 盘版的地址
        ("en/cases/2023-xinjing-tanta/", True),  # 英文页面按去掉 en/ 后的地址套用
        ("cases/", False),  # 前缀本身那一页（典型案例首页）留在主索引
        ("cases/#latest", False),
        ("cases/by-region/", False),  # 分类索引页：页面本身留下
        ("cases/by-region/index.html", False),
        ("cases/by-region/#region-beijing", True),  # 按组列出案例的各节延后
        ("notice/#n4-1-1", False),
        ("guide/cases/", False),
    ],
)
def test_which_entries_are_deferred(location: str, deferred: bool):
    assert si.is_deferred(location, RULE, ["en/"]) is deferred


def _index(pages: int, seed: int = 7) -> tuple[dict, list[dict]]:
    """合成索引：首页、通知、若干案例页（每页几条，长短不一）、分类索引页，顺序穿插。"""
    rng = random.Random(seed)
    source: list[dict] = [
        {"location": "", "title": z("首页"), "text": "<p>" + z("学习", "专栏") + "</p>"},
        {"location": "notice/", "title": z("通知"), "text": "<p>" + z("安全", "监控", "系统") + "</p>"},
        {"location": "cases/", "title": z("典型", "案例"), "text": "<p>" + z("案例", "首页") + "</p>"},
    ]
    for i in range(pages):
        page = f"cases/c{i:03d}/"
        source.append({"location": page, "title": z("案例", f"甲{i}"), "text": "<p>" + z("瞒报", f"乙{i}") + "</p>"})
        for j in range(rng.randint(1, 4)):
            source.append({"location": f"{page}#s{j}", "title": z("经过"),
                           "text": "<p>" + z(*(["透水", "事故"] * rng.randint(5, 300))) + "</p>"})
        if i == pages // 2:
            source.append({"location": "quiz/", "title": z("测验"), "text": "<p>" + z("题目") + "</p>"})
    source.append({"location": "cases/by-region/", "title": z("按", "地区"), "text": "<p>" + z("分组") + "</p>"})
    source.append({"location": "cases/by-region/#region-a", "title": z("甲省"), "text": "<p>" + z("坍塌") + "</p>"})
    # 未翻译的英文副本（内容与中文页面逐条相同），整理时并入默认语言
    source += [{**d, "location": "en/" + d["location"]} for d in source if si.page_of(d["location"]) == "cases/c000/"]
    index = {"config": {"separator": "[\\s\\u200b]+"}, "docs": [dict(d) for d in source]}
    processed, _ = si.postprocess(index, lambda _: None, lambda t: t, ["en/"], ["监控", "字典词"])
    return processed, source


def z(*words: str) -> str:
    return ZW.join(words)


def _restore(main: dict, payloads: list[dict]) -> list[dict]:
    """按 config.studycol.deferred 把各批条目插回主索引（与浏览器端 merged() 相同的做法）。"""
    later = [d for p in payloads for d in p["docs"]]
    out, m, c = [], 0, 0
    docs = main["docs"]
    for at, count in main["config"]["studycol"]["deferred"]:
        out += docs[m:at] + later[c : c + count]
        m, c = at, c + count
    return out + docs[m:] + later[c:]


def test_split_keeps_every_entry_once_in_original_order_and_respects_limits():
    index, source = _index(30)
    main, payloads = si.split_parts(index, RULE, ["en/"], source, ["监控", "字典词"])
    extra = main["config"]["studycol"]
    assert len(payloads) == len(extra["parts"]) >= 3
    # 主索引中没有延后的条目；各批中只有延后的条目
    assert not any(si.is_deferred(d["location"], RULE, ["en/"]) for d in main["docs"])
    assert all(si.is_deferred(d["location"], RULE, ["en/"]) for p in payloads for d in p["docs"])
    assert {"", "notice/", "cases/", "quiz/", "cases/by-region/"} <= {d["location"] for d in main["docs"]}
    # 每条恰在一处，插回后与分批前的顺序完全相同
    assert _restore(main, payloads) == index["docs"]
    limit = RULE.part_kb * 1024
    for meta, payload in zip(extra["parts"], payloads):
        pages = {si.page_of(d["location"]) for d in payload["docs"]}
        assert meta["pages"] == len(pages) <= RULE.pages_per_part
        assert meta["docs"] == len(payload["docs"])
        # 写出的文件不超过字节数上限；只有单独一页就超过上限时才会超
        assert len(pages) == 1 or meta["bytes"] <= limit
        script = si.part_script(int(meta["url"][-6:-3]), payload)
        assert meta["bytes"] == len(script.encode("utf-8"))
    # 同一页面的条目不拆到两批
    where = {}
    for n, payload in enumerate(payloads):
        for d in payload["docs"]:
            assert where.setdefault(si.page_of(d["location"]), n) == n


def test_words_and_language_records_follow_their_entries():
    index, source = _index(30)
    words = set(index["config"]["studycol"]["words"])
    fallback = index["config"]["studycol"]["languages"]["en/"]
    assert "cases/c000/" in fallback  # 合成索引里有一个英文副本页面
    main, payloads = si.split_parts(index, RULE, ["en/"], source, ["监控", "字典词"])
    extra = main["config"]["studycol"]
    main_words = set(extra["words"])
    part_words = [set(p["words"]) for p in payloads]
    # 合起来是完整的词表，互不重复；词典补充的词和主索引条目中的词留在主索引
    assert main_words.union(*part_words) == words
    assert sum(len(w) for w in part_words) + len(main_words) == len(words)
    assert {"监控", "字典词", "学习", "题目"} <= main_words
    assert "乙7" not in main_words and any("乙7" in w for w in part_words)
    # 只出现在延后条目里的词随条目所在的批
    assert "乙0" in part_words[0]
    # 语言副本记录随页面
    assert "cases/c000/" not in extra["languages"]["en/"]
    assert "cases/c000/" in payloads[0]["languages"]["en/"]
    merged = extra["languages"]["en/"] + [p for x in payloads for p in x["languages"]["en/"]]
    assert sorted(merged) == sorted(fallback)


def test_split_is_deterministic_and_idempotent():
    a = si.split_parts(*_index(30)[:1], RULE, ["en/"], _index(30)[1], [])
    b = si.split_parts(*_index(30)[:1], RULE, ["en/"], _index(30)[1], [])
    assert json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)
    again, more = si.split_parts(a[0], RULE, ["en/"], [], [])
    assert again is a[0] and more == []


def test_main_index_does_not_grow_with_case_pages():
    small, source_s = _index(10)
    large, source_l = _index(200)
    main_s, _ = si.split_parts(small, RULE, ["en/"], source_s, ["监控"])
    main_l, parts_l = si.split_parts(large, RULE, ["en/"], source_l, ["监控"])
    size = lambda m: len(json.dumps(m["docs"], ensure_ascii=False))  # noqa: E731
    assert size(main_s) == size(main_l)
    assert len(parts_l) >= 200 // RULE.pages_per_part


def test_no_rule_means_no_parts():
    index, source = _index(5)
    main, payloads = si.split_parts(index, si.PartsRule(), ["en/"], source, [])
    assert payloads == [] and main["config"]["studycol"]["parts"] == [] and main["docs"] == index["docs"]


def test_part_script_is_one_call_with_json():
    payload = {"docs": [{"location": "cases/x/", "title": "</script>", "text": "\u2028"}], "words": [], "languages": {}}
    script = si.part_script(3, payload)
    assert script.startswith("self.__studycolSearchPart(3,") and script.endswith(");\n")
    assert "</script>" not in script and "\u2028" not in script
    assert json.loads(script[len("self.__studycolSearchPart(3,") : -3]) == payload


@pytest.mark.parametrize(
    "yaml_text, line, fragment",
    [
        ("deferred:\n  - /cases/\n", 2, "不是页面地址前缀"),
        ("deferred:\n  - cases/\nsections_only:\n  - notice/\n", 4, "不在 deferred 列出的任何前缀之下"),
        ("deferred:\n  - cases/\npages_per_part: 0\n", 3, "超出范围"),
        ("deferred:\n  - cases/\npart_kb: 100000\n", 3, "超出范围"),
        ("deferred:\n  - cases/\npages: 3\n", 3, ""),
    ],
)
def test_parts_rule_errors_are_chinese_with_line(yaml_text: str, line: int, fragment: str):
    with pytest.raises(DataError) as info:
        si.parts_rule_from(parse_yaml(yaml_text, "data/search/parts.yml"))
    err = info.value.errors[0]
    assert (err.path, err.line) == ("data/search/parts.yml", line) and fragment in err.message


def test_repo_parts_rule_is_valid():
    rule = si.load_parts_rule(REPO / "data" / "search" / "parts.yml", "data/search/parts.yml")
    assert "cases/" in rule.deferred
    assert si.is_deferred("cases/2023-xinjing-tanta/", rule) and not si.is_deferred("cases/by-year/", rule)


# ---- 浏览器端：docs/assets/javascripts/search-worker.js（在 Node 中运行） ----------------------

WORKER = REPO / "docs" / "assets" / "javascripts" / "search-worker.js"
QUERIES = ["瞒报", "透水事故", "监控", "乙7", "案例甲1", "坍塌", "学习"]


def _node(script: str, payload: dict, *args: str) -> dict:
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.fail("没有找到 node；请运行 make test（构建和浏览器测试同样需要 Node.js）。")
    proc = subprocess.run([node, "-e", script, str(WORKER), *args], input=json.dumps(payload, ensure_ascii=False),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_results_after_all_parts_equal_the_single_index():
    index, source = _index(30)
    main, payloads = si.split_parts(index, RULE, ["en/"], source, ["监控", "字典词"])
    script = r"""
    const w = require(process.argv[1]);
    const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    const run = () => Object.fromEntries(input.queries.map(q => [q, w.search(q)]));
    w.setup(input.full); const full = run();
    w.setup(input.main); const before = run();
    input.parts.forEach((p, i) => w.receivePart(i + 1, p));
    w.build(); const after = run();
    process.stdout.write(JSON.stringify({full, before, after}));
    """
    out = _node(script, {"full": index, "main": main, "parts": payloads, "queries": QUERIES})
    assert out["after"] == out["full"]  # 全部读入后与不分批时逐项相同（包括得分和先后）
    # 读入之前：只有主索引中的条目；案例页面上的词还找不到
    assert out["before"]["乙7"]["items"] == []
    assert out["before"]["学习"] == out["full"]["学习"] or out["before"]["学习"]["items"]
    assert out["full"]["乙7"]["items"][0][0]["location"] == "cases/c007/"


def test_stub_holds_only_config_and_restores_the_main_index():
    index, source = _index(30)
    main, _ = si.split_parts(index, RULE, ["en/"], source, ["监控", "字典词"])
    stub, payload = si.lazy_stub(main)
    assert stub["docs"] == [] and payload["docs"] == main["docs"]
    assert stub["config"]["studycol"] == {"version": si.FORMAT_VERSION, "segmented": False, "main": "search/part-000.js"}
    assert {k: v for k, v in stub["config"].items() if k != "studycol"} == {"separator": "[\\s\\u200b]+"}
    # 词表、繁简对照表、语言副本记录、各批清单和插回位置都在第 0 批
    assert set(payload["studycol"]) == {"languages", "t2s", "words", "parts", "deferred"}
    assert si.restore_main(stub, payload) == main
    again, none = si.lazy_stub(stub)
    assert again is stub and none is None
    number, back = si.read_part_script(si.part_script(si.MAIN_PART, payload))
    assert number == 0 and back == payload


def test_stub_does_not_grow_with_case_pages():
    stubs = []
    for pages in (10, 200):
        index, source = _index(pages)
        stubs.append(si.lazy_stub(si.split_parts(index, RULE, ["en/"], source, ["监控"])[0])[0])
    assert stubs[0] == stubs[1]


def _write_site(tmp_path, stub: dict, payloads: list[dict]) -> None:
    """引子和各批写进 tmp_path（站点根）：payloads[0] 为第 0 批（主索引）。"""
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(stub, ensure_ascii=False), encoding="utf-8")
    for n, payload in enumerate(payloads):
        (tmp_path / si.PART_URL.format(n)).write_text(si.part_script(n, payload), encoding="utf-8")


def test_worker_loads_main_on_first_real_query_then_parts_and_answers_twice(tmp_path):
    index, source = _index(30)
    main, payloads = si.split_parts(index, RULE, ["en/"], source, ["监控"])
    stub, main_part = si.lazy_stub(main)
    _write_site(tmp_path, stub, [main_part, *payloads])
    worker_url = (tmp_path / "assets" / "javascripts" / "search-worker.js").as_uri() + "?lang=zh"
    script = r"""
    const fs = require('fs'), vm = require('vm');
    const sent = [], loaded = [];
    global.self = global;
    global.location = {href: process.argv[2]};
    global.postMessage = m => sent.push({type: m.type, first: m.data && m.data.items && m.data.items.length
      ? m.data.items[0][0].location : null, loadedSoFar: loaded.length});
    // 真正的 Web Worker 中 importScripts 同步读入并执行脚本
    global.importScripts = url => { loaded.push(url); vm.runInThisContext(fs.readFileSync(new URL(url), 'utf8')); };
    let handler;
    global.addEventListener = (type, fn) => { handler = fn; };
    require(process.argv[1]);
    const index = JSON.parse(fs.readFileSync(0, 'utf8'));
    handler({data: {type: 0, data: index}});   // 引子：立即就绪，不下载
    const readyAfter = loaded.length;
    handler({data: {type: 2, data: ''}});      // 界面就绪时发出的空查询：不读入
    const idle = self.__studycolSearch.state, loadedAfterEmpty = loaded.length;
    handler({data: {type: 2, data: '学习'}});  // 只在主索引中的词
    setTimeout(() => {
      handler({data: {type: 2, data: '乙7'}}); // 只在案例页面中的词
      process.stdout.write(JSON.stringify({sent, loaded, idle, readyAfter, loadedAfterEmpty, state: self.__studycolSearch}));
    }, 50);
    """
    out = _node(script, stub, worker_url)
    assert out["readyAfter"] == 0 and out["idle"] == "idle" and out["loadedAfterEmpty"] == 0
    assert [m["type"] for m in out["sent"]] == [1, 3, 3, 3, 3]
    assert out["sent"][1] == {"type": 3, "first": None, "loadedSoFar": 0}  # 空查询立即答空
    # 第一次搜索：读入主索引后才作答（不先发空结果），随后读入案例各批，按同一查询再答一次
    assert out["sent"][2] == {"type": 3, "first": "", "loadedSoFar": 1}
    assert out["sent"][3] == {"type": 3, "first": "", "loadedSoFar": 1 + len(payloads)}
    assert out["sent"][4]["first"] == "cases/c007/"
    assert out["loaded"] == [(tmp_path / si.PART_URL.format(n)).as_uri() for n in range(0, len(payloads) + 1)]
    assert out["state"] == {"state": "complete", "main": "complete", "parts": len(payloads), "loaded": len(payloads), "failed": 0}


def test_worker_with_stub_answers_like_the_single_index(tmp_path):
    """引子 + 第 0 批 + 案例各批全部读入后，每条查询的结果与不分批的完整索引逐项相同。"""
    index, source = _index(30)
    main, payloads = si.split_parts(index, RULE, ["en/"], source, ["监控", "字典词"])
    stub, main_part = si.lazy_stub(main)
    _write_site(tmp_path, stub, [main_part, *payloads])
    worker_url = (tmp_path / "assets" / "javascripts" / "search-worker.js").as_uri() + "?lang=zh"
    script = r"""
    const fs = require('fs'), vm = require('vm');
    global.self = global;
    global.location = {href: process.argv[2]};
    global.importScripts = url => vm.runInThisContext(fs.readFileSync(new URL(url), 'utf8'));
    const input = JSON.parse(fs.readFileSync(0, 'utf8'));
    let handler, sent = [];
    global.postMessage = m => sent.push(m);
    global.addEventListener = (type, fn) => { handler = fn; };
    const w = require(process.argv[1]);
    const full = {};
    w.setup(input.full);
    input.queries.forEach(q => { full[q] = w.search(q); });
    handler({data: {type: 0, data: input.stub}});
    handler({data: {type: 2, data: input.queries[0]}});
    setTimeout(() => {
      const after = {};
      input.queries.forEach(q => { sent = []; handler({data: {type: 2, data: q}}); after[q] = sent[0].data; });
      process.stdout.write(JSON.stringify({full, after, state: self.__studycolSearch.state}));
    }, 50);
    """
    out = _node(script, {"full": index, "stub": stub, "queries": QUERIES}, worker_url)
    assert out["state"] == "complete"
    assert out["after"] == out["full"]


def test_worker_retries_when_the_main_part_is_missing(tmp_path):
    index, source = _index(5)
    main, payloads = si.split_parts(index, RULE, ["en/"], source, [])
    stub, main_part = si.lazy_stub(main)
    _write_site(tmp_path, stub, [])  # 第 0 批缺失
    worker_url = (tmp_path / "assets" / "javascripts" / "search-worker.js").as_uri() + "?lang=zh"
    script = r"""
    const fs = require('fs'), vm = require('vm');
    global.self = global;
    global.location = {href: process.argv[2]};
    const sent = [];
    global.postMessage = m => sent.push(m);
    global.importScripts = url => vm.runInThisContext(fs.readFileSync(new URL(url), 'utf8'));
    global.console.warn = () => {};
    let handler;
    global.addEventListener = (type, fn) => { handler = fn; };
    require(process.argv[1]);
    handler({data: {type: 0, data: JSON.parse(fs.readFileSync(0, 'utf8'))}});
    handler({data: {type: 2, data: '学习'}});
    process.stdout.write(JSON.stringify({sent, state: self.__studycolSearch}));
    """
    out = _node(script, stub, worker_url)
    # 读不到主索引：给出空结果（界面不至于一直等），下一次查询再试
    assert out["sent"] == [{"type": 1}, {"type": 3, "data": {"items": []}}]
    assert out["state"]["main"] == "idle" and out["state"]["failed"] == 1
