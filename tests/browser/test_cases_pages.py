"""浏览器：案例页面和索引页在手机上不横向滚动；标签和提示看得见；长列表可以展开；打印时不丢内容。"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import serve

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serve(built_site) as url:
        yield url


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize(
    "path", ["cases/", "cases/2023-xinjing-tanta/", "cases/2023-xintai-baozha/", "cases/by-category/", "guide/cases/"]
)
def test_no_horizontal_scroll_on_phones(browser, site_url: str, path: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(site_url + path, wait_until="networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.close()
    assert overflow <= 0, f"{path} 在 {width}px 宽度下横向溢出 {overflow}px"


def test_labels_are_visible(browser, site_url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "cases/2024-jiaoxue-jiankong/", wait_until="networkidle")
    label = page.locator(".admonition.example .admonition-title")
    assert label.is_visible() and label.inner_text().strip() == "教学示例"
    page.goto(site_url + "cases/2023-yongju-huozai/", wait_until="networkidle")
    notice = page.locator(".admonition.warning .admonition-title")
    assert notice.is_visible() and notice.inner_text().strip() == "事实待核实"
    # 说法不一的时间在表格中逐条列出
    rows = page.locator("#conflicts ~ .column-table table tbody tr")
    assert rows.count() == 3
    page.close()


def test_source_links_jump_to_the_source_list(browser, site_url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "cases/2023-xinjing-tanta/", wait_until="networkidle")
    page.locator(".cases-facts a[href='#src-s1']").first.click()
    assert page.evaluate("location.hash") == "#src-s1"
    assert page.locator("#src-s1").is_visible()
    page.close()


def test_print_keeps_the_case_content(browser, site_url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "cases/2023-xintai-baozha/", wait_until="networkidle")
    page.emulate_media(media="print")
    visible = page.evaluate(
        "() => ['#facts', '#conflicts', '#sources', '.cases-facts'].map(s => getComputedStyle(document.querySelector(s)).display !== 'none')"
    )
    assert visible == [True, True, True, True]
    page.close()
