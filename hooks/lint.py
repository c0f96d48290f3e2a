"""排版检查在站点中的部分：把编辑指南中的 <!-- lint:rules --> 展开成规则表。

规则表来自 studycol/lint/rules.py，所以文档与检查程序不会脱节。检查本身由 make check 运行（不需要构建站点）。
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from studycol import markers
from studycol.lint.rules import RULES
from studycol.render import page_source

TEMPLATE = "partials/column/lint-rules.md"


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return markers.expand(
        markdown, "lint",
        lambda m: config.theme.get_env().get_template(TEMPLATE).render(rules=[r for r in RULES if not r.retired]),
        source=page_source(page) if "lint:" in markdown else "", path=f"docs/{page.file.src_uri}",
    )
