"""只在用到它们的页面上加载的样式和脚本。

测验、分类索引的“显示更多”和任务筛选的样式、脚本只有少数页面用得着。放在 mkdocs.yml 的 extra_css、
extra_javascript 中会让每个页面（包括首页）都下载它们；这里按页面渲染后的正文判断是否需要，
由 overrides/main.html 在 Material 的样式、脚本之后加上。判断依据是模板输出的类名或属性，
所以编辑在任何页面上用了测验标记，那个页面也会自动带上测验脚本。
"""

from __future__ import annotations

import dataclasses
import re


@dataclasses.dataclass(frozen=True)
class PageAssets:
    css: tuple[str, ...]
    js: tuple[str, ...]


# (文件, 种类, 正文中出现时需要它的标志)；同一种类按这里的顺序输出
RULES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("assets/stylesheets/quiz.css", "css", re.compile(r'class="quiz')),
    ("assets/javascripts/quiz.js", "js", re.compile(r'class="quiz')),
    ("assets/javascripts/tasks-filter.js", "js", re.compile(r"data-tasks-filter")),
    ("assets/javascripts/cases-more.js", "js", re.compile(r'class="cases-more"')),
)


def page_assets(content: str) -> PageAssets:
    """正文（page.content）需要的额外样式和脚本。"""
    needed = [(path, kind) for path, kind, pattern in RULES if pattern.search(content)]
    return PageAssets(
        css=tuple(p for p, k in needed if k == "css"),
        js=tuple(p for p, k in needed if k == "js"),
    )


def all_files() -> tuple[str, ...]:
    return tuple(path for path, _, _ in RULES)
