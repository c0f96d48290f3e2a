"""浏览器：术语首次出现处的解释（悬停、键盘聚焦、触屏点按），任务清单按责任主体筛选（有无脚本），
自查表按主体筛选后打印。"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import REPO, serve
from studycol import tasks as tasks_mod

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def task_list():
    return tasks_mod.load_tasks(REPO / "data" / "tasks.yml").tasks.tasks


TIP_SHOWN = "id => getComputedStyle(document.getElementById(id)).display !== 'none'"


def test_term_explanation_on_hover_and_keyboard_focus(browser, site_url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "jiedu/part-4/", wait_until="networkidle")
    term = page.locator("a.xref--term").first
    tip_id = term.get_attribute("aria-describedby")
    assert not page.evaluate(TIP_SHOWN, tip_id)
    term.hover()
    assert page.evaluate(TIP_SHOWN, tip_id)
    page.mouse.move(0, 0)
    assert not page.evaluate(TIP_SHOWN, tip_id)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.classList.contains('xref--term')"):
            break
    else:
        pytest.fail("用 Tab 键到不了术语链接")
    active_tip = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    assert page.evaluate(TIP_SHOWN, active_tip)
    text = page.evaluate("id => document.getElementById(id).textContent", active_tip)
    assert text.startswith("术语：") and "。" in text
    page.close()


def test_term_explanation_on_touch_then_glossary(browser, site_url: str):
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + "jiedu/part-4/", wait_until="networkidle")
    term = page.locator("a.xref--term").first
    href = term.get_attribute("href")
    term.scroll_into_view_if_needed()
    term.tap()
    page.wait_for_timeout(200)
    assert page.url.endswith("jiedu/part-4/"), "第一次点按只显示解释，不跳转"
    assert page.evaluate(TIP_SHOWN, term.get_attribute("aria-describedby"))
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    term.tap()
    page.wait_for_url("**/glossary/#" + href.split("#", 1)[1])
    context.close()


def test_filter_tasks_by_actor(browser, site_url: str, task_list):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "tasks/", wait_until="networkidle")
    select = page.get_by_label("按责任主体筛选：")
    assert select.is_visible()
    visible = "() => [...document.querySelectorAll('tr[data-actors]')].filter(r => r.offsetParent !== null).length"
    assert page.evaluate(visible) == len(task_list)
    select.select_option("各矿山企业")
    expected = sum(1 for t in task_list if "各矿山企业" in t.actor)
    assert page.evaluate(visible) == expected
    assert page.locator("#tasks-guojiaju").is_hidden() and page.locator("#tasks-jgjc-qiye").is_visible()
    assert page.locator("[data-tasks-status]").first.text_content() == f"显示各矿山企业承担的{expected}项任务"
    select.select_option("")
    assert page.evaluate(visible) == len(task_list)
    page.close()


def test_task_list_is_complete_without_javascript(browser, site_url: str, task_list):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "tasks/")
    assert page.locator(".tasks-filter").is_hidden(), "没有脚本时不应出现不能用的筛选框"
    assert page.locator("tr[data-actors]").count() == len(task_list)
    assert all(page.locator("tr[data-actors]").nth(i).is_visible() for i in range(0, len(task_list), 7))
    context.close()


def test_checklist_prints_only_the_chosen_actor(browser, site_url: str, task_list):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + "tasks/checklist/", wait_until="networkidle")
    page.get_by_label("按责任主体筛选：").select_option("国家矿山安全监察局")
    page.emulate_media(media="print")
    rows = page.locator("table.tasks-checklist tbody tr")
    shown = [rows.nth(i).is_visible() for i in range(rows.count())]
    assert sum(shown) == sum(1 for t in task_list if "国家矿山安全监察局" in t.actor)
    for hidden in (".tasks-filter", ".tasks-downloads", ".md-header", ".md-sidebar--primary"):
        assert page.locator(hidden).first.is_hidden(), f"打印稿中不应出现 {hidden}"
    assert page.locator(".checklist-fields").is_visible()
    page.close()
