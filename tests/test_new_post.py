"""make new-post（tools/new_post.py）：生成的文件通过构建时的规则；缺项、将来的日期、重名都不写文件。"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

import new_post  # noqa: E402

from studycol import news  # noqa: E402

TODAY = dt.date(2026, 12, 3)
ARGS = [
    "--date", "2024-03-01", "--slug", "shili-xuexihui", "--category", "2", "--title", "示例局召开学习会：虚构",
    "--description", "虚构的测试用动态摘要，不发布。", "--body", "虚构的测试用正文。",
    "--publisher", "示例局", "--source-title", "示例局工作简报", "--source-date", "2024-03-01",
]


def test_writes_a_valid_post(tmp_path):
    assert new_post.main(ARGS, interactive=False, news_dir=tmp_path, today=TODAY) == 0
    path = tmp_path / "2024-03-01-shili-xuexihui.md"
    pf = news.parse_post(path.read_text(encoding="utf-8"), "news/" + path.name, TODAY)
    assert pf.post.category == "本地区动态" and pf.post.title == "示例局召开学习会：虚构"
    assert pf.post.sources[0].publisher == "示例局" and pf.post.sources[0].url == ""


def test_missing_fields_listed_without_writing(tmp_path, capsys):
    assert new_post.main(["--date", "2024-03-01"], interactive=False, news_dir=tmp_path, today=TODAY) == 2
    err = capsys.readouterr().err
    assert "--publisher" in err and "--source-date" in err and not list(tmp_path.iterdir())


def test_future_date_and_mirror_url_refused(tmp_path, capsys):
    future = [*ARGS]
    future[1] = "2099-01-01"
    assert new_post.main(future, interactive=False, news_dir=tmp_path, today=TODAY) == 1
    assert "NEWS-2" in capsys.readouterr().err
    assert new_post.main([*ARGS, "--source-url", "https://mirror.example.com/a"], interactive=False, news_dir=tmp_path, today=TODAY) == 1
    assert "政府网站" in capsys.readouterr().err and not list(tmp_path.iterdir())


def test_does_not_overwrite(tmp_path):
    assert new_post.main(ARGS, interactive=False, news_dir=tmp_path, today=TODAY) == 0
    assert new_post.main(ARGS, interactive=False, news_dir=tmp_path, today=TODAY) == 1


def test_asks_in_a_terminal(tmp_path):
    answers = iter(["2024-03-01", "Bad Slug", "shili", "9", "1", "示例局动态：虚构", "虚构的测试用动态摘要，不发布。", "虚构的测试用正文。",
                    "示例局", "示例局工作简报", "2024-03-01", ""])
    assert new_post.main([], read=lambda prompt: next(answers), interactive=True, news_dir=tmp_path, today=TODAY) == 0
    assert (tmp_path / "2024-03-01-shili.md").is_file()
