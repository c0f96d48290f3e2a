"""专栏门户的端到端构建：订阅文件、首页入口、举报渠道、地方贯彻落实、一图读懂、问答；问答依据错误和缺少举报渠道时构建失败。

一份副本加上虚构的测试用动态和举报渠道（示例局，不发布）构建一次，多项检查共用它。
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from helpers import REPO, build, copy_site
from studycol import htmlscreen

pytestmark = pytest.mark.slow

NEWS_FIX = REPO / "tests" / "fixtures" / "news"
FAQ_FIX = REPO / "tests" / "fixtures" / "faq"


def _set_report(yml: Path, **values: str) -> None:
    text = yml.read_text(encoding="utf-8")
    for key, value in values.items():
        text, n = re.subn(rf'(\n      {key}: )""', rf'\g<1>"{value}"', text)
        assert n == 1, key
    yml.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = copy_site(tmp_path_factory.mktemp("portal") / "src")
    # 两条虚构的动态：一条本地区动态（2024-03-01），一条企业动态（2024-02-10，由本地区的那条改写）
    shutil.copy(NEWS_FIX / "good.md", src / "docs" / "news" / "2024-03-01-shili-local.md")
    text = (NEWS_FIX / "good.md").read_text(encoding="utf-8")
    text = text.replace("2024-03-01", "2024-02-10").replace("本地区动态", "企业动态").replace("示例局召开学习会", "示例企业开展自查")
    (src / "docs" / "news" / "2024-02-10-shili-qiye.md").write_text(text, encoding="utf-8")
    yml = src / "mkdocs.yml"
    _set_report(yml, office="示例局举报受理中心", phone="00000", address="示例省示例市示例路1号")
    yml.write_text(yml.read_text(encoding="utf-8").replace("region: 全国", "region: 湖南省"), encoding="utf-8")
    out = src.parent / "site"
    result = build(src, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def html(site: Path, rel: str) -> LexborHTMLParser:
    return LexborHTMLParser((site / rel).read_text(encoding="utf-8"))


def test_feeds_parse_and_list_posts_newest_first(site: Path):
    feed = feedparser.parse((site / "feed_rss_created.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20" and feed.feed.language == "zh"
    dates = [e.published_parsed[:3] for e in feed.entries]
    assert dates == [(2024, 3, 1), (2024, 2, 10), (2024, 1, 22)]  # 每条一次（英文版不重复收录），从新到旧
    titles = [e.title for e in feed.entries]
    assert titles[0].startswith("示例局召开学习会") and titles[-1] == "国家矿山安全监察局部署深入学习宣传贯彻《硬措施》"
    assert all("/news/" in e.link and "/en/" not in e.link for e in feed.entries)
    assert [t.term for t in feed.entries[0].tags] == ["本地区动态"]
    # JSON Feed 1.1（feedparser 6.0 不读 JSON Feed）：同样的条目、同样的顺序
    data = json.loads((site / "feed_json_created.json").read_text(encoding="utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["title"] for i in data["items"]] == titles
    assert [i["date_published"][:10] for i in data["items"]] == ["2024-03-01", "2024-02-10", "2024-01-22"]
    assert not (site / "en" / "feed_rss_created.xml").exists()


def test_home_reaches_every_section_in_one_click(site: Path):
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    sections = []
    for entry in config["nav"]:
        (title, target), = entry.items()
        first = target if isinstance(target, str) else next(iter(target[0].values())) if isinstance(target[0], dict) else target[0]
        sections.append((title, first))
    tree = html(site, "index.html")
    links = {a.attributes.get("href") for a in tree.css("article a")}
    for title, src in sections:
        if src == "index.md":
            continue
        url = src.removesuffix("index.md").removesuffix(".md") + ("/" if src.endswith(".md") and not src.endswith("index.md") else "")
        assert url in links, f"首页没有“{title}”的入口（{url}）"
    assert "#report" in links
    news = [li.text() for li in tree.css(".column-news li")]
    assert 1 <= len(news) <= 5 and news[0].startswith("2024年3月1日")
    assert tree.css_first("h1#home").text().startswith("学习宣传贯彻《硬措施》专栏")


def test_report_channels_in_footer_home_and_part_four(site: Path):
    for rel in ("index.html", "notice/index.html", "jiedu/part-4/index.html"):
        text = html(site, rel).body.text()
        assert "00000" in text and "示例省示例市示例路1号" in text, rel
    home = html(site, "index.html")
    assert home.css_first(".column-report") is not None and "网上举报" not in home.css_first(".column-report").text()


def test_local_page_lists_region_documents_posts_and_cases(site: Path):
    tree = html(site, "local/index.html")
    text = tree.body.text()
    assert "湘政办发〔2024〕10号" in text and "示例局召开学习会" in text and "示例企业开展自查" not in text
    assert "本地区案例（湖南省）" in text


def test_news_page_groups_by_category_and_post_shows_date_and_source(site: Path):
    tree = html(site, "news/index.html")
    assert [h.text().strip("¶") for h in tree.css("article h2")][:3] == ["国家局动态", "本地区动态", "企业动态"]
    post = html(site, "news/2024-01-22-kuangan-2024-2/index.html")
    assert post.css_first(".column-post-meta time").attributes["datetime"] == "2024-01-22"
    assert "矿安〔2024〕2号" in post.css_first(".column-post-sources").text()


def test_infographic_written_for_both_languages_and_static(site: Path):
    for rel in ("yitu/yitu-dudong.svg", "en/yitu/yitu-dudong.svg"):
        svg = (site / rel).read_text(encoding="utf-8")
        assert htmlscreen.scan_svg(svg) == [] and "谁要做什么" in svg
    img = html(site, "yitu/index.html").css_first(".column-yitu img")
    assert img.attributes["src"] == "yitu-dudong.svg" and len(img.attributes["alt"]) > 20


def test_faq_questions_are_anchored_and_searchable(site: Path):
    tree = html(site, "faq/index.html")
    ids = [h.attributes.get("id") for h in tree.css("article h3")]
    assert "faq-what" in ids and len(ids) >= 10
    parts = "".join(p.read_text(encoding="utf-8") for p in (site / "search").glob("part-*.js"))
    assert '"faq/#faq-what"' in parts


def test_broken_faq_citation_fails_the_build(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    shutil.copy(FAQ_FIX / "bad-quote.yml", src / "data" / "faq.yml")
    result = build(src, tmp_path / "out")
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "data/faq.yml:11: " in out and "（FAQ-3）" in out and "Traceback" not in out


RELEASE_ENV = {"RELEASE": "1", "SITE_URL": "https://www.example.gov.cn/column/", "STUDYCOL_TODAY": "2026-12-03"}


def _release_ready(tmp_path: Path) -> Path:
    """一份除举报渠道外都能发布的副本（虚构的页脚信息；《硬措施》正文先行发布的豁免；待核实内容连同提示发布）。"""
    src = copy_site(tmp_path / "src")
    yml = src / "mkdocs.yml"
    text = yml.read_text(encoding="utf-8")
    for key, value in {"operator": "示例局", "undertaker": "示例局办公室", "contact": "00000", "site_id_code": "0000000000",
                       "icp": "示例ICP备00000000号", "police_beian": "示例公网安备00000000000000号",
                       "police_beian_url": "https://example.invalid/", "site_domain": "www.example.invalid"}.items():
        text, n = re.subn(rf'(\n    {key}: )""', rf'\g<1>"{value}"', text)
        assert n == 1, key
    text = text.replace('\n    site_domain: "www.example.invalid"',
                        '\n    site_domain: "www.example.invalid"\n    publish_unverified: true\n    release_waivers: {hard_measures: true}')
    yml.write_text(text, encoding="utf-8")
    return src


def test_release_refuses_without_report_channel(tmp_path: Path):
    src = _release_ready(tmp_path)
    result = build(src, tmp_path / "out", env=RELEASE_ENV)
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "举报渠道：没有填写举报电话、邮箱、网址或来信地址" in out and "report" in out
    assert "页脚信息" not in out and "Traceback" not in out


def test_release_with_report_channel_builds_and_reminds_about_old_news(tmp_path: Path):
    src = _release_ready(tmp_path)
    yml = src / "mkdocs.yml"
    _set_report(yml, url="https://example.invalid/jubao")
    result = build(src, tmp_path / "out", env=RELEASE_ENV)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    checklist = subprocess.run([sys.executable, "-m", "studycol.release", "-f", str(yml)], capture_output=True, text=True,
                               cwd=src, env={**os.environ, **RELEASE_ENV}, timeout=120)
    assert checklist.returncode == 0, checklist.stdout + checklist.stderr
    assert "[注意] 工作动态：最新一条发布于2024年1月22日，已超过90天" in checklist.stdout
    footer = LexborHTMLParser((tmp_path / "out" / "faq" / "index.html").read_text(encoding="utf-8")).css_first(".column-footer")
    assert footer.css_first('a[href="https://example.invalid/jubao"]') is not None
