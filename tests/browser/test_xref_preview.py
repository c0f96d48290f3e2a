"""浏览器：引用预览在悬停、键盘聚焦和触屏点按时出现；触屏第二次点按才跳转。"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import serve

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serve(built_site) as url:
        yield url


def _tip_visible(page) -> bool:
    return page.evaluate("getComputedStyle(document.querySelector('.xref-tip')).display !== 'none'")


def test_preview_on_hover_and_focus(browser, site_url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url, wait_until="networkidle")
    link = page.locator("a.xref").first
    assert not _tip_visible(page)
    link.hover()
    assert _tip_visible(page)
    page.mouse.move(0, 0)
    assert not _tip_visible(page)
    # 键盘：Tab 到链接上
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.classList.contains('xref')"):
            break
    assert _tip_visible(page)
    described = page.evaluate("document.getElementById(document.activeElement.getAttribute('aria-describedby')).textContent")
    assert "要在政府网站设立" in described
    page.close()


def test_preview_on_touch_then_navigate(browser, site_url: str):
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_url, wait_until="networkidle")
    link = page.locator("a.xref").first
    link.tap()
    page.wait_for_timeout(200)
    assert page.url == site_url, "第一次点按不应跳转"
    assert _tip_visible(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    link.tap()
    page.wait_for_url("**/notice/#n2-1-5")
    context.close()


@pytest.mark.parametrize("how", ["hover", "focus"])
def test_preview_inside_a_scrolling_table_is_not_clipped(browser, site_url: str, how: str):
    """表格在可横向滚动的容器中；其中的预览按链接位置显示在窗口里，不被容器裁掉。"""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(site_url + "jiedu/", wait_until="networkidle")
    link = page.locator(".md-typeset__scrollwrap a.xref").first
    link.scroll_into_view_if_needed()
    link.hover() if how == "hover" else link.focus()
    page.wait_for_timeout(100)
    result = page.evaluate(
        """() => {
          const link = document.querySelector('.md-typeset__scrollwrap a.xref');
          const tip = link.nextElementSibling, r = tip.getBoundingClientRect(), l = link.getBoundingClientRect();
          tip.style.pointerEvents = 'auto';  // 预览平时不接收点按；临时打开，才能用 elementFromPoint 判断有没有被裁掉
          const points = [[r.left + 8, r.top + 8], [r.right - 8, r.top + 8], [r.left + 8, r.bottom - 8], [r.right - 8, r.bottom - 8]];
          const inside = points.every(([x, y]) => { const el = document.elementFromPoint(x, y); return el && tip.contains(el); });
          return {inside, near: Math.abs(r.top - l.bottom) < 12 || Math.abs(l.top - r.bottom) < 12,
                  inView: r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight};
        }"""
    )
    page.close()
    assert result == {"inside": True, "near": True, "inView": True}, result


@pytest.mark.parametrize("width", [375, 1366])
def test_backlinks_are_one_quiet_control_per_paragraph(browser, site_url: str, width: int):
    """通知段落后没有“被引用N处”的灰色徽标：每段一个小小的“引用”开关，处数只在可访问名称中；
    用键盘（Tab 到开关，按 Enter）展开后列出引用本段的内容，再按 Enter 收起。"""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(site_url + "notice/", wait_until="networkidle")
    controls = page.locator("details.xref-backlinks")
    # 通知每个部分只有一段：每段至多一个开关，且每个开关紧跟在它的段落后面
    paragraphs = page.locator("p.gw-p").count()
    assert 5 <= controls.count() <= paragraphs, (controls.count(), paragraphs)
    assert controls.evaluate_all(
        "els => els.every(d => d.previousElementSibling && d.previousElementSibling.matches('p.gw-p'))"
    )
    # 看得见的只有“引用”二字；处数在视觉隐藏的文字里（innerText 也会算上它，所以分开量）
    toggles = page.locator("details.xref-backlinks > summary > .xref-backlinks__toggle")
    assert set(toggles.evaluate_all("els => els.map(e => e.innerText.trim())")) == {"引用"}
    hidden = page.locator("details.xref-backlinks > summary > .gw-visually-hidden")
    assert hidden.evaluate_all("els => els.every(e => e.getBoundingClientRect().width <= 1)")
    looks = page.evaluate(
        """() => { const s = document.querySelector('#n2-1-cited > summary'); const cs = getComputedStyle(s);
                   const p = document.getElementById('n2-1').getBoundingClientRect(); const b = s.getBoundingClientRect();
                   return {bg: cs.backgroundColor, height: b.height, width: b.width, right: p.right - b.right}; }"""
    )
    assert looks["bg"] in ("rgba(0, 0, 0, 0)", "transparent"), looks
    assert 24 <= looks["height"] < 40 and looks["width"] < 100 and abs(looks["right"]) < 12, looks
    snapshot = page.locator("#n2-1-cited").aria_snapshot()
    assert "引用" in snapshot and "通知第二部分第1段被引用" in snapshot and "处" in snapshot

    # 只用键盘
    page.locator("#n2-1").click()
    summary = page.locator("#n2-1-cited > summary")
    for _ in range(40):
        page.keyboard.press("Tab")
        if summary.evaluate("el => el === document.activeElement"):
            break
    assert summary.evaluate("el => el === document.activeElement"), "Tab 到不了“引用”开关"
    assert summary.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.locator("#n2-1-cited").evaluate("el => el.open")
    first = page.locator("#n2-1-cited li a").first
    assert first.is_visible() and first.get_attribute("href")
    page.keyboard.press("Enter")
    assert not page.locator("#n2-1-cited").evaluate("el => el.open")
    page.close()
