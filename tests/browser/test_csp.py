"""浏览器测试：按构建生成的安全响应头（严格的内容安全策略）提供站点，页面没有违规，搜索和配色切换照常工作。"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import handler_with_headers, html_pages, serve
from studycol import csp

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
});
"""

SEARCH_READY = """() => {
  const meta = document.querySelector('.md-search-result__meta');
  const words = JSON.parse(document.getElementById('__config').textContent).translations;
  return meta !== null && meta.textContent === words['search.result.placeholder'];
}"""


@pytest.fixture(scope="module")
def site_headers(built_site: Path) -> dict[str, str]:
    path = csp.headers_path(built_site)
    assert path.is_file(), f"构建没有生成 {path.name}"
    assert not list(built_site.rglob("*headers.conf")), "响应头片段不应发布到站点目录里"
    hdrs = csp.parse_nginx_snippet(path.read_text(encoding="utf-8"))
    policy = hdrs["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    return hdrs


@pytest.fixture(scope="module")
def csp_url(built_site: Path, site_headers: dict[str, str]):
    with serve(built_site, handler_with_headers(site_headers)) as url:
        yield url


def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    return context, page, console


def _violations(page, console: list[str]) -> list[str]:
    found = page.evaluate("window.__csp || []")
    return found + [c for c in console if "Content Security Policy" in c or "pageerror" in c]


def test_response_carries_the_policy(csp_url: str, site_headers: dict[str, str]):
    import urllib.request

    with urllib.request.urlopen(csp_url) as resp:  # noqa: S310 - 本机地址
        assert resp.headers["Content-Security-Policy"] == site_headers["Content-Security-Policy"]
        assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_every_page_runs_without_violations(browser, built_site: Path, csp_url: str):
    problems: list[str] = []
    pages = html_pages(built_site)
    assert len(pages) >= 8
    for file in pages:
        path = file.relative_to(built_site).as_posix()
        context, page, console = _open(browser, csp_url)
        page.goto(csp_url + path, wait_until="networkidle")
        # 主题的内联脚本必须真的执行了（被拦下时 __md_scope 不存在）
        if not page.evaluate("typeof __md_scope !== 'undefined'"):
            problems.append(f"{path}: 主题的内联脚本没有执行")
        found = _violations(page, console)
        if found:
            problems.append(f"{path}: {found}")
        context.close()
    assert problems == []


def test_search_works_under_the_policy(browser, csp_url: str):
    context, page, console = _open(browser, csp_url)
    page.goto(csp_url, wait_until="networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    # 搜索引擎在工作线程中就绪后，结果栏显示占位提示；被策略拦下时会一直停在“正在初始化”
    page.wait_for_function(SEARCH_READY, timeout=60000)
    box.fill("硬措施")
    box.press("End")  # 搜索框监听按键事件
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=60000)
    assert results.count() >= 1
    assert _violations(page, console) == []
    context.close()


def test_palette_toggle_works_under_the_policy(browser, csp_url: str):
    context, page, console = _open(browser, csp_url)
    page.goto(csp_url, wait_until="networkidle")
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== {before!r}", timeout=30000)
    after = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert {before, after} == {"default", "slate"}
    # 偏好保存在本地存储里，翻到另一页仍然有效——这正是内联脚本 __md_get 的工作
    page.goto(csp_url + "about/", wait_until="networkidle")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == after
    assert _violations(page, console) == []
    context.close()


def test_an_unhashed_inline_script_is_blocked(browser, built_site: Path, site_headers: dict[str, str], tmp_path: Path):
    """对照：若有人在模板里加了一段内联脚本而没有重新计算哈希，策略确实会拦下它（测试本身能失败）。"""
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    index = copy / "index.html"
    index.write_text(
        index.read_text(encoding="utf-8").replace("</body>", "<script>window.__injected = 1</script></body>"),
        encoding="utf-8",
    )
    with serve(copy, handler_with_headers(site_headers)) as url:
        context, page, console = _open(browser, url)
        page.goto(url, wait_until="networkidle")
        assert page.evaluate("typeof window.__injected") == "undefined"
        assert any("script-src" in v for v in _violations(page, console))
        context.close()


def test_external_links_show_a_marker_and_announce_themselves(browser, built_site: Path, csp_url: str):
    pages = [p for p in html_pages(built_site) if "column-external" in p.read_text(encoding="utf-8")]
    assert pages, "站点中没有任何外部链接被标记（studycol/steps/safety.py 没有生效？）"
    path = pages[0].relative_to(built_site).as_posix()
    context, page, console = _open(browser, csp_url)
    page.goto(csp_url + path, wait_until="networkidle")
    link = page.locator("article a.column-external").first
    assert link.get_attribute("rel") == "noopener noreferrer"
    marker = page.evaluate("getComputedStyle(document.querySelector('article a.column-external'), '::after').content")
    assert "↗" in marker
    hidden = link.locator(".gw-visually-hidden")
    assert hidden.inner_text() == "（外部链接）"
    assert hidden.bounding_box()["width"] <= 1  # 只给屏幕阅读器，不占版面
    assert _violations(page, console) == []
    context.close()
