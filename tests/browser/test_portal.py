"""专栏门户（首页、工作动态、问答、一图读懂、地方贯彻落实）在手机（375 px）和电脑（1366 px）上：
axe 零严重违规、不横向溢出、只请求本站；首页一次点击到达每个栏目；电脑上每页都有栏目导航。"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import serve
import pagecheck

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PAGES = ("", "news/", "news/2024-01-22-kuangan-2024-2/", "faq/", "yitu/", "local/")
WIDTHS = (375, 1366)


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serve(built_site) as url:
        yield url


def _page(browser, width: int, site_url: str, palette: str = "default"):
    ctx = browser.new_context(viewport={"width": width, "height": 900 if width > 600 else 740},
                              color_scheme=pagecheck.PALETTES[palette])
    page = ctx.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith((site_url, "data:")) else None)
    return ctx, page, foreign


@pytest.mark.parametrize("palette", ["default", "slate"])
@pytest.mark.parametrize("width", WIDTHS)
def test_portal_pages_clean_at_phone_and_desktop(browser, site_url: str, width: int, palette: str):
    ctx, page, foreign = _page(browser, width, site_url, palette)
    problems: list[str] = []
    for path in PAGES:
        page.goto(site_url + path, wait_until="networkidle")
        assert pagecheck.set_palette_check(page) == palette, path
        problems += [f"{path or '首页'}: {v}" for v in pagecheck.blocking(pagecheck.run_axe(page))]
        over = pagecheck.horizontal_overflow(page)
        if pagecheck.overflows(over):
            problems.append(f"{path or '首页'}: 横向溢出 {over}")
        if path == "yitu/":
            assert page.evaluate("document.querySelector('.column-yitu img').naturalWidth") == 1000  # 海报已加载
    ctx.close()
    assert foreign == [], foreign
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_section_one_click_from_home(browser, site_url: str, width: int):
    ctx, page, _ = _page(browser, width, site_url)
    page.goto(site_url, wait_until="load")
    tiles = page.locator(".column-portal a")
    names = tiles.locator("strong").all_inner_texts()
    assert {"通知原文", "工作动态", "问答", "一图读懂", "典型案例", "学习测验", "地方贯彻落实", "举报渠道"} <= set(names)
    for i, name in enumerate(names):
        page.goto(site_url, wait_until="load")
        tile = page.locator(".column-portal a").nth(i)
        assert tile.is_visible() and tile.bounding_box()["height"] >= 44, name  # 整块可点，触控目标够大
        tile.click()
        page.wait_for_load_state("load")
        if name == "举报渠道":
            assert page.url.endswith("#report")
            continue
        assert page.url != site_url and page.title().startswith(name), (name, page.url, page.title())
    ctx.close()


def test_desktop_has_column_tabs_on_every_page_with_the_same_names(browser, site_url: str):
    ctx, page, _ = _page(browser, 1366, site_url)
    seen = None
    for path in ("", "notice/", "news/2024-01-22-kuangan-2024-2/", "faq/", "cases/", "guide/news/"):
        page.goto(site_url + path, wait_until="load")
        tabs = page.locator(".md-tabs__link")
        names = [t.strip() for t in tabs.all_inner_texts()]
        assert tabs.last.is_visible() and tabs.last.bounding_box()["x"] + tabs.last.bounding_box()["width"] <= 1366, path
        assert seen is None or names == seen, path
        seen = names
    assert {"工作动态", "问答", "一图读懂", "地方贯彻落实"} <= set(seen)
    ctx.close()
