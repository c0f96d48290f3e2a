"""页面日期钩子：为每个页面算出发布日期和更新日期，交给模板（overrides/partials/column/dates.html）显示。

逻辑在 studycol/pagedates.py；这里只读 front matter、查一次 git 历史、把结果放进模板上下文。
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from studycol import pagedates
from studycol import render as render_mod

ROOT = Path(__file__).resolve().parent.parent

_state: dict[str, Any] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # i18n 插件每种语言都会重新运行 on_config；git 历史只查一次
    _state.clear()
    return config


def _git(config: MkDocsConfig) -> dict[str, pagedates.GitDates]:
    if "git" not in _state:
        _state["git"] = pagedates.git_dates(ROOT, Path(config.docs_dir))
    return _state["git"]


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    try:
        fields = pagedates.front_matter_dates(page.meta, f"docs/{page.file.src_uri}", render_mod.page_source(page))
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    dates = pagedates.resolve(fields, _git(config).get(page.file.src_uri))
    context["column_dates"] = dates
    context["chinese_date"] = pagedates.chinese_date
    return context
