"""页面的发布日期和更新日期：来自 front matter（pub_date、updated），缺少时取自 git 历史。

页面上显示中文日期（2024年1月22日），机器可读的属性和 PubDate 元数据用 ISO 形式（2024-01-22）。
不编造日期：front matter 没写、git 也查不到（非 git 检出、浅克隆、尚未提交的新文件）时，不显示日期。
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

DATE_FIELDS = ("pub_date", "updated")
_LABELS = {"pub_date": "发布日期", "updated": "更新日期"}


class DateFields(BaseModel):
    """front matter 中与日期有关的字段（其余字段不在此校验）。"""

    model_config = ConfigDict(extra="ignore", strict=False)

    pub_date: dt.date | None = None
    updated: dt.date | None = None


@dataclasses.dataclass(frozen=True)
class PageDates:
    """一个页面要显示的日期。updated 只在晚于 published 时给出。"""

    published: dt.date | None = None
    updated: dt.date | None = None
    published_from_git: bool = False
    updated_from_git: bool = False

    @property
    def any(self) -> bool:
        return self.published is not None or self.updated is not None


@dataclasses.dataclass(frozen=True)
class GitDates:
    """一个文件在 git 历史中第一次和最后一次提交的日期（提交者日期）。"""

    first: dt.date
    last: dt.date


def chinese_date(d: dt.date) -> str:
    """2024-01-05 → 2024年1月5日（年份写全，月、日不补零）。"""
    return f"{d.year}年{d.month}月{d.day}日"


def _line_of_key(source: str, key: str) -> int:
    """front matter 中 key 所在的行号（从 1 开始）；找不到时返回 1。"""
    for number, line in enumerate(source.splitlines(), start=1):
        if re.match(rf"{re.escape(key)}\s*:", line):
            return number
        if number > 1 and line.strip() == "---":
            break
    return 1


def front_matter_dates(meta: Mapping[str, Any], src_path: str, source: str = "") -> DateFields:
    """校验 front matter 中的 pub_date / updated；不合规时抛出 ValueError（“文件:行: 中文说明”）。"""
    values = {k: meta[k] for k in DATE_FIELDS if k in meta and meta[k] not in (None, "")}
    for key, value in values.items():
        # YAML 把 2024-01-22 读成日期；带引号的字符串也接受，但只接受这一种写法
        if isinstance(value, dt.datetime):
            values[key] = value.date()
        elif isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            line = _line_of_key(source, key)
            raise ValueError(
                f"{src_path}:{line}: {key}（{_LABELS[key]}）“{value}”的写法不对；"
                "请写成 2024-01-22 这样的年-月-日形式（月、日两位）"
            )
    try:
        fields = DateFields.model_validate(values)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = str(err["loc"][0])
        line = _line_of_key(source, key)
        raise ValueError(
            f"{src_path}:{line}: {key}（{_LABELS.get(key, key)}）“{values.get(key)}”不是有效日期；"
            "请写成 2024-01-22 这样的年-月-日形式，并确认月份和日子存在"
        ) from None
    if fields.pub_date and fields.updated and fields.updated < fields.pub_date:
        line = _line_of_key(source, "updated")
        raise ValueError(
            f"{src_path}:{line}: 更新日期 {fields.updated.isoformat()} 早于发布日期 "
            f"{fields.pub_date.isoformat()}；请核对 updated 或 pub_date"
        )
    return fields


def resolve(fields: DateFields, git: GitDates | None) -> PageDates:
    """合并 front matter 与 git 历史：front matter 优先；更新日期只在晚于发布日期时给出。"""
    published, published_from_git = fields.pub_date, False
    if published is None and git is not None:
        published, published_from_git = git.first, True
    updated, updated_from_git = fields.updated, False
    if updated is None and git is not None:
        updated, updated_from_git = git.last, True
    if updated is not None and published is not None and updated <= published:
        updated, updated_from_git = None, False
    return PageDates(published, updated, published_from_git, updated_from_git)


def parse_git_log(output: str) -> dict[str, GitDates]:
    """解析 `git log --format=%x01%cs --name-only` 的输出（新提交在前）：路径 → 首次、末次提交日期。"""
    result: dict[str, GitDates] = {}
    current: dt.date | None = None
    for line in output.splitlines():
        if line.startswith("\x01"):
            current = dt.date.fromisoformat(line[1:].strip())
            continue
        path = line.strip()
        if not path or current is None:
            continue
        seen = result.get(path)
        # 新提交先出现：第一次见到的是最后一次提交，后面的逐步把 first 推早
        result[path] = GitDates(first=current, last=seen.last if seen else current)
    return result


def git_dates(repo: Path, docs_dir: Path) -> dict[str, GitDates]:
    """docs_dir 下每个文件（相对 docs_dir 的路径）的 git 提交日期。

    不是 git 检出、git 不可用、浅克隆（最早的提交并非真正的首次发布）时返回空字典，不报警告。
    """
    try:
        rel = docs_dir.resolve().relative_to(repo.resolve()).as_posix()
    except ValueError:
        return {}

    def git(*args: str) -> str | None:
        try:
            proc = subprocess.run(
                ["git", "-C", str(repo), *args],
                capture_output=True, text=True, encoding="utf-8", timeout=60,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return proc.stdout if proc.returncode == 0 else None

    shallow = git("rev-parse", "--is-shallow-repository")
    if shallow is None or shallow.strip() != "false":
        return {}
    out = git("-c", "core.quotepath=off", "log", "--format=%x01%cs", "--name-only", "--no-renames", "--", rel)
    if out is None:
        return {}
    prefix = rel.rstrip("/") + "/"
    return {p[len(prefix):]: d for p, d in parse_git_log(out).items() if p.startswith(prefix)}
