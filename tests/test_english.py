"""英文版：译本与原文结构一致、英文标签、回退提示、语言切换停留在同一页面、翻译状态页。"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import REPO, build, copy_site
from studycol import notice as nm
from studycol import translations


@pytest.fixture(scope="module")
def zh() -> nm.Notice:
    return nm.load_notice(REPO / "data" / "notice.yml")


@pytest.fixture(scope="module")
def en() -> nm.EnNotice:
    return nm.load_notice_en(REPO / "data" / "notice.en.yml")


def test_translation_matches_structure(zh, en):
    assert nm.translation_problems(zh, en) == []


def test_translation_problems_detected(zh, en):
    data = en.model_dump()
    part = data["parts"][4]
    part["sentences"].pop("n4-1-3")
    part["sentences"]["n4-1-9"] = "Extra."
    data["parts"][1]["title"] = None
    problems = nm.translation_problems(zh, nm.EnNotice.model_validate(data))
    text = "；".join(problems)
    assert "缺少 n4-1-3" in text and "多出 n4-1-9" in text and "部分 n1 有标题" in text


def test_english_labels(zh, en):
    labels = {t.id: t for t in nm.targets_en(zh, en)}
    assert labels["n4-1-2"].label == "Notice, Part IV, para. 1, sentence 2"
    assert labels["n4-1-2"].text.startswith("Major hidden hazards shall be closely watched")
    assert labels["n0-1"].label == "Notice, Preamble"


def test_no_chinese_left_in_translation(en):
    for part in en.parts:
        for sid, text in part.sentences.items():
            assert not re.search(r"[\u4e00-\u9fff]", text), sid


def test_translation_status_states():
    import datetime as dt

    pages = {
        "a.md": ("甲", {}),
        "a.en.md": ("A", {"translated_from": dt.date(2026, 1, 1)}),
        "b.md": ("乙", {}),
        "c.md": ("丙", {}),
        "c.en.md": ("C", {}),
    }
    dates = {"a.md": dt.date(2026, 2, 1), "b.md": dt.date(2026, 1, 1), "c.md": dt.date(2026, 1, 1), "c.en.md": dt.date(2026, 3, 1)}
    rows = {r.source: r.state for r in translations.statuses(pages, dates.get)}
    assert rows == {"a.md": "outdated", "b.md": "untranslated", "c.md": "current"}


@pytest.mark.slow
def test_english_pages_built(built_site: Path):
    notice = (built_site / "en" / "notice" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in notice
    assert "Unofficial translation" in notice and "The Chinese original prevails" in notice
    zh = nm.load_notice(REPO / "data" / "notice.yml")
    for target in nm.targets(zh):
        assert f'id="{target.id}"' in notice, target.id
    assert "Major hidden hazards shall be closely watched" in notice
    # 英文首页上的引用用英文标签
    home = (built_site / "en" / "index.html").read_text(encoding="utf-8")
    assert ">Notice, Part II, para. 1, sentence 5</a>" in home
    # 未翻译的页面：显示中文原文，并有英文提示
    guide = (built_site / "en" / "guide" / "index.html").read_text(encoding="utf-8")
    assert "has not been translated into English yet" in guide and "编辑指南" in guide
    assert "has not been translated" not in notice
    # 语言菜单指向同一页面的另一语言版本
    assert re.search(r'href="\.\./\.\./notice/"[^>]*hreflang="zh"|hreflang="zh"[^>]*href="\.\./\.\./notice/"', notice)
    zh_notice = (built_site / "notice" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="\.\./en/notice/"[^>]*hreflang="en"|hreflang="en"[^>]*href="\.\./en/notice/"', zh_notice)


@pytest.mark.slow
def test_translation_status_page(built_site: Path):
    html = (built_site / "translations" / "index.html").read_text(encoding="utf-8")
    assert "notice/index.en.md" in html and "已翻译" in html and "未翻译" in html


@pytest.mark.slow
def test_broken_translation_fails_build(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    data = src / "data" / "notice.en.yml"
    text = data.read_text(encoding="utf-8").replace("      n4-1-2: >-", "      n4-1-7: >-", 1)
    data.write_text(text, encoding="utf-8")
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    assert "data/notice.en.yml 与 data/notice.yml 的结构不一致" in result.stderr and "缺少 n4-1-2" in result.stderr
