"""典型案例：一个案例是 docs/cases/ 下的一个 Markdown 文件，front matter 写结构化的事实（时间、地点、后果、
违法违规行为、来源、核实状态……），正文写事故经过。

本包按职责分为四个模块，依赖只有一个方向（model ← rules，model ← indexes ← pages）：

- model.py    受控词表和案例的结构，案例文件（CaseFile），front matter 的拆分，案例页面将要写出的引用；
- rules.py    跨字段的规则、正文的规则、全部案例的读取（load_cases）、重复编号（ID-2）、引用检查、make check-content；
- indexes.py  排序、按年份、地区、类别和矿山类型分组、统计数字、相关案例（RelatedFinder）；
- pages.py    中文的日期和金额、页面之间的链接、案例页和索引页的模板上下文、“显示更多”的数据文件。

其他代码照旧写 ``from studycol import cases as cases_mod``，用下面 ``__all__`` 中的名称；
只在本包内部使用的名称请从对应的模块导入。
"""

from __future__ import annotations

from .indexes import (
    PROVINCE_SLUGS,
    Counts,
    Group,
    Related,
    RelatedFinder,
    by_category,
    by_mine_type,
    by_region,
    by_year,
    category_key,
    counts,
    mine_group_key,
    mine_key,
    real_cases,
    region_key,
    sort_cases,
)
from .model import (
    KINDS,
    OFFICIAL_ORIGIN,
    PENDING,
    REAL,
    SHORT_MAX,
    SLUG_PATTERN,
    STATUSES,
    TEACHING,
    TEACHING_PROVINCE,
    VERIFIED,
    Case,
    CaseFile,
    LoadedVocab,
    Verification,
    Violation,
    Vocab,
    load_vocab,
)
from .pages import (
    INDEX_URIS,
    Requirement,
    case_context,
    date_zh,
    group_view,
    list_item,
    money_zh,
    more_script,
    relative_link,
    time_zh,
)
from .rules import INDEX_PAGES, CaseSet, check_repo, known_index, load_cases, parse_case, reference_problems

__all__ = [
    # model.py
    "KINDS", "REAL", "TEACHING", "STATUSES", "PENDING", "VERIFIED", "OFFICIAL_ORIGIN", "TEACHING_PROVINCE",
    "SLUG_PATTERN", "SHORT_MAX", "Vocab", "LoadedVocab", "load_vocab", "Case", "Violation", "Verification", "CaseFile",
    # rules.py
    "INDEX_PAGES", "parse_case", "CaseSet", "load_cases", "known_index", "reference_problems", "check_repo",
    # indexes.py
    "PROVINCE_SLUGS", "sort_cases", "real_cases", "Group", "by_year", "by_region", "by_category", "by_mine_type",
    "region_key", "category_key", "mine_key", "mine_group_key", "Counts", "counts", "Related", "RelatedFinder",
    # pages.py
    "date_zh", "time_zh", "money_zh", "relative_link", "INDEX_URIS", "Requirement", "case_context", "list_item",
    "group_view", "more_script",
]
