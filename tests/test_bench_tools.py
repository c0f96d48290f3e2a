"""基准脚本自身的比较规则：前后对比的逐文件比较（bench/compare_commits.py）和编辑循环的页面核对（bench/editor_loop.py）。

“输出不变”和“拿到的页面正确”都由这两处判断；判断错了，性能改动的结论就不可信，所以直接测。
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from helpers import REPO

sys.path.insert(0, str(REPO / "bench"))

from compare_commits import diff_trees  # noqa: E402
from editor_loop import _comparable  # noqa: E402

RSS = (
    '<rss version="2.0"><channel><title>示例专栏</title>'
    "<pubDate>{now_rss}</pubDate><lastBuildDate>{now_rss}</lastBuildDate>"
    "<item><title>示例局动态</title><pubDate>{item_rss}</pubDate></item></channel></rss>"
)
JSON = '{{"items": [{{"id": "news/a/", "date_published": "{item_iso}", "date_modified": "{now_iso}"}}]}}'


def _site(root: Path, now: dt.datetime, item: dt.datetime) -> Path:
    root.mkdir()
    (root / "feed_rss_created.xml").write_text(
        RSS.format(now_rss=now.strftime("%a, %d %b %Y %H:%M:%S -0000"), item_rss=item.strftime("%a, %d %b %Y %H:%M:%S +0800")),
        encoding="utf-8",
    )
    (root / "feed_json_created.json").write_text(
        JSON.format(now_iso=now.isoformat(), item_iso=item.isoformat()), encoding="utf-8"
    )
    (root / "index.html").write_text("<p>示例</p>", encoding="utf-8")
    return root


def test_feeds_differing_only_in_build_time_are_the_same(tmp_path: Path) -> None:
    now = dt.datetime.now(dt.timezone.utc).replace(hour=12, minute=0, second=0, microsecond=123456)  # 加 11 秒仍在当天
    item = dt.datetime(2024, 1, 22, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    a = _site(tmp_path / "a", now, item)
    b = _site(tmp_path / "b", now + dt.timedelta(seconds=11), item)
    assert diff_trees(a, b) == []


def test_a_changed_item_date_in_a_feed_is_reported(tmp_path: Path) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    item = dt.datetime(2024, 1, 22, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    a = _site(tmp_path / "a", now, item)
    b = _site(tmp_path / "b", now, item + dt.timedelta(days=1))
    assert diff_trees(a, b) == ["内容不同：feed_json_created.json", "内容不同：feed_rss_created.xml"]


def test_other_files_are_compared_byte_for_byte(tmp_path: Path) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    a = _site(tmp_path / "a", now, now)
    b = _site(tmp_path / "b", now, now)
    (b / "index.html").write_text("<p>示例。</p>", encoding="utf-8")
    (b / "extra.html").write_text("", encoding="utf-8")
    assert diff_trees(a, b) == ["只在之后：extra.html", "内容不同：index.html"]


def test_editor_loop_ignores_only_the_livereload_build_number() -> None:
    page = "<p>示例</p><script>livereload(1733200000, 12);</script>"
    assert _comparable(page) == _comparable(page.replace("1733200000, 12", "1733200042, 13"))
    assert _comparable(page) != _comparable(page.replace("<p>示例</p>", '<p><span class="xref xref--broken">[[n1-1-3]]</span></p>'))
