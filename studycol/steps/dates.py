"""页面日期的一步：为每个页面算出发布日期和更新日期，交给模板（overrides/partials/column/dates.html）显示。
逻辑在 studycol/pagedates.py；git 历史每次构建只查一次（各语言共用）。"""

from __future__ import annotations

from typing import Any

from studycol import pagedates
from studycol.engine import Page, Pass, Stop


class DatesStep:
    def __init__(self, p: Pass, cache: dict[str, dict[str, pagedates.GitDates]]) -> None:
        self.p = p
        self.cache = cache  # 一次构建共用：第一次用到时才查

    @property
    def git(self) -> dict[str, pagedates.GitDates]:
        if "git" not in self.cache:
            self.cache["git"] = pagedates.git_dates(self.p.root, self.p.docs_dir)
        return self.cache["git"]

    def context(self, page: Page) -> dict[str, Any]:
        try:
            fields = pagedates.front_matter_dates(page.meta, f"docs/{page.src_uri}", page.source)
        except ValueError as exc:
            raise Stop(str(exc)) from None
        return {"column_dates": pagedates.resolve(fields, self.git.get(page.src_uri)), "chinese_date": pagedates.chinese_date}
