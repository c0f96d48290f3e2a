"""站内搜索钩子：分词词典、索引整理（拆到段落和句子）、浏览器端搜索引擎。

逻辑在 studycol/search_dict.py（词典）和 studycol/search_index.py（索引整理）中；
浏览器端引擎是 docs/assets/javascripts/search-worker.js。说明见编辑指南“站内搜索”一节。
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from studycol import search_dict, search_index
from studycol import problems
from studycol.languages import nested_language_build
from studycol.problems import Problem
from studycol.yamlsrc import DataError

log = logging.getLogger("mkdocs.hooks.search")

ROOT = Path(__file__).resolve().parent.parent
WORKER = "assets/javascripts/search-worker.js"
# SEARCH_ENGINE=material 时保留 Material 自带的 lunr 引擎（只供 bench/search_bench.py 对比用）
ENGINES = ("column", "material")

_state: dict = {}
T = TypeVar("T")


def _search_plugin(config: MkDocsConfig):
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        if plugin is not None and hasattr(plugin.config, "jieba_dict_user"):
            return plugin
    raise PluginError("mkdocs.yml 的 plugins 中没有 Material 的 search 插件；站内搜索依赖它生成索引，请加回 `- search: {lang: zh}`。")


def _load_rule(name: str, purpose: str, short: str, loader: Callable[[Path, str], T]) -> T:
    """读取 data/search/ 下的一个规则文件；缺失或有误时停止构建并说明。"""
    rel = f"data/search/{name}"
    path = ROOT / rel
    if not path.is_file():
        raise PluginError(f"找不到 {rel}（{purpose}）；请从版本库恢复，不要删除。")
    try:
        return loader(path, rel)
    except DataError as exc:
        raise PluginError(f"{short}有误：\n" + str(exc)) from None


@event_priority(50)  # 早于搜索插件的 on_config：插件在自己的 on_config 里加载 jieba 用户词典
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _state.clear()
    plugin = _search_plugin(config)
    try:
        entries = search_dict.load_entries(ROOT)
    except DataError as exc:
        raise PluginError("搜索分词词典有误：\n" + str(exc)) from None
    path = search_dict.write_effective(entries)
    current = plugin.config.jieba_dict_user
    # 多语言构建会对每种语言再调用一次 on_config；那时这里已是上一次写入的词典
    if current and Path(current).parent != path.parent:
        raise PluginError(
            f"mkdocs.yml 中为 search 插件设置了 jieba_dict_user（{current}）。搜索词典统一由 data/search/user-dict.txt "
            "和术语表生成，请删去该设置，把词语加到 data/search/user-dict.txt 中。"
        )
    plugin.config.jieba_dict_user = str(path)
    _state["dict_entries"] = entries
    _state["ranking"] = _load_rule("ranking.yml", "站内搜索的页面权重", "搜索页面权重", search_index.load_ranking)
    _state["parts"] = _load_rule("parts.yml", "站内搜索索引的分批加载规则", "搜索索引分批规则", search_index.load_parts_rule)

    engine = os.environ.get("SEARCH_ENGINE", "column").strip() or "column"
    if engine not in ENGINES:
        raise PluginError(f"环境变量 SEARCH_ENGINE 只能是 {' 或 '.join(ENGINES)}，现在是“{engine}”。")
    if engine == "column" and not (Path(config.docs_dir) / WORKER).is_file():
        raise PluginError(f"缺少站内搜索引擎 docs/{WORKER}；请从版本库恢复该文件。")
    _state["engine"] = engine

    prefixes: list[str] = []
    i18n = config.plugins.get("i18n")
    for lang in getattr(getattr(i18n, "config", None), "languages", None) or []:
        if not getattr(lang, "default", False) and getattr(lang, "build", True):
            prefixes.append(f"{lang.locale}/")
    _state["prefixes"] = prefixes
    return config


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if _state.get("engine") != "column":
        return output
    return search_index.point_worker(output, WORKER)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """404 页面不经过 on_post_page，也换成本站的引擎。"""
    if _state.get("engine") != "column" or not template_name.endswith(".html"):
        return output_content
    return search_index.point_worker(output_content, WORKER)


@event_priority(-110)  # 晚于 i18n（-100，合并各语言索引）和 offline（-100，把索引抄进 search_index.js）
def on_post_build(config: MkDocsConfig) -> None:
    if nested_language_build(config):
        # 其他语言的内部构建结束时，索引文件里只有这种语言的条目；随后 i18n 合并全部语言重写索引，
        # 默认语言的这一步再整理合并后的索引。在这里整理是白做（1,000 个案例时约 0.4 秒）
        return
    _tidy_index(config)


def _tidy_index(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    json_path = site / "search" / "search_index.json"
    if not json_path.is_file():
        return
    index = json.loads(json_path.read_text(encoding="utf-8"))
    source_docs = list(index.get("docs", []))

    def read_page(location: str) -> str | None:
        rel = location + "index.html" if location == "" or location.endswith("/") else location
        # 地址来自 Material 生成的索引；仍拒绝越出站点目录的地址（不逐个 resolve：每次都要查文件系统）
        norm = posixpath.normpath(rel)
        if norm.startswith(("../", "/")) or norm == "..":
            return None
        path = site / norm
        if not path.is_file():
            return None
        return path.read_text(encoding="utf-8")

    # 全局 jieba：搜索插件已在它上面加载了本站词典
    words = search_dict.vocabulary_supplement(_state.get("dict_entries", []), search_index.jieba_module())
    segment = search_index.jieba_segmenter()
    index, stats = search_index.postprocess(
        index, read_page, segment, _state.get("prefixes", []), words, _state.get("ranking"),
        compact=_state.get("engine") == "column",
    )
    if not stats:
        return  # 已整理过
    parts: list[dict] = []
    if _state.get("engine") == "column":  # Material 自带的 lunr 引擎不会分批读入
        rule = _state["parts"]
        index, parts = search_index.split_parts(
            index, rule, _state.get("prefixes", []), source_docs, words,
        )
        pages = {search_index.page_key(d["location"], _state.get("prefixes", []))[0] for d in source_docs}
        for page in rule.sections_only:
            if page not in pages:
                problems.report(Problem(
                    "data/search/parts.yml", 1,
                    f"sections_only 中的“{page}”不是站点中的页面（页面改名或删除了？）；请改成现有页面的地址或删去此项。",
                ))
        # 主索引也延后：search_index.json 只留引子（每个页面打开时读入），主索引的条目写成第 0 批
        index, main_part = search_index.lazy_stub(index)
        parts = [main_part, *parts]
    for old_part in sorted((site / "search").glob("part-*.js")):
        old_part.unlink()  # 上一次构建（mkdocs serve）留下的分批文件
    for number, payload in enumerate(parts, search_index.MAIN_PART):
        (site / search_index.PART_URL.format(number)).write_text(
            search_index.part_script(number, payload), encoding="utf-8"
        )
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    json_path.write_text(data, encoding="utf-8")
    js_path = site / "search" / "search_index.js"
    if js_path.is_file():  # U 盘版：offline 插件已把整理前的索引抄成脚本，按同样格式重写为引子
        js_path.write_text(f"var __index = {data}", encoding="utf-8")
    log.debug(
        "搜索索引：%d 条，其中拆出段落 %d 条；语言副本页面 %d 个并入默认语言；繁简对照 %d 字；词表 %d 个；"
        "共 %d 批（第 0 批为主索引），第一次搜索时读入",
        stats["docs"], stats["blocks"], stats["fallback_pages"], stats["t2s"], stats["words"], len(parts),
    )
