"""工作动态、举报渠道、发布前检查：直接调用 studycol，不构建站点。"""

from __future__ import annotations

import datetime as dt
import json
import types
from pathlib import Path

import feedparser
import pytest

from studycol import news, portal, site
from studycol.yamlsrc import DataError

FIXTURES = Path(__file__).parent / "fixtures" / "news"
TODAY = dt.date(2026, 12, 3)


def parse(name: str) -> news.PostFile:
    return news.parse_post((FIXTURES / name).read_text(encoding="utf-8"), f"news/{name}", TODAY)


def problems(name: str) -> list[str]:
    with pytest.raises(DataError) as exc:
        parse(name)
    return [str(e) for e in exc.value.errors]


def test_good_post_passes():
    pf = parse("good.md")
    assert pf.post.date == dt.date(2024, 3, 1) and pf.is_local and pf.path == "docs/news/good.md"


@pytest.mark.parametrize(
    ("name", "rule", "line", "words"),
    [
        ("bad-category.md", "NEWS-1", 4, "category"),
        ("mirror-url.md", "NEWS-1", 11, "政府网站"),
        ("future-date.md", "NEWS-2", 3, "晚于今天"),
        ("empty-body.md", "NEWS-3", 12, "正文为空"),
    ],
)
def test_each_rule_fails_its_fixture_once(name, rule, line, words):
    found = problems(name)
    assert len(found) == 1, found
    assert found[0].startswith(f"docs/news/{name}:{line}: ") and found[0].endswith(f"（{rule}）") and words in found[0]


def _post(day: int, name: str, category: str = "国家局动态") -> news.PostFile:
    post = news.Post(
        title=f"示例动态{name}", date=dt.date(2024, 1, day), category=category, description="虚构的测试用动态摘要文字。",
        template="news-post.html", sources=[news.Source(publisher="示例局", title="示例简报", date=dt.date(2024, 1, day))],
    )
    return news.PostFile(post, f"news/2024-01-{day:02d}-{name}.md", f"docs/news/2024-01-{day:02d}-{name}.md")


def test_posts_sorted_newest_first_and_grouped():
    ns = news.NewsSet(news.sort_posts([_post(3, "a"), _post(20, "b", "本地区动态"), _post(9, "c")]), [])
    assert [p.post.date.day for p in ns.posts] == [20, 9, 3]
    assert ns.newest == dt.date(2024, 1, 20)
    assert [p.post.date.day for p in ns.local()] == [20]
    assert [c for c, _ in ns.by_category()] == list(news.CATEGORIES)
    assert len(ns.latest(2)) == 2


def test_load_news_reads_folder_and_collects_problems(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "index.md").write_text("# 工作动态\n", encoding="utf-8")
    for name in ("good.md", "future-date.md"):
        (folder / name).write_text((FIXTURES / name).read_text(encoding="utf-8"), encoding="utf-8")
    ns = news.load_news(tmp_path, TODAY)
    assert [p.rel for p in ns.posts] == ["news/good.md"]
    assert len(ns.problems) == 1 and "NEWS-2" in ns.problems[0].message


def test_list_items_link_relative_to_page():
    items = news.list_items([_post(3, "a")], "index.md")
    assert items[0].link == "news/2024-01-03-a.md" and items[0].date_text == "2024年1月3日"
    assert news.list_items([_post(3, "a")], "news/index.md")[0].link == "2024-01-03-a.md"


@pytest.mark.parametrize(
    ("page_url", "expected"),
    [("", "feed_rss_created.xml"), ("news/", "../feed_rss_created.xml"), ("guide/news/", "../../feed_rss_created.xml"),
     ("news/index.html", "../feed_rss_created.xml"), ("index.html", "feed_rss_created.xml")],
)
def test_feed_links_follow_page_url(page_url, expected):
    assert portal.url_relative(portal.FEED_RSS, page_url) == expected


# ---- 举报渠道和发布前检查 -------------------------------------------------------------


def ident(**report) -> site.Identity:
    values = {k: "x" for k in site.RELEASE_FIELDS}
    values.update(name="专栏", police_beian_url="https://example.invalid/", site_id_code="1234567890", report=report)
    return site.parse_identity({"column": values})


def test_report_keys_and_validation():
    r = ident(phone="0000-0000000、00000", url="https://example.invalid/jubao").report
    assert r.phone.startswith("0000") and not r.is_empty and r.has_channel
    with pytest.raises(ValueError, match="extra.column.report.phone"):
        ident(phone="请拨打热线")
    with pytest.raises(ValueError, match="extra.column.report.url"):
        ident(url="http://example.invalid/")
    with pytest.raises(ValueError, match="extra.column.report.fax"):
        ident(fax="1")


def test_report_may_be_left_out_or_empty():
    assert site.parse_identity({"column": {"name": "专栏"}}).report.is_empty
    assert site.parse_identity({"column": {"name": "专栏", "report": None}}).report.is_empty
    assert site.parse_identity({"column": {"name": "专栏", "report": {"phone": None}}}).report.is_empty


def test_checklist_blocks_without_report_channel():
    from studycol import release

    key = "extra.column"
    none = release.report_check(ident().report, key)
    assert none.blocking and none.title == "举报渠道"
    office_only = release.report_check(ident(office="示例局举报受理中心").report, key)
    assert office_only.blocking and "只写了受理机构" in office_only.detail
    ok = release.report_check(ident(address="示例省示例市示例路1号").report, key)
    assert not ok.blocking and "示例路1号" in ok.detail


def test_checklist_warns_on_stale_or_missing_news():
    from studycol import release

    key = "extra.column"
    assert release.news_check(TODAY - dt.timedelta(days=90), TODAY, 90, key).level == "信息"
    stale = release.news_check(TODAY - dt.timedelta(days=91), TODAY, 90, key)
    assert stale.level == "注意" and not stale.blocking and "90天" in stale.detail
    missing = release.news_check(None, TODAY, 90, key)
    assert missing.level == "注意" and not missing.blocking
    custom = site.parse_identity({"column": {**ident(phone="00000").model_dump(), "news_max_age_days": 200}})
    assert release.news_check(TODAY - dt.timedelta(days=150), TODAY, custom.news_max_age_days, key).level == "信息"


def test_feed_plugin_collects_once_per_build():
    dfm = types.SimpleNamespace(default_time=dt.datetime(1900, 1, 1, 9, 0))
    cfg = types.SimpleNamespace(date_from_meta=dfm, enabled=True)
    rss = types.SimpleNamespace(config=cfg, pages_to_filter=["上一遍的页面"])
    portal.feed_for_language_pass({"rss": rss}, first_pass=False)
    assert cfg.enabled is False  # 英文那一遍不再收集
    portal.feed_for_language_pass({"rss": rss}, first_pass=True)
    assert cfg.enabled is True and rss.pages_to_filter == [] and dfm.default_time == "09:00"
    portal.feed_for_language_pass({}, first_pass=True)  # 没有订阅插件时什么也不做


def test_feeds_lose_the_empty_image_the_plugin_writes(tmp_path):
    from studycol import portal

    rss = ('<?xml version="1.0" encoding="UTF-8" ?><?xml-stylesheet type="text/xsl" href="rss.xsl"?>'
           '<rss version="2.0"><channel><title>示例专栏</title><image><url>None</url><title>示例专栏</title></image>'
           '<item><title>示例局动态</title></item></channel></rss>')
    (tmp_path / "feed_rss_created.xml").write_text(rss, encoding="utf-8")
    (tmp_path / "feed_json_created.json").write_text('{"version": "https://jsonfeed.org/version/1.1", "icon": null, "items": []}', encoding="utf-8")
    assert len(portal.tidy_feeds(tmp_path)) == 2
    parsed = feedparser.parse((tmp_path / "feed_rss_created.xml").read_text(encoding="utf-8"))
    assert not parsed.bozo and "image" not in parsed.feed and parsed.entries[0].title == "示例局动态"
    assert "rss.xsl" in (tmp_path / "feed_rss_created.xml").read_text(encoding="utf-8")
    assert "icon" not in json.loads((tmp_path / "feed_json_created.json").read_text(encoding="utf-8"))
    assert portal.tidy_feeds(tmp_path) == []  # 再整理一遍不改动


def test_pages_outside_the_nav_belong_to_their_folder_index():
    nav = ["index.md", "news/index.md", "cases/index.md", "cases/local/index.md"]
    assert portal.section_index("news/2024-01-22-shili.md", nav) == "news/index.md"
    assert portal.section_index("cases/local/shili.md", nav) == "cases/local/index.md"
    assert portal.section_index("cases/2023/shili.md", nav) == "cases/index.md"
    assert portal.section_index("news/index.md", nav) is None
    assert portal.section_index("guide/shili.md", nav) is None
