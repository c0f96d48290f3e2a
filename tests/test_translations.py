"""翻译状态表的数据（studycol/render.py 的 _translations_context、studycol/translations.py）。不构建网站。"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from studycol import render, translations


def _page(path: Path, front: str, body: str = "正文。") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")


def test_many_untranslated_pages_in_a_folder_become_one_row_with_the_latest_date(tmp_path: Path):
    docs = tmp_path / "docs"
    _page(docs / "index.md", "title: 首页\nupdated: 2024-03-01\n")
    _page(docs / "index.en.md", "title: Home\ntranslated_from: 2024-02-01\n")
    for i in range(12):
        _page(docs / "cases" / f"c{i:02d}.md", "title: 案例\n" + ("updated: 2024-05-06\n" if i == 7 else ""))
    _page(docs / "guide" / "a.md", "title: 指南甲\n")
    ctx = render._translations_context({"docs_dir": str(docs), "git_dates": {}})
    rows = ctx["rows"]
    folder = [r for r in rows if isinstance(r, translations.Folder)]
    assert [(f.folder, f.count, f.latest) for f in folder] == [("cases/", 12, dt.date(2024, 5, 6))]
    by_source = {r.source: r for r in rows if isinstance(r, translations.Status)}
    # 单独列出的页面仍显示 front matter 中的标题和状态
    assert by_source["index.md"].title == "首页" and by_source["index.md"].state == "outdated"
    assert by_source["guide/a.md"].title == "指南甲" and by_source["guide/a.md"].state == "untranslated"
    assert ctx["total"] == 14 and ctx["counts"]["untranslated"] == 13
