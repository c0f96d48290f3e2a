"""翻译状态：哪些页面有英文版，哪些英文版比中文原文旧。"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
from collections.abc import Callable, Iterable, Mapping
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

    summary = False  # 不是合成的目录行（见 Folder）

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
        en = translation_of(src)
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


@dataclasses.dataclass(frozen=True)
class Folder:
    """同一目录下许多未翻译页面合成的一行（如几千个案例页），使状态表不随页面数增长。"""

    folder: str  # 相对 docs/ 的目录，以“/”结尾
    count: int
    latest: dt.date | None  # 其中最晚的中文修改日期
    state: str = "untranslated"
    summary: bool = True


COLLAPSE_LIMIT = 10  # 一个目录中未翻译的页面超过这么多时合成一行


def translation_of(src: str) -> str:
    """中文页面的英文版文件名（a/b.md → a/b.en.md）。"""
    return src[: -len(".md")] + EN_SUFFIX


def folder_of(src: str) -> str:
    """页面所在的目录（相对 docs/，以“/”结尾；顶层为空）。"""
    return src.rsplit("/", 1)[0] + "/" if "/" in src else ""


def folded_sources(sources: Iterable[str], limit: int = COLLAPSE_LIMIT) -> set[str]:
    """collapse 会合进目录行的中文页面：没有英文版，且同一目录中这样的页面超过 limit 个。只由文件名决定。

    这些页面在状态表中不显示标题，读取时可以不解析 front matter（只用得到其中的 updated）。
    """
    names = set(sources)
    untranslated: dict[str, list[str]] = {}
    for src in names:
        if not src.endswith(EN_SUFFIX) and translation_of(src) not in names:
            untranslated.setdefault(folder_of(src), []).append(src)
    return {src for f, srcs in untranslated.items() if f and len(srcs) > limit for src in srcs}


def collapse(rows: list[Status], limit: int = COLLAPSE_LIMIT) -> list[Status | Folder]:
    """一个目录中未翻译的页面超过 limit 个时，合成一行；已翻译、落后或无法判断的页面始终单独列出。

    合成的行放在该目录第一个被合并页面的位置，表格顺序因此不变。
    """
    untranslated: dict[str, list[Status]] = {}
    for r in rows:
        if r.state == "untranslated":
            untranslated.setdefault(folder_of(r.source), []).append(r)
    big = {f: rs for f, rs in untranslated.items() if f and len(rs) > limit}
    out: list[Status | Folder] = []
    placed: set[str] = set()
    for r in rows:
        f = folder_of(r.source)
        if r.state != "untranslated" or f not in big:
            out.append(r)
        elif f not in placed:
            placed.add(f)
            dates = [x.source_date for x in big[f] if x.source_date]
            out.append(Folder(f, len(big[f]), max(dates) if dates else None))
    return out
