"""打印：每个页面只打印正文——不打印导航、搜索、页眉、页脚和按钮；有页码；外部链接注明网址。

通知原文页另有 A4 公文版式的专门测试（test_pages.py）；这里确认公用的打印样式没有改变它的页码。
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest

from helpers import serve
import pagecheck

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# 打印时必须看不见的网站元素
CHROME = (".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-search", ".md-top", ".md-skip",
          ".column-textsize", ".md-content__button", ".headerlink")

_PRINT_STATE = """(chrome) => {
  const seen = el => el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  const leaks = [];
  for (const sel of chrome) for (const el of document.querySelectorAll(sel)) if (seen(el)) leaks.push(sel);
  for (const el of document.querySelectorAll('button')) if (seen(el)) leaks.push('button: ' + el.textContent.trim());
  const unlabeled = [];
  for (const a of document.querySelectorAll('.md-typeset a[href^="http"]')) {
    if (!seen(a) || a.closest('.gw-doc') || a.classList.contains('xref')) continue;
    const after = getComputedStyle(a, '::after').content;
    if (!after.includes(a.getAttribute('href'))) unlabeled.push(a.getAttribute('href'));
  }
  const h1 = document.querySelector('.md-content h1');
  return {leaks: [...new Set(leaks)], unlabeled, title: h1 ? h1.textContent.replace('¶', '').trim() : '',
          gongwen: !!document.querySelector('.gw-doc'),
          dates: !!document.querySelector('.column-dates') && seen(document.querySelector('.column-dates'))};
}"""


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serve(built_site) as url:
        yield url


def _compact(text: str) -> str:
    return unicodedata.normalize("NFKC", "".join(text.split()))


def test_every_page_prints_without_site_chrome(browser, built_site: Path, site_url: str):
    from pypdf import PdfReader

    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    problems: list[str] = []
    # 英文页面与中文页面用同一套打印样式，只查英文首页
    paths = [p for p in pagecheck.site_pages(built_site) if not p.startswith("en/")] + ["en/"]
    printed: set[tuple[str, bool]] = set()
    for path in paths:
        where = path or "首页"
        page.goto(site_url + path, wait_until="load")
        page.emulate_media(media="print")
        state = page.evaluate(_PRINT_STATE, list(CHROME))
        if state["leaks"]:
            problems.append(f"{where}: 打印时仍显示 {state['leaks']}")
        if state["unlabeled"]:
            problems.append(f"{where}: 外部链接打印时没有注明网址 {state['unlabeled']}")
        if state["gongwen"] and state["dates"]:
            problems.append(f"{where}: 公文页打印了正文上方的日期行")
        # PDF 每类页面生成一份（按网址第一段和是否测验页区分；英文页与中文页用同一套打印样式）
        kind = (path.split("/")[0], page.locator(pagecheck.QUIZ_SELECTOR).count() > 0)
        if path.startswith("en/") or kind in printed:
            page.emulate_media(media="screen")
            continue
        printed.add(kind)
        reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
        first = _compact(reader.pages[0].extract_text())
        box = reader.pages[0].mediabox
        if abs(float(box.width) / 72 * 25.4 - 210) > 1 or abs(float(box.height) / 72 * 25.4 - 297) > 1:
            problems.append(f"{where}: 打印纸张不是 A4")
        if state["gongwen"]:
            if "—1—" not in first or re.search(r"第1\S\(共", first):
                problems.append(f"{where}: 公文页码应为“— 1 —”（GB/T 9704），而不是普通页码")
        else:
            total = len(reader.pages)
            # PDF 文字层里“页”可能是部首字形（U+2EDA），所以只匹配数字
            if not re.search(rf"第1\S\(共{total}\S\)", first):  # NFKC 把全角括号变成半角
                problems.append(f"{where}: 第一页没有页码“第1页（共{total}页）”")
            if state["title"] and _compact(state["title"]) not in first:
                problems.append(f"{where}: 第一页没有标题“{state['title']}”")
            # 字号按钮连在一起的文字（“特大”单独出现可能是正文，如一图读懂海报中的“重特大”）
            for chrome_text in ("字号", "标准大特大"):
                if chrome_text in first and chrome_text not in _compact(page.inner_text(".md-content")):
                    problems.append(f"{where}: 打印稿中出现了控件文字“{chrome_text}”")
        page.emulate_media(media="screen")
    ctx.close()
    assert problems == [], "\n".join(problems)


def test_content_page_prints_its_dates(browser, built_site: Path, site_url: str):
    """内容页（不是首页、不是公文页）打印时保留发布日期行。"""
    from pypdf import PdfReader

    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(site_url + "about/", wait_until="load")
    dates = page.locator(".column-dates")
    if dates.count() == 0:
        pytest.skip("本检出中“关于本栏目”没有日期来源（没有 pub_date，也不在 git 历史中）")
    shown = _compact(dates.inner_text())
    page.emulate_media(media="print")
    text = _compact(PdfReader(io.BytesIO(page.pdf())).pages[0].extract_text())
    ctx.close()
    assert shown.startswith("发布日期") and shown in text
