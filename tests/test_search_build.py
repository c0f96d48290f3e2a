"""端到端：构建出的站点使用本站搜索引擎，索引已整理；词典或权重文件有误时构建失败并给出中文说明。"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from helpers import REPO, build, copy_site
import search_eval as se
from studycol import search_index as si

pytestmark = pytest.mark.slow


def _config(page: Path) -> dict:
    m = re.search(r'<script id="__config" type="application/json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    assert m, page
    return json.loads(m.group(1))


def test_pages_use_the_column_engine_with_their_language(built_site: Path):
    assert _config(built_site / "index.html")["search"] == "./assets/javascripts/search-worker.js?lang=zh"
    assert _config(built_site / "notice" / "index.html")["search"] == "../assets/javascripts/search-worker.js?lang=zh"
    assert _config(built_site / "en" / "notice" / "index.html")["search"] == "../../assets/javascripts/search-worker.js?lang=en"
    assert (built_site / "assets" / "javascripts" / "search-worker.js").is_file()


def test_search_index_json_is_a_small_stub(built_site: Path):
    """每个页面打开时读入的 search_index.json 只是引子：Material 的 config 加主索引的地址，没有条目。"""
    path = built_site / "search" / "search_index.json"
    stub = json.loads(path.read_text(encoding="utf-8"))
    assert stub["docs"] == []
    assert set(stub["config"]) == {"lang", "separator", "pipeline", "fields", "studycol"}
    assert stub["config"]["studycol"]["main"] == si.PART_URL.format(si.MAIN_PART)
    assert (built_site / stub["config"]["studycol"]["main"]).is_file()
    assert len(gzip.compress(path.read_bytes())) <= 5 * 1024


def test_index_is_split_into_sentences_and_has_engine_data(built_site: Path):
    data, _ = se.read_parts(built_site)  # 引子加第 0 批还原出的主索引
    extra = data["config"]["studycol"]
    locations = [d["location"] for d in data["docs"]]
    assert len(locations) == len(set(locations))
    # 通知逐句成条，句子条目只含这一句
    by = {d["location"]: d for d in data["docs"]}
    sentence = by["notice/#n4-1-2"]
    assert "台账" in sentence["text"] and "举报" not in sentence["text"]
    # 切分结果汇成词表（含词典纠正的“紧盯”），条目文字中不再带零宽空格
    assert "\u200b" not in sentence["text"] and extra["segmented"] is False
    assert {"紧盯", "台账化", "监控"} <= set(extra["words"])
    # 部分标题条目不再重复整段文字
    assert "台账" not in by["notice/#n4"]["text"]
    # 繁简对照表只含索引用到的字，补充词表来自词典
    pairs = extra["t2s"]
    assert "監监" in pairs and len(pairs) < 4000
    # 未翻译的英文页面不重复收录
    fallback = extra["languages"]["en/"]
    assert fallback, "没有合并任何英文副本页面"
    pages = {loc.split("#")[0] for loc in locations}
    assert not any("en/" + page in pages for page in fallback)


def _expect_failure(tmp_path: Path, edit) -> str:
    src = copy_site(tmp_path / "src")
    edit(src)
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    return result.stdout + result.stderr


def test_bad_dictionary_line_fails_build_with_file_and_line(tmp_path: Path):
    def edit(src: Path) -> None:
        path = src / "data" / "search" / "user-dict.txt"
        path.write_text(path.read_text(encoding="utf-8") + "监控 很多\n", encoding="utf-8")

    out = _expect_failure(tmp_path, edit)
    lines = (tmp_path / "src" / "data" / "search" / "user-dict.txt").read_text(encoding="utf-8").count("\n")
    assert f"data/search/user-dict.txt:{lines}:" in out
    assert "不是非负整数" in out
    assert "Traceback" not in out


def test_missing_dictionary_fails_build(tmp_path: Path):
    out = _expect_failure(tmp_path, lambda src: (src / "data" / "search" / "user-dict.txt").unlink())
    assert "找不到搜索分词词典" in out and "Traceback" not in out


def test_bad_ranking_fails_build(tmp_path: Path):
    def edit(src: Path) -> None:
        (src / "data" / "search" / "ranking.yml").write_text("boost:\n  /notice/: 2\n", encoding="utf-8")

    out = _expect_failure(tmp_path, edit)
    assert "data/search/ranking.yml:2:" in out and "不是页面地址前缀" in out


def _site_with_cases(tmp_path: Path, count: int) -> Path:
    """仓库站点加 count 个合成案例（bench/cases_bench.py 的测试数据），严格构建，返回输出目录。"""
    import random
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    from cases_bench import synthetic_case

    from studycol import cases as cases_mod

    src = copy_site(tmp_path / f"src{count}")
    vocab = cases_mod.load_vocab(src / "data" / "case-vocab.yml").vocab
    rng = random.Random(20240122)
    for i in range(1, count + 1):
        name, text = synthetic_case(i, rng, vocab)
        (src / "docs" / "cases" / name).write_text(text, encoding="utf-8")
    out = tmp_path / f"out{count}"
    result = build(src, out)
    assert result.returncode == 0, f"严格构建失败：\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return out


def test_case_pages_go_into_parts_and_the_main_index_stays_the_same_size(tmp_path: Path):
    rule = si.load_parts_rule(REPO / "data" / "search" / "parts.yml", "data/search/parts.yml")
    sizes = {}
    stubs = {}
    for count in (30, 300):
        site = _site_with_cases(tmp_path, count)
        stub_path = site / "search" / "search_index.json"
        stubs[count] = (stub_path.read_bytes(), len(gzip.compress(stub_path.read_bytes())))
        main_path = site / si.PART_URL.format(si.MAIN_PART)
        main, parts = se.read_parts(site)
        meta = main["config"]["studycol"]["parts"]
        assert len(meta) == len(parts) >= 1
        assert not any(si.is_deferred(d["location"], rule, ["en/"]) for d in main["docs"])
        pages = set()
        for m, payload in zip(meta, parts):
            path = site / m["url"]
            assert path.stat().st_size == m["bytes"]
            # 每批不超过页数上限；字节数上限只在单独一页就超过时才会超
            assert m["pages"] <= rule.pages_per_part
            assert m["bytes"] <= rule.part_kb * 1024 or m["pages"] == 1
            assert len(gzip.compress(path.read_bytes())) < 150 * 1024
            assert all(si.is_deferred(d["location"], rule, ["en/"]) for d in payload["docs"])
            pages |= {si.page_of(d["location"]) for d in payload["docs"]}
        synthetic = {p for p in pages if "-test-" in p}
        assert len(synthetic) == count  # 每个合成案例页面都在某一批中
        assert sorted(p.name for p in (site / "search").glob("part-*.js")) == [
            main_path.name, *(m["url"].split("/")[-1] for m in meta)]
        sizes[count] = (main_path.stat().st_size, len(gzip.compress(main_path.read_bytes())), len(meta))
    # 每个页面都要读入的引子很小，案例多了 10 倍也一字不差
    assert stubs[30][0] == stubs[300][0] and stubs[30][1] <= 5 * 1024, stubs
    # 案例多了 10 倍，主索引（第一次搜索时先读入的部分）大小不变：只差案例首页上的统计数字之类的几个字节
    (raw30, gz30, n30), (raw300, gz300, n300) = sizes[30], sizes[300]
    assert abs(raw300 - raw30) <= 0.01 * raw30, sizes
    assert abs(gz300 - gz30) <= 0.01 * gz30, sizes
    assert n300 >= n30


def test_collation_tables_stay_out_of_the_index_and_its_lists_land_on_their_item(built_site: Path):
    """校勘记的两张表（每类修复、逐处明细）不进索引：表格单元连成一串时，专栏、党校之类的常用词
    会命中一堆残句。校勘记的说明文字和“未改动”“未登载”两个列表照常收录，每一项单独成条，
    搜“经办人”落在写它的那一项上，而不是校勘记的标题。"""
    data, _ = se.read_parts(built_site)
    by = {d["location"]: d for d in data["docs"]}
    notice = [d for loc, d in by.items() if loc.startswith("notice/")]
    text = " ".join(si.plain_text(d.get("text", "")) for d in notice)
    assert "本页正文以收到的文本为底本" in text
    assert "半角逗号，中文正文应使用全角逗号" not in text   # 第一张表的“理由”栏
    assert "发布稿上下文" not in text                        # 逐处明细的表头
    hits = [loc for loc, d in by.items() if loc.startswith("notice/") and "经办人" in si.plain_text(d.get("text", ""))]
    assert hits and all(re.fullmatch(r"notice/#collation-omitted-\d+", loc) for loc in hits), hits
