"""站内搜索的一步：分词词典、索引整理（拆到段落和句子）、换用本站的浏览器端搜索引擎。

逻辑在 studycol/search_dict.py（词典）和 studycol/search_index.py（索引整理）中；浏览器端引擎是
docs/assets/javascripts/search-worker.js。说明见编辑指南“站内搜索”一节。
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from studycol import search_dict, search_index
from studycol.engine import Pass, Stop
from studycol.yamlsrc import DataError

log = logging.getLogger("mkdocs.studycol.search")

WORKER = "assets/javascripts/search-worker.js"
# 只供 bench/search_bench.py 对比用：SEARCH_ENGINE=material 保留 Material 自带的 lunr 引擎（索引仍经本站整理）；
# material-plain 连索引和分词词典也不动，即 Material 原样
ENGINES = ("column", "material", "material-plain")
T = TypeVar("T")


class SearchStep:
    def __init__(self, p: Pass) -> None:
        self.p = p
        self.dict_entries: list[Any] = []
        self.ranking: Any = None
        self.parts: Any = None
        self.engine = "column"

    def _load_rule(self, name: str, purpose: str, short: str, loader: Callable[[Path, str], T]) -> T:
        """读取 data/search/ 下的一个规则文件；缺失或有误时停止构建并说明。"""
        rel = f"data/search/{name}"
        path = self.p.root / rel
        if not path.is_file():
            raise Stop(f"找不到 {rel}（{purpose}）；请从版本库恢复，不要删除。")
        try:
            return loader(path, rel)
        except DataError as exc:
            raise Stop(f"{short}有误：\n" + str(exc)) from None

    def config(self, current_dict: str) -> Path | None:
        """读词典和规则；返回要交给搜索插件的 jieba 用户词典（current_dict：插件现在的设置），Material 原样时为 None。"""
        engine = os.environ.get("SEARCH_ENGINE", "column").strip() or "column"
        if engine not in ENGINES:
            raise Stop(f"环境变量 SEARCH_ENGINE 只能是 {'、'.join(ENGINES)} 之一，现在是“{engine}”。")
        self.engine = engine
        if engine == "material-plain":
            return None
        try:
            entries = search_dict.load_entries(self.p.root)
        except DataError as exc:
            raise Stop("搜索分词词典有误：\n" + str(exc)) from None
        path = search_dict.write_effective(entries)
        # 多语言构建会对每种语言再走一遍；那时插件的设置已是上一遍写入的词典
        if current_dict and Path(current_dict).parent != path.parent:
            raise Stop(
                f"mkdocs.yml 中为 search 插件设置了 jieba_dict_user（{current_dict}）。搜索词典统一由 data/search/user-dict.txt "
                "和术语表生成，请删去该设置，把词语加到 data/search/user-dict.txt 中。"
            )
        search_index.jieba_module()  # 让 jieba 只报告警告：搜索插件随后加载词典时不再打印进度
        self.dict_entries = entries
        self.ranking = self._load_rule("ranking.yml", "站内搜索的页面权重", "搜索页面权重", search_index.load_ranking)
        self.parts = self._load_rule("parts.yml", "站内搜索索引的分批加载规则", "搜索索引分批规则", search_index.load_parts_rule)
        if engine == "column" and not (self.p.docs_dir / WORKER).is_file():
            raise Stop(f"缺少站内搜索引擎 docs/{WORKER}；请从版本库恢复该文件。")
        return path

    def post_page(self, output: str) -> str:
        """页面（和不经过 post_page 的 404 页）换用本站的引擎。"""
        return search_index.point_worker(output, WORKER) if self.engine == "column" else output

    def post_build(self) -> None:
        """全部语言合并进索引之后（只在默认语言这一遍的最后）：整理索引。"""
        if self.engine == "material-plain":
            return
        stats = search_index.tidy_site(
            self.p.site_dir, search_dict.vocabulary_supplement(self.dict_entries, search_index.jieba_module()),
            prefixes=[f"{lang}/" for lang in self.p.other_languages], ranking=self.ranking,
            parts_rule=self.parts if self.engine == "column" else None,
        )
        if stats:
            log.debug(
                "搜索索引：%d 条，其中拆出段落 %d 条；语言副本页面 %d 个并入默认语言；繁简对照 %d 字；词表 %d 个；"
                "共 %d 批（第 0 批为主索引），第一次搜索时读入",
                stats["docs"], stats["blocks"], stats["fallback_pages"], stats["t2s"], stats["words"], stats["parts"],
            )
