"""工作动态（docs/news/ 下每条动态一个 Markdown 文件）：模型、读取、排序、列表。

一条动态的 front matter 写它的日期、栏目（国家局动态、本地区动态、企业动态）和来源；正文是编辑写的报道。
规则（构建时检查，违反时报告“文件:行: 说明（规则编号）”）：

- NEWS-1：front matter 不合规（缺项、日期不存在、栏目不在词表中、来源不全）；
- NEWS-2：日期晚于今天（动态只报道已经发生的事）；
- NEWS-3：正文为空。

动态只写有来源的事实：每条至少一个来源（发布单位、标题、日期），公开页面按原发布单位、标题和日期注明。
RSS 和 JSON 订阅由 mkdocs-rss-plugin 按 front matter 的 date 生成（mkdocs.yml 的 rss 插件）。
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .yamlsrc import DataError, SourceError, decode_source, parse_yaml, validate

NEWS_DIR = "news"
INDEX_NAMES = frozenset({"index.md", "index.en.md"})
TEMPLATE = "news-post.html"

# 栏目：顺序即列表页上分组的顺序
CATEGORIES: tuple[str, ...] = ("国家局动态", "本地区动态", "企业动态")
LOCAL_CATEGORY = "本地区动态"
Category = Literal["国家局动态", "本地区动态", "企业动态"]

# 首页列出的最新动态条数
LATEST_LIMIT = 5


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """动态所依据的原始材料：原发布单位、标题和日期。url 只写官方网站上的原始地址（可不写）。"""

    publisher: str = Field(min_length=2)
    title: str = Field(min_length=2)  # 原标题，不含文号
    doc_number: str = ""  # 文号（有的话），如 矿安〔2024〕2号
    date: dt.date
    url: str = ""

    @field_validator("url")
    @classmethod
    def _official(cls, v: str) -> str:
        if v and not re.fullmatch(r"https://[a-z0-9.-]+\.gov\.cn(/[^\s<>\"']*)?", v):
            raise ValueError("来源地址只写政府网站（.gov.cn）上的原始页面，以 https:// 开头；转载、镜像网站的地址不写")
        return v


class Post(_Strict):
    title: str = Field(min_length=4, max_length=60)
    date: dt.date
    category: Category
    description: str = Field(min_length=10, max_length=200)
    template: Literal["news-post.html"]
    sources: tuple[Source, ...]

    @field_validator("sources")
    @classmethod
    def _some_source(cls, v: tuple[Source, ...]) -> tuple[Source, ...]:
        if not v:
            raise ValueError("至少写一个来源：原发布单位、标题和日期")
        return v

    @field_validator("title")
    @classmethod
    def _no_period(cls, v: str) -> str:
        if v.endswith("。"):
            raise ValueError("标题末尾不加句号")
        return v


@dataclasses.dataclass(frozen=True)
class PostFile:
    post: Post
    rel: str  # 相对 docs/ 的路径，如 news/2024-01-22-kuang-an-2.md
    path: str  # 报告用的路径，如 docs/news/2024-01-22-kuang-an-2.md

    @property
    def is_local(self) -> bool:
        return self.post.category == LOCAL_CATEGORY


@dataclasses.dataclass
class NewsSet:
    posts: list[PostFile]  # 按日期从新到旧
    problems: list[SourceError]

    @property
    def newest(self) -> dt.date | None:
        return self.posts[0].post.date if self.posts else None

    def latest(self, n: int = LATEST_LIMIT) -> list[PostFile]:
        return self.posts[:n]

    def local(self) -> list[PostFile]:
        return [p for p in self.posts if p.is_local]

    def by_category(self) -> list[tuple[str, list[PostFile]]]:
        return [(c, [p for p in self.posts if p.post.category == c]) for c in CATEGORIES]


def _split(text: str, path: str) -> tuple[str, str, int]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise DataError([SourceError(path, 1, "文件第一行必须是“---”，后面是 front matter（日期、栏目、来源），再以“---”结束；请用 make new-post 生成文件（NEWS-1）")])
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "\n".join(lines[1:i]) + "\n", "\n".join(lines[i + 1 :]), i + 2
    raise DataError([SourceError(path, 1, "front matter 没有结束：请在日期、栏目、来源之后单独写一行“---”（NEWS-1）")])


def parse_post(text: str, rel: str, today: dt.date, display_prefix: str = "docs/") -> PostFile:
    """校验一条动态；有问题时抛出 DataError（全部问题）。"""
    path = display_prefix + rel
    yaml_text, body, body_line = _split(text.replace("\r\n", "\n"), path)
    src = parse_yaml(yaml_text, path, line_offset=1)
    if not isinstance(src.data, dict):
        raise DataError([SourceError(path, 2, "front matter 应为“字段: 值”的结构；请用 make new-post 生成文件（NEWS-1）")])
    try:
        post = validate(Post, src)
    except DataError as exc:
        raise DataError([SourceError(e.path, e.line, f"{e.message}（NEWS-1）") for e in exc.errors]) from None
    problems: list[SourceError] = []
    if post.date > today:
        problems.append(SourceError(path, src.line_of(("date",)), f"日期 {post.date.isoformat()} 晚于今天：动态只报道已经发生的事（NEWS-2）"))
    if not re.sub(r"<!--.*?-->", "", body, flags=re.S).strip(" \n#"):
        problems.append(SourceError(path, body_line, "正文为空：请在 front matter 之后写这条动态的内容（NEWS-3）"))
    if problems:
        raise DataError(problems)
    return PostFile(post=post, rel=rel, path=path)


def post_paths(docs: Path) -> list[Path]:
    folder = docs / NEWS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.name not in INDEX_NAMES and not p.name.endswith(".en.md"))


def sort_posts(posts: Iterable[PostFile]) -> list[PostFile]:
    """从新到旧；同一天的按文件名倒序（文件名以日期开头，后写的排前面）。"""
    return sorted(posts, key=lambda p: (p.post.date, p.rel), reverse=True)


def load_news(docs: Path, today: dt.date, display_prefix: str = "docs/") -> NewsSet:
    posts: list[PostFile] = []
    problems: list[SourceError] = []
    for path in post_paths(docs):
        rel = path.relative_to(docs).as_posix()
        try:
            text = decode_source(path.read_bytes(), display_prefix + rel)
            posts.append(parse_post(text, rel, today, display_prefix))
        except DataError as exc:
            problems.extend(exc.errors)
    return NewsSet(sort_posts(posts), problems)


def date_zh(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def relative_link(from_uri: str, to_uri: str) -> str:
    """页面 from_uri（相对 docs/ 的源文件路径）中指向 to_uri 的 Markdown 链接。"""
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


@dataclasses.dataclass(frozen=True)
class ListItem:
    title: str
    link: str
    date: str  # ISO 日期，用于 <time datetime>
    date_text: str
    category: str


def list_items(posts: Iterable[PostFile], from_uri: str) -> list[ListItem]:
    return [
        ListItem(p.post.title, relative_link(from_uri, p.rel), p.post.date.isoformat(), date_zh(p.post.date), p.post.category)
        for p in posts
    ]
