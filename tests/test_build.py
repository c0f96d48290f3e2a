"""端到端：把真实站点（或修改过的副本）构建到临时目录，检查输出。"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from helpers import REPO, build, copy_site, html_pages
from studycol import notice as nm

pytestmark = pytest.mark.slow


def test_strict_build_has_both_languages(built_site: Path):
    assert (built_site / "index.html").exists()
    assert (built_site / "notice" / "index.html").exists()
    assert (built_site / "en" / "index.html").exists()
    assert (built_site / "search" / "search_index.json").exists()


def test_notice_ids_present_and_unique(built_site: Path):
    html = (built_site / "notice" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]+)"', html)
    dup = [i for i, n in Counter(ids).items() if n > 1]
    assert dup == [], f"重复的 id：{dup}"
    notice = nm.load_notice(REPO / "data" / "notice.yml")
    for target in nm.targets(notice):
        assert f'id="{target.id}"' in html, target.id


def test_notice_page_shows_every_sentence_and_no_marks(built_site: Path):
    html = (built_site / "notice" / "index.html").read_text(encoding="utf-8")
    notice = nm.load_notice(REPO / "data" / "notice.yml")
    for _, para in notice.paragraphs():
        for s in para.sentences:
            assert nm.strip_marks(s.text) in html
    assert "==" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)


def test_notice_page_has_metadata_and_collation(built_site: Path):
    html = (built_site / "notice" / "index.html").read_text(encoding="utf-8")
    for label in ("发文机关", "文号", "印发日期", "公开方式", "校勘记", "逐处明细"):
        assert label in html, label
    assert "矿安〔2024〕2号" in html
    # 索引号、主题分类原件未载：不编造，也不显示占位文字，整行不显示
    assert "索引号" not in html and "主题分类" not in html and "待编辑填写" not in html


def test_every_heading_has_ascii_id(built_site: Path):
    for page in html_pages(built_site):
        html = page.read_text(encoding="utf-8")
        article = html.split('<article', 1)[-1].split("</article>", 1)[0]
        for level, attrs in re.findall(r"<h([1-6])([^>]*)>", article):
            m = re.search(r'id="([^"]*)"', attrs)
            if level == "1" and not m:
                continue  # Material 自动加的页面标题
            assert m, f"{page}: h{level} 没有 id"
            assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", m.group(1)), f"{page}: 标题 id“{m.group(1)}”不是稳定的 ASCII id"


def test_no_foreign_hosts_in_output(built_site: Path):
    """页面加载的资源（src、<link href>）只能来自本站；普通超链接（<a href>）可以指向外部来源。"""
    for page in html_pages(built_site):
        html = page.read_text(encoding="utf-8")
        loaded = re.findall(r'\ssrc="(https?://[^"]+)"', html) + re.findall(r'<link\b[^>]*\shref="(https?://[^"]+)"', html)
        for url in loaded:
            assert url.startswith("http://127.0.0.1"), f"{page.relative_to(built_site)} 加载了外部资源 {url}"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_footer_hides_empty_values(built_site: Path):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert "column-footer" in html
    assert "主办单位" not in html.split("column-footer", 1)[1]


def test_gov_meta_tags(built_site: Path):
    html = (built_site / "notice" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="SiteName"' in html and '<meta name="ColumnName"' in html
    assert '<meta name="PubDate" content="2024-01-22"' in html
    assert '<meta name="ContentSource" content="国家矿山安全监察局"' in html


# ---- 修改过的副本 --------------------------------------------------------------


def _set_identity(mkdocs_yml: Path, **values: str) -> None:
    text = mkdocs_yml.read_text(encoding="utf-8")
    for key, value in values.items():
        text, n = re.subn(rf'(\n    {key}: )"[^"]*"', rf'\g<1>"{value}"', text)
        assert n == 1, key
    mkdocs_yml.write_text(text, encoding="utf-8")


def test_release_build_refuses_empty_footer(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    result = build(src, tmp_path / "out", env={"RELEASE": "1"})
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert "发布构建" in out and "主办单位" in out and "ICP备案号" in out
    assert "Traceback" not in out


def test_release_build_with_full_identity(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    _set_identity(
        src / "mkdocs.yml",
        operator="测试主办单位",
        undertaker="测试承办单位",
        contact="010-00000000",
        site_id_code="0000000000",
        icp="测ICP备00000000号",
        police_beian="测公网安备00000000000000号",
        police_beian_url="https://example.invalid/beian",
        site_domain="www.example.invalid",
    )
    # 发布清单的其他必备项：举报渠道、《硬措施》正文的豁免、待核实内容连同提示发布；网站地址用 https
    text = (src / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace('\n    site_domain: "www.example.invalid"', '\n    site_domain: "www.example.invalid"\n    report: {phone: "010-00000000"}\n'
                        '    publish_unverified: true\n    release_waivers: {hard_measures: true}')
    (src / "mkdocs.yml").write_text(text, encoding="utf-8")
    result = build(src, tmp_path / "out", env={"RELEASE": "1", "SITE_URL": "https://www.example.gov.cn/column/"})
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "测试主办单位" in html and 'href="https://beian.miit.gov.cn/"' in html
    assert '<meta name="SiteIDCode" content="0000000000">' in html


def test_province_deployment_reads_region(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    text = (src / "mkdocs.yml").read_text(encoding="utf-8").replace("region: 全国", "region: 山西省")
    (src / "mkdocs.yml").write_text(text, encoding="utf-8")
    assert build(src, tmp_path / "out").returncode == 0
    assert "山西省" in (tmp_path / "out" / "about" / "index.html").read_text(encoding="utf-8")


def test_bad_region_fails_with_chinese_message(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    text = (src / "mkdocs.yml").read_text(encoding="utf-8").replace("region: 全国", "region: 山西")
    (src / "mkdocs.yml").write_text(text, encoding="utf-8")
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    assert "extra.column.region" in result.stderr and "山西省" in result.stderr


def test_unrecorded_notice_edit_fails_build(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    data = src / "data" / "notice.yml"
    data.write_text(data.read_text(encoding="utf-8").replace("实行==台账化管理==", "实行==清单化管理==", 1), encoding="utf-8")
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    assert "未登记的差异" in result.stderr and "n4-1-2" in result.stderr


def test_unknown_marker_fails_with_file_and_line(tmp_path: Path):
    """行号是源文件中的行（含 front matter），路径带 docs/；两种语言的构建合起来只报告一次。"""
    src = copy_site(tmp_path / "src")
    page = src / "docs" / "about.md"
    text = page.read_text(encoding="utf-8") + "\n<!-- column:no-such-thing -->\n"
    page.write_text(text, encoding="utf-8")
    line = text.splitlines().index("<!-- column:no-such-thing -->") + 1
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    expected = f"docs/about.md:{line}: 未知的标记“column:no-such-thing”"
    assert result.stderr.count(expected) == 1, result.stderr[-3000:]
    assert "（MARK-1）" in result.stderr


def test_missing_jieba_fails_build(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "jieba.py").write_text("raise ImportError('模拟未安装')\n", encoding="utf-8")
    result = build(src, tmp_path / "out", env={"PYTHONPATH": str(shadow)})
    assert result.returncode != 0
    assert "jieba" in result.stderr and "中文搜索" in result.stderr


def test_broken_anchor_fails_strict(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    page = src / "docs" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[坏链接](notice/index.md#n8-8-8)\n", encoding="utf-8")
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    assert "n8-8-8" in result.stderr
