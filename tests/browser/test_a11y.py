"""无障碍与适老化：每个构建出的页面在浅色和深色配色下 axe 零严重违规；搜索打开、测验作答后同样；
字号切换可用键盘操作并跨页保持；手机宽度（320/375 px）、200% 缩放、特大字号下不横向滚动；触控目标 ≥ 24 px。

检查对象是构建结果中的全部页面（studycol.pagecheck.site_pages），新页面类型无需登记即被覆盖。
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import serve
import pagecheck

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def pages(built_site: Path) -> list[str]:
    found = pagecheck.site_pages(built_site)
    assert "" in found and "notice/" in found, found
    return found


@pytest.fixture(scope="module")
def zh_pages(pages: list[str], built_site: Path) -> list[str]:
    """中文页面，加上英文版中译出的页面。英文版的其他页面是中文原文的回退副本（页首有 column-fallback 提示），
    版面相同：它们只在浅色配色下做无障碍检查（make audit 则对全部页面做全部检查）。"""

    def translated(path: str) -> bool:
        file = built_site / (path + "index.html" if path.endswith("/") or not path else path)
        return 'class="column-fallback"' not in file.read_text(encoding="utf-8")

    english = [p for p in pages if p.startswith("en/") and translated(p)]
    assert "en/" in english and "en/yingcuoshi/" in english, english
    return [p for p in pages if not p.startswith("en/")] + english


def _context(browser, palette: str = "default", width: int = 1280, height: int = 900):
    return browser.new_context(
        viewport={"width": width, "height": height}, color_scheme=pagecheck.PALETTES[palette]
    )


@pytest.mark.parametrize("palette", ["default", "slate"])
def test_axe_every_page(browser, site_url: str, pages: list[str], zh_pages: list[str], palette: str):
    """每个页面（测验页面作答前和作答后）在该配色下没有 serious/critical 违规。"""
    ctx = _context(browser, palette)
    page = ctx.new_page()
    problems: list[str] = []
    for path in pages if palette == "default" else zh_pages:
        page.goto(site_url + path, wait_until="load")
        assert pagecheck.set_palette_check(page) == palette, f"{path or '首页'} 没有切换到 {palette} 配色"
        problems += [f"{path or '首页'}: {v}" for v in pagecheck.blocking(pagecheck.run_axe(page))]
        if pagecheck.is_quiz(page):
            assert pagecheck.answer_quizzes(page) > 0, f"{path}: 测验页面上没有可作答的选项"
            problems += [f"{path}（作答后）: {v}" for v in pagecheck.blocking(pagecheck.run_axe(page))]
    ctx.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("palette", ["default", "slate"])
@pytest.mark.parametrize("width", [1280, 375])
def test_axe_search_open(browser, site_url: str, palette: str, width: int):
    """搜索框打开并显示结果时（电脑和手机）没有 serious/critical 违规，对话框有名称。"""
    ctx = _context(browser, palette, width=width)
    page = ctx.new_page()
    page.goto(site_url, wait_until="networkidle")
    assert pagecheck.open_search(page, "偷采") > 0, "搜索“偷采”没有结果"
    assert page.get_attribute(".md-search", "aria-label") == "站内搜索"
    problems = pagecheck.blocking(pagecheck.run_axe(page))
    ctx.close()
    assert problems == [], "\n".join(map(str, problems))


def test_text_size_control_keyboard_and_persistence(browser, site_url: str):
    ctx = _context(browser)
    page = ctx.new_page()
    page.goto(site_url + "about/", wait_until="networkidle")
    group = page.get_by_role("group", name="字号")
    assert group.is_visible()
    buttons = group.get_by_role("button")
    assert buttons.all_inner_texts() == ["标准", "大", "特大"]
    assert buttons.nth(0).get_attribute("aria-pressed") == "true"
    base = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)")

    # 只用键盘：Tab 从“标准”移到“大”，按 Enter
    buttons.nth(0).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "大"
    page.keyboard.press("Enter")
    assert buttons.nth(1).get_attribute("aria-pressed") == "true"
    assert buttons.nth(0).get_attribute("aria-pressed") == "false"
    large = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)")
    assert large == pytest.approx(base * 1.25, rel=0.02)

    # 换一页：在 <body> 出现之前字号就已生效（不闪烁），按钮状态一致
    page.add_init_script(
        """new MutationObserver((records, observer) => {
             if (document.body) { window.__sizeAtBody = document.documentElement.getAttribute('data-column-textsize');
                                  observer.disconnect(); }
           }).observe(document, {childList: true, subtree: true});"""
    )
    page.goto(site_url + "notice/", wait_until="networkidle")
    assert page.evaluate("window.__sizeAtBody") == "125"
    assert page.locator("button[data-column-textsize='125']").get_attribute("aria-pressed") == "true"

    # 空格键选“特大”，再回到“标准”
    page.locator("button[data-column-textsize='150']").focus()
    page.keyboard.press("Space")
    assert page.evaluate("document.documentElement.getAttribute('data-column-textsize')") == "150"
    page.locator("button[data-column-textsize='100']").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.hasAttribute('data-column-textsize')") is False
    page.goto(site_url, wait_until="networkidle")
    assert page.evaluate("document.documentElement.hasAttribute('data-column-textsize')") is False
    ctx.close()


def test_phones_zoom_and_large_text_every_page(browser, site_url: str, zh_pages: list[str]):
    """手机宽度 320/375 px、200% 缩放（1280 px 屏幕 = 640 px 视口）以及特大字号下，页面都不横向溢出；
    手机上触控目标 ≥ 24×24 px（axe target-size）；宽表格只在自己的框内滚动。"""
    problems: list[str] = []
    for width, size in [(320, "100"), (375, "100"), (640, "100"), (320, "150")]:
        ctx = _context(browser, width=width, height=640)
        page = ctx.new_page()
        page.goto(site_url, wait_until="load")
        pagecheck.set_text_size(page, size)
        for path in zh_pages:
            page.goto(site_url + path, wait_until="load")
            where = f"{path or '首页'} @ {width}px 字号{size}%"
            result = pagecheck.horizontal_overflow(page)
            if pagecheck.overflows(result):
                problems.append(f"{where}: 横向溢出 {result}")
            if width <= 375 and size == "100":
                small = pagecheck.run_axe(page, tags=(), extra_rules=pagecheck.PHONE_RULES)
                problems += [f"{where}: {v}" for v in small]
        ctx.close()
    assert problems == [], "\n".join(problems)


def test_wide_table_scrolls_in_its_own_box(browser, site_url: str):
    """责任矩阵（每个责任主体一行、通知每个部分一栏）在 320 px 下放不下：它在自己的框里滚动，框可用键盘聚焦
    并有名称。（通知页的校勘表、任务清单和自查表在窄屏上改成逐行堆叠或卡片，不再横向滚动，见 test_pages、
    test_reading_aids。）"""
    ctx = _context(browser, width=320, height=640)
    page = ctx.new_page()
    page.goto(site_url + "jiedu/matrix/", wait_until="networkidle")
    boxes = page.locator("[data-column-scroll='on']")
    assert boxes.count() >= 1
    first = boxes.first
    assert first.get_attribute("tabindex") == "0" and first.get_attribute("role") == "region"
    assert "可左右滚动" in first.get_attribute("aria-label")
    first.focus()
    before = first.evaluate("el => el.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(200)
    assert first.evaluate("el => el.scrollLeft") > before
    assert not pagecheck.overflows(pagecheck.horizontal_overflow(page))
    ctx.close()
