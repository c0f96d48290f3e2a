"""构建中发现的问题：一种类型、一个报告口。

每条问题写成 ``docs/路径.md:行: 中文说明（规则编号）``，行号指编辑打开的源文件中的行（含 front matter）。
一次构建中，同一条问题只报告一次：mkdocs-static-i18n 会为每种语言把全部事件重跑一遍，
第二种语言再遇到的同一问题不再重复。

报告口本身不依赖 MkDocs：它把每条问题交给一个“输出”函数（MkDocs 胶水层传入日志的 warning，
测试传入列表的 append），严格模式是否因此失败由构建工具决定。
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Iterator

from .visible import escape_invisible


@dataclasses.dataclass(frozen=True)
class Problem:
    """一条面向编辑的问题：哪个文件、第几行、出了什么问题和怎么改、违反哪条规则。"""

    path: str
    line: int
    message: str
    rule: str = ""
    column: int = 0  # 1 起；0 表示不指明列（只有 YAML 读取器的报错给出列）

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.path else ""
        tail = f"（{self.rule}）" if self.rule and not self.message.endswith(f"（{self.rule}）") else ""
        return f"{where}{escape_invisible(self.message)}{tail}"


Emit = Callable[[str], None]


class Reporter:
    """一次构建的报告口：去重、计数，按出现顺序交给输出函数。"""

    def __init__(self, emit: Emit | None = None) -> None:
        self._emit: Emit = emit or logging.getLogger("mkdocs.studycol").warning
        self._seen: dict[str, None] = {}

    def report(self, problem: Problem | str) -> bool:
        """报告一条问题；同一条问题在本次构建中已报告过时不再输出，返回 False。

        消息中看不见的字符（零宽字符、方向控制字符）一律转义显示（\\u200d），编辑才看得出问题。
        """
        text = escape_invisible(str(problem))
        if text in self._seen:
            return False
        self._seen[text] = None
        self._emit(text)
        return True

    def report_all(self, problems: Iterable[Problem | str]) -> None:
        for p in problems:
            self.report(p)

    def __len__(self) -> int:
        return len(self._seen)

    def __iter__(self) -> Iterator[str]:
        return iter(self._seen)


_current = Reporter()


def use(reporter: Reporter) -> Reporter:
    """本次构建改用 reporter（studycol.build.begin 在每次新构建开始时调用）。"""
    global _current
    _current = reporter
    return reporter


def current() -> Reporter:
    """本次构建的报告口。"""
    return _current


def report(problem: Problem | str) -> bool:
    return _current.report(problem)
