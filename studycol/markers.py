"""页面中的生成标记：一种写法，一张登记表。

编辑在 Markdown 中写 ``<!-- 前缀:名称 -->`` 或 ``<!-- 前缀:名称 参数 -->``，构建时换成生成的内容，
例如 ``<!-- quiz:set part-1 -->``、``<!-- column:notice-body -->``。全部前缀和名称都登记在 ``REGISTRY`` 中；
不认识的名称报告为问题（MARK-1），行号是源文件中的行（含 front matter）。
不在登记表中的前缀不是标记，原样留作普通的 HTML 注释。
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from studycol.problems import Problem, report
from studycol.xref import code_spans

MARKER_RE = re.compile(r"<!--[ \t]*([a-z]+):([A-Za-z0-9_-]*)(?:[ \t]+([A-Za-z0-9-]+))?[ \t]*-->")

# 前缀 → 可用的名称。展开各前缀的代码在 studycol/steps/ 中（每个前缀一处），写法和报错都在这里。
REGISTRY: dict[str, tuple[str, ...]] = {
    "column": ("identity", "notice-head", "notice-meta", "notice-body", "notice-collation", "gongwen", "hard-measures", "translations",
               "news-latest", "news-list", "news-local", "report", "faq", "infographic",
               "local-documents"),
    "lint": ("rules",),
    "cases": ("local", "counts", "latest", "by-region", "by-category", "by-mine-type", "by-year", "vocab"),
    "quiz": ("set", "comprehensive", "paper", "papers", "sets", "downloads", "wrongbook"),
    "glossary": ("list",),
    "tasks": ("table", "checklist", "matrix", "part", "downloads"),
    "training": ("outline",),
    "jiedu": ("original",),
    "xref": ("documents", "coverage", "backlinks"),
}


@dataclasses.dataclass(frozen=True)
class Marker:
    prefix: str
    name: str
    arg: str | None
    raw: str
    line: int  # 源文件中的行号


class MarkerError(ValueError):
    """展开标记时发现的问题（如缺少参数）；message 是给编辑看的中文说明。"""

    def __init__(self, message: str, rule: str = "MARK-2") -> None:
        super().__init__(message)
        self.message = message
        self.rule = rule


def line_finder(markdown: str, source: str) -> Callable[[int, str], int]:
    """把 markdown 中的位置换算成源文件中的行号。

    交给页面事件的 Markdown 通常是源文件去掉 front matter 后的部分：按前面的行数平移即可。
    已被其他步骤改写过的（例如按模板生成的案例页面），就在源文件中找同样的文字；找不到时是第 1 行。
    """
    if source and source.endswith(markdown):
        offset = source.count("\n", 0, len(source) - len(markdown))
        return lambda pos, raw: offset + markdown.count("\n", 0, pos) + 1

    def find(pos: int, raw: str) -> int:
        at = source.find(raw) if raw else -1
        return source.count("\n", 0, at) + 1 if at >= 0 else 1

    return find


def expand(
    markdown: str,
    prefix: str,
    render: Callable[[Marker], str],
    *,
    source: str,
    path: str,
) -> str:
    """展开 markdown 中前缀为 prefix 的全部标记。

    render 返回替换文字；它抛出 MarkerError 时报告问题（带源文件行号），标记换成空白。
    path 是报告用的路径（如 ``docs/quiz/part-1.md``）。
    """
    if f"{prefix}:" not in markdown:
        return markdown
    names = REGISTRY[prefix]
    line_of = line_finder(markdown, source)
    masked = code_spans(markdown)  # 代码里的标记是给读者看的写法，不展开

    def one(match: re.Match[str]) -> str:
        if match.group(1) != prefix or any(a <= match.start() < b for a, b in masked):
            return match.group(0)
        marker = Marker(prefix, match.group(2), match.group(3), match.group(0), line_of(match.start(), match.group(0)))
        if marker.name not in names:
            report(Problem(
                path, marker.line,
                f"未知的标记“{prefix}:{marker.name}”；可用的有：" + "、".join(f"{prefix}:{n}" for n in names),
                "MARK-1",
            ))
            return ""
        try:
            return render(marker)
        except MarkerError as exc:
            report(Problem(path, marker.line, f"标记“{marker.raw}”：{exc.message}", exc.rule))
            return ""

    return MARKER_RE.sub(one, markdown)


def fill(html: str, prefix: str, render: Callable[[Marker], str]) -> str:
    """把渲染后的页面中留到最后的标记（展开时原样保留的，如 xref:backlinks）换成 render 的结果。

    这些标记在 Markdown 阶段已由 expand 核对过名称；代码中写的标记在 HTML 里已转义，不会被当作标记。
    """
    if f"{prefix}:" not in html:
        return html

    def one(match: re.Match[str]) -> str:
        if match.group(1) != prefix:
            return match.group(0)
        return render(Marker(prefix, match.group(2), match.group(3), match.group(0), 0))

    return MARKER_RE.sub(one, html)
