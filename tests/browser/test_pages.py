"""浏览器测试：每个页面只向本站请求资源、无控制台错误；窄屏不横向滚动；通知打印成 A4 公文。"""

from __future__ import annotations

import io
from collections import Counter
import unicodedata
from pathlib import Path

import pytest

from helpers import html_pages, serve

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serve(built_site) as url:
        yield url


def _visit(browser, url: str, path: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    foreign: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(url) and not r.url.startswith("data:") else None)
    page.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("response", lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    page.goto(url + path, wait_until="networkidle")
    return page, foreign, errors


def test_every_page_local_only_and_no_console_errors(browser, built_site: Path, site_url: str):
    pages = html_pages(built_site)
    assert len(pages) >= 8
    problems = []
    for file in pages:
        path = file.relative_to(built_site).as_posix()
        page, foreign, errors = _visit(browser, site_url, path)
        if foreign:
            problems.append(f"{path}: 外部请求 {foreign}")
        if errors:
            problems.append(f"{path}: {errors}")
        page.close()
    assert problems == []


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("path", ["", "notice/", "about/", "guide/"])
def test_no_horizontal_scroll_on_phones(browser, site_url: str, path: str, width: int):
    page, _, _ = _visit(browser, site_url, path, width=width)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.close()
    assert overflow <= 0, f"{path or '首页'} 在 {width}px 宽度下横向溢出 {overflow}px"


def test_notice_prints_as_a4_official_document(browser, site_url: str, tmp_path: Path):
    from pypdf import PdfReader

    page, _, _ = _visit(browser, site_url, "notice/")
    page.emulate_media(media="print")
    styles = page.evaluate(
        """() => {
          const visible = s => { const e = document.querySelector(s); return !!e && getComputedStyle(e).display !== 'none'; };
          const mark = getComputedStyle(document.querySelector('.gw-mark'));
          const body = getComputedStyle(document.querySelector('.gw-p'));
          const rule = getComputedStyle(document.querySelector('.gw-redline'));
          return {header: visible('.md-header'), sidebar: visible('.md-sidebar--primary'),
                  toc: visible('.md-sidebar--secondary'), footer: visible('.md-footer'),
                  collation: visible('#collation'), markColor: mark.color, ruleColor: rule.borderTopColor,
                  bodyFont: body.fontFamily, bodySize: parseFloat(body.fontSize)};
        }"""
    )
    assert not styles["header"] and not styles["sidebar"] and not styles["toc"] and not styles["footer"]
    assert not styles["collation"]
    assert styles["markColor"] == "rgb(192, 0, 0)" and styles["ruleColor"] == "rgb(192, 0, 0)"
    assert "FangSong" in styles["bodyFont"]
    # 156 mm / 28 ≈ 21.06 px（约 15.8 pt，三号字）
    assert 20.5 < styles["bodySize"] < 21.5
    pdf_bytes = page.pdf(prefer_css_page_size=True, print_background=True)
    page.close()
    reader = PdfReader(io.BytesIO(pdf_bytes))
    box = reader.pages[0].mediabox
    width_mm, height_mm = float(box.width) / 72 * 25.4, float(box.height) / 72 * 25.4
    assert abs(width_mm - 210) < 1 and abs(height_mm - 297) < 1
    text = "".join(p.extract_text() for p in reader.pages)
    compact = unicodedata.normalize("NFKC", "".join(text.split()))  # PDF 中的康熙部首字形还原为常用字
    assert "国家矿山安全监察局文件" in compact and "矿安〔2024〕2号" in compact
    assert "确保《硬措施》刚性执行" in compact
    for chrome in ("搜索", "目录", "校勘记", "下一页", "编辑指南"):
        assert chrome not in compact, f"打印稿中出现了网站元素“{chrome}”"
    assert "—1—" in compact  # 页码
    # 版心网格：满页正文约 22 行、每行 28 字（GB/T 9704）
    page2 = [unicodedata.normalize("NFKC", ln.strip()) for ln in reader.pages[1].extract_text().split("\n") if ln.strip()]
    body = [ln for ln in page2 if not ln.startswith("—")]
    assert 21 <= len(body) <= 23, f"第2页正文 {len(body)} 行"
    lengths = Counter(len(ln) for ln in body)
    assert lengths.most_common(1)[0][0] in (27, 28, 29), lengths
    (tmp_path / "notice.pdf").write_bytes(pdf_bytes)
