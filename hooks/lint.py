"""排版检查在站点中的部分：把编辑指南中的 <!-- lint:rules --> 展开成规则表。

规则表来自 studycol/lint/rules.py，所以文档与检查程序不会脱节。检查本身由 make check 运行（不需要构建站点）。
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from studycol.lint.rules import RULES

MARKER_RE = re.compile(r"<!--\s*lint:([A-Za-z0-9_-]*)\s*-->")
MARKERS = {"rules": "partials/column/lint-rules.md"}


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "lint:" not in markdown:
        return markdown

    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in MARKERS:
            line = markdown.count("\n", 0, match.start()) + 1
            raise PluginError(
                f"{page.file.src_path}:{line}: 未知的标记“lint:{name}”；可用的标记有：" + "、".join(f"lint:{m}" for m in MARKERS)
            )
        return config.theme.get_env().get_template(MARKERS[name]).render(rules=[r for r in RULES if not r.retired])

    return MARKER_RE.sub(expand, markdown)
