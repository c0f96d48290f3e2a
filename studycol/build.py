"""一次构建：它的内容（studycol.content）和报告口（studycol.problems）。

mkdocs-static-i18n 在同一条命令中为每种语言把全部事件重跑一遍；这些“遍”属于同一次构建，共用同一份
内容和同一个报告口（同一问题只报告一次）。mkdocs serve 的每次重建读一份新的配置，是新的一次构建。
流水线（studycol.pipeline）在每一遍开始时调用 ``begin``，默认语言那一遍开始新的一次构建。
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from studycol import problems
from studycol.content import Content
from studycol.problems import Emit, Reporter


@dataclasses.dataclass
class Build:
    content: Content
    reporter: Reporter


_current: Build | None = None
_owner: object = None


def begin(config: object, first_pass: bool, root: Path, docs_dir: Path | None = None, emit: Emit | None = None) -> Build:
    """config：这次构建的配置对象；first_pass 为假表示 i18n 为其他语言发起的内部构建（同一次构建）。"""
    global _current, _owner
    if _current is None or (first_pass and config is not _owner):
        _owner = config
        _current = Build(Content(root, docs_dir), problems.use(Reporter(emit)))
    return _current


def current() -> Build:
    if _current is None:
        raise RuntimeError("构建尚未开始：先调用 studycol.build.begin")
    return _current
