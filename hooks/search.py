"""站内搜索钩子：分词词典、索引整理（拆到段落和句子）、浏览器端搜索引擎。

逻辑在 studycol/search_dict.py（词典）和 studycol/search_index.py（索引整理）中；
浏览器端引擎是 docs/assets/javascripts/search-worker.js。说明见编辑指南“站内搜索”一节。
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from studycol import search_dict, search_index
from studycol.languages import nested_language_build
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
    search_index.jieba_module()  # 让 jieba 只报告警告：搜索插件随后加载词典时不再打印进度
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
    stats = search_index.tidy_site(
        Path(config.site_dir), search_dict.vocabulary_supplement(_state.get("dict_entries", []), search_index.jieba_module()),
        prefixes=_state.get("prefixes", []), ranking=_state.get("ranking"),
        parts_rule=_state["parts"] if _state.get("engine") == "column" else None,
    )
    if stats:
        log.debug(
            "搜索索引：%d 条，其中拆出段落 %d 条；语言副本页面 %d 个并入默认语言；繁简对照 %d 字；词表 %d 个；"
            "共 %d 批（第 0 批为主索引），第一次搜索时读入",
            stats["docs"], stats["blocks"], stats["fallback_pages"], stats["t2s"], stats["words"], stats["parts"],
        )
