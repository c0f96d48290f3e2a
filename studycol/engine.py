"""专栏核心与构建引擎之间的接口：引擎无关的“页面”和“一遍构建”。

核心（studycol.pipeline 和 studycol/steps/）只通过这里的类型认识引擎：页面有源文件路径、网址、标题、
元数据、语言、输出路径和源文件全文；一遍构建有目录、语言、配置中的几项和渲染模板用的 Jinja 环境。
MkDocs（或 ProperDocs）的胶水层 hooks/column.py 把自己的对象包成这些类型；换用别的引擎时只需另写一份胶水。
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment


class Page(Protocol):
    """一个页面，由引擎提供。title 要在页面转换之后才确定，所以是属性，随时去引擎那里取。"""

    @property
    def src_uri(self) -> str: ...  # 相对 docs/ 的源文件路径，如 cases/2024-x.md

    @property
    def url(self) -> str: ...  # 站内地址，目录式（cases/2024-x/）或文件式（U 盘版：cases/2024-x/index.html）

    @property
    def title(self) -> str: ...

    @property
    def meta(self) -> Mapping[str, Any]: ...  # front matter

    @property
    def locale(self) -> str: ...  # 页面的语言：英文页 en；英文版中回退显示的中文页仍是 zh

    @property
    def dest(self) -> str | None: ...  # 输出文件的绝对路径

    @property
    def source(self) -> str: ...  # 源文件全文（含 front matter，换行为 \n），报错时按它算行号


@dataclasses.dataclass(frozen=True)
class SourceFile:
    """引擎列出的一个源文件（页面、静态文件）。"""

    src_uri: str
    abs_path: str | None
    is_page: bool
    generated: bool = False  # 由插件生成、不在 docs/ 中的文件


@dataclasses.dataclass
class Pass:
    """一遍构建：mkdocs-static-i18n 为每种语言把全部事件重跑一遍，每遍一个 Pass。

    first 为真表示默认语言这一遍（一次构建的开始）；其他语言的各遍属于同一次构建。
    """

    root: Path  # mkdocs.yml 所在的目录
    docs_dir: Path
    site_dir: Path
    language: str  # 主题的界面语言（zh、en）
    first: bool
    strict: bool
    site_url: str
    extra: dict[str, Any]  # 配置中的 extra（可以改动：部署单位信息、U 盘版的垫片由核心写入）
    mdx_configs: Mapping[str, Any]
    make_env: Callable[[], Environment]  # 主题的 Jinja 环境（每次调用新建一个）
    config_name: str = "mkdocs.yml"  # 配置文件的文件名（发布清单中说明改哪个文件）
    other_languages: tuple[str, ...] = ()  # 默认语言之外要构建的语言（网址前缀，如 en）
    # 这一遍的源文件 → 站内地址，由胶水层在引擎列出文件后填入（地址随时去引擎那里取，引擎之后还可能改动它）。
    # file_url 按源文件路径逐字对应；lookup 按引擎自己的查找（多语言时，中文路径在英文那一遍找到英文页面）
    file_url: Callable[[str], str | None] = lambda src_uri: None
    lookup: Callable[[str], str | None] = lambda src_uri: None

    @functools.cached_property
    def env(self) -> Environment:
        """渲染内容数据的环境（自动转义），每遍只建一次。"""
        from .render import content_env

        return content_env(self.make_env())


class Stop(Exception):
    """构建无法继续：消息是给编辑看的中文说明（文件:行: …）。胶水层把它换成引擎自己的错误类型。"""


def relative_url(url: str, other: str) -> str:
    """站内地址 url 相对于页面地址 other 的链接（与 MkDocs 的算法相同：other 最后一段含点时视为文件名）。"""
    head, _, last = other.rpartition("/")
    if "." in last:
        other = head
    base, dest = _parts(other), _parts(url)
    common = 0
    for a, b in zip(base, dest):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(base) - common) + dest[common:]) or "."
    return rel + "/" if url.endswith("/") else rel


def _parts(path: str) -> list[str]:
    out: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if out:
                out.pop()
        else:
            out.append(part)
    return out
