"""翻译状态：哪些页面有英文版，哪些英文版比中文原文旧。"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

EN_SUFFIX = ".en.md"


@dataclasses.dataclass(frozen=True)
class Status:
    source: str  # 中文页面，相对 docs/ 的路径
    title: str
    translation: str | None  # 英文页面路径（若有）
    source_date: dt.date | None
    translation_date: dt.date | None
    translated_from: dt.date | None  # 英文页 front matter 声明的、翻译所依据的中文版日期

    @property
    def state(self) -> str:
        """untranslated / outdated / current / unknown"""
        if self.translation is None:
            return "untranslated"
        basis = self.translated_from or self.translation_date
        if basis is None or self.source_date is None:
            return "unknown"
        return "outdated" if self.source_date > basis else "current"


def git_dates(root: Path) -> dict[str, dt.date]:
    """一次 git log 取得每个文件最后一次提交的日期（相对仓库根的路径）。不是 git 仓库时返回空表。"""
    try:
        out = subprocess.run(
            ["git", "log", "--format=@%cs", "--name-only", "--no-renames", "--", "docs"],
            cwd=root, capture_output=True, text=True, timeout=60, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in out.splitlines():
        if line.startswith("@"):
            current = dt.date.fromisoformat(line[1:])
        elif line.strip() and current and line not in dates:
            dates[line] = current  # git log 从新到旧：第一次见到的就是最后修改日期
    return dates


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def statuses(
    pages: Mapping[str, tuple[str, Mapping]],
    dates: Callable[[str], dt.date | None],
) -> list[Status]:
    """pages：docs/ 下每个 Markdown 文件 → (标题, front matter)。dates：文件 → 最后修改日期。

    英文页 front matter 的 translated_from（翻译依据的中文版日期）优先于 git 日期。
    """
    out: list[Status] = []
    for src, (title, _meta) in sorted(pages.items()):
        if src.endswith(EN_SUFFIX):
            continue
        en = src[: -len(".md")] + EN_SUFFIX
        en_meta = pages.get(en, (None, {}))[1] if en in pages else None
        out.append(
            Status(
                source=src,
                title=title,
                translation=en if en in pages else None,
                source_date=_as_date((_meta or {}).get("updated")) or dates(src),
                translation_date=dates(en) if en in pages else None,
                translated_from=_as_date((en_meta or {}).get("translated_from")),
            )
        )
    return out
