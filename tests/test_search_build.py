"""端到端：构建出的站点使用本站搜索引擎，索引已整理；词典或权重文件有误时构建失败并给出中文说明。"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import build, copy_site

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


def test_index_is_split_into_sentences_and_has_engine_data(built_site: Path):
    data = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
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
