"""页面日期（studycol/pagedates.py）和每个页面头部的政府网站元数据。"""

from __future__ import annotations

import datetime as dt
import html.parser
import subprocess
from pathlib import Path

import pytest

from helpers import REPO, copy_site
import pagecheck
from studycol import pagedates

D = dt.date


def test_chinese_date_unpadded():
    assert pagedates.chinese_date(D(2024, 1, 5)) == "2024年1月5日"
    assert pagedates.chinese_date(D(2024, 11, 22)) == "2024年11月22日"


def test_front_matter_dates_accepts_yaml_dates_and_iso_strings():
    fields = pagedates.front_matter_dates({"pub_date": D(2024, 1, 22), "updated": "2024-03-01"}, "docs/a.md")
    assert fields.pub_date == D(2024, 1, 22) and fields.updated == D(2024, 3, 1)
    assert pagedates.front_matter_dates({}, "docs/a.md") == pagedates.DateFields()


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({"pub_date": "2024/1/22"}, "docs/a.md:3: pub_date（发布日期）“2024/1/22”的写法不对"),
        ({"pub_date": "2024-02-30"}, "docs/a.md:3: pub_date（发布日期）“2024-02-30”不是有效日期"),
        ({"pub_date": D(2024, 3, 1), "updated": D(2024, 1, 1)}, "docs/a.md:4: 更新日期 2024-01-01 早于发布日期 2024-03-01"),
    ],
)
def test_front_matter_dates_rejects_bad_values_with_file_and_line(meta, message):
    source = "---\ntitle: 甲\npub_date: x\nupdated: y\n---\n正文\n"
    with pytest.raises(ValueError) as err:
        pagedates.front_matter_dates(meta, "docs/a.md", source)
    assert str(err.value).startswith(message)


def test_resolve_prefers_front_matter_and_drops_update_not_later():
    git = pagedates.GitDates(first=D(2026, 1, 2), last=D(2026, 3, 4))
    only_git = pagedates.resolve(pagedates.DateFields(), git)
    assert (only_git.published, only_git.updated) == (D(2026, 1, 2), D(2026, 3, 4))
    assert only_git.published_from_git and only_git.updated_from_git
    fm = pagedates.resolve(pagedates.DateFields(pub_date=D(2024, 1, 22)), git)
    assert (fm.published, fm.updated, fm.published_from_git) == (D(2024, 1, 22), D(2026, 3, 4), False)
    same_day = pagedates.resolve(pagedates.DateFields(), pagedates.GitDates(D(2026, 1, 2), D(2026, 1, 2)))
    assert same_day.updated is None
    nothing = pagedates.resolve(pagedates.DateFields(), None)
    assert not nothing.any


def test_parse_git_log_first_and_last_commit():
    out = "\x012026-03-04\n\ndocs/a.md\n\x012026-02-01\n\ndocs/b.md\ndocs/a.md\n\x012026-01-02\n\ndocs/a.md\n"
    dates = pagedates.parse_git_log(out)
    assert dates["docs/a.md"] == pagedates.GitDates(first=D(2026, 1, 2), last=D(2026, 3, 4))
    assert dates["docs/b.md"] == pagedates.GitDates(first=D(2026, 2, 1), last=D(2026, 2, 1))


def test_git_dates_outside_git_and_in_shallow_clone_are_empty(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# 甲\n", encoding="utf-8")
    assert pagedates.git_dates(tmp_path, docs) == {}  # 不是 git 检出

    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_COMMITTER_DATE": "2026-01-02T00:00:00",
           "GIT_AUTHOR_DATE": "2026-01-02T00:00:00", "PATH": "/usr/bin:/bin"}
    run = lambda *a, cwd=tmp_path: subprocess.run(["git", *a], cwd=cwd, env=env, check=True, capture_output=True)  # noqa: E731
    run("init", "-q")
    run("add", ".")
    run("commit", "-q", "-m", "one")
    (docs / "a.md").write_text("# 甲\n\n乙\n", encoding="utf-8")
    env["GIT_COMMITTER_DATE"] = "2026-02-03T00:00:00"
    run("commit", "-q", "-am", "two")
    assert pagedates.git_dates(tmp_path, docs) == {"a.md": pagedates.GitDates(D(2026, 1, 2), D(2026, 2, 3))}

    shallow = tmp_path.parent / (tmp_path.name + "-shallow")
    subprocess.run(["git", "clone", "-q", "--depth", "1", tmp_path.as_uri(), str(shallow)], check=True, capture_output=True)
    assert pagedates.git_dates(shallow, shallow / "docs") == {}


class _Head(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.times: list[tuple[str, str]] = []
        self._time: str | None = None
        self._dates = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("name"):
            self.meta[a["name"]] = a.get("content") or ""
        if tag == "p" and "column-dates" in (a.get("class") or ""):
            self._dates += 1
        if tag == "time" and self._dates:
            self._time = a.get("datetime")

    def handle_data(self, data):
        if self._time is not None:
            self.times.append((self._time, data))
            self._time = None


def _has_date_source(path: str, git: dict[str, pagedates.GitDates]) -> bool:
    """页面的源文件有 pub_date，或已提交到 git（尚未提交的新页面没有日期来源，不显示日期）。"""
    rel = path[3:] if path.startswith("en/") else path
    stems = [rel.rstrip("/") + ".md", rel + "index.md"] if rel else ["index.md"]
    for name in stems + [s[:-3] + ".en.md" for s in stems]:
        if name in git:
            return True
        file = REPO / "docs" / name
        if file.is_file() and "\npub_date:" in file.read_text(encoding="utf-8").split("\n---", 1)[0]:
            return True
    return False


@pytest.mark.slow
def test_every_page_has_gov_metadata_and_content_pages_show_dates(built_site: Path):
    """每个页面头部有 SiteName、ColumnName、ColumnType、ArticleTitle、ContentSource，有日期来源的还有 PubDate；
    内容页（非首页）正文上方显示中文日期，datetime 属性为 ISO 日期。"""
    git = pagedates.git_dates(REPO, REPO / "docs")
    problems = []
    for path in pagecheck.site_pages(built_site):
        parser = _Head()
        parser.feed((built_site / path / "index.html").read_text(encoding="utf-8"))
        dated = _has_date_source(path, git)
        for name in ("SiteName", "ColumnName", "ColumnType", "ArticleTitle", "ContentSource") + (("PubDate",) if dated else ()):
            if not parser.meta.get(name):
                problems.append(f"{path or '首页'}: 缺少 <meta name={name}>")
        pub = parser.meta.get("PubDate", "")
        if pub:
            dt.date.fromisoformat(pub)
        for iso, text in parser.times:
            if pagedates.chinese_date(dt.date.fromisoformat(iso)) != text and iso != text:
                problems.append(f"{path}: 日期“{text}”与 datetime={iso} 不一致")
        if dated and path not in ("", "en/") and not parser.times:
            problems.append(f"{path}: 页面上没有发布日期")
    assert problems == [], "\n".join(problems)


@pytest.mark.slow
def test_front_matter_dates_shown_and_bad_date_fails_build(tmp_path: Path):
    from helpers import build

    src = copy_site(tmp_path / "src")
    about = src / "docs" / "about.md"
    text = about.read_text(encoding="utf-8")
    about.write_text(text.replace("---\n", "---\npub_date: 2024-01-22\nupdated: 2024-03-05\n", 1), encoding="utf-8")
    result = build(src, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert '发布日期：<time datetime="2024-01-22">2024年1月22日</time>' in page
    assert '更新日期：<time datetime="2024-03-05">2024年3月5日</time>' in page
    assert '<meta name="PubDate" content="2024-01-22">' in page

    about.write_text(text.replace("---\n", "---\npub_date: 2024/1/22\n", 1), encoding="utf-8")
    result = build(src, tmp_path / "site-bad")
    assert result.returncode == 1
    assert "docs/about.md:2: pub_date（发布日期）“2024/1/22”的写法不对" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
