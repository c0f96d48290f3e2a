"""浏览器：适老化与手机阅读（issue 23）。

- 高对比度开关在字号按钮旁边，选择像字号一样保存（翻页在首次绘制前生效），浅色和深色下都通过 axe；
- 每个小部件（测验选项和按钮、任务筛选、引用预览、字号和对比度按钮）只用键盘就能到达，焦点看得见；
- 窄屏和英文页面不两端对齐；
- 搜索结果的每个链接都带着要高亮的词，页面本身那一行打开后滚到第一处高亮；
- 触屏上点过搜索框里的按钮，不留下“清空当前内容”的提示框。
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

import pagecheck
from helpers import serve

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serve(built_site) as url:
        yield url


# 焦点指示：焦点所在元素本身，或它外面最多两层（测验选项的焦点框画在整条选项 label 上）
_FOCUS_RING = """() => {
  let el = document.activeElement;
  for (let i = 0; el && i < 3; i++, el = el.parentElement) {
    const s = getComputedStyle(el);
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) return s.outlineStyle + ' ' + s.outlineWidth;
    if (s.boxShadow && s.boxShadow !== 'none') return 'box-shadow';
  }
  return '';
}"""


def _tab_to(page, selector: str, limit: int = 400) -> None:
    """只按 Tab 键，直到焦点落在 selector 上（找不到就失败：说明键盘到不了这个部件）。"""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"按 {limit} 次 Tab 也到不了 {selector}")


def test_high_contrast_is_remembered_like_text_sizes(browser, site_url: str):
    ctx = browser.new_context(viewport={"width": 375, "height": 800})
    page = ctx.new_page()
    page.goto(site_url + "about/", wait_until="networkidle")
    toggle = page.get_by_role("button", name="高对比度")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
    light = page.evaluate("getComputedStyle(document.body).getPropertyValue('--md-default-fg-color--light').trim()")
    assert light != "#000"

    _tab_to(page, "button[data-column-contrast]")
    assert page.evaluate(_FOCUS_RING)
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.documentElement.getAttribute('data-column-contrast')") == "high"
    # 次要文字和边框不再是半透明灰
    assert page.evaluate("getComputedStyle(document.body).getPropertyValue('--md-default-fg-color--light').trim()") == "#000"

    # 换一页：在 <body> 出现之前就已生效，按钮状态一致；字号可以同时选
    page.add_init_script(
        """new MutationObserver((records, observer) => {
             if (document.body) { window.__contrastAtBody = document.documentElement.getAttribute('data-column-contrast');
                                  observer.disconnect(); }
           }).observe(document, {childList: true, subtree: true});"""
    )
    page.goto(site_url + "notice/", wait_until="networkidle")
    assert page.evaluate("window.__contrastAtBody") == "high"
    assert page.get_by_role("button", name="高对比度").get_attribute("aria-pressed") == "true"
    page.locator("button[data-column-textsize='150']").click()
    assert page.evaluate("document.documentElement.getAttribute('data-column-textsize')") == "150"
    overflow = pagecheck.horizontal_overflow(page)
    assert not pagecheck.overflows(overflow), overflow
    for palette in ("default", "slate"):
        page.evaluate("p => document.body.setAttribute('data-md-color-scheme', p)", palette)
        page.wait_for_timeout(400)  # 等配色的过渡动画结束，axe 量的是最终颜色
        problems = pagecheck.blocking(pagecheck.run_axe(page))
        assert problems == [], (palette, problems)

    # 关掉后翻页仍是关的
    page.get_by_role("button", name="高对比度").press("Space")
    page.goto(site_url, wait_until="networkidle")
    assert page.evaluate("document.documentElement.hasAttribute('data-column-contrast')") is False
    ctx.close()


@pytest.mark.parametrize(
    ("path", "selector"),
    [
        ("quiz/part-1/", ".quiz-q__option input"),
        ("quiz/part-1/", ".quiz .md-button"),
        ("tasks/", "select[data-tasks-select]"),
        ("jiedu/", "a.xref"),
        ("notice/", "details.xref-backlinks > summary"),
    ],
)
def test_widgets_reachable_by_keyboard_with_visible_focus(browser, site_url: str, path: str, selector: str):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(site_url + path, wait_until="networkidle")
    _tab_to(page, selector)
    ring = page.evaluate(_FOCUS_RING)
    assert ring, f"{path} {selector} 得到焦点时看不出焦点在哪里"
    if selector == "a.xref":
        # 引用预览随键盘焦点出现
        tip = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
        assert tip and page.locator(f"#{tip}").is_visible()
    page.close()


@pytest.mark.parametrize(("path", "width"), [("notice/", 375), ("jiedu/", 320), ("en/", 375), ("en/notice/", 1366)])
def test_no_justified_text_on_narrow_screens_or_in_english(browser, site_url: str, path: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(site_url + path, wait_until="networkidle")
    aligns = page.evaluate(
        "() => [...document.querySelectorAll('.md-content .md-typeset p, .md-content .md-typeset li')]"
        ".filter(e => e.offsetParent).map(e => getComputedStyle(e).textAlign)"
    )
    page.close()
    assert aligns and "justify" not in aligns, (path, width, sorted(set(aligns)))


def test_chinese_text_stays_justified_on_wide_screens(browser, site_url: str):
    """对照：宽屏中文正文仍两端对齐（上一条测试不是因为整站都不对齐才通过）。"""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(site_url + "jiedu/", wait_until="networkidle")
    align = page.evaluate(
        "() => [...document.querySelectorAll('article.md-typeset > p')].filter(p => p.textContent.length > 60)"
        ".map(p => getComputedStyle(p).textAlign)"
    )
    dates = page.evaluate("getComputedStyle(document.querySelector('.column-dates')).textAlign")
    page.close()
    assert align and set(align) == {"justify"}, align
    assert dates != "justify"  # 日期行照旧左对齐


@pytest.mark.parametrize("query", ["经办人", "隐患"])
def test_every_result_link_carries_the_query_and_the_page_row_lands_on_a_match(browser, site_url: str, query: str):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(site_url, wait_until="networkidle")
    assert pagecheck.open_search(page, query) > 0
    hrefs = page.eval_on_selector_all("a.md-search-result__link", "els => els.map(e => e.href)")
    empty = [h for h in hrefs if not urllib.parse.parse_qs(h.split("?", 1)[1].split("#")[0]).get("h")]
    assert empty == [], f"这些结果链接不带要高亮的词：{empty}"
    # 第一组的第一行是页面本身（地址不带 #）：打开后第一处高亮滚到屏幕上
    first = page.locator("a.md-search-result__link").first
    assert "#" not in (first.get_attribute("href") or "")
    first.click()
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => { const m = document.querySelector('article mark'); if (!m) return false;"
        " const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
        timeout=5000,
    )
    assert query in "".join(page.locator("article mark").all_inner_texts())
    page.close()


def test_collation_query_lands_on_the_omitted_item(browser, site_url: str):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(site_url, wait_until="networkidle")
    assert pagecheck.open_search(page, "经办人") > 0
    hrefs = page.eval_on_selector_all("a.md-search-result__link", "els => els.map(e => e.getAttribute('href'))")
    assert any(h.endswith("#collation-omitted-1") for h in hrefs), hrefs
    page.locator('a.md-search-result__link[href$="#collation-omitted-1"]').click()
    page.wait_for_function("() => document.querySelector('#collation-omitted-1 mark') !== null", timeout=5000)
    assert page.evaluate("document.querySelector(':target').id") == "collation-omitted-1"
    page.close()


def test_no_tooltip_left_over_the_results_on_phones(browser, site_url: str):
    ctx = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    page = ctx.new_page()
    page.goto(site_url, wait_until="networkidle")
    page.locator("label.md-header__button[for='__search']").first.tap()
    page.locator("input.md-search__input").type("隐患")
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    page.locator(".md-search__options button[type=reset], button.md-search__icon[type=reset]").first.tap()
    page.locator("input.md-search__input").type("经办人")
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    page.wait_for_timeout(400)
    shown = page.evaluate(
        "() => [...document.querySelectorAll('.md-tooltip, .md-tooltip2')].filter(e => e.checkVisibility("
        "{opacityProperty: true, visibilityProperty: true})).map(e => e.textContent.trim())"
    )
    ctx.close()
    assert shown == [], f"手机上搜索结果上方留着提示框：{shown}"


def test_sidebar_label_never_covers_a_navigation_item(browser, site_url: str):
    """宽屏左侧导航滚动时，顶上的栏目名不盖住任何一项（原来粘在顶部，“通知原文”半截露在它下面）。"""
    page = browser.new_page(viewport={"width": 1366, "height": 700})
    page.goto(site_url + "tasks/", wait_until="networkidle")
    covered = {}
    for dy in (0, 20, 37, 100, 250):
        hits = page.evaluate(
            """(dy) => {
              const wrap = document.querySelector('.md-sidebar--primary .md-sidebar__scrollwrap');
              wrap.scrollTop = dy;
              const title = document.querySelector('.md-sidebar--primary .md-nav--primary > .md-nav__title');
              const t = title.getBoundingClientRect();
              if (t.height === 0) return [];
              return [...document.querySelectorAll('.md-sidebar--primary .md-nav__link')].filter(a => {
                const r = a.getBoundingClientRect();
                return r.height > 0 && r.top < t.bottom - 1 && r.bottom > t.top + 1;
              }).map(a => a.textContent.trim());
            }""",
            dy,
        )
        if hits:
            covered[dy] = hits
    page.close()
    assert covered == {}, f"栏目名盖住了导航项：{covered}"


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("path", ["tasks/", "tasks/checklist/"])
def test_tasks_read_as_cards_on_phones(browser, site_url: str, path: str, width: int):
    """手机上任务表和自查表每项一张卡片：卡片占满栏宽，栏名（时间要求、依据……）写在内容前面，表头只留给读屏。"""
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(site_url + path, wait_until="networkidle")
    info = page.evaluate(
        """() => {
          const table = document.querySelector('table.tasks-table, table.tasks-checklist');
          const box = table.parentElement.getBoundingClientRect();
          const rows = [...table.querySelectorAll('tbody tr')].filter(r => r.offsetParent);
          const narrow = rows.filter(r => r.getBoundingClientRect().width < box.width - 4).length;
          const cells = [...rows[0].children];
          return {display: getComputedStyle(rows[0]).display, narrow, rows: rows.length,
                  labels: cells.map(td => getComputedStyle(td, '::before').content),
                  head: table.querySelector('thead').getBoundingClientRect().height,
                  chars: Math.min(...cells.slice(1).map(td => td.getBoundingClientRect().width)) / parseFloat(getComputedStyle(cells[1]).fontSize)};
        }"""
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.close()
    assert info["display"] == "block" and info["narrow"] == 0, info
    assert info["head"] <= 1, info
    assert '"时间要求："' in info["labels"] and '"依据："' in info["labels"], info["labels"]
    assert info["chars"] >= 14, f"卡片内每行只有约 {info['chars']:.0f} 个字"
    assert overflow <= 0


def test_tasks_stay_a_table_on_wide_screens(browser, site_url: str):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(site_url + "tasks/", wait_until="networkidle")
    display = page.evaluate("getComputedStyle(document.querySelector('table.tasks-table tbody tr')).display")
    page.close()
    assert display == "table-row"


@pytest.mark.parametrize("width", [320, 375, 1366])
def test_notice_body_follows_the_addressees_without_a_blank_line(browser, site_url: str, width: int):
    """主送机关和正文第一段之间只有普通的段间距（原来空出约一行半）；按钮组在手机上靠左。"""
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(site_url + "notice/", wait_until="networkidle")
    gap = page.evaluate(
        """() => { const a = document.querySelector('#addressees').getBoundingClientRect();
                   const p = document.querySelector('#n0-1');
                   return {gap: p.getBoundingClientRect().top - a.bottom, em: parseFloat(getComputedStyle(p).fontSize)}; }"""
    )
    tools = page.evaluate(
        """() => { const t = document.querySelector('.column-a11ytools').getBoundingClientRect();
                   const art = document.querySelector('article').getBoundingClientRect();
                   const d = document.querySelector('.column-dates').getBoundingClientRect();
                   return {left: t.left - art.left, wrapped: t.top >= d.bottom - 1,
                           pad: parseFloat(getComputedStyle(document.querySelector('article')).paddingLeft)}; }"""
    )
    page.close()
    assert gap["gap"] <= 1.1 * gap["em"], gap
    if tools["wrapped"]:
        assert tools["left"] <= tools["pad"] + 1, tools


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("path", ["", "notice/", "en/", "en/notice/"])
def test_footer_next_and_previous_titles_are_not_cut(browser, site_url: str, path: str, width: int):
    """页脚“下一页”的页名在手机上完整显示（触控目标的样式曾把 Material 的弹性盒改成行内块，页名被截成“通…”）。"""
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(site_url + path, wait_until="networkidle")
    cut = page.evaluate(
        "() => [...document.querySelectorAll('.md-footer__link .md-ellipsis')]"
        ".filter(e => e.getBoundingClientRect().width > 0 && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim())"
    )
    page.close()
    assert cut == [], f"页脚的页名被截断：{cut}"


_SPLIT_WORDS = """() => {
  const el = document.querySelector('.gw-mark');
  const text = el.firstChild;
  const split = [];
  let at = 0;
  for (const word of text.textContent.split(' ')) {
    const range = document.createRange();
    range.setStart(text, at); range.setEnd(text, at + word.length);
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    if (tops.size > 1) split.push(word);
    at += word.length + 1;
  }
  return split;
}"""


@pytest.mark.parametrize("size", ["100", "150"])
@pytest.mark.parametrize("width", [320, 375])
def test_english_issuer_mark_never_breaks_inside_a_word(browser, site_url: str, width: int, size: str):
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(site_url + "en/notice/", wait_until="networkidle")
    if size != "100":
        pagecheck.set_text_size(page, size)
    split = page.evaluate(_SPLIT_WORDS)
    docno_lines = page.evaluate(
        "() => { const s = document.querySelector('.gw-docno [lang=zh]'); return new Set([...s.getClientRects()].map(r => Math.round(r.top))).size; }"
    )
    overflow = pagecheck.horizontal_overflow(page)
    page.close()
    assert split == [], f"发文机关标志在词中间断行：{split}"
    assert docno_lines == 1  # 括号里的中文发文字号不拆成两行
    assert not pagecheck.overflows(overflow), overflow
