"""只在用到的页面上加载的样式和脚本：按正文判断；首页不下载测验、筛选、“显示更多”的文件。"""

from __future__ import annotations

from pathlib import Path

import pytest

from studycol import assets


def test_assets_follow_the_content():
    assert assets.page_assets("<p>普通页面</p>") == assets.PageAssets((), ())
    quiz = assets.page_assets('<form class="quiz" data-quiz="part-1">')
    assert quiz.css == ("assets/stylesheets/quiz.css",) and quiz.js == ("assets/javascripts/quiz.js",)
    both = assets.page_assets('<div class="tasks-filter" data-tasks-filter hidden></div><p class="cases-more" data-more="x.js">')
    assert both.js == ("assets/javascripts/tasks-filter.js", "assets/javascripts/cases-more.js")


def test_every_listed_file_exists():
    root = Path(__file__).resolve().parent.parent / "docs"
    assert all((root / f).is_file() for f in assets.all_files())


def _html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_pages_load_only_what_they_use(built_site: Path):
    home = _html(built_site, "")
    for name in ("quiz.js", "quiz.css", "tasks-filter.js", "cases-more.js"):
        assert name not in home, name
    quiz = _html(built_site, "quiz/part-1")
    assert 'href="../../assets/stylesheets/quiz.css"' in quiz and 'src="../../assets/javascripts/quiz.js"' in quiz
    assert "tasks-filter.js" in _html(built_site, "tasks") and "quiz.js" not in _html(built_site, "tasks")
    # 英文版中回退显示的测验页同样带上测验脚本
    assert "assets/javascripts/quiz.js" in _html(built_site, "en/quiz/part-1")
