"""站内搜索钩子：分词词典、索引整理（拆到段落和句子）、浏览器端搜索引擎。

逻辑在 studycol/search_dict.py（词典）和 studycol/search_index.py（索引整理）中；
浏览器端引擎是 docs/assets/javascripts/search-worker.js。说明见编辑指南“站内搜索”一节。
"""

from __future__ import annotations

import gc
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
from studycol.memo import first_language_pass, language_prefix, nested_language_build
from studycol.problems import Problem
from studycol.yamlsrc import DataError

log = logging.getLogger("mkdocs.hooks.search")

ROOT = Path(__file__).resolve().parent.parent
WORKER = "assets/javascripts/search-worker.js"
# SEARCH_ENGINE=material 时保留 Material 自带的 lunr 引擎（只供 bench/search_bench.py 对比用）
ENGINES = ("column", "material")

_state: dict = {}
# 页面写出时记下（绝对路径 → 正文中有没有带 id 的块）。拆段时没有块的页面不必再从磁盘读回来。
# 不随 _state 在每种语言的 on_config 中清空：默认语言的 on_post_build 最后运行时要用到全部语言的记录
_block_pages: dict[str, bool] = {}
# 默认语言各页面的搜索条目：页面源文件 → (输入摘要, 页面地址, 条目)。英文版中输入相同的页面（回退显示的
# 中文页面）直接复用，Material 的搜索插件不必再解析、切分一遍（见 studycol/search_index.py 的 page_signature）。
# 与 _block_pages 一样跨语言保留，在默认语言的 on_config 中清空
_default_entries: dict[str, tuple[bytes, str, list[dict]]] = {}
_pending: dict[str, tuple] = {}  # 正在构建的页面：on_page_context 记下，on_post_page 收尾
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
    if first_language_pass(config):
        _block_pages.clear()
        _default_entries.clear()
    _pending.clear()
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
    # 插件切分汉字串时按汉字串复用结果（见 search_index.memo_segmenter）；词典每次重新读入，所以每次换新的
    _state["segment"] = search_index.memo_segmenter(search_index.jieba_module().cut)[0]
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


def _toc_ids(items) -> list[str]:
    out: list[str] = []
    for item in items or []:
        out.append(str(getattr(item, "id", "") or ""))
        out += _toc_ids(getattr(item, "children", None))
    return out


@event_priority(1)  # 在 Material 搜索插件（优先级 0）读取页面之前；改写正文的钩子（xref 为 50）都已运行
def on_page_context(context, page: Page, config: MkDocsConfig, nav):
    index = getattr(_search_plugin(config), "search_index", None)
    entries = getattr(index, "entries", None)
    if not isinstance(entries, list):
        return context
    # 插件在自己的 on_config 中（每种语言一次）新建索引对象，所以在这里、它读取第一个页面之前换上复用切分结果的函数
    segment = _state.get("segment")
    if segment is not None and vars(index).get("_segment_chinese") is not segment:
        if hasattr(type(index), "_segment_chinese"):  # Material 改了内部结构时不替换（只是慢一些；有测试提醒）
            index._segment_chinese = segment
    src = page.file.src_uri
    signature = search_index.page_signature(page.content or "", str(page.title or ""), page.meta, _toc_ids(page.toc))
    prefix = language_prefix(config)
    if not prefix:  # 默认语言：记下插件为这个页面生成的条目
        _pending["page"] = ("record", page, src, signature, entries, len(entries))
        return context
    known = _default_entries.get(src)
    if known is not None and known[0] == signature and page.url == prefix + known[1]:
        # 与默认语言的同一页面输入相同：让搜索插件跳过，写出时（on_post_page）放回换了地址的中文条目
        had_search = "search" in page.meta
        saved = page.meta.get("search")
        page.meta["search"] = {**(saved if isinstance(saved, dict) else {}), "exclude": True}
        _pending["page"] = ("reuse", page, had_search, saved, entries, known)
    return context


def _finish_page(page: Page) -> None:
    pending = _pending.pop("page", None)
    if pending is None or pending[1] is not page:
        return
    if pending[0] == "record":
        _, _, src, signature, entries, start = pending
        _default_entries[src] = (signature, page.url, entries[start:])
    else:
        _, _, had_search, saved, entries, (_, old_url, old_entries) = pending
        if had_search:
            page.meta["search"] = saved
        else:
            del page.meta["search"]
        entries.extend(search_index.relocate_entries(old_entries, old_url, page.url))


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    _finish_page(page)
    if page.file.abs_dest_path:
        _block_pages[os.path.normpath(page.file.abs_dest_path)] = search_index.may_have_blocks(output)
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
    # 整理索引要新建几十万个小对象；构建进程里此时还留着全部页面，循环垃圾回收每次都要把它们走一遍。
    # 这一步不产生循环引用，所以先暂停回收，做完再恢复
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        _tidy_index(config)
    finally:
        if gc_was_enabled:
            gc.enable()


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
        if _block_pages.get(os.path.normpath(path)) is False:
            return None  # 写出时已看过：正文中没有带 id 的块，拆段用不到它（大多数案例页）
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
